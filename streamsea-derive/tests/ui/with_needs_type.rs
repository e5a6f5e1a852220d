use chrono::{DateTime, Utc};
use serde::Serialize;
use streamsea_derive::StreamSchema;

// A field written through a function needs a stated type: the function
// decides what serde writes, not the field's Rust type.
#[derive(Serialize, StreamSchema)]
struct Tick {
    #[serde(with = "chrono::serde::ts_seconds")]
    at: DateTime<Utc>,
    #[serde(serialize_with = "chrono::serde::ts_milliseconds::serialize")]
    sent: DateTime<Utc>,
}

// A flattened field cannot be written through a function.
#[derive(Serialize, StreamSchema)]
struct Inner {
    x: i64,
}

#[derive(Serialize, StreamSchema)]
struct Outer {
    #[serde(flatten, serialize_with = "write_inner")]
    inner: Inner,
}

fn write_inner<S: serde::Serializer>(_: &Inner, _: S) -> Result<S::Ok, S::Error> {
    unimplemented!()
}

fn main() {}
