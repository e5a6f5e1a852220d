//! # streamsea
//!
//! The Rust toolkit for stream-sea 4.x, a hosted pub/sub streaming service.
//!
//! This facade re-exports the parts a user needs: the schema model, the
//! validator, [`Date`] and the [`StreamSchema`] trait.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use streamsea_schema as schema;
pub use streamsea_schema::{
    Date, Field, FieldType, SchemaDefinition, SchemaType, StreamSchema, ValidationError,
    ValidationErrors, Validator, Version,
};
