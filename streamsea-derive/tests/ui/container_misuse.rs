use streamsea_derive::StreamSchema;

#[derive(serde::Serialize, StreamSchema)]
#[stream_schema(name = "modes", version = 1)]
enum Mode {
    Idle,
}

#[derive(serde::Serialize, StreamSchema)]
#[stream_schema(name = "meters", version = 1)]
struct Meters(f64);

#[derive(Clone, serde::Serialize, StreamSchema)]
#[serde(into = "String")]
struct Code {
    code: String,
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.code
    }
}

#[derive(StreamSchema)]
#[serde(rename_all = "camel_case")]
struct Cased {
    a: f64,
}

#[derive(StreamSchema)]
#[serde(transparent)]
struct Two {
    a: f64,
    b: f64,
}

fn main() {}
