//! A rogue WebSocket server, scripted per connection, that sends non-JSON,
//! unknown ids, wrong actions, oversized frames, goes silent, and closes
//! abruptly: the client reports errors or reconnects, never panics or hangs.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use streamsea_client::{
    Client, ConnectionEvent, ConnectionState, Interruption, NetworkCause, ReconnectPolicy,
    SubscribeError, SubscribeOptions,
};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// One step of a scripted connection.
#[derive(Clone)]
enum Step {
    /// Reads the authentication frame and accepts it.
    AuthOk,
    /// Reads the authentication frame and refuses it.
    AuthFail,
    /// Reads one frame and answers nothing.
    Read,
    /// Reads a subscription and confirms it.
    SubOk,
    /// Reads a subscription and confirms it with the given action.
    SubOkAs(&'static str),
    /// Reads a subscription and refuses it.
    SubRefuse,
    /// Sends a text frame; `{id}` stands for the last subscription's id.
    Send(String),
    /// Sends a binary frame.
    Binary,
    /// Drops the TCP connection without a close frame.
    Drop,
    /// Keeps the connection open, reading (and ignoring) frames, sending nothing.
    Hold,
}

struct Rogue {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    /// The frames each connection received.
    frames: Arc<Mutex<Vec<Vec<Value>>>>,
}

impl Rogue {
    /// Connection `i` runs `scripts[i]` (the last script repeats).
    async fn start(scripts: Vec<Vec<Step>>) -> Rogue {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let frames = Arc::new(Mutex::new(Vec::new()));
        let (c, f) = (connections.clone(), frames.clone());
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let i = c.fetch_add(1, Ordering::SeqCst);
                let script = scripts[i.min(scripts.len() - 1)].clone();
                let f = f.clone();
                f.lock().unwrap().push(Vec::new());
                tokio::spawn(async move {
                    let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                        return;
                    };
                    let mut sub_id = 0u64;
                    let record = |v: Value| f.lock().unwrap()[i].push(v);
                    for step in script {
                        match step {
                            Step::AuthOk
                            | Step::AuthFail
                            | Step::Read
                            | Step::SubOk
                            | Step::SubOkAs(_)
                            | Step::SubRefuse => {
                                let frame = loop {
                                    match ws.next().await {
                                        Some(Ok(Message::Text(t))) => break t,
                                        Some(Ok(_)) => continue,
                                        _ => return,
                                    }
                                };
                                let v: Value = serde_json::from_str(frame.as_str()).unwrap();
                                let id = v["id"].as_u64().unwrap();
                                record(v.clone());
                                let reply = match step {
                                    Step::AuthOk => {
                                        json!({"id": id, "action": "authenticate", "success": true, "payload": {"jailId": "rogue"}})
                                    }
                                    Step::AuthFail => {
                                        json!({"id": id, "action": "authenticate", "success": false, "error": {"message": "Invalid credentials"}})
                                    }
                                    Step::SubOk => {
                                        sub_id = id;
                                        json!({"id": id, "action": "subscription", "success": true, "streamName": v["payload"], "payload": id})
                                    }
                                    Step::SubOkAs(action) => {
                                        sub_id = id;
                                        json!({"id": id, "action": action, "success": true, "streamName": v["payload"], "payload": id})
                                    }
                                    Step::SubRefuse => {
                                        json!({"id": id, "action": "subscription", "success": false, "error": {"message": "no such stream here"}})
                                    }
                                    _ => continue,
                                };
                                if ws.send(Message::text(reply.to_string())).await.is_err() {
                                    return;
                                }
                            }
                            Step::Send(text) => {
                                let text = text.replace("{id}", &sub_id.to_string());
                                if ws.send(Message::text(text)).await.is_err() {
                                    return;
                                }
                            }
                            Step::Binary => {
                                if ws.send(Message::binary(vec![1u8, 2, 3])).await.is_err() {
                                    return;
                                }
                            }
                            Step::Drop => return,
                            Step::Hold => {
                                while let Some(Ok(m)) = ws.next().await {
                                    if let Message::Text(t) = m {
                                        if let Ok(v) = serde_json::from_str(t.as_str()) {
                                            record(v);
                                        }
                                    }
                                }
                                return;
                            }
                        }
                    }
                });
            }
        });
        Rogue {
            addr,
            connections,
            frames,
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The (id, action) of every frame each connection received.
    fn received(&self) -> Vec<Vec<(u64, String)>> {
        self.frames
            .lock()
            .unwrap()
            .iter()
            .map(|c| {
                c.iter()
                    .map(|v| {
                        (
                            v["id"].as_u64().unwrap_or(0),
                            v["action"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    fn client(&self) -> streamsea_client::ClientBuilder {
        builder_for(self.addr).basic("rogue-client", "secret")
    }
}

fn delivery(seq: i64) -> Step {
    Step::Send(format!(
        r#"{{"id": {{id}}, "action": "subscription", "streamName": "s", "payload": {{"seq": {seq}}}}}"#
    ))
}

fn text(s: &str) -> Step {
    Step::Send(s.to_string())
}

fn auth_and_subscribe() -> (u64, String, u64, String) {
    (1, "authenticate".into(), 2, "subscribe".into())
}

#[tokio::test]
async fn garbage_unknown_ids_wrong_actions_and_abrupt_closes() {
    let rogue = Rogue::start(vec![
        vec![
            Step::AuthOk,
            Step::SubOk,
            delivery(1),
            // A delivery for an id never used.
            text(r#"{"id": 99, "action": "subscription", "streamName": "s", "payload": {"seq": -1}}"#),
            // A wrong action for the subscription's id.
            text(r#"{"id": {id}, "action": "dance"}"#),
            // An error reply for an id never used.
            text(r#"{"id": 77, "action": "subscription", "success": false, "error": {"message": "?"}}"#),
            // A reply to the authentication, again.
            text(r#"{"id": 1, "action": "authenticate", "success": true, "payload": {"jailId": "x"}}"#),
            Step::Binary,
            // Not JSON at all: nothing can be routed, the connection is dropped.
            text("this is not JSON {"),
            Step::Hold,
        ],
        vec![Step::AuthOk, Step::SubOk, delivery(2), Step::Drop],
        vec![Step::AuthOk, Step::SubOk, delivery(3), Step::Hold],
    ])
    .await;
    let client = rogue.client().build().unwrap();
    let mut events = client.events();
    let mut sub = client.subscribe_json("s").await.unwrap();

    assert_eq!(next_ok(&mut sub).await, json!({"seq": 1}));
    match next(&mut sub).await {
        Some(Err(SubscribeError::Protocol { stream, reason })) => {
            assert_eq!(stream, "s");
            assert!(reason.contains("dance"), "{reason}");
        }
        other => panic!("expected a protocol error item, got {other:?}"),
    }
    // The stream goes on across two reconnections, each marked where it
    // happened.
    for seq in [2, 3] {
        match next_interruption(&mut sub).await {
            Interruption::Reconnected { cause } => {
                let expected = if seq == 2 { "not JSON" } else { "connection" };
                assert!(cause.contains(expected), "{cause}");
            }
            other => panic!("expected a reconnection, got {other:?}"),
        }
        assert_eq!(next_ok(&mut sub).await, json!({ "seq": seq }));
    }
    assert_eq!(rogue.connections(), 3);

    let mut protocol_errors = Vec::new();
    let mut disconnects = Vec::new();
    while let Ok(e) = events.try_recv() {
        match e {
            ConnectionEvent::ProtocolError { reason } => protocol_errors.push(reason),
            ConnectionEvent::Disconnected { reason, .. } => disconnects.push(reason),
            _ => {}
        }
    }
    assert_eq!(protocol_errors.len(), 5, "{protocol_errors:#?}");
    assert!(protocol_errors[0].contains("id 99"), "{protocol_errors:#?}");
    assert!(protocol_errors[1].contains("id 77"), "{protocol_errors:#?}");
    assert!(
        protocol_errors[3].contains("binary"),
        "{protocol_errors:#?}"
    );
    assert!(
        protocol_errors[4].contains("not JSON"),
        "{protocol_errors:#?}"
    );
    assert_eq!(disconnects.len(), 2, "{disconnects:#?}");
    assert!(
        disconnects[0].contains("protocol error"),
        "{disconnects:#?}"
    );

    // Each connection: authenticate as 1, subscribe once as 2, nothing more.
    let (a, aa, s, sa) = auth_and_subscribe();
    for frames in rogue.received() {
        assert_eq!(frames, vec![(a, aa.clone()), (s, sa.clone())]);
    }
}

#[tokio::test]
async fn replies_and_deliveries_with_the_subscribe_action_are_accepted() {
    // PROTOCOL.md section 5: a server may answer and deliver with action
    // `subscribe` instead of `subscription`; a client accepts both.
    let rogue = Rogue::start(vec![vec![
        Step::AuthOk,
        Step::SubOkAs("subscribe"),
        text(r#"{"id": {id}, "action": "subscribe", "streamName": "s", "payload": {"seq": 1}}"#),
        delivery(2),
        text(r#"{"id": {id}, "action": "subscribe", "streamName": "s", "payload": {"seq": 3}}"#),
        Step::Hold,
    ]])
    .await;
    let client = rogue.client().build().unwrap();
    let mut events = client.events();
    let mut sub = client.subscribe_json("s").await.unwrap();
    for seq in 1..=3 {
        assert_eq!(next_ok(&mut sub).await, json!({"seq": seq}));
    }
    let mut seen = Vec::new();
    while let Ok(e) = events.try_recv() {
        seen.push(e);
    }
    assert!(
        matches!(&seen[..], [ConnectionEvent::Connected { jail_id }] if jail_id == "rogue"),
        "{seen:#?}"
    );
    assert_eq!(rogue.connections(), 1);
}

#[tokio::test]
async fn a_silent_connection_is_replaced_by_the_watchdog() {
    let rogue = Rogue::start(vec![
        vec![Step::AuthOk, Step::SubOk, Step::Hold],
        vec![Step::AuthOk, Step::SubOk, delivery(1), Step::Hold],
    ])
    .await;
    let client = rogue
        .client()
        .silence_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut events = client.events();
    let mut sub = client.subscribe_json("s").await.unwrap();
    assert!(matches!(
        next_interruption(&mut sub).await,
        Interruption::Reconnected { cause } if cause.contains("no frame from the server")
    ));
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 1}));
    let e = wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::Disconnected { .. })
    })
    .await;
    assert!(e.to_string().contains("no frame from the server"), "{e}");
    assert!(
        matches!(
            e,
            ConnectionEvent::Disconnected {
                cause: Some(NetworkCause::Timeout),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(rogue.connections(), 2);
}

#[tokio::test]
async fn a_broken_delivery_is_an_item_and_the_connection_stays() {
    let rogue = Rogue::start(vec![vec![
        Step::AuthOk,
        Step::SubOk,
        // The compact form, with a payload that is not JSON.
        text(r#"{"id":{id},"action":"subscription","streamName":"s","payload":{"seq":}}"#),
        // The compact form, with another field after the payload.
        text(r#"{"id":{id},"action":"subscription","streamName":"s","payload":{"seq":2},"x":[1]}"#),
        // Not a JSON object after the payload.
        text(r#"{"id":{id},"action":"subscription","streamName":"s","payload":{"seq":3}"#),
        delivery(4),
        Step::Hold,
    ]])
    .await;
    let client = rogue.client().build().unwrap();
    let mut sub = client.subscribe_json("s").await.unwrap();
    let protocol_item = |item| match item {
        Some(Err(SubscribeError::Protocol { stream, reason })) => {
            assert_eq!(stream, "s");
            assert!(reason.contains("not JSON"), "{reason}");
        }
        other => panic!("expected a protocol error item, got {other:?}"),
    };
    protocol_item(next(&mut sub).await);
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 2}));
    protocol_item(next(&mut sub).await);
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 4}));
    assert_eq!(rogue.connections(), 1);
}

#[tokio::test]
async fn interruption_items_can_be_turned_off() {
    let script = || {
        vec![
            vec![Step::AuthOk, Step::SubOk, delivery(1), Step::Drop],
            vec![Step::AuthOk, Step::SubOk, delivery(2), Step::Hold],
        ]
    };
    // On (the default): the gap is an item between the two messages.
    let rogue = Rogue::start(script()).await;
    let client = rogue.client().build().unwrap();
    let mut sub = client.subscribe_json("s").await.unwrap();
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 1}));
    assert!(matches!(
        next_interruption(&mut sub).await,
        Interruption::Reconnected { .. }
    ));
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 2}));
    // Off: messages only.
    let rogue = Rogue::start(script()).await;
    let client = rogue.client().build().unwrap();
    let mut sub = client
        .subscribe_json_with("s", SubscribeOptions::new().report_interruptions(false))
        .await
        .unwrap();
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 1}));
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 2}));
    assert_eq!(rogue.connections(), 2);
    assert_eq!(streamsea_client::Subscription::buffered(&sub), 0);
}

