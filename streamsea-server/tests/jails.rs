//! Jails are walls: for every endpoint, a client of one jail neither sees nor
//! changes anything of another jail (streams, schemas, clients, deliveries).
//! The root jail's clients may create and delete jails, nothing more.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

struct Two {
    s: Server,
    a: (String, String),
    b: (String, String),
}

impl Two {
    fn a(&self) -> (&str, &str) {
        (&self.a.0, &self.a.1)
    }
    fn b(&self) -> (&str, &str) {
        (&self.b.0, &self.b.1)
    }
}

async fn two_jails() -> Two {
    let s = start().await;
    let a = s.jail("jail_a", "client_a").await;
    let b = s.jail("jail_b", "client_b").await;
    let two = Two { s, a, b };
    let def = json!({"version": 5, "fields": [{"name": "secret_field", "type": "string"}]});
    assert_eq!(two.s.define(two.a(), "shared_name", def).await.status, 200);
    two
}

#[tokio::test]
async fn schemas_and_streams_are_per_jail() {
    let t = two_jails().await;
    let (s, b) = (&t.s, t.b());
    // describe: B does not see A's schema
    let a = s
        .call(b, Method::GET, "/streams/shared_name/schema", None)
        .await;
    assert_eq!(a.status, 404);
    // versions vector: null for B
    let a = s
        .call(
            b,
            Method::POST,
            "/schema-versions-vector",
            Some(json!({"schemaNames": ["shared_name"]})),
        )
        .await;
    assert_eq!(a.body, json!({"versionsVector": [null]}));
    // publish: B has no schema there
    let a = s
        .publish(b, "shared_name", json!({"secret_field": "x"}))
        .await;
    assert_eq!(a.status, 404);
    // root sees nothing of A either
    let a = s
        .call(ADMIN, Method::GET, "/streams/shared_name/schema", None)
        .await;
    assert_eq!(a.status, 404);
    // define: B's own definition, even a lower version, leaves A's alone
    let mine = json!({"version": 1, "fields": [{"name": "n", "type": "integer"}]});
    assert_eq!(s.define(b, "shared_name", mine.clone()).await.status, 200);
    let a = s
        .call(t.a(), Method::GET, "/streams/shared_name/schema", None)
        .await;
    assert_eq!(a.body["version"], 5);
    let a = s
        .call(b, Method::GET, "/streams/shared_name/schema", None)
        .await;
    assert_eq!(a.body["version"], 1);
    // validation uses the caller's jail's schema
    assert_eq!(
        s.publish(b, "shared_name", json!({"n": 1})).await.status,
        200
    );
    assert_eq!(
        s.publish(t.a(), "shared_name", json!({"n": 1}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn deliveries_stay_in_their_jail() {
    let t = two_jails().await;
    let s = &t.s;
    s.define(
        t.b(),
        "shared_name",
        json!({"version": 1, "fields": [{"name": "secret_field", "type": "string"}]}),
    )
    .await;
    let mut sub_a = s.ws_as(t.a()).await;
    sub_a.subscribe("shared_name", None).await;
    let mut sub_b = s.ws_as(t.b()).await;
    sub_b.subscribe("shared_name", None).await;
    // a root subscriber on the same name
    let mut sub_root = s.ws_as(ADMIN).await;
    sub_root.subscribe("shared_name", None).await;
    s.define(
        ADMIN,
        "shared_name",
        json!({"version": 1, "fields": [{"name": "secret_field", "type": "string"}]}),
    )
    .await;

    for (who, tag) in [(t.a(), "from_a"), (t.b(), "from_b"), (ADMIN, "from_root")] {
        let a = s
            .publish(who, "shared_name", json!({"secret_field": tag}))
            .await;
        assert_eq!(a.status, 200);
    }
    let first = |v: Value| v["payload"]["secret_field"].as_str().unwrap().to_string();
    assert_eq!(first(sub_a.recv().await), "from_a");
    assert_eq!(first(sub_b.recv().await), "from_b");
    assert_eq!(first(sub_root.recv().await), "from_root");
    // and nothing else arrived after: the next message each sees is its own jail's
    for (who, ws, tag) in [
        (t.a(), &mut sub_a, "a2"),
        (t.b(), &mut sub_b, "b2"),
        (ADMIN, &mut sub_root, "root2"),
    ] {
        s.publish(who, "shared_name", json!({"secret_field": tag}))
            .await;
        assert_eq!(first(ws.recv().await), tag);
    }
    // the authentication reply names the caller's own jail
    let mut ws = s.ws().await;
    let reply = ws.authenticate(&t.b.0, &t.b.1).await;
    assert_eq!(reply["payload"], json!({"jailId": "jail_b"}));
}

#[tokio::test]
async fn admin_calls_cannot_reach_across() {
    let t = two_jails().await;
    let (s, a, b) = (&t.s, t.a(), t.b());
    let a_extra = s.client(a, "a_extra").await;

    // delete a client of another jail: 403, and it still works
    let r = s.call(b, Method::DELETE, "/client/a_extra", None).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        s.call(
            ("a_extra", &a_extra),
            Method::GET,
            "/streams/x/schema",
            None
        )
        .await
        .status,
        404
    );
    // root cannot delete a client of another jail either
    let r = s.call(ADMIN, Method::DELETE, "/client/a_extra", None).await;
    assert_eq!(r.status, 403);
    // rotate another's secret, set another's key
    let r = s.call(b, Method::PUT, "/client/a_extra", None).await;
    assert_eq!(r.status, 403);
    let r = s
        .call(
            b,
            Method::PUT,
            "/client/a_extra/jwt-public-key",
            Some(json!({"jwtPublicKey": JWT_PUBLIC})),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        s.call(
            ("a_extra", &a_extra),
            Method::GET,
            "/streams/x/schema",
            None
        )
        .await
        .status,
        404
    );
    // create a client: B's new client lands in B
    let b_new = s.client(b, "b_new").await;
    let mut ws = s.ws().await;
    assert_eq!(
        ws.authenticate("b_new", &b_new).await["payload"],
        json!({"jailId": "jail_b"})
    );
    // client ids are unique across jails (a Basic credential names no jail)
    let r = s
        .call(
            b,
            Method::POST,
            "/client",
            Some(json!({"clientId": "a_extra"})),
        )
        .await;
    assert_eq!(r.status, 409);
    // jails: only root
    let r = s
        .call(
            b,
            Method::POST,
            "/jails",
            Some(json!({"newJailId": "j3", "newJailName": "x", "newClientId": "c3"})),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = s.call(b, Method::DELETE, "/jails/jail_a", None).await;
    assert_eq!(r.status, 403);
    let r = s.call(a, Method::DELETE, "/jails/jail_b", None).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        s.call(b, Method::GET, "/streams/x/schema", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn jwt_bearers_stay_in_the_issuers_jail() {
    let t = two_jails().await;
    let (s, a, b) = (&t.s, t.a(), t.b());
    let path = format!("/client/{}/jwt-public-key", t.b.0);
    assert_eq!(
        s.call(
            b,
            Method::PUT,
            &path,
            Some(json!({"jwtPublicKey": JWT_PUBLIC}))
        )
        .await
        .status,
        200
    );
    let token = sign(&json!({"exp": unix_now() + 600}), JWT_PRIVATE);
    let mut ws = s.ws().await;
    let reply = ws.authenticate_jwt(&t.b.0, &token).await;
    assert_eq!(reply["payload"], json!({"jailId": "jail_b"}));
    ws.subscribe("shared_name", None).await;
    s.publish(a, "shared_name", json!({"secret_field": "a"}))
        .await;
    s.define(
        b,
        "shared_name",
        json!({"version": 1, "fields": [{"name": "secret_field", "type": "string"}]}),
    )
    .await;
    s.publish(b, "shared_name", json!({"secret_field": "b"}))
        .await;
    assert_eq!(ws.recv().await["payload"], json!({"secret_field": "b"}));
    // the same token presented for a client of another jail is refused
    let mut other = s.ws().await;
    assert_eq!(
        other.authenticate_jwt(&t.a.0, &token).await["success"],
        false
    );
}
