//! The payload types, and the nested types they use. Together they use
//! every serde attribute the derive supports.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use streamsea_derive::StreamSchema;
use streamsea_schema::Date;

use crate::strategies::*;

/// A struct deriving what the checks need, with a strategy that draws each
/// field from the expression after `=`.
macro_rules! model {
    (
        $(#[$m:meta])*
        struct $name:ident { $( $(#[$fm:meta])* $f:ident : $t:ty = $s:expr ),* $(,)? }
    ) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
        $(#[$m])*
        pub struct $name { $( $(#[$fm])* pub $f: $t ),* }

        impl $name {
            pub fn strategy() -> BoxedStrategy<Self> {
                ( $( $s, )* ).prop_map(|( $( $f, )* )| $name { $( $f ),* }).boxed()
            }
        }
    };
}

/// An enum of unit variants, drawn from all of them.
macro_rules! unit_enum {
    (
        $(#[$m:meta])*
        enum $name:ident { $( $(#[$vm:meta])* $v:ident ),* $(,)? }
    ) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
        $(#[$m])*
        pub enum $name { $( $(#[$vm])* $v ),* }

        impl $name {
            pub fn strategy() -> BoxedStrategy<Self> {
                prop::sample::select(vec![$($name::$v),*]).boxed()
            }
        }
    };
}

model! {
    #[stream_schema(name = "scalars", version = 1)]
    struct Scalars {
        s: String = text(),
        c: char = any::<char>(),
        a: i8 = any::<i8>(),
        b: i16 = any::<i16>(),
        d: i32 = any::<i32>(),
        e: i64 = any::<i64>(),
        f: isize = any::<isize>(),
        g: u8 = any::<u8>(),
        h: u16 = any::<u16>(),
        i: u32 = any::<u32>(),
        j: u64 = any::<u64>(),
        k: usize = any::<usize>(),
    }
}

model! {
    #[stream_schema(name = "optionals", version = 1)]
    struct Optionals {
        s: Option<String> = some(text()),
        c: Option<char> = some(any::<char>()),
        n: Option<i64> = some(any::<i64>()),
        u: Option<u64> = some(any::<u64>()),
        x: f64 = finite(),
        y: f32 = finite32(),
        ox: Option<f64> = some(finite()),
        oy: Option<f32> = some(finite32()),
    }
}

model! {
    #[stream_schema(name = "arrays", version = 1)]
    struct Arrays {
        strings: Vec<String> = list(text(), 3),
        floats: Vec<f64> = list(float(), 4),
        floats32: VecDeque<f32> = list(float32(), 3).prop_map(VecDeque::from),
        bytes: [u8; 3] = any::<[u8; 3]>(),
        chars: Vec<char> = list(any::<char>(), 3),
        boxed: Box<[f32]> = list(float32(), 3).prop_map(Vec::into_boxed_slice),
        ints: Vec<i64> = list(any::<i64>(), 3),
        maybe: Option<Vec<f64>> = some(list(float(), 2)),
    }
}

model! {
    #[stream_schema(name = "sets", version = 1)]
    struct Sets {
        tags: BTreeSet<String> = prop::collection::btree_set(text(), 0..4),
        ids: HashSet<i64> = prop::collection::hash_set(any::<i64>(), 0..4),
        words: Vec<Cow<'static, str>> = list(text().prop_map(Cow::Owned), 3),
        letters: BTreeSet<char> = prop::collection::btree_set(any::<char>(), 0..4),
        word: Cow<'static, str> = text().prop_map(Cow::Owned),
    }
}

model! {
    #[stream_schema(name = "dates", version = 1)]
    struct Dates {
        at: Date = date(),
        maybe: Option<Date> = some(date()),
        many: Vec<Date> = list(date(), 3),
        ts: DateTime<Utc> = timestamp(),
        tss: Vec<DateTime<Utc>> = list(timestamp(), 3),
        opt_ts: Option<DateTime<Utc>> = some(timestamp()),
    }
}

model! {
    #[stream_schema(name = "stated_strings", version = 1)]
    struct StatedStrings {
        #[stream_schema(date)]
        a: String = date_text(),
        #[stream_schema(date)]
        b: Option<String> = some(date_text()),
        #[stream_schema(date)]
        c: Vec<String> = list(date_text(), 4),
        #[stream_schema(one_of = ["gas", "oil"])]
        fuel: String = choice(&["gas", "oil"]),
        #[stream_schema(one_of = ["x"])]
        opt: Option<String> = some(choice(&["x"])),
        #[stream_schema(date)]
        boxed: Box<str> = date_text().prop_map(String::into_boxed_str),
    }
}

unit_enum! {
    #[serde(rename_all = "kebab-case")]
    enum Mode {
        Idle,
        HotWater,
        #[serde(rename = "OFF", alias = "off")]
        Off,
    }
}

model! {
    #[stream_schema(name = "enum_fields", version = 1)]
    struct EnumFields {
        mode: Mode = Mode::strategy(),
        maybe: Option<Mode> = some(Mode::strategy()),
        modes: Vec<Mode> = list(Mode::strategy(), 3),
    }
}

/// Variants serde does not write: a value holding one cannot be published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub enum Legacy {
    Current,
    #[serde(skip)]
    Old,
    #[serde(skip_serializing)]
    Older,
}

/// Mostly variants serde writes.
fn legacy() -> BoxedStrategy<Legacy> {
    prop_oneof![6 => Just(Legacy::Current), 1 => Just(Legacy::Old), 2 => Just(Legacy::Older)]
        .boxed()
}

model! {
    #[stream_schema(name = "skipped_variants", version = 1)]
    struct SkippedVariants {
        state: Legacy = legacy(),
        states: Vec<Legacy> = list(legacy(), 3),
        maybe: Option<Legacy> = some(legacy()),
    }
}

/// Variant renames; `Done` is written but never read (`skip_deserializing`),
/// so a value holding it cannot read back equal: it is declared, never drawn.
#[allow(dead_code)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all(
    serialize = "SCREAMING_SNAKE_CASE",
    deserialize = "SCREAMING_SNAKE_CASE"
))]
pub enum Phase {
    NotStarted,
    #[serde(rename_all = "camelCase")]
    Running,
    #[serde(skip_deserializing)]
    Done,
    #[serde(alias = "halted")]
    Stopped,
}

model! {
    #[stream_schema(name = "renamed_variants", version = 1)]
    struct RenamedVariants {
        phase: Phase = prop::sample::select(vec![Phase::NotStarted, Phase::Running, Phase::Stopped]),
        #[stream_schema(date)]
        at: String = date_text(),
    }
}

/// A payload with its names under one `rename_all` rule, and a nested
/// object under another.
macro_rules! rename_all_model {
    ($name:ident, $stream:literal, $rule:literal) => {
        model! {
            #[stream_schema(name = $stream, version = 1)]
            #[serde(rename_all = $rule)]
            struct $name {
                first_name: String = text(),
                zip_code: Option<i64> = some(any::<i64>()),
                http_status: u16 = any::<u16>(),
                #[stream_schema(date)]
                seen_at: String = date_text(),
                samples: Vec<f64> = list(float(), 2),
                nested_site: Site = Site::strategy(),
            }
        }
    };
}

model! {
    #[serde(rename_all = "camelCase")]
    struct Site {
        site_name: String = text(),
        #[stream_schema(date)]
        opened_on: Option<String> = some(date_text()),
    }
}

rename_all_model!(Lower, "lower", "lowercase");
rename_all_model!(Upper, "upper", "UPPERCASE");
rename_all_model!(Pascal, "pascal", "PascalCase");
rename_all_model!(Camel, "camel", "camelCase");
rename_all_model!(Snake, "snake", "snake_case");
rename_all_model!(ScreamingSnake, "screaming_snake", "SCREAMING_SNAKE_CASE");
rename_all_model!(Kebab, "kebab", "kebab-case");
rename_all_model!(ScreamingKebab, "screaming_kebab", "SCREAMING-KEBAB-CASE");

model! {
    #[stream_schema(name = "renamed", version = 1)]
    struct Renamed {
        #[serde(rename = "Given")]
        given_name: String = text(),
        #[serde(rename(serialize = "fam", deserialize = "fam"))]
        family: String = text(),
        #[serde(alias = "years")]
        age: u8 = any::<u8>(),
        #[serde(rename = "at", alias = "when")]
        #[stream_schema(date)]
        when_: String = date_text(),
    }
}

fn default_unit() -> String {
    "kg".into()
}

model! {
    #[stream_schema(name = "defaults", version = 1)]
    struct Defaults {
        #[serde(default)]
        count: i64 = any::<i64>(),
        #[serde(default = "default_unit")]
        unit: String = text(),
        #[serde(default)]
        #[stream_schema(date)]
        stamps: Vec<String> = list(date_text(), 3),
    }
}

model! {
    #[stream_schema(name = "skips", version = 1)]
    struct Skips {
        kept: i64 = any::<i64>(),
        #[serde(skip)]
        cache: String = Just(String::new()),
        #[serde(skip_serializing, default)]
        secret: String = Just(String::new()),
        #[serde(skip_deserializing)]
        computed: i64 = Just(0i64),
        #[serde(skip)]
        #[stream_schema(skip)]
        both: Vec<u8> = Just(Vec::<u8>::new()),
    }
}

model! {
    #[stream_schema(name = "tickets", version = 1)]
    struct Ticket {
        id: i64 = any::<i64>(),
        #[serde(skip_serializing_if = "String::is_empty", default)]
        #[stream_schema(date)]
        expires_at: String = prop_oneof![Just(String::new()), date_text()],
        #[serde(skip_serializing_if = "String::is_empty", default)]
        #[stream_schema(one_of = ["low", "high"])]
        priority: String = prop_oneof![Just(String::new()), choice(&["low", "high"])],
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

model! {
    #[stream_schema(name = "sparse", version = 1)]
    struct Sparse {
        #[serde(skip_serializing_if = "Option::is_none", default)]
        note: Option<String> = some(text()),
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        samples: Vec<f64> = list(float(), 3),
        #[serde(skip_serializing_if = "is_zero", default)]
        count: u32 = prop_oneof![Just(0u32), any::<u32>()],
    }
}

model! {
    #[serde(rename_all = "camelCase")]
    struct Meta {
        source: String = text(),
        #[stream_schema(date)]
        sent_at: String = date_text(),
    }
}

model! {
    #[stream_schema(name = "flat", version = 1)]
    struct Flat {
        id: i64 = any::<i64>(),
        #[serde(flatten)]
        meta: Meta = Meta::strategy(),
    }
}

model! {
    struct Extra {
        #[stream_schema(date)]
        seen: String = date_text(),
    }
}

model! {
    #[stream_schema(name = "flat_optional", version = 1)]
    struct FlatOptional {
        id: i64 = any::<i64>(),
        #[serde(flatten)]
        extra: Option<Extra> = some(Extra::strategy()),
    }
}

model! {
    struct Left {
        #[stream_schema(date)]
        a: Vec<String> = list(date_text(), 3),
        #[stream_schema(date)]
        n: String = date_text(),
    }
}

model! {
    struct Right {
        #[stream_schema(date)]
        c: Option<String> = some(date_text()),
        #[stream_schema(one_of = ["yes"])]
        y: String = choice(&["yes"]),
    }
}

model! {
    #[stream_schema(name = "two_flat", version = 1)]
    struct TwoFlat {
        #[stream_schema(date)]
        b: String = date_text(),
        #[serde(flatten)]
        left: Left = Left::strategy(),
        #[stream_schema(date)]
        m: String = date_text(),
        #[serde(flatten)]
        right: Right = Right::strategy(),
        z: Vec<f64> = list(float(), 3),
    }
}

model! {
    struct Middle {
        #[stream_schema(date)]
        mid: String = date_text(),
        #[serde(flatten)]
        inner: Meta = Meta::strategy(),
    }
}

model! {
    #[stream_schema(name = "nested_flat", version = 1)]
    struct NestedFlat {
        #[stream_schema(date)]
        top: String = date_text(),
        #[serde(flatten)]
        outer: Middle = Middle::strategy(),
    }
}

model! {
    #[stream_schema(name = "flat_skipped_if", version = 1)]
    struct FlatSkippedIf {
        id: i64 = any::<i64>(),
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        extra: Option<Extra> = some(Extra::strategy()),
    }
}

/// A newtype: its field's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Meters(pub f64);

/// A newtype of a date held in a string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Stamp(#[stream_schema(date)] pub String);

/// A transparent struct: its one written field's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(transparent)]
pub struct Code {
    #[stream_schema(one_of = ["A1", "B2"])]
    pub value: String,
    #[serde(skip)]
    pub cached: bool,
}

model! {
    #[stream_schema(name = "wrapped", version = 1)]
    struct Wrapped {
        len: Meters = finite().prop_map(Meters),
        at: Stamp = date_text().prop_map(Stamp),
        code: Code = choice(&["A1", "B2"]).prop_map(|value| Code { value, cached: false }),
        lens: Vec<Meters> = list(float().prop_map(Meters), 3),
        stamps: Vec<Stamp> = list(date_text().prop_map(Stamp), 3),
        reading: Reading = Reading::strategy(),
    }
}

model! {
    #[stream_schema(name = "tagged", version = 1)]
    #[serde(tag = "kind", rename = "reading")]
    struct Tagged {
        value: f64 = finite(),
        #[stream_schema(date)]
        at: String = date_text(),
    }
}

model! {
    #[stream_schema(name = "stamped", version = 1)]
    struct Stamped {
        #[serde(with = "streamsea_schema::date::chrono_utc")]
        #[stream_schema(type = "date")]
        at: DateTime<Utc> = whole_timestamp(),
        #[serde(with = "streamsea_schema::date::chrono_utc::option")]
        #[stream_schema(date)]
        maybe: Option<DateTime<Utc>> = some(whole_timestamp()),
    }
}

/// Writes an integer as its digits.
mod as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(n)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

model! {
    #[stream_schema(name = "converted", version = 1)]
    struct Converted {
        #[serde(with = "chrono::serde::ts_seconds")]
        #[stream_schema(type = "integer")]
        at: DateTime<Utc> = whole_timestamp(),
        #[serde(with = "as_text")]
        #[stream_schema(type = "string")]
        n: i64 = any::<i64>(),
    }
}

/// Grades 0, 1 and 2 as letters.
mod grade {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &u8, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match n {
            0 => "A",
            1 => "B",
            _ => "F",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
        match String::deserialize(d)?.as_str() {
            "A" => Ok(0),
            "B" => Ok(1),
            _ => Ok(2),
        }
    }
}

model! {
    #[stream_schema(name = "graded", version = 1)]
    struct Graded {
        #[serde(serialize_with = "grade::serialize", deserialize_with = "grade::deserialize")]
        #[stream_schema(one_of = ["A", "B"])]
        grade: u8 = 0u8..3,
    }
}

fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    i64::deserialize(d)
}

model! {
    #[stream_schema(name = "lenient", version = 1)]
    struct Lenient {
        #[serde(deserialize_with = "lenient")]
        n: i64 = any::<i64>(),
        #[stream_schema(date)]
        at: String = date_text(),
    }
}

model! {
    #[stream_schema(name = "strict", version = 1)]
    #[derive(Default)]
    #[serde(deny_unknown_fields, default, expecting = "a strict payload", crate = "serde")]
    struct Strict {
        a: i64 = any::<i64>(),
        #[stream_schema(date)]
        b: String = date_text(),
    }
}

/// Read from a `u8`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(from = "u8")]
pub struct Percent(pub u8);

impl From<u8> for Percent {
    fn from(n: u8) -> Percent {
        Percent(n)
    }
}

/// What [`Checked`] is read through.
#[derive(Deserialize)]
pub struct RawChecked {
    n: i64,
    share: Percent,
}

impl TryFrom<RawChecked> for Checked {
    type Error = String;
    fn try_from(raw: RawChecked) -> Result<Checked, String> {
        Ok(Checked {
            n: raw.n,
            share: raw.share,
        })
    }
}

model! {
    #[stream_schema(name = "checked", version = 1)]
    #[serde(try_from = "RawChecked")]
    struct Checked {
        n: i64 = any::<i64>(),
        share: Percent = any::<u8>().prop_map(Percent),
    }
}

model! {
    struct Reading {
        at: Date = date(),
        value: f64 = finite(),
        #[stream_schema(date)]
        logged: String = date_text(),
    }
}

/// A generic payload with stated bounds, for serde and for the derive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(
    name = "pages",
    version = 1,
    bound = "T: streamsea_schema::ArrayElement"
)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(bound = "")]
    pub total: u64,
}

impl Page<Reading> {
    pub fn strategy() -> BoxedStrategy<Self> {
        (list(Reading::strategy(), 3), any::<u64>())
            .prop_map(|(items, total)| Page { items, total })
            .boxed()
    }
}

/// Borrows its strings from the text it is read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "borrowed", version = 1)]
pub struct Borrowed<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[stream_schema(date)]
    pub at: Cow<'a, str>,
}

impl Borrowed<'static> {
    pub fn strategy() -> BoxedStrategy<Self> {
        (text(), date_text())
            .prop_map(|(name, at)| Borrowed {
                name: Cow::Owned(name),
                at: Cow::Owned(at),
            })
            .boxed()
    }
}

model! {
    #[stream_schema(name = "pointers", version = 1)]
    struct Pointers {
        boxed: Box<Reading> = Reading::strategy().prop_map(Box::new),
        maybe: Option<Box<Reading>> = some(Reading::strategy().prop_map(Box::new)),
        text: Box<str> = text().prop_map(String::into_boxed_str),
        many: Vec<Box<Reading>> = list(Reading::strategy().prop_map(Box::new), 2),
        floats: Vec<Box<f64>> = list(float().prop_map(Box::new), 3),
    }
}

model! {
    struct Move {
        kind: Mode = Mode::strategy(),
        at: Date = date(),
        #[stream_schema(one_of = ["N", "S"])]
        side: Option<String> = some(choice(&["N", "S"])),
    }
}

model! {
    struct Ship {
        name: String = text(),
        moves: Vec<Move> = list(Move::strategy(), 3),
        #[stream_schema(date)]
        seen: String = date_text(),
    }
}

model! {
    #[stream_schema(name = "fleet", version = 1)]
    struct Fleet {
        ships: Vec<Ship> = list(Ship::strategy(), 3),
        flagship: Option<Ship> = some(Ship::strategy()),
    }
}

/// A list of date strings: all valid, or long and mostly not dates.
fn noisy_dates() -> BoxedStrategy<Vec<String>> {
    prop_oneof![
        2 => list(date().prop_map(|d| d.to_string()), 20),
        1 => prop::collection::vec(bad_date_text(), 40..150),
    ]
    .boxed()
}

model! {
    struct NoisyMore {
        #[stream_schema(date)]
        m: Vec<String> = noisy_dates(),
    }
}

model! {
    #[stream_schema(name = "noisy", version = 1)]
    struct Noisy {
        #[stream_schema(date)]
        a: Vec<String> = noisy_dates(),
        #[serde(flatten)]
        more: NoisyMore = NoisyMore::strategy(),
        #[stream_schema(date)]
        z: Vec<String> = noisy_dates(),
        deep: Vec<Ship> = list(Ship::strategy(), 4),
    }
}

model! {
    #[stream_schema(name = "ordered", version = 1)]
    struct Ordered {
        #[serde(rename = "Zeta")]
        #[stream_schema(date)]
        zeta: String = date_text(),
        #[stream_schema(date)]
        alpha: String = date_text(),
        #[serde(rename = "_x")]
        #[stream_schema(date)]
        x: String = date_text(),
        #[serde(rename = "a-b")]
        #[stream_schema(date)]
        ab: String = date_text(),
        #[serde(rename = "A")]
        #[stream_schema(date)]
        upper_a: String = date_text(),
        #[serde(rename = "é")]
        #[stream_schema(date)]
        accent: String = date_text(),
        #[stream_schema(date)]
        a: String = date_text(),
    }
}

model! {
    #[stream_schema(name = "raw", version = 1)]
    struct Raw {
        #[stream_schema(one_of = ["x", "y"])]
        r#type: String = choice(&["x", "y"]),
        #[stream_schema(date)]
        r#match: Vec<String> = list(date_text(), 3),
    }
}

unit_enum! {
    #[serde(rename_all = "lowercase", rename_all_fields = "camelCase")]
    enum Level {
        Low,
        High,
        #[serde(rename = "MAX")]
        Max,
    }
}

model! {
    #[stream_schema(name = "modes", version = 1)]
    struct Modes {
        all: Vec<Level> = list(Level::strategy(), 3),
        queue: VecDeque<Level> = list(Level::strategy(), 3).prop_map(VecDeque::from),
        maybe: Option<Vec<Level>> = some(list(Level::strategy(), 2)),
        one: Level = Level::strategy(),
    }
}

model! {
    #[stream_schema(name = "loose", version = 1)]
    struct Loose {
        #[stream_schema(type = "object")]
        extra: serde_json::Map<String, serde_json::Value> = prop::collection::btree_map("[a-z]{1,3}", text(), 0..3)
            .prop_map(|m| m.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect()),
        n: i64 = any::<i64>(),
    }
}

model! {
    #[stream_schema(name = "open", version = 1)]
    struct Open {
        #[serde(flatten)]
        #[stream_schema(skip)]
        rest: std::collections::BTreeMap<String, String> =
            prop::collection::btree_map("[a-z]{1,4}", text(), 0..4),
    }
}

// The serializer helpers above are used through attributes only.
#[allow(dead_code)]
fn _uses(_: impl Serializer, _: Phase) {}
