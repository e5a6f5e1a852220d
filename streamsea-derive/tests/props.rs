//! Property tests: for arbitrary values of derived types, the JSON serde
//! writes passes the validator compiled from the derived definition whenever
//! the value's own `validate()` passes, both report the same errors
//! otherwise, and the JSON reads back as an equal value.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use streamsea_derive::StreamSchema;
use streamsea_schema::{Date, SchemaObject, StreamSchema, ValidationError, Validator};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
enum Mode {
    Idle,
    Heating,
    HotWater,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Reading {
    at: Date,
    taken_at: DateTime<Utc>,
    value: f64,
    #[stream_schema(date)]
    logged_at: String,
    #[stream_schema(one_of = ["ok", "suspect"])]
    quality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Site {
    name: String,
    lat: f64,
    lon: f64,
    #[stream_schema(date)]
    opened: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Meta {
    source_id: String,
    #[stream_schema(date)]
    sent_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
struct BoilerData {
    temperature: f64,
    pressure: i64,
    counter: u64,
    measured_at: Date,
    mode: Mode,
    tags: Vec<String>,
    readings: Vec<Reading>,
    site: Option<Site>,
    #[stream_schema(date)]
    serviced: Vec<String>,
    #[stream_schema(one_of = ["gas", "oil"])]
    fuel: String,
    calibrated: Vec<DateTime<Utc>>,
    #[serde(flatten)]
    meta: Meta,
    #[serde(skip)]
    local_note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "UPPERCASE")]
enum MoveKind {
    Arrival,
    Departure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Move {
    kind: MoveKind,
    at: Date,
    berth: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "port_calls", version = 1)]
#[serde(rename_all = "PascalCase")]
struct PortCall {
    vessel_imo: u32,
    eta: Date,
    ata: Option<Date>,
    moves: Vec<Move>,
    draught: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "pages", version = 1)]
struct Page<T> {
    items: Vec<T>,
    total: u64,
}

fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
}

fn date() -> impl Strategy<Value = Date> {
    (-62_167_219_200i64..=253_402_300_799).prop_map(|s| Date::from_unix(s).unwrap())
}

/// Mostly real dates, sometimes text that only looks like one, sometimes
/// anything.
fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => date().prop_map(|d| d.to_string()),
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
        1 => ".{0,24}",
    ]
}

/// A chrono timestamp that serde writes as a stream-sea date: whole seconds
/// in years 0000..=9999.
fn whole_timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    date().prop_map(DateTime::from)
}

/// Any chrono timestamp: with a fraction of a second (at every precision
/// chrono writes), a leap second, or a year chrono writes with a sign.
fn timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    let in_range = -62_167_219_200i64..=253_402_300_799;
    let nanos = prop_oneof![
        Just(0u32),
        (1u32..1000).prop_map(|n| n * 1_000_000),
        (1u32..1_000_000).prop_map(|n| n * 1000),
        0u32..1_000_000_000,
    ];
    prop_oneof![
        4 => whole_timestamp(),
        3 => (in_range.clone(), nanos.clone())
            .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap()),
        1 => (in_range, 1_000_000_000u32..2_000_000_000)
            .prop_map(|(s, n)| DateTime::from_timestamp(s - s.rem_euclid(60) + 59, n).unwrap()),
        1 => (
            DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
            nanos,
        )
            .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap()),
    ]
}

fn valid_date_text() -> impl Strategy<Value = String> {
    date().prop_map(|d| d.to_string())
}

fn choice(values: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(values).prop_map(str::to_owned),
        1 => "[a-z]{0,6}",
    ]
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Idle), Just(Mode::Heating), Just(Mode::HotWater)]
}

fn reading(
    dates: BoxedStrategy<String>,
    timestamps: BoxedStrategy<DateTime<Utc>>,
    quality: BoxedStrategy<String>,
) -> impl Strategy<Value = Reading> {
    (
        date(),
        timestamps,
        finite(),
        dates,
        prop::option::of(quality),
    )
        .prop_map(|(at, taken_at, value, logged_at, quality)| Reading {
            at,
            taken_at,
            value,
            logged_at,
            quality,
        })
}

