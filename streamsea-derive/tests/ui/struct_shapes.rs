use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Point(f64, f64);

#[derive(StreamSchema)]
struct Marker;

#[derive(StreamSchema)]
union Bits {
    int: u32,
    float: f32,
}

#[derive(StreamSchema)]
enum Nothing {}

fn main() {}
