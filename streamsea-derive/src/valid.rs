//! The checks that turn what stream-sea cannot express into spanned errors
//! that say what to do instead.

use std::collections::HashSet;

use proc_macro2::Span;
use streamsea_rules::WireType;
use syn::spanned::Spanned;
use syn::{Fields, LitStr};

use crate::ast::{Field, Input, Shape, Variant};
use crate::attr::{Errors, Kind};
use crate::rust_type;

/// The field type a `#[stream_schema(type = "...")]` names: any wire type
/// but `enum`, which needs values (an `object` or `array<object>` stated
/// this way is open: any object).
pub fn stated_type(name: &str) -> Option<WireType> {
    WireType::from_name(name).filter(|t| *t != WireType::Enum)
}

/// The names `stated_type` accepts, for error messages.
fn stated_type_names() -> String {
    let names: Vec<&str> = WireType::ALL
        .iter()
        .filter(|t| **t != WireType::Enum)
        .map(|t| t.name())
        .collect();
    names.join(", ")
}

/// Checks the whole input.
pub fn check(input: &Input, errors: &mut Errors) {
    container(input, errors);
    match &input.data {
        Shape::Named(fields) => {
            if input.attrs.transparent.is_some() {
                transparent(input, fields, errors);
            } else {
                named(input, fields, errors);
            }
        }
        Shape::Newtype(field) => newtype(field, errors),
        Shape::OtherStruct { span, len } => {
            let message = match len {
                None => "a unit struct is written as `null`, which has no stream-sea type: give it named fields".to_string(),
                Some(0) => "an empty tuple struct is written as `[]`, which has no stream-sea type: give it named fields".to_string(),
                Some(n) => format!("a tuple struct of {n} fields is written as a JSON array of mixed values, which stream-sea cannot declare: give the fields names (a struct with named fields becomes an `object`)"),
            };
            errors.span(*span, message);
        }
        Shape::Enum(variants) => variants_of(input, variants, errors),
        Shape::Union(span) => errors.span(
            *span,
            "a union has no stream-sea type: use a struct with named fields, or an enum of unit variants",
        ),
    }
}

fn container(input: &Input, errors: &mut Errors) {
    let a = &input.attrs;
    if let Some(span) = a.payload {
        let is_object = matches!(input.data, Shape::Named(_)) && a.transparent.is_none();
        if !is_object {
            errors.span(
                span,
                "only a struct with named fields can be a stream payload: a message is a JSON object",
            );
        }
        if !a.name_key {
            errors.span(
                span,
                "a stream payload needs `name` beside `version`: #[stream_schema(name = \"boiler_data\", version = 1)]",
            );
        }
        if !a.version_key {
            errors.span(
                span,
                "a stream payload needs `version` beside `name`: #[stream_schema(name = \"boiler_data\", version = 1)]",
            );
        }
    }
    if let Some(name) = &a.name {
        if let Err(e) = streamsea_rules::check_stream_name(&name.value()) {
            errors.at(
                name,
                format!("invalid stream name {:?}: {}", name.value(), e.reason),
            );
        }
    }
    if let Some(version) = &a.version {
        if version.base10_parse::<u64>().is_err() || !matches!(version.suffix(), "" | "u64") {
            errors.at(
                version,
                "`version` is a non-negative integer that fits in u64, with no suffix: version = 2",
            );
        }
    }
    if let Some(span) = a.into {
        errors.span(
            span,
            "#[serde(into)] writes another type's JSON: derive StreamSchema on that type and use it as the field or payload",
        );
    }
    if let Some(span) = a.remote {
        errors.span(
            span,
            "#[serde(remote)] is not supported: give the field #[stream_schema(type = \"...\")] instead",
        );
    }
    let is_enum = matches!(input.data, Shape::Enum(_));
    if let Some(tag) = &a.tag {
        if is_enum {
            errors.at(
                tag,
                "a tagged enum is written as an object whose fields depend on the variant, which stream-sea cannot declare: use an enum of unit variants (an `enum` field) and keep the data in a struct",
            );
        } else if !matches!(input.data, Shape::Named(_)) || a.transparent.is_some() {
            errors.at(
                tag,
                "#[serde(tag)] only adds a key to a struct with named fields",
            );
        }
    }
    if let Some(span) = a.content {
        errors.span(
            span,
            "an adjacently tagged enum (`content`) writes its variants' data under one key whose type varies, which stream-sea cannot declare: use an enum of unit variants and keep the data in a struct",
        );
    }
    if let Some(span) = a.untagged {
        errors.span(
            span,
            "an untagged enum writes values of different types in one place, which stream-sea cannot declare: use an enum of unit variants (an `enum` field)",
        );
    }
}

