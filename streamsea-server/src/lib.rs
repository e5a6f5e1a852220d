//! # streamsea-server
//!
//! A stream-sea 4.x compatible local server: the embedded default that
//! examples, end-to-end tests and local development run against. It speaks
//! the HTTP API and the WebSocket protocol of PROTOCOL.md sections 2 to 7, so the
//! official clients of other languages work against it unchanged.
//!
//! ```no_run
//! # async fn run() -> Result<(), streamsea_server::StartError> {
//! use std::time::Duration;
//!
//! let server = streamsea_server::Server::builder()
//!     .bind("127.0.0.1:0".parse().unwrap())   // any free port
//!     .client("app", "secret")                 // a bootstrap client of the root jail
//!     .ping_interval(Duration::from_secs(25))
//!     .start()
//!     .await?;
//! println!("HTTP API at {}, WebSocket at {}", server.api_url(), server.ws_url());
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! ## Behaviour
//!
//! - **HTTP**: every operation of PROTOCOL.md section 2 under `/api/v1`, with plain
//!   or gzip request bodies (`Content-Encoding: gzip`); other encodings get
//!   415. Bodies over [`Limits::max_body_bytes`] (after decompression) get 413.
//!   Errors are `{"message", "errors"?}`; the statuses are those of PROTOCOL.md,
//!   including its [our choice] rows. Publish validates with
//!   [`streamsea_schema::Validator`]; a batch with any invalid element is
//!   rejected whole and nothing of it is delivered.
//! - **Jails** are walls: every lookup is made within the caller's jail.
//!   Client ids are unique across jails (a Basic credential names no jail),
//!   so creating a client whose id exists anywhere answers 409. Deleting a
//!   client of another jail answers 403; creating and deleting jails is for
//!   clients of the root jail.
//! - **WebSocket** (`/api/v1/streams`): authentication (basic, or JWT signed
//!   RS512 by the client's registered key), subscriptions answered with
//!   action `subscription` and payload = the request id, groups with
//!   round-robin, `mustFanout`, and the Filter DSL for JWT bearers. Pings go
//!   out every [`ServerConfig::ping_interval`] (25 s by default). A
//!   subscription may name any valid stream, with or without a schema.
//!   A connection that has not authenticated within
//!   [`ServerConfig::auth_timeout`] (30 s by default) is closed with 1008
//!   `authentication timeout`.
//!   Protocol violations are answered as listed in the table of the
//!   `ws_conn` module: an error reply when the connection can go on, a close
//!   1008 with the reason when it cannot.
//! - **Bounded memory**: each connection has a bounded outbound queue
//!   ([`Limits::outbound_queue`] deliveries). Publishing never waits for a
//!   subscriber: when the queue is full the connection is closed with code
//!   1008 and reason `slow consumer`, and a warning is logged. Client
//!   messages are limited to [`Limits::max_frame_bytes`] (close 1009 above).
//! - **Closes**: a deleted client's connections (JWT bearers included) are
//!   closed with 1008 `client deleted`, a deleted jail's with `jail deleted`,
//!   a JWT bearer's with `token expired` once `exp` passes, and all with
//!   1001 at shutdown.
//! - **Bounded memory across connections**: all outbound queues together
//!   hold at most [`Limits::delivery_budget_bytes`]; when a delivery would
//!   go beyond it, the connections with the most bytes waiting are closed
//!   first as slow consumers (1008 `slow consumer`).
//! - **Bounded work**: enum checks use a set and duplicate fields are found
//!   in linear time; large bodies are parsed and checked on a bounded pool of
//!   blocking threads, so one large request does not hold up the others.
//!   Definitions beyond [`Limits::max_definition_fields`] or
//!   [`Limits::max_enum_values`] get 400, publishes beyond
//!   [`Limits::max_batch_messages`] get 413. Error replies repeat at most a
//!   short prefix of what the client sent.
//! - **Bounded connections**: a request head must arrive within
//!   [`ServerConfig::head_timeout`] (10 s), and a connection that moves no
//!   byte for [`ServerConfig::idle_timeout`] (60 s) is closed. Beyond
//!   [`Limits::max_connections`] open connections, or
//!   [`Limits::max_unauthenticated_ws`] WebSockets waiting to authenticate,
//!   new ones get a 503, and a warning is logged.
//! - **State**: in memory, or in a JSON state file written atomically
//!   (temporary file, flush, rename). A change is made on a copy, written,
//!   and only then applied: a 2xx (an "unchanged" define included) is sent
//!   once what it reports is on disk, and a 500 from a failed write means
//!   nothing changed. Temporary files an interrupted write left are removed
//!   at start. Only SHA-256 hashes of secrets are kept, secrets and tokens
//!   never appear in logs, and only public keys are accepted as JWT keys.
//! - **Features**: `cli` adds the command-line options and the binaries'
//!   logging set-up (`clap`, `tracing-subscriber`); without it, the library
//!   installs no logger.
//!
//! ## Stack and dependencies
//!
//! - `tokio` runtime; `axum` for routing, extractors and WebSocket (axum's
//!   `ws`, built on tungstenite); `axum-server` to serve plain TCP and
//!   rustls TLS with one graceful-shutdown handle; `rustls` (ring provider)
//!   for optional TLS from PEM certificate and key;
//! - `tower-http` for gzip request decompression;
//! - `jsonwebtoken` (ring backend) to verify RS512 tokens; `ring` for secret
//!   generation and hashing; `base64` for Basic credentials;
//! - `tracing` for logs; with the `cli` feature only, `tracing-subscriber`
//!   for the binaries' logging and `clap` for the command-line options
//!   (`cli` module) that the binary and `streamsea serve` share: a program
//!   that embeds the server gets neither, and no global logger;
//! - `thiserror` for errors;
//! - `streamsea-protocol` and `streamsea-schema` for every wire shape and rule;
//! - tests and the load example use `reqwest` (rustls) as a plain HTTP client,
//!   `tokio-tungstenite` as a plain WebSocket client, `futures-util` for its
//!   stream and sink traits, and `flate2` to gzip request bodies.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod conn_guard;
mod error;
mod http_api;
mod hub;
mod outbox;
mod persist;
mod secret;
mod server;
mod store;
mod ws_conn;

pub use config::{
    Limits, ServerBuilder, ServerConfig, TlsPem, DEFAULT_AUTH_TIMEOUT, DEFAULT_BIND,
    DEFAULT_HEAD_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_PING_INTERVAL, DEFAULT_ROOT_JAIL,
};
pub use error::StartError;
pub use server::ServerHandle;

/// The server: see [`Server::builder`].
#[derive(Debug)]
pub struct Server;

impl Server {
    /// A builder with the default settings.
    pub fn builder() -> ServerBuilder {
        ServerBuilder::new()
    }
}
