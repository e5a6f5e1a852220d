use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
enum Mode {
    Idle,
}

#[derive(StreamSchema)]
struct Grid {
    cells: Vec<Vec<i32>>,
}

#[derive(StreamSchema)]
struct Modes {
    modes: Vec<Mode>,
}

#[derive(StreamSchema)]
struct Gaps {
    values: Vec<Option<f64>>,
}

fn main() {}
