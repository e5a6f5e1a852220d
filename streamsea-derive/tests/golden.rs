//! Golden tests: the definition each derived type gives, as wire JSON, and a
//! check that it declares exactly the keys serde writes for a full value.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::net::IpAddr;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use streamsea_derive::StreamSchema;
use streamsea_schema::{
    ArrayElement, Date, Field, FieldType, SchemaDefinition, SchemaObject, SchemaType, StreamSchema,
    Validator,
};

/// The fields of `T` equal `expected` (a wire `fields` list), in any order.
fn assert_fields<T: SchemaObject>(expected: Value) {
    let expected = SchemaDefinition::from_value(json!({"version": 1, "fields": expected})).unwrap();
    let got = SchemaDefinition {
        name: None,
        version: expected.version,
        fields: T::fields(),
    };
    assert_eq!(
        got,
        expected,
        "\n got: {}\nwant: {}",
        got.sorted().to_value(),
        expected.sorted().to_value()
    );
}

/// The definition of payload `T` equals `expected` (wire JSON), in any order.
fn assert_definition<T: StreamSchema>(expected: Value) {
    let expected = SchemaDefinition::from_value(expected).unwrap();
    let got = T::definition();
    assert_eq!(
        got,
        expected,
        "\n got: {}\nwant: {}",
        got.sorted().to_value(),
        expected.sorted().to_value()
    );
    // The wire JSON reads back as the same definition.
    assert_eq!(SchemaDefinition::from_value(got.to_value()).unwrap(), got);
}

/// Every key serde writes for `value` is declared, every declared field is
/// written (the value has every option set), and the JSON passes the
/// validator of the definition.
fn assert_matches_serde<T: Serialize + SchemaObject>(value: &T) {
    let json = serde_json::to_value(value).unwrap();
    let fields = T::fields();
    same_keys(&json, &fields, "");
    Validator::for_fields(&fields).validate(&json).unwrap();
    let mut report = streamsea_schema::Report::default();
    value.check(&streamsea_schema::Path::ROOT, &mut report);
    assert!(report.is_empty());
}

fn same_keys(json: &Value, fields: &[Field], at: &str) {
    let Value::Object(map) = json else {
        panic!("{at}: expected an object, found {json}");
    };
    let written: BTreeSet<&str> = map.keys().map(String::as_str).collect();
    let declared: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(written, declared, "keys at {at:?}");
    for f in fields {
        match (&f.ty, &map[&f.name]) {
            (FieldType::Object(nested), v) if !nested.is_empty() => {
                same_keys(v, nested, &format!("{at}.{}", f.name))
            }
            (FieldType::ObjectArray(nested), Value::Array(items)) if !nested.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    same_keys(v, nested, &format!("{at}.{}[{i}]", f.name));
                }
            }
            _ => {}
        }
    }
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

