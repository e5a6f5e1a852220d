// Rust types for the messages of stream `3d_scans`, schema version 4,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::StreamSchema;

/// A message of stream `3d_scans`, schema version 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "3d_scans", version = 4)]
pub struct _3dScans {
    /// `1st`: `string`.
    #[serde(rename = "1st", skip_serializing_if = "Option::is_none")]
    pub _1st: Option<String>,
    /// `2nd_place`: `string`.
    #[serde(rename = "2nd_place", skip_serializing_if = "Option::is_none")]
    pub _2nd_place: Option<String>,
    /// `3d`: `object`.
    #[serde(rename = "3d", skip_serializing_if = "Option::is_none")]
    pub _3d: Option<_3d>,
    /// `007`: `integer`.
    #[serde(rename = "007", skip_serializing_if = "Option::is_none")]
    pub _007: Option<i64>,
    /// `v1.2`: `string`.
    #[serde(rename = "v1.2", skip_serializing_if = "Option::is_none")]
    pub v1_2: Option<String>,
    /// `0`: `array<integer>`.
    #[serde(rename = "0", skip_serializing_if = "Option::is_none")]
    pub _0: Option<Vec<i64>>,
    /// `v2Api`: `string`.
    #[serde(rename = "v2Api", skip_serializing_if = "Option::is_none")]
    pub v2_api: Option<String>,
    /// `10kRuns`: `array<object>`.
    #[serde(rename = "10kRuns", skip_serializing_if = "Option::is_none")]
    pub _10k_runs: Option<Vec<_10kRun>>,
    /// `grade`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
}

/// The object in field `3d` of stream `3d_scans`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct _3d {
    /// `x`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<f64>,
    /// `y`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<f64>,
    /// `z`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
}

/// An element of the array in field `10kRuns` of stream `3d_scans`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct _10kRun {
    /// `2`: `float`.
    #[serde(rename = "2", skip_serializing_if = "Option::is_none")]
    pub _2: Option<f64>,
}

/// The values of the enum in field `grade` of stream `3d_scans`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Grade {
    /// `1`.
    #[serde(rename = "1")]
    _1,
    /// `2`.
    #[serde(rename = "2")]
    _2,
    /// `3a`.
    #[serde(rename = "3a")]
    _3a,
    /// `10`.
    #[serde(rename = "10")]
    _10,
    /// `1.5`.
    #[serde(rename = "1.5")]
    _1_5,
    /// `-1`.
    #[serde(rename = "-1")]
    _1_2,
}