fn boiler(valid: bool) -> impl Strategy<Value = BoilerData> {
    let dates = || -> BoxedStrategy<String> {
        if valid {
            valid_date_text().boxed()
        } else {
            date_text().boxed()
        }
    };
    let timestamps = || -> BoxedStrategy<DateTime<Utc>> {
        if valid {
            whole_timestamp().boxed()
        } else {
            timestamp().boxed()
        }
    };
    let pick = move |values: &'static [&'static str]| -> BoxedStrategy<String> {
        if valid {
            prop::sample::select(values).prop_map(str::to_owned).boxed()
        } else {
            choice(values).boxed()
        }
    };
    let site = (
        any::<String>(),
        finite(),
        finite(),
        prop::option::of(dates()),
    )
        .prop_map(|(name, lat, lon, opened)| Site {
            name,
            lat,
            lon,
            opened,
        });
    let numbers = (finite(), any::<i64>(), any::<u64>(), date(), mode());
    let lists = (
        prop::collection::vec(any::<String>(), 0..4),
        prop::collection::vec(
            reading(dates(), timestamps(), pick(&["ok", "suspect"])),
            0..4,
        ),
        prop::option::of(site),
        prop::collection::vec(dates(), 0..4),
    );
    let rest = (
        pick(&["gas", "oil"]),
        prop::collection::vec(timestamps(), 0..4),
        any::<String>(),
        dates(),
        any::<String>(),
    );
    (numbers, lists, rest).prop_map(
        |(
            (temperature, pressure, counter, measured_at, mode),
            (tags, readings, site, serviced),
            (fuel, calibrated, source_id, sent_at, local_note),
        )| BoilerData {
            temperature,
            pressure,
            counter,
            measured_at,
            mode,
            tags,
            readings,
            site,
            serviced,
            fuel,
            calibrated,
            meta: Meta { source_id, sent_at },
            local_note,
        },
    )
}

fn port_call() -> impl Strategy<Value = PortCall> {
    let kind = prop_oneof![Just(MoveKind::Arrival), Just(MoveKind::Departure)];
    let mv = (kind, date(), prop::option::of("[A-Z][0-9]{1,2}"))
        .prop_map(|(kind, at, berth)| Move { kind, at, berth });
    (
        any::<u32>(),
        date(),
        prop::option::of(date()),
        prop::collection::vec(mv, 0..5),
        prop::option::of(any::<f32>().prop_filter("finite", |f| f.is_finite())),
    )
        .prop_map(|(vessel_imo, eta, ata, moves, draught)| PortCall {
            vessel_imo,
            eta,
            ata,
            moves,
            draught,
        })
}

fn sorted(mut errors: Vec<ValidationError>) -> Vec<ValidationError> {
    errors.sort_by(|a, b| (&a.path, &a.expected, &a.found).cmp(&(&b.path, &b.expected, &b.found)));
    errors
}

/// The three properties, for one value.
fn check<T>(value: &T, must_be_valid: bool)
where
    T: StreamSchema + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let validator = Validator::new(&T::definition());
    let json = serde_json::to_value(value).unwrap();
    let derived = value.validate();
    let compiled = validator.validate(&json);
    if must_be_valid {
        assert_eq!(derived, Ok(()), "{json}");
    }
    assert_eq!(validator.is_valid(&json), derived.is_ok(), "{json}");
    match (derived, compiled) {
        (Ok(()), Ok(())) => {}
        (Err(a), Err(b)) => assert_eq!(sorted(a.errors), sorted(b.errors), "{json}"),
        (a, b) => panic!("validate() says {a:?}, the validator says {b:?}, for {json}"),
    }
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value);
    let back: T = serde_json::from_value(json).unwrap();
    assert_eq!(&back, value);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_boiler_data_passes_everywhere(mut b in boiler(true)) {
        b.local_note = String::new();
        check(&b, true);
    }

    #[test]
    fn boiler_data_validate_agrees_with_the_validator(mut b in boiler(false)) {
        b.local_note = String::new();
        check(&b, false);
    }

    #[test]
    fn port_calls_always_pass(p in port_call()) {
        check(&p, true);
    }

    #[test]
    fn generic_pages_agree(items in prop::collection::vec(reading(date_text().boxed(), timestamp().boxed(), choice(&["ok", "suspect"]).boxed()), 0..6), total in any::<u64>()) {
        check(&Page { items, total }, false);
    }

    #[test]
    fn pages_of_plain_values_always_pass(items in prop::collection::vec(date(), 0..6), total in any::<u64>()) {
        check(&Page { items, total }, true);
        prop_assert_eq!(
            <Page<Date> as SchemaObject>::fields()[0].ty.clone(),
            streamsea_schema::FieldType::DateArray
        );
    }
}
