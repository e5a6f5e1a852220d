//! Code generation checked end to end, the way a schema-to-code generator
//! is best checked: the generated source is compiled, and the derive on the
//! generated types must give back the definition it came from.
//!
//! - `golden_sources_match_the_snapshots`: for every schema in
//!   `tests/codegen/*.json`, the generated source equals the reviewed
//!   `tests/codegen/*.rs` beside it (`STREAMSEA_BLESS=1` rewrites them).
//! - `generated_code_compiles_and_round_trips`: the golden schemas and
//!   arbitrary definitions drawn with a fixed seed are generated into one
//!   Cargo project, compiled once (with `#![deny(warnings, missing_docs)]`)
//!   and run. For each definition the program checks that
//!   `T::definition()` equals the input, and that payloads drawn from the
//!   definition deserialize into `T`, pass `validate()`, and serialize back
//!   to the same JSON (absent and `null` fields coming back absent).

#![cfg(feature = "codegen")]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value};
use streamsea_schema::codegen::{generate_rust, CodegenOptions};
use streamsea_schema::{Date, Field, FieldType, SchemaDefinition, Validator};

/// How many arbitrary definitions the compiled check covers (override with
/// `STREAMSEA_CODEGEN_CASES`, at most 1024).
const DEFAULT_CASES: usize = 64;
/// Payloads drawn per definition.
const PAYLOADS: usize = 6;
const SEED: [u8; 32] = *b"streamsea codegen round trip 01!";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codegen")
}

/// The golden schemas, by file stem, in name order.
fn golden() -> Vec<(String, SchemaDefinition)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(golden_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap();
            let def = SchemaDefinition::from_json_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((stem, def));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn golden_sources_match_the_snapshots() {
    let golden = golden();
    assert!(golden.len() >= 12, "only {} golden schemas", golden.len());
    let bless = std::env::var_os("STREAMSEA_BLESS").is_some();
    let mut stale = Vec::new();
    for (stem, def) in &golden {
        let source = generate_rust(def, &CodegenOptions::default())
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        let path = golden_dir().join(format!("{stem}.rs"));
        if bless {
            fs::write(&path, &source).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
            stale.push(format!("{stem}.rs"));
        }
    }
    assert!(
        stale.is_empty(),
        "generated source differs from {stale:?}: review the change and rerun with STREAMSEA_BLESS=1"
    );
}

// ---- arbitrary definitions ----

/// Names chosen to break naive generators: keywords, digits, prelude and
/// imported names, case variants of one another, non-ASCII and control
/// characters, names with no letters at all.
const NASTY: &[&str] = &[
    "type",
    "fn",
    "match",
    "self",
    "Self",
    "super",
    "crate",
    "async",
    "gen",
    "try",
    "_",
    "__",
    "r#type",
    "fooBar",
    "foo_bar",
    "FOO_BAR",
    "foo-bar",
    "foo bar",
    "1st",
    "2",
    "0x10",
    "3d",
    "Option",
    "Some",
    "String",
    "Vec",
    "Date",
    "Serialize",
    "Deserialize",
    "StreamSchema",
    "Box",
    "Result",
    "fields",
    "field",
    "field_2",
    "温度",
    "😀",
    "a\"b",
    "back\\slash",
    "new\nline",
    "\u{202e}rtl",
    " ",
    "value",
    "Value",
    "Empty",
    "readings",
    "entries",
    "data",
    "site",
    "Site",
    "sites",
    "HTTPServer",
    "ABC",
    "abc",
    "v1",
    "V1",
    "v1_2",
    "x__y",
    "$",
    "`tick`",
    "Kind",
    "kind",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(NASTY).prop_map(str::to_string),
        3 => "[a-z][a-zA-Z0-9]{0,10}",
        1 => "[a-zA-Z0-9_ .$-]{1,8}",
        1 => "(?s).{1,6}",
    ]
}

fn enum_values() -> impl Strategy<Value = Vec<String>> {
    let value = prop_oneof![
        3 => select(NASTY).prop_map(str::to_string),
        2 => "[a-zA-Z0-9_ -]{0,8}",
        1 => "(?s).{0,4}",
        1 => Just(String::new()),
    ];
    vec(value, 1..6).prop_map(|values| {
        let mut seen = BTreeSet::new();
        values
            .into_iter()
            .filter(|v| seen.insert(v.clone()))
            .collect()
    })
}