#[tokio::test]
async fn no_authentication_reply_gives_up_per_policy() {
    let rogue = Rogue::start(vec![vec![Step::Read, Step::Hold]]).await;
    let client = rogue
        .client()
        .connect_timeout(Duration::from_millis(200))
        .reconnect(fast_policy().max_attempts(Some(3)))
        .build()
        .unwrap();
    let mut events = client.events();
    let err = client.subscribe_json("s").await.unwrap_err();
    match &err {
        SubscribeError::GaveUp {
            attempts,
            last_error,
            cause,
        } => {
            assert_eq!(*attempts, 3);
            assert!(last_error.contains("authentication reply"), "{last_error}");
            // The connect timeout ran out: a timeout, typed.
            assert_eq!(*cause, Some(streamsea_client::NetworkCause::Timeout));
        }
        other => panic!("expected GaveUp, got {other:?}"),
    }
    wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::GaveUp { attempts: 3, .. })
    })
    .await;
    assert_eq!(rogue.connections(), 3);
}

#[tokio::test]
async fn odd_authentication_replies_are_retried_a_refusal_is_final() {
    let rogue = Rogue::start(vec![
        // A live subscription, then the connection is lost.
        vec![Step::AuthOk, Step::SubOk, delivery(1), Step::Drop],
        // Answers the authentication with a delivery.
        vec![
            Step::Read,
            text(r#"{"id": 1, "action": "subscription", "streamName": "s", "payload": {}}"#),
            Step::Hold,
        ],
        // Closes before answering.
        vec![Step::Read, Step::Drop],
        // Answers with something that is not JSON.
        vec![Step::Read, text("<html>"), Step::Hold],
        // Refuses the credentials, then would accept anything.
        vec![Step::AuthFail, Step::Hold],
        vec![Step::AuthOk, Step::SubOk, Step::Hold],
    ])
    .await;
    let client = rogue.client().reconnect(short_policy()).build().unwrap();
    let mut events = client.events();
    let mut sub = client.subscribe_json("s").await.unwrap();
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 1}));
    match next(&mut sub).await {
        Some(Err(SubscribeError::Authentication { message })) => {
            assert_eq!(message, "Invalid credentials")
        }
        other => panic!("expected the authentication error, got {other:?}"),
    }
    wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::AuthenticationFailed { .. })
    })
    .await;

    // The refusal ended it: over several of the policy's longest delays, no
    // sixth connection (which the rogue would accept), and nothing happens
    // on its own, although the subscription is still held.
    let later = events_over_quiet_period(&mut events).await;
    assert_eq!(later, vec![], "events after the authentication failure");
    assert_eq!(rogue.connections(), 5, "connections opened");
    assert!(matches!(
        *client.connection_state().borrow(),
        ConnectionState::Failed { .. }
    ));
    assert!(next(&mut sub).await.is_none(), "the subscription must end");
    // After an odd reply or a refusal the client sent nothing more.
    let frames = rogue.received();
    for f in &frames[1..] {
        assert_eq!(*f, vec![(1, "authenticate".to_string())]);
    }
}

