use std::collections::HashMap;
use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Map {
    counts: HashMap<String, i32>,
}

#[derive(StreamSchema)]
struct Tuple {
    position: (f64, f64),
}

#[derive(StreamSchema)]
struct Wide {
    id: u128,
}

fn main() {}
