//! Rust source from a schema definition: the types a stream's messages are
//! read into and written from.
//!
//! [`generate_rust`] turns a [`SchemaDefinition`] into formatted Rust source:
//! structs and unit enums deriving `Serialize`, `Deserialize` and
//! `StreamSchema`, whose derived definition (`T::definition()`) equals the
//! definition they came from, and whose serde JSON is exactly the stream's
//! payloads.
//!
//! ```
//! use streamsea_schema::codegen::{generate_rust, CodegenOptions};
//! use streamsea_schema::SchemaDefinition;
//!
//! let def = SchemaDefinition::from_json_str(r#"{"name": "boiler_data", "version": 2, "fields": [
//!     {"name": "temperature", "type": "float"},
//!     {"name": "measuredAt", "type": "date"},
//!     {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
//!     {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
//! ]}"#).unwrap();
//! let source = generate_rust(&def, &CodegenOptions::default()).unwrap();
//! assert!(source.contains(r#"#[stream_schema(name = "boiler_data", version = 2)]"#));
//! assert!(source.contains("pub struct BoilerData {"));
//! assert!(source.contains(r#"#[serde(rename = "measuredAt", skip_serializing_if = "Option::is_none")]"#));
//! assert!(source.contains("pub measured_at: Option<Date>,"));
//! assert!(source.contains("pub mode: Option<Mode>,"));
//! assert!(source.contains("pub readings: Option<Vec<Reading>>,"));
//! ```
//!
//! ## What becomes what
//!
//! | field type | Rust type |
//! |---|---|
//! | `string` | `Option<String>` |
//! | `float` | `Option<f64>` |
//! | `integer` | `Option<i64>` |
//! | `date` | `Option<Date>` |
//! | `array<string>`, `array<float>`, `array<integer>`, `array<date>` | `Option<Vec<String>>`, `Option<Vec<f64>>`, `Option<Vec<i64>>`, `Option<Vec<Date>>` |
//! | `enum` | `Option<E>`, `E` a generated enum of unit variants, one per value |
//! | `object` with fields | `Option<S>`, `S` a generated struct |
//! | `array<object>` with fields | `Option<Vec<S>>` |
//! | `object` with no fields (any object) | `Option<serde_json::Map<String, serde_json::Value>>` with `#[stream_schema(type = "object")]` |
//! | `array<object>` with no fields | `Option<Vec<serde_json::Map<String, serde_json::Value>>>` with `#[stream_schema(type = "array<object>")]` |
//!
//! Every field is an `Option` because stream-sea has no required flag: a
//! field may always be absent or `null`. Each carries
//! `#[serde(skip_serializing_if = "Option::is_none")]`, so an absent field
//! stays absent when the value is written again.
//!
//! An `object` with no fields accepts any object, which no struct can
//! describe; a JSON object map accepts exactly that (any object and nothing
//! else), and `#[stream_schema(type = ...)]` states its field type to the
//! derive. A *stream* whose definition has no fields gets a struct with one
//! field, `#[serde(flatten)] #[stream_schema(skip)] pub fields: Map<..>`:
//! serde keeps every key of the payload in it, and the derived definition
//! declares no fields, as the input did.
//!
//! `integer` is `i64`: a payload holding an integer beyond `i64` or written
//! with a fraction of zero (`3.0`, which the validator accepts as an integer)
//! does not deserialize into the generated type.
//!
//! An `enum` with no values, or with a value listed twice, has no Rust enum
//! whose derived definition equals it; [`generate_rust`] reports it as an
//! error naming the field.
//!
//! ## Names
//!
//! The top type is named by [`CodegenOptions::type_name`], or else after the
//! stream name in `UpperCamelCase` (`boiler_data` gives `BoilerData`). A
//! nested object type is named after its field (`site` gives `Site`), the
//! element type of an `array<object>` after its field made singular
//! (`readings` gives `Reading`, `entries` gives `Entry`), and an enum after
//! its field (`mode` gives `Mode`). When that name is taken (by another
//! generated type, a name the code imports, or one of the prelude's), the
//! name the parent type was meant to have is put in front (`BoilerDataSite`),
//! and when that is taken too a number is added (`BoilerDataSite2`). Types are named
//! breadth-first in the definition's field order, so shallower types get the
//! shorter names and the same definition always gives the same code.
//!
//! Field names are `snake_case`, variant names `UpperCamelCase`; a name
//! that differs from its wire name carries `#[serde(rename = "wire")]`, so
//! serde and the derive both see the wire name. Keywords become raw
//! identifiers (`r#type`; `self`, `super` and `crate` become `self_`,
//! `super_`, `crate_`), a leading digit gets a leading `_` (`_3d_points`),
//! a name with no ASCII letter or digit becomes `field` (an enum value:
//! `Empty` for `""`, else `Value`), and names that come out equal are
//! numbered (`foo_bar_2`, `Idle2`), the one that is already its own
//! identifier keeping the plain name.
//!
//! Doc comments on every type, field and variant say which stream, field and
//! value they come from.
//!
//! ## Dependencies
//!
//! This module is the `codegen` feature (on by default). It builds the code
//! as tokens with `proc-macro2` and `quote`, so every identifier, literal and
//! path is well-formed by construction (names with quotes, backslashes or
//! control characters are escaped correctly in `rename` strings), checks it
//! and holds it as a syntax tree with `syn`, and prints it with
//! `prettyplease`, which formats a syntax tree as rustfmt would without
//! running an external program.

