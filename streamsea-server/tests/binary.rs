#![cfg(feature = "cli")]
//! The `streamsea-server` binary: it prints `listening on http://ADDR`, keeps
//! its state file, stops gracefully on SIGTERM, and never logs a secret.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use common::*;
use reqwest::Method;
use serde_json::json;

struct Running {
    child: Child,
    addr: String,
}

fn spawn(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_streamsea-server"))
        .args(args)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    Running { child, addr }
}

fn terminate(mut r: Running) -> (bool, String) {
    let status = Command::new("kill")
        .args(["-TERM", &r.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = r.child.wait().unwrap();
    let mut logs = String::new();
    r.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    (exit.success(), logs)
}

#[tokio::test]
async fn binary_serves_persists_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("streamsea-bin-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let state_arg = state.to_str().unwrap();
    let secret = "very-secret-admin-password";

    let r = spawn(&[
        "--bind",
        "127.0.0.1:0",
        "--client",
        &format!("boot:{secret}"),
        "--state",
        state_arg,
    ]);
    let http = reqwest::Client::builder().timeout(WAIT).build().unwrap();
    let api = format!("http://{}/api/v1", r.addr);
    let call = |method: Method, path: &str, who: (&str, &str), body: Option<serde_json::Value>| {
        let mut req = http
            .request(method, format!("{api}{path}"))
            .header("Authorization", basic(who.0, who.1));
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send()
    };
    let resp = call(
        Method::POST,
        "/streams/kept/define",
        ("boot", secret),
        Some(simple_schema(7)),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = call(
        Method::POST,
        "/client",
        ("boot", secret),
        Some(json!({"clientId": "made"})),
    )
    .await
    .unwrap();
    let made: serde_json::Value = resp.json().await.unwrap();
    let made_secret = made["secret"].as_str().unwrap().to_string();
    // failed and successful authentications, HTTP and WebSocket
    let resp = call(
        Method::GET,
        "/streams/kept/schema",
        ("boot", "wrong-guess-123"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 401);
    let mut ws = Ws::connect(&format!("ws://{}/api/v1/streams", r.addr)).await;
    assert_eq!(ws.authenticate("made", &made_secret).await["success"], true);
    drop(ws);
    let mut ws = Ws::connect(&format!("ws://{}/api/v1/streams", r.addr)).await;
    assert_eq!(
        ws.authenticate("made", "wrong-ws-guess-456").await["success"],
        false
    );
    drop(ws);

    let (ok, logs) = terminate(r);
    assert!(ok, "exit status after SIGTERM; logs:\n{logs}");
    assert!(logs.contains("shutting down"), "{logs}");
    for s in [
        secret,
        made_secret.as_str(),
        "wrong-guess-123",
        "wrong-ws-guess-456",
    ] {
        assert!(!logs.contains(s), "a secret appears in the logs:\n{logs}");
    }
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(!text.contains(secret) && !text.contains(&made_secret));

    // restarted from the state file alone
    let r = spawn(&["--bind", "127.0.0.1:0", "--state", state_arg]);
    let api = format!("http://{}/api/v1", r.addr);
    let resp = http
        .get(format!("{api}/streams/kept/schema"))
        .header("Authorization", basic("made", &made_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let def: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(def["version"], 7);
    let (ok, _) = terminate(r);
    assert!(ok);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn binary_refuses_to_start_without_credentials() {
    let out = Command::new(env!("CARGO_BIN_EXE_streamsea-server"))
        .args(["--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no client in the root jail"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_streamsea-server"))
        .args(["--client", "no-secret"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// With `--max-connections 1` and `--idle-timeout`, a second connection gets
/// a 503, and both the refusal and the idle close are logged.
#[tokio::test]
async fn binary_logs_refused_and_idle_connections() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let r = spawn(&[
        "--bind",
        "127.0.0.1:0",
        "--client",
        "boot:boot-secret",
        "--max-connections",
        "1",
        "--idle-timeout",
        "300ms",
    ]);
    let addr = r.addr.clone();
    // The first connection is answered once (so it holds the only place),
    // then stays idle.
    let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /api/v1/x HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    idle.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 404");
    let mut second = tokio::net::TcpStream::connect(&addr).await.unwrap();
    second
        .write_all(b"GET /api/v1/x HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(WAIT, second.read_to_end(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&answer).to_string();
    assert!(text.starts_with("HTTP/1.1 503"), "{text:?}");
    // The idle one is closed by the server.
    let mut rest = Vec::new();
    tokio::time::timeout(WAIT, idle.read_to_end(&mut rest))
        .await
        .unwrap()
        .unwrap();
    let (ok, logs) = terminate(r);
    assert!(ok, "{logs}");
    assert!(logs.contains("refusing connections"), "{logs}");
    assert!(logs.contains("idle for too long"), "{logs}");
}
