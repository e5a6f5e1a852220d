//! # streamsea-protocol
//!
//! The wire shapes of stream-sea 4.x, defined once and shared by the client
//! and the local server:
//!
//! - [`routes`]: the HTTP routes (PROTOCOL.md section 2) and the WebSocket endpoint;
//! - [`http`]: request and response bodies, and the error body
//!   `{"message", "errors"?}` whose `errors` are
//!   [`streamsea_schema::ValidationError`]s;
//! - [`ws`]: WebSocket messages in both directions (PROTOCOL.md section 5), with
//!   parsers that say what is wrong with a malformed frame;
//! - [`jwt`]: the claims of a stream-sea JWT (PROTOCOL.md section 6);
//! - [`filter`]: the Filter DSL (PROTOCOL.md section 7): expression, builder,
//!   bounded evaluator;
//! - identifier rules: [`check_client_id`], [`check_jail_id`],
//!   [`check_group_id`] (stream names: [`streamsea_schema::check_stream_name`]).
//!
//! ```
//! use streamsea_protocol::{filter::Filter, jwt::Claims, routes, ws::ClientMessage};
//!
//! // what a client sends
//! let path = format!("{}{}", routes::API_BASE, routes::publish("boiler_data"));
//! assert_eq!(path, "/api/v1/streams/boiler_data/publish");
//! let frame = ClientMessage::Subscribe { id: 2, stream: "boiler_data".into(), group_id: None }.to_json();
//!
//! // what a server reads
//! assert_eq!(ClientMessage::parse(&frame).unwrap().id(), 2);
//!
//! // a token's claims with a filter
//! let claims = Claims {
//!     exp: 1_893_456_000,
//!     must_fanout: true,
//!     filter: Some(Filter::path("mode").eq(Filter::string("heating"))),
//! };
//! let back: Claims = serde_json::from_str(&serde_json::to_string(&claims).unwrap()).unwrap();
//! assert_eq!(back, claims);
//! ```
//!
//! Dependencies: `serde`/`serde_json` for the wire JSON (`raw_value` to write
//! one serialized payload into many delivery frames), `thiserror` for the
//! error types, `streamsea-schema` for schema definitions, versions,
//! validation errors and the stream name rule.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod filter;
pub mod http;
mod ids;
pub mod jwt;
pub mod routes;
pub mod ws;

pub use ids::{check_client_id, check_group_id, check_jail_id, IdError, MAX_ID_LEN};