mod names;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::definition::{check_stream_name, SchemaDefinition};
use crate::error::SchemaError;
use crate::field::{Field, FieldType};

use names::{Name, TypeNames};

/// How [`generate_rust`] names and writes the generated code.
///
/// Paths are Rust paths as text. A path of two or more segments is imported
/// with `use` and named by its last segment in the code; a one-segment path
/// is used as it is (for names already in scope).
///
/// ```
/// use streamsea_schema::codegen::CodegenOptions;
/// let mut options = CodegenOptions::default();
/// options.type_name = Some("Reading".into());
/// options.struct_derives.push("Default".into());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodegenOptions {
    /// The stream name written in `#[stream_schema(name = ...)]`; when
    /// `None`, the definition's name (a definition without a name then is
    /// an error).
    pub stream_name: Option<String>,
    /// The name of the top type; when `None`, the stream name in
    /// `UpperCamelCase`.
    pub type_name: Option<String>,
    /// The `StreamSchema` derive (and trait). Default `streamsea::StreamSchema`.
    pub stream_schema_path: String,
    /// The date type. Default `streamsea::Date`.
    pub date_path: String,
    /// serde's `Serialize` derive. Default `serde::Serialize`.
    pub serialize_path: String,
    /// serde's `Deserialize` derive. Default `serde::Deserialize`.
    pub deserialize_path: String,
    /// The type of an `object` with no fields (any object). Default
    /// `serde_json::Map<String, serde_json::Value>`.
    pub any_object_type: String,
    /// Derives written before the three above on every struct. Default
    /// `Debug`, `Clone`, `PartialEq`.
    pub struct_derives: Vec<String>,
    /// Derives written before the three above on every enum. Default
    /// `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `Hash`.
    pub enum_derives: Vec<String>,
}

impl Default for CodegenOptions {
    fn default() -> Self {
        let strings = |list: &[&str]| list.iter().map(|s| (*s).to_string()).collect();
        CodegenOptions {
            stream_name: None,
            type_name: None,
            stream_schema_path: "streamsea::StreamSchema".into(),
            date_path: "streamsea::Date".into(),
            serialize_path: "serde::Serialize".into(),
            deserialize_path: "serde::Deserialize".into(),
            any_object_type: "serde_json::Map<String, serde_json::Value>".into(),
            struct_derives: strings(&["Debug", "Clone", "PartialEq"]),
            enum_derives: strings(&["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash"]),
        }
    }
}

/// Why [`generate_rust`] produced no code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// The definition breaks a rule of schema definitions (an empty or
    /// repeated field name, nesting too deep, an invalid stream name).
    #[error("invalid schema definition: {0}")]
    Definition(#[from] SchemaError),
    /// Neither the definition nor the options name the stream.
    #[error("the definition has no name: give the stream name in the options")]
    MissingStreamName,
    /// An `enum` field with no values.
    #[error("field `{path}`: an enum with no values has no Rust enum (a Rust enum deriving StreamSchema lists at least one value)")]
    EmptyEnum {
        /// Dotted path of the field.
        path: String,
    },
    /// An `enum` field that lists a value twice.
    #[error("field `{path}`: the enum lists {value:?} more than once, and the variants of a Rust enum write distinct values")]
    DuplicateEnumValue {
        /// Dotted path of the field.
        path: String,
        /// The repeated value.
        value: String,
    },
    /// An option that cannot be used.
    #[error("option `{option}` = {value:?}: {reason}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// Its value.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// The generated tokens did not form a Rust file: a defect of this
    /// module, reported rather than hidden.
    #[error("the generated code does not parse as Rust: {0}")]
    Internal(String),
}

