use streamsea_derive::StreamSchema;

// Types stream-sea has no field type for: each error says what to use.
#[derive(StreamSchema)]
struct Flags {
    on: bool,
}

#[derive(StreamSchema)]
struct ManyFlags {
    on: Vec<bool>,
}

#[derive(StreamSchema)]
struct Wide {
    id: u128,
    delta: i128,
}

#[derive(StreamSchema)]
struct Local {
    at: chrono::NaiveDateTime,
    day: chrono::NaiveDate,
}

#[derive(StreamSchema)]
struct Loose {
    extra: serde_json::Value,
}

fn main() {}
