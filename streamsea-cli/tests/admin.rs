//! Clients, secrets and jails, and the connection settings (flags and
//! `STREAMSEA_*` variables) against an in-process server.

mod common;

use common::*;
use serde_json::json;

/// Reads `Client Secret: ...` from text output.
fn secret_line(out: &Output) -> String {
    out.lines()
        .iter()
        .find_map(|l| l.strip_prefix("Client Secret: "))
        .unwrap_or_else(|| panic!("no secret in {out:?}"))
        .to_string()
}

#[tokio::test]
async fn created_clients_work_until_deleted() {
    let server = start().await;
    let out = server
        .cli()
        .args([
            "create-client",
            "--id",
            "worker",
            "--description",
            "a worker",
        ])
        .run()
        .await
        .success();
    assert_eq!(out.lines()[0], "Client Identifier: worker");
    let secret = secret_line(&out);
    server
        .as_client("worker", &secret)
        .args(["svv", "x"])
        .run()
        .await
        .success();

    let out = server
        .cli()
        .args(["--output", "json", "create-client", "-c", "second"])
        .run()
        .await
        .success();
    let created = out.json();
    assert_eq!(created["clientId"], "second");
    assert!(created["secret"].as_str().unwrap().len() >= 16, "{created}");

    // Taken id: refused by the server.
    server
        .cli()
        .args(["create-client", "-c", "worker"])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (409)");
    server
        .cli()
        .args(["create-client", "-c", "bad:id"])
        .run()
        .await
        .code(2)
        .stderr_has("bad:id");

    let out = server
        .cli()
        .args(["delete-client", "--id", "worker"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "Client worker deleted");
    server
        .as_client("worker", &secret)
        .args(["svv", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (401)");
    let out = server
        .cli()
        .args(["--output", "json", "delete-client", "-c", "second"])
        .run()
        .await
        .success();
    assert_eq!(out.json(), json!({"clientId": "second", "deleted": true}));
    server
        .cli()
        .args(["delete-client", "-c", "worker"])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (404)");
}

#[tokio::test]
async fn rotating_a_secret_replaces_it() {
    let server = start().await;
    let out = server
        .cli()
        .args(["create-client", "-c", "app"])
        .run()
        .await
        .success();
    let old = secret_line(&out);
    let out = server
        .as_client("app", &old)
        .arg("rotate-client-secret")
        .run()
        .await
        .success();
    assert_eq!(out.lines()[0], "Client Identifier: app");
    let new = secret_line(&out);
    assert_ne!(new, old);
    server
        .as_client("app", &old)
        .args(["svv", "x"])
        .run()
        .await
        .code(1);
    let out = server
        .as_client("app", &new)
        .args(["--output", "json", "rotate-client-secret"])
        .run()
        .await
        .success();
    let newest = out.json()["secret"].as_str().unwrap().to_string();
    server
        .as_client("app", &newest)
        .args(["svv", "x"])
        .run()
        .await
        .success();
    server
        .as_client("app", &new)
        .arg("rotate-client-secret")
        .run()
        .await
        .code(1);
}

#[tokio::test]
async fn jails_are_created_and_deleted_by_root_clients_only() {
    let server = start().await;
    let out = server
        .cli()
        .args([
            "create-jail",
            "--id",
            "tenant",
            "--name",
            "A tenant",
            "--client",
            "boss",
        ])
        .run()
        .await
        .success();
    assert_eq!(out.lines()[0], "Jail Identifier: tenant");
    assert_eq!(out.lines()[1], "Client Identifier: boss");
    let boss = secret_line(&out);

    // The jail's client works in its own jail and may not make jails.
    server
        .as_client("boss", &boss)
        .args(["svv", "x"])
        .run()
        .await
        .success();
    server
        .as_client("boss", &boss)
        .args(["create-jail", "-j", "other", "-c", "someone"])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (403)");

    let out = server
        .cli()
        .args([
            "--output",
            "json",
            "create-jail",
            "-j",
            "second",
            "-c",
            "lead",
        ])
        .run()
        .await
        .success();
    let created = out.json();
    assert_eq!(created["newJailId"], "second");
    assert_eq!(created["newClientId"], "lead");
    assert!(created["newClientSecret"].is_string());

    let out = server
        .cli()
        .args(["delete-jail", "--id", "tenant"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "Jail tenant deleted");
    server
        .as_client("boss", &boss)
        .args(["svv", "x"])
        .run()
        .await
        .code(1);
    let out = server
        .cli()
        .args(["--output", "json", "delete-jail", "-j", "second"])
        .run()
        .await
        .success();
    assert_eq!(out.json(), json!({"jailId": "second", "deleted": true}));
    server
        .cli()
        .args(["delete-jail", "-j", "tenant"])
        .run()
        .await
        .code(1)
        .stderr_has("404");
    server
        .cli()
        .args(["create-jail", "-j", "x"])
        .run()
        .await
        .code(2)
        .stderr_has("--client");
}

#[tokio::test]
async fn connection_settings_come_from_flags_or_variables() {
    let server = start().await;
    let port = server.port();
    server
        .define("s", r#"{"_version": 5, "a": "string"}"#)
        .await;

    // Everything from the variables.
    let with_env = |cli: Cli| {
        cli.env("STREAMSEA_HOST", "127.0.0.1")
            .env("STREAMSEA_PORT", &port)
            .env("STREAMSEA_SECURE", "false")
            .env("STREAMSEA_CLIENT_ID", ADMIN.0)
            .env("STREAMSEA_CLIENT_SECRET", ADMIN.1)
    };
    let out = with_env(Cli::new())
        .args(["svv", "s"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "5");
    // A flag wins over its variable.
    with_env(Cli::new())
        .args(["svv", "s", "--client-secret", "wrong"])
        .run()
        .await
        .code(1)
        .stderr_has("401");
    // A --jwt flag wins over the secret's variable (and a JWT opens no HTTP call).
    with_env(Cli::new())
        .args(["--jwt", "a.b.c", "svv", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("HTTP operations need basic credentials");
    // Both from variables: ambiguous.
    with_env(Cli::new())
        .env("STREAMSEA_JWT", "a.b.c")
        .args(["svv", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("give one");
    with_env(Cli::new())
        .env("STREAMSEA_PORT", "not-a-port")
        .args(["svv", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("not-a-port");
    with_env(Cli::new())
        .env("STREAMSEA_SECURE", "maybe")
        .args(["svv", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("maybe");

    // Missing settings name the flag and the variable.
    Cli::new()
        .args(["svv", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("no client id: pass --client-id or set STREAMSEA_CLIENT_ID");
    Cli::new()
        .args(["--client-id", "admin", "svv", "s"])
        .run()
        .await
        .code(2)
        .stderr_has("no credentials: pass --client-secret (or set STREAMSEA_CLIENT_SECRET)");
    let out = Cli::new()
        .args(["--output", "json", "--client-id", "admin", "svv", "s"])
        .run()
        .await
        .code(2);
    assert_eq!(out.stderr_json()["exitCode"], 2);

    // Nothing listens: a failure of the operation, naming the address.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port().to_string()
    };
    Cli::new()
        .args(["--host", "127.0.0.1", "--port", &closed])
        .args(["--client-id", "admin", "--client-secret", "x", "svv", "s"])
        .run()
        .await
        .code(1)
        .stderr_has(&format!("cannot connect to http://127.0.0.1:{closed}"));
    // TLS against a plain server fails the handshake.
    server
        .cli()
        .args(["--secure", "svv", "s"])
        .run()
        .await
        .code(1)
        .stderr_has("https://127.0.0.1");
}

#[tokio::test]
async fn usage_errors_exit_2_and_help_exits_0() {
    Cli::new().run().await.code(2);
    Cli::new()
        .arg("no-such-command")
        .run()
        .await
        .code(2)
        .stderr_has("no-such-command");
    Cli::new()
        .args(["--output", "yaml", "svv", "a"])
        .run()
        .await
        .code(2)
        .stderr_has("yaml");
    let out = Cli::new().arg("--help").run().await.success();
    for command in [
        "define",
        "describe",
        "publish",
        "subscribe",
        "svv",
        "create-client",
        "delete-client",
        "rotate-client-secret",
        "rotate-jwt",
        "create-jail",
        "delete-jail",
        "sign-jwt",
        "generate-keypair",
        "serve",
        "validate",
        "codegen",
        "json-schema",
    ] {
        assert!(
            out.stdout.contains(&format!("  {command} ")),
            "{command} missing from help"
        );
    }
    // The secret's value never shows in help.
    let out = Cli::new()
        .env("STREAMSEA_CLIENT_SECRET", "hunter2-secret")
        .env("STREAMSEA_JWT", "token-value")
        .arg("--help")
        .run()
        .await
        .success();
    assert!(!out.stdout.contains("hunter2-secret") && !out.stdout.contains("token-value"));
    assert!(out.stdout.contains("STREAMSEA_CLIENT_SECRET"));
    let out = Cli::new().arg("--version").run().await.success();
    assert!(out.stdout.starts_with("streamsea "), "{out:?}");
}
