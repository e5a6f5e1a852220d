// Rust types for the messages of stream `port_calls`, schema version 7,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `port_calls`, schema version 7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "port_calls", version = 7)]
pub struct PortCalls {
    /// `callId`: `string`.
    #[serde(rename = "callId", skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// `vessel`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vessel: Option<Vessel>,
    /// `eta`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eta: Option<Date>,
    /// `ata`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ata: Option<Date>,
    /// `status`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// `moves`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moves: Option<Vec<Move>>,
    /// `berth`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub berth: Option<Berth>,
}

/// The object in field `vessel` of stream `port_calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Vessel {
    /// `imo`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imo: Option<i64>,
    /// `name`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `flag`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}

/// The values of the enum in field `status` of stream `port_calls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Status {
    /// `EXPECTED`.
    #[serde(rename = "EXPECTED")]
    Expected,
    /// `ALONGSIDE`.
    #[serde(rename = "ALONGSIDE")]
    Alongside,
    /// `DEPARTED`.
    #[serde(rename = "DEPARTED")]
    Departed,
    /// `CANCELLED`.
    #[serde(rename = "CANCELLED")]
    Cancelled,
}

/// An element of the array in field `moves` of stream `port_calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Move {
    /// `kind`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// `container`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    /// `craneId`: `integer`.
    #[serde(rename = "craneId", skip_serializing_if = "Option::is_none")]
    pub crane_id: Option<i64>,
    /// `at`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Date>,
}

/// The object in field `berth` of stream `port_calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Berth {
    /// `terminal`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal: Option<String>,
    /// `number`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
}

/// The values of the enum in field `moves.kind` of stream `port_calls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Kind {
    /// `load`.
    #[serde(rename = "load")]
    Load,
    /// `discharge`.
    #[serde(rename = "discharge")]
    Discharge,
    /// `restow`.
    #[serde(rename = "restow")]
    Restow,
}

/// The object in field `moves.container` of stream `port_calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Container {
    /// `id`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `isoType`: `string`.
    #[serde(rename = "isoType", skip_serializing_if = "Option::is_none")]
    pub iso_type: Option<String>,
    /// `weightKg`: `float`.
    #[serde(rename = "weightKg", skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<f64>,
    /// `reefer`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reefer: Option<Reefer>,
}

/// The object in field `moves.container.reefer` of stream `port_calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Reefer {
    /// `setpointC`: `float`.
    #[serde(rename = "setpointC", skip_serializing_if = "Option::is_none")]
    pub setpoint_c: Option<f64>,
    /// `readings`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readings: Option<Vec<Reading>>,
}

/// An element of the array in field `moves.container.reefer.readings` of stream `port_calls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Reading {
    /// `at`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Date>,
    /// `tempC`: `float`.
    #[serde(rename = "tempC", skip_serializing_if = "Option::is_none")]
    pub temp_c: Option<f64>,
}
