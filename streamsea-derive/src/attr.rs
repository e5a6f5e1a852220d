//! The attributes the derive reads: its own `#[stream_schema(...)]` and the
//! parts of `#[serde(...)]` that change the JSON serde writes.
//!
//! Parsing records every problem in [`Errors`] and goes on, so that one
//! mistake is reported once and the others beside it are reported too.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Lit, LitInt, LitStr, Token, WherePredicate};

use crate::case::RenameRule;

/// The errors found so far, each with its span.
#[derive(Default)]
pub struct Errors {
    list: Vec<syn::Error>,
}

impl Errors {
    /// Records an error at `tokens`.
    pub fn at(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.list.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error at `span`.
    pub fn span(&mut self, span: Span, message: impl std::fmt::Display) {
        self.list.push(syn::Error::new(span, message));
    }

    /// Records a parse error.
    pub fn push(&mut self, error: syn::Error) {
        self.list.push(error);
    }

    /// True when nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every error as `compile_error!` invocations.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.list.iter().map(syn::Error::to_compile_error).collect()
    }
}

/// A name serde writes and a name it reads, where an attribute gives them.
#[derive(Default, Clone)]
pub struct Names {
    /// `rename = "x"` or `rename(serialize = "x")`.
    pub serialize: Option<LitStr>,
    /// `rename = "x"` or `rename(deserialize = "x")`.
    pub deserialize: Option<LitStr>,
    /// Where the attribute is.
    pub span: Option<Span>,
}

/// `rename_all` rules for writing and reading.
#[derive(Clone, Copy)]
pub struct Rules {
    /// The rule serde writes with.
    pub serialize: RenameRule,
    /// The rule serde reads with.
    pub deserialize: RenameRule,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            serialize: RenameRule::None,
            deserialize: RenameRule::None,
        }
    }
}

/// The attributes of the struct or enum.
#[derive(Default)]
pub struct Container {
    /// `#[stream_schema(name = "...")]`.
    pub name: Option<LitStr>,
    /// `#[stream_schema(version = N)]`.
    pub version: Option<LitInt>,
    /// Where `name` or `version` was given (the type is meant as a payload).
    pub payload: Option<Span>,
    /// True when a `name` key was given, readable or not.
    pub name_key: bool,
    /// True when a `version` key was given, readable or not.
    pub version_key: bool,
    /// `#[stream_schema(crate = "path")]`.
    pub krate: Option<syn::Path>,
    /// `#[stream_schema(bound = "T: Trait")]`.
    pub bound: Option<Vec<WherePredicate>>,
    /// serde's `rename` of the container (the value of a struct's `tag`).
    pub rename: Names,
    /// serde's `rename_all`.
    pub rename_all: Rules,
    /// serde's `transparent`.
    pub transparent: Option<Span>,
    /// serde's `tag = "..."`.
    pub tag: Option<LitStr>,
    /// serde's `content = "..."`.
    pub content: Option<Span>,
    /// serde's `untagged`.
    pub untagged: Option<Span>,
    /// serde's `into = "..."` (writes another type's JSON).
    pub into: Option<Span>,
    /// serde's `remote = "..."`.
    pub remote: Option<Span>,
}

/// What a field attribute states about the field's type.
pub enum Kind {
    /// `date`: a string holding a date.
    Date,
    /// `one_of = ["a", "b"]`: a string from a list.
    OneOf(Vec<LitStr>),
    /// `type = "..."`: the field type, stated.
    Type(LitStr),
}

impl Kind {
    /// The key that states it.
    pub fn key(&self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::OneOf(_) => "one_of",
            Kind::Type(_) => "type",
        }
    }
}

/// The attributes of a field.
#[derive(Default)]
pub struct FieldAttrs {
    /// serde's `rename`.
    pub rename: Names,
    /// serde's `skip` or `skip_serializing`: the field is never written.
    pub skip_serializing: bool,
    /// `#[stream_schema(skip)]`.
    pub schema_skip: Option<Span>,
    /// serde's `flatten`.
    pub flatten: Option<Span>,
    /// serde's `skip_serializing_if`: the predicate that leaves the field out.
    pub skip_serializing_if: Option<syn::ExprPath>,
    /// serde's `with` (its `serialize`) or `serialize_with`: the function
    /// that writes the field, and where the attribute is.
    pub serialize_with: Option<(syn::ExprPath, Span)>,
    /// `date`, `one_of` or `type`, with where each was given.
    pub kinds: Vec<(Kind, Span)>,
}

