//! Subscriptions (PROTOCOL.md section 5) against the in-process server: one shared
//! connection, groups, JWT bearers with filters, decode errors, terminal
//! authentication failures, and the connection's lifecycle.

mod common;

use std::time::Duration;

use common::*;
use serde::Deserialize;
use serde_json::{json, Value};
use streamsea_client::jwt::{self, Claims};
use streamsea_client::{
    random_group_id, ConnectionEvent, ConnectionState, Filter, Group, Interruption, Overflow,
    SubscribeError, SubscribeOptions,
};
use streamsea_schema::StreamSchema as _;

#[tokio::test]
async fn subscriptions_share_one_connection_and_dropping_the_last_closes_it() {
    let server = start().await;
    let client = admin(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    let mut events = client.events();
    let mut typed = client.subscribe::<BoilerData>().await.unwrap();
    let mut raw = client
        .subscribe_json_with("boiler_data", SubscribeOptions::new().group(Group::Private))
        .await
        .unwrap();
    let other = client.subscribe_json("other_stream").await.unwrap();
    assert_eq!(server.connection_count(), 1);
    assert_eq!(
        *client.connection_state().borrow(),
        ConnectionState::Connected
    );
    assert!(matches!(
        wait_event(&mut events, |e| matches!(e, ConnectionEvent::Connected { .. })).await,
        ConnectionEvent::Connected { jail_id } if jail_id == "root"
    ));

    client.publish(&reading(1)).await.unwrap();
    assert_eq!(next_ok(&mut typed).await, reading(1));
    assert_eq!(next_ok(&mut raw).await["seq"], 1);
    assert_eq!(raw.stream(), "boiler_data");
    assert!(raw.group_id().is_some());

    drop(typed);
    drop(raw);
    // One subscription left: the connection stays.
    client.publish(&reading(2)).await.unwrap();
    assert_eq!(server.connection_count(), 1);
    drop(other);
    wait_event(&mut events, |e| *e == ConnectionEvent::Closed).await;
    eventually("the server sees the connection closed", || {
        server.connection_count() == 0
    })
    .await;
    assert_eq!(*client.connection_state().borrow(), ConnectionState::Idle);

    // A new subscription opens a new connection.
    let mut again = client.subscribe::<BoilerData>().await.unwrap();
    client.publish(&reading(3)).await.unwrap();
    assert_eq!(next_ok(&mut again).await, reading(3));
    assert_eq!(server.connection_count(), 1);
}

#[tokio::test]
async fn a_subscription_keeps_its_connection_after_the_client_is_dropped() {
    let server = start().await;
    let publisher = admin(&server);
    publisher.define_stream::<BoilerData>().await.unwrap();
    // The client exists only while subscribing.
    let mut sub = {
        let client = admin(&server);
        let clone = client.clone();
        let sub = clone.subscribe::<BoilerData>().await.unwrap();
        drop(client);
        sub
    };
    for i in 0..3 {
        publisher.publish(&reading(i)).await.unwrap();
    }
    for i in 0..3 {
        assert_eq!(next_ok(&mut sub).await, reading(i));
    }
    // The subscriber's connection plus none of the publisher's (HTTP only).
    assert_eq!(server.connection_count(), 1);
    // Dropping the last holder closes the connection.
    drop(sub);
    eventually("the server sees the connection closed", || {
        server.connection_count() == 0
    })
    .await;
}

#[tokio::test]
async fn a_subscription_never_read_does_not_hold_up_another() {
    let server = start().await;
    let client = admin(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    let capacity = 8;
    let mut idle = client
        .subscribe_with::<BoilerData>(
            SubscribeOptions::new()
                .group(Group::Private)
                .buffer(capacity),
        )
        .await
        .unwrap();
    let total = 2_000i64;
    // Room for everything: read only after all is published.
    let mut busy = client
        .subscribe_with::<BoilerData>(
            SubscribeOptions::new()
                .group(Group::Private)
                .buffer(total as usize + 1),
        )
        .await
        .unwrap();
    for start in (0..total).step_by(200) {
        let batch: Vec<BoilerData> = (start..start + 200).map(reading).collect();
        client.publish_batch(&batch).await.unwrap();
    }
    // The other subscription receives everything, in order.
    for i in 0..total {
        assert_eq!(next_ok(&mut busy).await.seq, i);
    }
    // The one never read held its buffer and no more: the first `capacity`
    // messages, then one item counting the rest.
    assert!(idle.buffered() <= capacity, "{}", idle.buffered());
    assert_eq!(idle.dropped(), (total as u64) - capacity as u64);
    for i in 0..capacity as i64 {
        assert_eq!(next_ok(&mut idle).await.seq, i);
    }
    assert_eq!(
        next_interruption(&mut idle).await,
        Interruption::Overflow {
            dropped: (total as u64) - capacity as u64
        }
    );
    // Caught up, it receives again.
    client.publish(&reading(total)).await.unwrap();
    assert_eq!(next_ok(&mut idle).await.seq, total);
    assert_eq!(next_ok(&mut busy).await.seq, total);
    assert_eq!(server.connection_count(), 1);
}

#[tokio::test]
async fn many_frames_arrive_complete_and_in_order() {
    let total = 10_000i64;
    // A server that never takes the subscriber for a slow consumer.
    let server = server_builder()
        .limits(streamsea_server::Limits {
            outbound_queue: 4 * total as usize,
            ..streamsea_server::Limits::default()
        })
        .start()
        .await
        .unwrap();
    let client = admin(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    // Backpressure: a subscriber slower than the socket loses nothing.
    let lossless = SubscribeOptions::new()
        .group(Group::Private)
        .buffer(64)
        .overflow(Overflow::Backpressure);
    let mut typed = client
        .subscribe_with::<BoilerData>(lossless.clone())
        .await
        .unwrap();
    let mut raw = client
        .subscribe_json_with("boiler_data", lossless)
        .await
        .unwrap();
    let publisher = client.clone();
    let feed = tokio::spawn(async move {
        for start in (0..total).step_by(500) {
            let batch: Vec<BoilerData> = (start..start + 500).map(reading).collect();
            publisher.publish_batch(&batch).await.unwrap();
        }
    });
    for i in 0..total {
        assert_eq!(next_ok(&mut typed).await, reading(i));
        assert_eq!(next_ok(&mut raw).await["seq"], i);
    }
    feed.await.unwrap();
    assert_eq!(typed.buffered(), 0);
    assert_eq!(raw.buffered(), 0);
    assert_eq!((typed.dropped(), raw.dropped()), (0, 0));
}

/// The same stream read as a type that does not match every message.
#[derive(Debug, Deserialize, streamsea_derive::StreamSchema)]
#[stream_schema(name = "boiler_data", version = 1)]
#[serde(deny_unknown_fields)]
struct Narrow {
    seq: i64,
}

#[tokio::test]
async fn undecodable_deliveries_are_error_items_and_the_stream_goes_on() {
    let server = start().await;
    let client = admin(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    let mut narrow = client.subscribe::<Narrow>().await.unwrap();
    client.publish(&reading(1)).await.unwrap();
    match next(&mut narrow).await {
        Some(Err(SubscribeError::Decode {
            stream,
            raw,
            reason,
        })) => {
            assert_eq!(stream, "boiler_data");
            assert_eq!(raw, serde_json::to_value(reading(1)).unwrap());
            assert!(reason.contains("unknown field"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    client
        .publish_json("boiler_data", &json!({"seq": 2}))
        .await
        .unwrap();
    assert_eq!(next_ok(&mut narrow).await.seq, 2);
}

#[tokio::test]
async fn a_delivery_failing_the_types_validation_is_an_error_item() {
    let server = start().await;
    let client = admin(&server);
    // The server's schema is looser than the compiled one: `mode` is any string.
    let mut loose = BoilerData::definition();
    for f in &mut loose.fields {
        if f.name == "mode" {
            f.ty = streamsea_schema::FieldType::String;
        }
    }
    client.define_schema(&loose).await.unwrap();
    let mut sub = client.subscribe::<BoilerData>().await.unwrap();
    let mut off = serde_json::to_value(reading(1)).unwrap();
    off["mode"] = json!("off");
    client.publish_json("boiler_data", &off).await.unwrap();
    client.publish(&reading(2)).await.unwrap();
    match next(&mut sub).await {
        Some(Err(SubscribeError::Decode { raw, reason, .. })) => {
            assert_eq!(raw, off);
            assert!(reason.contains("mode"), "{reason}");
        }
        other => panic!("expected a validation error item, got {other:?}"),
    }
    assert_eq!(next_ok(&mut sub).await, reading(2));
}

#[tokio::test]
async fn default_group_splits_private_groups_copy_named_groups_split() {
    let server = start().await;
    let publisher = admin(&server);
    publisher.define_stream::<BoilerData>().await.unwrap();
    // Two instances of the same client: separate clients, separate connections.
    let a = admin(&server);
    let b = admin(&server);
    let mut default_a = a.subscribe::<BoilerData>().await.unwrap();
    let mut default_b = b.subscribe::<BoilerData>().await.unwrap();
    let private = SubscribeOptions::new().group(Group::Private);
    let mut private_a = a
        .subscribe_with::<BoilerData>(private.clone())
        .await
        .unwrap();
    let mut private_b = b.subscribe_with::<BoilerData>(private).await.unwrap();
    let group = random_group_id();
    let named = SubscribeOptions::new().group(Group::Named(group.clone()));
    let mut named_a = a.subscribe_with::<BoilerData>(named.clone()).await.unwrap();
    let mut named_b = b.subscribe_with::<BoilerData>(named).await.unwrap();
    assert_eq!(named_a.group_id(), Some(group.as_str()));
    assert_eq!(server.connection_count(), 2);

    for i in 0..10 {
        publisher.publish(&reading(i)).await.unwrap();
    }
    // Private groups: each receives every message, in order.
    for i in 0..10 {
        assert_eq!(next_ok(&mut private_a).await.seq, i);
        assert_eq!(next_ok(&mut private_b).await.seq, i);
    }
    // Shared groups: each message goes to exactly one of the two.
    for (x, y) in [
        (&mut default_a, &mut default_b),
        (&mut named_a, &mut named_b),
    ] {
        let mut seen = Vec::new();
        for _ in 0..5 {
            seen.push(next_ok(x).await.seq);
            seen.push(next_ok(y).await.seq);
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
    }

    let bad = a
        .subscribe_with::<BoilerData>(SubscribeOptions::new().group(Group::Named("g".into())))
        .await
        .unwrap_err();
    assert!(matches!(bad, SubscribeError::Argument(_)), "{bad}");
    let bad = a.subscribe_json("bad name").await.unwrap_err();
    assert!(matches!(bad, SubscribeError::Argument(_)), "{bad}");
    let bad = a
        .subscribe_json_with("s", SubscribeOptions::new().buffer(0))
        .await
        .unwrap_err();
    assert!(matches!(bad, SubscribeError::Argument(_)), "{bad}");
}

#[tokio::test]
async fn a_jwt_bearer_with_a_filter_gets_only_matching_messages() {
    let server = start().await;
    let admin = admin(&server);
    admin.define_stream::<BoilerData>().await.unwrap();
    admin.rotate_jwt_public_key(Some(JWT_PUBLIC)).await.unwrap();
    let claims = Claims {
        exp: jwt::expires_in(Duration::from_secs(3600)),
        must_fanout: true,
        filter: Some(Filter::path("mode").eq(Filter::string("heating"))),
    };
    let token = jwt::sign(&claims, JWT_PRIVATE).unwrap();
    let bearer = builder_for(server.local_addr())
        .jwt(ADMIN.0, token)
        .build()
        .unwrap();
    assert!(!format!("{bearer:?}").contains("eyJ"), "{bearer:?}");
    let mut sub = bearer.subscribe::<BoilerData>().await.unwrap();
    // The admin's own subscription in the default group is not affected by
    // the bearer (mustFanout gives the bearer a group of its own).
    let mut all = admin.subscribe::<BoilerData>().await.unwrap();
    for i in 0..6 {
        admin.publish(&reading(i)).await.unwrap();
    }
    for i in [1, 3, 5] {
        let got = next_ok(&mut sub).await;
        assert_eq!((got.seq, got.mode.as_str()), (i, "heating"));
    }
    for i in 0..6 {
        assert_eq!(next_ok(&mut all).await.seq, i);
    }
}

#[tokio::test]
async fn a_generated_key_pair_signs_tokens_the_server_accepts() {
    let keys = tokio::task::spawn_blocking(|| jwt::generate_key_pair(jwt::DEFAULT_KEY_BITS))
        .await
        .unwrap()
        .unwrap();
    assert!(keys.public_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(keys
        .private_pem()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    let server = start().await;
    let admin = admin(&server);
    admin
        .rotate_jwt_public_key(Some(keys.public_pem()))
        .await
        .unwrap();
    let token = jwt::sign(
        &Claims {
            exp: jwt::expires_in(Duration::from_secs(600)),
            must_fanout: false,
            filter: None,
        },
        keys.private_pem(),
    )
    .unwrap();
    let bearer = builder_for(server.local_addr())
        .jwt(ADMIN.0, token)
        .build()
        .unwrap();
    let mut sub = bearer.subscribe_json("s").await.unwrap();
    admin
        .define_schema(&streamsea_schema::SchemaDefinition::new("s", 1, vec![]))
        .await
        .unwrap();
    admin.publish_json("s", &json!({})).await.unwrap();
    assert_eq!(next_ok(&mut sub).await, json!({}));

    // A token signed with another key is refused: terminal, no retry loop.
    let other = jwt::sign(&Claims::default_for_tool(), JWT_PRIVATE).unwrap();
    let refused = builder_for(server.local_addr())
        .jwt(ADMIN.0, other)
        .build()
        .unwrap();
    let err = refused.subscribe_json("s").await.unwrap_err();
    assert!(
        matches!(&err, SubscribeError::Authentication { message } if message == "Invalid credentials"),
        "{err:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_fail_subscribe_with_one_clear_error() {
    let server = start().await;
    // Through a proxy that counts the connections the client opens.
    let proxy = Proxy::start(server.local_addr()).await;
    let client = builder_for(proxy.addr)
        .basic(ADMIN.0, "wrong")
        .reconnect(short_policy())
        .build()
        .unwrap();
    let mut events = client.events();
    let err = client.subscribe_json("s").await.unwrap_err();
    assert_eq!(
        err,
        SubscribeError::Authentication {
            message: "Invalid credentials".into()
        }
    );
    assert!(err.to_string().contains("authentication failed"));
    wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::AuthenticationFailed { .. })
    })
    .await;

    // No retry loop: over several of the policy's longest delays, no other
    // connection is opened and nothing happens on its own.
    let later = events_over_quiet_period(&mut events).await;
    assert_eq!(later, vec![], "events after the authentication failure");
    assert_eq!(proxy.connections(), 1, "connections opened");
    assert!(matches!(
        *client.connection_state().borrow(),
        ConnectionState::Failed { .. }
    ));
    assert_eq!(server.connection_count(), 0);
}

#[tokio::test]
async fn credentials_revoked_mid_subscription_end_every_subscription_once() {
    let server = start().await;
    let admin = admin(&server);
    let created = admin.create_client("doomed", "").await.unwrap();
    // Through a proxy that counts the connections the client opens.
    let proxy = Proxy::start(server.local_addr()).await;
    let doomed = builder_for(proxy.addr)
        .basic("doomed", created.secret)
        .reconnect(short_policy())
        .build()
        .unwrap();
    let mut events = doomed.events();
    let mut one = doomed.subscribe_json("s").await.unwrap();
    let mut two = doomed.subscribe_json("t").await.unwrap();
    admin.delete_client("doomed").await.unwrap();
    // The server closes the connection; the reconnection's authentication fails.
    for sub in [&mut one, &mut two] {
        match next(sub).await {
            Some(Err(SubscribeError::Authentication { message })) => {
                assert_eq!(message, "Invalid credentials")
            }
            other => panic!("expected the authentication error, got {other:?}"),
        }
    }
    wait_event(&mut events, |e| {
        matches!(e, ConnectionEvent::AuthenticationFailed { .. })
    })
    .await;

    // No retry loop, although the (ended) subscriptions are still held: over
    // several of the policy's longest delays, no third connection is opened
    // and nothing happens on its own.
    let later = events_over_quiet_period(&mut events).await;
    assert_eq!(later, vec![], "events after the authentication failure");
    assert_eq!(proxy.connections(), 2, "connections opened");
    assert!(matches!(
        *doomed.connection_state().borrow(),
        ConnectionState::Failed { .. }
    ));
    for sub in [&mut one, &mut two] {
        assert!(next(sub).await.is_none(), "the subscription must end");
    }
}

#[tokio::test]
async fn subscribing_to_a_stream_without_schema_works_and_values_flow() {
    let server = start().await;
    let client = admin(&server);
    let mut sub = client.subscribe_json("later").await.unwrap();
    client
        .define_schema(
            &streamsea_schema::SchemaDefinition::from_value(json!({
                "name": "later", "version": 1, "fields": [{"name": "x", "type": "integer"}]
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    client
        .publish_json("later", &json!({"x": 1}))
        .await
        .unwrap();
    let v: Value = next_ok(&mut sub).await;
    assert_eq!(v, json!({"x": 1}));
}
