//! # streamsea-derive
//!
//! `#[derive(StreamSchema)]`: the stream-sea schema and a validator from a
//! Rust type. Users reach it through the facade, `use streamsea::StreamSchema;`,
//! which brings both the trait and the derive.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use streamsea_derive::StreamSchema;
//! use streamsea_schema::{Date, FieldType, SchemaDefinition, StreamSchema, Validator};
//!
//! #[derive(Serialize, Deserialize, StreamSchema)]
//! #[serde(rename_all = "lowercase")]
//! enum Mode { Idle, Heating }
//!
//! #[derive(Serialize, Deserialize, StreamSchema)]
//! struct Reading { at: Date, value: f64 }
//!
//! #[derive(Serialize, Deserialize, StreamSchema)]
//! #[stream_schema(name = "boiler_data", version = 2)]
//! #[serde(rename_all = "camelCase")]
//! struct BoilerData {
//!     temperature: f64,
//!     mode: Mode,
//!     readings: Vec<Reading>,
//!     site: Option<String>,
//!     #[stream_schema(date)]
//!     serviced_at: String,
//! }
//!
//! let expected = SchemaDefinition::from_json_str(r#"{"name": "boiler_data", "version": 2, "fields": [
//!     {"name": "temperature", "type": "float"},
//!     {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
//!     {"name": "readings", "type": "array<object>", "fields": [
//!         {"name": "at", "type": "date"}, {"name": "value", "type": "float"}]},
//!     {"name": "site", "type": "string"},
//!     {"name": "servicedAt", "type": "date"}
//! ]}"#).unwrap();
//! assert_eq!(BoilerData::definition(), expected);
//!
//! let data = BoilerData {
//!     temperature: 71.5,
//!     mode: Mode::Heating,
//!     readings: vec![],
//!     site: None,
//!     serviced_at: "last week".into(),
//! };
//! let errors = data.validate().unwrap_err();
//! assert_eq!(errors.paths(), ["servicedAt"]);
//! // The validator compiled from the definition says the same of the JSON.
//! let json = serde_json::to_value(&data).unwrap();
//! assert_eq!(Validator::new(&expected).validate(&json).unwrap_err(), errors);
//! ```
//!
//! ## What becomes what
//!
//! Every field maps through the traits of `streamsea-schema`
//! (`SchemaType`, `ArrayElement`, `SchemaObject`), so the decision is made by
//! trait, never by how a type is spelt: aliases and full paths work, and a
//! type stream-sea cannot hold is a compile error at the field that says
//! what to use instead.
//!
//! - A struct with named fields is an `object` (and `array<object>` in a
//!   `Vec`); with `#[stream_schema(name = "...", version = N)]` it is also a
//!   stream payload (`StreamSchema`). The name is checked at compile time by
//!   the one stream-name rule of `streamsea-schema`.
//! - An enum of unit variants is an `enum` of the names serde writes.
//! - A tuple struct of one field, or a `#[serde(transparent)]` struct, is its
//!   field's type.
//! - `Option<T>` is `T`'s type (every stream-sea field may be absent or null).
//!
//! ## serde's attributes
//!
//! The schema describes exactly the JSON serde writes: `rename` and
//! `rename_all` (every case serde has) on containers, fields and variants;
//! `skip` and `skip_serializing` leave a field or variant out;
//! `skip_deserializing`, `default`, `alias` and `skip_serializing_if` change
//! only reading, so the field stays; `flatten` adds the inner struct's fields
//! to the outer's; `transparent` takes the field's type; a struct's `tag`
//! adds its key as an `enum` of the one name. A name that serde writes
//! differently from how it reads it (`rename(serialize = "a", deserialize =
//! "b")`) is an error: a stream's messages are written and read with one
//! schema. What stream-sea cannot express is a compile error that says so:
//! enums with data, `tag`/`content`/`untagged` enums, tuple structs of more
//! than one field, unit structs, unions, `into` and `remote`.
//!
//! A field written with `with`/`serialize_with` keeps the schema of its Rust
//! type; when the serializer writes something else, state the type with
//! `#[stream_schema(type = "...")]`. `validate()` does not run such a field's
//! type check, which describes how the type writes itself (a stated `date` or
//! `one_of` is still checked).
//!
//! ## `#[stream_schema(...)]`
//!
//! On the type: `name = "stream_name"` and `version = N` (both, for a
//! payload); `crate = "path"` to name the runtime crate; `bound = "T: ..."`
//! to replace the inferred bounds of a generic type (as serde's `bound`).
//!
//! On a field:
//! - `date`: a `String` (or `Option<String>`, `Vec<String>`) holding a date,
//!   a `date` (`array<date>`) field checked by `validate()`;
//! - `one_of = ["a", "b"]`: a `String` (or `Option<String>`) holding one of
//!   the values, an `enum` field checked by `validate()`;
//! - `type = "float"`: the field type of a type with no `SchemaType` impl
//!   (any of `string`, `float`, `integer`, `date`, the four scalar arrays,
//!   `object`, `array<object>`); nothing is checked at run time;
//! - `skip`: leave the field out of the schema (serde still writes it, so
//!   the server will reject it as undeclared: use with serde's own skip, or
//!   for data kept out of published messages by other means).
//!
//! ## Generics
//!
//! As serde does, the impls of a generic type require, of every written field
//! whose type mentions a type parameter, the trait the expansion calls: a
//! `Vec<T>` field requires `Vec<T>: SchemaType`, which holds when `T` is an
//! array element.
//!
//! ## Validation
//!
//! `validate()` (from `StreamSchema`) checks only what the type system
//! cannot guarantee: `date` and `one_of` strings, and `chrono::DateTime<Utc>`
//! values, through nested structs, options and vectors. It reports each error with its path in serde's names
//! (`readings[3].at`), the same errors the compiled `Validator` reports for
//! the serialized value, and allocates nothing when the value is valid.
//! Fields the derive cannot see into are the exception: a stated `type` is
//! not checked, and a field serde writes but `#[stream_schema(skip)]` leaves
//! out is an undeclared key to the validator.
//!
//! A `chrono::DateTime<Utc>` field is a `date`, but serde writes it as chrono
//! does: with a fraction of a second when it has one
//! (`2023-11-14T22:13:20.123Z`) and with a sign outside years 0000..=9999,
//! and neither is a stream-sea date. `validate()` reports such a value, as
//! the validator does its JSON. To publish any timestamp, use
//! `streamsea::schema::Date` (whole seconds), or write the field with
//! `#[serde(with = "streamsea::schema::date::chrono_utc")]`, which drops the
//! fraction:
//!
//! ```
//! use chrono::{DateTime, TimeZone, Utc};
//! use streamsea_derive::StreamSchema;
//! use streamsea_schema::StreamSchema;
//!
//! #[derive(serde::Serialize, StreamSchema)]
//! #[stream_schema(name = "ticks", version = 1)]
//! struct Tick {
//!     at: DateTime<Utc>,
//!     #[serde(with = "streamsea_schema::date::chrono_utc")]
//!     sent: DateTime<Utc>,
//! }
//!
//! let t = Utc.timestamp_opt(1_700_000_000, 123_000_000).unwrap();
//! let errors = Tick { at: t, sent: t }.validate().unwrap_err();
//! assert_eq!(errors.paths(), ["at"]);
//! assert_eq!(errors.errors[0].found, r#"string "2023-11-14T22:13:20.123Z""#);
//! ```
//!
//! ## Where the expansion finds the runtime
//!
//! The impls are written inside `const _: () = { ... };` with absolute
//! paths. The runtime is looked up in the manifest of the package being
//! compiled: `streamsea` first (its `schema` module), then
//! `streamsea-schema`, honouring renamed dependencies; inside the
//! `streamsea-schema` library itself the path is `crate` (its doctests name
//! it with `crate = "::streamsea_schema"`).
//! `#[stream_schema(crate = "...")]` overrides the search.
//!
//! ## Limits
//!
//! A type that contains itself (directly or through others) has no finite
//! stream-sea schema; listing its fields panics with a message naming it
//! once objects nest deeper than `streamsea_schema::MAX_DEPTH`.
//!
//! Two fields serde writes under one name are a compile error, except when
//! one comes from a `#[serde(flatten)]` struct: its names are known only at
//! run time, so listing the fields (`fields()`, `definition()`) panics with a
//! message naming the type and the field, since serde would write the key
//! twice and the server rejects a definition that declares a field twice.
//!
//! Dependencies: `syn`, `quote` and `proc-macro2` to parse and generate code;
//! `proc-macro-crate` to find the runtime crate under the name the user's
//! manifest gives it; `streamsea-schema` for its stream-name rule, so the
//! derive checks names exactly as the runtime does.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod attr;
mod bound;
mod case;
mod expand;
mod krate;
mod rust_type;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `SchemaType` (and `SchemaObject`, `ArrayElement` for structs with
/// named fields, and `StreamSchema` with `#[stream_schema(name, version)]`).
/// See the crate documentation for the attributes.
#[proc_macro_derive(StreamSchema, attributes(stream_schema, serde))]
pub fn derive_stream_schema(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut errors = attr::Errors::default();
    let ast = ast::Input::from_syn(input, &mut errors);
    valid::check(&ast, &mut errors);
    let krate = match krate::runtime(ast.attrs.krate.as_ref()) {
        Ok(k) => k,
        // No fallback here: its impls would name the runtime's traits, and
        // there is no path to name them by (a guessed one adds an error of
        // its own to every derive). The one error says how to give the path.
        Err(e) => {
            let mut out = errors.to_compile_errors();
            out.extend(e.to_compile_error());
            return out;
        }
    };
    if errors.is_empty() {
        expand::expand(&ast, &krate)
    } else {
        let mut out = errors.to_compile_errors();
        out.extend(expand::fallback(input, ast.attrs.payload.is_some(), &krate));
        out
    }
}
