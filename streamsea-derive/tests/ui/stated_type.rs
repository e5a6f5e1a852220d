use streamsea_derive::StreamSchema;

#[derive(StreamSchema)]
struct Host {
    #[stream_schema(type = "ip")]
    addr: std::net::IpAddr,
    #[stream_schema(type = "enum")]
    kind: String,
}

fn main() {}
