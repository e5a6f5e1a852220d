use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
#[stream_schema(nmae = "boiler_data")]
struct Boiler {
    #[stream_schema(dates)]
    at: String,
}

#[derive(StreamSchema)]
enum Mode {
    #[stream_schema(skip)]
    Idle,
}

fn main() {}
