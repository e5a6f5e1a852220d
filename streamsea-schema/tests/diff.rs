//! Comparison of two definitions.

use serde_json::json;
use streamsea_schema::{diff, FieldChange, FieldType, SchemaDefinition, Version};

fn def(v: serde_json::Value) -> SchemaDefinition {
    SchemaDefinition::from_value(v).unwrap()
}

#[test]
fn equal_definitions_have_no_differences() {
    let a = def(
        json!({"version": 1, "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "float"}]}),
    );
    let b = def(
        json!({"version": 1, "fields": [{"name": "b", "type": "float"}, {"name": "a", "type": "string"}]}),
    );
    let d = diff(&a, &b);
    assert!(d.is_empty());
    assert_eq!(d.to_string(), "no differences");
}

#[test]
fn lists_added_removed_and_changed_fields_with_paths() {
    let a = def(json!({"version": 1, "fields": [
        {"name": "temp", "type": "float"},
        {"name": "old", "type": "string"},
        {"name": "mode", "type": "enum", "enum": ["a", "b"]},
        {"name": "moves", "type": "array<object>", "fields": [{"name": "at", "type": "date"}, {"name": "kind", "type": "string"}]}
    ]}));
    let b = def(json!({"version": 2, "fields": [
        {"name": "temp", "type": "integer"},
        {"name": "new", "type": "date"},
        {"name": "mode", "type": "enum", "enum": ["a", "b", "c"]},
        {"name": "moves", "type": "array<object>", "fields": [{"name": "at", "type": "string"}, {"name": "tugs", "type": "integer"}]}
    ]}));
    let d = diff(&a, &b);
    assert_eq!(d.version, Some((Version(1), Version(2))));
    let paths: Vec<&str> = d.changes.iter().map(|c| c.path()).collect();
    assert_eq!(
        paths,
        [
            "mode",
            "moves.at",
            "moves.kind",
            "moves.tugs",
            "new",
            "old",
            "temp"
        ]
    );
    assert!(matches!(
        &d.changes[1],
        FieldChange::Changed {
            from: FieldType::Date,
            to: FieldType::String,
            ..
        }
    ));
    assert!(matches!(&d.changes[2], FieldChange::Removed { .. }));
    assert!(matches!(
        &d.changes[3],
        FieldChange::Added {
            ty: FieldType::Integer,
            ..
        }
    ));
    let text = d.to_string();
    assert!(text.contains("version 1 -> 2"), "{text}");
    assert!(text.contains("~ temp: float -> integer"), "{text}");
}

#[test]
fn object_becoming_array_of_objects_is_a_change() {
    let a = def(json!({"version": 1, "fields": [{"name": "o", "type": "object"}]}));
    let b = def(json!({"version": 1, "fields": [{"name": "o", "type": "array<object>"}]}));
    assert_eq!(diff(&a, &b).changes.len(), 1);
}
