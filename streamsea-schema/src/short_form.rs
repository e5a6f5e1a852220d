//! The command-line short form of a definition (PROTOCOL.md section 3):
//! `{"_version": 1, "temp": "float", "loc": {"lat": "float"}, "moves": [{"kind": "string"}]}`.

use serde_json::{Map, Value};

use crate::definition::SchemaDefinition;
use crate::error::SchemaError;
use crate::field::{scalar_type_from_wire, Field, FieldType, MAX_DEPTH};
use crate::version::Version;

/// Parses the short form: a string is a field type, an object is an `object`
/// field, an array holding one object is an `array<object>` field, and
/// `_version` is the version (1 when absent). `enum` cannot be written in the
/// short form; use the long form for it.
///
/// ```
/// use serde_json::json;
/// use streamsea_schema::{parse_short_form, FieldType};
/// let def = parse_short_form(&json!({"_version": 2, "temp": "float", "loc": {"lat": "float"}})).unwrap();
/// assert_eq!(def.version.0, 2);
/// assert!(matches!(def.field("loc").unwrap().ty, FieldType::Object(_)));
/// ```
pub fn parse_short_form(value: &Value) -> Result<SchemaDefinition, SchemaError> {
    let Some(obj) = value.as_object() else {
        return Err(SchemaError::ShortForm {
            path: String::new(),
            reason: "a definition must be a JSON object".into(),
        });
    };
    let version = match obj.get("_version") {
        None => Version(1),
        Some(v) => {
            serde_json::from_value::<Version>(v.clone()).map_err(|e| SchemaError::ShortForm {
                path: "_version".into(),
                reason: e.to_string(),
            })?
        }
    };
    Ok(SchemaDefinition {
        name: None,
        version,
        fields: fields(obj, "", 1, true)?,
    })
}

fn fields(
    obj: &Map<String, Value>,
    prefix: &str,
    depth: usize,
    top: bool,
) -> Result<Vec<Field>, SchemaError> {
    let mut out = Vec::with_capacity(obj.len());
    for (name, v) in obj {
        if top && name == "_version" {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        if name.is_empty() {
            return Err(SchemaError::EmptyFieldName { path });
        }
        let bad = |reason: &str| SchemaError::ShortForm {
            path: path.clone(),
            reason: reason.to_string(),
        };
        let deeper = |o: &Map<String, Value>| {
            if depth >= MAX_DEPTH {
                Err(SchemaError::TooDeep {
                    path: path.clone(),
                    max: MAX_DEPTH,
                })
            } else {
                fields(o, &path, depth + 1, false)
            }
        };
        let ty = match v {
            Value::String(t) => match t.as_str() {
                "object" => FieldType::Object(Vec::new()),
                "array<object>" => FieldType::ObjectArray(Vec::new()),
                "enum" => {
                    return Err(bad(
                        "enum needs its values: write this field in the long form",
                    ))
                }
                other => scalar_type_from_wire(other).ok_or_else(|| SchemaError::UnknownType {
                    path: path.clone(),
                    ty: other.to_string(),
                })?,
            },
            Value::Object(o) => FieldType::Object(deeper(o)?),
            Value::Array(a) => match a.as_slice() {
                [Value::Object(o)] => FieldType::ObjectArray(deeper(o)?),
                _ => {
                    return Err(bad(
                        "an array must hold exactly one object (the element's fields)",
                    ))
                }
            },
            _ => {
                return Err(bad(
                    "expected a type name, an object or an array holding one object",
                ))
            }
        };
        out.push(Field::new(name.clone(), ty));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_example() {
        let def = parse_short_form(&json!({"_version": 1, "temp": "float",
            "loc": {"lat": "float"}, "moves": [{"kind": "string"}]}))
        .unwrap();
        let long = SchemaDefinition::from_value(json!({"version": 1, "fields": [
            {"name": "temp", "type": "float"},
            {"name": "loc", "type": "object", "fields": [{"name": "lat", "type": "float"}]},
            {"name": "moves", "type": "array<object>", "fields": [{"name": "kind", "type": "string"}]}
        ]}))
        .unwrap();
        assert_eq!(def, long);
    }

    #[test]
    fn version_defaults_to_one_and_errors_name_the_key() {
        assert_eq!(
            parse_short_form(&json!({"a": "string"})).unwrap().version,
            Version(1)
        );
        let e = parse_short_form(&json!({"loc": {"lat": "flaot"}})).unwrap_err();
        assert!(e.to_string().contains("loc.lat"), "{e}");
        let e = parse_short_form(&json!({"moves": [1, 2]})).unwrap_err();
        assert!(e.to_string().contains("moves"), "{e}");
        assert!(parse_short_form(&json!({"_version": "x"})).is_err());
    }
}
