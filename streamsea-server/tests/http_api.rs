//! Every HTTP operation of PROTOCOL.md section 2, with the define semantics of
//! section 3 and the validation of section 4, driven by a plain HTTP client.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn authentication_errors() {
    let s = start().await;
    let path = "/streams/s/schema";
    let missing = s.raw(Method::GET, path, None, None, None).await;
    assert_eq!(missing.status, 401);
    assert!(
        missing.message().contains("missing or malformed"),
        "{missing:?}"
    );
    for bad in [
        "Basic !!!",
        "Bearer abc",
        "Basic",
        &format!("Basic {}", b64url(b"no-colon")),
    ] {
        let a = s.raw(Method::GET, path, Some(bad), None, None).await;
        assert_eq!(a.status, 401, "{bad}");
        assert!(a.message().contains("missing or malformed"));
    }
    for (id, secret) in [(ADMIN.0, "wrong"), ("nobody", ADMIN.1)] {
        let a = s.call((id, secret), Method::GET, path, None).await;
        assert_eq!(a.status, 401);
        assert_eq!(
            a.body,
            json!({"message": "The credentials are present and well formed but invalid."})
        );
    }
}

#[tokio::test]
async fn define_describe_and_versions() {
    let s = start().await;
    let def = json!({"name": "boiler_data", "version": 2, "fields": [
        {"name": "temperature", "type": "float"},
        {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
        {"name": "readings", "type": "array<object>", "fields": [
            {"name": "at", "type": "date"}, {"name": "v", "type": "float"}]}
    ]});
    // no schema yet: describe is 404 with an error body
    let a = s
        .call(ADMIN, Method::GET, "/streams/boiler_data/schema", None)
        .await;
    assert_eq!(a.status, 404);
    assert_eq!(
        a.message(),
        "No schema is defined for the stream [boiler_data]"
    );

    assert_eq!(
        s.define(ADMIN, "boiler_data", def.clone()).await.status,
        200
    );
    let a = s
        .call(ADMIN, Method::GET, "/streams/boiler_data/schema", None)
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, def);

    // same version, same fields in another order at every depth: success, nothing changes
    let reordered = json!({"version": "2", "fields": [
        {"name": "readings", "type": "array<object>", "fields": [
            {"name": "v", "type": "float"}, {"name": "at", "type": "date"}]},
        {"name": "mode", "type": "enum", "enum": ["heating", "idle"]},
        {"name": "temperature", "type": "float"}
    ]});
    assert_eq!(s.define(ADMIN, "boiler_data", reordered).await.status, 200);

    // same version, different fields: 409, the stored definition stays
    let changed = json!({"version": 2, "fields": [{"name": "temperature", "type": "integer"}]});
    let a = s.define(ADMIN, "boiler_data", changed).await;
    assert_eq!(a.status, 409, "{a:?}");
    let a = s
        .call(ADMIN, Method::GET, "/streams/boiler_data/schema", None)
        .await;
    assert_eq!(a.body, def);

    // lower version: 400 with the real server's wording
    let lower = json!({"version": 1, "fields": []});
    let a = s.define(ADMIN, "boiler_data", lower).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.message(),
        "The version pushed for the schema [boiler_data] is [1] but there is already an older version defined [2]"
    );

    // higher version: the new current schema
    let v3 = json!({"version": 3, "fields": [{"name": "temperature", "type": "float"}]});
    assert_eq!(s.define(ADMIN, "boiler_data", v3).await.status, 200);
    let a = s
        .call(ADMIN, Method::GET, "/streams/boiler_data/schema", None)
        .await;
    assert_eq!(
        a.body,
        json!({"name": "boiler_data", "version": 3, "fields": [{"name": "temperature", "type": "float"}]})
    );

    // versions vector: same length and order as asked, null where none
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/schema-versions-vector",
            Some(json!({"schemaNames": ["nope", "boiler_data", "bad name", "nope"]})),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, json!({"versionsVector": [null, 3, null, null]}));
}

