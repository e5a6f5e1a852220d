//! `generate-keypair`, `rotate-jwt` and `sign-jwt`, and subscribing as the
//! bearer of a signed token.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::{json, Value};

/// The claims of a JWS compact token.
fn claims_of(token: &str) -> Value {
    let parts: Vec<&str> = token.trim().split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[0])
        .unwrap();
    let header: Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(header["alg"], "RS512");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1])
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Generates a key pair in the server's scratch directory.
async fn keypair(server: &TestServer) {
    let out = Cli::new()
        .dir(server.dir.path())
        .arg("generate-keypair")
        .run()
        .await
        .success();
    assert_eq!(
        out.lines(),
        [
            "private key written to private.pem",
            "public key written to public.pem"
        ]
    );
}

#[tokio::test]
async fn generate_keypair_writes_pem_files_and_keeps_existing_ones() {
    let server = start().await;
    keypair(&server).await;
    let dir = server.dir.path();
    let private = std::fs::read_to_string(dir.join("private.pem")).unwrap();
    let public = std::fs::read_to_string(dir.join("public.pem")).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----"),
        "{private}"
    );
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("private.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the private key is readable by others: {mode:o}"
        );
    }

    Cli::new()
        .dir(dir)
        .arg("generate-keypair")
        .run()
        .await
        .code(2)
        .stderr_has("--private-key: file `private.pem` exists (pass --force to overwrite it)");
    assert_eq!(
        std::fs::read_to_string(dir.join("private.pem")).unwrap(),
        private
    );
    let out = Cli::new()
        .dir(dir)
        .args(["--output", "json", "generate-keypair", "--force"])
        .run()
        .await
        .success();
    assert_eq!(
        out.json(),
        json!({"privateKey": "private.pem", "publicKey": "public.pem", "bits": 2048})
    );
    assert_ne!(
        std::fs::read_to_string(dir.join("private.pem")).unwrap(),
        private
    );

    // Too small to be safe, or too large for the signer to use: refused,
    // and nothing is written.
    for bits in ["1024", "8192"] {
        Cli::new()
            .dir(dir)
            .args([
                "generate-keypair",
                "--bits",
                bits,
                "--private-key",
                "a.pem",
                "--public-key",
                "b.pem",
            ])
            .run()
            .await
            .code(2)
            .stderr_has(&format!("--bits {bits}"));
        assert!(!dir.join("a.pem").exists());
    }
    Cli::new()
        .dir(dir)
        .args([
            "generate-keypair",
            "--private-key",
            "same.pem",
            "--public-key",
            "same.pem",
        ])
        .run()
        .await
        .code(2)
        .stderr_has("same file");
    Cli::new()
        .dir(dir)
        .args([
            "generate-keypair",
            "--private-key",
            "no/such/dir/k.pem",
            "--public-key",
            "p.pem",
        ])
        .run()
        .await
        .code(2)
        .stderr_has("cannot write file `no/such/dir/k.pem`");
}