/// The attributes of an enum variant.
#[derive(Default)]
pub struct VariantAttrs {
    /// serde's `rename`.
    pub rename: Names,
    /// serde's `skip` or `skip_serializing`: the variant is never written.
    pub skip_serializing: bool,
    /// serde's `untagged` on the variant.
    pub untagged: Option<Span>,
}

const CONTAINER_KEYS: &str = "`name`, `version`, `crate` or `bound`";
const FIELD_KEYS: &str = "`date`, `one_of`, `type` or `skip`";

/// The tokens of a value, up to the next comma.
fn take_value(input: ParseStream) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                return Ok((tokens, rest));
            }
            tokens.extend([tt]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// Where a key is.
fn key_span(path: &syn::Path) -> Span {
    path.segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

/// Skips the value of a key this derive does not read (`= value` up to the
/// next comma, or a parenthesized list).
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    let input: ParseStream = meta.input;
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        take_value(input).map(|_| ())
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<TokenStream>().map(|_| ())
    } else {
        Ok(())
    }
}

/// `rename = "x"` or `rename(serialize = "a", deserialize = "b")`.
fn parse_names(meta: &ParseNestedMeta) -> syn::Result<Names> {
    let mut names = Names {
        span: Some(key_span(&meta.path)),
        ..Names::default()
    };
    if meta.input.peek(Token![=]) {
        let s: LitStr = meta.value()?.parse()?;
        names.serialize = Some(s.clone());
        names.deserialize = Some(s);
        return Ok(names);
    }
    meta.parse_nested_meta(|m| {
        if m.path.is_ident("serialize") {
            names.serialize = Some(m.value()?.parse()?);
        } else if m.path.is_ident("deserialize") {
            names.deserialize = Some(m.value()?.parse()?);
        } else {
            return Err(m.error("expected `serialize` or `deserialize`"));
        }
        Ok(())
    })?;
    Ok(names)
}

fn parse_rule(lit: &LitStr, errors: &mut Errors) -> RenameRule {
    RenameRule::from_name(&lit.value()).unwrap_or_else(|| {
        errors.at(
            lit,
            format!(
                "unknown rename rule {:?}: serde accepts {}",
                lit.value(),
                RenameRule::names()
            ),
        );
        RenameRule::None
    })
}

fn is(attr: &Attribute, name: &str) -> bool {
    attr.path().is_ident(name)
}