#[tokio::test]
async fn define_rejects_bad_definitions() {
    let s = start().await;
    for (def, needle) in [
        (
            json!({"name": "other", "version": 1, "fields": []}),
            "must equal the stream name",
        ),
        (
            json!({"version": 1, "fields": [{"name": "a", "type": "text"}]}),
            "unknown type",
        ),
        (
            json!({"version": "1.0.0", "fields": []}),
            "not a non-negative integer",
        ),
        (
            json!({"version": 1, "fields": [{"name": "e", "type": "enum"}]}),
            "enum",
        ),
        (json!({"fields": []}), "version"),
        (json!([1, 2]), "expected shape"),
    ] {
        let a = s.define(ADMIN, "s", def.clone()).await;
        assert_eq!(a.status, 400, "{def}");
        assert!(a.message().contains(needle), "{def}: {a:?}");
    }
    let a = s
        .raw(
            Method::POST,
            "/streams/s/define",
            Some(&basic(ADMIN.0, ADMIN.1)),
            Some(b"{nope".to_vec()),
            None,
        )
        .await;
    assert_eq!(a.status, 400);
    assert!(a.message().contains("not valid JSON"), "{a:?}");
    let a = s
        .define(ADMIN, "bad%20name", json!({"version": 1, "fields": []}))
        .await;
    assert_eq!(a.status, 400);
    assert!(a.message().contains("invalid stream name"), "{a:?}");
}

#[tokio::test]
async fn gzip_and_plain_bodies() {
    let s = start().await;
    let a = s
        .call_gzip(ADMIN, Method::POST, "/streams/g/define", simple_schema(1))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let mut ws = s.ws_as(ADMIN).await;
    let sub = ws.subscribe("g", None).await;
    let a = s
        .call_gzip(
            ADMIN,
            Method::POST,
            "/streams/g/publish",
            json!({"payload": {"n": 1}}),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, json!({}));
    assert_eq!(s.publish(ADMIN, "g", json!({"n": 2})).await.status, 200);
    let a = s
        .call_gzip(
            ADMIN,
            Method::POST,
            "/schema-versions-vector",
            json!({"schemaNames": ["g"]}),
        )
        .await;
    assert_eq!(a.body, json!({"versionsVector": [1]}));
    for n in [1, 2] {
        assert_eq!(
            ws.recv().await,
            json!({"id": sub, "action": "subscription", "streamName": "g", "payload": {"n": n}})
        );
    }
    // corrupt gzip: 400; an encoding other than gzip: 415; both with a JSON error body
    let a = s
        .raw(
            Method::POST,
            "/streams/g/publish",
            Some(&basic(ADMIN.0, ADMIN.1)),
            Some(b"not gzip".to_vec()),
            Some("gzip"),
        )
        .await;
    assert_eq!(a.status, 400, "{a:?}");
    assert!(!a.message().is_empty());
    let a = s
        .raw(
            Method::POST,
            "/streams/g/publish",
            Some(&basic(ADMIN.0, ADMIN.1)),
            Some(b"{}".to_vec()),
            Some("br"),
        )
        .await;
    assert_eq!(a.status, 415, "{a:?}");
    assert!(a.message().contains("gzip"));
}

