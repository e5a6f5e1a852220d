use streamsea_derive::StreamSchema;
use streamsea_schema::StreamSchema;

#[derive(StreamSchema)]
#[stream_schema(name = "boiler data", version = 1)]
struct Boiler {
    temperature: f64,
}

fn main() {
    // The type is still usable: the mistake above is the only error.
    let _ = Boiler::definition();
}
