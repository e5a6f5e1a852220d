//! `boiler_data`, the payload of the main example: every stream-sea field
//! type in one struct. The example publishes and subscribes with it; the
//! schema lock test (tests/schema_lock.rs) keeps its definition in
//! `schemas/boiler_data.json`.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// One reading of a boiler: every stream-sea field type in one struct.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
pub struct BoilerData {
    pub boiler_id: String,      // string
    pub temperature: f64,       // float
    pub pressure: i64,          // integer
    pub measured_at: Date,      // date, always YYYY-MM-DDTHH:mm:ssZ
    pub mode: Mode,             // enum
    pub tags: Vec<String>,      // array<string>
    pub flow_rates: Vec<f64>,   // array<float>
    pub error_codes: Vec<i64>,  // array<integer>
    pub serviced_on: Vec<Date>, // array<date>
    pub site: Site,             // object
    pub readings: Vec<Reading>, // array<object>
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>, // optional string
}

/// The boiler's operating mode: an `enum` field.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Idle,
    Heating,
    Fault,
}

/// Where the boiler is: a nested `object`.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
pub struct Site {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// One sensor sample: an element of an `array<object>`.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
pub struct Reading {
    pub at: Date,
    /// A string whose allowed values the type cannot express: checked at run
    /// time, before anything is sent.
    #[stream_schema(one_of = ["inlet", "outlet", "flue"])]
    pub sensor: String,
    pub value: f64,
}