fn field_type(depth: u32) -> BoxedStrategy<FieldType> {
    let leaf = prop_oneof![
        Just(FieldType::String),
        Just(FieldType::Float),
        Just(FieldType::Integer),
        Just(FieldType::Date),
        Just(FieldType::StringArray),
        Just(FieldType::FloatArray),
        Just(FieldType::IntegerArray),
        Just(FieldType::DateArray),
        enum_values().prop_map(FieldType::Enum),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        6 => leaf,
        1 => fields(depth - 1, 5).prop_map(FieldType::Object),
        1 => fields(depth - 1, 5).prop_map(FieldType::ObjectArray),
    ]
    .boxed()
}

/// A field list of distinct, non-empty names.
fn fields(depth: u32, max: usize) -> BoxedStrategy<Vec<Field>> {
    vec((name(), field_type(depth)), 0..max)
        .prop_map(|list| {
            let mut seen = BTreeSet::new();
            list.into_iter()
                .filter(|(n, _)| !n.is_empty() && seen.insert(n.clone()))
                .map(|(n, t)| Field::new(n, t))
                .collect()
        })
        .boxed()
}

fn stream_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "boiler_data",
                "self",
                "Self",
                "option",
                "123",
                "-",
                "_",
                "a.b-c",
                "type",
                "Date",
                "Serialize",
                "fields",
                "x",
            ][..]
        )
        .prop_map(str::to_string),
        "[a-zA-Z0-9_.-]{1,16}".prop_filter("`.` and `..` are not stream names", |s| {
            s != "." && s != ".."
        }),
    ]
}

/// A definition, and options that sometimes give the stream name (the
/// definition then has none) and the top type's name.
#[derive(Debug, Clone)]
struct Case {
    def: SchemaDefinition,
    stream_in_options: bool,
    type_name: Option<String>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        stream_name(),
        prop_oneof![0..5u64, 0..=streamsea_schema::Version::MAX.0],
        fields(3, 7),
        any::<bool>(),
        prop_oneof![3 => Just(None), 1 => Just(Some("Payload".to_string()))],
    )
        .prop_map(
            |(stream, version, fields, stream_in_options, type_name)| Case {
                def: SchemaDefinition::new(stream, version, fields),
                stream_in_options,
                type_name,
            },
        )
}

// ---- payloads ----

fn float() -> impl Strategy<Value = Value> {
    // Quarters are exact in binary and print back as written.
    (-4_000_000i64..4_000_000).prop_map(|q| Value::from(q as f64 / 4.0))
}

fn date() -> impl Strategy<Value = Value> {
    (-62_167_219_200i64..=253_402_300_799)
        .prop_map(|secs| Value::from(Date::from_unix(secs).unwrap().to_string()))
}

fn any_json(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        float(),
        "(?s).{0,6}".prop_map(Value::from),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => vec(any_json(depth - 1), 0..3).prop_map(Value::from),
        1 => any_object(depth - 1),
    ]
    .boxed()
}

fn any_object(depth: u32) -> BoxedStrategy<Value> {
    vec(("(?s).{0,5}", any_json(depth)), 0..4)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
        .boxed()
}

fn value_of(ty: &FieldType) -> BoxedStrategy<Value> {
    match ty {
        FieldType::String => "(?s).{0,8}".prop_map(Value::from).boxed(),
        FieldType::Float => float().boxed(),
        FieldType::Integer => any::<i64>().prop_map(Value::from).boxed(),
        FieldType::Date => date().boxed(),
        FieldType::Enum(values) => select(values.clone()).prop_map(Value::from).boxed(),
        FieldType::Object(nested) => payload(nested),
        other => match other.element() {
            Some(element) => vec(value_of(&element), 0..4).prop_map(Value::from).boxed(),
            None => unreachable!("every array type has an element type"),
        },
    }
}

/// A payload of `fields`: each field absent, `null`, or a value.
fn payload(fields: &[Field]) -> BoxedStrategy<Value> {
    if fields.is_empty() {
        return any_object(2);
    }
    let entries: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .iter()
        .map(|f| {
            let name = f.name.clone();
            let null_name = f.name.clone();
            prop_oneof![
                1 => Just(None),
                1 => Just(Some((null_name, Value::Null))),
                4 => value_of(&f.ty).prop_map(move |v| Some((name.clone(), v))),
            ]
            .boxed()
        })
        .collect();
    entries
        .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
        .boxed()
}

