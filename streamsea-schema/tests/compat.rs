//! Compatibility classes: one test per row of the table in the `compat`
//! module's documentation, and the version rules.

use serde_json::{json, Value};
use streamsea_schema::{
    evolution, ChangeKind, Compatibility, Compatibility::*, SchemaDefinition, VersionStep,
};

fn def(version: u64, fields: Value) -> SchemaDefinition {
    SchemaDefinition::from_value(json!({"name": "s", "version": version, "fields": fields}))
        .unwrap()
}

/// The class of changing field `f` from `old` to `new` (wire type objects).
fn class(old: Value, new: Value) -> Compatibility {
    let mut a = old;
    let mut b = new;
    a["name"] = json!("f");
    b["name"] = json!("f");
    let e = evolution(&def(1, json!([a])), &def(2, json!([b])));
    assert!(!e.changes.is_empty(), "no change found");
    e.class
}

fn t(ty: &str) -> Value {
    json!({"type": ty})
}

fn en(values: &[&str]) -> Value {
    json!({"type": "enum", "enum": values})
}

#[test]
fn added_fields_are_compatible_at_any_depth() {
    let old = def(
        1,
        json!([{"name": "o", "type": "array<object>", "fields": [{"name": "a", "type": "date"}]}]),
    );
    let new = def(
        2,
        json!([
            {"name": "o", "type": "array<object>", "fields": [{"name": "a", "type": "date"}, {"name": "b", "type": "float"}]},
            {"name": "top", "type": "string"}
        ]),
    );
    let e = evolution(&old, &new);
    assert_eq!(e.class, Compatible);
    let paths: Vec<&str> = e.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["o.b", "top"]);
    assert!(matches!(e.changes[0].kind, ChangeKind::FieldAdded(_)));
    assert!(!e.is_breaking());
    assert_eq!(e.version_step(), VersionStep::Raised);
}

#[test]
fn removed_fields_break_both() {
    let e = evolution(
        &def(
            1,
            json!([{"name": "a", "type": "string"}, {"name": "b", "type": "float"}]),
        ),
        &def(2, json!([{"name": "a", "type": "string"}])),
    );
    assert_eq!(e.class, BreaksBoth);
    assert_eq!(
        e.changes[0].to_string(),
        "- b: float (breaks publishers and consumers)"
    );
}

#[test]
fn enum_values_added_break_consumers_and_removed_break_publishers() {
    assert_eq!(class(en(&["a"]), en(&["a", "b"])), BreaksConsumers);
    assert_eq!(class(en(&["a", "b"]), en(&["a"])), BreaksPublishers);
    assert_eq!(class(en(&["a", "b"]), en(&["a", "c"])), BreaksBoth);
    let e = evolution(
        &def(
            1,
            json!([{"name": "m", "type": "enum", "enum": ["a", "b"]}]),
        ),
        &def(
            2,
            json!([{"name": "m", "type": "enum", "enum": ["c", "a"]}]),
        ),
    );
    let kinds: Vec<&ChangeKind> = e.changes.iter().map(|c| &c.kind).collect();
    assert_eq!(
        kinds,
        [
            &ChangeKind::EnumValueRemoved("b".into()),
            &ChangeKind::EnumValueAdded("c".into())
        ]
    );
    // Reordering values changes nothing.
    let e = evolution(
        &def(
            1,
            json!([en(&["a", "b"])].map(|mut v| {
                v["name"] = json!("m");
                v
            })),
        ),
        &def(
            1,
            json!([en(&["b", "a"])].map(|mut v| {
                v["name"] = json!("m");
                v
            })),
        ),
    );
    assert!(e.changes.is_empty());
    assert!(!e.is_breaking());
}

#[test]
fn numbers_widen_for_publishers_and_narrow_for_consumers() {
    assert_eq!(class(t("integer"), t("float")), BreaksConsumers);
    assert_eq!(class(t("float"), t("integer")), BreaksPublishers);
    assert_eq!(
        class(t("array<integer>"), t("array<float>")),
        BreaksConsumers
    );
    assert_eq!(
        class(t("array<float>"), t("array<integer>")),
        BreaksPublishers
    );
}

