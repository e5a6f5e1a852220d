use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Reading {
    #[stream_schema(date)]
    at: i64,
}

fn main() {}
