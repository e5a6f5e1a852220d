//! Resilience against the real server: a restart on the same port
//! mid-subscription, and a subscriber that reads slowly.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use streamsea_client::{
    ConnectionEvent, ConnectionState, Group, Interruption, Overflow, SubscribeError,
    SubscribeOptions,
};
use streamsea_schema::{Field, FieldType, SchemaDefinition};
use streamsea_server::{Limits, ServerHandle};

async fn start_on(addr: SocketAddr) -> ServerHandle {
    // The old listener is closed; the port is free again.
    let mut last = None;
    for _ in 0..50 {
        match server_builder().bind(addr).start().await {
            Ok(s) => return s,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("cannot bind {addr} again: {last:?}");
}

/// The subscriptions a connection's frames carry, as (stream, groupId),
/// sorted; asserts the frames are one authentication (id 1) followed only by
/// subscriptions numbered 2, 3, ...
fn subscriptions_sent(frames: &[Value]) -> Vec<(String, Option<String>)> {
    assert_eq!(frames[0]["id"], 1, "{frames:#?}");
    assert_eq!(frames[0]["action"], "authenticate", "{frames:#?}");
    let mut subs: Vec<(String, Option<String>)> = frames[1..]
        .iter()
        .enumerate()
        .map(|(i, f)| {
            assert_eq!(f["id"], i as u64 + 2, "{frames:#?}");
            assert_eq!(f["action"], "subscribe", "{frames:#?}");
            (
                f["payload"].as_str().unwrap().to_string(),
                f["groupId"].as_str().map(str::to_string),
            )
        })
        .collect();
    subs.sort();
    subs
}

#[tokio::test]
async fn a_server_restart_mid_subscription_resumes_without_duplicates() {
    let server = start().await;
    let addr = server.local_addr();
    let publisher = admin(&server);
    publisher.define_stream::<BoilerData>().await.unwrap();
    // The subscriber talks to the server through a proxy that records every
    // frame it sends.
    let recorder = WsRecorder::start(server.ws_url()).await;
    let client = builder_for(recorder.addr)
        .basic(ADMIN.0, ADMIN.1)
        .build()
        .unwrap();
    let mut events = client.events();
    let mut shared = client.subscribe::<BoilerData>().await.unwrap();
    let mut private = client
        .subscribe_with::<BoilerData>(SubscribeOptions::new().group(Group::Private))
        .await
        .unwrap();
    let mut expected = vec![
        ("boiler_data".to_string(), None),
        (
            "boiler_data".to_string(),
            private.group_id().map(str::to_string),
        ),
    ];
    expected.sort();
    let mut state = client.connection_state();
    publisher.publish(&reading(0)).await.unwrap();
    assert_eq!(next_ok(&mut shared).await.seq, 0);
    assert_eq!(next_ok(&mut private).await.seq, 0);

    server.shutdown().await;
    let lost = wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::Disconnected { .. })
    })
    .await;
    assert!(lost.to_string().contains("disconnected"), "{lost}");
    // While the server is down the client keeps trying.
    wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::Reconnecting { .. })
    })
    .await;

    let server = start_on(addr).await;
    // The restarted server is in memory: the schema is defined again.
    publisher.define_stream::<BoilerData>().await.unwrap();
    assert_eq!(
        wait_event(&mut events, |e| matches!(
            e,
            ConnectionEvent::Resubscribed { .. }
        ))
        .await,
        ConnectionEvent::Resubscribed { subscriptions: 2 }
    );
    state
        .wait_for(|s| *s == ConnectionState::Connected)
        .await
        .unwrap();
    assert_eq!(server.connection_count(), 1);

    for i in 1..=5 {
        publisher.publish(&reading(i)).await.unwrap();
    }
    publisher.publish(&reading(99)).await.unwrap();
    // The possible loss first, where it happened; then each message exactly
    // once, in order, then the sentinel.
    for sub in [&mut shared, &mut private] {
        match next_interruption(sub).await {
            Interruption::Reconnected { cause } => assert!(!cause.is_empty()),
            other => panic!("expected a reconnection, got {other:?}"),
        }
    }
    for i in (1..=5).chain([99]) {
        assert_eq!(next_ok(&mut shared).await.seq, i);
        assert_eq!(next_ok(&mut private).await.seq, i);
    }
    assert_eq!(shared.buffered(), 0);
    assert_eq!(private.buffered(), 0);

    // On the wire: the first connection and the one that resumed each carry
    // one authentication and exactly one subscribe frame per live
    // subscription (a duplicate in the same group would go unnoticed in the
    // deliveries, which the group shares out round-robin). The attempts
    // made while the server was down carry at most the authentication.
    let last = recorder.connections() - 1;
    assert!(last >= 1, "the client never reconnected");
    assert_eq!(subscriptions_sent(&recorder.frames(0)), expected);
    assert_eq!(
        subscriptions_sent(&recorder.frames(last)),
        expected,
        "subscriptions sent on the connection that resumed"
    );
    for i in 1..last {
        let frames = recorder.frames(i);
        assert!(
            frames.iter().all(|f| f["action"] == "authenticate"),
            "connection {i} while the server was down: {frames:#?}"
        );
    }
}

