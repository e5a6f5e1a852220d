// Rust types for the messages of stream `anything.goes`, schema version 0,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::StreamSchema;

/// A message of stream `anything.goes`, schema version 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "anything.goes", version = 0)]
pub struct AnythingGoes {
    /// Every key of the message: the schema declares no fields, so any object is accepted.
    #[serde(flatten)]
    #[stream_schema(skip)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}
