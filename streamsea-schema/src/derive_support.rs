//! What the code of `#[derive(StreamSchema)]` calls at run time.
//!
//! Reached as `streamsea_schema::__private`. It is not a public API: the
//! derive's expansion is its only user, and it may change in any release.
//! The traits here turn misuse of a field attribute into a compile error at
//! the field (`#[stream_schema(date)]` on an integer, `#[serde(flatten)]` on
//! a map).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use crate::date::is_valid_date;
use crate::field::{Field, FieldType, MAX_DEPTH};
use crate::report::{describe_str, Path, Report};
use crate::traits::SchemaObject;
use crate::validator::{expected_one_of, EXPECTED_DATE};

/// A string type a `date` or `one_of` field may hold.
pub trait Text {
    /// The text.
    fn text(&self) -> &str;
}

macro_rules! text {
    ($($t:ty),*) => {$(
        impl Text for $t {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
    )*};
}

text!(String, str, Box<str>, Arc<str>, Rc<str>, Cow<'_, str>);

impl<T: Text + ?Sized> Text for &T {
    #[inline]
    fn text(&self) -> &str {
        T::text(self)
    }
}

/// A field marked `#[stream_schema(date)]`: a string holding a date in its
/// text form, an optional one, or an array of them.
#[diagnostic::on_unimplemented(
    message = "`#[stream_schema(date)]` needs a string field, not `{Self}`",
    label = "not a string that holds a date",
    note = "use it on String, Option<String> or Vec<String>; for a typed date use `Date` or chrono's `DateTime<Utc>` without the attribute"
)]
pub trait DateField {
    /// `date`, or `array<date>` for an array.
    fn field_type() -> FieldType;

    /// True for `Option`.
    fn is_optional() -> bool {
        false
    }

    /// Records an error for every string that is not a date.
    fn check_date(&self, path: &Path<'_>, report: &mut Report);
}

impl<T: Text + ?Sized> DateField for T {
    fn field_type() -> FieldType {
        FieldType::Date
    }

    #[inline]
    fn check_date(&self, path: &Path<'_>, report: &mut Report) {
        let s = self.text();
        if !is_valid_date(s) {
            report.push(path, EXPECTED_DATE, describe_str(s));
        }
    }
}

impl<T: DateField> DateField for Option<T> {
    fn field_type() -> FieldType {
        T::field_type()
    }

    fn is_optional() -> bool {
        true
    }

    #[inline]
    fn check_date(&self, path: &Path<'_>, report: &mut Report) {
        if let Some(v) = self {
            v.check_date(path, report);
        }
    }
}

fn check_dates<'a, T: Text + 'a>(
    items: impl Iterator<Item = &'a T>,
    path: &Path<'_>,
    report: &mut Report,
) {
    for (i, v) in items.enumerate() {
        if report.is_full() {
            return;
        }
        v.check_date(&path.index(i), report);
    }
}

macro_rules! date_array {
    ($($t:ty),*) => {$(
        impl<T: Text> DateField for $t {
            fn field_type() -> FieldType {
                FieldType::DateArray
            }

            #[inline]
            fn check_date(&self, path: &Path<'_>, report: &mut Report) {
                check_dates(self.iter(), path, report)
            }
        }
    )*};
}

date_array!(Vec<T>, [T], VecDeque<T>);

impl<T: Text, const N: usize> DateField for [T; N] {
    fn field_type() -> FieldType {
        FieldType::DateArray
    }

    #[inline]
    fn check_date(&self, path: &Path<'_>, report: &mut Report) {
        check_dates(self.iter(), path, report)
    }
}

/// A field marked `#[stream_schema(one_of = [...])]`: a string from a list of
/// values, or an optional one.
#[diagnostic::on_unimplemented(
    message = "`#[stream_schema(one_of = [...])]` needs a string field, not `{Self}`",
    label = "not a string",
    note = "use it on String or Option<String>; stream-sea has no array of enum values, and a Rust enum of unit variants deriving StreamSchema needs no attribute"
)]
pub trait OneOfField {
    /// True for `Option`.
    fn is_optional() -> bool {
        false
    }

    /// Records an error when the value is not one of `values`.
    fn check_one_of(&self, values: &[&str], path: &Path<'_>, report: &mut Report);
}

impl<T: Text + ?Sized> OneOfField for T {
    #[inline]
    fn check_one_of(&self, values: &[&str], path: &Path<'_>, report: &mut Report) {
        let s = self.text();
        if !values.contains(&s) {
            report.push(
                path,
                expected_one_of(values.iter().copied()),
                describe_str(s),
            );
        }
    }
}

impl<T: OneOfField> OneOfField for Option<T> {
    fn is_optional() -> bool {
        true
    }

