use std::collections::HashMap;
use streamsea_derive::StreamSchema;

#[derive(serde::Serialize, StreamSchema)]
struct Inner {
    a: f64,
}

#[derive(serde::Serialize, StreamSchema)]
struct Extra {
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

#[derive(serde::Serialize, StreamSchema)]
struct Dated {
    #[serde(flatten)]
    #[stream_schema(date)]
    inner: Inner,
}

fn main() {}