/// What the generated type writes back for `value`: declared fields that
/// were `null` are absent; any-object maps are kept as they are (the top
/// type's flattened map keeps its `null`s too).
fn written_back(fields: &[Field], value: &Value, top: bool) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    if fields.is_empty() && top {
        return value.clone();
    }
    let mut out = Map::new();
    for (k, v) in map {
        if v.is_null() {
            continue;
        }
        let ty = fields.iter().find(|f| &f.name == k).map(|f| &f.ty);
        let v = match ty {
            Some(FieldType::Object(nested)) if !nested.is_empty() => written_back(nested, v, false),
            Some(FieldType::ObjectArray(nested)) if !nested.is_empty() => Value::Array(
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|e| written_back(nested, e, false))
                    .collect(),
            ),
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    Value::Object(out)
}

// ---- the generated project ----

/// One definition to compile and check.
struct Check {
    module: String,
    source: String,
    top: String,
    expected: SchemaDefinition,
    payloads: Vec<Value>,
}

/// Options for the compiled project: its dependencies are
/// `streamsea-schema` and `streamsea-derive` (the facade would pull in the
/// whole client), so the derive and `Date` are named from those crates.
fn project_options() -> CodegenOptions {
    let mut o = CodegenOptions::default();
    o.stream_schema_path = "streamsea_derive::StreamSchema".into();
    o.date_path = "streamsea_schema::Date".into();
    o
}

/// The top type of a generated source: the first struct.
fn top_type(source: &str) -> String {
    let at = source.find("\npub struct ").expect("a struct") + "\npub struct ".len();
    source[at..].split([' ', '{']).next().unwrap().to_string()
}

fn draw<T: std::fmt::Debug>(strategy: impl Strategy<Value = T>, runner: &mut TestRunner) -> T {
    strategy.new_tree(runner).unwrap().current()
}

fn checks() -> Vec<Check> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &SEED),
    );
    let mut out = Vec::new();
    for (stem, def) in golden() {
        let source = generate_rust(&def, &project_options()).unwrap();
        // The project's sources differ from the reviewed snapshots in their
        // imports only.
        let snapshot = generate_rust(&def, &CodegenOptions::default()).unwrap();
        let body = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| !l.starts_with("use "))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(body(&source), body(&snapshot), "{stem}");
        let payloads = (0..PAYLOADS)
            .map(|_| draw(payload(&def.fields), &mut runner))
            .collect();
        out.push(Check {
            module: format!("golden_{stem}"),
            top: top_type(&source),
            source,
            expected: def,
            payloads,
        });
    }
    let cases = std::env::var("STREAMSEA_CODEGEN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
        .min(1024);
    for i in 0..cases {
        let case = draw(case(), &mut runner);
        let mut options = project_options();
        options.type_name = case.type_name.clone();
        let mut input = case.def.clone();
        if case.stream_in_options {
            options.stream_name = input.name.take();
        }
        let source = generate_rust(&input, &options)
            .unwrap_or_else(|e| panic!("arbitrary definition {i}: {e}\n{:?}", case.def));
        if let Some(t) = &case.type_name {
            assert_eq!(&top_type(&source), t);
        }
        let payloads = (0..PAYLOADS)
            .map(|_| draw(payload(&case.def.fields), &mut runner))
            .collect();
        out.push(Check {
            module: format!("arbitrary_{i:04}"),
            top: top_type(&source),
            source,
            expected: case.def,
            payloads,
        });
    }
    out
}

const CHECK_RS: &str = r#"//! Checks each generated type against the definition it came from.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use streamsea_schema::{SchemaDefinition, StreamSchema, Validator};

/// Checks `T` against its case; returns the number of payloads checked.
pub fn check<T: StreamSchema + Serialize + DeserializeOwned>(
    case: &str,
    definition: &str,
    payloads: &str,
    failures: &mut Vec<String>,
) -> usize {
    let expected = match SchemaDefinition::from_json_str(definition) {
        Ok(d) => d,
        Err(e) => {
            failures.push(format!("{case}: the expected definition does not read: {e}"));
            return 0;
        }
    };
    let derived = T::definition();
    if derived != expected {
        failures.push(format!(
            "{case}: T::definition() differs from the input\n  input:   {}\n  derived: {}",
            expected.sorted().to_value(),
            derived.sorted().to_value()
        ));
    }
    let validator = Validator::new(&expected);
    let cases: Vec<(Value, Value)> = match serde_json::from_str(payloads) {
        Ok(p) => p,
        Err(e) => {
            failures.push(format!("{case}: the payloads do not read: {e}"));
            return 0;
        }
    };
    for (i, (payload, back)) in cases.iter().enumerate() {
        let value: T = match serde_json::from_value(payload.clone()) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{case} payload {i}: does not deserialize: {e}\n  {payload}"));
                continue;
            }
        };
        if let Err(e) = value.validate() {
            failures.push(format!("{case} payload {i}: validate() fails: {e}"));
        }
        match serde_json::to_value(&value) {
            Ok(written) => {
                if &written != back {
                    failures.push(format!(
                        "{case} payload {i}: written back differently\n  read:    {payload}\n  expected {back}\n  written: {written}"
                    ));
                }
                if let Err(e) = validator.validate(&written) {
                    failures.push(format!("{case} payload {i}: written JSON is invalid: {e}"));
                }
            }
            Err(e) => failures.push(format!("{case} payload {i}: does not serialize: {e}")),
        }
    }
    cases.len()
}
"#;

