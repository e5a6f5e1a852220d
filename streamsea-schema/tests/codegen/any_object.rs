// Rust types for the messages of stream `audit_log`, schema version 12,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `audit_log`, schema version 12.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "audit_log", version = 12)]
pub struct AuditLog {
    /// `actor`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// `at`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Date>,
    /// `details`: `object` (any fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[stream_schema(type = "object")]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
    /// `before`: `object` (any fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[stream_schema(type = "object")]
    pub before: Option<serde_json::Map<String, serde_json::Value>>,
    /// `attachments`: `array<object>` (any fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[stream_schema(type = "array<object>")]
    pub attachments: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
    /// `changes`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<Change>>,
}

/// An element of the array in field `changes` of stream `audit_log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Change {
    /// `path`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `value`: `object` (any fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[stream_schema(type = "object")]
    pub value: Option<serde_json::Map<String, serde_json::Value>>,
}
