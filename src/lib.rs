//! # streamsea
//!
//! The Rust toolkit for stream-sea 4.x, a hosted pub/sub streaming service.
//!
//! This facade re-exports the parts a user needs: the schema model, the
//! validator, [`Date`], and [`StreamSchema`], which is both the trait of a
//! stream's payload and its derive, so one import brings both:
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use streamsea::{Date, StreamSchema};
//!
//! #[derive(Serialize, Deserialize, StreamSchema)]
//! #[stream_schema(name = "boiler_data", version = 2)]
//! #[serde(rename_all = "camelCase")]
//! struct BoilerData {
//!     temperature: f64,
//!     measured_at: Date,
//!     #[stream_schema(one_of = ["idle", "heating"])]
//!     mode: String,
//! }
//!
//! let def = BoilerData::definition();
//! assert_eq!(def.name.as_deref(), Some("boiler_data"));
//! assert_eq!(def.field("measuredAt").unwrap().ty, streamsea::FieldType::Date);
//!
//! let data = BoilerData { temperature: 70.5, measured_at: Date::now(), mode: "off".into() };
//! assert_eq!(data.validate().unwrap_err().paths(), ["mode"]);
//! ```

//! ## Publish and subscribe
//!
//! The client takes the stream's name and schema from the type: `define_stream`
//! registers (or confirms) the schema at startup, `publish` validates locally
//! before sending, and `subscribe` gives a `futures::Stream` of typed values
//! over one shared WebSocket connection that reconnects by itself.
//!
//! ```no_run
//! use serde::{Deserialize, Serialize};
//! use streamsea::{Client, Date, StreamExt, StreamSchema};
//!
//! #[derive(Debug, Serialize, Deserialize, StreamSchema)]
//! #[stream_schema(name = "boiler_data", version = 2)]
//! struct BoilerData {
//!     temperature: f64,
//!     measured_at: Date,
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .host("localhost")
//!     .port(3104)
//!     .basic("app", "secret")
//!     .build()?;
//! println!("{}", client.define_stream::<BoilerData>().await?); // created, unchanged or upgraded
//! let mut readings = client.subscribe::<BoilerData>().await?;
//! client.publish(&BoilerData { temperature: 71.5, measured_at: Date::now() }).await?;
//! while let Some(reading) = readings.next().await {
//!     println!("{:?}", reading?);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The `examples/` directory of the repository has complete programs that
//! start a local server in-process: `boiler`, `groups`, `jwt_dashboard`.
//!
//! ## Evolving a schema
//!
//! [`testing::assert_schema_locked`] keeps a type's definition in a file and
//! fails a test when the type changes without the version, or breaks
//! publishers or consumers of the previous version
//! ([`schema::evolution`] classifies each change). [`schema::sample`] makes
//! valid and near-miss invalid payloads of any definition (with the
//! `proptest` feature, strategies for them).
//!
//! Dependencies beyond the workspace crates: `serde_json`, to write the
//! schema lock files.
//!
//! A crate using these examples depends on `streamsea` and `serde` (with its
//! `derive` feature), since `#[derive(Serialize, Deserialize)]` is serde's own.
//! Everything else is reached through `streamsea::`, including [`StreamExt`]
//! for `next()` on a subscription.
//!
//! ## Features
//!
//! | feature | default | brings |
//! |---|---|---|
//! | `derive` | yes | `#[derive(StreamSchema)]` |
//! | `client` | yes | [`Client`] and everything around it: tokio, HTTP (reqwest), WebSocket, TLS (rustls), JWT signing; the wire shapes as [`protocol`] |
//! | `codegen` | no | `schema::codegen`: Rust source from a schema definition (syn, quote, prettyplease) |
//! | `server` | no | `streamsea::server`: the local stream-sea compatible server, to start in a user's own tests |
//! | `keygen` | no | `jwt::generate_key_pair`: RSA key pairs (the `rsa` crate); implies `client` |
//! | `proptest` | no | `schema::sample::strategy`: proptest strategies of valid and near-miss payloads |
//!
//! With `default-features = false, features = ["derive"]` a crate gets the
//! schema model, the validator, [`Date`] and the derive, and compiles no
//! tokio, HTTP or TLS.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The derive names its runtime `::streamsea::schema` when used in this
// package; this makes that path resolve inside the library as well.
extern crate self as streamsea;

pub use streamsea_schema as schema;
pub use streamsea_schema::{
    Date, Field, FieldType, SchemaDefinition, SchemaType, StreamSchema, ValidationError,
    ValidationErrors, Validator, Version,
};

/// `next()` and the other combinators of a [`Subscription`], which is a
/// `futures::Stream`.
#[cfg(feature = "client")]
pub use streamsea_client::StreamExt;
#[cfg(feature = "client")]
pub use streamsea_client::{
    jwt, BuildError, Client, ClientBuilder, ConnectionEvent, ConnectionState, DefineOutcome,
    Filter, Group, JwtError, NotSent, ReconnectPolicy, RequestError, SchemaCheck, SubscribeError,
    SubscribeOptions, Subscription,
};
#[cfg(feature = "client")]
pub use streamsea_client::{
    random_group_id, CreateClientResponse, CreateJailResponse, RotateSecretResponse,
};
#[cfg(feature = "client")]
pub use streamsea_client::{Interruption, NetworkCause, Overflow, RetryClass};
#[cfg(feature = "client")]
pub use streamsea_protocol as protocol;
pub use streamsea_schema::{Compatibility, Evolution};

pub mod testing;

/// The local stream-sea compatible server (feature `server`), for starting
/// one in-process in a user's own tests.
#[cfg(feature = "server")]
pub use streamsea_server as server;

/// `#[derive(StreamSchema)]`: see the `streamsea-derive` crate for what it
/// generates and the attributes it reads.
#[cfg(feature = "derive")]
pub use streamsea_derive::StreamSchema;
