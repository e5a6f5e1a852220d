//! `define`, `describe`, `svv`, `json-schema` and `codegen` against an
//! in-process server.

mod common;

use common::*;
use serde_json::json;

const LONG: &str = r#"{"name": "boiler_data", "version": 2, "fields": [
  {"name": "temperature", "type": "float"},
  {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
  {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
]}"#;

#[tokio::test]
async fn define_reads_long_and_short_forms_from_files_inline_and_stdin() {
    let server = start().await;
    let file = server.file("boiler.json", LONG);

    let out = server
        .cli()
        .arg("define")
        .arg("--schema")
        .arg(&file)
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "stream `boiler_data`: created version 2");

    // Same definition again, fields in another order: unchanged.
    let reordered = r#"{"name": "boiler_data", "version": 2, "fields": [
      {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]},
      {"name": "mode", "type": "enum", "enum": ["heating", "idle"]},
      {"name": "temperature", "type": "float"}]}"#;
    let out = server
        .cli()
        .args(["--output", "json", "define", "--schema", "-"])
        .stdin(reordered)
        .run()
        .await
        .success();
    assert_eq!(
        out.json(),
        json!({"stream": "boiler_data", "outcome": "unchanged", "version": 2})
    );

    // Short form inline, named by --stream; then upgraded.
    let out = server
        .cli()
        .args([
            "define",
            "-s",
            "moves",
            "-m",
            r#"{"kind": "string", "at": {"lat": "float"}}"#,
        ])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "stream `moves`: created version 1");
    let out = server
        .cli()
        .args(["--output", "json", "define", "-s", "moves", "-m"])
        .arg(r#"{"_version": 3, "kind": "string", "at": {"lat": "float"}, "legs": [{"n": "integer"}]}"#)
        .run()
        .await
        .success();
    assert_eq!(
        out.json(),
        json!({"stream": "moves", "outcome": "upgraded", "from": 1, "version": 3, "class": "compatible"})
    );
    let described = server
        .cli()
        .args(["--output", "json", "describe", "--stream", "moves"])
        .run()
        .await
        .success()
        .json();
    assert_eq!(described["version"], 3);
    assert_eq!(described["fields"][1]["name"], "kind");
    assert_eq!(described["fields"][1]["type"], "string");
    assert_eq!(described["fields"][2]["type"], "array<object>");

    // --stream overrides the definition's own name.
    let out = server
        .cli()
        .args(["define", "--stream", "renamed", "--schema"])
        .arg(&file)
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "stream `renamed`: created version 2");
}

