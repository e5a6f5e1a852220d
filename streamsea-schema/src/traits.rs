//! The traits that map Rust types to stream-sea field types.
//!
//! [`SchemaType`] gives a type's field type; [`ArrayElement`] marks the types
//! stream-sea can hold in an array; [`SchemaObject`] is a type written as a
//! JSON object with declared fields; [`StreamSchema`] is a stream's payload.
//! `#[derive(StreamSchema)]` implements them for structs and unit enums.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};

use crate::date::{is_valid_date, Date};
use crate::definition::SchemaDefinition;
use crate::field::{Field, FieldType};
use crate::report::{describe_str, Path, Report, ValidationErrors};
use crate::validator::EXPECTED_DATE;

/// What an error says a `float` value should be (as the validator says it).
pub(crate) const EXPECTED_FLOAT: &str = "float (a number)";
use crate::version::Version;

/// A Rust type that is a stream-sea field type.
///
/// Implemented for `String`, `str` and `char` (string), integers up to 64 bits
/// (integer), `f32`/`f64` (float), [`Date`] and `chrono::DateTime<Utc>`
/// (date), `Vec`, `VecDeque`, `BTreeSet`, `HashSet`, slices and arrays of
/// [`ArrayElement`]s (the array types),
/// `Option` (optional), `Box`, `Arc`, `Rc`, `Cow` and references (the inner
/// type's), and the types that derive `StreamSchema`.
///
/// `chrono::DateTime<Utc>` is a `date`, but serde writes it as chrono does:
/// with a fraction when it has one (`2023-11-14T22:13:20.123Z`) and with a
/// sign and more digits outside years 0000..=9999 (`+10000-01-01T00:00:00Z`),
/// neither of which is a stream-sea date. Its [`check`](SchemaType::check)
/// reports such values, with the same error the [`Validator`](crate::Validator)
/// reports for their JSON. A [`Date`], or a `DateTime<Utc>` field written with
/// `#[serde(with = "streamsea::schema::date::chrono_utc")]` (in
/// `streamsea-schema`, [`date::chrono_utc`](crate::date::chrono_utc)), is
/// always written as a valid date.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a stream-sea field",
    label = "stream-sea has no field type for `{Self}`",
    note = "supported: String, char, integers up to 64 bits, f32/f64, Date, DateTime<Utc>, Vec/sets/slices/arrays of those, of structs or of unit enums, Option, Box, Arc, Cow, and types that derive StreamSchema",
    note = "maps and tuples have no stream-sea type: use a struct deriving StreamSchema, or #[stream_schema(type = \"...\")] for a foreign type"
)]
pub trait SchemaType {
    /// The field type this Rust type is written as.
    fn field_type() -> FieldType;

    /// True when a value may be absent or `null` (`Option`).
    fn is_optional() -> bool {
        false
    }

    /// Checks what the type system cannot guarantee (dates and enum values
    /// kept in strings), recording errors at `path`. Most types have nothing
    /// to check.
    #[inline]
    fn check(&self, path: &Path<'_>, report: &mut Report) {
        let _ = (path, report);
    }
}

/// A type stream-sea can hold as the element of an array: strings, numbers,
/// dates and objects; a unit enum is an element of an `array<string>`
/// (stream-sea has no array of enum values). Arrays of arrays and of
/// optional values do not exist in stream-sea.
#[diagnostic::on_unimplemented(
    message = "stream-sea has no array of `{Self}`",
    label = "not an array element type",
    note = "stream-sea arrays hold strings, integers, floats, dates or objects: no arrays of arrays or of optional values",
    note = "for an array of arrays, wrap the inner array in a struct with a named field: `Vec<Row>` with `struct Row {{ cells: Vec<i32> }}` deriving StreamSchema is an `array<object>`",
    note = "for optional values leave out the Option, or wrap the value in a struct whose field is an Option"
)]
pub trait ArrayElement: SchemaType {
    /// The array field type whose elements are `Self`.
    fn array_type() -> FieldType;

    /// Checks the value as an element of an array. serde writes a
    /// non-finite float as `null`: a field may hold `null` (it reads as
    /// absent), an array element may not, so floats report it here.
    #[inline]
    fn check_element(&self, path: &Path<'_>, report: &mut Report) {
        self.check(path, report)
    }
}

