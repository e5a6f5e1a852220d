//! # streamsea-rules
//!
//! The rules of stream-sea that are needed both at compile time, by
//! `#[derive(StreamSchema)]`, and at run time, by `streamsea-schema` (which
//! re-exports them), the protocol and the server. They live here, in a crate
//! with no dependencies, so that the proc-macro checks names and type names
//! exactly as the runtime does without compiling the runtime (chrono,
//! serde_json, thiserror) for the host.
//!
//! ```
//! use streamsea_rules::{check_stream_name, WireType};
//! assert!(check_stream_name("boiler_data").is_ok());
//! assert_eq!(
//!     check_stream_name("boiler data").unwrap_err().reason,
//!     "only ASCII letters, digits, `_`, `-` and `.` are allowed"
//! );
//! assert_eq!(WireType::from_name("array<date>"), Some(WireType::DateArray));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod clip;
mod identifier;
mod types;

pub use clip::clip;
pub use identifier::{check_identifier, check_stream_name, NameError, MAX_IDENTIFIER_LEN};
pub use types::{known_rust_type, WireType, KNOWN_RUST_TYPES};

/// The deepest nesting of `object` / `array<object>` fields a definition may have.
pub const MAX_DEPTH: usize = 32;
