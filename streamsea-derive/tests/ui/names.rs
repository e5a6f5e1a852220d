use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Twice {
    sent_at: String,
    #[serde(rename = "sentAt")]
    sent: String,
}

#[derive(serde::Serialize, serde::Deserialize, StreamSchema)]
struct Mismatch {
    #[serde(rename(serialize = "out", deserialize = "in"))]
    value: f64,
}

#[derive(StreamSchema)]
enum Same {
    A,
    #[serde(rename = "A")]
    B,
}

#[derive(serde::Serialize, serde::Deserialize, StreamSchema)]
struct Empty {
    #[serde(rename = "")]
    value: f64,
}

fn main() {}
