//! `serve` (the binary runs the server) and `validate` (payload files against
//! a schema file or a stream's schema).

mod common;

use common::*;
use serde_json::json;

const SCHEMA: &str = r#"{"name": "boiler_data", "version": 2, "fields": [
  {"name": "temperature", "type": "float"},
  {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
  {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
]}"#;

/// Starts `streamsea serve` and reads the address it prints.
async fn serve(dir: &std::path::Path, extra: &[&str]) -> (Running, String) {
    let mut running = Cli::new()
        .dir(dir)
        .env("RUST_LOG", "debug")
        .args(["serve", "--bind", "127.0.0.1:0", "--ping-interval", "5s"])
        .args(extra)
        .spawn();
    let line = running.stdout_line().await;
    let addr = line
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (running, addr)
}

#[tokio::test]
async fn serve_runs_a_server_keeps_its_state_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state_arg = state.to_str().unwrap();
    let (running, addr) = serve(
        dir.path(),
        &["--client", "boot:boot-secret", "--state", state_arg],
    )
    .await;
    let (host, port) = addr.rsplit_once(':').unwrap();
    let client = || {
        Cli::new().args([
            "--host",
            host,
            "--port",
            port,
            "--client-id",
            "boot",
            "--client-secret",
            "boot-secret",
        ])
    };
    client()
        .args([
            "define",
            "-s",
            "kept",
            "-m",
            r#"{"_version": 7, "a": "string"}"#,
        ])
        .run()
        .await
        .success();
    running.terminate();
    let out = running.finish().await.success();
    assert!(out.stderr.contains("shutting down"), "{out:?}");
    assert!(
        !out.stderr.contains("boot-secret"),
        "a secret in the logs: {}",
        out.stderr
    );

    // Started again on the same state file: the schema is still there.
    let (running, addr) = serve(
        dir.path(),
        &["--client", "boot:boot-secret", "--state", state_arg],
    )
    .await;
    let (host, port) = addr.rsplit_once(':').unwrap();
    let out = Cli::new()
        .args([
            "--host",
            host,
            "--port",
            port,
            "--client-id",
            "boot",
            "--client-secret",
            "boot-secret",
        ])
        .args(["svv", "kept"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "7");
    running.terminate();
    running.finish().await.success();
}

