//! Generators for field values: mostly valid, sometimes not, so that both
//! the valid path and the error reports are exercised.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use streamsea_schema::Date;

const MIN_SECS: i64 = -62_167_219_200;
const MAX_SECS: i64 = 253_402_300_799;

/// A finite float (a field that holds NaN is written `null`, which reads
/// back as absent, not as NaN).
pub fn finite() -> BoxedStrategy<f64> {
    any::<f64>()
        .prop_filter("finite", |f| f.is_finite())
        .boxed()
}

/// Any float, NaN and infinities now and then (for arrays, where serde's
/// `null` is an error).
pub fn float() -> BoxedStrategy<f64> {
    prop_oneof![
        12 => finite(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
    ]
    .boxed()
}

/// The same for `f32`.
pub fn float32() -> BoxedStrategy<f32> {
    prop_oneof![
        12 => any::<f32>().prop_filter("finite", |f| f.is_finite()),
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
    ]
    .boxed()
}

/// A finite `f32`.
pub fn finite32() -> BoxedStrategy<f32> {
    any::<f32>()
        .prop_filter("finite", |f| f.is_finite())
        .boxed()
}

/// Short text.
pub fn text() -> BoxedStrategy<String> {
    "[a-zA-Z0-9 ]{0,8}".boxed()
}

/// A stream-sea date.
pub fn date() -> BoxedStrategy<Date> {
    (MIN_SECS..=MAX_SECS)
        .prop_map(|s| Date::from_unix(s).unwrap())
        .boxed()
}

/// Text that is mostly a valid date.
pub fn date_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => date().prop_map(|d| d.to_string()),
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
        1 => ".{0,24}",
    ]
    .boxed()
}

/// A chrono timestamp: mostly whole seconds in years 0000..=9999, sometimes
/// with a fraction, a leap second, or a year outside the date form.
pub fn timestamp() -> BoxedStrategy<DateTime<Utc>> {
    let nanos = prop_oneof![
        Just(0u32),
        (1u32..1000).prop_map(|n| n * 1_000_000),
        0u32..1_000_000_000,
    ];
    prop_oneof![
        6 => date().prop_map(DateTime::from),
        2 => (MIN_SECS..=MAX_SECS, nanos.clone())
            .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap()),
        1 => (MIN_SECS..=MAX_SECS, 1_000_000_000u32..2_000_000_000)
            .prop_map(|(s, n)| DateTime::from_timestamp(s - s.rem_euclid(60) + 59, n).unwrap()),
        1 => (
            DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
            nanos,
        )
            .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap()),
    ]
    .boxed()
}

/// One of `values`, or now and then something else.
pub fn choice(values: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        5 => prop::sample::select(values).prop_map(str::to_owned),
        1 => "[a-z]{0,6}",
    ]
    .boxed()
}

/// Up to `n` elements.
pub fn list<T: std::fmt::Debug>(
    element: impl Strategy<Value = T> + 'static,
    n: usize,
) -> BoxedStrategy<Vec<T>> {
    prop::collection::vec(element, 0..=n).boxed()
}

/// `Some` most of the time.
pub fn some<T: std::fmt::Debug>(
    inner: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop::option::weighted(0.75, inner).boxed()
}

/// A chrono timestamp in whole seconds, now and then outside years
/// 0000..=9999 (which the date form cannot write).
pub fn whole_timestamp() -> BoxedStrategy<DateTime<Utc>> {
    prop_oneof![
        8 => date().prop_map(DateTime::from),
        1 => (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
    ]
    .boxed()
}

/// Text that is mostly not a date.
pub fn bad_date_text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => date().prop_map(|d| d.to_string()),
        4 => "[a-z]{0,4}",
    ]
    .boxed()
}
