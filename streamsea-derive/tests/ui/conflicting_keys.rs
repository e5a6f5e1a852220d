use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Reading {
    #[stream_schema(date, one_of = ["a"])]
    a: String,
    #[stream_schema(skip, date)]
    b: String,
    #[serde(skip)]
    #[stream_schema(type = "float")]
    c: String,
}

fn main() {}
