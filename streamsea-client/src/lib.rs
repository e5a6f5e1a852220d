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
//! threshold (4 KiB by default) are gzip-compressed.
//!
//! Each operation has a retry class ([`RetryClass`], from the one route table
//! the server's router is built from too): reads (describe, versions vector)
//! are retried after transient failures; idempotent changes (define, delete
//! client, rotate JWT public key, delete jail) and the others (publish,
//! create client, rotate own secret, create jail) never are.
//!
//! A failure is a [`RequestError`]; branch on its predicates, never on its
//! text:
//!
//! - [`is_retry_safe`](RequestError::is_retry_safe): sending the same request
//!   again cannot duplicate an effect. False when the outcome of a
//!   non-idempotent operation is unknown: a timeout or reset after sending, or
//!   a `5xx` (the server's own, or a proxy's `502`/`504`) to a publish.
//! - [`is_outcome_unknown`](RequestError::is_outcome_unknown),
//!   [`is_rejected`](RequestError::is_rejected) (stream-sea's error body:
//!   status, message, `errors` list), [`is_not_sent`](RequestError::is_not_sent)
//!   (local validation, a bad argument, no connection);
//! - [`is_timeout`](RequestError::is_timeout),
//!   [`is_connection_refused`](RequestError::is_connection_refused),
//!   [`is_dns`](RequestError::is_dns), [`is_tls`](RequestError::is_tls)
//!   (with [`is_certificate`](RequestError::is_certificate) for a refused
//!   server certificate and [`is_not_tls`](RequestError::is_not_tls) for a
//!   server that does not speak TLS),
//!   [`is_authentication`](RequestError::is_authentication) (`401`);
//! - [`is_not_stream_sea`](RequestError::is_not_stream_sea): the answer is not
//!   stream-sea's (an HTML page, another service's JSON, a `404` without
//!   stream-sea's error body): the server at that URL does not speak
//!   stream-sea. Only stream-sea's own `404` makes
//!   [`describe_stream`](Client::describe_stream) answer `None`.
//!
//! Errors keep their causes: `source()` gives the underlying HTTP, I/O or TLS
//! error, and for [`BuildError`] and [`JwtError`] the TLS, PEM, I/O, HTTP,
//! JWT or RSA library's error. Every error type is `Clone`.
//!
//! `publish(&value)` checks the value locally (its type's `validate()` and the
//! compiled validator of its type's own schema) and refuses an invalid one
//! before any byte is sent. The value is serialized once, into the bytes that
//! are sent; the schema check reads those bytes as they are parsed and builds
//! no JSON tree (a tree is parsed only to report the errors of an invalid
//! value). The check of the bytes is kept because a type's serialization can
//! differ from its declared schema (a `#[stream_schema(type = ...)]` on a
//! foreign type, a hand-written `Serialize` or `StreamSchema`), which the
//! derive's `validate()` cannot see.
//!
//! The builder takes the server as [`url`](ClientBuilder::url)
//! (`http://localhost:3104`, `https://...`, `ws://...`, `wss://...`) or as
//! [`host`](ClientBuilder::host) and [`port`](ClientBuilder::port); a host
//! holding a port, a scheme or a path is refused by `build()` with the call to
//! use. Durations saturate at [`FOREVER`]: `Duration::MAX` means no limit,
//! and as the silence timeout it turns the watchdog off.