/// Records an error when serde writes and reads a different name.
fn same_names(ser: &str, de: &str, span: Span, what: &str, errors: &mut Errors) {
    if ser != de {
        errors.span(
            span,
            format!(
                "serde writes this {what} as {ser:?} but reads it as {de:?}: a stream's messages are written and read with one schema, so give both the same name (an `alias` can accept an old name)"
            ),
        );
    }
}

fn type_name(lit: &LitStr, errors: &mut Errors) {
    let v = lit.value();
    if v == "enum" {
        errors.at(
            lit,
            "an `enum` field lists its values: use #[stream_schema(one_of = [\"a\", \"b\"])] on a String, or an enum of unit variants deriving StreamSchema",
        );
    } else if stated_type(&v).is_none() {
        errors.at(
            lit,
            format!(
                "unknown stream-sea type {v:?}: expected one of {}",
                stated_type_names()
            ),
        );
    }
}

fn one_of(values: &[LitStr], span: Span, errors: &mut Errors) {
    if values.is_empty() {
        errors.span(
            span,
            "`one_of` needs at least one value: one_of = [\"idle\", \"heating\"]",
        );
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].iter().any(|w| w.value() == v.value()) {
            errors.at(v, format!("{:?} is listed twice", v.value()));
        }
    }
}

/// Checks a field's own attributes against each other and its type.
fn field_attrs(field: &Field, errors: &mut Errors) {
    let a = &field.attrs;
    let who = format!("field `{}`", field.rust_name);
    if let Some((kind, span)) = a.kinds.get(1) {
        errors.span(
            *span,
            format!(
                "{who}: `{}` cannot be combined with `{}`: a field has one type",
                kind.key(),
                a.kinds[0].0.key()
            ),
        );
    }
    if field.skipped() {
        if let Some((kind, span)) = a.kinds.first() {
            errors.span(
                *span,
                format!(
                    "{who}: `{}` on a skipped field has no effect: the field is not part of the schema",
                    kind.key()
                ),
            );
        }
        return;
    }
    if let (Some(_), Some((kind, span))) = (a.flatten, a.kinds.first()) {
        errors.span(
            *span,
            format!(
                "{who}: `{}` on a flattened field: its fields come from its own type",
                kind.key()
            ),
        );
    }
    if let (Some(_), Some((_, span))) = (a.flatten, &a.serialize_with) {
        errors.span(
            *span,
            format!("{who}: a flattened field cannot be written through a function: its fields come from its own type; remove `with`/`serialize_with` or `flatten`"),
        );
    }
    match (&a.serialize_with, a.kinds.first()) {
        (Some((_, span)), None) if a.flatten.is_none() => errors.span(
            *span,
            format!("{who}: a function writes this field, so its JSON need not be what its type writes: state what the function writes with #[stream_schema(type = \"...\")] (or `date`, or `one_of = [...]`)"),
        ),
        (None, _) if rust_type::is_option_of_option(field.ty) => errors.at(
            field.ty,
            format!("{who}: serde writes both `None` and `Some(None)` of an `Option<Option<T>>` as null, and stream-sea reads null as an absent field, so the two cannot be told apart: use `Option<T>`, or an enum field for the states"),
        ),
        _ => {}
    }
    for (kind, span) in &a.kinds {
        match kind {
            Kind::Type(lit) => {
                type_name(lit, errors);
                if a.serialize_with.is_none() {
                    stated_against_known(field, &who, lit, errors);
                }
            }
            Kind::OneOf(values) => one_of(values, *span, errors),
            Kind::Date => {}
        }
    }
}

/// `#[stream_schema(skip)]` on a field serde writes leaves keys the schema
/// does not declare, except for a flattened map that is the only key source
/// of its struct (`alone`): the schema then declares no fields, which
/// stream-sea reads as "any object", exactly what serde writes.
fn schema_skip(field: &Field, alone: bool, errors: &mut Errors) {
    let a = &field.attrs;
    let Some(span) = a.schema_skip else { return };
    if a.skip_serializing || (a.flatten.is_some() && alone) {
        return;
    }
    let who = format!("field `{}`", field.rust_name);
    let message = if a.flatten.is_some() {
        format!("{who}: #[stream_schema(skip)] on a flattened field leaves the keys it writes undeclared, beside the declared fields, so every message would be refused: only as the one field of its struct (an object of any keys) can it be left out")
    } else {
        format!("{who}: #[stream_schema(skip)] leaves the field out of the schema, but serde still writes it, so every message would carry an undeclared key: skip it in serde too, with #[serde(skip)] or #[serde(skip_serializing)]")
    };
    errors.span(span, message);
}