// 1. BoilerData: every field type.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Idle,
    Heating,
    #[serde(rename = "hot-water")]
    HotWater,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Reading {
    at: Date,
    value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Site {
    name: String,
    lat: f64,
    lon: f64,
}

type Celsius = f64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
struct BoilerData {
    temperature: Celsius,
    pressure: i64,
    measured_at: Date,
    mode: Mode,
    tags: Vec<String>,
    readings: Vec<Reading>,
    site: Option<Site>,
    samples: Vec<f64>,
    counts: ::std::vec::Vec<u32>,
    checkpoints: Vec<Date>,
    #[serde(with = "streamsea_schema::date::chrono_utc")]
    #[stream_schema(type = "date")]
    started: DateTime<Utc>,
    #[stream_schema(date)]
    serviced_at: String,
    #[stream_schema(one_of = ["gas", "oil", "electric"])]
    fuel: String,
    serial: std::string::String,
    note: Box<str>,
    level: u8,
}

fn boiler() -> BoilerData {
    BoilerData {
        temperature: 71.5,
        pressure: 2,
        measured_at: date("2024-05-01T12:00:00Z"),
        mode: Mode::HotWater,
        tags: vec!["basement".into()],
        readings: vec![Reading {
            at: date("2024-05-01T11:59:00Z"),
            value: 70.25,
        }],
        site: Some(Site {
            name: "Dock 4".into(),
            lat: 51.9,
            lon: 4.1,
        }),
        samples: vec![1.5],
        counts: vec![3],
        checkpoints: vec![date("2024-04-30T00:00:00Z")],
        started: Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
        serviced_at: "2024-03-01T08:00:00Z".into(),
        fuel: "gas".into(),
        serial: "B-17".into(),
        note: "ok".into(),
        level: 3,
    }
}

#[test]
fn boiler_data_has_every_field_type() {
    assert_definition::<BoilerData>(json!({"name": "boiler_data", "version": 2, "fields": [
        {"name": "temperature", "type": "float"},
        {"name": "pressure", "type": "integer"},
        {"name": "measuredAt", "type": "date"},
        {"name": "mode", "type": "enum", "enum": ["idle", "heating", "hot-water"]},
        {"name": "tags", "type": "array<string>"},
        {"name": "readings", "type": "array<object>", "fields": [
            {"name": "at", "type": "date"}, {"name": "value", "type": "float"}]},
        {"name": "site", "type": "object", "fields": [
            {"name": "name", "type": "string"}, {"name": "lat", "type": "float"},
            {"name": "lon", "type": "float"}]},
        {"name": "samples", "type": "array<float>"},
        {"name": "counts", "type": "array<integer>"},
        {"name": "checkpoints", "type": "array<date>"},
        {"name": "started", "type": "date"},
        {"name": "servicedAt", "type": "date"},
        {"name": "fuel", "type": "enum", "enum": ["gas", "oil", "electric"]},
        {"name": "serial", "type": "string"},
        {"name": "note", "type": "string"},
        {"name": "level", "type": "integer"}
    ]}));
    assert_eq!(BoilerData::stream_name(), "boiler_data");
    assert_eq!(BoilerData::version().0, 2);
    assert_matches_serde(&boiler());
}

// 2. A port-call record with nested moves.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum MoveKind {
    Arrival,
    Departure,
    Shift,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Vessel {
    imo: u32,
    name: String,
    call_sign: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Move {
    kind: MoveKind,
    at: Date,
    from_berth: Option<String>,
    to_berth: Option<String>,
    tugs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "portCall_test2", version = 1)]
#[serde(rename_all = "camelCase")]
struct PortCall {
    vessel: Vessel,
    port_code: String,
    eta: Date,
    ata: Option<Date>,
    moves: Vec<Move>,
}

#[test]
fn port_call_nests_objects_and_arrays_of_objects() {
    assert_definition::<PortCall>(json!({"name": "portCall_test2", "version": 1, "fields": [
        {"name": "vessel", "type": "object", "fields": [
            {"name": "imo", "type": "integer"}, {"name": "name", "type": "string"},
            {"name": "callSign", "type": "string"}]},
        {"name": "portCode", "type": "string"},
        {"name": "eta", "type": "date"},
        {"name": "ata", "type": "date"},
        {"name": "moves", "type": "array<object>", "fields": [
            {"name": "kind", "type": "enum", "enum": ["ARRIVAL", "DEPARTURE", "SHIFT"]},
            {"name": "at", "type": "date"},
            {"name": "fromBerth", "type": "string"},
            {"name": "toBerth", "type": "string"},
            {"name": "tugs", "type": "array<string>"}]}
    ]}));
    assert_matches_serde(&PortCall {
        vessel: Vessel {
            imo: 9_321_483,
            name: "Ever Given".into(),
            call_sign: Some("H3RC".into()),
        },
        port_code: "NLRTM".into(),
        eta: date("2024-05-01T06:00:00Z"),
        ata: Some(date("2024-05-01T06:30:00Z")),
        moves: vec![Move {
            kind: MoveKind::Shift,
            at: date("2024-05-01T07:00:00Z"),
            from_berth: Some("A1".into()),
            to_berth: Some("B2".into()),
            tugs: vec!["Smit 1".into()],
        }],
    });
}

// 3. Renames of every kind.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "kebab-case")]
enum Priority {
    VeryLow,
    Normal,
    #[serde(rename = "URGENT!")]
    Urgent,
    #[serde(skip)]
    #[allow(dead_code)]
    Internal,
    #[serde(skip_deserializing)]
    #[allow(dead_code)]
    Legacy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "alerts", version = 3)]
#[serde(rename_all = "PascalCase")]
struct Alert {
    alert_id: String,
    #[serde(rename = "msg")]
    message_text: String,
    #[serde(rename(serialize = "lvl", deserialize = "lvl"))]
    priority: Priority,
    r#type: String,
    #[serde(alias = "raisedAt")]
    raised_at: Date,
}

