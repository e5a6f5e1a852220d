//! JWT access (PROTOCOL.md section 6) and the Filter DSL on deliveries (section 7):
//! only RS512 tokens signed with the client's current key and not expired are
//! accepted; claims shape what the bearer receives.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn with_key() -> Server {
    let s = start().await;
    let a = s
        .call(
            ADMIN,
            Method::PUT,
            "/client/admin/jwt-public-key",
            Some(json!({"jwtPublicKey": JWT_PUBLIC})),
        )
        .await;
    assert_eq!(a.status, 200);
    s.define(ADMIN, "s", simple_schema(1)).await;
    s.define(ADMIN, "t", simple_schema(1)).await;
    s
}

fn later() -> u64 {
    unix_now() + 3600
}

async fn jwt_auth(s: &Server, client: &str, token: &str) -> (Ws, Value) {
    let mut ws = s.ws().await;
    let reply = ws.authenticate_jwt(client, token).await;
    (ws, reply)
}

async fn refused(s: &Server, client: &str, token: &str) {
    let (mut ws, reply) = jwt_auth(s, client, token).await;
    assert_eq!(
        reply,
        json!({"id": 1, "action": "authenticate", "success": false, "error": {"message": "Invalid credentials"}}),
        "token {token}"
    );
    assert_eq!(
        ws.expect_close().await,
        (1008, "authentication failed".into())
    );
}

fn tampered(token: &str, claims: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!(
        "{}.{}.{}",
        parts[0],
        b64url(claims.to_string().as_bytes()),
        parts[2]
    )
}

#[tokio::test]
async fn only_the_right_rs512_token_is_accepted() {
    let s = with_key().await;
    let claims = json!({"exp": later(), "mustFanout": true});

    // valid
    let good = sign(&claims, JWT_PRIVATE);
    let (mut ws, reply) = jwt_auth(&s, "admin", &good).await;
    assert_eq!(
        reply,
        json!({"id": 1, "action": "authenticate", "success": true, "payload": {"jailId": "root"}})
    );
    ws.subscribe("s", None).await;
    s.publish(ADMIN, "s", json!({"n": 1})).await;
    assert_eq!(ws.recv().await["payload"], json!({"n": 1}));

    // expired
    refused(
        &s,
        "admin",
        &sign(&json!({"exp": unix_now() - 10}), JWT_PRIVATE),
    )
    .await;
    // no exp
    refused(
        &s,
        "admin",
        &sign(&json!({"mustFanout": true}), JWT_PRIVATE),
    )
    .await;
    // signed with another key
    refused(&s, "admin", &sign(&claims, OTHER_PRIVATE)).await;
    // alg none
    let none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(claims.to_string().as_bytes())
    );
    refused(&s, "admin", &none).await;
    // HS512 with the public key as the HMAC secret
    let hs = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_PUBLIC.as_bytes()),
    )
    .unwrap();
    refused(&s, "admin", &hs).await;
    // RS256 with the right key: another algorithm all the same
    let rs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_rsa_pem(JWT_PRIVATE.as_bytes()).unwrap(),
    )
    .unwrap();
    refused(&s, "admin", &rs256).await;
    // tampered payload, original signature
    refused(
        &s,
        "admin",
        &tampered(&good, &json!({"exp": later() + 1, "mustFanout": false})),
    )
    .await;
    // garbage
    refused(&s, "admin", "a.b.c").await;
    // a client without a key, an unknown client
    let other = s.client(ADMIN, "keyless").await;
    assert!(!other.is_empty());
    refused(&s, "keyless", &good).await;
    refused(&s, "ghost", &good).await;
    // a filter claim that is not a filter
    refused(
        &s,
        "admin",
        &sign(
            &json!({"exp": later(), "filter": {"t": "nope"}}),
            JWT_PRIVATE,
        ),
    )
    .await;
}

#[tokio::test]
async fn rotating_or_removing_the_key_refuses_old_tokens() {
    let s = with_key().await;
    let token = sign(&json!({"exp": later()}), JWT_PRIVATE);
    let (_, reply) = jwt_auth(&s, "admin", &token).await;
    assert_eq!(reply["success"], true);
    let path = "/client/admin/jwt-public-key";
    s.call(
        ADMIN,
        Method::PUT,
        path,
        Some(json!({"jwtPublicKey": OTHER_PUBLIC})),
    )
    .await;
    refused(&s, "admin", &token).await;
    let (_, reply) = jwt_auth(&s, "admin", &sign(&json!({"exp": later()}), OTHER_PRIVATE)).await;
    assert_eq!(reply["success"], true);
    s.call(
        ADMIN,
        Method::PUT,
        path,
        Some(json!({"jwtPublicKey": null})),
    )
    .await;
    refused(&s, "admin", &sign(&json!({"exp": later()}), OTHER_PRIVATE)).await;
}

#[tokio::test]
async fn the_connection_closes_when_exp_passes() {
    let s = with_key().await;
    let token = sign(&json!({"exp": unix_now() + 3}), JWT_PRIVATE);
    let (mut ws, reply) = jwt_auth(&s, "admin", &token).await;
    assert_eq!(reply["success"], true);
    ws.subscribe("s", None).await;
    let (_, ended) = ws.until_closed().await;
    assert_eq!(ended, Ended::Closed(1008, "token expired".into()));
    // reconnecting with it fails
    refused(&s, "admin", &token).await;
}