/// Reads the attributes of the struct or enum.
pub fn container(attrs: &[Attribute], who: &str, errors: &mut Errors) -> Container {
    let mut c = Container::default();
    for attr in attrs {
        if is(attr, "stream_schema") {
            let r = attr.parse_nested_meta(|meta| {
                let key = meta.path.clone();
                if key.is_ident("name") {
                    c.payload.get_or_insert(key_span(&key));
                    c.name_key = true;
                    let v = meta.value()?;
                    match v.parse::<Lit>()? {
                        Lit::Str(s) => c.name = Some(s),
                        other => errors.at(other, "`name` takes a string: name = \"boiler_data\""),
                    }
                } else if key.is_ident("version") {
                    c.payload.get_or_insert(key_span(&key));
                    c.version_key = true;
                    let v = meta.value()?;
                    match v.parse::<Lit>()? {
                        Lit::Int(i) => c.version = Some(i),
                        other => {
                            errors.at(other, "`version` takes a non-negative integer: version = 2")
                        }
                    }
                } else if key.is_ident("crate") {
                    let s: LitStr = meta.value()?.parse()?;
                    match s.parse::<syn::Path>() {
                        Ok(p) => c.krate = Some(p),
                        Err(_) => {
                            errors.at(&s, "`crate` takes a path: crate = \"streamsea::schema\"")
                        }
                    }
                } else if key.is_ident("bound") {
                    let s: LitStr = meta.value()?.parse()?;
                    let parsed =
                        s.parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated);
                    match parsed {
                        Ok(p) => c.bound = Some(p.into_iter().collect()),
                        Err(_) => errors.at(
                            &s,
                            "`bound` takes where-clause predicates: bound = \"T: SchemaType\"",
                        ),
                    }
                } else {
                    let shown = key.to_token_stream().to_string().replace(' ', "");
                    return Err(meta.error(format!(
                        "unknown stream_schema key `{shown}` on a type: expected {CONTAINER_KEYS}"
                    )));
                }
                Ok(())
            });
            if let Err(e) = r {
                errors.push(e);
            }
        } else if is(attr, "serde") {
            let r = attr.parse_nested_meta(|meta| {
                let p = &meta.path;
                let span = key_span(p);
                match key_name(p).as_str() {
                    "rename" => c.rename = parse_names(&meta)?,
                    "rename_all" => {
                        let names = parse_names(&meta)?;
                        if let Some(s) = &names.serialize {
                            c.rename_all.serialize = parse_rule(s, errors);
                        }
                        if let Some(s) = &names.deserialize {
                            c.rename_all.deserialize = parse_rule(s, errors);
                        }
                    }
                    "transparent" => c.transparent = Some(span),
                    "tag" => c.tag = Some(meta.value()?.parse()?),
                    "content" => {
                        c.content = Some(span);
                        skip_value(&meta)?;
                    }
                    "untagged" => c.untagged = Some(span),
                    "into" => {
                        c.into = Some(span);
                        skip_value(&meta)?;
                    }
                    "remote" => {
                        c.remote = Some(span);
                        skip_value(&meta)?;
                    }
                    // These change only how serde reads the type, its bounds,
                    // or (`rename_all_fields`) the fields of variants, which a
                    // stream-sea enum of unit variants does not have.
                    "rename_all_fields" | "deny_unknown_fields" | "bound" | "default"
                    | "from" | "try_from" | "crate" | "expecting" => skip_value(&meta)?,
                    other => {
                        errors.span(
                            span,
                            format!(
                                "#[serde({other})] on `{who}` is not among the serde attributes #[derive(StreamSchema)] models, so the schema could differ from what serde writes: remove it, or implement `SchemaType` for `{who}` by hand"
                            ),
                        );
                        skip_value(&meta)?;
                    }
                }
                Ok(())
            });
            if let Err(e) = r {
                errors.push(e);
            }
        }
    }
    c
}

