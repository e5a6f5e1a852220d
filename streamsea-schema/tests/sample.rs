//! Sample payloads on random definitions (all eleven types, nesting to the
//! depth limit): valid samples pass the validator, each invalid sample fails
//! with exactly its announced path, and a seed fixes the samples.

use proptest::prelude::*;
use serde_json::{json, Value};
use streamsea_schema::sample::{strategy, SampleOptions, Sampler};
use streamsea_schema::{Field, FieldType, SchemaDefinition, Validator, Version, MAX_DEPTH};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-zA-Z0-9_]{0,8}",
        // Names a path renders unusually, and non-ASCII ones.
        Just("a.b".to_string()),
        Just("Ünï".to_string()),
        Just("x".to_string()),
    ]
}

fn fields(inner: BoxedStrategy<FieldType>) -> impl Strategy<Value = Vec<Field>> {
    prop::collection::btree_map(name(), inner, 0..5)
        .prop_map(|m| m.into_iter().map(|(n, t)| Field::new(n, t)).collect())
}

fn leaf() -> impl Strategy<Value = FieldType> {
    prop_oneof![
        Just(FieldType::String),
        Just(FieldType::Float),
        Just(FieldType::Integer),
        Just(FieldType::Date),
        Just(FieldType::StringArray),
        Just(FieldType::FloatArray),
        Just(FieldType::IntegerArray),
        Just(FieldType::DateArray),
        prop::collection::vec("[a-zA-Z ]{0,5}", 0..4).prop_map(FieldType::Enum),
        Just(FieldType::Enum(vec![
            "2024-01-01T00:00:00Z".into(),
            "idle".into()
        ])),
    ]
}

fn field_type() -> impl Strategy<Value = FieldType> {
    leaf().prop_recursive(5, 40, 5, |inner| {
        prop_oneof![
            fields(inner.clone().boxed()).prop_map(FieldType::Object),
            fields(inner.boxed()).prop_map(FieldType::ObjectArray),
        ]
    })
}

/// A chain of objects and arrays of objects whose deepest fields are
/// `depth` levels down: a field of every type at the bottom (no objects at
/// the depth limit).
fn chain(depth: usize, arrays: u64) -> Vec<Field> {
    let mut fields: Vec<Field> = [
        FieldType::String,
        FieldType::Float,
        FieldType::Integer,
        FieldType::Date,
        FieldType::StringArray,
        FieldType::FloatArray,
        FieldType::IntegerArray,
        FieldType::DateArray,
        FieldType::Enum(vec!["a".into(), "b".into()]),
        FieldType::Object(vec![]),
        FieldType::ObjectArray(vec![]),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, t)| Field::new(format!("f{i}"), t))
    // A field at the deepest level cannot be an object.
    .filter(|f| depth < MAX_DEPTH || f.ty.nested_fields().is_none())
    .collect();
    for level in 1..depth {
        let ty = if arrays >> (level % 64) & 1 == 1 {
            FieldType::ObjectArray(fields)
        } else {
            FieldType::Object(fields)
        };
        fields = vec![
            Field::new(format!("n{level}"), ty),
            Field::new("s", FieldType::String),
        ];
    }
    fields
}

fn definition() -> impl Strategy<Value = SchemaDefinition> {
    prop_oneof![
        4 => fields(field_type().boxed()),
        1 => (1..=MAX_DEPTH, any::<u64>()).prop_map(|(d, a)| chain(d, a)),
    ]
    .prop_map(|fields| SchemaDefinition {
        name: Some("s".into()),
        version: Version(1),
        fields,
    })
}

