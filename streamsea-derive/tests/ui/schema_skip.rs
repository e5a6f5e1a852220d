use serde::Serialize;
use streamsea_derive::StreamSchema;

// `stream_schema(skip)` on a field serde writes would leave an undeclared
// key in every message.
#[derive(Serialize, StreamSchema)]
struct Audited {
    value: f64,
    #[stream_schema(skip)]
    audit: String,
    // Skipped by serde too: fine.
    #[stream_schema(skip)]
    #[serde(skip)]
    cache: String,
}

fn main() {}