#[tokio::test]
async fn serve_with_json_output_and_its_failures() {
    let dir = tempfile::tempdir().unwrap();
    let mut running = Cli::new()
        .args([
            "--output",
            "json",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--client",
            "a:b",
        ])
        .spawn();
    let line: serde_json::Value = serde_json::from_str(&running.stdout_line().await).unwrap();
    let url = line["listening"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    assert_eq!(line["api"], format!("{url}/api/v1"));
    assert_eq!(
        line["ws"],
        format!("{}/api/v1/streams", url.replacen("http", "ws", 1))
    );
    running.terminate();
    running.finish().await.success();

    Cli::new()
        .args(["serve", "--bind", "127.0.0.1:0", "--client", "no-secret"])
        .run()
        .await
        .code(2)
        .stderr_has("ID:SECRET");
    Cli::new()
        .args(["serve", "--bind", "127.0.0.1:0", "--tls-cert", "cert.pem"])
        .run()
        .await
        .code(2)
        .stderr_has("--tls-key");
    Cli::new()
        .dir(dir.path())
        .args([
            "serve",
            "--client",
            "a:b",
            "--bind",
            "127.0.0.1:0",
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
        ])
        .run()
        .await
        .code(2)
        .stderr_has("--tls-cert: cannot read file `cert.pem`: no such file");
    std::fs::write(dir.path().join("cert.pem"), "not a certificate").unwrap();
    std::fs::write(dir.path().join("key.pem"), "not a key").unwrap();
    Cli::new()
        .dir(dir.path())
        .args([
            "serve",
            "--client",
            "a:b",
            "--bind",
            "127.0.0.1:0",
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
        ])
        .run()
        .await
        .code(1)
        .stderr_has("the server did not start");
    // The address is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    Cli::new()
        .args(["serve", "--client", "a:b", "--bind", &addr])
        .run()
        .await
        .code(1)
        .stderr_has("the server did not start");
    Cli::new()
        .args(["serve", "--ping-interval", "0s"])
        .run()
        .await
        .code(2)
        .stderr_has("longer than zero");
}

#[tokio::test]
async fn validate_reports_every_error_with_its_path() {
    let server = start().await;
    let schema = server.file("schema.json", SCHEMA);
    server.file("ok.json", r#"{"temperature": 1, "mode": "idle"}"#);
    server.file(
        "batch.json",
        r#"[{"temperature": 2.5}, {"readings": [{"at": "2024-01-01T00:00:00Z"}]}]"#,
    );
    server.file(
        "bad.json",
        r#"[{"temperature": "hot"}, {"mode": "Idle", "readings": [{"at": "2019-02-29T10:00:00Z"}], "extra": 1}]"#,
    );

    let out = server
        .cli()
        .args(["validate", "ok.json", "batch.json", "--schema"])
        .arg(&schema)
        .run()
        .await
        .success();
    assert_eq!(
        out.lines(),
        [
            "ok.json: valid (1 message)",
            "batch.json: valid (2 messages)"
        ]
    );

    let out = server
        .cli()
        .args(["validate", "ok.json", "bad.json", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(1)
        .stderr_has("1 of 2 files are invalid");
    assert_eq!(
        out.lines(),
        [
            "ok.json: valid (1 message)",
            "bad.json: invalid, 4 validation errors",
            "  [0].temperature: expected float (a number), found string \"hot\"",
            "  [1].extra: expected only keys the schema declares, found undeclared key \"extra\"",
            "  [1].mode: expected one of [\"idle\", \"heating\"], found string \"Idle\"",
            "  [1].readings[0].at: expected date (YYYY-MM-DDTHH:mm:ssZ, UTC, no fraction), found string \"2019-02-29T10:00:00Z\"",
        ]
    );

    let out = server
        .cli()
        .args(["--output", "json", "validate", "bad.json", "ok.json", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(1);
    let report = out.json();
    assert_eq!(report["valid"], false);
    assert_eq!(report["files"][0]["file"], "bad.json");
    assert_eq!(report["files"][0]["valid"], false);
    assert_eq!(report["files"][0]["messages"], 2);
    let paths: Vec<&str> = report["files"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "[0].temperature",
            "[1].extra",
            "[1].mode",
            "[1].readings[0].at"
        ]
    );
    assert_eq!(
        report["files"][1],
        json!({"file": "ok.json", "valid": true, "messages": 1, "errors": []})
    );
    assert_eq!(out.stderr_json()["exitCode"], 1);

    // Against the server's schema of a stream; stdin as a file.
    server
        .cli()
        .arg("define")
        .arg("-m")
        .arg(&schema)
        .run()
        .await
        .success();
    let out = server
        .cli()
        .args(["validate", "-", "--stream", "boiler_data"])
        .stdin(r#"{"mode": "heating"}"#)
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "-: valid (1 message)");
    server
        .cli()
        .args(["validate", "ok.json", "--stream", "no_schema"])
        .run()
        .await
        .code(1)
        .stderr_has("stream `no_schema` has no schema");
    // A short-form schema inline.
    let out = server
        .cli()
        .args([
            "validate",
            "ok.json",
            "--schema",
            r#"{"temperature": "integer"}"#,
        ])
        .run()
        .await
        .code(1);
    assert!(
        out.stdout
            .contains("  mode: expected only keys the schema declares"),
        "{out:?}"
    );
}

#[tokio::test]
async fn validate_refuses_unreadable_files_and_schemas() {
    let server = start().await;
    let schema = server.file("schema.json", SCHEMA);
    server.file("broken.json", r#"{"temperature": "#);
    server.file("ok.json", "{}");
    server
        .cli()
        .args(["validate", "ok.json", "broken.json", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(2)
        .stderr_has("file `broken.json` is not JSON (after 0 JSON values): EOF while parsing");
    // The good files are still checked and reported.
    let out = server
        .cli()
        .args(["validate", "ok.json", "missing.json", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(2)
        .stderr_has("1 of 2 files could not be checked: missing.json: cannot read file `missing.json`: no such file");
    assert_eq!(
        out.lines(),
        [
            "ok.json: valid (1 message)",
            "missing.json: not checked: cannot read file `missing.json`: no such file"
        ]
    );
    let out = server
        .cli()
        .args([
            "--output",
            "json",
            "validate",
            "ok.json",
            "missing.json",
            "-m",
        ])
        .arg(&schema)
        .run()
        .await
        .code(2);
    let report = out.json();
    assert_eq!(report["valid"], false);
    assert_eq!(report["files"][0]["valid"], true);
    assert_eq!(
        report["files"][1]["unreadable"],
        "cannot read file `missing.json`: no such file"
    );
    assert_eq!(out.stderr_json()["exitCode"], 2);
    server
        .cli()
        .args(["validate", "missing.json", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(2)
        .stderr_has("cannot read file `missing.json`");
    server
        .cli()
        .args([
            "validate",
            "ok.json",
            "-m",
            r#"{"version": 1, "fields": [{"name": "a", "type": "text"}]}"#,
        ])
        .run()
        .await
        .code(2)
        .stderr_has("unknown type \"text\"");
    server
        .cli()
        .args(["validate", "ok.json"])
        .run()
        .await
        .code(2)
        .stderr_has("no schema");
    server
        .cli()
        .args(["validate", "-m", "schema.json"])
        .run()
        .await
        .code(2);
}

#[tokio::test]
async fn serve_with_tls_and_a_client_that_trusts_its_certificate() {
    let cert = common::fixtures::path("tls_cert.pem");
    let key = common::fixtures::path("tls_key.pem");
    let dir = tempfile::tempdir().unwrap();
    let mut running = Cli::new()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--client",
            "a:b",
            "--tls-cert",
        ])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .spawn();
    let line = running.stdout_line().await;
    let port = line
        .strip_prefix("listening on https://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    let client = || {
        Cli::new().dir(dir.path()).args([
            "--host",
            "localhost",
            "--port",
            &port,
            "--secure",
            "--client-id",
            "a",
            "--client-secret",
            "b",
        ])
    };
    client()
        .arg("--ca-cert")
        .arg(&cert)
        .args(["define", "-s", "t", "-m", r#"{"x": "string"}"#])
        .run()
        .await
        .success();
    let mut sub = client()
        .arg("--ca-cert")
        .arg(&cert)
        .args(["subscribe", "-s", "t", "--count", "1"])
        .spawn();
    sub.wait_for_stderr("subscribed to t").await;
    client()
        .arg("--ca-cert")
        .arg(&cert)
        .args(["publish", "-s", "t", "-d", r#"{"x": "over TLS"}"#])
        .run()
        .await
        .success();
    assert_eq!(
        sub.finish().await.success().stdout.trim(),
        r#"{"x":"over TLS"}"#
    );

    // Without trusting the certificate, the handshake fails.
    client()
        .args(["svv", "t"])
        .run()
        .await
        .code(1)
        .stderr_has("https://localhost");
    client()
        .arg("--ca-cert")
        .arg(&key)
        .args(["svv", "t"])
        .run()
        .await
        .code(2)
        .stderr_has(&format!(
            "--ca-cert: no certificate found in file `{}`",
            key.display()
        ));
    client()
        .args(["--ca-cert", "missing.pem", "svv", "t"])
        .run()
        .await
        .code(2)
        .stderr_has("--ca-cert: cannot read file `missing.pem`");
    running.terminate();
    running.finish().await.success();
}

#[tokio::test]
async fn serve_without_a_client_is_a_usage_error_naming_the_flag() {
    let out = Cli::new()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .run()
        .await
        .code(2)
        .stderr_has("no client: pass --client ID:SECRET");
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[tokio::test]
async fn validate_reads_newline_delimited_json_as_publish_does() {
    let server = start().await;
    let schema = server.file("schema.json", SCHEMA);
    let good = "{\"temperature\": 1.5}\n{\"mode\": \"idle\"}\n[{\"temperature\": 2}, {}]\n";
    server.file("good.ndjson", good);
    server.file(
        "bad.ndjson",
        "{\"temperature\": 1.5}\n{\"mode\": \"idle\"}\n{\"temperature\": \"hot\"}\n",
    );
    let out = server
        .cli()
        .args(["validate", "good.ndjson", "bad.ndjson", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(1);
    assert_eq!(
        out.lines(),
        [
            "good.ndjson: valid (4 messages)",
            "bad.ndjson: invalid, 1 validation error",
            "  [2].temperature: expected float (a number), found string \"hot\"",
        ]
    );
    // The same from stdin.
    let out = server
        .cli()
        .args(["validate", "-", "-m"])
        .arg(&schema)
        .stdin(good)
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "-: valid (4 messages)");
    // Text that stops being JSON is named with the values read before it.
    server.file("torn.ndjson", "{\"temperature\": 1}\n{\"temp");
    server
        .cli()
        .args(["validate", "torn.ndjson", "-m"])
        .arg(&schema)
        .run()
        .await
        .code(2)
        .stderr_has("file `torn.ndjson` is not JSON (after 1 JSON values)");
}