#[tokio::test]
async fn a_slow_subscriber_keeps_memory_bounded() {
    init_tracing();
    let limits = Limits {
        outbound_queue: 64,
        ..Limits::default()
    };
    let server = server_builder().limits(limits).start().await.unwrap();
    let client = admin(&server);
    let def = SchemaDefinition::new(
        "bulk",
        1,
        vec![
            Field::new("seq", FieldType::Integer),
            Field::new("blob", FieldType::String),
        ],
    );
    client.define_schema(&def).await.unwrap();
    let mut events = client.events();
    // Backpressure: a full buffer stops the reading of the connection.
    let mut sub = client
        .subscribe_json_with(
            "bulk",
            SubscribeOptions::new()
                .buffer(4)
                .overflow(Overflow::Backpressure),
        )
        .await
        .unwrap();
    assert_eq!(sub.capacity(), 4);
    assert_eq!(server.connection_count(), 1);

    // Publish without reading, in calls of half the server's queue (a reader
    // keeping up would never be dropped), until the server gives up on the
    // subscriber. It forgets a slow consumer at once, so its connection
    // count says so without the client reading anything. How much that
    // takes depends on the socket buffers between the two; the bound is far
    // above them, and a client that took in everything it was sent would
    // reach it.
    let blob = "x".repeat(16 * 1024);
    let per_call = limits.outbound_queue / 2;
    let bound = 64 * 1024 * 1024 / blob.len();
    let mut published = 0usize;
    while server.connection_count() == 1 {
        assert!(
            published < bound,
            "the server never found the subscriber slow: the client took in \
             {published} messages of {} bytes with a buffer of 4",
            blob.len()
        );
        let batch: Vec<_> = (published..published + per_call)
            .map(|seq| json!({"seq": seq, "blob": blob}))
            .collect();
        client
            .publish_json("bulk", &Value::Array(batch))
            .await
            .unwrap();
        published += per_call;
    }

    // What the subscriber sees: the messages that were on their way, in
    // order and without duplicates, then the connection closed by the server
    // as a slow consumer.
    let mut received = 0usize;
    let mut last_seq = -1i64;
    let mut interruptions = 0;
    let disconnected = tokio::time::timeout(WAIT * 3, async {
        loop {
            tokio::select! {
                item = sub.next_item() => {
                    match item.expect("the subscription goes on") {
                        Ok(v) => {
                            let seq = v["seq"].as_i64().unwrap();
                            assert!(seq > last_seq, "in order, no duplicates");
                            last_seq = seq;
                            received += 1;
                        }
                        Err(SubscribeError::Interrupted { reason: Interruption::Reconnected { .. }, .. }) => interruptions += 1,
                        Err(e) => panic!("unexpected error item: {e}"),
                    }
                }
                e = events.recv() => {
                    if let Ok(ConnectionEvent::Disconnected { reason, .. }) = e {
                        break reason;
                    }
                }
            }
        }
    })
    .await
    .expect("the client never saw the connection closed");
    assert!(
        disconnected.contains("1008") && disconnected.contains("slow consumer"),
        "{disconnected}"
    );
    assert!(
        received < published,
        "received {received} of {published}: {disconnected}"
    );

    // The subscription resumes on a new connection (the next Resubscribed
    // event after that Disconnected one).
    wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::Resubscribed { .. })
    })
    .await;
    assert!(received + sub.buffered() < published);
    client
        .publish_json("bulk", &json!({"seq": 100_000_000, "blob": "after"}))
        .await
        .unwrap();
    // What was still buffered from the old connection, then the mark of the
    // gap (once), then the message published after the reconnection.
    loop {
        match next(&mut sub).await.expect("the subscription goes on") {
            Ok(v) if v["seq"] == 100_000_000 => {
                assert_eq!(v["blob"], "after");
                break;
            }
            Ok(v) => {
                assert_eq!(
                    interruptions, 0,
                    "a message of the old connection after the gap"
                );
                let seq = v["seq"].as_i64().unwrap();
                assert!(seq > last_seq, "in order, no duplicates");
                last_seq = seq;
            }
            Err(SubscribeError::Interrupted {
                reason: Interruption::Reconnected { .. },
                ..
            }) => interruptions += 1,
            Err(e) => panic!("unexpected error item: {e}"),
        }
    }
    assert_eq!(interruptions, 1);
    assert_eq!(sub.dropped(), 0, "backpressure drops nothing");
}

/// `next` as a method, for `select!`.
trait NextItem {
    async fn next_item(
        &mut self,
    ) -> Option<Result<serde_json::Value, streamsea_client::SubscribeError>>;
}

impl NextItem for streamsea_client::Subscription<serde_json::Value> {
    async fn next_item(
        &mut self,
    ) -> Option<Result<serde_json::Value, streamsea_client::SubscribeError>> {
        futures_util::StreamExt::next(self).await
    }
}