    #[inline]
    fn check_one_of(&self, values: &[&str], path: &Path<'_>, report: &mut Report) {
        if let Some(v) = self {
            v.check_one_of(values, path, report);
        }
    }
}

/// A field marked `#[serde(flatten)]`: a struct deriving `StreamSchema`
/// (or an optional one) whose fields join those of the outer struct.
#[diagnostic::on_unimplemented(
    message = "`#[serde(flatten)]` needs a struct deriving StreamSchema, not `{Self}`",
    label = "its fields cannot join the outer struct's",
    note = "stream-sea declares every field: a flattened map or enum has no fixed fields; flatten a struct with named fields that derives StreamSchema"
)]
pub trait Flatten {
    /// The fields that join the outer struct's.
    fn fields() -> Vec<Field>;

    /// Checks the value's fields at the outer struct's `path`.
    fn check_flattened(&self, path: &Path<'_>, report: &mut Report);

    /// The smallest key the flattened type writes after `after`.
    fn next_key(after: Option<&str>) -> Option<&'static str>;

    /// Checks the field the flattened value writes under `key`.
    fn check_key(&self, key: &str, path: &Path<'_>, report: &mut Report);
}

impl<T: SchemaObject> Flatten for T {
    fn fields() -> Vec<Field> {
        let _same_level = Nesting::flattened();
        T::fields()
    }

    #[inline]
    fn check_flattened(&self, path: &Path<'_>, report: &mut Report) {
        self.check(path, report);
    }

    fn next_key(after: Option<&str>) -> Option<&'static str> {
        T::__next_key(after)
    }

    #[inline]
    fn check_key(&self, key: &str, path: &Path<'_>, report: &mut Report) {
        self.__check_key(key, path, report)
    }
}

impl<T: SchemaObject> Flatten for Option<T> {
    fn fields() -> Vec<Field> {
        <T as Flatten>::fields()
    }

    #[inline]
    fn check_flattened(&self, path: &Path<'_>, report: &mut Report) {
        if let Some(v) = self {
            v.check(path, report);
        }
    }

    fn next_key(after: Option<&str>) -> Option<&'static str> {
        T::__next_key(after)
    }

    #[inline]
    fn check_key(&self, key: &str, path: &Path<'_>, report: &mut Report) {
        if let Some(v) = self {
            v.__check_key(key, path, report)
        }
    }
}

