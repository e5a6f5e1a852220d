use streamsea_derive::StreamSchema;

// `None` and `Some(None)` are both written as null.
#[derive(StreamSchema)]
struct Patch {
    name: Option<Option<String>>,
    boxed: Option<Box<Option<i64>>>,
}

fn main() {}
