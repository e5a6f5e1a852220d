//! Resilience against the real server: a restart on the same port
//! mid-subscription, and a subscriber that reads slowly.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::json;
use streamsea_client::{ConnectionEvent, ConnectionState, Group, SubscribeOptions};
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

#[tokio::test]
async fn a_server_restart_mid_subscription_resumes_without_duplicates() {
    let server = start().await;
    let addr = server.local_addr();
    let client = admin(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    let mut events = client.events();
    let mut shared = client.subscribe::<BoilerData>().await.unwrap();
    let mut private = client
        .subscribe_with::<BoilerData>(SubscribeOptions::new().group(Group::Private))
        .await
        .unwrap();
    let mut state = client.connection_state();
    client.publish(&reading(0)).await.unwrap();
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
    client.define_stream::<BoilerData>().await.unwrap();
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
        client.publish(&reading(i)).await.unwrap();
    }
    client.publish(&reading(99)).await.unwrap();
    // Each message exactly once, in order, then the sentinel: a duplicate
    // subscription would have delivered some twice.
    for i in (1..=5).chain([99]) {
        assert_eq!(next_ok(&mut shared).await.seq, i);
        assert_eq!(next_ok(&mut private).await.seq, i);
    }
    assert_eq!(shared.buffered(), 0);
    assert_eq!(private.buffered(), 0);
}

#[tokio::test]
async fn a_slow_subscriber_keeps_memory_bounded() {
    init_tracing();
    let server = server_builder()
        .limits(Limits {
            outbound_queue: 64,
            ..Limits::default()
        })
        .start()
        .await
        .unwrap();
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
    let mut sub = client
        .subscribe_json_with("bulk", SubscribeOptions::new().buffer(4))
        .await
        .unwrap();
    assert_eq!(sub.capacity(), 4);

    // Far more than the socket buffers hold, published without reading, in
    // batches smaller than the server's queue (a reader keeping up would
    // never be dropped).
    let blob = "x".repeat(16 * 1024);
    let batches = 128;
    let per_batch = 8;
    for b in 0..batches {
        let batch: Vec<_> = (0..per_batch)
            .map(|i| json!({"seq": b * per_batch + i, "blob": blob}))
            .collect();
        client
            .publish_json("bulk", &serde_json::Value::Array(batch))
            .await
            .unwrap();
        assert!(sub.buffered() <= sub.capacity());
    }
    let published = (batches * per_batch) as usize;

    // The client stopped reading when the buffer was full, so the server's
    // bounded queue overflowed and it dropped the connection ("slow
    // consumer"), instead of the client holding everything in memory.
    let mut received = 0usize;
    let mut last_seq = -1i64;
    let disconnected = tokio::time::timeout(WAIT * 3, async {
        loop {
            tokio::select! {
                item = sub.next_item() => {
                    let v = item.expect("the subscription goes on").expect("a message");
                    let seq = v["seq"].as_i64().unwrap();
                    assert!(seq > last_seq, "in order, no duplicates");
                    last_seq = seq;
                    received += 1;
                    assert!(sub.buffered() <= sub.capacity());
                }
                e = events.recv() => {
                    if let Ok(ConnectionEvent::Disconnected { reason }) = e {
                        break reason;
                    }
                }
            }
        }
    })
    .await
    .expect("the server never dropped the slow subscriber");
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
    // Drain what was still buffered from the old connection.
    while sub.buffered() > 0 {
        next_ok(&mut sub).await;
    }
    client
        .publish_json("bulk", &json!({"seq": 100_000, "blob": "after"}))
        .await
        .unwrap();
    loop {
        let v = next_ok(&mut sub).await;
        if v["seq"] == 100_000 {
            assert_eq!(v["blob"], "after");
            break;
        }
    }
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
