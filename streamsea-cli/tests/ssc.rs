//! The command lines of the official `ssc` tool (stream-sea-cli 2.2.0, as its
//! README lists the options of each command) run unchanged, with `streamsea`
//! in place of `ssc`: one test per command, against an in-process server.

mod common;

use common::*;
use serde_json::json;

/// `-i ID -q SECRET -h HOST -p PORT`, the official tool's connection flags.
fn ssc(server: &TestServer) -> Cli {
    Cli::new()
        .dir(server.dir.path())
        .args(["-i", ADMIN.0, "-q", ADMIN.1, "-h", "127.0.0.1", "-p"])
        .arg(server.port())
}

/// The same in their long spellings, given after the command as well.
fn ssc_long(server: &TestServer, command: &str) -> Cli {
    Cli::new().dir(server.dir.path()).args([
        command,
        "--clientId",
        ADMIN.0,
        "--clientSecret",
        ADMIN.1,
        "--remoteServerHost",
        "127.0.0.1",
        "--remoteServerPort",
        &server.port(),
    ])
}

#[tokio::test]
async fn ssc_define_describe_svv() {
    let server = start().await;
    let out = ssc(&server)
        .args([
            "define",
            "-s",
            "boiler",
            "-m",
            r#"{"temperature": "float"}"#,
        ])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "stream `boiler`: created version 1");
    let schema = server.file("schema.json", r#"{"_version": 2, "temperature": "float"}"#);
    ssc_long(&server, "define")
        .args(["--stream", "boiler", "--schema"])
        .arg(&schema)
        .run()
        .await
        .success();
    let out = ssc(&server)
        .args(["describe", "-s", "boiler"])
        .run()
        .await
        .success();
    assert_eq!(out.json()["version"], 2);
    ssc_long(&server, "describe")
        .args(["--stream", "boiler"])
        .run()
        .await
        .success();
    let out = ssc(&server)
        .args(["svv", "-s", "boiler:other"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "2:null");
    let out = ssc_long(&server, "svv")
        .args(["--schemas", "other:boiler"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "null:2");
}

#[tokio::test]
async fn ssc_publish_and_subscribe() {
    let server = start().await;
    server.define("boiler", r#"{"temperature": "float"}"#).await;
    let mut fanout = ssc(&server)
        .args(["subscribe", "-s", "boiler", "-f"])
        .spawn();
    fanout.wait_for_stderr("subscribed to boiler (group").await;
    let mut plain = ssc_long(&server, "subscribe")
        .args(["--stream", "boiler", "--fanout"])
        .spawn();
    plain.wait_for_stderr("subscribed to boiler (group").await;
    ssc(&server)
        .args(["publish", "-s", "boiler", "-d", r#"{"temperature": 1}"#])
        .run()
        .await
        .success();
    let file = server.file("data.json", r#"{"temperature": 2}"#);
    ssc_long(&server, "publish")
        .args(["--stream", "boiler", "--data"])
        .arg(&file)
        .run()
        .await
        .success();
    for sub in [&mut fanout, &mut plain] {
        assert_eq!(sub.stdout_line().await, r#"{"temperature":1}"#);
        assert_eq!(sub.stdout_line().await, r#"{"temperature":2}"#);
    }
    for sub in [fanout, plain] {
        sub.terminate();
        sub.finish().await.success();
    }
}

#[tokio::test]
async fn ssc_clients_and_secrets() {
    let server = start().await;
    let out = ssc(&server)
        .args(["create-client", "-c", "worker", "-d", "a worker"])
        .run()
        .await
        .success();
    assert!(out
        .stdout
        .starts_with("Client Identifier: worker\nClient Secret: "));
    let secret = out.stdout.lines().nth(1).unwrap()["Client Secret: ".len()..].to_string();
    // The new client works, with ssc's flags.
    Cli::new()
        .args(["-i", "worker", "-q", &secret, "-h", "127.0.0.1", "-p"])
        .arg(server.port())
        .args(["svv", "-s", "x"])
        .run()
        .await
        .success();
    ssc_long(&server, "create-client")
        .args([
            "--targetClientId",
            "other",
            "--targetClientDescription",
            "x",
        ])
        .run()
        .await
        .success();
    ssc(&server)
        .args(["delete-client", "-c", "other"])
        .run()
        .await
        .success();
    ssc_long(&server, "delete-client")
        .args(["--targetClientId", "worker"])
        .run()
        .await
        .success();

    // rotate-client-secret -c takes the caller's own id (a client rotates
    // only its own secret); another id is refused before anything changes.
    ssc(&server)
        .args(["rotate-client-secret", "-c", "someone-else"])
        .run()
        .await
        .code(2)
        .stderr_has("a client rotates only its own secret, and you authenticate as `admin`");
    let out = ssc(&server)
        .args(["rotate-client-secret", "-c", ADMIN.0])
        .run()
        .await
        .success();
    assert!(
        out.stdout.starts_with("Client Identifier: admin\n"),
        "{out:?}"
    );
    let new_secret = out.stdout.lines().nth(1).unwrap()["Client Secret: ".len()..].to_string();
    Cli::new()
        .args(["-i", ADMIN.0, "-q", &new_secret, "-h", "127.0.0.1", "-p"])
        .arg(server.port())
        .args(["rotate-client-secret", "--targetClientId", ADMIN.0])
        .run()
        .await
        .success();
}

#[tokio::test]
async fn ssc_jails() {
    let server = start().await;
    let out = ssc(&server)
        .args([
            "create-jail",
            "-j",
            "j1",
            "-n",
            "Jail one",
            "-c",
            "j1-admin",
        ])
        .run()
        .await
        .success();
    assert!(out
        .stdout
        .starts_with("Jail Identifier: j1\nClient Identifier: j1-admin\n"));
    ssc_long(&server, "create-jail")
        .args(["--id", "j2", "--name", "Jail two", "--client", "j2-admin"])
        .run()
        .await
        .success();
    ssc(&server)
        .args(["delete-jail", "-j", "j1"])
        .run()
        .await
        .success();
    ssc_long(&server, "delete-jail")
        .args(["--id", "j2"])
        .run()
        .await
        .success();
}

#[tokio::test]
async fn ssc_keys_and_tokens() {
    let server = start().await;
    server.define("boiler", r#"{"temperature": "float"}"#).await;
    let dir = server.dir.path();
    // generate-keypair: ssc's file names, with and without a prefix.
    Cli::new()
        .dir(dir)
        .arg("generate-keypair")
        .run()
        .await
        .success();
    assert!(dir.join("private.pem").exists() && dir.join("public.pem").exists());
    Cli::new()
        .dir(dir)
        .args(["generate-keypair", "-o", "k_"])
        .run()
        .await
        .success();
    Cli::new()
        .dir(dir)
        .args(["generate-keypair", "--filePrefix", "long_"])
        .run()
        .await
        .success();
    assert!(dir.join("long_private.pem").exists());
    let public = std::fs::read_to_string(dir.join("k_public.pem")).unwrap();
    let private = std::fs::read_to_string(dir.join("k_private.pem")).unwrap();

    // rotate-jwt -c OWN_ID -k "<PEM text>", and -k null.
    let out = ssc(&server)
        .args(["rotate-jwt", "-c", ADMIN.0, "-k", "null"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "JWT public key of client admin removed");
    ssc_long(&server, "rotate-jwt")
        .args(["--targetClientId", ADMIN.0, "--jwtPublicKey", &public])
        .run()
        .await
        .success();
    ssc(&server)
        .args(["rotate-jwt", "-c", "other", "-k", &public])
        .run()
        .await
        .code(2)
        .stderr_has("a client rotates only its own JWT public key");

    // sign-jwt -k "<PEM text>" [-p PAYLOAD]: the official defaults, or the payload.
    let out = Cli::new()
        .args(["sign-jwt", "-k", &private])
        .run()
        .await
        .success();
    let token = out.stdout.trim().to_string();
    assert_eq!(
        claims_of(&token),
        json!({"exp": 1_893_456_000u64, "mustFanout": true})
    );
    let out = Cli::new()
        .args(["sign-jwt", "--jwtPrivateKey", &private, "--payload"])
        .arg(r#"{"exp": 1893456000, "mustFanout": false}"#)
        .run()
        .await
        .success();
    assert_eq!(claims_of(out.stdout.trim())["mustFanout"], false);
    let out = Cli::new()
        .args([
            "sign-jwt",
            "-k",
            &private,
            "-p",
            r#"{"exp": 1893456000, "mustFanout": true}"#,
        ])
        .run()
        .await
        .success();
    let filtered_token = out.stdout.trim().to_string();

    // The token works.
    let mut sub = Cli::new()
        .args(["-h", "127.0.0.1", "-p", &server.port(), "-i", ADMIN.0])
        .args(["--jwt", &filtered_token, "subscribe", "-s", "boiler"])
        .spawn();
    sub.wait_for_stderr("subscribed to boiler").await;
    ssc(&server)
        .args(["publish", "-s", "boiler", "-d", r#"{"temperature": 3}"#])
        .run()
        .await
        .success();
    assert_eq!(sub.stdout_line().await, r#"{"temperature":3}"#);
    sub.terminate();
    sub.finish().await.success();

    // sign-jwt -s SECRET -p PAYLOAD: signed HS256 as ssc did, with a warning
    // that stream-sea refuses such tokens.
    let out = Cli::new()
        .args([
            "sign-jwt",
            "-s",
            "shared",
            "-p",
            r#"{"exp": 1893456000, "mustFanout": true}"#,
        ])
        .run()
        .await
        .success()
        .stderr_has(
            "warning: a token signed with a secret (HS256) is refused by stream-sea servers",
        );
    let header = header_of(out.stdout.trim());
    assert_eq!(header["alg"], "HS256");
    Cli::new()
        .args(["sign-jwt", "--jwtSecret", "shared", "-k", &private])
        .run()
        .await
        .code(2);
}

#[tokio::test]
async fn dash_h_is_the_host_never_a_silent_help() {
    // `-h HOST` connects to HOST.
    let server = start().await;
    server
        .define("s", r#"{"_version": 4, "a": "string"}"#)
        .await;
    let out = ssc(&server).args(["svv", "s"]).run().await.success();
    assert_eq!(out.stdout.trim(), "4");
    // `-h` alone is a usage error (exit 2), not help with exit 0.
    Cli::new()
        .arg("-h")
        .run()
        .await
        .code(2)
        .stderr_has("--host <HOST>");
    Cli::new()
        .args(["describe", "-s", "x", "-h"])
        .run()
        .await
        .code(2);
    let out = Cli::new().arg("--help").run().await.success();
    assert!(out.stdout.contains("--help"), "{}", out.stdout);
}

fn part_of(token: &str, n: usize) -> serde_json::Value {
    use base64::Engine;
    let part = token.split('.').nth(n).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn claims_of(token: &str) -> serde_json::Value {
    part_of(token, 1)
}

fn header_of(token: &str) -> serde_json::Value {
    part_of(token, 0)
}
