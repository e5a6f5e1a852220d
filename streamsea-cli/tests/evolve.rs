//! `diff` (every change between two definitions with its class; exit 1 when
//! something breaks) and `sample` (valid and near-miss payloads, NDJSON,
//! reproducible from a seed), with `validate` and `publish` reading them.

mod common;

use common::*;
use serde_json::{json, Value};
use streamsea_schema::{SchemaDefinition, Validator};

const V2: &str = r#"{"name": "boiler_data", "version": 2, "fields": [
  {"name": "temperature", "type": "float"},
  {"name": "measuredAt", "type": "date"},
  {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
  {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}, {"name": "value", "type": "float"}]}
]}"#;

/// v2 plus a field: compatible.
const V3_COMPATIBLE: &str = r#"{"name": "boiler_data", "version": 3, "fields": [
  {"name": "temperature", "type": "float"},
  {"name": "measuredAt", "type": "date"},
  {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
  {"name": "readings", "type": "array<object>", "fields": [
    {"name": "at", "type": "date"}, {"name": "value", "type": "float"}, {"name": "sensor", "type": "string"}]},
  {"name": "outdoorTemp", "type": "float"}
]}"#;

/// v2 with an enum value more and a nested field retyped: breaking.
const V3_BREAKING: &str = r#"{"name": "boiler_data", "version": 3, "fields": [
  {"name": "temperature", "type": "float"},
  {"name": "measuredAt", "type": "date"},
  {"name": "mode", "type": "enum", "enum": ["idle", "heating", "standby"]},
  {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}, {"name": "value", "type": "integer"}]}
]}"#;

#[tokio::test]
async fn diff_of_files_prints_each_change_with_its_class() {
    let server = start().await;
    server.file("v2.json", V2);
    server.file("v3.json", V3_COMPATIBLE);
    server.file("v3b.json", V3_BREAKING);

    let out = Cli::new()
        .dir(server.dir.path())
        .args(["diff", "v2.json", "v3.json"])
        .run()
        .await
        .success();
    assert_eq!(
        out.lines(),
        [
            "version 2 -> 3: compatible",
            "+ outdoorTemp: float (compatible)",
            "+ readings.sensor: string (compatible)",
        ]
    );

    let out = Cli::new()
        .dir(server.dir.path())
        .args(["diff", "v2.json", "v3b.json"])
        .run()
        .await
        .code(1)
        .stderr_has("the change breaks publishers and consumers");
    assert_eq!(
        out.lines(),
        [
            "version 2 -> 3: breaks publishers and consumers",
            "+ mode: enum value \"standby\" (breaks consumers)",
            "~ readings.value: float -> integer (breaks publishers)",
        ]
    );

    let out = Cli::new()
        .dir(server.dir.path())
        .args(["--output", "json", "diff", "v2.json", "v3b.json"])
        .run()
        .await
        .code(1);
    let v = out.json();
    assert_eq!(v["class"], "breaks-both");
    assert_eq!(v["breaking"], true);
    assert_eq!(v["from"], 2);
    assert_eq!(v["to"], 3);
    assert_eq!(
        v["changes"][0],
        json!({"path": "mode", "change": "enum-value-added", "value": "standby",
               "class": "breaks-consumers", "publishersPass": true, "consumersRead": false,
               "text": "+ mode: enum value \"standby\" (breaks consumers)"})
    );
    assert_eq!(v["changes"][1]["fromType"], "float");
    assert_eq!(out.stderr_json()["exitCode"], 1);

    // Other fields under the same version: the server would refuse them.
    let out = Cli::new()
        .dir(server.dir.path())
        .args(["diff", "v2.json"])
        .arg(V3_COMPATIBLE.replace("\"version\": 3", "\"version\": 2"))
        .run()
        .await
        .code(1)
        .stderr_has("raise it to 3");
    assert!(
        out.stdout.starts_with("version 2 -> 2: compatible"),
        "{out:?}"
    );

    // Short forms read too; equal definitions are no change.
    Cli::new()
        .args([
            "diff",
            r#"{"_version": 1, "a": "float"}"#,
            r#"{"_version": 1, "a": "float"}"#,
        ])
        .run()
        .await
        .success();
}

