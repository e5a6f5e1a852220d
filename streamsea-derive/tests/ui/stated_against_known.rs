use streamsea_derive::StreamSchema;

// A stated type must be what serde writes for a type the derive knows.
#[derive(StreamSchema)]
struct Reading {
    #[stream_schema(type = "integer")]
    value: f64,
    #[stream_schema(type = "array<date>")]
    stamps: Vec<String>,
    #[stream_schema(type = "object")]
    name: Option<String>,
    // Stating the type it has is allowed.
    #[stream_schema(type = "array<integer>")]
    counts: Vec<u32>,
}

fn main() {}