#[test]
fn strings_dates_and_enums() {
    assert_eq!(class(t("date"), t("string")), BreaksConsumers);
    assert_eq!(class(en(&["a"]), t("string")), BreaksConsumers);
    assert_eq!(class(t("string"), t("date")), BreaksPublishers);
    assert_eq!(class(t("string"), en(&["a"])), BreaksPublishers);
    assert_eq!(class(t("array<date>"), t("array<string>")), BreaksConsumers);
    assert_eq!(
        class(t("array<string>"), t("array<date>")),
        BreaksPublishers
    );
    // enum -> date: publishers pass only when every value is a date.
    assert_eq!(
        class(en(&["2024-01-01T00:00:00Z"]), t("date")),
        BreaksConsumers
    );
    assert_eq!(class(en(&["idle"]), t("date")), BreaksBoth);
    assert_eq!(
        class(t("date"), en(&["2024-01-01T00:00:00Z"])),
        BreaksPublishers
    );
    assert_eq!(class(t("date"), en(&["idle"])), BreaksBoth);
}

#[test]
fn objects_opening_and_closing() {
    let open = json!({"type": "object"});
    let closed = json!({"type": "object", "fields": [{"name": "x", "type": "float"}]});
    assert_eq!(class(open.clone(), closed.clone()), BreaksPublishers);
    assert_eq!(class(closed.clone(), open.clone()), BreaksConsumers);
    let e = evolution(
        &def(1, json!([{"name": "o", "type": "object"}])),
        &def(
            2,
            json!([{"name": "o", "type": "object", "fields": [{"name": "x", "type": "float"}]}]),
        ),
    );
    assert_eq!(
        e.changes[0].to_string(),
        "~ o: object (any keys) -> object (declared fields) (breaks publishers)"
    );
    let open_arr = json!({"type": "array<object>"});
    let closed_arr = json!({"type": "array<object>", "fields": [{"name": "x", "type": "float"}]});
    assert_eq!(
        class(open_arr.clone(), closed_arr.clone()),
        BreaksPublishers
    );
    assert_eq!(class(closed_arr, open_arr), BreaksConsumers);
}

#[test]
fn other_type_changes_break_both() {
    for (a, b) in [
        ("string", "float"),
        ("float", "string"),
        ("integer", "date"),
        ("string", "array<string>"),
        ("array<float>", "float"),
        ("object", "array<object>"),
        ("array<object>", "object"),
        ("date", "array<date>"),
    ] {
        assert_eq!(class(t(a), t(b)), BreaksBoth, "{a} -> {b}");
    }
}

#[test]
fn versions_must_rise_when_fields_change() {
    let a = def(2, json!([{"name": "a", "type": "string"}]));
    let same_fields_higher = def(3, json!([{"name": "a", "type": "string"}]));
    let e = evolution(&a, &same_fields_higher);
    assert!(!e.is_breaking());
    assert_eq!(e.to_string(), "version 2 -> 3: no field changes");

    let changed_same_version = def(
        2,
        json!([{"name": "a", "type": "string"}, {"name": "b", "type": "date"}]),
    );
    let e = evolution(&a, &changed_same_version);
    assert_eq!(e.class, Compatible);
    assert_eq!(e.version_step(), VersionStep::Same);
    assert!(e.is_breaking());
    let problem = e.version_problem().unwrap();
    assert!(problem.contains("raise it to 3"), "{problem}");

    let lower = def(1, json!([{"name": "a", "type": "string"}]));
    let e = evolution(&a, &lower);
    assert_eq!(e.version_step(), VersionStep::Lowered);
    assert!(e.is_breaking());
    assert!(e.to_string().contains("versions must rise"), "{e}");

    assert!(!evolution(&a, &a).is_breaking());
}
