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

// A flattened map left out of the schema is faithful only as the one field
// of its struct (an object of any keys); beside declared fields, its keys
// would be undeclared.
#[derive(Serialize, StreamSchema)]
struct Open {
    #[serde(flatten)]
    #[stream_schema(skip)]
    rest: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize, StreamSchema)]
struct HalfOpen {
    id: i64,
    #[serde(flatten)]
    #[stream_schema(skip)]
    rest: std::collections::BTreeMap<String, String>,
}

fn main() {}