#[test]
fn renames_follow_serde() {
    assert_definition::<Alert>(json!({"name": "alerts", "version": 3, "fields": [
        {"name": "AlertId", "type": "string"},
        {"name": "msg", "type": "string"},
        {"name": "lvl", "type": "enum", "enum": ["very-low", "normal", "URGENT!", "legacy"]},
        {"name": "Type", "type": "string"},
        {"name": "RaisedAt", "type": "date"}
    ]}));
    assert_matches_serde(&Alert {
        alert_id: "a1".into(),
        message_text: "boiler cold".into(),
        priority: Priority::VeryLow,
        r#type: "temperature".into(),
        raised_at: date("2024-05-01T12:00:00Z"),
    });
}

// 4. Flattened structs, plain and optional.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Meta {
    source_id: String,
    #[stream_schema(date)]
    sent_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Trace {
    trace_id: String,
    hops: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "envelopes", version = 1)]
struct Envelope {
    id: String,
    #[serde(flatten)]
    meta: Meta,
    #[serde(flatten)]
    trace: Option<Trace>,
    body: Site,
}

#[test]
fn flattened_fields_join_the_outer_struct() {
    assert_definition::<Envelope>(json!({"name": "envelopes", "version": 1, "fields": [
        {"name": "id", "type": "string"},
        {"name": "sourceId", "type": "string"},
        {"name": "sentAt", "type": "date"},
        {"name": "trace_id", "type": "string"},
        {"name": "hops", "type": "array<string>"},
        {"name": "body", "type": "object", "fields": [
            {"name": "name", "type": "string"}, {"name": "lat", "type": "float"},
            {"name": "lon", "type": "float"}]}
    ]}));
    let mut e = Envelope {
        id: "e1".into(),
        meta: Meta {
            source_id: "s".into(),
            sent_at: "2024-05-01T12:00:00Z".into(),
        },
        trace: Some(Trace {
            trace_id: "t".into(),
            hops: vec!["a".into()],
        }),
        body: Site {
            name: "x".into(),
            lat: 1.0,
            lon: 2.0,
        },
    };
    assert_matches_serde(&e);
    // A flattened field is checked at the level it is written at.
    e.meta.sent_at = "now".into();
    assert_eq!(e.validate().unwrap_err().paths(), ["sentAt"]);
}

#[derive(Debug, Serialize, StreamSchema)]
#[serde(tag = "kind")]
struct Audit {
    #[serde(rename = "id")]
    audit_id: u64,
}

#[derive(Debug, Serialize, StreamSchema)]
struct Clashing {
    id: String,
    #[serde(flatten)]
    trace: Trace,
    #[serde(flatten)]
    audit: Option<Audit>,
}

#[derive(Debug, Serialize, StreamSchema)]
struct TagClash {
    kind: String,
    #[serde(flatten)]
    audit: Audit,
}

#[test]
#[should_panic(expected = "the schema of `Clashing` has two fields named \"id\"")]
fn a_flattened_field_named_like_an_outer_one_panics_naming_both() {
    let value = Clashing {
        id: "c1".into(),
        trace: Trace {
            trace_id: "t".into(),
            hops: vec![],
        },
        audit: Some(Audit { audit_id: 7 }),
    };
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"id":"c1","trace_id":"t","hops":[],"kind":"Audit","id":7}"#
    );
    let _ = Clashing::fields();
}

#[test]
#[should_panic(expected = "the schema of `TagClash` has two fields named \"kind\"")]
fn a_flattened_struct_s_tag_counts_as_a_field() {
    let _ = TagClash::fields();
}

/// What the compile error for `Vec<Vec<i32>>` suggests instead.
#[derive(Debug, Serialize, StreamSchema)]
struct Row {
    cells: Vec<i32>,
}

#[derive(Debug, Serialize, StreamSchema)]
struct Grid {
    rows: Vec<Row>,
}

#[test]
fn an_array_of_arrays_is_an_array_of_objects_with_an_array_field() {
    assert_fields::<Grid>(json!([
        {"name": "rows", "type": "array<object>", "fields": [
            {"name": "cells", "type": "array<integer>"}]}
    ]));
    assert_matches_serde(&Grid {
        rows: vec![Row { cells: vec![1, 2] }],
    });
}

// 5. Generic types.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Page<T> {
    items: Vec<T>,
    total: u64,
    next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Labelled<T, U> {
    value: T,
    label: U,
    #[serde(skip)]
    _unused: std::marker::PhantomData<fn() -> Site>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "reading_pages", version = 1)]
