//! The generated items: a struct for the stream's payload and for every
//! object with fields, an enum for every enum field, named breadth-first.

use std::collections::{BTreeSet, VecDeque};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::names::{self, Name, TypeNames};
use super::options::{invalid, Resolved};
use super::CodegenError;
use crate::field::{Field, FieldType};

/// The generated items, and whether they name the date type.
pub(super) struct Items {
    /// The structs and enums, the top type first.
    pub tokens: TokenStream,
    /// True when a field is a date (the date type must be imported).
    pub uses_date: bool,
}

/// Generates the types of a definition's `fields`: the top type (the
/// payload of `stream` at `version`, named `type_name` when given), then the
/// nested types breadth-first.
pub(super) fn items(
    fields: &[Field],
    version: u64,
    stream: &str,
    opts: &Resolved,
    type_name: Option<&str>,
) -> Result<Items, CodegenError> {
    let mut gen = Generator {
        stream,
        opts,
        types: TypeNames::with_reserved(opts.reserved.iter().map(String::as_str)),
        slots: Vec::new(),
        uses_date: false,
    };
    let top = gen.top_name(type_name)?;
    let mut queue = VecDeque::new();
    let slot = gen.slot();
    queue.push_back(Job {
        slot,
        base: top.clone(),
        ident: top,
        fields,
        path: String::new(),
        role: Role::Top(version),
    });
    while let Some(job) = queue.pop_front() {
        let tokens = gen.structure(&job, &mut queue)?;
        if let Some(s) = gen.slots.get_mut(job.slot) {
            *s = Some(tokens);
        }
    }
    Ok(Items {
        uses_date: gen.uses_date,
        tokens: gen.slots.into_iter().flatten().collect(),
    })
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
}
