//! Export of a definition as JSON Schema (draft 2020-12), equivalent to the
//! validation rules of PROTOCOL.md section 4.

use serde_json::{json, Map, Value};

use crate::definition::SchemaDefinition;
use crate::field::{Field, FieldType};

/// The regular expression of the date form. The calendar check (no
/// 2019-02-29) is beyond a regular expression; the pattern bounds each part.
pub const DATE_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$";

/// The definition as a JSON Schema (draft 2020-12) for one message: an
/// object whose declared keys may be absent or null, with unknown keys
/// rejected at every depth, dates matched by [`DATE_PATTERN`], enums listed.
///
/// ```
/// use streamsea_schema::{to_json_schema, Field, FieldType, SchemaDefinition};
/// let def = SchemaDefinition::new("s", 1, vec![Field::new("t", FieldType::Float)]);
/// let schema = to_json_schema(&def);
/// assert_eq!(schema["additionalProperties"], false);
/// ```
pub fn to_json_schema(def: &SchemaDefinition) -> Value {
    let mut root = object_schema(&def.fields);
    if let Value::Object(m) = &mut root {
        m.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        if let Some(name) = &def.name {
            m.insert("title".into(), json!(name));
        }
        m.insert("x-stream-sea-version".into(), json!(def.version.0));
    }
    root
}

fn object_schema(fields: &[Field]) -> Value {
    if fields.is_empty() {
        return json!({"type": "object"});
    }
    let mut props = Map::new();
    for f in fields {
        props.insert(f.name.clone(), nullable(type_schema(&f.ty)));
    }
    json!({"type": "object", "properties": props, "additionalProperties": false})
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

fn type_schema(ty: &FieldType) -> Value {
    match ty {
        FieldType::String => json!({"type": "string"}),
        FieldType::Float => json!({"type": "number"}),
        FieldType::Integer => json!({"type": "integer"}),
        FieldType::Date => json!({"type": "string", "pattern": DATE_PATTERN}),
        FieldType::Enum(values) => json!({"type": "string", "enum": values}),
        FieldType::Object(fields) => object_schema(fields),
        FieldType::StringArray
        | FieldType::FloatArray
        | FieldType::IntegerArray
        | FieldType::DateArray
        | FieldType::ObjectArray(_) => {
            let element = ty
                .element()
                .map(|e| type_schema(&e))
                .unwrap_or(Value::Bool(true));
            json!({"type": "array", "items": element})
        }
    }
}
