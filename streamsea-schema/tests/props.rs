//! Property tests: wire round trips, generated payloads, single broken fields,
//! and arbitrary JSON against arbitrary definitions.

use proptest::prelude::*;
use serde_json::{Map, Value};
use streamsea_schema::{Field, FieldType, SchemaDefinition, Validator, Version};

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-zA-Z0-9_]{0,8}"
}

fn unique_fields(inner: BoxedStrategy<FieldType>) -> impl Strategy<Value = Vec<Field>> {
    prop::collection::btree_map(name(), inner, 0..6)
        .prop_map(|m| m.into_iter().map(|(n, t)| Field::new(n, t)).collect())
}

fn field_type() -> impl Strategy<Value = FieldType> {
    let leaf = prop_oneof![
        Just(FieldType::String),
        Just(FieldType::Float),
        Just(FieldType::Integer),
        Just(FieldType::Date),
        Just(FieldType::StringArray),
        Just(FieldType::FloatArray),
        Just(FieldType::IntegerArray),
        Just(FieldType::DateArray),
        prop::collection::btree_set("[a-zA-Z]{1,6}", 1..5)
            .prop_map(|s| FieldType::Enum(s.into_iter().collect())),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            unique_fields(inner.clone().boxed()).prop_map(FieldType::Object),
            unique_fields(inner.boxed()).prop_map(FieldType::ObjectArray),
        ]
    })
}

fn definition() -> impl Strategy<Value = SchemaDefinition> {
    (
        prop::option::of(name()),
        0u64..1000,
        unique_fields(field_type().boxed()),
    )
        .prop_map(|(name, v, fields)| SchemaDefinition {
            name,
            version: Version(v),
            fields,
        })
}

const DATES: &[&str] = &[
    "2019-01-23T10:00:00Z",
    "2020-02-29T23:59:59Z",
    "0001-01-01T00:00:00Z",
];

/// A value of type `ty`, chosen from `seed`.
fn value_for(ty: &FieldType, seed: u64) -> Value {
    let pick = |n: usize| (seed as usize) % n;
    match ty {
        FieldType::String => Value::String(format!("s{seed}")),
        FieldType::Float => serde_json::json!(seed as f64 / 7.0),
        FieldType::Integer => serde_json::json!(seed as i64 - 500),
        FieldType::Date => Value::String(DATES[pick(DATES.len())].into()),
        FieldType::Enum(values) => Value::String(values[pick(values.len())].clone()),
        FieldType::Object(fields) => object_for(fields, seed),
        _ => {
            let element = ty.element().unwrap_or(FieldType::String);
            Value::Array(
                (0..pick(3))
                    .map(|i| value_for(&element, seed / 3 + i as u64))
                    .collect(),
            )
        }
    }
}

fn object_for(fields: &[Field], seed: u64) -> Value {
    let mut m = Map::new();
    for (i, f) in fields.iter().enumerate() {
        let s = seed.wrapping_mul(31).wrapping_add(i as u64);
        match s % 5 {
            0 => {}                                           // absent
            1 => drop(m.insert(f.name.clone(), Value::Null)), // null
            _ => drop(m.insert(f.name.clone(), value_for(&f.ty, s / 5))),
        }
    }
    Value::Object(m)
}

/// A value that is never valid for `ty` (and not null).
fn wrong_for(ty: &FieldType) -> Value {
    match ty {
        FieldType::String | FieldType::Date | FieldType::Enum(_) => serde_json::json!(1.5),
        FieldType::Float | FieldType::Integer => serde_json::json!("1"),
        FieldType::Object(_) => serde_json::json!([]),
        _ => serde_json::json!({"x": 1}),
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| serde_json::json!(i)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::json!(f)),
        "[a-z0-9:TZ-]{0,22}".prop_map(Value::String),
        prop::sample::select(DATES).prop_map(|d| Value::String(d.to_string())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn definitions_survive_the_wire(def in definition()) {
        let text = serde_json::to_string(&def).unwrap();
        let back = SchemaDefinition::from_json_str(&text).unwrap();
        prop_assert_eq!(&back, &def);
        let mut shuffled = def.clone();
        shuffled.fields.reverse();
        prop_assert_eq!(&shuffled, &def);
    }

    #[test]
    fn generated_payloads_validate(def in definition(), seed in any::<u64>()) {
        let v = Validator::new(&def);
        let payload = object_for(&def.fields, seed);
        prop_assert!(v.is_valid(&payload), "{}", payload);
        prop_assert_eq!(v.validate(&payload), Ok(()));
    }

    #[test]
    fn one_broken_field_reports_exactly_its_path(def in definition(), seed in any::<u64>(), which in any::<prop::sample::Index>()) {
        prop_assume!(!def.fields.is_empty());
        let v = Validator::new(&def);
        let mut payload = object_for(&def.fields, seed);
        let field = &def.fields[which.index(def.fields.len())];
        payload.as_object_mut().unwrap().insert(field.name.clone(), wrong_for(&field.ty));
        prop_assert!(!v.is_valid(&payload));
        let errors = v.validate(&payload).unwrap_err();
        prop_assert_eq!(errors.paths(), vec![field.name.as_str()]);
    }

    #[test]
    fn arbitrary_json_never_panics(def in definition(), payload in json_value()) {
        let v = Validator::new(&def);
        let yes = v.is_valid(&payload);
        let report = v.validate(&payload);
        prop_assert_eq!(yes, report.is_ok());
        let batch = Value::Array(vec![payload.clone(), payload]);
        prop_assert_eq!(v.is_valid_batch(&batch), v.validate_batch(&batch).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The exported JSON Schema accepts and rejects what the validator does
    /// (payloads with real calendar dates; the pattern cannot see 2019-02-29).
    #[test]
    fn json_schema_export_agrees_with_the_validator(def in definition(), seed in any::<u64>(), which in any::<prop::sample::Index>(), noise in json_value()) {
        let ours = Validator::new(&def);
        let theirs = jsonschema::validator_for(&streamsea_schema::to_json_schema(&def)).unwrap();
        let good = object_for(&def.fields, seed);
        prop_assert!(theirs.is_valid(&good), "{}", good);
        if !def.fields.is_empty() {
            let mut bad = good.clone();
            let field = &def.fields[which.index(def.fields.len())];
            bad.as_object_mut().unwrap().insert(field.name.clone(), wrong_for(&field.ty));
            prop_assert!(!theirs.is_valid(&bad), "{}", bad);
        }
        let noise_has_fake_dates = noise.to_string().contains('T');
        if !noise_has_fake_dates {
            prop_assert_eq!(ours.is_valid(&noise), theirs.is_valid(&noise), "{}", noise);
        }
    }
}
