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
//! - `Option<T>` is `T`'s type (every stream-sea field may be absent or null);
//!   `Option<Option<T>>` is a compile error, since serde writes `None` and
//!   `Some(None)` alike.
//! - Sets (`BTreeSet`, `HashSet`) are arrays; `char` and `Cow<str>` are
//!   strings; a unit enum in a `Vec` is an `array<string>` (stream-sea has no
//!   array of enum values).
//! - `bool`, 128-bit integers, naive chrono dates and `serde_json::Value`
//!   are compile errors that say what stream-sea offers instead.
//!
//! ## serde's attributes
//!
//! One rule: the schema describes exactly the JSON serde writes, or the
//! derive refuses to compile, naming the field and what to write instead.
//! The derive reads serde's attributes itself and models each one it
//! accepts; every other serde attribute is a compile error, so none can
//! change the JSON unnoticed.
//!
//! Modelled, as serde writes them:
//! - containers: `rename`, `rename_all` (every case serde has), `transparent`
//!   (the field's type), a struct's `tag` (its key, as an `enum` of the one
//!   name), and, as they change only reading or bounds, `deny_unknown_fields`,
//!   `default`, `from`, `try_from`, `bound`, `crate`, `expecting` and, on
//!   enums of unit variants, `rename_all_fields`;
//! - fields: `rename`, `skip` and `skip_serializing` (left out),
//!   `skip_serializing_if` (declared; `validate()` calls the predicate as
//!   serde does and checks the field only when it is written), `flatten`
//!   (the inner struct's fields join the outer's), `with` and
//!   `serialize_with` (with a stated type, below), and, as they change only
//!   reading or bounds, `alias`, `default`, `skip_deserializing`,
//!   `deserialize_with`, `borrow`, `bound`;
//! - variants: `rename`, `skip` and `skip_serializing` (left out of the
//!   values; `validate()` reports a value holding one, which serde cannot
//!   write), and `alias`, `skip_deserializing`, `rename_all`.
//!
//! Refused, each with a message that says what to do: enums with data,
//! `tag`/`content`/`untagged` enums, tuple structs of more than one field,
//! unit structs, unions, `into`, `remote`, `getter`, `variant_identifier`,
//! `field_identifier`, `other`, a variant's `with`/`serialize_with`, and any
//! serde key not listed above. A name that serde writes differently from how
//! it reads it (`rename(serialize = "a", deserialize = "b")`) is refused too:
//! a stream's messages are written and read with one schema.
//!
//! A field written through a function (`with`, `serialize_with`) writes
//! what the function writes, so it needs a stated type:
//! `#[stream_schema(type = "...")]`, `date` or `one_of`. `validate()` runs
//! the function and checks what it writes against that type, as the
//! validator does; a function that fails (`chrono_utc` outside years
//! 0000..=9999) is reported, since serde could not write the message.
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
//!   `object`, `array<object>`), or of a field written by a function. On a
//!   type the derive knows by name (the scalars, and their options, arrays
//!   and sets), a stated type other than the type's own is a compile error;
//! - `skip`: leave the field out of the schema, on a field serde skips too
//!   (on a field serde writes it is a compile error: every message would
//!   carry an undeclared key). One exception is faithful: a
//!   `#[serde(flatten)]` map that is the only field of its struct, whose
//!   schema then declares no fields (stream-sea's "any object").
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
//! `validate()` (from `StreamSchema`) checks what the type system cannot
//! guarantee: `date` and `one_of` strings, `chrono::DateTime<Utc>` values,
//! non-finite floats in arrays (serde writes them as `null`, which an array
//! may not hold; in a field, `null` reads as absent and passes), values
//! holding a variant serde skips, and what `with` functions write, through
//! nested structs, options and vectors. For every value serde can write, it
//! reports the same errors as the compiled `Validator` reports for the
//! serialized value, in the same order (one order: the keys of each object
//! in byte order, array elements by index, depth first) and with the same
//! cap (`DEFAULT_ERROR_LIMIT`), each with its path in serde's names
//! (`readings[3].at`). It allocates nothing when the value is valid, unless
//! a field is written through a function (it is serialized to be checked).
//!
//! A `chrono::DateTime<Utc>` field is a `date`, but serde writes it as chrono
//! does: with a fraction of a second when it has one
//! (`2023-11-14T22:13:20.123Z`) and with a sign outside years 0000..=9999,
//! and neither is a stream-sea date. `validate()` reports such a value, as
//! the validator does its JSON. To publish any timestamp, use
//! `streamsea::schema::Date` (whole seconds), or write the field with
//! `#[serde(with = "streamsea::schema::date::chrono_utc")]` and
//! `#[stream_schema(type = "date")]`, which drops the fraction:
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
//!     #[stream_schema(type = "date")]
//!     sent: DateTime<Utc>,
//! }
//!
//! let t = Utc.timestamp_opt(1_700_000_000, 123_000_000).unwrap();
//! let errors = Tick { at: t, sent: t }.validate().unwrap_err();
//! assert_eq!(errors.paths(), ["at"]);
//! assert_eq!(errors.errors[0].found, r#"string "2023-11-14T22:13:20.123Z""#);
//!
//! // Year 10000 is no stream-sea date: `chrono_utc` refuses to write it.
//! let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
//! let errors = Tick { at: far, sent: far }.validate().unwrap_err();
//! assert_eq!(errors.paths(), ["at", "sent"]);
//! assert_eq!(errors.errors[1].expected, "a value serde can write");
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
//! stream-sea schema: listing its fields panics with a message that names it
//! and says it contains itself. A type that is not recursive but nests
//! objects deeper than `streamsea_schema::MAX_DEPTH` panics with a message
//! that says how deep it goes.
//!
//! Two fields serde writes under one name are a compile error, except when
//! one comes from a `#[serde(flatten)]` struct: its names are known only at
//! run time, so listing the fields (`fields()`, `definition()`) panics with a
//! message naming the type and the field, since serde would write the key
//! twice and the server rejects a definition that declares a field twice.
//!
//! Dependencies: `syn`, `quote` and `proc-macro2` to parse and generate code;
//! `proc-macro-crate` to find the runtime crate under the name the user's
//! manifest gives it; `streamsea-rules` for the stream-name rule and the
//! field type names, so the derive checks them exactly as the runtime does
//! without compiling the runtime (chrono, serde_json, thiserror) for the
//! host.

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
