// Rust types for the messages of stream `job_events`, schema version 1,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::StreamSchema;

/// A message of stream `job_events`, schema version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "job_events", version = 1)]
pub struct JobEvents {
    /// `state`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<State>,
    /// `odd`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odd: Option<Odd>,
    /// `single`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single: Option<Single>,
    /// `versions`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Versions>,
}

/// The values of the enum in field `state` of stream `job_events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum State {
    /// `in-progress`.
    #[serde(rename = "in-progress")]
    InProgress2,
    /// `IN_PROGRESS`.
    #[serde(rename = "IN_PROGRESS")]
    InProgress3,
    /// `in progress`.
    #[serde(rename = "in progress")]
    InProgress4,
    /// `InProgress`.
    InProgress,
    /// `done`.
    #[serde(rename = "done")]
    Done2,
    /// `Done`.
    Done,
    /// `DONE`.
    #[serde(rename = "DONE")]
    Done3,
}

/// The values of the enum in field `odd` of stream `job_events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Odd {
    /// `""`.
    #[serde(rename = "")]
    Empty2,
    /// `" "`.
    #[serde(rename = " ")]
    Value2,
    /// `+`.
    #[serde(rename = "+")]
    Value3,
    /// `-`.
    #[serde(rename = "-")]
    Value4,
    /// `√2`.
    #[serde(rename = "√2")]
    _2,
    /// `温度`.
    #[serde(rename = "温度")]
    Value5,
    /// `a"b`.
    #[serde(rename = "a\"b")]
    AB,
    /// `back\slash`.
    #[serde(rename = "back\\slash")]
    BackSlash,
    /// `"new\nline"`.
    #[serde(rename = "new\nline")]
    NewLine,
    /// `"\u{202e}evil"`.
    #[serde(rename = "\u{202e}evil")]
    Evil,
    /// `Self`.
    #[serde(rename = "Self")]
    Self2,
    /// `self`.
    #[serde(rename = "self")]
    Self3,
    /// `null`.
    #[serde(rename = "null")]
    Null,
    /// `true`.
    #[serde(rename = "true")]
    True,
    /// `0.5`.
    #[serde(rename = "0.5")]
    _0_5,
    /// `Value`.
    Value,
    /// `Empty`.
    Empty,
}

/// The values of the enum in field `single` of stream `job_events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Single {
    /// `only`.
    #[serde(rename = "only")]
    Only,
}

/// The values of the enum in field `versions` of stream `job_events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Versions {
    /// `v1`.
    #[serde(rename = "v1")]
    V1_2,
    /// `V1`.
    V1,
    /// `v1_2`.
    #[serde(rename = "v1_2")]
    V1_2_2,
    /// `v12`.
    #[serde(rename = "v12")]
    V12,
}
