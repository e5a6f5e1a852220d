//! Hostile clients: one test per class of attack the server must withstand.
//! A slow publish beside a small request, a failed state write, idle and
//! half-sent connections, too many connections, stalled subscribers within a
//! memory budget, bad keys and versions, oversized definitions and batches,
//! long echoed input, and (with the binary) an identical-define race under
//! `kill -9`.

mod common;

use std::time::Duration;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use streamsea_server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("streamsea-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// On a runtime with a single thread, a large publish is checked on a
/// blocking thread: a small request started after it is answered before it.
/// (Were the check done on the runtime's thread, nothing else could be
/// answered until it ended.)
#[tokio::test(flavor = "current_thread")]
async fn a_slow_publish_does_not_stall_a_small_request() {
    let s = start_with(Limits {
        max_enum_values: 300_000,
        max_batch_messages: 60_000,
        ..Limits::default()
    })
    .await;
    let values: Vec<String> = (0..300_000).map(|i| format!("v{i}")).collect();
    let def = json!({"version": 1, "fields": [{"name": "e", "type": "enum", "enum": values}]});
    let a = s
        .call_gzip(ADMIN, Method::POST, "/streams/heavy/define", def)
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(s.define(ADMIN, "small", simple_schema(1)).await.status, 200);

    let batch: Vec<Value> = (0..60_000).map(|_| json!({"e": "v299999"})).collect();
    let body = gzip(json!({ "payload": batch }).to_string().as_bytes());
    let heavy = {
        let http = s.http.clone();
        let url = s.url("/streams/heavy/publish");
        tokio::spawn(async move {
            http.post(url)
                .header("Authorization", basic(ADMIN.0, ADMIN.1))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .body(body)
                .send()
                .await
                .map(|r| r.status())
        })
    };
    // Let the heavy request reach the server first.
    tokio::task::yield_now().await;
    let mut answered_during = 0;
    for n in 0..20 {
        let a = s.publish(ADMIN, "small", json!({"n": n})).await;
        assert_eq!(a.status, 200);
        if !heavy.is_finished() {
            answered_during += 1;
        }
    }
    let heavy_status = heavy.await.unwrap().unwrap();
    assert_eq!(heavy_status, 200);
    assert!(
        answered_during > 0,
        "no small request was answered while the heavy one ran"
    );
}

/// With the state directory gone, a change answers 500 and is not applied:
/// the old secret still works, a jail is not half-created, and temporary
/// files an interrupted write left are removed at start.
#[tokio::test]
async fn a_failed_state_write_changes_nothing() {
    let dir = temp_dir("failed-write");
    let state = dir.join("state.json");
    std::fs::write(dir.join("state.json.tmp-4242"), "half a write").unwrap();
    let s = Server::new(builder().state_file(&state).start().await.unwrap());
    assert!(
        !dir.join("state.json.tmp-4242").exists(),
        "the stale temporary file was kept"
    );
    assert_eq!(s.define(ADMIN, "kept", simple_schema(1)).await.status, 200);
    std::fs::remove_dir_all(&dir).unwrap();

    let a = s
        .call(ADMIN, Method::PUT, &format!("/client/{}", ADMIN.0), None)
        .await;
    assert_eq!(a.status, 500, "{a:?}");
    assert!(a.message().contains("not applied"), "{a:?}");
    // Not locked out: the old secret is still the secret.
    let a = s
        .call(ADMIN, Method::GET, "/streams/kept/schema", None)
        .await;
    assert_eq!(a.status, 200, "{a:?}");

    let jail = json!({"newJailId": "j1", "newJailName": "J", "newClientId": "j1-admin"});
    let a = s
        .call(ADMIN, Method::POST, "/jails", Some(jail.clone()))
        .await;
    assert_eq!(a.status, 500, "{a:?}");
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/client",
            Some(json!({"clientId": "c1"})),
        )
        .await;
    assert_eq!(a.status, 500, "{a:?}");
    assert_eq!(s.define(ADMIN, "lost", simple_schema(1)).await.status, 500);
    assert_eq!(
        s.call(ADMIN, Method::GET, "/streams/lost/schema", None)
            .await
            .status,
        404
    );

    // Once the directory is back, the same calls succeed (no 409).
    std::fs::create_dir_all(&dir).unwrap();
    let a = s.call(ADMIN, Method::POST, "/jails", Some(jail)).await;
    assert_eq!(a.status, 200, "{a:?}");
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/client",
            Some(json!({"clientId": "c1"})),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(text.contains("j1-admin") && text.contains("c1"));
    s.handle.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Reads until the server closes the connection; what it sent.
async fn read_until_closed(mut stream: TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(WAIT, stream.read_to_end(&mut got)).await;
    match read {
        Ok(_) => got,
        Err(_) => panic!("the server kept the connection open for {WAIT:?}"),
    }
}

/// Connections that send nothing, half a head, part of a body, or stay idle
/// after a request are closed by the server.
#[tokio::test]
async fn idle_and_half_sent_connections_are_closed() {
    let server = builder()
        .head_timeout(Duration::from_millis(300))
        .idle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let addr = server.local_addr();

    let silent = TcpStream::connect(addr).await.unwrap();
    read_until_closed(silent).await;

    let mut half_head = TcpStream::connect(addr).await.unwrap();
    half_head
        .write_all(b"GET /api/v1/streams/x/schema HTTP/1.1\r\nHost: a\r\n")
        .await
        .unwrap();
    read_until_closed(half_head).await;

    let mut half_body = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/streams/x/publish HTTP/1.1\r\nHost: a\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"payload\"",
        basic(ADMIN.0, ADMIN.1)
    );
    half_body.write_all(head.as_bytes()).await.unwrap();
    read_until_closed(half_body).await;

    let mut keep_alive = TcpStream::connect(addr).await.unwrap();
    keep_alive
        .write_all(b"GET /api/v1/nothing HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(keep_alive).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
    server.shutdown().await;
}

/// Tries a WebSocket upgrade until the server answers other than "too many
/// open connections" (a closed socket's place comes back once the server
/// sees it close); the upgrade's result.
async fn upgrade_once_placed(
    url: &str,
) -> Result<Ws, tokio_tungstenite::tungstenite::http::Response<Option<Vec<u8>>>> {
    for _ in 0..200 {
        match tokio_tungstenite::connect_async(url).await {
            Ok((inner, _)) => return Ok(Ws { inner, next_id: 1 }),
            Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
                let body =
                    String::from_utf8_lossy(resp.body().as_deref().unwrap_or_default()).to_string();
                if !body.contains("Too many open connections") {
                    return Err(*resp);
                }
            }
            Err(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no place was given back");
}

/// Beyond the connection cap, a connection gets a 503 and the open ones keep
/// being served; beyond the cap of WebSockets waiting to authenticate, an
/// upgrade gets a 503, and authenticating frees a place.
#[tokio::test]
async fn connection_caps_refuse_with_503() {
    let s = Server::new(
        builder()
            .limits(Limits {
                max_connections: 3,
                max_unauthenticated_ws: 2,
                ..Limits::default()
            })
            .start()
            .await
            .unwrap(),
    );
    let addr = s.handle.local_addr();
    let ws_url = s.handle.ws_url();
    // Two WebSockets wait to authenticate, and a plain connection is served.
    let mut first = Ws::connect(&ws_url).await;
    let _second = Ws::connect(&ws_url).await;
    let mut third = TcpStream::connect(addr).await.unwrap();
    third
        .write_all(b"GET /api/v1/nothing HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 12];
    third.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"HTTP/1.1 404");
    // A fourth connection is refused with a 503 and a JSON reason.
    let mut fourth = TcpStream::connect(addr).await.unwrap();
    fourth
        .write_all(b"GET /api/v1/nothing HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&read_until_closed(fourth).await).to_string();
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("Too many open connections"), "{text}");
    // With a place free again, a third WebSocket waiting to authenticate is
    // refused.
    drop(third);
    match upgrade_once_placed(&ws_url).await {
        Err(resp) => {
            assert_eq!(resp.status(), 503);
            let body =
                String::from_utf8_lossy(resp.body().as_deref().unwrap_or_default()).to_string();
            assert!(body.contains("waiting to authenticate"), "{body}");
        }
        Ok(_) => panic!("a third unauthenticated WebSocket was accepted"),
    }
    // Authenticating frees a WebSocket place.
    assert_eq!(first.authenticate(ADMIN.0, ADMIN.1).await["success"], true);
    assert!(
        upgrade_once_placed(&ws_url).await.is_ok(),
        "no WebSocket accepted after a place was freed"
    );
}

/// A subscriber whose socket reads slowly (a tiny receive buffer, never read).
async fn stalled_subscriber(url: &str, stream: &str, group: &str) -> Ws {
    let addr = url
        .strip_prefix("ws://")
        .and_then(|r| r.split('/').next())
        .unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let tcp = socket.connect(addr.parse().unwrap()).await.unwrap();
    let (inner, _) =
        tokio_tungstenite::client_async(url, tokio_tungstenite::MaybeTlsStream::Plain(tcp))
            .await
            .unwrap();
    let mut ws = Ws { inner, next_id: 1 };
    assert_eq!(ws.authenticate(ADMIN.0, ADMIN.1).await["success"], true);
    ws.subscribe(stream, Some(group)).await;
    ws
}

/// Stalled subscribers cannot take the server past its delivery budget: the
/// slowest are closed as slow consumers, while a subscriber that reads keeps
/// receiving every message.
#[tokio::test]
async fn stalled_subscribers_stay_within_the_budget() {
    const BUDGET: usize = 2 * 1024 * 1024;
    const MESSAGE: usize = 60 * 1024;
    const BATCH: usize = 4;
    let s = start_with(Limits {
        delivery_budget_bytes: BUDGET,
        ..Limits::default()
    })
    .await;
    let def = json!({"version": 1, "fields": [{"name": "blob", "type": "string"}]});
    assert_eq!(s.define(ADMIN, "big", def).await.status, 200);
    let url = s.handle.ws_url();
    let mut stalled = Vec::new();
    for i in 0..4 {
        let group = format!("00000000-0000-4000-8000-00000000000{i}");
        stalled.push(stalled_subscriber(&url, "big", &group).await);
    }
    let mut reader = s.ws_as(ADMIN).await;
    reader
        .subscribe("big", Some("00000000-0000-4000-8000-0000000000ff"))
        .await;
    let reading = tokio::spawn(async move {
        let mut got = 0usize;
        loop {
            match reader.next_frame().await {
                Some(Message::Text(_)) => got += 1,
                Some(Message::Close(f)) => return (got, format!("{f:?}")),
                None => return (got, "dropped".to_string()),
                Some(_) => {}
            }
        }
    });
    let blob = "x".repeat(MESSAGE);
    let batch: Vec<Value> = (0..BATCH).map(|_| json!({"blob": blob})).collect();
    let one_publish = BATCH * (MESSAGE + 100) * 5;
    let mut published = 0;
    for _ in 0..400 {
        let a = s.publish(ADMIN, "big", json!(batch)).await;
        assert_eq!(a.status, 200);
        published += BATCH;
        let queued = s.handle.queued_delivery_bytes();
        assert!(
            queued <= BUDGET + one_publish,
            "{queued} bytes queued, budget {BUDGET}"
        );
        if s.handle.connection_count() == 1 {
            break;
        }
    }
    assert_eq!(
        s.handle.connection_count(),
        1,
        "the stalled subscribers were never closed"
    );
    for mut ws in stalled {
        let (_, ended) = ws.until_closed().await;
        assert_eq!(ended, Ended::Closed(1008, "slow consumer".into()));
    }
    s.handle.shutdown().await;
    let (got, ended) = reading.await.unwrap();
    assert_eq!(got, published, "the reading subscriber missed messages");
    assert!(ended.contains("1001") || ended.contains("Away"), "{ended}");
}

/// A private key is refused as a JWT public key; versions beyond 2^53-1 or
/// that a float rounds are refused, never stored rounded or saturated.
#[tokio::test]
async fn bad_keys_and_versions_are_refused() {
    let s = start().await;
    let path = format!("/client/{}/jwt-public-key", ADMIN.0);
    let two_keys = format!("{JWT_PUBLIC}\n{OTHER_PUBLIC}");
    for (key, status) in [
        (JWT_PRIVATE, 400),
        (two_keys.as_str(), 400),
        (JWT_PUBLIC, 200),
    ] {
        let a = s
            .call(
                ADMIN,
                Method::PUT,
                &path,
                Some(json!({"jwtPublicKey": key})),
            )
            .await;
        assert_eq!(a.status, status, "{a:?}");
        if key == JWT_PRIVATE {
            assert!(a.message().contains("private key"), "{a:?}");
        }
    }

    // The body is sent as written: a JSON value would round the numbers.
    let server = &s;
    let define = |stream: &str, version: &str, fields: &str| {
        let path = format!("/streams/{stream}/define");
        let body = format!(r#"{{"version": {version}, "fields": {fields}}}"#);
        async move {
            let auth = basic(ADMIN.0, ADMIN.1);
            server
                .raw(
                    Method::POST,
                    &path,
                    Some(&auth),
                    Some(body.into_bytes()),
                    None,
                )
                .await
        }
    };
    for version in [
        "18446744073709551616",
        "9007199254740993.0",
        "9007199254740992",
        "1.5",
        "-1",
        // A float reads this as exactly 1.0; the version's digits say otherwise.
        "1.0000000000000001",
        "1e-400",
    ] {
        let a = define("v", version, r#"[{"name": "n", "type": "integer"}]"#).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{version}: {a:?}");
        assert!(a.message().contains("version"), "{version}: {a:?}");
    }
    // An integer written with a zero fraction or an exponent is that integer.
    for (version, stream) in [("2.000", "w2"), ("3e0", "w3")] {
        let a = define(stream, version, "[]").await;
        assert_eq!(a.status, 200, "{version}: {a:?}");
    }
    let a = s.call(ADMIN, Method::GET, "/streams/w3/schema", None).await;
    assert_eq!(a.body["version"], json!(3));
    assert_eq!(
        s.call(ADMIN, Method::GET, "/streams/v/schema", None)
            .await
            .status,
        404
    );
    let a = define("v", "9007199254740991", "[]").await;
    assert_eq!(a.status, 200, "{a:?}");
    let a = s.call(ADMIN, Method::GET, "/streams/v/schema", None).await;
    assert_eq!(a.body["version"], json!(9007199254740991u64));
}

/// Definitions and batches beyond the limits are refused with a clear
/// 400 / 413, and nothing is stored or delivered.
#[tokio::test]
async fn oversized_definitions_and_batches_are_refused() {
    let s = start_with(Limits {
        max_definition_fields: 50,
        max_enum_values: 20,
        max_batch_messages: 10,
        ..Limits::default()
    })
    .await;
    let fields: Vec<Value> = (0..51)
        .map(|i| json!({"name": format!("f{i}"), "type": "string"}))
        .collect();
    let a = s
        .define(ADMIN, "wide", json!({"version": 1, "fields": fields}))
        .await;
    assert_eq!(a.status, 400, "{a:?}");
    assert!(a.message().contains("51 fields"), "{a:?}");
    // Nested fields count too.
    let nested: Vec<Value> = (0..30)
        .map(|i| json!({"name": format!("f{i}"), "type": "string"}))
        .collect();
    let def = json!({"version": 1, "fields": [
        {"name": "a", "type": "object", "fields": nested.clone()},
        {"name": "b", "type": "array<object>", "fields": nested}
    ]});
    assert_eq!(s.define(ADMIN, "deep", def).await.status, 400);
    let values: Vec<String> = (0..21).map(|i| format!("v{i}")).collect();
    let def = json!({"version": 1, "fields": [{"name": "e", "type": "enum", "enum": values}]});
    let a = s.define(ADMIN, "many", def).await;
    assert_eq!(a.status, 400, "{a:?}");
    assert!(a.message().contains("21 enum values"), "{a:?}");
    // Duplicate names among many fields are found.
    let mut fields: Vec<Value> = (0..40)
        .map(|i| json!({"name": format!("f{i}"), "type": "string"}))
        .collect();
    fields.push(json!({"name": "f7", "type": "float"}));
    let a = s
        .define(ADMIN, "dup", json!({"version": 1, "fields": fields}))
        .await;
    assert_eq!(a.status, 400, "{a:?}");
    assert!(a.message().contains("f7"), "{a:?}");

    assert_eq!(s.define(ADMIN, "s", simple_schema(1)).await.status, 200);
    let mut ws = s.ws_as(ADMIN).await;
    ws.subscribe("s", None).await;
    let batch: Vec<Value> = (0..11).map(|n| json!({"n": n})).collect();
    let a = s.publish(ADMIN, "s", json!(batch)).await;
    assert_eq!(a.status, 413, "{a:?}");
    let a = s.publish(ADMIN, "s", json!([{"n": 1}])).await;
    assert_eq!(a.status, 200);
    // The first delivery is the accepted one: nothing of the refused batch came.
    assert_eq!(ws.recv().await["payload"], json!({"n": 1}));
}

/// Error replies repeat at most a short prefix of what the client sent.
#[tokio::test]
async fn errors_echo_only_a_short_prefix_of_input() {
    let s = start().await;
    let long = "a".repeat(60_000);
    let mut ws = s.ws().await;
    ws.send_json(json!({"id": ws.next_id, "action": long}))
        .await;
    ws.next_id += 1;
    let reply = match ws.next_frame().await {
        Some(Message::Text(t)) => t.to_string(),
        other => panic!("expected an error reply, got {other:?}"),
    };
    assert!(
        reply.len() < 1024,
        "{} bytes: {}",
        reply.len(),
        &reply[..200]
    );
    let v: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(v["success"], false);
    assert!(v["error"]["message"].as_str().unwrap().contains("aaaa"));

    let def = json!({"version": 1, "fields": [], long.clone(): 1});
    let a = s.define(ADMIN, "x", def).await;
    assert_eq!(a.status, 400);
    assert!(a.message().len() < 1024, "{}", a.message().len());

    assert_eq!(s.define(ADMIN, "s", simple_schema(1)).await.status, 200);
    let a = s.publish(ADMIN, "s", json!({ long.clone(): 1 })).await;
    assert_eq!(a.status, 400);
    let text = a.body.to_string();
    assert!(text.len() < 2048, "{} bytes", text.len());

    let a = s
        .call(
            ADMIN,
            Method::DELETE,
            &format!("/client/{}", "b".repeat(5000)),
            None,
        )
        .await;
    assert!(a.message().len() < 256, "{a:?}");
}

/// Two identical defines race; the server is killed (SIGKILL) as soon as
/// one is answered 200. After a restart the schema is there: an answer is
/// sent only once what it reports is on disk.
#[cfg(feature = "cli")]
#[tokio::test]
async fn an_acknowledged_define_survives_kill_9() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = temp_dir("kill9");
    let state = dir.join("state.json");
    let spawn = || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_streamsea-server"))
            .args(["--bind", "127.0.0.1:0", "--client", "boot:boot-secret"])
            .arg("--state")
            .arg(&state)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap()
            .to_string();
        (child, addr)
    };
    let http = reqwest::Client::builder().timeout(WAIT).build().unwrap();
    // A definition large enough that writing it takes a while.
    let fields: Vec<Value> = (0..5000)
        .map(|i| json!({"name": format!("field_{i}"), "type": "string"}))
        .collect();
    let def = json!({"version": 1, "fields": fields});
    for run in 0..5 {
        let (mut child, addr) = spawn();
        let url = format!("{addr}/api/v1/streams/race{run}/define");
        let send = || {
            http.post(&url)
                .header("Authorization", basic("boot", "boot-secret"))
                .json(&def)
                .send()
        };
        let (a, b) = (send(), send());
        tokio::pin!(a, b);
        // Kill as soon as either is answered 200.
        let first = tokio::select! {
            r = &mut a => r,
            r = &mut b => r,
        };
        let status = first.map(|r| r.status().as_u16()).unwrap_or(0);
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(status, 200, "run {run}");

        let (mut child, addr) = spawn();
        let resp = http
            .get(format!("{addr}/api/v1/streams/race{run}/schema"))
            .header("Authorization", basic("boot", "boot-secret"))
            .send()
            .await
            .unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            resp.status(),
            200,
            "run {run}: the acknowledged schema was lost"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A definition near the field limit is described whole (it is written out
/// away from the async workers) and reads back equal to what was defined.
#[tokio::test]
async fn a_large_definition_is_described_whole() {
    let s = start().await;
    let fields: Vec<Value> = (0..3_000)
        .map(|i| json!({"name": format!("f{i}"), "type": "integer"}))
        .collect();
    let def = json!({"version": 1, "fields": fields});
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/streams/wide/define",
            Some(def.clone()),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let a = s
        .call(ADMIN, Method::GET, "/streams/wide/schema", None)
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.body["version"], json!(1));
    assert_eq!(a.body["fields"], def["fields"]);
}
