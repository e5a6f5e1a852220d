use serde::Serialize;
use streamsea_derive::StreamSchema;

// Every serde attribute the derive does not model is refused, naming where
// it is and what to write instead.

#[derive(Serialize, StreamSchema)]
#[serde(variant_identifier)]
enum Kind {
    A,
}

#[derive(Serialize, StreamSchema)]
struct Reading {
    #[serde(getter = "Reading::value")]
    value: f64,
    #[serde(serialize_with_all = "x")]
    other: f64,
}

#[derive(Serialize, StreamSchema)]
enum Mode {
    #[serde(serialize_with = "write_mode")]
    Idle,
    #[serde(other)]
    Unknown,
}

struct Point {
    x: f64,
}

#[derive(Serialize, StreamSchema)]
#[serde(remote = "Point")]
struct PointDef {
    x: f64,
}

#[derive(Serialize, StreamSchema)]
#[serde(field_identifier)]
enum Field {
    A,
}

mod level_text {
    pub fn serialize<S: serde::Serializer>(s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("low")
    }
}

#[derive(Serialize, StreamSchema)]
enum Level {
    #[serde(with = "level_text")]
    Low,
}

fn main() {}