struct ReadingPage {
    page: Page<Reading>,
    mean: Labelled<f64, String>,
    modes: Page<Date>,
}

#[test]
fn generic_types_take_their_parameters_schemas() {
    assert_fields::<Page<Reading>>(json!([
        {"name": "items", "type": "array<object>", "fields": [
            {"name": "at", "type": "date"}, {"name": "value", "type": "float"}]},
        {"name": "total", "type": "integer"},
        {"name": "next", "type": "string"}
    ]));
    assert_eq!(
        <Page<i32> as SchemaObject>::fields()[0].ty,
        FieldType::IntegerArray
    );
    assert_eq!(
        <Labelled<Mode, Vec<String>> as SchemaObject>::fields(),
        vec![
            Field::new("value", Mode::field_type()),
            Field::new("label", FieldType::StringArray)
        ]
    );
    assert_definition::<ReadingPage>(json!({"name": "reading_pages", "version": 1, "fields": [
        {"name": "page", "type": "object", "fields": [
            {"name": "items", "type": "array<object>", "fields": [
                {"name": "at", "type": "date"}, {"name": "value", "type": "float"}]},
            {"name": "total", "type": "integer"},
            {"name": "next", "type": "string"}]},
        {"name": "mean", "type": "object", "fields": [
            {"name": "value", "type": "float"}, {"name": "label", "type": "string"}]},
        {"name": "modes", "type": "object", "fields": [
            {"name": "items", "type": "array<date>"},
            {"name": "total", "type": "integer"},
            {"name": "next", "type": "string"}]}
    ]}));
}

// 6. Optional everywhere.

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "sparse", version = 7)]
#[serde(default)]
struct Sparse {
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<String>,
    b: Option<i64>,
    c: Option<Vec<Reading>>,
    d: Option<Box<Site>>,
    #[stream_schema(date)]
    e: Option<String>,
    #[stream_schema(one_of = ["x", "y"])]
    f: Option<String>,
    g: Option<Mode>,
    h: Option<Vec<Date>>,
}

#[test]
fn options_take_the_inner_type() {
    assert_definition::<Sparse>(json!({"name": "sparse", "version": 7, "fields": [
        {"name": "a", "type": "string"},
        {"name": "b", "type": "integer"},
        {"name": "c", "type": "array<object>", "fields": [
            {"name": "at", "type": "date"}, {"name": "value", "type": "float"}]},
        {"name": "d", "type": "object", "fields": [
            {"name": "name", "type": "string"}, {"name": "lat", "type": "float"},
            {"name": "lon", "type": "float"}]},
        {"name": "e", "type": "date"},
        {"name": "f", "type": "enum", "enum": ["x", "y"]},
        {"name": "g", "type": "enum", "enum": ["idle", "heating", "hot-water"]},
        {"name": "h", "type": "array<date>"}
    ]}));
    assert!(<Option<Site>>::is_optional());
    // All absent: valid, and serde writes nulls (or nothing) that the validator accepts.
    let empty = Sparse::default();
    assert!(empty.validate().is_ok());
    let json = serde_json::to_value(&empty).unwrap();
    Validator::new(&Sparse::definition())
        .validate(&json)
        .unwrap();
}

