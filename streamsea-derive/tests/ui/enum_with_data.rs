use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
enum Reading {
    Empty,
    Celsius(f64),
    Both { celsius: f64, at: String },
}

fn main() {}
