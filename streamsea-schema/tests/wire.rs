//! The wire JSON of schema definitions (PROTOCOL.md section 3).

use serde_json::json;
use streamsea_schema::{Field, FieldType, SchemaDefinition, SchemaError, Version};

fn def(v: serde_json::Value) -> Result<SchemaDefinition, SchemaError> {
    SchemaDefinition::from_value(v)
}

#[test]
fn reads_every_type_and_writes_it_back() {
    let wire = json!({"name": "boiler_data", "version": 2, "fields": [
        {"name": "s", "type": "string"},
        {"name": "f", "type": "float"},
        {"name": "i", "type": "integer"},
        {"name": "d", "type": "date"},
        {"name": "as", "type": "array<string>"},
        {"name": "af", "type": "array<float>"},
        {"name": "ai", "type": "array<integer>"},
        {"name": "ad", "type": "array<date>"},
        {"name": "e", "type": "enum", "enum": ["idle", "heating"]},
        {"name": "o", "type": "object", "fields": [{"name": "lat", "type": "float"}]},
        {"name": "ao", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
    ]});
    let d = def(wire.clone()).unwrap();
    assert_eq!(d.fields.len(), 11);
    assert_eq!(
        d.field("e").unwrap().ty,
        FieldType::Enum(vec!["idle".into(), "heating".into()])
    );
    assert_eq!(serde_json::to_value(&d).unwrap(), wire);
}

#[test]
fn name_is_optional_and_versions_may_be_strings() {
    let d = def(json!({"version": "3", "fields": []})).unwrap();
    assert_eq!(d.name, None);
    assert_eq!(d.version, Version(3));
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"version": 3, "fields": []})
    );
    assert!(def(json!({"version": "1.0.0", "fields": []})).is_err());
    assert!(def(json!({"version": -1, "fields": []})).is_err());
    assert!(def(json!({"version": 1.5, "fields": []})).is_err());
}

#[test]
fn errors_name_the_field() {
    let cases = [
        (
            json!([{"name": "loc", "type": "object", "fields": [{"name": "lat", "type": "flaot"}]}]),
            "loc.lat",
            "unknown type",
        ),
        (json!([{"name": "mode", "type": "enum"}]), "mode", "enum"),
        (
            json!([{"name": "t", "type": "float", "fields": []}]),
            "t",
            "nested",
        ),
        (
            json!([{"name": "t", "type": "string", "enum": ["a"]}]),
            "t",
            "enum",
        ),
        (
            json!([{"name": "t", "type": "float"}, {"name": "t", "type": "string"}]),
            "t",
            "more than once",
        ),
        (
            json!([{"name": "o", "type": "array<object>", "fields": [{"name": "x", "type": "date"}, {"name": "x", "type": "date"}]}]),
            "o.x",
            "more than once",
        ),
    ];
    for (fields, path, words) in cases {
        let e = def(json!({"version": 1, "fields": fields}))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("`{path}`")), "{e}");
        assert!(e.contains(words), "{e}");
    }
}

#[test]
fn nesting_is_capped_at_32_levels() {
    fn nested(levels: usize) -> serde_json::Value {
        let mut f = json!({"name": "leaf", "type": "string"});
        for i in 0..levels {
            f = json!({"name": format!("n{i}"), "type": "object", "fields": [f]});
        }
        json!({"version": 1, "fields": [f]})
    }
    assert!(def(nested(31)).is_ok());
    let e = def(nested(32)).unwrap_err();
    assert!(matches!(e, SchemaError::TooDeep { .. }), "{e}");
    assert!(e.to_string().contains("n31.n30"), "{e}");
}

#[test]
fn equality_ignores_field_order_at_every_depth() {
    let a = def(json!({"version": 1, "fields": [
        {"name": "a", "type": "string"},
        {"name": "o", "type": "object", "fields": [{"name": "x", "type": "float"}, {"name": "y", "type": "date"}]},
        {"name": "e", "type": "enum", "enum": ["p", "q"]}
    ]}))
    .unwrap();
    let b = def(json!({"version": 1, "fields": [
        {"name": "e", "type": "enum", "enum": ["q", "p"]},
        {"name": "o", "type": "object", "fields": [{"name": "y", "type": "date"}, {"name": "x", "type": "float"}]},
        {"name": "a", "type": "string"}
    ]}))
    .unwrap();
    assert_eq!(a, b);
    let mut c = b.clone();
    c.fields[1] = Field::new(
        "o",
        FieldType::Object(vec![Field::new("x", FieldType::Float)]),
    );
    assert_ne!(a, c);
    let mut d = b.clone();
    d.version = Version(2);
    assert_ne!(a, d);
}

#[test]
fn unknown_keys_in_a_definition_are_errors() {
    assert!(def(json!({"version": 1, "feilds": []})).is_err());
    assert!(
        def(json!({"version": 1, "fields": [{"name": "a", "type": "string", "typ": 1}]})).is_err()
    );
}

#[test]
fn any_json_reads_long_and_short_forms() {
    let long = SchemaDefinition::from_any_json(
        json!({"version": 2, "fields": [{"name": "t", "type": "float"}]}),
    )
    .unwrap();
    let short = SchemaDefinition::from_any_json(json!({"_version": 2, "t": "float"})).unwrap();
    assert_eq!(long, short);
    // A short form may have a field called `fields`; it is not mistaken for the long form.
    let s = SchemaDefinition::from_any_json(json!({"fields": "string", "x": "integer"})).unwrap();
    assert_eq!(s.fields.len(), 2);
}