#[tokio::test]
async fn diff_against_the_server_and_its_usage_errors() {
    let server = start().await;
    server.file("v2.json", V2);
    server.file("v3.json", V3_COMPATIBLE);
    server.file("v3b.json", V3_BREAKING);
    server
        .cli()
        .args(["define", "--schema", "v2.json"])
        .run()
        .await
        .success();
    let out = server
        .cli()
        .args(["diff", "--stream", "boiler_data", "v3.json"])
        .run()
        .await
        .success();
    assert_eq!(out.lines()[0], "version 2 -> 3: compatible");
    server
        .cli()
        .args(["diff", "-s", "boiler_data", "v3b.json"])
        .run()
        .await
        .code(1);
    // Defining the upgrade reports the same class.
    let out = server
        .cli()
        .args(["define", "--schema", "v3b.json"])
        .run()
        .await
        .success();
    assert_eq!(
        out.stdout.trim(),
        "stream `boiler_data`: upgraded from version 2 to 3 (breaks publishers and consumers)"
    );

    server
        .cli()
        .args(["diff", "-s", "no_schema", "v3.json"])
        .run()
        .await
        .code(1)
        .stderr_has("has no schema");
    server
        .cli()
        .args(["diff", "v2.json"])
        .run()
        .await
        .code(2)
        .stderr_has("give two definitions");
    server
        .cli()
        .args(["diff", "-s", "boiler_data", "v2.json", "v3.json"])
        .run()
        .await
        .code(2)
        .stderr_has("with --stream, give one definition");
    server
        .cli()
        .args(["diff", "v2.json", "missing.json"])
        .run()
        .await
        .code(2)
        .stderr_has("missing.json");
}

fn lines_json(out: &Output) -> Vec<Value> {
    out.lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn sample_prints_valid_payloads_that_validate_and_publish_accept() {
    let server = start().await;
    server.file("v2.json", V2);
    let def = SchemaDefinition::from_json_str(V2).unwrap();
    let validator = Validator::new(&def);

    let run = || {
        Cli::new()
            .dir(server.dir.path())
            .args([
                "sample", "--schema", "v2.json", "--count", "20", "--seed", "7",
            ])
            .run()
    };
    let out = run().await.success();
    let samples = lines_json(&out);
    assert_eq!(samples.len(), 20);
    for s in &samples {
        assert!(validator.is_valid(s), "{s}");
    }
    // The same seed, the same samples; another seed, others.
    assert_eq!(run().await.success().stdout, out.stdout);
    let other = Cli::new()
        .dir(server.dir.path())
        .args(["sample", "-m", "v2.json", "-n", "20", "--seed", "8"])
        .run()
        .await
        .success();
    assert_ne!(other.stdout, out.stdout);

    // Piped into validate and publish.
    let checked = Cli::new()
        .dir(server.dir.path())
        .args(["validate", "-", "--schema", "v2.json"])
        .stdin(out.stdout.clone())
        .run()
        .await
        .success();
    assert_eq!(checked.stdout.trim(), "-: valid (20 messages)");
    server
        .cli()
        .args(["define", "--schema", "v2.json"])
        .run()
        .await
        .success();
    let published = server
        .cli()
        .args(["publish", "--stream", "boiler_data"])
        .stdin(out.stdout.clone())
        .run()
        .await
        .success();
    assert!(
        published.stdout.contains("published 20 messages"),
        "{published:?}"
    );

    // From the server's schema, typed, without a seed (printed on stderr).
    let out = server
        .cli()
        .args(["sample", "--stream", "boiler_data", "--typed"])
        .run()
        .await
        .success();
    assert!(out.stderr.starts_with("seed "), "{out:?}");
    let s = &lines_json(&out)[0];
    assert!(validator.is_valid(s), "{s}");
    for f in ["temperature", "measuredAt", "mode", "readings"] {
        assert!(s.get(f).is_some_and(|v| !v.is_null()), "{s}");
    }
}

#[tokio::test]
async fn sample_invalid_announces_the_one_error_of_each_payload() {
    let server = start().await;
    server.file("v2.json", V2);
    let def = SchemaDefinition::from_json_str(V2).unwrap();
    let validator = Validator::new(&def);
    let out = Cli::new()
        .dir(server.dir.path())
        .args([
            "--output",
            "json",
            "sample",
            "-m",
            "v2.json",
            "-n",
            "50",
            "--invalid",
            "--seed",
            "3",
        ])
        .run()
        .await
        .success();
    let samples = lines_json(&out);
    assert_eq!(samples.len(), 50);
    for s in &samples {
        let errors = validator.validate(&s["payload"]).unwrap_err();
        assert_eq!(errors.paths(), [s["path"].as_str().unwrap()], "{s}");
        assert!(!s["mistake"].as_str().unwrap().is_empty());
    }
    // Text form: the payloads alone, which validate refuses.
    let out = Cli::new()
        .dir(server.dir.path())
        .args(["sample", "-m", "v2.json", "--invalid", "--seed", "3"])
        .run()
        .await
        .success();
    assert_eq!(lines_json(&out)[0], samples[0]["payload"]);
    Cli::new()
        .dir(server.dir.path())
        .args(["validate", "-", "-m", "v2.json"])
        .stdin(out.stdout)
        .run()
        .await
        .code(1);

    Cli::new()
        .args(["sample", "-m", r#"{"a": "float"}"#, "--count", "0"])
        .run()
        .await
        .code(2);
    Cli::new()
        .args(["sample", "--count", "2"])
        .run()
        .await
        .code(2)
        .stderr_has("no schema");
}
