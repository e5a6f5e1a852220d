//! Connection trouble as a user meets it: nothing listening, a server that
//! restarts, a misspelt stream, refused credentials, TLS mismatches, the
//! local default port, and settings from variables. Every message names
//! the address, the client and where each setting came from.

mod common;

use std::net::SocketAddr;

use common::*;

/// A loopback port nothing listens on (bound, then released).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

async fn server_on(addr: SocketAddr) -> streamsea_server::ServerHandle {
    streamsea_server::Server::builder()
        .bind(addr)
        .client(ADMIN.0, ADMIN.1)
        .start()
        .await
        .unwrap()
}

fn cli_on(port: u16) -> Cli {
    cli_at("127.0.0.1", port)
}

fn cli_at(host: &str, port: u16) -> Cli {
    Cli::new()
        .args(["--host", host, "--port", &port.to_string()])
        .args(["--client-id", ADMIN.0, "--client-secret", ADMIN.1])
}

#[tokio::test]
async fn subscribe_exits_1_when_nothing_listens_at_start_unless_told_to_keep_trying() {
    let port = free_port();
    let out = cli_on(port)
        .args(["subscribe", "-s", "boiler"])
        .run()
        .await
        .code(1)
        .stderr_has("pass --keep-trying to keep trying")
        .stderr_has(&format!(
            "nothing listens at 127.0.0.1:{port} (host from --host, port from --port)"
        ));
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");

    // --keep-trying: says so once, and subscribes when the server comes up.
    let mut sub = cli_on(port)
        .args(["subscribe", "-s", "boiler", "--keep-trying", "--count", "1"])
        .spawn();
    sub.wait_for_stderr("trying again (--keep-trying)").await;
    let server = server_on(SocketAddr::from(([127, 0, 0, 1], port))).await;
    sub.wait_for_stderr("subscribed to boiler").await;
    cli_on(port)
        .args(["define", "-s", "boiler", "-m", r#"{"t": "float"}"#])
        .run()
        .await
        .success();
    cli_on(port)
        .args(["publish", "-s", "boiler", "-d", r#"{"t": 1}"#])
        .run()
        .await
        .success();
    let out = sub.finish().await.success();
    assert_eq!(out.stdout.trim(), r#"{"t":1}"#);
    assert_eq!(
        out.stderr.matches("trying again").count(),
        1,
        "{}",
        out.stderr
    );
    server.shutdown().await;

    // With --timeout, keeping on trying ends there.
    let port = free_port();
    cli_on(port)
        .args([
            "subscribe",
            "-s",
            "boiler",
            "--keep-trying",
            "--timeout",
            "1s",
        ])
        .run()
        .await
        .code(1)
        .stderr_has("within the --timeout of 1s");
}

#[tokio::test]
async fn subscribe_announces_a_lost_connection_its_recovery_and_possible_loss() {
    let server = start().await;
    let addr = server.handle.local_addr();
    server.define("boiler", r#"{"t": "float"}"#).await;
    let mut sub = server
        .cli()
        .args(["subscribe", "-s", "boiler", "--count", "1"])
        .spawn();
    sub.wait_for_stderr("subscribed to boiler").await;

    // The server restarts (its schemas were in memory).
    let TestServer { handle, dir } = server;
    handle.shutdown().await;
    sub.wait_for_stderr("warning: connection lost: ").await;
    let handle = server_on(addr).await;
    let server = TestServer { handle, dir };
    sub.wait_for_stderr("reconnected; resubscribed to boiler")
        .await;
    sub.wait_for_stderr("warning: messages may have been lost meanwhile")
        .await;
    server.define("boiler", r#"{"t": "float"}"#).await;
    server
        .cli()
        .args(["publish", "-s", "boiler", "-d", r#"{"t": 2}"#])
        .run()
        .await
        .success();
    let out = sub.finish().await.success();
    assert_eq!(out.stdout.trim(), r#"{"t":2}"#);
    // The library's own log lines stay out of the user's way.
    assert!(!out.stderr.contains("streamsea_client"), "{}", out.stderr);
}

#[tokio::test]
async fn subscribe_warns_when_the_stream_has_no_schema() {
    let server = start().await;
    server.define("boiler", r#"{"t": "float"}"#).await;
    let mut sub = server.cli().args(["subscribe", "-s", "boilr"]).spawn();
    sub.wait_for_stderr("subscribed to boilr").await;
    let line = sub.wait_for_stderr("has no schema").await;
    assert_eq!(
        line.trim(),
        "warning: stream `boilr` has no schema: nothing can be published to it until one is defined (is the name right?)"
    );
    sub.terminate();
    sub.finish().await.success();

    // A stream with a schema: no such warning before the end.
    let out = server
        .cli()
        .args(["subscribe", "-s", "boiler", "--timeout", "1s"])
        .run()
        .await
        .success();
    assert_eq!(out.stderr.trim(), "subscribed to boiler");
}

#[tokio::test]
async fn a_must_fanout_bearer_is_told_its_group_is_its_own() {
    let server = start().await;
    server.define("boiler", r#"{"t": "float"}"#).await;
    server.use_new_jwt_key().await;
    let token = server.sign_jwt(&[]).await;
    let port = server.port();
    let mut sub = Cli::new()
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--client-id",
            ADMIN.0,
        ])
        .args(["--jwt", token.trim(), "subscribe", "-s", "boiler"])
        .args(["--group", "7f0c6a52-3d5e-4b4e-9a3c-1f2e3d4c5b6a"])
        .spawn();
    sub.wait_for_stderr("the server ignores --group").await;
    let line = sub.wait_for_stderr("subscribed to").await;
    assert_eq!(
        line.trim(),
        "subscribed to boiler (a group of its own: the token's mustFanout claim)"
    );
    sub.terminate();
    sub.finish().await.success();
}

#[tokio::test]
async fn authentication_failures_name_the_client_and_where_the_secret_came_from() {
    let server = start().await;
    let port = server.port();
    let base = || {
        Cli::new()
            .args(["--host", "127.0.0.1", "--port", &port])
            .env("STREAMSEA_CLIENT_ID", ADMIN.0)
    };
    base()
        .env("STREAMSEA_CLIENT_SECRET", "wrong")
        .args(["svv", "a"])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (401)")
        .stderr_has(
            "authenticated as client `admin` (from STREAMSEA_CLIENT_ID) with the secret from STREAMSEA_CLIENT_SECRET",
        );
    base()
        .env("STREAM_SEA_CLIENT_SECRET", "wrong")
        .args(["svv", "a"])
        .run()
        .await
        .code(1)
        .stderr_has("with the secret from STREAM_SEA_CLIENT_SECRET");

    // Subscribe: the error once, and with --output json only as JSON.
    let out = base()
        .args(["--client-secret", "wrong", "subscribe", "-s", "a"])
        .run()
        .await
        .code(1)
        .stderr_has("authentication failed")
        .stderr_has("with the secret from --client-secret");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    let out = base()
        .args(["--output", "json", "--client-secret", "wrong"])
        .args(["subscribe", "-s", "a"])
        .run()
        .await
        .code(1);
    let failure = out.stderr_json();
    assert_eq!(failure["exitCode"], 1);
    assert!(
        failure["error"]
            .as_str()
            .unwrap()
            .contains("authenticated as client `admin`"),
        "{failure}"
    );

    // An expired token says so.
    server.use_new_jwt_key().await;
    let token = server.sign_jwt(&["--exp", "1000"]).await;
    base()
        .args(["--jwt", token.trim(), "subscribe", "-s", "a"])
        .run()
        .await
        .code(1)
        .stderr_has("with the JWT from --jwt")
        .stderr_has("the JWT expired")
        .stderr_has("(exp 1000)");
}

#[tokio::test]
async fn without_a_port_a_local_server_is_reached_on_3104() {
    // 127.0.0.2 is loopback: a local server, on `streamsea serve`'s port.
    Cli::new()
        .args(["--host", "127.0.0.2", "--client-id", "a", "--client-secret", "s"])
        .args(["svv", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("http://127.0.0.2:3104/")
        .stderr_has(
            "127.0.0.2:3104 (host from --host, port the default for a local server, where `streamsea serve` listens)",
        );
    // The help says so.
    let out = Cli::new().args(["svv", "--help"]).run().await.success();
    assert!(out.stdout.contains("3104 for localhost"), "{}", out.stdout);
}

#[tokio::test]
async fn ca_cert_trusts_a_standard_self_signed_certificate() {
    // `openssl req -x509 ... -subj /CN=localhost`: basicConstraints CA:TRUE.
    let cert = common::fixtures::path("self_signed_ca_cert.pem");
    let key = std::fs::read(common::fixtures::path("self_signed_ca_key.pem")).unwrap();
    let handle = streamsea_server::Server::builder()
        .bind("127.0.0.1:0".parse().unwrap())
        .client(ADMIN.0, ADMIN.1)
        .tls_pem(std::fs::read(&cert).unwrap(), key)
        .start()
        .await
        .unwrap();
    let port = handle.local_addr().port();
    for host in ["localhost", "127.0.0.1"] {
        let out = cli_at(host, port)
            .args(["--secure", "--ca-cert"])
            .arg(&cert)
            .args(["svv", "x"])
            .run()
            .await
            .success();
        assert_eq!(out.stdout.trim(), "null");
    }
    let mut sub = cli_on(port)
        .args(["--secure", "--ca-cert"])
        .arg(&cert)
        .args(["subscribe", "-s", "x"])
        .spawn();
    sub.wait_for_stderr("subscribed to x").await;
    sub.terminate();
    sub.finish().await.success();

    // Without it the certificate is not trusted, and the message says what
    // to do, for a request and a subscription alike (the kind of failure is
    // the TLS library's error, found in the source chain).
    cli_on(port)
        .args(["--secure", "svv", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("presented a certificate this client does not trust: pass --ca-cert FILE");
    cli_on(port)
        .args(["--secure", "subscribe", "-s", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("presented a certificate this client does not trust: pass --ca-cert FILE");
    // Plain HTTP against TLS: a read has no outcome to be unsure of.
    let out = cli_on(port)
        .args(["svv", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("no usable answer to schema versions vector")
        .stderr_has(&format!("if the server at 127.0.0.1:{port}"))
        .stderr_has("speaks TLS, pass --secure");
    assert!(!out.stderr.contains("outcome unknown"), "{out:?}");
    handle.shutdown().await;

    // TLS against plain HTTP.
    let server = start().await;
    server
        .cli()
        .env("STREAMSEA_SECURE", "true")
        .args(["svv", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("does not speak TLS: drop --secure (secure from STREAMSEA_SECURE)");
    let out = server
        .cli()
        .args(["--secure", "subscribe", "-s", "x"])
        .run()
        .await
        .code(1)
        .stderr_has("does not speak TLS: drop --secure (secure from --secure)");
    assert!(!out.stderr.contains("certificate"), "{out:?}");
}

#[tokio::test]
async fn settings_from_variables_are_named_in_errors_and_usage() {
    let out = Cli::new()
        .env("STREAMSEA_CLIENT_ID", "a")
        .env("STREAMSEA_CLIENT_SECRET", "s")
        .env("STREAMSEA_PORT", "abc")
        .args(["svv", "x"])
        .run()
        .await
        .code(2)
        .stderr_has("STREAMSEA_PORT: \"abc\" is not a port number (1 to 65535)");
    assert!(!out.stderr.contains("--port"), "{out:?}");
    Cli::new()
        .env("STREAMSEA_CLIENT_ID", "a")
        .env("STREAMSEA_CLIENT_SECRET", "s")
        .env("STREAM_SEA_PORT", "99999")
        .args(["svv", "x"])
        .run()
        .await
        .code(2)
        .stderr_has("STREAM_SEA_PORT: \"99999\" is not a port number");
    // A usage line does not list settings the variables provide as required.
    let out = Cli::new()
        .env("STREAMSEA_CLIENT_ID", "a")
        .env("STREAMSEA_CLIENT_SECRET", "s")
        .env("STREAMSEA_PORT", "3104")
        .arg("describe")
        .run()
        .await
        .code(2);
    let usage = out
        .stderr
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .unwrap();
    assert_eq!(usage, "Usage: streamsea describe --stream <NAME>");

    // The official tool's variables reach a server.
    let server = start().await;
    server
        .define("s", r#"{"_version": 3, "a": "string"}"#)
        .await;
    let out = Cli::new()
        .env("STREAM_SEA_HOST", "127.0.0.1")
        .env("STREAM_SEA_PORT", &server.port())
        .env("STREAM_SEA_CLIENT_ID", ADMIN.0)
        .env("STREAM_SEA_CLIENT_SECRET", ADMIN.1)
        .args(["svv", "s"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "3");
}

/// An HTTP server that is not stream-sea: every request gets `status` with
/// an HTML page. Serves until dropped (the task ends with the runtime).
async fn foreign_server(status: &'static str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                // Read the head and a body of Content-Length bytes, then answer.
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                let head_end = loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                    if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    if seen.len() > 64 * 1024 {
                        return;
                    }
                };
                let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0)
                    .min(1 << 20);
                while seen.len() < head_end + length {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let page = "<!DOCTYPE html><html><head><title>Not here</title></head><body><h1>Welcome to nginx!</h1></body></html>";
                let answer = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn a_server_that_is_not_stream_sea_is_reported_as_such() {
    for status in ["404 Not Found", "405 Method Not Allowed", "200 OK"] {
        let port = foreign_server(status).await;
        for args in [
            &["describe", "-s", "boiler"][..],
            &[
                "publish",
                "-s",
                "boiler",
                "--no-validate",
                "-d",
                r#"{"t": 1}"#,
            ],
            &["publish", "-s", "boiler", "-d", r#"{"t": 1}"#],
        ] {
            let out = cli_on(port)
                .args(args.to_vec())
                .run()
                .await
                .code(1)
                .stderr_has("does not speak stream-sea")
                .stderr_has(&format!(
                    "is that the stream-sea server? (tried 127.0.0.1:{port} (host from --host, port from --port))"
                ));
            assert!(
                !out.stderr.contains("no schema"),
                "{status} {args:?}: {out:?}"
            );
            assert!(!out.stderr.contains("<h1>"), "{status} {args:?}: {out:?}");
            assert!(
                !out.stderr.contains("DOCTYPE"),
                "{status} {args:?}: {out:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_host_with_a_port_or_scheme_is_refused_with_the_fix() {
    Cli::new()
        .args([
            "--host",
            "localhost:3104",
            "--client-id",
            "a",
            "--client-secret",
            "s",
        ])
        .args(["svv", "x"])
        .run()
        .await
        .code(2)
        .stderr_has("--host `localhost:3104`: the port goes apart: --host localhost --port 3104");
    Cli::new()
        .env("STREAMSEA_HOST", "https://sea.example")
        .args(["--client-id", "a", "--client-secret", "s", "svv", "x"])
        .run()
        .await
        .code(2)
        .stderr_has("STREAMSEA_HOST `https://sea.example`: give the host alone (`sea.example`");
}

#[tokio::test]
async fn a_subscriber_that_fell_behind_is_told_how_many_messages_were_dropped() {
    use tokio::io::AsyncBufReadExt;
    // The server lets any number of deliveries wait for this connection:
    // under load it could otherwise close the subscriber as a slow consumer
    // before the client's own buffer is full, and the loss would then be
    // reported as a reconnection.
    let server = start_with(streamsea_server::Limits {
        outbound_queue: 1_000_000,
        outbound_queue_bytes: 1 << 30,
        ..streamsea_server::Limits::default()
    })
    .await;
    server.define("boiler", r#"{"t": "float"}"#).await;
    let mut sub = server.cli().args(["subscribe", "-s", "boiler"]).spawn();
    sub.wait_for_stderr("subscribed to boiler").await;
    // stdout is not read meanwhile: the pipe fills, then the subscription's
    // buffer, and the newest deliveries are dropped.
    let lines: String = (0..20_000).map(|i| format!("{{\"t\": {i}}}\n")).collect();
    server
        .cli()
        .args(["publish", "-s", "boiler", "--batch-size", "1000"])
        .stdin(lines)
        .run()
        .await
        .success();
    // Reading again, the subscriber catches up and reports the gap. Lines
    // are read with `next_line`, which loses nothing when the other branch
    // of the select wins (`read_line` would drop a half-read line).
    let report = tokio::time::timeout(WAIT, async {
        let mut out = (&mut sub.stdout).lines();
        let mut err = (&mut sub.stderr).lines();
        loop {
            tokio::select! {
                line = out.next_line() => {
                    line.unwrap()?;
                }
                line = err.next_line() => {
                    let line = line.unwrap()?;
                    if line.contains("dropped here") { return Some(line); }
                }
            }
        }
    })
    .await
    .expect("no report of dropped messages in time")
    .expect("the output ended first");
    assert!(
        report.starts_with("warning: ")
            && report.contains(" messages dropped here: this subscriber fell behind"),
        "{report}"
    );
    sub.terminate();
    sub.finish().await.success();
}
