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

mod emit;
mod names;
mod options;

use quote::quote;

use crate::definition::{check_stream_name, SchemaDefinition};
use crate::error::SchemaError;

pub use options::CodegenOptions;
use options::Resolved;

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
    let version = def.version.0;
    let items = emit::items(
        &def.fields,
        version,
        &stream,
        &resolved,
        options.type_name.as_deref(),
    )?;
    let uses = resolved.uses(items.uses_date)?;
    let tokens = items.tokens;
    let file: syn::File =
        syn::parse2(quote!(#uses #tokens)).map_err(|e| CodegenError::Internal(e.to_string()))?;
    Ok(format!(
        "// Rust types for the messages of stream `{stream}`, schema version {version},\n\
         // generated from its schema definition. Regenerate rather than edit.\n\n{body}",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Field, FieldType};

    fn def(json: &str) -> SchemaDefinition {
        SchemaDefinition::from_json_str(json).unwrap()
    }

    fn generate(json: &str) -> String {
        generate_rust(&def(json), &CodegenOptions::default()).unwrap()
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
        // Names used without an import are not taken by generated types either.
        let d = def(r#"{"name": "s", "version": 1, "fields": [
            {"name": "streamSchema", "type": "object", "fields": [{"name": "at", "type": "date"}]}]}"#);
        let nested = generate_rust(&d, &o).unwrap();
        assert!(
            nested.contains("pub stream_schema: Option<SStreamSchema>,"),
            "{nested}"
        );
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
