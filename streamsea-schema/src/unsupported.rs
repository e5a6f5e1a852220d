//! Rust types stream-sea has no field type for, each with a compile error
//! that says what stream-sea offers instead.
//!
//! Each type implements [`SchemaType`] and [`ArrayElement`] only under a
//! bound it can never meet, a trait of its own whose message explains; the
//! bound is written under `for<'s>` so that it is checked where the type is
//! used as a field, not here, and on [`Unsupported`] so that the compiler
//! reports that trait's message rather than the general one of
//! `SchemaType`.

use std::marker::PhantomData;

use crate::field::FieldType;
use crate::traits::{ArrayElement, SchemaType};

/// The type the unmet bounds are stated on.
#[derive(Debug)]
pub struct Unsupported<T: ?Sized>(PhantomData<T>);

/// Unimplemented: a `bool` field.
#[diagnostic::on_unimplemented(
    message = "stream-sea has no boolean type, so a `bool` field cannot be declared",
    label = "`bool` has no stream-sea field type",
    note = "use an enum of two unit variants deriving StreamSchema (an `enum` field, e.g. `enum Valve {{ Open, Closed }}`), or an integer holding 0 or 1"
)]
pub trait NoBooleanType {}

/// Unimplemented: a 128-bit integer field.
#[diagnostic::on_unimplemented(
    message = "stream-sea has no field type for a 128-bit integer: its `integer` holds what i64 and u64 hold",
    label = "128-bit integers have no stream-sea field type",
    note = "use i64 or u64 (an `integer` field), or a String holding the digits (a `string` field)"
)]
pub trait NoWideInteger {}

/// Unimplemented: a date or time without a time zone.
#[diagnostic::on_unimplemented(
    message = "a stream-sea `date` is a UTC instant, and a naive chrono date or time has no time zone",
    label = "no stream-sea field type for a date or time without a zone",
    note = "use `streamsea::schema::Date` (whole seconds, UTC) or chrono's `DateTime<Utc>`; convert with `.and_utc()`"
)]
pub trait NoNaiveDate {}

/// Unimplemented: a free-form JSON value.
#[diagnostic::on_unimplemented(
    message = "a `serde_json::Value` can be any JSON, and stream-sea declares the type of every field",
    label = "no stream-sea field type for free-form JSON",
    note = "for a free-form object, declare an `object` field with no fields: #[stream_schema(type = \"object\")] on a `serde_json::Map<String, Value>`; otherwise use a struct deriving StreamSchema"
)]
pub trait NoFreeFormValue {}

macro_rules! unsupported {
    ($no:ident => $($t:ty),*) => {$(
        impl SchemaType for $t
        where
            for<'s> Unsupported<$t>: $no,
        {
            fn field_type() -> FieldType {
                unreachable!("the bound of this impl is never met")
            }
        }
        impl ArrayElement for $t
        where
            for<'s> Unsupported<$t>: $no,
        {
            fn array_type() -> FieldType {
                unreachable!("the bound of this impl is never met")
            }
        }
    )*};
}

unsupported!(NoBooleanType => bool);
unsupported!(NoWideInteger => i128, u128);
unsupported!(NoNaiveDate => chrono::NaiveDateTime, chrono::NaiveDate, chrono::NaiveTime);
unsupported!(NoFreeFormValue => serde_json::Value);