#[tokio::test]
async fn sign_jwt_claims_default_like_the_official_tool() {
    let server = start().await;
    keypair(&server).await;
    let sign = |args: &[&str]| {
        Cli::new()
            .dir(server.dir.path())
            .args(["sign-jwt", "--private-key", "private.pem"])
            .args(args.to_vec())
    };

    let out = sign(&[]).run().await.success();
    assert_eq!(
        claims_of(&out.stdout),
        json!({"exp": 1_893_456_000u64, "mustFanout": true})
    );

    let out = sign(&["--expires-in", "1h", "--must-fanout", "false"])
        .run()
        .await
        .success();
    let claims = claims_of(&out.stdout);
    let exp = claims["exp"].as_u64().unwrap();
    assert!((now() + 3500..=now() + 3700).contains(&exp), "{claims}");
    assert_eq!(claims["mustFanout"], false);

    let filter = r#"{"t": "eq", "e": [{"t": "path", "e": "site"}, {"t": "string", "e": "north"}]}"#;
    let filter_file = server.file("filter.json", filter);
    let out = Cli::new()
        .dir(server.dir.path())
        .args([
            "--output",
            "json",
            "sign-jwt",
            "-k",
            "private.pem",
            "--exp",
            "2000000000",
            "--filter",
        ])
        .arg(&filter_file)
        .run()
        .await
        .success();
    let printed = out.json();
    let expected = json!({"exp": 2_000_000_000u64, "mustFanout": true, "filter": serde_json::from_str::<Value>(filter).unwrap()});
    assert_eq!(printed["claims"], expected);
    assert_eq!(claims_of(printed["jwt"].as_str().unwrap()), expected);

    // A claims object without mustFanout gets the option's default, true
    // (the server would read an absent one as false).
    let out = sign(&["--claims", r#"{"exp": 42}"#])
        .run()
        .await
        .success()
        .stderr_has("`mustFanout` is not given: true")
        .stderr_has("warning: the token's exp 42 is");
    assert_eq!(
        claims_of(&out.stdout),
        json!({"exp": 42, "mustFanout": true})
    );

    // Unreadable input: the option at fault is named.
    sign(&["--filter", r#"{"t": "nope"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("--filter")
        .stderr_has("unknown node type");
    sign(&["--claims", r#"{"mustFanout": true}"#])
        .run()
        .await
        .code(2)
        .stderr_has("--claims")
        .stderr_has("exp");
    sign(&["--claims", "{}", "--exp", "5"]).run().await.code(2);
    sign(&["--exp", "5", "--expires-in", "1h"])
        .run()
        .await
        .code(2);
    sign(&["--expires-in", "soon"])
        .run()
        .await
        .code(2)
        .stderr_has("soon");
    Cli::new()
        .dir(server.dir.path())
        .args(["sign-jwt", "-k", "public.pem"])
        .run()
        .await
        .code(2)
        .stderr_has("--private-key: file `public.pem` holds no PEM block");
    Cli::new()
        .dir(server.dir.path())
        .args(["sign-jwt", "-k", "nothing.pem"])
        .run()
        .await
        .code(2)
        .stderr_has("cannot read file `nothing.pem`");
}

#[tokio::test]
async fn sign_jwt_claims_are_strict_and_a_past_expiry_is_named() {
    let server = start().await;
    keypair(&server).await;
    let sign = |args: &[&str]| {
        Cli::new()
            .dir(server.dir.path())
            .args(["sign-jwt", "--private-key", "private.pem"])
            .args(args.to_vec())
    };
    // A misspelt claim would be dropped by the server: refused, with the fix.
    sign(&["--claims", r#"{"exp": 2000000000, "mustfanout": false}"#])
        .run()
        .await
        .code(2)
        .stderr_has("`mustfanout` (did you mean `mustFanout`?) is not a claim stream-sea reads");
    sign(&["--claims", r#"{"exp": 2000000000, "sub": "x", "aud": "y"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("`aud`, `sub` are not a claim stream-sea reads");
    sign(&["--claims", r#"{"exp": "tomorrow"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("`exp` must be UNIX seconds");
    sign(&["--claims", r#"{"exp": 2000000000, "mustFanout": "yes"}"#])
        .run()
        .await
        .code(2)
        .stderr_has("`mustFanout` must be true or false");
    sign(&["--claims", "[1]"])
        .run()
        .await
        .code(2)
        .stderr_has("expected a JSON object of claims");
    // What is given is kept exactly.
    let out = sign(&["--claims", r#"{"exp": 2000000000, "mustFanout": false}"#])
        .run()
        .await
        .success();
    assert_eq!(
        claims_of(&out.stdout),
        json!({"exp": 2_000_000_000u64, "mustFanout": false})
    );
    assert!(out.stderr.is_empty(), "{out:?}");
    // An expiry in the past signs, with a warning that says so.
    let out = sign(&["--exp", "1000"]).run().await.success();
    assert_eq!(claims_of(&out.stdout)["exp"], 1000);
    assert!(
        out.stderr.contains("warning: the token's exp 1000 is")
            && out.stderr.contains("the server refuses it"),
        "{out:?}"
    );
}

#[tokio::test]
async fn a_bearer_subscribes_with_a_signed_filtered_token() {
    let server = start().await;
    keypair(&server).await;
    server
        .define("readings", r#"{"site": "string", "n": "integer"}"#)
        .await;

    server
        .cli()
        .args(["rotate-jwt", "--public-key", "private.pem"])
        .run()
        .await
        .code(2)
        .stderr_has("no PEM block `PUBLIC KEY`");
    let out = server
        .cli()
        .args(["rotate-jwt", "--public-key", "public.pem"])
        .run()
        .await
        .success();
    assert_eq!(out.stdout.trim(), "JWT public key of client admin set");

    let filter = r#"{"t": "eq", "e": [{"t": "path", "e": "site"}, {"t": "string", "e": "north"}]}"#;
    let token = Cli::new()
        .dir(server.dir.path())
        .args([
            "sign-jwt",
            "-k",
            "private.pem",
            "--expires-in",
            "10m",
            "--filter",
            filter,
        ])
        .run()
        .await
        .success()
        .stdout
        .trim()
        .to_string();

    let bearer = || {
        Cli::new().args([
            "--host",
            "127.0.0.1",
            "--port",
            &server.port(),
            "--client-id",
            ADMIN.0,
            "--jwt",
            &token,
        ])
    };
    let mut sub = bearer()
        .args(["subscribe", "-s", "readings", "--count", "2"])
        .spawn();
    sub.wait_for_stderr("subscribed to readings").await;
    server
        .cli()
        .args(["publish", "-s", "readings"])
        .stdin("{\"site\": \"south\", \"n\": 1}\n{\"site\": \"north\", \"n\": 2}\n{\"n\": 3}\n{\"site\": \"north\", \"n\": 4}\n")
        .run()
        .await
        .success();
    let out = sub.finish().await.success();
    assert_eq!(
        out.lines(),
        [r#"{"n":2,"site":"north"}"#, r#"{"n":4,"site":"north"}"#]
    );

    // A bearer cannot make HTTP calls.
    bearer()
        .args(["svv", "readings"])
        .run()
        .await
        .code(2)
        .stderr_has("basic credentials");

    // Once the key is removed, the token no longer opens a connection.
    let out = server
        .cli()
        .args(["--output", "json", "rotate-jwt", "--clear"])
        .run()
        .await
        .success();
    assert_eq!(
        out.json(),
        json!({"clientId": "admin", "jwtPublicKey": null})
    );
    bearer()
        .args(["subscribe", "-s", "readings", "--timeout", "20s"])
        .run()
        .await
        .code(1)
        .stderr_has("authentication failed");
    server.cli().arg("rotate-jwt").run().await.code(2);
    server
        .cli()
        .args(["rotate-jwt", "--clear", "--public-key", "public.pem"])
        .run()
        .await
        .code(2);
}