//! ## Subscriptions
//!
//! All subscriptions of a client share one WebSocket, opened on the first
//! subscription and driven by one task, which routes replies and deliveries
//! by message id. Each [`Subscription`] is a `futures::Stream` of
//! `Result<T, SubscribeError>`.
//!
//! ### Delivery model
//!
//! stream-sea delivers **at most once**: there is no acknowledgement and
//! nothing is kept for a subscriber that is not connected. The client makes
//! every place where messages may be missing visible in the stream:
//!
//! - when the connection is lost (a server restart, a network failure, the
//!   server closing a slow consumer) the client reconnects and subscribes
//!   again; each subscription then yields one
//!   [`SubscribeError::Interrupted`] item
//!   ([`Interruption::Reconnected`]) before the first message received after
//!   the re-subscription, and goes on;
//! - when a subscription's buffer is full, its overflow policy decides
//!   ([`Overflow`]). By default the newest deliveries are dropped and
//!   counted, and the subscription yields an `Interrupted` item
//!   ([`Interruption::Overflow`]) with the count where they would have been;
//!   the client's other subscriptions are not held up. With
//!   [`Overflow::Backpressure`] the connection stops reading until the
//!   subscriber catches up instead: nothing is dropped by the client, but
//!   every subscription of the client waits, and the server may close the
//!   connection as a slow consumer.
//!
//! These items are not terminal ([`SubscribeError::is_terminal`]) and can be
//! turned off per subscription
//! ([`SubscribeOptions::report_interruptions`]). Every buffer is bounded in
//! messages and bytes, so a subscriber that never reads holds a bounded
//! amount of memory whatever the policy.
//!
//! ### The receive path
//!
//! A delivery is not decoded by the connection task. The task reads the
//! frame's head (id and stream name) by comparing bytes and hands the frame,
//! a shared buffer, to the subscription; the subscriber deserializes `T`
//! straight from the payload's text in one pass, then runs `T::validate()`.
//! A JSON subscription builds a `serde_json::Value` because it asked for one.
//! A delivery that does not decode is an error item carrying the raw JSON,
//! and the stream goes on. Deliveries are handed over in batches: every
//! frame ready on the socket, then one wake per subscriber; the subscriber
//! takes everything buffered before it waits again. Floats arrive bit-exact.
//!
//! ### Reconnection
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
//! ### Lifetime
//!
//! The connection lives while anyone can use it: a clone of the [`Client`]
//! or a [`Subscription`] (as in async-nats, where each subscriber holds the
//! connection's command sender). A subscription goes on after the client it
//! came from is dropped. Dropping a subscription stops its delivery; when
//! none is left, the connection closes; when no client clone is left either,
//! the task ends.
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
//!   for TLS on both, with no native TLS library; `rustls-webpki`, the
//!   certificate verifier rustls itself uses (same version, nothing more is
//!   compiled), named only to recognise its errors by type;
//! - `jsonwebtoken` to sign RS512 tokens; `rsa` to generate RSA key pairs
//!   and write them as PEM, which neither `jsonwebtoken` nor `ring` can do
//!   (`ring` only loads RSA keys), behind the `keygen` feature. Only key
//!   generation is used from it, no RSA decryption;
//! - `getrandom` for the reconnect jitter and private group ids: the
//!   operating system's random source, without a random-number framework;
//! - `serde`/`serde_json` for JSON (with `raw_value`, to keep a payload as
//!   its text, and `float_roundtrip`, so that floats read back bit-exact),
//!   `thiserror` for errors, `tracing` for logs; `streamsea-protocol` and `streamsea-schema` for every wire shape
//!   and validation rule.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod config;
mod connection;
mod delivery;
mod error;
mod events;
mod http;
pub mod jwt;
mod random;
mod reconnect;
mod resolve;
mod schema_check;
mod subscription;
mod tls;

pub use client::Client;
pub use config::{
    env, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_GZIP_THRESHOLD, DEFAULT_MAX_MESSAGE_BYTES,
    DEFAULT_READ_RETRIES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SILENCE_TIMEOUT,
    DEFAULT_SUBSCRIPTION_BUFFER, FOREVER,
};
pub use error::Interruption;
pub use error::{
    BuildError, JwtError, NetworkCause, NotSent, RequestError, Source, SubscribeError,
};
pub use events::{ConnectionEvent, ConnectionState};
pub use reconnect::ReconnectPolicy;
pub use schema_check::{DefineOutcome, SchemaCheck};
/// What repeating an HTTP operation can do (see [`RequestError::is_retry_safe`]).
pub use streamsea_protocol::routes::{Operation, RetryClass};
pub use subscription::{
    random_group_id, Group, Overflow, SubscribeOptions, Subscription,
    DEFAULT_SUBSCRIPTION_BUFFER_BYTES,
};

/// `next()` and the other combinators of a [`Subscription`], which is a
/// `futures::Stream`.
pub use futures_util::StreamExt;
/// The Filter DSL builder (PROTOCOL.md section 7), for JWT claims.
pub use streamsea_protocol::filter::Filter;
/// Answers of the administration calls.
pub use streamsea_protocol::http::{
    CreateClientResponse, CreateJailResponse, RotateSecretResponse,
};
