// Rust types for the messages of stream `keywords`, schema version 1,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `keywords`, schema version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "keywords", version = 1)]
pub struct Keywords {
    /// `type`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `fn`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#fn: Option<i64>,
    /// `match`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#match: Option<f64>,
    /// `self`: `string`.
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    /// `Self`: `string`.
    #[serde(rename = "Self", skip_serializing_if = "Option::is_none")]
    pub self_2: Option<String>,
    /// `super`: `string`.
    #[serde(rename = "super", skip_serializing_if = "Option::is_none")]
    pub super_: Option<String>,
    /// `crate`: `string`.
    #[serde(rename = "crate", skip_serializing_if = "Option::is_none")]
    pub crate_: Option<String>,
    /// `async`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#async: Option<Date>,
    /// `await`: `array<string>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#await: Option<Vec<String>>,
    /// `gen`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#gen: Option<String>,
    /// `try`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#try: Option<String>,
    /// `dyn`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#dyn: Option<String>,
    /// `union`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub union: Option<String>,
    /// `r#type`: `string`.
    #[serde(rename = "r#type", skip_serializing_if = "Option::is_none")]
    pub r_type: Option<String>,
    /// `impl`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#impl: Option<Impl>,
    /// `loop`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#loop: Option<Vec<Loop>>,
}

/// The object in field `impl` of stream `keywords`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Impl {
    /// `where`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#where: Option<String>,
    /// `mod`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#mod: Option<Mod>,
}

/// An element of the array in field `loop` of stream `keywords`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Loop {
    /// `break`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#break: Option<i64>,
    /// `continue`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#continue: Option<i64>,
}

/// The values of the enum in field `impl.mod` of stream `keywords`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Mod {
    /// `self`.
    #[serde(rename = "self")]
    Self2,
    /// `Self`.
    #[serde(rename = "Self")]
    Self3,
    /// `super`.
    #[serde(rename = "super")]
    Super,
    /// `crate`.
    #[serde(rename = "crate")]
    Crate,
    /// `type`.
    #[serde(rename = "type")]
    Type,
}