/// Generates formatted Rust source for `def`: the top type (a stream
/// payload with `#[stream_schema(name, version)]`) first, then the nested
/// types breadth-first. See the [module documentation](self) for the
/// mapping and the naming rules.
pub fn generate_rust(
    def: &SchemaDefinition,
    options: &CodegenOptions,
) -> Result<String, CodegenError> {
    let resolved = Resolved::new(options)?;
    // The wire round trip applies every rule of definitions (names,
    // duplicates, depth) to definitions built in code too.
    let def = SchemaDefinition::from_value(def.to_value())?;
    let stream = match &options.stream_name {
        Some(name) => {
            check_stream_name(name).map_err(|e| CodegenError::InvalidOption {
                option: "stream_name",
                value: name.clone(),
                reason: e.to_string(),
            })?;
            name.clone()
        }
        None => {
            let name = def.name.clone().ok_or(CodegenError::MissingStreamName)?;
            check_stream_name(&name)?;
            name
        }
    };
    let mut gen = Generator {
        stream: &stream,
        opts: &resolved,
        types: TypeNames::with_reserved(resolved.reserved.iter().map(String::as_str)),
        slots: Vec::new(),
        uses_date: false,
    };
    let top = gen.top_name(options.type_name.as_deref())?;
    let mut queue = VecDeque::new();
    let slot = gen.slot();
    queue.push_back(Job {
        slot,
        base: top.clone(),
        ident: top,
        fields: &def.fields,
        path: String::new(),
        role: Role::Top(def.version.0),
    });
    while let Some(job) = queue.pop_front() {
        let tokens = gen.structure(&job, &mut queue)?;
        if let Some(s) = gen.slots.get_mut(job.slot) {
            *s = Some(tokens);
        }
    }
    let uses = resolved.uses(gen.uses_date)?;
    let items: TokenStream = gen.slots.into_iter().flatten().collect();
    let file: syn::File =
        syn::parse2(quote!(#uses #items)).map_err(|e| CodegenError::Internal(e.to_string()))?;
    Ok(format!(
        "// Rust types for the messages of stream `{stream}`, schema version {version},\n\
         // generated from its schema definition. Regenerate rather than edit.\n\n{body}",
        version = def.version.0,
        body = spaced(&prettyplease::unparse(&file)),
    ))
}

/// Puts a blank line before every item after the first (each item starts
/// with its doc comment at the start of a line), as rustfmt leaves
/// hand-written code.
fn spaced(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut prev = "";
    for line in source.lines() {
        let item_start = line.starts_with("///") && !prev.is_empty() && !prev.starts_with("///");
        if item_start {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

/// A path option made ready: the tokens the code names it by, and the
/// import it needs.
struct Named {
    /// The name used in the code.
    tokens: TokenStream,
    /// `(prefix, last)` for `use prefix::last;`, when imported.
    import: Option<(String, String)>,
}

/// The options, parsed and checked.
struct Resolved {
    stream_schema: Named,
    date: Named,
    serialize: Named,
    deserialize: Named,
    any_object: syn::Type,
    struct_derives: Vec<syn::Path>,
    enum_derives: Vec<syn::Path>,
    /// Names no generated type may take.
    reserved: Vec<String>,
}

/// The prelude's names, which a generated type must not shadow.
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Debug",
    "Hash",
];

fn invalid(option: &'static str, value: &str, reason: impl Into<String>) -> CodegenError {
    CodegenError::InvalidOption {
        option,
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// Parses a path option with no generic arguments.
fn parse_path(option: &'static str, value: &str) -> Result<syn::Path, CodegenError> {
    let path: syn::Path = syn::parse_str(value)
        .map_err(|e| invalid(option, value, format!("not a Rust path: {e}")))?;
    if path
        .segments
        .iter()
        .any(|s| !matches!(s.arguments, syn::PathArguments::None))
    {
        return Err(invalid(option, value, "a path without generic arguments"));
    }
    Ok(path)
}

fn named(option: &'static str, value: &str) -> Result<Named, CodegenError> {
    let path = parse_path(option, value)?;
    let mut segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let Some(last) = segments.pop() else {
        return Err(invalid(option, value, "an empty path"));
    };
    if segments.is_empty() {
        return Ok(Named {
            tokens: quote!(#path),
            import: None,
        });
    }
    let lead = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    let last_ident = path
        .segments
        .last()
        .map(|s| s.ident.clone())
        .ok_or_else(|| invalid(option, value, "an empty path"))?;
    Ok(Named {
        tokens: quote!(#last_ident),
        import: Some((format!("{lead}{}", segments.join("::")), last)),
    })
}

impl Resolved {
    fn new(o: &CodegenOptions) -> Result<Resolved, CodegenError> {
        let stream_schema = named("stream_schema_path", &o.stream_schema_path)?;
        let date = named("date_path", &o.date_path)?;
        let serialize = named("serialize_path", &o.serialize_path)?;
        let deserialize = named("deserialize_path", &o.deserialize_path)?;
        let any_object: syn::Type = syn::parse_str(&o.any_object_type).map_err(|e| {
            invalid(
                "any_object_type",
                &o.any_object_type,
                format!("not a Rust type: {e}"),
            )
        })?;
        let derives = |option: &'static str, list: &[String]| {
            list.iter()
                .map(|d| parse_path(option, d))
                .collect::<Result<Vec<_>, _>>()
        };
        let struct_derives = derives("struct_derives", &o.struct_derives)?;
        let enum_derives = derives("enum_derives", &o.enum_derives)?;
        let mut imported: BTreeMap<String, String> = BTreeMap::new();
        for (option, value, n) in [
            ("stream_schema_path", &o.stream_schema_path, &stream_schema),
            ("date_path", &o.date_path, &date),
            ("serialize_path", &o.serialize_path, &serialize),
            ("deserialize_path", &o.deserialize_path, &deserialize),
        ] {
            if let Some((prefix, last)) = &n.import {
                let full = format!("{prefix}::{last}");
                match imported.get(last) {
                    Some(other) if *other != full => {
                        return Err(invalid(
                            option,
                            value,
                            format!("imports `{last}` again, already imported from `{other}`"),
                        ))
                    }
                    _ => {
                        imported.insert(last.clone(), full);
                    }
                }
            }
        }
        let reserved = PRELUDE
            .iter()
            .map(|s| (*s).to_string())
            .chain(imported.into_keys())
            .collect();
        Ok(Resolved {
            stream_schema,
            date,
            serialize,
            deserialize,
            any_object,
            struct_derives,
            enum_derives,
            reserved,
        })
    }

    /// The `use` items, grouped by module and sorted.
    fn uses(&self, with_date: bool) -> Result<TokenStream, CodegenError> {
        let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut used = vec![&self.serialize, &self.deserialize, &self.stream_schema];
        if with_date {
            used.push(&self.date);
        }
        for (prefix, last) in used.into_iter().filter_map(|n| n.import.as_ref()) {
            groups
                .entry(prefix.as_str())
                .or_default()
                .insert(last.as_str());
        }
        let mut out = TokenStream::new();
        for (prefix, names) in groups {
            let names: Vec<&str> = names.into_iter().collect();
            let text = if let [one] = names.as_slice() {
                format!("use {prefix}::{one};")
            } else {
                format!("use {prefix}::{{{}}};", names.join(", "))
            };
            let item: syn::ItemUse =
                syn::parse_str(&text).map_err(|e| CodegenError::Internal(e.to_string()))?;
            out.extend(quote!(#item));
        }
        Ok(out)
    }
}

/// What a generated struct stands for.
enum Role {
    /// The stream's payload, with its schema version.
    Top(u64),
    /// The value of an `object` field.
    Object,
    /// An element of an `array<object>` field.
    Element,
}

/// A struct waiting to be generated.
struct Job<'a> {
    slot: usize,
    ident: String,
    /// The name the type was first meant to have (before it was told apart
    /// from others): what a nested type's name is prefixed with.
    base: String,
    fields: &'a [Field],
    /// Dotted wire path of the field it stands for ("" for the top type).
    path: String,
    role: Role,
}

struct Generator<'a> {
    stream: &'a str,
    opts: &'a Resolved,
    types: TypeNames,
    /// The generated items in output order, filled as they are generated.
    slots: Vec<Option<TokenStream>>,
    uses_date: bool,
}

/// A Markdown code span holding `text`: characters that do not print (or
/// that would turn the text around) are shown escaped, and the fence is
/// longer than any run of backticks inside.
fn code(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && text
            .chars()
            .all(|c| c.escape_debug().count() == 1 || c == '"' || c == '\'' || c == '\\');
    let shown = if plain {
        text.to_string()
    } else {
        format!("\"{}\"", text.escape_debug())
    };
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if shown.starts_with('`') || shown.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

fn doc(text: String) -> TokenStream {
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

fn join_path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `parent` followed by `base`, kept `UpperCamelCase`: a `_` that only
/// guarded a leading digit goes, one between two digits is put.
fn join_camel(parent: &str, base: &str) -> String {
    let base = base.strip_prefix('_').unwrap_or(base);
    let digits = parent.ends_with(|c: char| c.is_ascii_digit())
        && base.starts_with(|c: char| c.is_ascii_digit());
    if digits {
        format!("{parent}_{base}")
    } else {
        format!("{parent}{base}")
    }
}

fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

impl Generator<'_> {
    fn slot(&mut self) -> usize {
        self.slots.push(None);
        self.slots.len() - 1
    }

    fn top_name(&mut self, given: Option<&str>) -> Result<String, CodegenError> {
        let Some(given) = given else {
            let base = names::camel_base(names::upper_camel_case(self.stream), "Message");
            return Ok(self.types.claim(&[base]));
        };
        let parsed: syn::Ident = syn::parse_str(given)
            .map_err(|_| invalid("type_name", given, "not a Rust identifier"))?;
        if parsed.to_string().starts_with("r#") {
            return Err(invalid(
                "type_name",
                given,
                "a raw identifier cannot name a type here",
            ));
        }
        if self.types.is_taken(given) {
            return Err(invalid(
                "type_name",
                given,
                "the name of a prelude item or of an import of the generated code",
            ));
        }
        self.types.take(given);
        Ok(given.to_string())
    }

    /// The derive attribute of a struct or an enum.
    fn derives(&self, extra: &[syn::Path]) -> TokenStream {
        let o = self.opts;
        let (ser, de, ss) = (
            &o.serialize.tokens,
            &o.deserialize.tokens,
            &o.stream_schema.tokens,
        );
        quote!(#[derive(#(#extra,)* #ser, #de, #ss)])
    }

    fn structure<'f>(
        &mut self,
        job: &Job<'f>,
        queue: &mut VecDeque<Job<'f>>,
    ) -> Result<TokenStream, CodegenError> {
        let stream = code(self.stream);
        let (doc_text, payload) = match job.role {
            Role::Top(version) => {
                let name = self.stream;
                let v = Literal::u64_unsuffixed(version);
                (
                    format!("A message of stream {stream}, schema version {version}."),
                    quote!(#[stream_schema(name = #name, version = #v)]),
                )
            }
            Role::Object => (
                format!(
                    "The object in field {} of stream {stream}.",
                    code(&job.path)
                ),
                quote!(),
            ),
            Role::Element => (
                format!(
                    "An element of the array in field {} of stream {stream}.",
                    code(&job.path)
                ),
                quote!(),
            ),
        };
        let type_doc = doc(doc_text);
        let derives = self.derives(&self.opts.struct_derives);
        let ident = ident(&job.ident);
        let body = if job.fields.is_empty() {
            // Only the top type can get here: a nested object with no fields
            // is a map field of its parent.
            let any = &self.opts.any_object;
            let field_doc = doc(
                "Every key of the message: the schema declares no fields, so any object is accepted."
                    .to_string(),
            );
            quote! {
                #field_doc
                #[serde(flatten)]
                #[stream_schema(skip)]
                pub fields: #any,
            }
        } else {
            let wires: Vec<&str> = job.fields.iter().map(|f| f.name.as_str()).collect();
            let field_names = names::field_names(&wires);
            let mut body = TokenStream::new();
            for (field, name) in job.fields.iter().zip(&field_names) {
                body.extend(self.field(job, field, name, queue)?);
            }
            body
        };
        Ok(quote! {
            #type_doc
            #derives
            #payload
            pub struct #ident {
                #body
            }
        })
    }

    /// One field of a struct; claims and queues the types it needs.
    fn field<'f>(
        &mut self,
        job: &Job<'f>,
        field: &'f Field,
        name: &Name,
        queue: &mut VecDeque<Job<'f>>,
    ) -> Result<TokenStream, CodegenError> {
        let path = join_path(&job.path, &field.name);
        let wire = field.name.as_str();
        let mut described = code(field.ty.wire_name());
        let mut stated: Option<&'static str> = None;
        let ty = match &field.ty {
            FieldType::String => quote!(String),
            FieldType::Float => quote!(f64),
            FieldType::Integer => quote!(i64),
            FieldType::Date => self.date(),
            FieldType::StringArray => quote!(Vec<String>),
            FieldType::FloatArray => quote!(Vec<f64>),
            FieldType::IntegerArray => quote!(Vec<i64>),
            FieldType::DateArray => {
                let d = self.date();
                quote!(Vec<#d>)
            }
            FieldType::Enum(values) => {
                let base = names::camel_base(names::upper_camel_case(wire), "Enum");
                let type_name = self.claim(&job.base, base);
                let slot = self.slot();
                let tokens = self.enumeration(&type_name, values, &path)?;
                if let Some(s) = self.slots.get_mut(slot) {
                    *s = Some(tokens);
                }
                let i = ident(&type_name);
                quote!(#i)
            }
            FieldType::Object(nested) | FieldType::ObjectArray(nested) if nested.is_empty() => {
                let any = &self.opts.any_object;
                described = format!("{described} (any fields)");
                if matches!(field.ty, FieldType::Object(_)) {
                    stated = Some("object");
                    quote!(#any)
                } else {
                    stated = Some("array<object>");
                    quote!(Vec<#any>)
                }
            }
            FieldType::Object(nested) | FieldType::ObjectArray(nested) => {
                let is_array = matches!(field.ty, FieldType::ObjectArray(_));
                let base = if is_array {
                    names::camel_base(names::element_type_base(wire), "Item")
                } else {
                    names::camel_base(names::upper_camel_case(wire), "Object")
                };
                let type_name = self.claim(&job.base, base.clone());
                let slot = self.slot();
                queue.push_back(Job {
                    slot,
                    ident: type_name.clone(),
                    base,
                    fields: nested,
                    path: path.clone(),
                    role: if is_array {
                        Role::Element
                    } else {
                        Role::Object
                    },
                });
                let i = ident(&type_name);
                if is_array {
                    quote!(Vec<#i>)
                } else {
                    quote!(#i)
                }
            }
        };
        let field_doc = doc(format!("{}: {described}.", code(wire)));
        let serde_attr = if name.text == wire {
            quote!(#[serde(skip_serializing_if = "Option::is_none")])
        } else {
            quote!(#[serde(rename = #wire, skip_serializing_if = "Option::is_none")])
        };
        let stated_attr = match stated {
            Some(t) => quote!(#[stream_schema(type = #t)]),
            None => quote!(),
        };
        let field_ident = name.ident();
        Ok(quote! {
            #field_doc
            #serde_attr
            #stated_attr
            pub #field_ident: Option<#ty>,
        })
    }

    fn date(&mut self) -> TokenStream {
        self.uses_date = true;
        self.opts.date.tokens.clone()
    }

    /// Claims a type name: `base`, else `base` after the parent's base name,
    /// else that numbered (so names stay short however deep types nest).
    fn claim(&mut self, parent_base: &str, base: String) -> String {
        let prefixed = join_camel(parent_base, &base);
        self.types.claim(&[base, prefixed])
    }

    fn enumeration(
        &self,
        type_name: &str,
        values: &[String],
        path: &str,
    ) -> Result<TokenStream, CodegenError> {
        if values.is_empty() {
            return Err(CodegenError::EmptyEnum {
                path: path.to_string(),
            });
        }
        let mut seen = BTreeSet::new();
        for v in values {
            if !seen.insert(v.as_str()) {
                return Err(CodegenError::DuplicateEnumValue {
                    path: path.to_string(),
                    value: v.clone(),
                });
            }
        }
        let wires: Vec<&str> = values.iter().map(String::as_str).collect();
        let variants = names::variant_names(&wires);
        let variants = values.iter().zip(&variants).map(|(wire, variant)| {
            let variant_doc = doc(format!("{}.", code(wire)));
            let rename = if variant == wire {
                quote!()
            } else {
                quote!(#[serde(rename = #wire)])
            };
            let v = ident(variant);
            quote! {
                #variant_doc
                #rename
                #v,
            }
        });
        let type_doc = doc(format!(
            "The values of the enum in field {} of stream {}.",
            code(path),
            code(self.stream)
        ));
        let derives = self.derives(&self.opts.enum_derives);
        let i = ident(type_name);
        Ok(quote! {
            #type_doc
            #derives
            pub enum #i {
                #(#variants)*
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(json: &str) -> SchemaDefinition {
        SchemaDefinition::from_json_str(json).unwrap()
    }

    fn generate(json: &str) -> String {
        generate_rust(&def(json), &CodegenOptions::default()).unwrap()
    }

    #[test]
    fn code_spans_escape_what_does_not_print() {
        assert_eq!(code("mode"), "`mode`");
        assert_eq!(code("say \"hi\""), "`say \"hi\"`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code(" pad"), "`\" pad\"`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`\"a\\nb\"`");
        assert_eq!(code("a\u{202e}b"), "`\"a\\u{202e}b\"`");
        assert_eq!(code("温度"), "`温度`");
    }

    #[test]
    fn parent_names_join_without_breaking_camel_case() {
        assert_eq!(join_camel("BoilerData", "Site"), "BoilerDataSite");
        assert_eq!(join_camel("BoilerData", "_3dScan"), "BoilerData3dScan");
        assert_eq!(join_camel("V1", "_2"), "V1_2");
    }

    #[test]
    fn definitions_without_a_name_need_one_in_the_options() {
        let d = def(r#"{"version": 1, "fields": [{"name": "a", "type": "string"}]}"#);
        assert_eq!(
            generate_rust(&d, &CodegenOptions::default()),
            Err(CodegenError::MissingStreamName)
        );
        let mut o = CodegenOptions {
            stream_name: Some("pings".into()),
            ..CodegenOptions::default()
        };
        let source = generate_rust(&d, &o).unwrap();
        assert!(source.contains(r#"#[stream_schema(name = "pings", version = 1)]"#));
        assert!(source.contains("pub struct Pings {"));
        o.stream_name = Some("no spaces".into());
        let err = generate_rust(&d, &o).unwrap_err();
        assert!(err.to_string().contains("option `stream_name`"), "{err}");
    }

    #[test]
    fn enums_without_a_rust_form_are_errors_naming_the_field() {
        let empty = r#"{"name": "s", "version": 1, "fields": [{"name": "site", "type": "object",
            "fields": [{"name": "mode", "type": "enum", "enum": []}]}]}"#;
        let err = generate_rust(&def(empty), &CodegenOptions::default()).unwrap_err();
        assert_eq!(
            err,
            CodegenError::EmptyEnum {
                path: "site.mode".into()
            }
        );
        let twice = r#"{"name": "s", "version": 1, "fields": [
            {"name": "mode", "type": "enum", "enum": ["a", "b", "a"]}]}"#;
        let err = generate_rust(&def(twice), &CodegenOptions::default()).unwrap_err();
        assert_eq!(
            err,
            CodegenError::DuplicateEnumValue {
                path: "mode".into(),
                value: "a".into()
            }
        );
        assert!(err
            .to_string()
            .starts_with("field `mode`: the enum lists \"a\""));
    }

    #[test]
    fn definitions_built_in_code_are_checked() {
        let d = SchemaDefinition::new(
            "s",
            1,
            vec![
                Field::new("a", FieldType::String),
                Field::new("a", FieldType::Float),
            ],
        );
        let err = generate_rust(&d, &CodegenOptions::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("field `a` is defined more than once"),
            "{err}"
        );
        let d = SchemaDefinition::new("bad name", 1, vec![]);
        assert!(matches!(
            generate_rust(&d, &CodegenOptions::default()),
            Err(CodegenError::Definition(
                SchemaError::InvalidStreamName { .. }
            ))
        ));
    }

    #[test]
    fn bad_options_are_reported_by_name() {
        let d = def(r#"{"name": "s", "version": 1, "fields": []}"#);
        type Change = Box<dyn Fn(&mut CodegenOptions)>;
        let cases: Vec<(&str, Change)> = vec![
            ("date_path", Box::new(|o| o.date_path = "not a path".into())),
            ("date_path", Box::new(|o| o.date_path = "a::Date<T>".into())),
            (
                "any_object_type",
                Box::new(|o| o.any_object_type = "Map<".into()),
            ),
            (
                "struct_derives",
                Box::new(|o| o.struct_derives.push("1x".into())),
            ),
            (
                "type_name",
                Box::new(|o| o.type_name = Some("two words".into())),
            ),
            (
                "type_name",
                Box::new(|o| o.type_name = Some("Option".into())),
            ),
            ("type_name", Box::new(|o| o.type_name = Some("Date".into()))),
            (
                "serialize_path",
                Box::new(|o| o.serialize_path = "other::Date".into()),
            ),
        ];
        for (option, change) in cases {
            let mut o = CodegenOptions::default();
            change(&mut o);
            match generate_rust(&d, &o) {
                Err(CodegenError::InvalidOption { option: got, .. }) => assert_eq!(got, option),
                other => panic!("{option}: {other:?}"),
            }
        }
    }

    #[test]
    fn imports_follow_the_options_and_only_what_is_used() {
        let source =
            generate(r#"{"name": "s", "version": 1, "fields": [{"name": "a", "type": "string"}]}"#);
        assert!(source.contains("use serde::{Deserialize, Serialize};\n"));
        assert!(source.contains("use streamsea::StreamSchema;\n"));
        assert!(!source.contains("Date"));
        let o = CodegenOptions {
            date_path: "my_crate::time::Stamp".into(),
            stream_schema_path: "StreamSchema".into(),
            ..CodegenOptions::default()
        };
        let d = def(
            r#"{"name": "s", "version": 1, "fields": [{"name": "at", "type": "array<date>"}]}"#,
        );
        let source = generate_rust(&d, &o).unwrap();
        assert!(source.contains("use my_crate::time::Stamp;\n"));
        assert!(!source.contains("use streamsea"));
        assert!(source.contains("pub at: Option<Vec<Stamp>>,"));
        assert!(source
            .contains("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]"));
    }

    #[test]
    fn nested_types_are_named_from_fields_and_told_apart() {
        let source = generate(
            r#"{"name": "port_calls", "version": 3, "fields": [
                {"name": "site", "type": "object", "fields": [{"name": "name", "type": "string"}]},
                {"name": "moves", "type": "array<object>", "fields": [
                    {"name": "site", "type": "object", "fields": [{"name": "berth", "type": "integer"}]},
                    {"name": "kind", "type": "enum", "enum": ["load", "discharge"]}
                ]},
                {"name": "option", "type": "object", "fields": [{"name": "x", "type": "float"}]}
            ]}"#,
        );
        for expected in [
            "pub struct PortCalls {",
            "pub site: Option<Site>,",
            "pub moves: Option<Vec<Move>>,",
            "pub option: Option<PortCallsOption>,",
            "pub struct Site {",
            "pub struct Move {",
            "pub struct PortCallsOption {",
            "pub site: Option<MoveSite>,",
            "pub kind: Option<Kind>,",
            "pub enum Kind {",
            "pub struct MoveSite {",
            "/// The object in field `moves.site` of stream `port_calls`.",
            "/// An element of the array in field `moves` of stream `port_calls`.",
        ] {
            assert!(source.contains(expected), "{expected}\n{source}");
        }
        let order: Vec<usize> = [
            "struct PortCalls",
            "struct Site",
            "struct Move ",
            "struct PortCallsOption",
            "struct MoveSite",
            "enum Kind",
        ]
        .iter()
        .map(|s| source.find(s).unwrap())
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{source}");
    }

    #[test]
    fn any_object_fields_and_streams() {
        let source = generate(
            r#"{"name": "s", "version": 1, "fields": [
                {"name": "meta", "type": "object"},
                {"name": "rows", "type": "array<object>", "fields": []}
            ]}"#,
        );
        assert!(source.contains(
            "    #[stream_schema(type = \"object\")]\n    pub meta: Option<serde_json::Map<String, serde_json::Value>>,"
        ), "{source}");
        assert!(source.contains(
            "    #[stream_schema(type = \"array<object>\")]\n    pub rows: Option<Vec<serde_json::Map<String, serde_json::Value>>>,"
        ), "{source}");
        let source = generate(r#"{"name": "anything", "version": 1, "fields": []}"#);
        assert!(source.contains(
            "    #[serde(flatten)]\n    #[stream_schema(skip)]\n    pub fields: serde_json::Map<String, serde_json::Value>,"
        ), "{source}");
    }

    #[test]
    fn renames_keep_wire_names_exactly() {
        let source = generate(
            r#"{"name": "s", "version": 1, "fields": [
                {"name": "type", "type": "string"},
                {"name": "a\"b\\c\n", "type": "string"},
                {"name": "mode", "type": "enum", "enum": ["in-progress", "Done", ""]}
            ]}"#,
        );
        assert!(source.contains("pub r#type: Option<String>,"), "{source}");
        assert!(
            source.contains(
                r#"#[serde(rename = "a\"b\\c\n", skip_serializing_if = "Option::is_none")]"#
            ),
            "{source}"
        );
        assert!(source.contains("pub a_b_c: Option<String>,"), "{source}");
        assert!(
            source.contains("    #[serde(rename = \"in-progress\")]\n    InProgress,"),
            "{source}"
        );
        assert!(source.contains("    /// `Done`.\n    Done,"), "{source}");
        assert!(
            source.contains("    #[serde(rename = \"\")]\n    Empty,"),
            "{source}"
        );
    }
}
