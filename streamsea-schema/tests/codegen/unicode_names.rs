// Rust types for the messages of stream `wetter-station`, schema version 5,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::StreamSchema;

/// A message of stream `wetter-station`, schema version 5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "wetter-station", version = 5)]
pub struct WetterStation {
    /// `température`: `float`.
    #[serde(rename = "température", skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// `Größe`: `float`.
    #[serde(rename = "Größe", skip_serializing_if = "Option::is_none")]
    pub grosse: Option<f64>,
    /// `温度`: `float`.
    #[serde(rename = "温度", skip_serializing_if = "Option::is_none")]
    pub field_2: Option<f64>,
    /// `湿度`: `float`.
    #[serde(rename = "湿度", skip_serializing_if = "Option::is_none")]
    pub field_3: Option<f64>,
    /// `😀`: `string`.
    #[serde(rename = "😀", skip_serializing_if = "Option::is_none")]
    pub field_4: Option<String>,
    /// `naïve café`: `string`.
    #[serde(rename = "naïve café", skip_serializing_if = "Option::is_none")]
    pub naive_cafe: Option<String>,
    /// `$`: `integer`.
    #[serde(rename = "$", skip_serializing_if = "Option::is_none")]
    pub field_5: Option<i64>,
    /// `field`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `位置`: `object`.
    #[serde(rename = "位置", skip_serializing_if = "Option::is_none")]
    pub field_6: Option<Object>,
    /// `a"quote`: `string`.
    #[serde(rename = "a\"quote", skip_serializing_if = "Option::is_none")]
    pub a_quote: Option<String>,
    /// `"tab\there"`: `string`.
    #[serde(rename = "tab\there", skip_serializing_if = "Option::is_none")]
    pub tab_here: Option<String>,
    /// `` `ticks` ``: `string`.
    #[serde(rename = "`ticks`", skip_serializing_if = "Option::is_none")]
    pub ticks: Option<String>,
}

/// The object in field `位置` of stream `wetter-station`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Object {
    /// `緯度`: `float`.
    #[serde(rename = "緯度", skip_serializing_if = "Option::is_none")]
    pub field: Option<f64>,
    /// `経度`: `float`.
    #[serde(rename = "経度", skip_serializing_if = "Option::is_none")]
    pub field_2: Option<f64>,
}
