//! Every payload rule of PROTOCOL.md section 4.

use serde_json::{json, Value};
use streamsea_schema::{SchemaDefinition, ValidationErrors, Validator};

fn validator() -> Validator {
    let def = SchemaDefinition::from_value(json!({"name": "boiler_data", "version": 2, "fields": [
        {"name": "name", "type": "string"},
        {"name": "temperature", "type": "float"},
        {"name": "pressure", "type": "integer"},
        {"name": "at", "type": "date"},
        {"name": "tags", "type": "array<string>"},
        {"name": "levels", "type": "array<float>"},
        {"name": "counts", "type": "array<integer>"},
        {"name": "times", "type": "array<date>"},
        {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
        {"name": "site", "type": "object", "fields": [
            {"name": "lat", "type": "float"},
            {"name": "address", "type": "object", "fields": [{"name": "city", "type": "string"}]}
        ]},
        {"name": "meta", "type": "object"},
        {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}, {"name": "v", "type": "float"}]}
    ]}))
    .unwrap();
    Validator::new(&def)
}

fn errors(payload: Value) -> ValidationErrors {
    let v = validator();
    let e = v.validate(&payload).unwrap_err();
    assert!(
        !v.is_valid(&payload),
        "is_valid disagrees with validate for {payload}"
    );
    e
}

/// The error paths, sorted (a report lists them in the payload's key order).
fn sorted(e: ValidationErrors) -> Vec<String> {
    let mut p: Vec<String> = e.errors.into_iter().map(|e| e.path).collect();
    p.sort();
    p
}

fn ok(payload: Value) {
    let v = validator();
    assert_eq!(v.validate(&payload), Ok(()), "{payload}");
    assert!(v.is_valid(&payload), "{payload}");
}

#[test]
fn a_full_payload_passes() {
    ok(json!({
        "name": "b1", "temperature": 91.5, "pressure": 3001, "at": "2019-01-23T10:00:00Z",
        "tags": ["a", "b"], "levels": [1, 2.5], "counts": [1, 2.0], "times": ["2020-02-29T23:59:59Z"],
        "mode": "idle", "site": {"lat": 1.0, "address": {"city": "Oslo"}}, "meta": {"anything": [1, {"x": null}]},
        "readings": [{"at": "2019-01-23T10:00:00Z", "v": 1}, {}]
    }));
}

#[test]
fn declared_fields_may_be_absent_or_null() {
    ok(json!({}));
    ok(json!({"name": null, "site": null, "readings": null, "site": {"lat": null}}));
}

#[test]
fn undeclared_keys_fail_at_every_depth() {
    let e = errors(
        json!({"temprature": 1, "site": {"lat": 1, "lon": 2, "address": {"zip": "x"}}, "readings": [{"v": 1, "w": 2}]}),
    );
    let bad = e.errors.iter().find(|e| e.path == "temprature").unwrap();
    assert!(bad.found.contains("temprature"));
    assert_eq!(
        sorted(e),
        [
            "readings[0].w",
            "site.address.zip",
            "site.lon",
            "temprature"
        ]
    );
}

#[test]
fn strings_and_floats() {
    assert_eq!(errors(json!({"name": 1})).paths(), ["name"]);
    assert_eq!(
        errors(json!({"temperature": "91"})).paths(),
        ["temperature"]
    );
    assert_eq!(
        errors(json!({"temperature": true})).paths(),
        ["temperature"]
    );
    ok(json!({"temperature": 3, "name": ""}));
}

#[test]
fn integers_accept_whole_numbers_only() {
    ok(json!({"pressure": 3}));
    ok(json!({"pressure": 3.0}));
    ok(json!({"pressure": -7}));
    ok(json!({"pressure": 18446744073709551615u64}));
    let e = errors(json!({"pressure": 3.5}));
    assert_eq!(e.errors[0].path, "pressure");
    assert!(e.errors[0].expected.starts_with("integer"));
    assert_eq!(e.errors[0].found, "number 3.5");
    assert_eq!(errors(json!({"counts": [1, 2.5]})).paths(), ["counts[1]"]);
}

#[test]
fn dates_have_exactly_one_form() {
    ok(json!({"at": "2020-02-29T00:00:00Z"}));
    ok(json!({"at": "2019-12-31T23:59:59Z"}));
    for bad in [
        "2019-02-29T10:00:00Z",
        "2019-01-23T24:00:00Z",
        "2019-01-23T10:00:00.000Z",
        "2019-01-23T10:00:00+00:00",
        "2019-01-23",
        "2019-01-23T10:00Z",
    ] {
        let e = errors(json!({"at": bad}));
        assert_eq!(e.paths(), ["at"], "{bad}");
        assert!(e.errors[0].expected.contains("YYYY-MM-DDTHH:mm:ssZ"));
        assert!(e.errors[0].found.contains(bad));
    }
    assert_eq!(errors(json!({"at": 1548237600})).paths(), ["at"]);
    assert_eq!(
        errors(json!({"times": ["2019-01-23T10:00:00Z", "2019-01-23T10:00:00"]})).paths(),
        ["times[1]"]
    );
}

