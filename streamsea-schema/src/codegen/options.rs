//! The options of code generation, checked and made ready: paths parsed,
//! imports grouped, and the names generated types must not take.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::CodegenError;

/// How [`generate_rust`](super::generate_rust) names and writes the generated code.
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

/// A path option made ready: the tokens the code names it by, and the
/// import it needs.
pub(super) struct Named {
    /// The name used in the code.
    pub tokens: TokenStream,
    /// `(prefix, last)` for `use prefix::last;`, when imported.
    pub import: Option<(String, String)>,
}

/// The options, parsed and checked.
pub(super) struct Resolved {
    pub stream_schema: Named,
    pub date: Named,
    pub serialize: Named,
    pub deserialize: Named,
    pub any_object: syn::Type,
    pub struct_derives: Vec<syn::Path>,
    pub enum_derives: Vec<syn::Path>,
    /// Names no generated type may take.
    pub reserved: Vec<String>,
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

pub(super) fn invalid(
    option: &'static str,
    value: &str,
    reason: impl Into<String>,
) -> CodegenError {
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
    pub fn new(o: &CodegenOptions) -> Result<Resolved, CodegenError> {
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
        // The names the code uses for the four paths, imported or not.
        let used = [&stream_schema, &date, &serialize, &deserialize]
            .into_iter()
            .map(|n| n.tokens.to_string());
        let reserved = PRELUDE
            .iter()
            .map(|s| (*s).to_string())
            .chain(imported.into_keys())
            .chain(used)
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
    pub fn uses(&self, with_date: bool) -> Result<TokenStream, CodegenError> {
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
