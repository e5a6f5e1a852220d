//! `proptest` strategies over the samples of a definition (feature
//! `proptest`): valid JSON payloads, invalid ones with their error's path,
//! and values of a type `T: StreamSchema` read from typed samples.
//!
//! Each strategy draws a seed and asks a [`Sampler`] for one sample, so a
//! failing case is reproduced by its seed; shrinking moves between seeds
//! rather than inside one payload.
//!
//! ```
//! use proptest::prelude::*;
//! use streamsea_schema::sample::strategy;
//! use streamsea_schema::{Field, FieldType, SchemaDefinition, Validator};
//!
//! let def = SchemaDefinition::new("pings", 1, vec![Field::new("seq", FieldType::Integer)]);
//! let validator = Validator::new(&def);
//! proptest!(|(payload in strategy::payloads_for(&def))| {
//!     prop_assert!(validator.is_valid(&payload));
//! });
//! ```

use std::fmt::Debug;
use std::sync::Arc;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{InvalidSample, SampleOptions, Sampler};
use crate::definition::SchemaDefinition;
use crate::traits::StreamSchema;

/// Valid payloads of `definition` (everything the wire allows).
pub fn payloads_for(definition: &SchemaDefinition) -> impl Strategy<Value = Value> {
    with_options(definition, SampleOptions::default())
}

/// Valid payloads of `definition` made with `options`.
pub fn with_options(
    definition: &SchemaDefinition,
    options: SampleOptions,
) -> impl Strategy<Value = Value> {
    let def = Arc::new(definition.clone());
    any::<u64>().prop_map(move |seed| Sampler::with_options(&def, seed, options).valid())
}

/// Invalid payloads of `definition`, each with the path of its one error.
pub fn invalid_payloads_for(definition: &SchemaDefinition) -> impl Strategy<Value = InvalidSample> {
    let def = Arc::new(definition.clone());
    any::<u64>().prop_map(move |seed| Sampler::new(&def, seed).invalid())
}

/// Valid payloads of `T`'s stream.
pub fn payloads<T: StreamSchema>() -> impl Strategy<Value = Value> {
    payloads_for(&T::definition())
}

/// Invalid payloads of `T`'s stream, each with the path of its one error.
pub fn invalid_payloads<T: StreamSchema>() -> impl Strategy<Value = InvalidSample> {
    invalid_payloads_for(&T::definition())
}

/// Values of `T`, read from typed samples of its definition
/// ([`SampleOptions::typed`]). A sample `T` cannot read (a type narrower than
/// its field type, such as a `u8` for an `integer` above 100 could be, or a
/// custom `Deserialize`) is rejected, and proptest reports too many
/// rejections if that keeps happening.
pub fn values<T>() -> impl Strategy<Value = T>
where
    T: StreamSchema + DeserializeOwned + Debug,
{
    with_options(&T::definition(), SampleOptions::typed())
        .prop_filter_map("the sample does not deserialize into the type", |v| {
            serde_json::from_value::<T>(v).ok()
        })
}
