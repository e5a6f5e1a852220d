//! The derive is faithful to serde: for each of the payload types in
//! `types.rs`, which together use every serde attribute the derive supports,
//! proptest checks that
//!
//! 1. the definition survives its wire form;
//! 2. `validate()` and the validator compiled from the definition report the
//!    same errors, in the same order, with the same cap, for the JSON serde
//!    writes, and `validate()` refuses every value serde cannot write;
//! 3. every key serde writes is declared with a compatible type, and every
//!    declared field is written by some value;
//! 4. valid values read back equal;
//! 5. every error path names a value in the JSON serde writes (serde's names).

mod driver;
mod strategies;
mod types;

use types::*;

macro_rules! faithful {
    ($($test:ident: $ty:ty),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                let stats = driver::check::<$ty>(<$ty>::strategy());
                assert!(stats.valid > 0, "{stats:?}");
            }
        )*
        /// The payload types checked, for the count in the crate docs.
        const CHECKED: &[&str] = &[$(stringify!($ty)),*];
    };
}

faithful! {
    scalars: Scalars,
    optionals: Optionals,
    arrays: Arrays,
    sets_and_borrowed_strings: Sets,
    dates: Dates,
    date_and_one_of_strings: StatedStrings,
    unit_enum_fields: EnumFields,
    skipped_variants: SkippedVariants,
    renamed_variants: RenamedVariants,
    rename_all_lowercase: Lower,
    rename_all_uppercase: Upper,
    rename_all_pascal: Pascal,
    rename_all_camel: Camel,
    rename_all_snake: Snake,
    rename_all_screaming_snake: ScreamingSnake,
    rename_all_kebab: Kebab,
    rename_all_screaming_kebab: ScreamingKebab,
    field_renames_and_aliases: Renamed,
    defaults: Defaults,
    skips: Skips,
    skip_serializing_if: Ticket,
    skip_serializing_if_on_collections: Sparse,
    flatten: Flat,
    flatten_optional: FlatOptional,
    two_flattened_structs_interleave: TwoFlat,
    nested_flatten: NestedFlat,
    flatten_skipped_if: FlatSkippedIf,
    transparent_and_newtypes: Wrapped,
    struct_tag: Tagged,
    with_chrono_utc: Stamped,
    with_writing_another_type: Converted,
    serialize_with_one_of: Graded,
    deserialize_with: Lenient,
    container_read_only_attributes: Strict,
    from_and_try_from: Checked,
    generic_with_bound: Page<Reading>,
    borrowed: Borrowed<'static>,
    smart_pointers: Pointers,
    arrays_of_objects: Fleet,
    many_errors_are_capped: Noisy,
    byte_order_of_keys: Ordered,
    raw_identifiers: Raw,
    enum_arrays_and_rename_all_fields: Modes,
    free_form_object: Loose,
    any_object_through_a_flattened_map: Open,
}

#[test]
fn reports_reach_the_cap_in_the_order_of_the_validator() {
    let stats = driver::check::<Noisy>(Noisy::strategy());
    assert!(stats.truncated > 0, "{stats:?}");
}

#[test]
fn values_serde_cannot_write_are_refused() {
    let stats = driver::check::<SkippedVariants>(SkippedVariants::strategy());
    assert!(stats.unwritable > 0, "{stats:?}");
    let stats = driver::check::<Stamped>(Stamped::strategy());
    assert!(stats.unwritable > 0, "{stats:?}");
}

#[test]
fn non_finite_floats_in_arrays_are_reported() {
    let stats = driver::check::<Arrays>(Arrays::strategy());
    assert!(stats.invalid > 0, "{stats:?}");
}

#[test]
fn at_least_forty_payload_types_are_checked() {
    assert!(CHECKED.len() >= 40, "{}", CHECKED.len());
}
