//! The WebSocket protocol of PROTOCOL.md section 5, driven by a plain WebSocket
//! client: authentication, subscriptions, deliveries, groups, pings, every
//! protocol violation, the slow-consumer close and the closes that follow
//! deletions and shutdown.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const GROUP_A: &str = "6f1c2b1e-9a4d-4e2b-8c3f-1a2b3c4d5e6f";
const GROUP_B: &str = "0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b";

#[tokio::test]
async fn authenticate_subscribe_deliver() {
    let s = start().await;
    s.define(ADMIN, "boiler_data", simple_schema(1)).await;
    let mut ws = s.ws().await;
    let reply = ws.authenticate(ADMIN.0, ADMIN.1).await;
    assert_eq!(
        reply,
        json!({"id": 1, "action": "authenticate", "success": true, "payload": {"jailId": "root"}})
    );
    ws.send_json(json!({"id": 2, "action": "subscribe", "payload": "boiler_data"}))
        .await;
    assert_eq!(
        ws.recv().await,
        json!({"id": 2, "action": "subscription", "success": true, "streamName": "boiler_data", "payload": 2})
    );
    ws.next_id = 3;
    s.publish(ADMIN, "boiler_data", json!({"n": 91})).await;
    s.publish(ADMIN, "boiler_data", json!({"n": 92})).await;
    for n in [91, 92] {
        assert_eq!(
            ws.recv().await,
            json!({"id": 2, "action": "subscription", "streamName": "boiler_data", "payload": {"n": n}})
        );
    }
    // two subscriptions on one connection, each with its own id
    let other = ws.subscribe("second", None).await;
    s.define(ADMIN, "second", simple_schema(1)).await;
    s.publish(ADMIN, "second", json!({"tag": "x"})).await;
    let m = ws.recv().await;
    assert_eq!(m["id"], other);
    assert_eq!(m["streamName"], "second");
}

#[tokio::test]
async fn failed_authentication_replies_then_closes() {
    let s = start().await;
    let mut ws = s.ws().await;
    let reply = ws.authenticate(ADMIN.0, "wrong").await;
    assert_eq!(
        reply,
        json!({"id": 1, "action": "authenticate", "success": false, "error": {"message": "Invalid credentials"}})
    );
    assert_eq!(
        ws.expect_close().await,
        (1008, "authentication failed".into())
    );

    let mut ws = s.ws().await;
    let reply = ws.authenticate("nobody", "x").await;
    assert_eq!(reply["success"], false);
    assert_eq!(ws.expect_close().await.0, 1008);
}

#[tokio::test]
async fn messages_published_while_nobody_listens_are_not_kept() {
    let s = start().await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    s.publish(ADMIN, "s", json!({"n": 1})).await;
    let mut ws = s.ws_as(ADMIN).await;
    ws.subscribe("s", None).await;
    s.publish(ADMIN, "s", json!({"n": 2})).await;
    assert_eq!(ws.recv().await["payload"], json!({"n": 2}));
}

async fn collect(ws: &mut Ws, n: usize) -> Vec<i64> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(ws.recv().await["payload"]["n"].as_i64().unwrap());
    }
    out
}

#[tokio::test]
async fn default_group_splits_messages_round_robin() {
    let s = start().await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    let mut a = s.ws_as(ADMIN).await;
    let mut b = s.ws_as(ADMIN).await;
    a.subscribe("s", None).await;
    b.subscribe("s", None).await;
    let batch: Vec<Value> = (0..10).map(|n| json!({"n": n})).collect();
    assert_eq!(s.publish(ADMIN, "s", Value::Array(batch)).await.status, 200);
    let got_a = collect(&mut a, 5).await;
    let got_b = collect(&mut b, 5).await;
    let mut all: Vec<i64> = got_a.iter().chain(&got_b).copied().collect();
    all.sort();
    assert_eq!(all, (0..10).collect::<Vec<_>>());
    // round-robin: alternating
    assert!(
        got_a == [0, 2, 4, 6, 8] || got_a == [1, 3, 5, 7, 9],
        "{got_a:?}"
    );
}

