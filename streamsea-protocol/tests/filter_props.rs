//! Property tests of the Filter DSL: the wire form round-trips, and any
//! filter evaluates against any payload without failing.

use proptest::prelude::*;
use serde_json::{json, Value};
use streamsea_protocol::filter::Filter;

fn leaf() -> impl Strategy<Value = Filter> {
    prop_oneof![
        "[a-z]{0,6}".prop_map(Filter::String),
        (-1000i32..1000).prop_map(|n| Filter::Number(f64::from(n) / 4.0)),
        any::<bool>().prop_map(Filter::Bool),
        Just(Filter::Null),
        "[a-c](\\.[a-c]|\\[[0-2]\\]){0,3}".prop_map(|p| Filter::path(&p)),
        Just(Filter::stream_name()),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    leaf().prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.eq(b)),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Filter::And),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Filter::Or),
            inner.prop_map(|x| !x),
        ]
    })
}

fn payload() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(|n| json!(n)),
        "[a-z]{0,2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-c]", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn wire_form_round_trips(f in filter()) {
        let wire = serde_json::to_string(&f).unwrap();
        let back: Filter = serde_json::from_str(&wire).unwrap();
        prop_assert_eq!(back, f);
    }

    #[test]
    fn evaluation_is_total(f in filter(), p in payload()) {
        let v = f.evaluate(&p, "s").unwrap();
        prop_assert_eq!(f.matches(&p, "s"), streamsea_protocol::filter::json_truthy(&v));
    }

    #[test]
    fn not_negates(f in filter(), p in payload()) {
        prop_assert_eq!((!f.clone()).matches(&p, "s"), !f.matches(&p, "s"));
    }
}