/// A type written as a JSON object with declared fields (a struct deriving
/// `StreamSchema`).
pub trait SchemaObject: SchemaType {
    /// The object's fields.
    fn fields() -> Vec<Field>;

    /// The smallest key this object writes that sorts after `after` (all of
    /// them from the start with `None`), in byte order: how an outer struct
    /// that flattens this one checks the merged keys in the order the
    /// validator reports them. Derived; a hand-written impl keeps the
    /// default, one key `""` that checks the whole value.
    #[doc(hidden)]
    fn __next_key(after: Option<&str>) -> Option<&'static str> {
        after.is_none().then_some("")
    }

    /// Checks the field written under `key`, where the object's own keys go
    /// under `path` (see [`__next_key`](SchemaObject::__next_key)).
    #[doc(hidden)]
    fn __check_key(&self, key: &str, path: &Path<'_>, report: &mut Report) {
        if key.is_empty() {
            self.check(path, report);
        }
    }
}

/// A type that is the payload of a stream: it knows its stream's name and
/// schema version, its definition, and validates itself.
///
/// ```
/// use streamsea_schema::{Field, FieldType, Path, Report, SchemaObject, SchemaType, StreamSchema};
/// #[derive(serde::Serialize)]
/// struct Ping { seq: i64 }
/// impl SchemaType for Ping {
///     fn field_type() -> FieldType { FieldType::Object(Self::fields()) }
/// }
/// impl SchemaObject for Ping {
///     fn fields() -> Vec<Field> { vec![Field::new("seq", FieldType::Integer)] }
/// }
/// impl StreamSchema for Ping {
///     const STREAM_NAME: &'static str = "pings";
///     const VERSION: u64 = 1;
/// }
/// assert_eq!(Ping::definition().name.as_deref(), Some("pings"));
/// assert!(Ping { seq: 1 }.validate().is_ok());
/// ```
pub trait StreamSchema: SchemaObject {
    /// The stream's name.
    const STREAM_NAME: &'static str;
    /// The schema version.
    const VERSION: u64;

    /// The stream's name.
    fn stream_name() -> &'static str {
        Self::STREAM_NAME
    }

    /// The schema version.
    fn version() -> Version {
        Version(Self::VERSION)
    }

    /// The full definition to register with `define`.
    fn definition() -> SchemaDefinition {
        SchemaDefinition::new(Self::STREAM_NAME, Self::VERSION, Self::fields())
    }

    /// Checks the value against the rules its type cannot guarantee; every
    /// error carries its path (serde's names). For a derived type, the errors
    /// are those the [`Validator`](crate::Validator) reports for the JSON
    /// serde writes, in the same order and with the same cap (see
    /// [`ValidationErrors`]), and a value serde cannot write is an error too.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut report = Report::default();
        self.check(&Path::ROOT, &mut report);
        report.into_result()
    }
}

macro_rules! scalar {
    ($ty:expr, $arr:expr => $($t:ty),*) => {$(
        impl SchemaType for $t {
            #[inline]
            fn field_type() -> FieldType { $ty }
        }
        impl ArrayElement for $t {
            #[inline]
            fn array_type() -> FieldType { $arr }
        }
    )*};
}

