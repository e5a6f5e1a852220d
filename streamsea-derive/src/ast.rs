//! The parsed input: the type's shape with its attributes read and every
//! field's and variant's JSON name worked out as serde works it out.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type};

use crate::attr::{self, Container, Errors, FieldAttrs, VariantAttrs};
use crate::case::RenameRule;

/// The type the derive is on.
pub struct Input<'a> {
    /// The type's name.
    pub ident: &'a Ident,
    /// Its generics.
    pub generics: &'a Generics,
    /// Its `stream_schema` and `serde` attributes.
    pub attrs: Container,
    /// What it is.
    pub data: Shape<'a>,
}

/// The shapes of type the derive meets.
pub enum Shape<'a> {
    /// A struct with named fields: an `object`.
    Named(Vec<Field<'a>>),
    /// A tuple struct with one field: the field's own type.
    Newtype(Box<Field<'a>>),
    /// A unit struct or a tuple struct of another length: no stream-sea type.
    OtherStruct {
        /// Where it is.
        span: Span,
        /// How many fields it has (`None`: a unit struct).
        len: Option<usize>,
    },
    /// An enum: an `enum` when every variant is a unit.
    Enum(Vec<Variant<'a>>),
    /// A union: no stream-sea type.
    Union(Span),
}

/// A field of a struct.
pub struct Field<'a> {
    /// The field as written.
    pub original: &'a syn::Field,
    /// `self.<member>`.
    pub member: Member,
    /// Its type.
    pub ty: &'a Type,
    /// Its attributes.
    pub attrs: FieldAttrs,
    /// The key serde writes it under.
    pub ser_name: String,
    /// The key serde reads it from.
    pub de_name: String,
    /// The field's name in Rust, for messages.
    pub rust_name: String,
}

impl Field<'_> {
    /// True when the field is not in the schema: serde never writes it, or
    /// `#[stream_schema(skip)]` leaves it out (which `valid` allows only
    /// where the schema still describes what serde writes).
    pub fn skipped(&self) -> bool {
        self.attrs.skip_serializing || self.attrs.schema_skip.is_some()
    }

    /// Where the field is.
    pub fn span(&self) -> Span {
        self.original.span()
    }
}

/// A variant of an enum.
pub struct Variant<'a> {
    /// The variant as written.
    pub original: &'a syn::Variant,
    /// Its attributes.
    pub attrs: VariantAttrs,
    /// The name serde writes.
    pub ser_name: String,
    /// The name serde reads.
    pub de_name: String,
}

/// An identifier as serde names it (no `r#`).
fn unraw(ident: &Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

fn names(
    given: &attr::Names,
    rust: &str,
    apply: impl Fn(RenameRule, &str) -> String,
    rules: attr::Rules,
) -> (String, String) {
    let ser = given
        .serialize
        .as_ref()
        .map(|s| s.value())
        .unwrap_or_else(|| apply(rules.serialize, rust));
    let de = given
        .deserialize
        .as_ref()
        .map(|s| s.value())
        .unwrap_or_else(|| apply(rules.deserialize, rust));
    (ser, de)
}

fn field<'a>(
    index: usize,
    f: &'a syn::Field,
    rules: attr::Rules,
    errors: &mut Errors,
) -> Field<'a> {
    let (member, rust) = match &f.ident {
        Some(ident) => (Member::Named(ident.clone()), unraw(ident)),
        None => (Member::Unnamed(index.into()), index.to_string()),
    };
    let attrs = attr::field(&f.attrs, &format!("field `{rust}`"), errors);
    let (ser_name, de_name) = names(&attrs.rename, &rust, RenameRule::apply_to_field, rules);
    Field {
        original: f,
        member,
        ty: &f.ty,
        attrs,
        ser_name,
        de_name,
        rust_name: rust,
    }
}

impl<'a> Input<'a> {
    /// Reads the input, recording attribute errors.
    pub fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Input<'a> {
        let attrs = attr::container(&input.attrs, &unraw(&input.ident), errors);
        let rules = attrs.rename_all;
        let data = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => Shape::Named(
                    named
                        .named
                        .iter()
                        .enumerate()
                        .map(|(i, f)| field(i, f, rules, errors))
                        .collect(),
                ),
                Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                    let f = &u.unnamed[0];
                    Shape::Newtype(Box::new(field(0, f, rules, errors)))
                }
                Fields::Unnamed(u) => Shape::OtherStruct {
                    span: u.span(),
                    len: Some(u.unnamed.len()),
                },
                Fields::Unit => Shape::OtherStruct {
                    span: input.ident.span(),
                    len: None,
                },
            },
            Data::Enum(e) => Shape::Enum(
                e.variants
                    .iter()
                    .map(|v| {
                        let who = format!("variant `{}`", unraw(&v.ident));
                        let vattrs = attr::variant(&v.attrs, &who, errors);
                        let (ser_name, de_name) = names(
                            &vattrs.rename,
                            &unraw(&v.ident),
                            RenameRule::apply_to_variant,
                            rules,
                        );
                        Variant {
                            original: v,
                            attrs: vattrs,
                            ser_name,
                            de_name,
                        }
                    })
                    .collect(),
            ),
            Data::Union(u) => Shape::Union(u.union_token.span),
        };
        Input {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            data,
        }
    }

    /// The name serde gives the type (the value a struct's `tag` holds).
    pub fn ser_name(&self) -> String {
        self.attrs
            .rename
            .serialize
            .as_ref()
            .map(|s| s.value())
            .unwrap_or_else(|| unraw(self.ident))
    }
}