#[tokio::test]
async fn body_limit_gives_413_plain_and_gzip() {
    let s = start_with(streamsea_server::Limits {
        max_body_bytes: 10_000,
        ..Default::default()
    })
    .await;
    s.define(ADMIN, "big", simple_schema(1)).await;
    let big = json!({"payload": {"tag": "x".repeat(20_000)}});
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/streams/big/publish",
            Some(big.clone()),
        )
        .await;
    assert_eq!(a.status, 413);
    assert!(a.message().contains("10000"), "{a:?}");
    // a small gzip body that inflates past the limit
    let a = s
        .call_gzip(ADMIN, Method::POST, "/streams/big/publish", big)
        .await;
    assert_eq!(a.status, 413, "{a:?}");
    let ok = json!({"payload": {"tag": "x".repeat(100)}});
    assert_eq!(
        s.call_gzip(ADMIN, Method::POST, "/streams/big/publish", ok)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn publish_validation_and_batches() {
    let s = start().await;
    let def = json!({"version": 1, "fields": [
        {"name": "temperature", "type": "float"},
        {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
        {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
    ]});
    s.define(ADMIN, "b", def).await;

    // publishing to a stream without a schema
    let a = s.publish(ADMIN, "nothing_here", json!({})).await;
    assert_eq!(a.status, 404);
    assert_eq!(
        a.message(),
        "No schema is defined for the stream [nothing_here]"
    );

    let mut ws = s.ws_as(ADMIN).await;
    let sub = ws.subscribe("b", None).await;

    // every error of a payload, with its path
    let a = s
        .publish(
            ADMIN,
            "b",
            json!({"temperature": "hot", "mode": "Idle", "readings": [{"at": "2019-02-29T10:00:00Z"}], "extra": 1}),
        )
        .await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.message(),
        "The payload is not valid against the schema of the stream [b]"
    );
    let errors = a.body["errors"].as_array().unwrap();
    let paths: Vec<&str> = errors.iter().map(|e| e["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(sorted, ["extra", "mode", "readings[0].at", "temperature"]);
    let temp = errors.iter().find(|e| e["path"] == "temperature").unwrap();
    assert_eq!(
        temp,
        &json!({"path": "temperature", "expected": "float (a number)", "found": "string \"hot\""})
    );

    // a batch with one invalid element is rejected whole
    let a = s
        .publish(
            ADMIN,
            "b",
            json!([{"temperature": 1}, {"temperature": "x"}, {"mode": "idle"}]),
        )
        .await;
    assert_eq!(a.status, 400);
    let errors = a.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "[1].temperature");

    // not an object, an empty batch, a missing payload
    for (body, status) in [
        (json!({"payload": 5}), 400),
        (json!({"payload": []}), 400),
        (json!({"payload": [1]}), 400),
        (json!({"nothing": 1}), 400),
    ] {
        let a = s
            .call(
                ADMIN,
                Method::POST,
                "/streams/b/publish",
                Some(body.clone()),
            )
            .await;
        assert_eq!(a.status, status, "{body}: {a:?}");
    }

    // a valid batch is delivered in order; nothing of the rejected ones came before it
    let a = s
        .publish(
            ADMIN,
            "b",
            json!([{"temperature": 1.5}, {"mode": "idle", "readings": []}]),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(ws.recv().await["payload"], json!({"temperature": 1.5}));
    assert_eq!(
        ws.recv().await["payload"],
        json!({"mode": "idle", "readings": []})
    );
    assert_eq!(
        s.publish(ADMIN, "b", json!({"temperature": null}))
            .await
            .status,
        200
    );
    assert_eq!(
        ws.recv().await,
        json!({"id": sub, "action": "subscription", "streamName": "b", "payload": {"temperature": null}})
    );
}

#[tokio::test]
async fn clients_create_delete_rotate() {
    let s = start().await;
    let secret = s.client(ADMIN, "worker").await;
    assert_eq!(secret.len(), 32);
    let worker = ("worker", secret.as_str());
    assert_eq!(
        s.call(worker, Method::GET, "/streams/x/schema", None)
            .await
            .status,
        404
    );

    // the answer of create client
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/client",
            Some(json!({"clientId": "w2", "description": "second"})),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["clientId"], "w2");
    assert_eq!(a.body["description"], "second");
    assert!(a.body["secret"].is_string());

    // duplicates and bad ids
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/client",
            Some(json!({"clientId": "worker"})),
        )
        .await;
    assert_eq!(a.status, 409);
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/client",
            Some(json!({"clientId": "a:b"})),
        )
        .await;
    assert_eq!(a.status, 400);
    let a = s
        .call(ADMIN, Method::POST, "/client", Some(json!({"id": "x"})))
        .await;
    assert_eq!(a.status, 400);

    // rotate own secret: the old one stops working
    let a = s.call(worker, Method::PUT, "/client/worker", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["clientId"], "worker");
    let new_secret = a.body["secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    assert_eq!(
        s.call(worker, Method::GET, "/streams/x/schema", None)
            .await
            .status,
        401
    );
    let worker = ("worker", new_secret.as_str());
    assert_eq!(
        s.call(worker, Method::GET, "/streams/x/schema", None)
            .await
            .status,
        404
    );
    // only one's own
    let a = s.call(worker, Method::PUT, "/client/admin", None).await;
    assert_eq!(a.status, 403);

    // delete: never itself, 404 for unknown, then the credentials stop working
    let a = s.call(worker, Method::DELETE, "/client/worker", None).await;
    assert_eq!(a.status, 403);
    assert_eq!(a.message(), "A client cannot delete itself");
    let a = s.call(ADMIN, Method::DELETE, "/client/ghost", None).await;
    assert_eq!(a.status, 404);
    let a = s.call(ADMIN, Method::DELETE, "/client/worker", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        s.call(worker, Method::GET, "/streams/x/schema", None)
            .await
            .status,
        401
    );
    // a non-root client may manage clients of its own jail
    let w2 = s.client(ADMIN, "w3").await;
    let a = s
        .call(("w3", &w2), Method::DELETE, "/client/w2", None)
        .await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn jwt_public_key_operation() {
    let s = start().await;
    let path = format!("/client/{}/jwt-public-key", ADMIN.0);
    let a = s
        .call(
            ADMIN,
            Method::PUT,
            &path,
            Some(json!({"jwtPublicKey": JWT_PUBLIC})),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let a = s
        .call(
            ADMIN,
            Method::PUT,
            &path,
            Some(json!({"jwtPublicKey": "not a key"})),
        )
        .await;
    assert_eq!(a.status, 400);
    assert!(a.message().contains("RSA public key"), "{a:?}");
    let a = s
        .call(
            ADMIN,
            Method::PUT,
            &path,
            Some(json!({"jwtPublicKey": null})),
        )
        .await;
    assert_eq!(a.status, 200);
    let other = s.client(ADMIN, "other").await;
    let a = s
        .call(
            ("other", &other),
            Method::PUT,
            &path,
            Some(json!({"jwtPublicKey": JWT_PUBLIC})),
        )
        .await;
    assert_eq!(a.status, 403);
}

#[tokio::test]
async fn jails_create_and_delete() {
    let s = start().await;
    let a = s
        .call(
            ADMIN,
            Method::POST,
            "/jails",
            Some(json!({"newJailId": "j1", "newJailName": "Jail one", "newClientId": "j1c"})),
        )
        .await;
    assert_eq!(a.status, 200);
    let body = a.body.as_object().unwrap();
    assert_eq!(body.len(), 3);
    assert_eq!(a.body["newJailId"], "j1");
    assert_eq!(a.body["newClientId"], "j1c");
    let secret = a.body["newClientSecret"].as_str().unwrap().to_string();
    let j1c = ("j1c", secret.as_str());
    assert_eq!(
        s.call(j1c, Method::GET, "/streams/x/schema", None)
            .await
            .status,
        404
    );

    // duplicates, bad ids
    let dup = |jail: &str, client: &str| json!({"newJailId": jail, "newJailName": "x", "newClientId": client});
    assert_eq!(
        s.call(ADMIN, Method::POST, "/jails", Some(dup("j1", "fresh")))
            .await
            .status,
        409
    );
    assert_eq!(
        s.call(ADMIN, Method::POST, "/jails", Some(dup("j2", "j1c")))
            .await
            .status,
        409
    );
    assert_eq!(
        s.call(ADMIN, Method::POST, "/jails", Some(dup("bad id", "c")))
            .await
            .status,
        400
    );

    // only the root jail's clients may create or delete jails
    let a = s
        .call(j1c, Method::POST, "/jails", Some(dup("j3", "j3c")))
        .await;
    assert_eq!(a.status, 403);
    let a = s.call(j1c, Method::DELETE, "/jails/j1", None).await;
    assert_eq!(a.status, 403);
    let a = s.call(ADMIN, Method::DELETE, "/jails/root", None).await;
    assert_eq!(a.status, 403);
    let a = s.call(ADMIN, Method::DELETE, "/jails/nope", None).await;
    assert_eq!(a.status, 404);

    // deleting takes its clients and schemas with it
    assert_eq!(s.define(j1c, "s", simple_schema(1)).await.status, 200);
    let a = s.call(ADMIN, Method::DELETE, "/jails/j1", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, json!({}));
    assert_eq!(
        s.call(j1c, Method::GET, "/streams/s/schema", None)
            .await
            .status,
        401
    );
    // the id can be used again and starts empty
    let (c, sec) = s.jail("j1", "j1c").await;
    let a = s
        .call((&c, &sec), Method::GET, "/streams/s/schema", None)
        .await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let s = start().await;
    let a = s.call(ADMIN, Method::GET, "/nothing", None).await;
    assert_eq!(a.status, 404);
    assert!(a.body["message"].is_string());
    let a = s
        .call(ADMIN, Method::DELETE, "/streams/s/publish", None)
        .await;
    assert_eq!(a.status, 405);
    assert!(a.body["message"].is_string());
}

#[tokio::test]
async fn state_file_keeps_everything_across_restarts() {
    let dir = std::env::temp_dir().join(format!("streamsea-state-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let (jail_client, jail_secret, worker_secret);
    {
        let s = Server::new(builder().state_file(&path).start().await.unwrap());
        s.define(ADMIN, "kept", simple_schema(4)).await;
        worker_secret = s.client(ADMIN, "worker").await;
        let path = "/client/worker/jwt-public-key";
        let a = s
            .call(
                ("worker", &worker_secret),
                Method::PUT,
                path,
                Some(json!({"jwtPublicKey": JWT_PUBLIC})),
            )
            .await;
        assert_eq!(a.status, 200);
        (jail_client, jail_secret) = s.jail("j", "jc").await;
        s.define((&jail_client, &jail_secret), "inside", simple_schema(1))
            .await;
        s.handle.shutdown().await;
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(&worker_secret), "secrets must not be stored");
    assert!(!text.contains(ADMIN.1));
    // restarted without bootstrap clients: everything comes from the file
    let s = Server::new(
        streamsea_server::Server::builder()
            .bind("127.0.0.1:0".parse().unwrap())
            .state_file(&path)
            .start()
            .await
            .unwrap(),
    );
    let a = s
        .call(ADMIN, Method::GET, "/streams/kept/schema", None)
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["version"], 4);
    let a = s
        .call(
            (&jail_client, &jail_secret),
            Method::GET,
            "/streams/inside/schema",
            None,
        )
        .await;
    assert_eq!(a.status, 200);
    // the JWT key survived too
    let token = sign(&json!({"exp": unix_now() + 600}), JWT_PRIVATE);
    let mut ws = s.ws().await;
    assert_eq!(ws.authenticate_jwt("worker", &token).await["success"], true);
    drop(ws);
    s.handle.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn tls_serves_https() {
    let handle = builder()
        .tls_pem(TLS_CERT.as_bytes(), TLS_KEY.as_bytes())
        .start()
        .await
        .unwrap();
    assert!(handle.http_url().starts_with("https://"));
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(TLS_CERT.as_bytes()).unwrap())
        .timeout(WAIT)
        .build()
        .unwrap();
    let url = format!(
        "https://localhost:{}/api/v1/streams/s/schema",
        handle.local_addr().port()
    );
    let resp = http
        .get(&url)
        .header("Authorization", basic(ADMIN.0, ADMIN.1))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["message"], "No schema is defined for the stream [s]");
    // plain HTTP to a TLS port does not get an answer
    let plain = reqwest::Client::builder().timeout(WAIT).build().unwrap();
    let url = format!(
        "http://127.0.0.1:{}/api/v1/streams/s/schema",
        handle.local_addr().port()
    );
    assert!(plain.get(&url).send().await.is_err());
    handle.shutdown().await;
}

#[tokio::test]
async fn bad_tls_material_is_refused_at_start() {
    let err = builder().tls_pem("nope", "nope").start().await.unwrap_err();
    assert!(err.to_string().contains("TLS"), "{err}");
    let err = streamsea_server::Server::builder()
        .bind("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no client"), "{err}");
}