scalar!(FieldType::String, FieldType::StringArray => String, str, char);
scalar!(FieldType::Integer, FieldType::IntegerArray => i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
macro_rules! float {
    ($($t:ty),*) => {$(
        impl SchemaType for $t {
            #[inline]
            fn field_type() -> FieldType { FieldType::Float }
        }
        impl ArrayElement for $t {
            #[inline]
            fn array_type() -> FieldType { FieldType::FloatArray }
            #[inline]
            fn check_element(&self, path: &Path<'_>, report: &mut Report) {
                if !self.is_finite() {
                    report.push(path, EXPECTED_FLOAT, "null");
                }
            }
        }
    )*};
}

float!(f32, f64);
scalar!(FieldType::Date, FieldType::DateArray => Date);

/// A `date` as long as serde writes it as one: with no fraction of a second
/// and a year in 0000..=9999 (see [`SchemaType`]).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use streamsea_schema::{Path, Report, SchemaType, EXPECTED_DATE};
///
/// let whole = Utc.timestamp_opt(1_700_000_000, 0).unwrap();
/// let mut report = Report::default();
/// whole.check(&Path::ROOT.key("at"), &mut report);
/// assert!(report.is_empty());
///
/// let fraction = Utc.timestamp_opt(1_700_000_000, 123_000_000).unwrap();
/// fraction.check(&Path::ROOT.key("at"), &mut report);
/// let errors = report.into_result().unwrap_err();
/// assert_eq!(errors.errors[0].expected, EXPECTED_DATE);
/// assert_eq!(errors.errors[0].found, r#"string "2023-11-14T22:13:20.123Z""#);
/// ```
impl SchemaType for DateTime<Utc> {
    #[inline]
    fn field_type() -> FieldType {
        FieldType::Date
    }

    #[inline]
    fn check(&self, path: &Path<'_>, report: &mut Report) {
        // Whole seconds in years 0000..=9999 are written `YYYY-MM-DDTHH:mm:ssZ`.
        if self.nanosecond() == 0 && (0..=9999).contains(&self.year()) {
            return;
        }
        // The text serde writes: chrono serializes with these options.
        let text = self.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        if !is_valid_date(&text) {
            report.push(path, EXPECTED_DATE, describe_str(&text));
        }
    }
}

impl ArrayElement for DateTime<Utc> {
    #[inline]
    fn array_type() -> FieldType {
        FieldType::DateArray
    }
}

impl<T: SchemaType> SchemaType for Option<T> {
    fn field_type() -> FieldType {
        T::field_type()
    }
    fn is_optional() -> bool {
        true
    }
    #[inline]
    fn check(&self, path: &Path<'_>, report: &mut Report) {
        if let Some(v) = self {
            v.check(path, report);
        }
    }
}

macro_rules! array {
    ($($t:ty),*) => {$(
        impl<T: ArrayElement> SchemaType for $t {
            fn field_type() -> FieldType {
                T::array_type()
            }
            #[inline]
            fn check(&self, path: &Path<'_>, report: &mut Report) {
                for (i, v) in self.iter().enumerate() {
                    if report.is_full() {
                        return;
                    }
                    v.check_element(&path.index(i), report);
                }
            }
        }
    )*};
}

array!(
    Vec<T>,
    [T],
    std::collections::VecDeque<T>,
    std::collections::BTreeSet<T>
);

/// A set is written as a JSON array of its elements.
impl<T: ArrayElement, S> SchemaType for std::collections::HashSet<T, S> {
    fn field_type() -> FieldType {
        T::array_type()
    }
    #[inline]
    fn check(&self, path: &Path<'_>, report: &mut Report) {
        for (i, v) in self.iter().enumerate() {
            if report.is_full() {
                return;
            }
            v.check_element(&path.index(i), report);
        }
    }
}

impl<T: ArrayElement, const N: usize> SchemaType for [T; N] {
    fn field_type() -> FieldType {
        T::array_type()
    }
    #[inline]
    fn check(&self, path: &Path<'_>, report: &mut Report) {
        self.as_slice().check(path, report)
    }
}

macro_rules! wrapper {
    ($($t:ty),*) => {$(
        impl<T: SchemaType + ?Sized> SchemaType for $t {
            fn field_type() -> FieldType {
                T::field_type()
            }
            fn is_optional() -> bool {
                T::is_optional()
            }
            #[inline]
            fn check(&self, path: &Path<'_>, report: &mut Report) {
                T::check(self, path, report)
            }
        }
        impl<T: ArrayElement + ?Sized> ArrayElement for $t {
            fn array_type() -> FieldType {
                T::array_type()
            }
            #[inline]
            fn check_element(&self, path: &Path<'_>, report: &mut Report) {
                T::check_element(self, path, report)
            }
        }
    )*};
}

wrapper!(Box<T>, Arc<T>, Rc<T>, &T);

impl<T: SchemaType + ToOwned + ?Sized> SchemaType for Cow<'_, T> {
    fn field_type() -> FieldType {
        T::field_type()
    }
    fn is_optional() -> bool {
        T::is_optional()
    }
    #[inline]
    fn check(&self, path: &Path<'_>, report: &mut Report) {
        T::check(self, path, report)
    }
}