// 7. Newtypes and transparent structs.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Meters(f64);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(transparent)]
struct VesselId {
    value: String,
    #[serde(skip)]
    _cache: (),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Stamp(#[stream_schema(date)] String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Wrapped(Reading);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Level(Mode);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "depths", version = 1)]
struct Depths {
    id: VesselId,
    draught: Meters,
    soundings: Vec<Meters>,
    stamps: Vec<Stamp>,
    first: Stamp,
    wrapped: Vec<Wrapped>,
    level: Level,
    #[serde(flatten)]
    inner: Wrapped,
}

#[test]
fn newtypes_take_the_inner_type() {
    assert_definition::<Depths>(json!({"name": "depths", "version": 1, "fields": [
        {"name": "id", "type": "string"},
        {"name": "draught", "type": "float"},
        {"name": "soundings", "type": "array<float>"},
        {"name": "stamps", "type": "array<date>"},
        {"name": "first", "type": "date"},
        {"name": "wrapped", "type": "array<object>", "fields": [
            {"name": "at", "type": "date"}, {"name": "value", "type": "float"}]},
        {"name": "level", "type": "enum", "enum": ["idle", "heating", "hot-water"]},
        {"name": "at", "type": "date"},
        {"name": "value", "type": "float"}
    ]}));
    let mut d = Depths {
        id: VesselId {
            value: "v".into(),
            _cache: (),
        },
        draught: Meters(11.5),
        soundings: vec![Meters(3.0)],
        stamps: vec![Stamp("2024-05-01T12:00:00Z".into())],
        first: Stamp("2024-05-01T12:00:00Z".into()),
        wrapped: vec![Wrapped(Reading {
            at: date("2024-05-01T12:00:00Z"),
            value: 1.0,
        })],
        level: Level(Mode::Idle),
        inner: Wrapped(Reading {
            at: date("2024-05-01T12:00:00Z"),
            value: 2.0,
        }),
    };
    assert_matches_serde(&d);
    d.stamps.push(Stamp("2024-02-30T00:00:00Z".into()));
    d.first = Stamp("today".into());
    assert_eq!(d.validate().unwrap_err().paths(), ["first", "stamps[1]"]);
    assert_eq!(Stamp::array_type(), FieldType::DateArray);
}

// 8. Skipped fields.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "skips", version = 1)]
struct Skips {
    kept: String,
    #[serde(skip)]
    cache: Vec<(u8, u8)>,
    #[serde(skip_serializing, default)]
    read_only: std::collections::HashMap<String, String>,
    #[serde(skip_deserializing)]
    computed: f64,
    #[serde(default = "seven")]
    defaulted: i32,
}

fn seven() -> i32 {
    7
}

#[test]
fn skipped_fields_are_left_out_and_read_only_skips_stay() {
    assert_definition::<Skips>(json!({"name": "skips", "version": 1, "fields": [
        {"name": "kept", "type": "string"},
        {"name": "computed", "type": "float"},
        {"name": "defaulted", "type": "integer"}
    ]}));
    assert_matches_serde(&Skips {
        kept: "k".into(),
        cache: vec![(1, 2)],
        read_only: Default::default(),
        computed: 1.5,
        defaulted: 7,
    });
}

// 9. A struct tag adds its key.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "pings", version = 1)]
#[serde(tag = "kind", rename = "ping")]
struct Ping {
    seq: u64,
}

#[test]
fn a_struct_tag_is_an_enum_of_one_name() {
    assert_definition::<Ping>(json!({"name": "pings", "version": 1, "fields": [
        {"name": "kind", "type": "enum", "enum": ["ping"]},
        {"name": "seq", "type": "integer"}
    ]}));
    assert_matches_serde(&Ping { seq: 1 });
}

// 10. Foreign types with a stated type; borrowed data.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Peer(#[stream_schema(type = "string")] IpAddr);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "hosts", version = 1)]
struct Host {
    peers: Vec<Peer>,
    #[stream_schema(type = "array<object>")]
    history: Vec<serde_json::Value>,
    #[stream_schema(type = "string")]
    addr: IpAddr,
    #[stream_schema(type = "array<float>")]
    position: (f64, f64),
    #[stream_schema(type = "object")]
    extra: serde_json::Value,
    #[stream_schema(type = "integer")]
    port: std::num::NonZeroU16,
}

#[derive(Debug, Clone, PartialEq, Serialize, StreamSchema)]
struct Borrowed<'a> {
    name: &'a str,
    tags: Vec<&'a str>,
    note: Cow<'a, str>,
    #[stream_schema(date)]
    at: &'a str,
}

#[test]
fn stated_types_and_borrowed_fields() {
    assert_definition::<Host>(json!({"name": "hosts", "version": 1, "fields": [
        {"name": "peers", "type": "array<string>"},
        {"name": "history", "type": "array<object>"},
        {"name": "addr", "type": "string"},
        {"name": "position", "type": "array<float>"},
        {"name": "extra", "type": "object"},
        {"name": "port", "type": "integer"}
    ]}));
    let host = Host {
        peers: vec![Peer("::1".parse().unwrap())],
        history: vec![json!({"seen": 1})],
        addr: "10.0.0.1".parse().unwrap(),
        position: (1.0, 2.0),
        extra: json!({"any": ["thing"]}),
        port: std::num::NonZeroU16::new(3104).unwrap(),
    };
    let json = serde_json::to_value(&host).unwrap();
    Validator::new(&Host::definition()).validate(&json).unwrap();

    assert_fields::<Borrowed>(json!([
        {"name": "name", "type": "string"},
        {"name": "tags", "type": "array<string>"},
        {"name": "note", "type": "string"},
        {"name": "at", "type": "date"}
    ]));
    let b = Borrowed {
        name: "n",
        tags: vec!["a"],
        note: Cow::Borrowed("x"),
        at: "2024-05-01T12:00:00Z",
    };
    assert_matches_serde(&b);
}

// 11 and 12. Every rename_all rule, checked against serde itself.

macro_rules! rule_types {
    ($($rule:literal => $e:ident, $s:ident;)*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, StreamSchema)]
        #[serde(rename_all = $rule)]
        #[allow(clippy::enum_variant_names)]
        enum $e {
            Plain,
            TwoWords,
            ThreeWordsHere,
            A,
            With2Digits,
        }

        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
        #[serde(rename_all = $rule)]
        struct $s {
            plain: u8,
            two_words: u8,
            three_words_here: u8,
            a: u8,
            with_2_digits: u8,
            kind: $e,
        }
    )*};
}