const MAIN_RS: &str = r#"fn main() {
    let (definitions, payloads, failures) = codegen_roundtrip::run();
    for f in &failures {
        eprintln!("{f}\n");
    }
    println!("checked {definitions} definitions and {payloads} payloads: {} failures", failures.len());
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
"#;

/// Writes `text` to `path` unless it already holds it (so an unchanged
/// project is not rebuilt).
fn write(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap();
    }
}

fn write_project(dir: &Path, checks: &[Check]) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let src = dir.join("src");
    let data = dir.join("data");
    fs::create_dir_all(&src).unwrap();
    fs::create_dir_all(&data).unwrap();
    let manifest = format!(
        r#"[package]
name = "codegen_roundtrip"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
streamsea-schema = {{ path = {schema:?}, default-features = false }}
streamsea-derive = {{ path = {derive:?} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[workspace]
"#,
        schema = root.join("streamsea-schema").display().to_string(),
        derive = root.join("streamsea-derive").display().to_string(),
    );
    write(&dir.join("Cargo.toml"), &manifest);
    // The workspace's lock, so the project builds offline with the versions
    // the workspace uses.
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap();
    write(&dir.join("Cargo.lock"), &lock);
    let mut lib = String::from(
        "//! Types generated from schema definitions, checked by `run`.\n\n\
         #![deny(warnings, missing_docs)]\n\nmod check;\n\n",
    );
    let mut run = String::from(
        "/// Checks every case: (definitions, payloads, failures).\n\
         pub fn run() -> (usize, usize, Vec<String>) {\n    \
         let mut failures = Vec::new();\n    let mut payloads = 0;\n",
    );
    let mut total_payloads = 0;
    for c in checks {
        let m = &c.module;
        writeln!(lib, "/// Types of case `{m}`.\npub mod {m};").unwrap();
        write(&src.join(format!("{m}.rs")), &c.source);
        write(
            &data.join(format!("{m}.json")),
            &c.expected.to_value().to_string(),
        );
        let pairs: Vec<Value> = c
            .payloads
            .iter()
            .map(|p| {
                let validator = Validator::new(&c.expected);
                assert!(
                    validator.is_valid(p),
                    "{m}: the drawn payload is not valid: {p}\n{:?}",
                    validator.validate(p)
                );
                Value::Array(vec![p.clone(), written_back(&c.expected.fields, p, true)])
            })
            .collect();
        total_payloads += pairs.len();
        write(
            &data.join(format!("{m}.payloads.json")),
            &Value::Array(pairs).to_string(),
        );
        writeln!(
            run,
            "    payloads += check::check::<{m}::{top}>({m:?}, include_str!(\"../data/{m}.json\"), include_str!(\"../data/{m}.payloads.json\"), &mut failures);",
            top = c.top
        )
        .unwrap();
    }
    writeln!(run, "    ({}, payloads, failures)\n}}", checks.len()).unwrap();
    lib.push('\n');
    lib.push_str(&run);
    write(&src.join("lib.rs"), &lib);
    write(&src.join("check.rs"), CHECK_RS);
    write(&src.join("main.rs"), MAIN_RS);
    total_payloads
}

#[test]
fn generated_code_compiles_and_round_trips() {
    let checks = checks();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("codegen_roundtrip");
    // Files are only rewritten when their text changes, so a rerun with
    // the same sources only runs the checks again.
    let payloads = write_project(&dir, &checks);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["run", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail = |s: &str| -> String {
        let skip = s.chars().count().saturating_sub(30_000);
        s.chars().skip(skip).collect()
    };
    assert!(
        output.status.success(),
        "the generated project failed ({}):\n{}\n{}",
        dir.display(),
        tail(&stdout),
        tail(&stderr)
    );
    assert_eq!(
        stdout.trim(),
        format!(
            "checked {} definitions and {payloads} payloads: 0 failures",
            checks.len()
        )
    );
}
