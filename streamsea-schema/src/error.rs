//! Errors of reading and checking schema definitions.

/// A schema definition that cannot be accepted; every variant names the field
/// (its dotted path, e.g. `loc.lat`) or the part of the definition at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// A field's `type` is not one of the eleven stream-sea types.
    #[error("field `{path}`: unknown type {ty:?} (expected one of string, float, integer, date, array<string>, array<float>, array<integer>, array<date>, enum, object, array<object>)")]
    UnknownType {
        /// Path of the field.
        path: String,
        /// The type string found.
        ty: String,
    },
    /// An `enum` field without its `enum` list of values.
    #[error("field `{path}`: type enum needs an `enum` list of allowed values")]
    MissingEnum {
        /// Path of the field.
        path: String,
    },
    /// Nested `fields` on a type that is not `object` or `array<object>`.
    #[error(
        "field `{path}`: type {ty} cannot have nested `fields` (only object and array<object> can)"
    )]
    UnexpectedFields {
        /// Path of the field.
        path: String,
        /// The field's type.
        ty: String,
    },
    /// An `enum` list on a type that is not `enum`.
    #[error("field `{path}`: type {ty} cannot have an `enum` list (only enum can)")]
    UnexpectedEnum {
        /// Path of the field.
        path: String,
        /// The field's type.
        ty: String,
    },
    /// Two fields with the same name in one field list.
    #[error("field `{path}` is defined more than once")]
    DuplicateField {
        /// Path of the repeated field.
        path: String,
    },
    /// A field with an empty name.
    #[error("field `{path}`: a field name cannot be empty")]
    EmptyFieldName {
        /// Path of the field (ending in the empty name).
        path: String,
    },
    /// Nesting deeper than the allowed maximum.
    #[error("field `{path}`: nesting deeper than {max} levels")]
    TooDeep {
        /// Path of the field that goes too deep.
        path: String,
        /// The maximum depth.
        max: usize,
    },
    /// A stream name that stream-sea cannot carry.
    #[error("invalid stream name {name:?}: {reason}")]
    InvalidStreamName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The short form (PROTOCOL.md section 3) holds something it cannot express.
    #[error("short form, key `{path}`: {reason}")]
    ShortForm {
        /// Path of the key.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The JSON text could not be read as a definition.
    #[error("{0}")]
    Json(String),
}

impl From<serde_json::Error> for SchemaError {
    fn from(e: serde_json::Error) -> Self {
        SchemaError::Json(e.to_string())
    }
}
