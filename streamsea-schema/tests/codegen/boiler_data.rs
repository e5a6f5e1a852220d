// Rust types for the messages of stream `boiler_data`, schema version 2,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `boiler_data`, schema version 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
pub struct BoilerData {
    /// `temperature`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// `pressure`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pressure: Option<i64>,
    /// `measuredAt`: `date`.
    #[serde(rename = "measuredAt", skip_serializing_if = "Option::is_none")]
    pub measured_at: Option<Date>,
    /// `serial`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// `mode`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// `tags`: `array<string>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// `samples`: `array<float>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<Vec<f64>>,
    /// `errorCodes`: `array<integer>`.
    #[serde(rename = "errorCodes", skip_serializing_if = "Option::is_none")]
    pub error_codes: Option<Vec<i64>>,
    /// `servicedAt`: `array<date>`.
    #[serde(rename = "servicedAt", skip_serializing_if = "Option::is_none")]
    pub serviced_at: Option<Vec<Date>>,
    /// `site`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// `readings`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readings: Option<Vec<Reading>>,
}

/// The values of the enum in field `mode` of stream `boiler_data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Mode {
    /// `idle`.
    #[serde(rename = "idle")]
    Idle,
    /// `heating`.
    #[serde(rename = "heating")]
    Heating,
    /// `fault`.
    #[serde(rename = "fault")]
    Fault,
}

/// The object in field `site` of stream `boiler_data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Site {
    /// `name`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `lat`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// `lon`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// An element of the array in field `readings` of stream `boiler_data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Reading {
    /// `at`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Date>,
    /// `value`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}
