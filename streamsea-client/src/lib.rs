//! # streamsea-client
//!
//! The async client for stream-sea 4.x: type-checked publish, typed
//! subscriptions over one resilient WebSocket, schema registration and drift
//! checks, administration, and JWT signing.
//!
//! ```no_run
//! # use serde::{Deserialize, Serialize};
//! # use streamsea_schema::{Field, FieldType, SchemaObject, SchemaType, StreamSchema};
//! # #[derive(Serialize, Deserialize)]
//! # struct BoilerData { temperature: f64 }
//! # impl SchemaType for BoilerData { fn field_type() -> FieldType { FieldType::Object(Self::fields()) } }
//! # impl SchemaObject for BoilerData { fn fields() -> Vec<Field> { vec![Field::new("temperature", FieldType::Float)] } }
//! # impl StreamSchema for BoilerData { const STREAM_NAME: &'static str = "boiler_data"; const VERSION: u64 = 1; }
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::StreamExt;
//! use streamsea_client::Client;
//!
//! let client = Client::builder().host("localhost").port(3104).basic("app", "secret").build()?;
//! client.define_stream::<BoilerData>().await?;           // at startup
//! let mut sub = client.subscribe::<BoilerData>().await?;  // a Stream of Result<BoilerData, _>
//! client.publish(&BoilerData { temperature: 70.5 }).await?;
//! if let Some(reading) = sub.next().await {
//!     println!("{}", reading?.temperature);
//! }
//! # Ok(()) }
//! ```
//!
//! (With the `streamsea` facade, `#[derive(StreamSchema)]` writes the trait
//! impls above.)
//!
//! ## HTTP operations
//!
//! Every operation of PROTOCOL.md section 2 is a method of [`Client`] with a typed
//! result. Connections are pooled and reused; request bodies larger than a
//! threshold (4 KiB by default) are gzip-compressed. A failure says whether a
//! retry is safe ([`RequestError`]): [`NotSent`] (local validation, a bad
//! argument, no connection), `Rejected` (the server's status, message and
//! `errors` list), or `Unknown` (sent, no complete answer). Reads (describe,
//! versions vector) are retried after transient failures; writes, publish
//! included, never are.
//!
//! `publish(&value)` checks the value locally (its type's `validate()` and the
//! compiled validator of its schema) and refuses an invalid one before any
//! byte is sent.
//!
//! ## Subscriptions
//!
//! All subscriptions of a client share one WebSocket, opened on the first
//! subscription and driven by one task, which routes replies and deliveries
//! by message id. Each [`Subscription`] is a `futures::Stream` of
//! `Result<T, SubscribeError>` with a bounded buffer: when it is full the task
//! stops reading the socket until the subscriber catches up, so a slow
//! subscriber slows the connection instead of growing memory.
//!
//! The connection is re-opened after it is lost, with exponential backoff and
//! jitter ([`ReconnectPolicy`]; 200 ms doubling to 5 s by default, where the
//! official JavaScript client waits a fixed 3 s), then re-authenticated and
//! every live subscription re-sent once. A watchdog re-opens a connection
//! that has been silent (no frame, pings included) for 75 s by default. An
//! authentication failure is terminal: each subscription yields one
//! [`SubscribeError::Authentication`] and ends. The lifecycle is observable
//! through [`Client::events`] and [`Client::connection_state`] and logged
//! with `tracing`.
//!
//! Dropping a subscription stops its delivery; when none is left, the
//! connection closes. Dropping the last clone of the client ends the task and
//! every subscription.
//!
//! ## JWT
//!
//! [`jwt::sign`] signs [`jwt::Claims`] (with an optional [`Filter`]) RS512
//! with an RSA private key in PEM; [`jwt::generate_key_pair`] makes a key
//! pair in PEM. Every wire shape comes from `streamsea-protocol`.
//!
//! ## Logs and secrets
//!
//! The client logs through `tracing` and never writes a secret or a token
//! into its own events (`Debug` of the builder shows `***`). The WebSocket
//! library it uses, `tungstenite`, logs every frame it reads or writes at
//! `trace` level, and the first frame of each connection authenticates: it
//! carries the client secret or the JWT. Leave `tungstenite` (and
//! `tokio_tungstenite`) below `trace` in production filters, for example
//! `RUST_LOG=info,tungstenite=debug`.
//!
//! ## Dependencies
//!
//! - `tokio` (runtime, channels, timers) and `futures-util` (the `Stream`
//!   trait and WebSocket sink/stream helpers);
//! - `reqwest` for HTTP: pooling, timeouts, gzip answers, rustls; `flate2` to
//!   gzip request bodies;
//! - `tokio-tungstenite` for the WebSocket; `rustls` with `webpki-roots`
//!   for TLS on both, with no native TLS library;
//! - `jsonwebtoken` to sign RS512 tokens; `rsa` to generate RSA key pairs
//!   and write them as PEM, which neither `jsonwebtoken` nor `ring` can do
//!   (`ring` only loads RSA keys), behind the `keygen` feature. Only key
//!   generation is used from it, no RSA decryption;
//! - `getrandom` for the reconnect jitter and private group ids: the
//!   operating system's random source, without a random-number framework;
//! - `serde`/`serde_json` for JSON, `thiserror` for errors, `tracing` for
//!   logs; `streamsea-protocol` and `streamsea-schema` for every wire shape
//!   and validation rule.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod config;
mod connection;
mod error;
mod events;
mod http;
pub mod jwt;
mod random;
mod reconnect;
mod schema_check;
mod subscription;
mod tls;

pub use client::Client;
pub use config::{
    env, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_GZIP_THRESHOLD, DEFAULT_MAX_MESSAGE_BYTES,
    DEFAULT_READ_RETRIES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SILENCE_TIMEOUT,
    DEFAULT_SUBSCRIPTION_BUFFER,
};
pub use error::{BuildError, JwtError, NotSent, RequestError, SubscribeError};
pub use events::{ConnectionEvent, ConnectionState};
pub use reconnect::ReconnectPolicy;
pub use schema_check::{DefineOutcome, SchemaCheck};
pub use subscription::{random_group_id, Group, SubscribeOptions, Subscription};

/// `next()` and the other combinators of a [`Subscription`], which is a
/// `futures::Stream`.
pub use futures_util::StreamExt;
/// The Filter DSL builder (PROTOCOL.md section 7), for JWT claims.
pub use streamsea_protocol::filter::Filter;
/// Answers of the administration calls.
pub use streamsea_protocol::http::{
    CreateClientResponse, CreateJailResponse, RotateSecretResponse,
};
