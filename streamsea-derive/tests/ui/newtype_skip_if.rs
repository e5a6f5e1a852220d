use serde::Serialize;
use streamsea_derive::StreamSchema;

// The only field of a newtype is the whole value: it cannot be left out.
#[derive(Serialize, StreamSchema)]
struct Label(#[serde(skip_serializing_if = "String::is_empty")] String);

#[derive(Serialize, StreamSchema)]
#[serde(transparent)]
struct Name {
    #[serde(skip_serializing_if = "String::is_empty")]
    text: String,
}

fn main() {}