#[tokio::test]
async fn must_fanout_gives_every_subscription_its_own_group() {
    let s = with_key().await;
    let group = "6f1c2b1e-9a4d-4e2b-8c3f-1a2b3c4d5e6f";
    let fan = sign(&json!({"exp": later(), "mustFanout": true}), JWT_PRIVATE);
    let (mut a, _) = jwt_auth(&s, "admin", &fan).await;
    let (mut b, _) = jwt_auth(&s, "admin", &fan).await;
    a.subscribe("s", Some(group)).await;
    b.subscribe("s", Some(group)).await;
    // without mustFanout the same groupId splits
    let share = sign(&json!({"exp": later(), "mustFanout": false}), JWT_PRIVATE);
    let (mut c, _) = jwt_auth(&s, "admin", &share).await;
    let (mut d, _) = jwt_auth(&s, "admin", &share).await;
    c.subscribe("s", Some(group)).await;
    d.subscribe("s", Some(group)).await;

    let batch: Vec<Value> = (0..4).map(|n| json!({"n": n})).collect();
    s.publish(ADMIN, "s", Value::Array(batch)).await;
    for ws in [&mut a, &mut b] {
        for n in 0..4 {
            assert_eq!(ws.recv().await["payload"]["n"], n);
        }
    }
    let mut split = Vec::new();
    for ws in [&mut c, &mut d] {
        for _ in 0..2 {
            split.push(ws.recv().await["payload"]["n"].as_i64().unwrap());
        }
    }
    split.sort();
    assert_eq!(split, [0, 1, 2, 3]);
}

#[tokio::test]
async fn filters_decide_what_a_bearer_receives() {
    let s = with_key().await;
    // only tag "keep" on stream s, or anything with n == 7
    let filter = json!({"t": "or", "e": [
        {"t": "and", "e": [
            {"t": "eq", "e": [{"t": "meta", "e": "streamName"}, {"t": "string", "e": "s"}]},
            {"t": "eq", "e": [{"t": "path", "e": "tag"}, {"t": "string", "e": "keep"}]}
        ]},
        {"t": "eq", "e": [{"t": "path", "e": "n"}, {"t": "number", "e": 7}]}
    ]});
    let token = sign(
        &json!({"exp": later(), "mustFanout": true, "filter": filter}),
        JWT_PRIVATE,
    );
    let (mut f, reply) = jwt_auth(&s, "admin", &token).await;
    assert_eq!(reply["success"], true);
    f.subscribe("s", None).await;
    f.subscribe("t", None).await;
    // a bearer without a filter receives everything
    let open = sign(&json!({"exp": later(), "mustFanout": true}), JWT_PRIVATE);
    let (mut all, _) = jwt_auth(&s, "admin", &open).await;
    all.subscribe("s", None).await;
    all.subscribe("t", None).await;

    let sent = [
        ("s", json!({"n": 1, "tag": "drop"})),
        ("s", json!({"n": 2, "tag": "keep"})),
        ("t", json!({"n": 3, "tag": "keep"})),
        ("t", json!({"n": 7})),
        ("s", json!({"n": 5})),
        ("s", json!({"n": 6, "tag": "keep"})),
    ];
    for (stream, payload) in &sent {
        assert_eq!(s.publish(ADMIN, stream, payload.clone()).await.status, 200);
    }
    for (stream, payload) in &sent {
        let m = all.recv().await;
        assert_eq!((&m["streamName"], &m["payload"]), (&json!(stream), payload));
    }
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(f.recv().await["payload"]["n"].as_i64().unwrap());
    }
    assert_eq!(got, [2, 7, 6]);
}

#[tokio::test]
async fn filtered_members_of_a_shared_group_are_skipped() {
    let s = with_key().await;
    let group = "0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b";
    let only_even =
        json!({"t": "eq", "e": [{"t": "path", "e": "tag"}, {"t": "string", "e": "even"}]});
    let token = sign(&json!({"exp": later(), "filter": only_even}), JWT_PRIVATE);
    let (mut filtered, _) = jwt_auth(&s, "admin", &token).await;
    filtered.subscribe("s", Some(group)).await;
    let mut plain = s.ws_as(ADMIN).await;
    plain.subscribe("s", Some(group)).await;
    // odd messages can only go to the unfiltered member; every message goes to exactly one
    let batch: Vec<Value> = (0..6)
        .map(|n| json!({"n": n, "tag": if n % 2 == 0 { "even" } else { "odd" }}))
        .collect();
    s.publish(ADMIN, "s", Value::Array(batch)).await;
    s.publish(ADMIN, "s", json!({"n": 100, "tag": "odd"})).await;
    let mut from_plain = Vec::new();
    loop {
        let n = plain.recv().await["payload"]["n"].as_i64().unwrap();
        if n == 100 {
            break;
        }
        from_plain.push(n);
    }
    let mut from_filtered = Vec::new();
    for _ in 0..(6 - from_plain.len()) {
        from_filtered.push(filtered.recv().await["payload"]["n"].as_i64().unwrap());
    }
    assert!(
        from_filtered.iter().all(|n| n % 2 == 0),
        "{from_filtered:?}"
    );
    let mut all: Vec<i64> = from_plain.iter().chain(&from_filtered).copied().collect();
    all.sort();
    assert_eq!(all, [0, 1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_token_that_expires_beyond_any_clock_is_served() {
    let s = with_key().await;
    let token = sign(&json!({"exp": u64::MAX, "mustFanout": true}), JWT_PRIVATE);
    let (mut ws, reply) = jwt_auth(&s, "admin", &token).await;
    assert_eq!(reply["success"], true, "{reply}");
    ws.subscribe("s", None).await;
    s.publish(ADMIN, "s", json!({"n": 7})).await;
    assert_eq!(ws.recv().await["payload"]["n"], 7);
}
