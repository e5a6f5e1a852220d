// Rust types for the messages of stream `fleet.gps-v2`, schema version 9007199254740991,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `fleet.gps-v2`, schema version 9007199254740991.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "fleet.gps-v2", version = 9007199254740991)]
pub struct FleetGpsV2 {
    /// `vehicleId`: `string`.
    #[serde(rename = "vehicleId", skip_serializing_if = "Option::is_none")]
    pub vehicle_id: Option<String>,
    /// `positions`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positions: Option<Vec<Position>>,
    /// `ignitionOnAt`: `array<date>`.
    #[serde(rename = "ignitionOnAt", skip_serializing_if = "Option::is_none")]
    pub ignition_on_at: Option<Vec<Date>>,
    /// `odometerKm`: `integer`.
    #[serde(rename = "odometerKm", skip_serializing_if = "Option::is_none")]
    pub odometer_km: Option<i64>,
    /// `driver`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<Driver>,
    /// `alerts`: `array<string>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<String>>,
}

/// An element of the array in field `positions` of stream `fleet.gps-v2`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Position {
    /// `at`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Date>,
    /// `lat`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// `lon`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// `speedKmh`: `float`.
    #[serde(rename = "speedKmh", skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    /// `headingDeg`: `integer`.
    #[serde(rename = "headingDeg", skip_serializing_if = "Option::is_none")]
    pub heading_deg: Option<i64>,
}

/// The object in field `driver` of stream `fleet.gps-v2`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Driver {
    /// `id`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `shifts`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shifts: Option<Vec<Shift>>,
}

/// An element of the array in field `driver.shifts` of stream `fleet.gps-v2`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Shift {
    /// `start`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// `end`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}