rule_types! {
    "lowercase" => ELower, SLower;
    "UPPERCASE" => EUpper, SUpper;
    "PascalCase" => EPascal, SPascal;
    "camelCase" => ECamel, SCamel;
    "snake_case" => ESnake, SSnake;
    "SCREAMING_SNAKE_CASE" => EScreaming, SScreaming;
    "kebab-case" => EKebab, SKebab;
    "SCREAMING-KEBAB-CASE" => EScreamingKebab, SScreamingKebab;
}

fn enum_matches_serde<E: Serialize + SchemaType>(all: &[E]) {
    let written: Vec<String> = all
        .iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(E::field_type(), FieldType::Enum(written));
}

macro_rules! check_rules {
    ($($e:ident, $s:ident;)*) => {$(
        enum_matches_serde(&[$e::Plain, $e::TwoWords, $e::ThreeWordsHere, $e::A, $e::With2Digits]);
        assert_matches_serde(&$s { plain: 1, two_words: 2, three_words_here: 3, a: 4, with_2_digits: 5, kind: $e::TwoWords });
    )*};
}

#[test]
fn every_rename_all_rule_matches_serde() {
    check_rules! {
        ELower, SLower; EUpper, SUpper; EPascal, SPascal; ECamel, SCamel; ESnake, SSnake;
        EScreaming, SScreaming; EKebab, SKebab; EScreamingKebab, SScreamingKebab;
    }
    assert_eq!(
        SCamel::fields()
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        [
            "plain",
            "twoWords",
            "threeWordsHere",
            "a",
            "with2Digits",
            "kind"
        ]
    );
}

// 13. Misc: a crate override, a payload that is generic, recursion.

mod renamed_runtime {
    pub use streamsea_schema as runtime;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(
    crate = "crate::renamed_runtime::runtime",
    name = "overridden",
    version = 0
)]
struct Overridden {
    x: i8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "generic_feed", version = 4)]
struct Feed<T: Clone> {
    entries: Vec<T>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(bound = "T: streamsea_schema::ArrayElement")]
struct Bounded<T> {
    items: Vec<T>,
    #[stream_schema(skip)]
    #[serde(skip)]
    cursor: Option<T>,
}

#[test]
fn stated_bounds_and_schema_skips() {
    assert_fields::<Bounded<Date>>(json!([{"name": "items", "type": "array<date>"}]));
}

#[test]
fn crate_override_and_generic_payloads() {
    assert_definition::<Overridden>(json!({"name": "overridden", "version": 0, "fields": [
        {"name": "x", "type": "integer"}
    ]}));
    assert_definition::<Feed<Site>>(json!({"name": "generic_feed", "version": 4, "fields": [
        {"name": "entries", "type": "array<object>", "fields": [
            {"name": "name", "type": "string"}, {"name": "lat", "type": "float"},
            {"name": "lon", "type": "float"}]}
    ]}));
}

#[derive(Debug, Serialize, StreamSchema)]
struct Tree {
    label: String,
    children: Vec<Tree>,
}

#[test]
#[should_panic(
    expected = "contains itself (through its fields), so it has no finite stream-sea schema"
)]
fn a_recursive_type_fails_with_a_message() {
    let _ = Tree::fields();
}

#[test]
fn a_recursive_type_still_validates_its_values() {
    let t = Tree {
        label: "root".into(),
        children: vec![Tree {
            label: "leaf".into(),
            children: vec![],
        }],
    };
    let mut report = streamsea_schema::Report::default();
    t.check(&streamsea_schema::Path::ROOT, &mut report);
    assert!(report.is_empty());
}