impl<T: ArrayElement + ToOwned + ?Sized> ArrayElement for Cow<'_, T> {
    fn array_type() -> FieldType {
        T::array_type()
    }
    #[inline]
    fn check_element(&self, path: &Path<'_>, report: &mut Report) {
        T::check_element(self, path, report)
    }
}

macro_rules! object_wrapper {
    ($($t:ty),*) => {$(
        impl<T: SchemaObject + ?Sized> SchemaObject for $t {
            fn fields() -> Vec<Field> {
                T::fields()
            }
            fn __next_key(after: Option<&str>) -> Option<&'static str> {
                T::__next_key(after)
            }
            fn __check_key(&self, key: &str, path: &Path<'_>, report: &mut Report) {
                T::__check_key(self, key, path, report)
            }
        }
    )*};
}

object_wrapper!(Box<T>, Arc<T>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_std_types() {
        assert_eq!(<&str>::field_type(), FieldType::String);
        assert_eq!(u64::field_type(), FieldType::Integer);
        assert_eq!(f32::field_type(), FieldType::Float);
        assert_eq!(<DateTime<Utc>>::field_type(), FieldType::Date);
        assert_eq!(<Vec<Date>>::field_type(), FieldType::DateArray);
        assert_eq!(<[i16; 3]>::field_type(), FieldType::IntegerArray);
        assert_eq!(<&[f64]>::field_type(), FieldType::FloatArray);
        assert_eq!(<Option<Box<String>>>::field_type(), FieldType::String);
        assert!(<Option<Arc<String>>>::is_optional());
        assert!(!<Arc<String>>::is_optional());
        assert_eq!(<Vec<Arc<str>>>::field_type(), FieldType::StringArray);
    }

    /// The errors `check` records for `at`, and those the validator reports
    /// for the JSON serde writes of it.
    fn both(at: DateTime<Utc>) -> (Vec<crate::ValidationError>, Vec<crate::ValidationError>) {
        let mut report = Report::default();
        vec![at].check(&Path::ROOT.key("at"), &mut report);
        let derived = report.into_result().err().map(|e| e.errors);
        let def = SchemaDefinition::new(
            "chrono_dates",
            1,
            vec![Field::new("at", FieldType::DateArray)],
        );
        let json = serde_json::json!({ "at": [at] });
        let compiled = crate::Validator::new(&def)
            .validate(&json)
            .err()
            .map(|e| e.errors);
        (derived.unwrap_or_default(), compiled.unwrap_or_default())
    }

    #[test]
    fn chrono_dates_are_checked_as_serde_writes_them() {
        use chrono::{NaiveDate, TimeZone};
        let at = |secs: i64, nanos: u32| Utc.timestamp_opt(secs, nanos).unwrap();
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_000_000_000))
            .unwrap()
            .and_utc();
        let year = |y: i32| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
        for (value, written) in [
            (at(1_700_000_000, 123_000_000), "2023-11-14T22:13:20.123Z"),
            (
                at(1_700_000_000, 123_400_000),
                "2023-11-14T22:13:20.123400Z",
            ),
            (at(1_700_000_000, 1), "2023-11-14T22:13:20.000000001Z"),
            (leap, "2016-12-31T23:59:60Z"),
            (year(10_000), "+10000-01-01T00:00:00Z"),
            (year(-1), "-0001-01-01T00:00:00Z"),
        ] {
            assert_eq!(serde_json::to_value(value).unwrap(), written);
            let (derived, compiled) = both(value);
            assert_eq!(derived.len(), 1, "{written}");
            assert_eq!(derived, compiled, "{written}");
            assert_eq!(derived[0].path, "at[0]");
            assert_eq!(derived[0].expected, EXPECTED_DATE);
            assert_eq!(derived[0].found, describe_str(written));
        }
        for value in [at(1_700_000_000, 0), year(0), year(9999)] {
            assert_eq!(both(value), (vec![], vec![]), "{value}");
        }
    }
}
