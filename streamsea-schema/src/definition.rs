//! The schema definition of a stream and its wire JSON.

use serde::{Deserialize, Serialize};

use crate::error::SchemaError;
use crate::field::{convert_fields, fields_equal, Field, RawField};
use crate::version::Version;

/// The longest stream name accepted.
pub const MAX_STREAM_NAME_LEN: usize = streamsea_rules::MAX_IDENTIFIER_LEN;

/// Checks that `name` is a stream name stream-sea can carry in a URL path:
/// 1 to 128 ASCII letters, digits, `_`, `-` or `.` (our choice; PROTOCOL.md names no
/// rule), and not `.` or `..`. The rule itself is `streamsea_rules::check_stream_name`,
/// which the derive applies at compile time.
///
/// ```
/// assert!(streamsea_schema::check_stream_name("boiler_data").is_ok());
/// assert!(streamsea_schema::check_stream_name("boiler data").is_err());
/// ```
pub fn check_stream_name(name: &str) -> Result<(), SchemaError> {
    streamsea_rules::check_stream_name(name).map_err(|e| SchemaError::InvalidStreamName {
        name: name.to_string(),
        reason: e.reason,
    })
}

/// A stream's schema definition (PROTOCOL.md section 3).
///
/// Reads the wire JSON with or without `name`, with the version as a number or
/// a numeric string; writes the version as a number. Equality ignores the
/// order of fields at every depth.
///
/// ```
/// use streamsea_schema::{SchemaDefinition, FieldType};
/// let def: SchemaDefinition = serde_json::from_str(r#"{"version": "2", "fields": [
///     {"name": "temperature", "type": "float"},
///     {"name": "mode", "type": "enum", "enum": ["idle", "heating"]}
/// ]}"#).unwrap();
/// assert_eq!(def.version.0, 2);
/// assert_eq!(def.field("mode").unwrap().ty, FieldType::Enum(vec!["heating".into(), "idle".into()]));
/// ```
#[derive(Debug, Clone, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawDefinition", into = "RawDefinition")]
pub struct SchemaDefinition {
    /// The schema's name; equal to the stream name when present.
    pub name: Option<String>,
    /// The schema's version.
    pub version: Version,
    /// The fields, an unordered set.
    pub fields: Vec<Field>,
}

impl PartialEq for SchemaDefinition {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.version == other.version
            && fields_equal(&self.fields, &other.fields)
    }
}

impl SchemaDefinition {
    /// A definition with a name.
    pub fn new(name: impl Into<String>, version: impl Into<Version>, fields: Vec<Field>) -> Self {
        SchemaDefinition {
            name: Some(name.into()),
            version: version.into(),
            fields,
        }
    }

    /// Reads the long wire form from JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, SchemaError> {
        let raw: RawDefinition = serde_json::from_str(text)?;
        raw.try_into()
    }

    /// Reads the long wire form from a JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Self, SchemaError> {
        let raw: RawDefinition = serde_json::from_value(value)?;
        raw.try_into()
    }

    /// Reads either the long form or the command-line short form (PROTOCOL.md
    /// section 3): the long form is an object whose `fields` is an array and
    /// whose other keys are only `name` and `version`.
    pub fn from_any_json(value: serde_json::Value) -> Result<Self, SchemaError> {
        if is_long_form(&value) {
            Self::from_value(value)
        } else {
            crate::short_form::parse_short_form(&value)
        }
    }

    /// The top-level field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The same definition with fields written in name order at every depth
    /// (a canonical form for display and storage).
    pub fn sorted(&self) -> SchemaDefinition {
        let mut d = self.clone();
        crate::field::sort_fields(&mut d.fields);
        d
    }

    /// The definition as wire JSON.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(RawDefinition::from(self.clone())).unwrap_or(serde_json::Value::Null)
    }
}

fn is_long_form(value: &serde_json::Value) -> bool {
    let Some(obj) = value.as_object() else {
        return false;
    };
    obj.get("fields").is_some_and(|f| f.is_array())
        && obj
            .keys()
            .all(|k| matches!(k.as_str(), "name" | "version" | "fields"))
}

/// The wire shape of a definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefinition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    version: Version,
    fields: Vec<RawField>,
}

impl From<SchemaDefinition> for RawDefinition {
    fn from(d: SchemaDefinition) -> Self {
        RawDefinition {
            name: d.name,
            version: d.version,
            fields: d.fields.into_iter().map(RawField::from).collect(),
        }
    }
}

impl TryFrom<RawDefinition> for SchemaDefinition {
    type Error = SchemaError;

    fn try_from(raw: RawDefinition) -> Result<Self, SchemaError> {
        Ok(SchemaDefinition {
            name: raw.name,
            version: raw.version,
            fields: convert_fields(raw.fields, "", 1)?,
        })
    }
}
