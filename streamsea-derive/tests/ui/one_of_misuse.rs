use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Reading {
    #[stream_schema(one_of = ["low", "high"])]
    level: u8,
}

#[derive(StreamSchema)]
struct Tags {
    #[stream_schema(one_of = ["a", "b"])]
    tags: Vec<String>,
}

fn main() {}
