//! # streamsea-schema
//!
//! The schema side of stream-sea 4.x: schema definitions and their wire JSON
//! ([`SchemaDefinition`], [`Field`], [`FieldType`], [`Version`]), the
//! command-line short form ([`parse_short_form`]), a compiled payload
//! [`Validator`], the [`Date`] type, the traits that map Rust types to field
//! types ([`SchemaType`], [`ArrayElement`], [`SchemaObject`],
//! [`StreamSchema`]), schema comparison ([`diff`]) and JSON Schema export
//! ([`to_json_schema`]).
//!
//! ```
//! use serde_json::json;
//! use streamsea_schema::{SchemaDefinition, Validator};
//!
//! let def = SchemaDefinition::from_json_str(r#"{"name": "boiler_data", "version": 2, "fields": [
//!     {"name": "temperature", "type": "float"},
//!     {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
//!     {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
//! ]}"#).unwrap();
//! let validator = Validator::new(&def);
//! let errors = validator
//!     .validate(&json!({"temperature": "hot", "mode": "Idle", "readings": [{"at": "2019-02-29T10:00:00Z"}]}))
//!     .unwrap_err();
//! assert_eq!(errors.errors.len(), 3);
//! assert!(errors.to_string().contains("readings[0].at: expected date"));
//! ```
//!
//! Dependencies: `serde`/`serde_json` for the wire JSON, `chrono` for
//! conversions of [`Date`], `thiserror` for the error types; `streamsea-rules` for the rules the derive
//! also applies at compile time (names, type names); with the
//! `codegen` feature (off by default), `syn`/`quote`/`proc-macro2` to build
//! generated Rust code as a syntax tree and `prettyplease` to print it as
//! formatted source, so generated code is always well-formed; with the
//! `proptest` feature, `proptest` for the strategies of `sample::strategy`.
//! Sample payloads ([`sample`]) use a small SplitMix64 generator written in
//! the crate instead of a random-number library, so that a seed gives the
//! same samples everywhere and in every release.
//!
//! Compatibility of a schema change ([`evolution`], [`Compatibility`]) says,
//! for each difference, whether publishers built for the old version still
//! pass and whether consumers typed for it still read every new message.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "codegen")]
pub mod codegen;
mod compat;
pub mod date;
mod definition;
mod derive_support;
mod diff;
mod error;
mod field;
mod json_schema;
mod report;
pub mod sample;
mod short_form;
mod traits;
mod unsupported;
mod validator;
mod version;

#[cfg(feature = "codegen")]
pub use codegen::{generate_rust, CodegenError, CodegenOptions};
pub use compat::{evolution, Change, ChangeKind, Compatibility, Evolution, VersionStep};
pub use date::{is_valid_date, Date, DateError};
pub use definition::{check_stream_name, SchemaDefinition, MAX_STREAM_NAME_LEN};
pub use diff::{diff, FieldChange, SchemaDiff};
pub use error::SchemaError;
pub use field::{fields_equal, scalar_type_from_wire, Field, FieldType, MAX_DEPTH};
pub use json_schema::{to_json_schema, DATE_PATTERN};
pub use report::{
    describe_str, describe_value, Path, Report, Segment, ValidationError, ValidationErrors,
    DEFAULT_ERROR_LIMIT,
};
pub use short_form::parse_short_form;
/// The rules shared with the derive: names, identifiers, type names.
pub use streamsea_rules as rules;
pub use traits::{ArrayElement, SchemaObject, SchemaType, StreamSchema};
pub use unsupported::{NoBooleanType, NoFreeFormValue, NoNaiveDate, NoWideInteger, Unsupported};
pub use validator::{expected_one_of, Validator, EXPECTED_DATE, EXPECTED_DECLARED_KEY};
pub use version::Version;

/// What `#[derive(StreamSchema)]` expands to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::derive_support::*;
}