#[test]
fn enums_are_case_sensitive() {
    ok(json!({"mode": "heating"}));
    let e = errors(json!({"mode": "Idle"}));
    assert_eq!(e.paths(), ["mode"]);
    assert_eq!(e.errors[0].expected, r#"one of ["idle", "heating"]"#);
    assert_eq!(errors(json!({"mode": 1})).paths(), ["mode"]);
}

#[test]
fn objects_and_open_objects() {
    assert_eq!(errors(json!({"site": [1]})).paths(), ["site"]);
    assert_eq!(
        errors(json!({"site": {"address": {"city": 5}}})).paths(),
        ["site.address.city"]
    );
    assert_eq!(errors(json!({"meta": "x"})).paths(), ["meta"]);
}

#[test]
fn arrays_reject_null_elements_and_wrong_shapes() {
    assert_eq!(errors(json!({"tags": ["a", null]})).paths(), ["tags[1]"]);
    assert_eq!(
        errors(json!({"readings": [{"v": 1}, null]})).paths(),
        ["readings[1]"]
    );
    assert_eq!(errors(json!({"tags": "a"})).paths(), ["tags"]);
    assert_eq!(
        sorted(errors(
            json!({"readings": [{"at": "x"}, {"at": "2019-01-23T10:00:00Z"}, {"at": 3}]})
        )),
        ["readings[0].at", "readings[2].at"]
    );
}

#[test]
fn every_error_is_reported_with_expected_and_found() {
    let e = errors(json!({"name": 1, "pressure": 2.5, "mode": "off", "readings": [{"at": "now"}]}));
    assert_eq!(e.errors.len(), 4);
    let text = e.to_string();
    assert!(text.starts_with("4 validation errors"), "{text}");
    assert!(text.contains("readings[0].at: expected date"), "{text}");
}

#[test]
fn payloads_must_be_objects() {
    let v = validator();
    for bad in [json!(null), json!(1), json!("x"), json!([1])] {
        let e = v.validate(&bad).unwrap_err();
        assert_eq!(e.paths(), [""]);
        assert!(e.to_string().contains("payload: expected an object"), "{e}");
    }
}

#[test]
fn batches_name_the_bad_element() {
    let v = validator();
    let batch = json!([{"pressure": 1}, {"pressure": 1.5}, {"mode": "x"}]);
    assert!(!v.is_valid_batch(&batch));
    assert_eq!(
        v.validate_batch(&batch).unwrap_err().paths(),
        ["[1].pressure", "[2].mode"]
    );
    assert!(v.is_valid_batch(&json!([{"pressure": 1}])));
    assert!(!v.is_valid_batch(&json!([])));
    assert!(v.validate_batch(&json!([])).is_err());
    assert_eq!(
        v.validate_batch(&json!([{}, 3])).unwrap_err().paths(),
        ["[1]"]
    );
    // A publish payload is either.
    assert!(v.is_valid_payload(&json!({"pressure": 1})));
    assert!(v.is_valid_payload(&json!([{"pressure": 1}])));
    assert_eq!(
        v.validate_payload(&json!([{"pressure": 0.5}]))
            .unwrap_err()
            .paths(),
        ["[0].pressure"]
    );
}

#[test]
fn reports_are_bounded() {
    let v = validator().with_error_limit(10);
    let many: Vec<Value> = (0..10_000).map(|_| json!({"pressure": 0.5})).collect();
    let e = v.validate_batch(&Value::Array(many)).unwrap_err();
    assert_eq!(e.errors.len(), 10);
    assert!(e.truncated);
    let keys: serde_json::Map<String, Value> =
        (0..1000).map(|i| (format!("k{i}"), json!(1))).collect();
    let e = v.validate(&Value::Object(keys)).unwrap_err();
    assert_eq!(e.errors.len(), 10);
}

#[test]
fn a_definition_without_fields_accepts_any_object() {
    let v =
        Validator::new(&SchemaDefinition::from_value(json!({"version": 1, "fields": []})).unwrap());
    assert!(v.is_valid(&json!({"anything": [1, 2]})));
    assert!(!v.is_valid(&json!(5)));
}