#[tokio::test]
async fn define_failures_say_what_is_wrong() {
    let server = start().await;
    server.define("s", r#"{"_version": 2, "a": "float"}"#).await;

    // The server refuses: a lower version (400) and different fields for the same version (409).
    let out = server
        .cli()
        .args([
            "define",
            "-s",
            "s",
            "-m",
            r#"{"_version": 1, "a": "float"}"#,
        ])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (400)");
    assert!(out.stdout.is_empty());
    let out = server
        .cli()
        .args([
            "--output",
            "json",
            "define",
            "-s",
            "s",
            "-m",
            r#"{"_version": 2, "a": "string"}"#,
        ])
        .run()
        .await
        .code(1);
    let e = out.stderr_json();
    assert_eq!(e["status"], 409);
    assert_eq!(e["exitCode"], 1);

    // Unreadable input: exit 2, naming the option, the file or the field.
    server
        .cli()
        .args(["define", "-m", r#"{"a": "float"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("pass --stream NAME");
    server
        .cli()
        .args(["define", "-s", "s", "-m", r#"{"loc": {"lat": "flaot"}}"#])
        .run()
        .await
        .code(2)
        .stderr_has("loc.lat")
        .stderr_has("flaot");
    server
        .cli()
        .args(["define", "-s", "s", "-m", r#"{"a": "#])
        .run()
        .await
        .code(2)
        .stderr_has("--schema: the inline JSON: EOF while parsing");
    server
        .cli()
        .args(["define", "-s", "s", "-m", "missing.json"])
        .run()
        .await
        .code(2)
        .stderr_has("cannot read file `missing.json`: no such file");
    server
        .cli()
        .args(["define", "-s", "bad name", "-m", r#"{"a": "float"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("invalid stream name");
    // clap's own usage error.
    server
        .cli()
        .args(["define", "-s", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("--schema");
}

#[tokio::test]
async fn describe_prints_the_schema_or_fails_without_one() {
    let server = start().await;
    server
        .cli()
        .arg("define")
        .arg("-m")
        .arg(server.file("b.json", LONG))
        .run()
        .await
        .success();

    let out = server
        .cli()
        .args(["describe", "-s", "boiler_data"])
        .run()
        .await
        .success();
    // Text form: indented JSON, fields in name order.
    assert!(out.stdout.contains("\n  \"fields\": ["), "{out:?}");
    let text: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let json = server
        .cli()
        .args(["describe", "-s", "boiler_data", "--output", "json"])
        .run()
        .await
        .success();
    assert_eq!(json.lines().len(), 1);
    assert_eq!(json.json(), text);
    let expected = streamsea_schema::SchemaDefinition::from_json_str(LONG).unwrap();
    assert_eq!(
        streamsea_schema::SchemaDefinition::from_value(text).unwrap(),
        expected
    );

    let out = server
        .cli()
        .args(["describe", "-s", "nothing_here"])
        .run()
        .await
        .code(1)
        .stderr_has("stream `nothing_here` has no schema");
    assert!(out.stdout.is_empty());
    let out = server
        .cli()
        .args(["--output", "json", "describe", "-s", "nothing_here"])
        .run()
        .await
        .code(1);
    assert_eq!(
        out.stderr_json(),
        json!({"error": "stream `nothing_here` has no schema", "exitCode": 1})
    );
}

#[tokio::test]
async fn svv_prints_versions_in_order() {
    let server = start().await;
    server
        .define("a", r#"{"_version": 3, "x": "string"}"#)
        .await;
    server.define("b", r#"{"y": "string"}"#).await;

    let out = server
        .cli()
        .args(["svv", "b", "none", "a"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "1:null:3");
    // The official tool's colon-separated form, mixed with positional names.
    let out = server
        .cli()
        .args(["--output", "json", "svv", "a", "--schemas", "none:b"])
        .run()
        .await
        .success();
    assert_eq!(
        out.json(),
        json!({"schemaNames": ["a", "none", "b"], "versionsVector": [3, null, 1]})
    );
    server.cli().arg("svv").run().await.code(2);
    server
        .cli()
        .args(["svv", "-s", "a::b"])
        .run()
        .await
        .code(2)
        .stderr_has("empty");
    server
        .cli()
        .args(["svv", "not/valid"])
        .run()
        .await
        .code(2)
        .stderr_has("invalid stream name");
}

#[tokio::test]
async fn json_schema_exports_from_a_file_or_the_server() {
    let server = start().await;
    let file = server.file("b.json", LONG);
    let from_file = server
        .cli()
        .arg("json-schema")
        .arg("--schema")
        .arg(&file)
        .run()
        .await
        .success();
    let schema: serde_json::Value = serde_json::from_str(&from_file.stdout).unwrap();
    assert_eq!(schema["title"], "boiler_data");
    assert_eq!(schema["x-stream-sea-version"], 2);
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["properties"]["mode"]["anyOf"][0]["enum"],
        json!(["idle", "heating"])
    );

    server
        .cli()
        .arg("define")
        .arg("-m")
        .arg(&file)
        .run()
        .await
        .success();
    server
        .cli()
        .args([
            "json-schema",
            "--stream",
            "boiler_data",
            "--out",
            "exported.json",
        ])
        .run()
        .await
        .success();
    let written = std::fs::read_to_string(server.dir.path().join("exported.json")).unwrap();
    let written: serde_json::Value = serde_json::from_str(&written).unwrap();
    // The server writes fields in its own order; the export is the same schema.
    assert_eq!(written["properties"], schema["properties"]);

    server
        .cli()
        .args(["json-schema", "-s", "none"])
        .run()
        .await
        .code(1)
        .stderr_has("no schema");
    server
        .cli()
        .arg("json-schema")
        .run()
        .await
        .code(2)
        .stderr_has("--schema FILE|JSON");
}

#[tokio::test]
async fn codegen_writes_rust_types_from_a_file_or_the_server() {
    let server = start().await;
    let file = server.file("b.json", LONG);
    let out = server
        .cli()
        .arg("codegen")
        .arg("--schema")
        .arg(&file)
        .run()
        .await
        .success();
    for expected in [
        r#"#[stream_schema(name = "boiler_data", version = 2)]"#,
        "pub struct BoilerData {",
        "pub temperature: Option<f64>,",
        "pub mode: Option<Mode>,",
        "pub readings: Option<Vec<Reading>>,",
        "pub enum Mode {",
        "pub at: Option<Date>,",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected} missing from:\n{}",
            out.stdout
        );
    }
    // The generated source is the library's, unchanged.
    let def = streamsea_schema::SchemaDefinition::from_json_str(LONG).unwrap();
    let library = streamsea_schema::codegen::generate_rust(&def, &Default::default()).unwrap();
    assert_eq!(out.stdout.trim_end(), library.trim_end());

    server
        .define("port_calls", r#"{"_version": 4, "vessel": "string"}"#)
        .await;
    server
        .cli()
        .args([
            "codegen",
            "-s",
            "port_calls",
            "--type-name",
            "Call",
            "--derive",
            "Default",
            "-o",
            "call.rs",
        ])
        .run()
        .await
        .success();
    let written = std::fs::read_to_string(server.dir.path().join("call.rs")).unwrap();
    assert!(
        written.contains(r#"#[stream_schema(name = "port_calls", version = 4)]"#),
        "{written}"
    );
    assert!(written.contains("pub struct Call {"), "{written}");
    assert!(written.contains("Default"), "{written}");

    let json = server
        .cli()
        .args(["--output", "json", "codegen", "-s", "port_calls"])
        .run()
        .await
        .success()
        .json();
    assert_eq!(json["stream"], "port_calls");
    assert!(json["source"]
        .as_str()
        .unwrap()
        .contains("pub struct PortCalls {"));

    // A short form has no name: --stream names it.
    server
        .cli()
        .args(["codegen", "-m", r#"{"a": "float"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("no name");
    let out = server
        .cli()
        .args(["codegen", "-m", r#"{"a": "float"}"#, "-s", "named"])
        .run()
        .await
        .success();
    assert!(out.stdout.contains("pub struct Named {"), "{}", out.stdout);
    server
        .cli()
        .args(["codegen", "-s", "named", "-m"])
        .arg(r#"{"version": 1, "fields": [{"name": "e", "type": "enum", "enum": []}]}"#)
        .run()
        .await
        .code(2)
        .stderr_has("field `e`");
    // A bad option value is named by its flag.
    let out = server
        .cli()
        .args(["codegen", "-s", "named", "-m", r#"{"a": "float"}"#])
        .args(["--type-name", "9lives"])
        .run()
        .await
        .code(2)
        .stderr_has("--type-name \"9lives\": not a Rust identifier");
    assert!(!out.stderr.contains("type_name"), "{out:?}");
    let out = server
        .cli()
        .args(["codegen", "-s", "named", "-m", r#"{"a": "float"}"#])
        .args(["--derive", "Vec<u8>"])
        .run()
        .await
        .code(2)
        .stderr_has("--derive \"Vec<u8>\"");
    assert!(!out.stderr.contains("struct_derives"), "{out:?}");
    server
        .cli()
        .args(["codegen", "-s", "none"])
        .run()
        .await
        .code(1)
        .stderr_has("no schema");
}
