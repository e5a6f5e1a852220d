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

fn main() {}