#[tokio::test]
async fn refused_subscriptions_end_with_one_error() {
    let rogue = Rogue::start(vec![
        // Refused: no subscription is left, so the client closes this one.
        vec![Step::AuthOk, Step::SubRefuse, Step::Hold],
        vec![Step::AuthOk, Step::SubOk, Step::Drop],
        vec![Step::AuthOk, Step::SubRefuse, Step::Hold],
    ])
    .await;
    let client = rogue.client().build().unwrap();
    let err = client.subscribe_json("s").await.unwrap_err();
    assert_eq!(
        err,
        SubscribeError::Refused {
            stream: "s".into(),
            message: "no such stream here".into()
        }
    );
    // Confirmed on the second connection, refused after the reconnection.
    let mut sub = client.subscribe_json("s").await.unwrap();
    match next(&mut sub).await {
        Some(Err(SubscribeError::Refused { message, .. })) => {
            assert_eq!(message, "no such stream here")
        }
        other => panic!("expected the refusal, got {other:?}"),
    }
    assert!(next(&mut sub).await.is_none());
    assert_eq!(rogue.connections(), 3);
}

#[tokio::test]
async fn an_oversized_frame_breaks_the_connection_not_the_client() {
    let big = format!(
        r#"{{"id": {{id}}, "action": "subscription", "streamName": "s", "payload": {{"blob": "{}"}}}}"#,
        "x".repeat(64 * 1024)
    );
    let rogue = Rogue::start(vec![
        vec![Step::AuthOk, Step::SubOk, Step::Send(big), Step::Hold],
        vec![Step::AuthOk, Step::SubOk, delivery(1), Step::Hold],
    ])
    .await;
    let client = rogue.client().max_message_bytes(16 * 1024).build().unwrap();
    let mut events = client.events();
    let mut sub = client
        .subscribe_json_with("s", SubscribeOptions::new().buffer(1))
        .await
        .unwrap();
    assert!(matches!(
        next_interruption(&mut sub).await,
        Interruption::Reconnected { cause } if cause.contains("connection failed")
    ));
    assert_eq!(next_ok(&mut sub).await, json!({"seq": 1}));
    let e = wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::Disconnected { .. })
    })
    .await;
    assert!(e.to_string().contains("connection failed"), "{e}");
}

#[tokio::test]
async fn nothing_listening_is_retried_until_subscribe_times_out() {
    let rogue = Rogue::start(vec![vec![Step::Drop]]).await;
    let client: Client = rogue
        .client()
        .request_timeout(Duration::from_millis(500))
        .reconnect(ReconnectPolicy::default().initial_delay(Duration::from_millis(10)))
        .build()
        .unwrap();
    let err = client.subscribe_json("s").await.unwrap_err();
    match err {
        SubscribeError::Timeout {
            stream, last_error, ..
        } => {
            assert_eq!(stream, "s");
            assert!(last_error.is_some());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(rogue.connections() >= 1);
}
