use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
#[stream_schema(name = "a", version = "2")]
struct A {
    x: f64,
}

#[derive(StreamSchema)]
#[stream_schema(name = "b", version = -1)]
struct B {
    x: f64,
}

#[derive(StreamSchema)]
#[stream_schema(name = "c")]
struct C {
    x: f64,
}

#[derive(StreamSchema)]
#[stream_schema(version = 99999999999999999999)]
struct D {
    x: f64,
}

fn main() {}
