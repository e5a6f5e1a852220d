use streamsea_derive::StreamSchema;

#[derive(serde::Serialize, StreamSchema)]
#[serde(tag = "kind")]
enum Internally {
    A,
    B,
}

#[derive(serde::Serialize, StreamSchema)]
#[serde(tag = "t", content = "c")]
enum Adjacently {
    A,
    B,
}

#[derive(serde::Serialize, StreamSchema)]
#[serde(untagged)]
enum Untagged {
    A,
    B,
}

#[derive(serde::Serialize, StreamSchema)]
enum UntaggedVariant {
    A,
    #[serde(untagged)]
    B,
}

fn main() {}
