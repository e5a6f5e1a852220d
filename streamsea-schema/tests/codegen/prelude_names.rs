// Rust types for the messages of stream `prelude_names`, schema version 1,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `prelude_names`, schema version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "prelude_names", version = 1)]
pub struct PreludeNames {
    /// `option`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<PreludeNamesOption>,
    /// `result`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PreludeNamesResult>,
    /// `string`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string: Option<PreludeNamesString>,
    /// `vec`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vec: Option<Vec<PreludeNamesVec>>,
    /// `date`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<PreludeNamesDate>,
    /// `serialize`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serialize: Option<PreludeNamesSerialize>,
    /// `stream_schema`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_schema: Option<PreludeNamesStreamSchema>,
    /// `boxes`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boxes: Option<Vec<PreludeNamesBox>>,
    /// `self`: `object`.
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_: Option<PreludeNamesSelf>,
}

/// The object in field `option` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesOption {
    /// `some`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub some: Option<String>,
}

/// The object in field `result` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesResult {
    /// `ok`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ok: Option<String>,
    /// `err`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub err: Option<String>,
}

/// The values of the enum in field `string` of stream `prelude_names`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum PreludeNamesString {
    /// `utf8`.
    #[serde(rename = "utf8")]
    Utf8,
    /// `ascii`.
    #[serde(rename = "ascii")]
    Ascii,
}

/// An element of the array in field `vec` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesVec {
    /// `len`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub len: Option<i64>,
}

/// The object in field `date` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesDate {
    /// `at`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Date>,
}

/// The object in field `serialize` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesSerialize {
    /// `fast`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fast: Option<String>,
}

/// The object in field `stream_schema` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesStreamSchema {
    /// `v`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<i64>,
}

/// An element of the array in field `boxes` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesBox {
    /// `w`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w: Option<f64>,
}

/// The object in field `self` of stream `prelude_names`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct PreludeNamesSelf {
    /// `id`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}
