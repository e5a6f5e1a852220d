use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Reading {
    #[stream_schema(one_of = "low")]
    a: String,
    #[stream_schema(one_of = [1, 2])]
    b: String,
    #[stream_schema(one_of = [])]
    c: String,
    #[stream_schema(one_of = ["x", "y", "x"])]
    d: String,
}

fn main() {}