/// A stated `type` on a field whose Rust type the derive knows (and that
/// serde writes as that type) must be the type's own.
fn stated_against_known(field: &Field, who: &str, lit: &LitStr, errors: &mut Errors) {
    let (Some(stated), Some(known)) = (stated_type(&lit.value()), rust_type::known(field.ty))
    else {
        return;
    };
    if stated == known {
        return;
    }
    let hint = if matches!(known, WireType::String | WireType::StringArray)
        && matches!(stated, WireType::Date | WireType::DateArray)
    {
        " (for strings that hold dates, write #[stream_schema(date)]: `validate()` then checks them)"
    } else {
        ""
    };
    errors.at(
        lit,
        format!(
            "{who}: serde writes this field as its type, a stream-sea `{}`, not `{}`: remove `type`{hint}, or write the field through a function with #[serde(serialize_with = \"...\")] that writes `{}` values",
            known.name(),
            stated.name(),
            stated.name()
        ),
    );
}

fn named(input: &Input, fields: &[Field], errors: &mut Errors) {
    let mut seen: HashSet<String> = HashSet::new();
    if let Some(tag) = &input.attrs.tag {
        seen.insert(tag.value());
    }
    let written = fields.iter().filter(|f| !f.attrs.skip_serializing).count();
    for field in fields {
        schema_skip(field, written == 1 && input.attrs.tag.is_none(), errors);
        field_attrs(field, errors);
        if field.skipped() || field.attrs.flatten.is_some() {
            continue;
        }
        let span = field.attrs.rename.span.unwrap_or_else(|| {
            field
                .original
                .ident
                .as_ref()
                .map_or_else(|| field.span(), |i| i.span())
        });
        same_names(&field.ser_name, &field.de_name, span, "field", errors);
        if field.ser_name.is_empty() {
            errors.span(span, "a stream-sea field name cannot be empty");
        } else if !seen.insert(field.ser_name.clone()) {
            errors.span(
                span,
                format!(
                    "two fields are written as {:?}: give each its own name",
                    field.ser_name
                ),
            );
        }
    }
}

fn transparent(input: &Input, fields: &[Field], errors: &mut Errors) {
    let kept: Vec<&Field> = fields.iter().filter(|f| !f.skipped()).collect();
    if kept.len() != 1 {
        errors.span(
            input
                .attrs
                .transparent
                .unwrap_or_else(|| input.ident.span()),
            "#[serde(transparent)] needs exactly one field that is not skipped",
        );
    }
    for field in fields {
        schema_skip(field, false, errors);
        field_attrs(field, errors);
    }
    if let Some(field) = kept.first() {
        if let Some(span) = field.attrs.flatten {
            errors.span(span, "a transparent struct's field cannot be flattened");
        }
        only_field(field, errors);
    }
}

/// The one field a newtype or transparent struct writes is the whole value:
/// it cannot be left out.
fn only_field(field: &Field, errors: &mut Errors) {
    if let Some(p) = &field.attrs.skip_serializing_if {
        errors.at(
            p,
            format!("field `{}`: the only field of a newtype or transparent struct is the whole value, which cannot be left out: remove `skip_serializing_if` (make the outer field an Option instead)", field.rust_name),
        );
    }
}

fn newtype(field: &Field, errors: &mut Errors) {
    field_attrs(field, errors);
    only_field(field, errors);
    if field.skipped() {
        errors.span(
            field.span(),
            "the only field of a newtype is skipped, so nothing is written: remove the skip",
        );
    }
    if let Some(span) = field.attrs.flatten {
        errors.span(span, "a newtype's field cannot be flattened");
    }
}

fn variants_of(input: &Input, variants: &[Variant], errors: &mut Errors) {
    let mut seen: HashSet<String> = HashSet::new();
    for v in variants {
        if v.attrs.skip_serializing {
            continue;
        }
        let ident = &v.original.ident;
        if !matches!(v.original.fields, Fields::Unit) {
            errors.span(
                v.original.fields.span(),
                format!(
                    "variant `{ident}` carries data, but a stream-sea `enum` is a list of names: make every variant a unit variant and keep the data in a struct (or leave the variant out with #[serde(skip)])"
                ),
            );
            continue;
        }
        if let Some(span) = v.attrs.untagged {
            errors.span(
                span,
                "an untagged unit variant is written as `null`, which is not an enum value: remove `untagged`",
            );
        }
        let span = v.attrs.rename.span.unwrap_or_else(|| ident.span());
        same_names(&v.ser_name, &v.de_name, span, "variant", errors);
        if !seen.insert(v.ser_name.clone()) {
            errors.span(
                span,
                format!(
                    "two variants are written as {:?}: give each its own name",
                    v.ser_name
                ),
            );
        }
    }
    if variants.iter().all(|v| v.attrs.skip_serializing) {
        errors.span(
            input.ident.span(),
            "an enum with no variants that serde writes has no values: a stream-sea `enum` lists at least one",
        );
    }
}