/// A definition through its wire JSON: what the server and CLI would read.
fn reparsed(def: &SchemaDefinition) -> SchemaDefinition {
    SchemaDefinition::from_value(def.to_value()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn valid_samples_pass_and_invalid_ones_fail_exactly_where_announced(
        def in definition(), seed in any::<u64>()
    ) {
        let def = reparsed(&def);
        let validator = Validator::new(&def);
        for options in [SampleOptions::default(), SampleOptions::typed()] {
            let mut sampler = Sampler::with_options(&def, seed, options);
            for _ in 0..8 {
                let valid = sampler.valid();
                if let Err(e) = validator.validate(&valid) {
                    prop_assert!(false, "valid sample {valid} fails: {e}");
                }
                let bad = sampler.invalid();
                let errors = validator.validate(&bad.payload);
                prop_assert!(errors.is_err(), "invalid sample {} passes ({})", bad.payload, bad.mistake);
                let errors = errors.unwrap_err();
                prop_assert_eq!(errors.paths(), vec![bad.path.as_str()],
                    "{} ({}): {}", bad.payload, bad.mistake, errors);
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_samples(def in definition(), seed in any::<u64>()) {
        let run = |seed| {
            let mut s = Sampler::new(&def, seed);
            (0..4).map(|_| (s.valid(), s.invalid())).collect::<Vec<_>>()
        };
        prop_assert_eq!(run(seed), run(seed));
    }

    #[test]
    fn strategies_give_valid_and_invalid_payloads(
        (def, valid, invalid) in definition().prop_flat_map(|d| {
            let v = strategy::payloads_for(&d);
            let i = strategy::invalid_payloads_for(&d);
            (Just(d), v, i)
        })
    ) {
        let validator = Validator::new(&def);
        prop_assert!(validator.is_valid(&valid));
        let errors = validator.validate(&invalid.payload).unwrap_err();
        prop_assert_eq!(errors.paths(), vec![invalid.path.as_str()]);
    }
}

#[test]
fn samples_reach_the_depth_limit() {
    let def = SchemaDefinition::new("s", 1, chain(MAX_DEPTH, 0));
    let def = reparsed(&def);
    let mut sampler = Sampler::with_options(&def, 3, SampleOptions::typed());
    let mut v = &sampler.valid();
    let mut depth = 1;
    for level in (1..MAX_DEPTH).rev() {
        v = &v[format!("n{level}")];
        depth += 1;
    }
    assert_eq!(depth, MAX_DEPTH);
    assert!(v["f3"].is_string(), "{v}");
}

#[test]
fn samples_cover_every_rule_of_the_wire() {
    // Across seeds: absent and null fields, integral floats for integers,
    // keys in objects without declared fields, empty and full arrays.
    let def = SchemaDefinition::new("s", 1, chain(1, 0));
    let mut sampler = Sampler::new(&def, 11);
    let (mut absent, mut null, mut integral, mut open_keys, mut empty, mut full) =
        (false, false, false, false, false, false);
    for _ in 0..500 {
        let v = sampler.valid();
        absent |= v.get("f0").is_none();
        null |= v.get("f0") == Some(&Value::Null);
        integral |= v["f2"]
            .as_f64()
            .is_some_and(|f| v["f2"].is_f64() && f.fract() == 0.0);
        open_keys |= v["f9"].as_object().is_some_and(|o| !o.is_empty());
        empty |= v["f4"].as_array().is_some_and(|a| a.is_empty());
        full |= v["f4"].as_array().is_some_and(|a| a.len() == 3);
    }
    assert!(absent && null && integral && open_keys && empty && full);
    // Typed samples hold every field, never null.
    let mut typed = Sampler::with_options(&def, 11, SampleOptions::typed());
    for _ in 0..50 {
        let v = typed.valid();
        for f in &def.fields {
            assert!(v.get(&f.name).is_some_and(|x| !x.is_null()), "{v}");
        }
        assert!((0..=100).contains(&v["f2"].as_i64().unwrap()));
    }
}

#[test]
fn a_definition_without_fields_has_only_non_objects_as_invalid_payloads() {
    let def = SchemaDefinition::new("s", 1, vec![]);
    let bad = Sampler::new(&def, 1).invalid();
    assert_eq!(bad.payload, Value::Null);
    assert_eq!(bad.path, "");
    assert!(Validator::new(&def).validate(&bad.payload).is_err());
}

#[test]
fn mistakes_are_near_misses() {
    let def = SchemaDefinition::from_value(json!({"version": 1, "fields": [
        {"name": "temperature", "type": "float"}
    ]}))
    .unwrap();
    let mut sampler = Sampler::new(&def, 5);
    let mut keys = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let bad = sampler.invalid();
        if bad.mistake.starts_with("undeclared key") {
            keys.insert(bad.path);
        }
    }
    // Misspellings of the declared name.
    assert!(keys.contains("Temperature"), "{keys:?}");
    assert!(
        keys.iter().any(|k| k.len() == "temperature".len() - 1),
        "{keys:?}"
    );
}

fn count_values(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_values).sum(),
        Value::Object(o) => o.values().map(count_values).sum(),
        _ => 0,
    }
}

#[test]
fn samples_stay_small_whatever_the_options() {
    // Arrays of arrays of objects, four deep, and no limit on array length.
    let def = SchemaDefinition::new("s", 1, chain(4, u64::MAX));
    for typed in [false, true] {
        let options = SampleOptions {
            max_array_len: usize::MAX,
            max_values: 50,
            typed,
        };
        let mut sampler = Sampler::with_options(&def, 9, options);
        for _ in 0..50 {
            let n = count_values(&sampler.valid());
            assert!(n < 400, "{n} values");
            let n = count_values(&sampler.invalid().payload);
            assert!(n < 400, "{n} values");
        }
    }
}