#[tokio::test]
async fn same_group_id_splits_and_private_groups_each_get_all() {
    let s = start().await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    // two subscribers sharing GROUP_A split the messages
    let mut a1 = s.ws_as(ADMIN).await;
    let mut a2 = s.ws_as(ADMIN).await;
    a1.subscribe("s", Some(GROUP_A)).await;
    a2.subscribe("s", Some(&GROUP_A.to_uppercase())).await;
    // a private group (as the JavaScript client's fanout does) gets everything
    let mut b = s.ws_as(ADMIN).await;
    b.subscribe("s", Some(GROUP_B)).await;
    // the default group is a group of its own too
    let mut d = s.ws_as(ADMIN).await;
    d.subscribe("s", None).await;
    // another client's default group is separate from ours
    let other = s.client(ADMIN, "other").await;
    let mut o = s.ws_as(("other", &other)).await;
    o.subscribe("s", None).await;

    let batch: Vec<Value> = (0..6).map(|n| json!({"n": n})).collect();
    s.publish(ADMIN, "s", Value::Array(batch)).await;
    let mut shared = collect(&mut a1, 3).await;
    shared.extend(collect(&mut a2, 3).await);
    shared.sort();
    assert_eq!(shared, [0, 1, 2, 3, 4, 5]);
    assert_eq!(collect(&mut b, 6).await, [0, 1, 2, 3, 4, 5]);
    assert_eq!(collect(&mut d, 6).await, [0, 1, 2, 3, 4, 5]);
    assert_eq!(collect(&mut o, 6).await, [0, 1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn group_member_leaving_gives_the_rest_everything() {
    let s = start().await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    let mut a = s.ws_as(ADMIN).await;
    let b = s.ws_as(ADMIN).await;
    a.subscribe("s", Some(GROUP_A)).await;
    let mut b = b;
    b.subscribe("s", Some(GROUP_A)).await;
    b.inner.close(None).await.unwrap();
    // wait until the server has seen the close
    while b.next_frame().await.is_some() {}
    let mut tries = 0;
    while s.handle.connection_count() > 1 {
        assert!(
            tries < 2000,
            "the closed connection never left the registry"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
        tries += 1;
    }
    let batch: Vec<Value> = (0..4).map(|n| json!({"n": n})).collect();
    s.publish(ADMIN, "s", Value::Array(batch)).await;
    assert_eq!(collect(&mut a, 4).await, [0, 1, 2, 3]);
}

#[tokio::test]
async fn pings_arrive() {
    let s = Server::new(
        builder()
            .ping_interval(Duration::from_millis(50))
            .start()
            .await
            .unwrap(),
    );
    // pings go to every connection, authenticated or not
    let mut ws = s.ws().await;
    let mut pings = 0;
    while pings < 2 {
        match ws.next_frame().await {
            Some(Message::Ping(_)) => pings += 1,
            other => panic!("expected a ping, got {other:?}"),
        }
    }
    let reply = ws.authenticate(ADMIN.0, ADMIN.1).await;
    assert_eq!(reply["success"], true);
    loop {
        if let Some(Message::Ping(_)) = ws.next_frame().await {
            break;
        }
    }
}

async fn violation(s: &Server, frames: &[&str]) -> (Vec<Value>, Ended) {
    let mut ws = s.ws().await;
    for f in frames {
        ws.send_text(f).await;
    }
    ws.until_closed().await
}

fn closed_1008(ended: &Ended, needle: &str) {
    match ended {
        Ended::Closed(1008, reason) => {
            assert!(reason.contains(needle), "{reason:?} lacks {needle:?}")
        }
        other => panic!("expected close 1008 with {needle:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn violations_before_authentication_close_the_connection() {
    let s = start().await;
    let auth = format!(
        r#"{{"id":1,"action":"authenticate","payload":{{"type":"basic","clientId":"{}","clientSecret":"{}"}}}}"#,
        ADMIN.0, ADMIN.1
    );

    // not JSON
    let (seen, ended) = violation(&s, &["hello"]).await;
    assert!(seen.is_empty());
    closed_1008(&ended, "not JSON");
    // JSON but not an object
    let (_, ended) = violation(&s, &["[1,2]"]).await;
    closed_1008(&ended, "JSON object");
    // missing id
    let (_, ended) = violation(&s, &[r#"{"action":"authenticate"}"#]).await;
    closed_1008(&ended, "no `id`");
    // wrong first id
    let (_, ended) = violation(&s, &[&auth.replace("\"id\":1", "\"id\":2")]).await;
    closed_1008(&ended, "expected message id 1, got 2");
    // subscribe before authenticating: an error reply, then the close
    let (seen, ended) = violation(&s, &[r#"{"id":1,"action":"subscribe","payload":"s"}"#]).await;
    assert_eq!(
        seen,
        [json!({"id": 1, "action": "subscription", "success": false,
                "error": {"message": "Not authenticated: message 1 must be authenticate"}})]
    );
    closed_1008(&ended, "not authenticated");
    // missing action with id 1
    let (seen, ended) = violation(&s, &[r#"{"id":1}"#]).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["success"], false);
    assert_eq!(
        seen[0]["error"]["message"],
        "message 1: the message has no `action`"
    );
    closed_1008(&ended, "not authenticated");
    // unknown authentication type
    let (seen, ended) = violation(
        &s,
        &[r#"{"id":1,"action":"authenticate","payload":{"type":"magic"}}"#],
    )
    .await;
    assert_eq!(seen[0]["action"], "authenticate");
    assert_eq!(seen[0]["success"], false);
    assert!(seen[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("payload.type"));
    closed_1008(&ended, "authentication failed");
    // a binary frame
    let mut ws = s.ws().await;
    ws.inner
        .send(Message::binary(vec![1u8, 2, 3]))
        .await
        .unwrap();
    assert_eq!(ws.expect_close().await.0, 1003);
}

use futures_util::SinkExt;

#[tokio::test]
async fn violations_after_authentication() {
    let s = start().await;
    let mut ws = s.ws_as(ADMIN).await;

    // authenticate twice: an error reply, the connection stays
    let id = ws
        .request(
            "authenticate",
            json!({"type": "basic", "clientId": ADMIN.0, "clientSecret": ADMIN.1}),
        )
        .await;
    assert_eq!(
        ws.recv().await,
        json!({"id": id, "action": "authenticate", "success": false,
               "error": {"message": "Already authenticated: only message 1 may authenticate"}})
    );
    // unknown action: an error reply with that action
    let id = ws.request("dance", json!(null)).await;
    assert_eq!(
        ws.recv().await,
        json!({"id": id, "action": "dance", "success": false,
               "error": {"message": format!("message {id} (dance): unknown action \"dance\"")}})
    );
    // a bad groupId
    let id = ws.next_id;
    ws.next_id += 1;
    ws.send_json(json!({"id": id, "action": "subscribe", "payload": "s", "groupId": "not-a-uuid"}))
        .await;
    let reply = ws.recv().await;
    assert_eq!(reply["id"], id);
    assert_eq!(reply["action"], "subscription");
    assert_eq!(reply["success"], false);
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("groupId"),
        "{reply}"
    );
    // a bad stream name, a payload of the wrong type
    let id = ws.request("subscribe", json!("no spaces allowed")).await;
    let reply = ws.recv().await;
    assert_eq!(
        (reply["id"].as_u64(), reply["success"].as_bool()),
        (Some(id), Some(false))
    );
    let id = ws.request("subscribe", json!({"stream": "s"})).await;
    let reply = ws.recv().await;
    assert_eq!(
        (reply["id"].as_u64(), reply["success"].as_bool()),
        (Some(id), Some(false))
    );
    // missing action: an error reply
    let id = ws.next_id;
    ws.next_id += 1;
    ws.send_json(json!({"id": id})).await;
    assert_eq!(ws.recv().await["success"], false);
    // still working
    ws.subscribe("s", None).await;

    // wrong id order closes
    let id = ws.next_id + 5;
    ws.send_json(json!({"id": id, "action": "subscribe", "payload": "s"}))
        .await;
    let (seen, ended) = ws.until_closed().await;
    assert!(seen.is_empty());
    closed_1008(
        &ended,
        &format!("expected message id {}, got {id}", ws.next_id),
    );

    // not JSON after authentication closes
    let mut ws = s.ws_as(ADMIN).await;
    ws.send_text("{oops").await;
    let (_, ended) = ws.until_closed().await;
    closed_1008(&ended, "not JSON");

    // a repeated id closes
    let mut ws = s.ws_as(ADMIN).await;
    ws.send_json(json!({"id": 1, "action": "subscribe", "payload": "s"}))
        .await;
    let (_, ended) = ws.until_closed().await;
    closed_1008(&ended, "expected message id 2, got 1");
}

#[tokio::test]
async fn oversized_messages_close_with_1009() {
    let s = start_with(streamsea_server::Limits {
        max_frame_bytes: 1024,
        ..Default::default()
    })
    .await;
    let mut ws = s.ws_as(ADMIN).await;
    ws.send_json(json!({"id": 2, "action": "subscribe", "payload": "x".repeat(5000)}))
        .await;
    let (seen, ended) = ws.until_closed().await;
    assert!(seen.is_empty());
    match ended {
        Ended::Closed(code, reason) => {
            assert_eq!(code, 1009);
            assert!(reason.contains("1024"), "{reason}");
        }
        Ended::Dropped => panic!("expected a close frame"),
    }
}

#[tokio::test]
async fn a_batch_larger_than_the_queue_reaches_a_subscriber_that_keeps_up() {
    let s = start_with(streamsea_server::Limits {
        outbound_queue: 4,
        ..Default::default()
    })
    .await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    let mut ws = s.ws_as(ADMIN).await;
    ws.subscribe("s", None).await;
    for round in 0..3 {
        let batch: Vec<Value> = (0..40).map(|n| json!({"n": round * 100 + n})).collect();
        assert_eq!(s.publish(ADMIN, "s", Value::Array(batch)).await.status, 200);
        for n in 0..40 {
            assert_eq!(ws.recv().await["payload"]["n"], round * 100 + n);
        }
    }
    assert_eq!(s.handle.connection_count(), 1);
}

#[tokio::test]
async fn slow_consumer_is_closed_with_1008() {
    let s = start_with(streamsea_server::Limits {
        outbound_queue: 4,
        max_body_bytes: 1 << 20,
        ..Default::default()
    })
    .await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    let mut slow = s.ws_as(ADMIN).await;
    slow.subscribe("s", Some(GROUP_A)).await;
    let mut fast = s.ws_as(ADMIN).await;
    fast.subscribe("s", Some(GROUP_B)).await;
    // the slow one stops reading; publish until the server gives up on it
    // (its connection leaves the registry at once), reading the fast one
    let tag = "x".repeat(64 * 1024);
    let mut published = 0;
    while s.handle.connection_count() == 2 {
        assert!(published < 2048, "the slow consumer was never closed");
        let a = s
            .publish(ADMIN, "s", json!({"n": published, "tag": tag}))
            .await;
        assert_eq!(a.status, 200);
        assert_eq!(fast.recv().await["payload"]["n"], published);
        published += 1;
    }
    // now read the slow one: some deliveries, then the close
    let (seen, ended) = slow.until_closed().await;
    assert!(
        seen.len() < published as usize,
        "the slow consumer got everything"
    );
    assert_eq!(ended, Ended::Closed(1008, "slow consumer".into()));
    // the publisher and the other subscriber are unaffected
    s.publish(ADMIN, "s", json!({"n": 9999})).await;
    assert_eq!(fast.recv().await["payload"]["n"], 9999);
}

#[tokio::test]
async fn deleting_a_client_closes_its_connections() {
    let s = start().await;
    let secret = s.client(ADMIN, "doomed").await;
    let mut ws = s.ws_as(("doomed", &secret)).await;
    ws.subscribe("s", None).await;
    let mut other = s.ws_as(ADMIN).await;
    assert_eq!(
        s.call(ADMIN, Method::DELETE, "/client/doomed", None)
            .await
            .status,
        200
    );
    assert_eq!(ws.expect_close().await, (1008, "client deleted".into()));
    // reconnecting fails
    let mut again = s.ws().await;
    assert_eq!(
        again.authenticate("doomed", &secret).await["success"],
        false
    );
    // other connections stay
    other.subscribe("s", None).await;
}

#[tokio::test]
async fn deleting_a_jail_closes_its_connections() {
    let s = start().await;
    let (c, secret) = s.jail("gone", "gone_client").await;
    let mut ws = s.ws_as((&c, &secret)).await;
    assert_eq!(
        s.call(ADMIN, Method::DELETE, "/jails/gone", None)
            .await
            .status,
        200
    );
    assert_eq!(ws.expect_close().await, (1008, "jail deleted".into()));
}

#[tokio::test]
async fn shutdown_closes_connections_with_1001() {
    let s = start().await;
    let mut ws = s.ws_as(ADMIN).await;
    let mut fresh = s.ws().await;
    let Server { handle, .. } = s;
    let stopping = tokio::spawn(handle.shutdown());
    assert_eq!(
        ws.expect_close().await,
        (1001, "server shutting down".into())
    );
    assert_eq!(fresh.expect_close().await.0, 1001);
    stopping.await.unwrap();
}

#[tokio::test]
async fn connections_that_never_authenticate_are_closed() {
    let s = Server::new(
        builder()
            .auth_timeout(Duration::from_millis(200))
            .start()
            .await
            .unwrap(),
    );
    let mut ws = s.ws().await;
    assert_eq!(
        ws.expect_close().await,
        (1008, "authentication timeout".into())
    );
    // an authenticated connection is not affected
    let mut ok = s.ws_as(ADMIN).await;
    ok.subscribe("s", None).await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    s.publish(ADMIN, "s", json!({"n": 1})).await;
    assert_eq!(ok.recv().await["payload"], json!({"n": 1}));
}

#[tokio::test]
async fn subscriptions_per_connection_are_capped() {
    let s = start_with(streamsea_server::Limits {
        max_subscriptions: 2,
        ..Default::default()
    })
    .await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    let mut ws = s.ws_as(ADMIN).await;
    ws.subscribe("s", Some(GROUP_A)).await;
    ws.subscribe("s", Some(GROUP_B)).await;
    let id = ws.request("subscribe", json!("s")).await;
    let reply = ws.recv().await;
    assert_eq!(reply["id"], id);
    assert_eq!(reply["success"], false);
    let message = reply["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("Too many subscriptions"), "{reply}");
    // the connection goes on with the two it has
    s.publish(ADMIN, "s", json!({"n": 1})).await;
    assert_eq!(ws.recv().await["payload"]["n"], 1);
    assert_eq!(ws.recv().await["payload"]["n"], 1);
}

#[tokio::test]
async fn a_connections_share_of_one_publish_is_bounded_in_bytes() {
    let s = start_with(streamsea_server::Limits {
        outbound_queue_bytes: 4096,
        ..Default::default()
    })
    .await;
    s.define(ADMIN, "s", simple_schema(1)).await;
    // three copies of every message on one connection: its share of a 2 KB
    // message is over 4 KB
    let mut greedy = s.ws_as(ADMIN).await;
    for group in [GROUP_A, GROUP_B, "11111111-2222-4333-8444-555555555555"] {
        greedy.subscribe("s", Some(group)).await;
    }
    let mut single = s.ws_as(ADMIN).await;
    single.subscribe("s", None).await;
    let tag = "x".repeat(2000);
    assert_eq!(
        s.publish(ADMIN, "s", json!({"n": 1, "tag": tag}))
            .await
            .status,
        200
    );
    assert_eq!(single.recv().await["payload"]["n"], 1);
    let (seen, ended) = greedy.until_closed().await;
    assert!(seen.is_empty(), "{seen:?}");
    assert_eq!(ended, Ended::Closed(1008, "slow consumer".into()));
}