/// A key as written, for messages.
fn key_name(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// A `with`-style function path read from a string literal.
fn parse_fn_path(meta: &ParseNestedMeta) -> syn::Result<syn::ExprPath> {
    let s: LitStr = meta.value()?.parse()?;
    s.parse()
}

fn parse_one_of(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<Option<Vec<LitStr>>> {
    let input = meta.value()?;
    if !input.peek(syn::token::Bracket) {
        let found = take_value(input)?;
        errors.at(
            found,
            "`one_of` takes a list of strings: one_of = [\"idle\", \"heating\"]",
        );
        return Ok(None);
    }
    let content;
    syn::bracketed!(content in input);
    let items = Punctuated::<Lit, Token![,]>::parse_terminated(&content)?;
    let mut values = Vec::new();
    let mut ok = true;
    for item in items {
        match item {
            Lit::Str(s) => values.push(s),
            other => {
                ok = false;
                errors.at(
                    other,
                    "`one_of` lists strings: one_of = [\"idle\", \"heating\"]",
                );
            }
        }
    }
    Ok(ok.then_some(values))
}

/// Reads the attributes of a field.
pub fn field(attrs: &[Attribute], who: &str, errors: &mut Errors) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    for attr in attrs {
        if is(attr, "stream_schema") {
            let r = attr.parse_nested_meta(|meta| {
                let key = meta.path.clone();
                let span = key_span(&key);
                if key.is_ident("date") {
                    f.kinds.push((Kind::Date, span));
                } else if key.is_ident("one_of") {
                    if let Some(values) = parse_one_of(&meta, errors)? {
                        f.kinds.push((Kind::OneOf(values), span));
                    }
                } else if key.is_ident("type") {
                    let s: LitStr = meta.value()?.parse()?;
                    f.kinds.push((Kind::Type(s), span));
                } else if key.is_ident("skip") {
                    f.schema_skip = Some(span);
                } else {
                    let shown = key.to_token_stream().to_string().replace(' ', "");
                    return Err(meta.error(format!(
                        "{who}: unknown stream_schema key `{shown}`: expected {FIELD_KEYS}"
                    )));
                }
                Ok(())
            });
            if let Err(e) = r {
                errors.push(e);
            }
        } else if is(attr, "serde") {
            let r = attr.parse_nested_meta(|meta| {
                let p = &meta.path;
                let span = key_span(p);
                match key_name(p).as_str() {
                    "rename" => f.rename = parse_names(&meta)?,
                    "skip" | "skip_serializing" => f.skip_serializing = true,
                    "flatten" => f.flatten = Some(span),
                    "skip_serializing_if" => f.skip_serializing_if = Some(parse_fn_path(&meta)?),
                    "serialize_with" => f.serialize_with = Some((parse_fn_path(&meta)?, span)),
                    "with" => {
                        let mut path = parse_fn_path(&meta)?;
                        let serialize = syn::Ident::new("serialize", path.span());
                        path.path.segments.push(serialize.into());
                        f.serialize_with = Some((path, span));
                    }
                    // These change only how serde reads the field, or its bounds.
                    "alias" | "default" | "skip_deserializing" | "deserialize_with" | "borrow"
                    | "bound" => skip_value(&meta)?,
                    "getter" => {
                        errors.span(
                            span,
                            format!("{who}: #[serde(getter)] belongs to a remote derive, which stream-sea does not support: derive StreamSchema on a type of your own"),
                        );
                        skip_value(&meta)?;
                    }
                    other => {
                        errors.span(
                            span,
                            format!(
                                "{who}: #[serde({other})] is not among the serde attributes #[derive(StreamSchema)] models, so the schema could differ from what serde writes: remove it, or write the field with #[serde(serialize_with = \"...\")] and state what that writes with #[stream_schema(type = \"...\")]"
                            ),
                        );
                        skip_value(&meta)?;
                    }
                }
                Ok(())
            });
            if let Err(e) = r {
                errors.push(e);
            }
        }
    }
    f
}

/// Reads the attributes of an enum variant.
pub fn variant(attrs: &[Attribute], who: &str, errors: &mut Errors) -> VariantAttrs {
    let mut v = VariantAttrs::default();
    for attr in attrs {
        if is(attr, "stream_schema") {
            errors.at(
                attr,
                "`stream_schema` takes no keys on a variant: rename it with #[serde(rename = \"...\")], leave it out with #[serde(skip)]",
            );
        } else if is(attr, "serde") {
            let r = attr.parse_nested_meta(|meta| {
                let p = &meta.path;
                let span = key_span(p);
                match key_name(p).as_str() {
                    "rename" => v.rename = parse_names(&meta)?,
                    "skip" | "skip_serializing" => v.skip_serializing = true,
                    "untagged" => v.untagged = Some(span),
                    // These change only how serde reads the variant, its
                    // bounds, or (`rename_all`) the fields a unit variant
                    // does not have.
                    "alias" | "skip_deserializing" | "deserialize_with" | "bound" | "borrow"
                    | "rename_all" => skip_value(&meta)?,
                    "with" | "serialize_with" => {
                        errors.span(
                            span,
                            format!("{who}: #[serde({})] writes the variant through a function, but a stream-sea `enum` is a list of the names serde writes: remove it", key_name(p)),
                        );
                        skip_value(&meta)?;
                    }
                    other => {
                        errors.span(
                            span,
                            format!(
                                "{who}: #[serde({other})] is not among the serde attributes #[derive(StreamSchema)] models, so the schema could differ from what serde writes: remove it"
                            ),
                        );
                        skip_value(&meta)?;
                    }
                }
                Ok(())
            });
            if let Err(e) = r {
                errors.push(e);
            }
        }
    }
    v
}