/// The first of `names` (sorted bytewise) after `after`.
#[inline]
pub fn next_name(names: &[&'static str], after: Option<&str>) -> Option<&'static str> {
    match after {
        None => names.first().copied(),
        Some(a) => {
            let i = names.partition_point(|n| *n <= a);
            names.get(i).copied()
        }
    }
}

/// The smaller of two next keys.
#[inline]
pub fn min_key(a: Option<&'static str>, b: Option<&'static str>) -> Option<&'static str> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// What an error says of a value serde cannot write.
pub const EXPECTED_WRITABLE: &str = "a value serde can write";

/// The serializer a field written through `with`/`serialize_with` is run
/// with, so that `validate()` checks the JSON the function writes.
pub use serde_json::value::Serializer as JsonValueSerializer;

/// Checks what a `with`/`serialize_with` function wrote for a field against
/// the field's stated type, as the validator checks it; a function that
/// fails is reported, since serde would fail to write the message.
#[cold]
pub fn check_written(
    written: Result<serde_json::Value, serde_json::Error>,
    ty: FieldType,
    path: &Path<'_>,
    report: &mut Report,
) {
    match written {
        Ok(value) => crate::validator::report_value(&ty, &value, path, report),
        Err(e) => report.push(path, EXPECTED_WRITABLE, format!("an error: {e}")),
    }
}

/// Records that a value holds an enum variant serde does not write.
#[cold]
pub fn skipped_variant(type_name: &str, variant: &str, path: &Path<'_>, report: &mut Report) {
    report.push(
        path,
        EXPECTED_WRITABLE,
        format!("variant {type_name}::{variant}, which #[serde(skip)] keeps serde from writing"),
    );
}

/// Checks that no two of the fields of `type_name` have one name, which
/// only `#[serde(flatten)]` can cause (the derive rejects the rest at compile
/// time): serde would write the key twice, and a definition that declares a
/// field twice is rejected.
///
/// # Panics
///
/// When two fields have one name, naming the type and the field.
pub fn unique_names(type_name: &'static str, fields: &[Field]) {
    /// Up to this many fields, comparing every pair costs less than sorting.
    const PAIRWISE: usize = 32;
    let twice = if fields.len() <= PAIRWISE {
        fields
            .iter()
            .enumerate()
            .find(|(i, f)| fields.iter().take(*i).any(|g| g.name == f.name))
            .map(|(_, f)| f.name.as_str())
    } else {
        let mut names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        names.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
    };
    if let Some(name) = twice {
        panic!(
            "the schema of `{type_name}` has two fields named {name:?}: a struct flattened \
             into it with #[serde(flatten)] has a field of the same name, so serde would \
             write the key twice; give one of them another name with #[serde(rename = \"...\")]"
        );
    }
}

/// The values of an `enum` field.
pub fn values(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

thread_local! {
    /// The object types whose fields are being listed, each with whether it
    /// is a level of nesting (a flattened struct is not).
    static STACK: RefCell<Vec<(&'static str, bool)>> = const { RefCell::new(Vec::new()) };
    /// Set while a flattened struct is about to enter.
    static FLAT: Cell<bool> = const { Cell::new(false) };
}

/// Tracks the object types whose fields are being listed, so that a type
/// that contains itself, and a type that nests deeper than stream-sea
/// accepts, each fail with a message that names it instead of overflowing
/// the stack.
#[derive(Debug)]
pub struct Nesting {
    pushed: bool,
}

impl Nesting {
    /// Enters the fields of object type `type_name` (its full name, from
    /// `std::any::type_name`).
    ///
    /// # Panics
    ///
    /// When `type_name` is already being listed (the type contains itself,
    /// and has no finite stream-sea schema), or when objects nest deeper than
    /// [`MAX_DEPTH`].
    pub fn enter(type_name: &'static str) -> Nesting {
        let level = !FLAT.with(|f| f.replace(false));
        let (recursive, depth) = STACK.with(|s| {
            let mut s = s.borrow_mut();
            let recursive = s.iter().any(|(n, _)| *n == type_name);
            s.push((type_name, level));
            (recursive, s.iter().filter(|(_, l)| *l).count())
        });
        let guard = Nesting { pushed: true };
        if recursive {
            panic!(
                "`{type_name}` contains itself (through its fields), so it has no finite \
                 stream-sea schema: stream-sea declares every nested field, to a fixed depth; \
                 break the cycle, e.g. with a field of another type"
            );
        }
        if depth > MAX_DEPTH {
            panic!(
                "the schema of `{type_name}` nests objects {depth} levels deep, deeper than \
                 the {MAX_DEPTH} levels stream-sea accepts: flatten some levels with \
                 #[serde(flatten)] or move data up"
            );
        }
        guard
    }

    /// Lists flattened fields: they stay at the level of the outer struct.
    fn flattened() -> Nesting {
        FLAT.with(|f| f.set(true));
        Nesting { pushed: false }
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        if self.pushed {
            STACK.with(|s| {
                s.borrow_mut().pop();
            });
        } else {
            FLAT.with(|f| f.set(false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_one_of_checks_report_at_the_path() {
        let mut report = Report::default();
        let root = Path::ROOT;
        "2024-01-01T00:00:00Z".check_date(&root.key("ok"), &mut report);
        vec!["2024-01-01T00:00:00Z".to_string(), "soon".to_string()]
            .check_date(&root.key("at"), &mut report);
        Some("x".to_string()).check_one_of(&["a", "b"], &root.key("mode"), &mut report);
        None::<String>.check_one_of(&["a"], &root.key("none"), &mut report);
        let errors = report.into_result().unwrap_err();
        assert_eq!(errors.paths(), ["at[1]", "mode"]);
        assert_eq!(errors.errors[1].expected, r#"one of ["a", "b"]"#);
        assert_eq!(errors.errors[0].found, r#"string "soon""#);
    }

    fn named(names: impl IntoIterator<Item = String>) -> Vec<Field> {
        names
            .into_iter()
            .map(|n| Field::new(n, FieldType::Integer))
            .collect()
    }

    #[test]
    fn distinct_names_pass_at_every_size() {
        for n in [0, 1, 2, 32, 33, 500] {
            unique_names("Wide", &named((0..n).map(|i| format!("f{i}"))));
        }
    }

    #[test]
    #[should_panic(expected = "the schema of `Wide` has two fields named \"f7\"")]
    fn a_name_twice_among_many_fields_panics() {
        let names = (0..100).map(|i| format!("f{i}")).chain(["f7".to_string()]);
        unique_names("Wide", &named(names));
    }

    #[test]
    #[should_panic(expected = "the schema of `Narrow` has two fields named \"id\"")]
    fn a_name_twice_among_few_fields_panics() {
        let names = ["id", "at", "id"].map(str::to_owned);
        unique_names("Narrow", &named(names));
    }

    #[test]
    fn nesting_is_counted_back_down() {
        for _ in 0..100 {
            let _a = Nesting::enter("A");
            let _b = Nesting::enter("B");
        }
        STACK.with(|s| assert!(s.borrow().is_empty()));
    }
}
