//! Test helpers: an in-process server on 127.0.0.1:0, clients pointed at it,
//! a payload type deriving `StreamSchema`, a counting TCP proxy, a WebSocket
//! proxy that records what the client sends, and bounded waits.
//!
//! The server, fixtures, waits, proxy and recorder shared by every crate's
//! tests come from `streamsea-testkit`.

#![allow(dead_code, unused_imports)]

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use streamsea_client::{
    Client, ClientBuilder, ConnectionEvent, ReconnectPolicy, SubscribeError, Subscription,
};
use streamsea_derive::StreamSchema;
use streamsea_schema::Date;
use streamsea_server::ServerHandle;
use tokio::sync::broadcast;

pub use streamsea_testkit::fixtures::{JWT_PRIVATE, JWT_PUBLIC, TLS_CERT, TLS_KEY};
pub use streamsea_testkit::server::builder as server_builder;
pub use streamsea_testkit::{start, ADMIN, WAIT};

/// The payload the tests publish and subscribe to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 1)]
#[serde(rename_all = "camelCase")]
pub struct BoilerData {
    pub seq: i64,
    pub temperature: f64,
    #[stream_schema(one_of = ["idle", "heating"])]
    pub mode: String,
    pub measured_at: Date,
    pub tags: Vec<String>,
}

pub fn reading(seq: i64) -> BoilerData {
    BoilerData {
        seq,
        temperature: 60.0 + seq as f64 / 10.0,
        mode: if seq % 2 == 0 { "idle" } else { "heating" }.into(),
        measured_at: Date::from_unix(1_700_000_000 + seq).unwrap(),
        tags: vec!["t".into()],
    }
}

/// Fast reconnection for tests.
pub fn fast_policy() -> ReconnectPolicy {
    ReconnectPolicy::default()
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(200))
}

/// A reconnect policy with a short longest delay (40 ms, no jitter), for
/// tests that wait to see that nothing is retried.
pub fn short_policy() -> ReconnectPolicy {
    ReconnectPolicy::default()
        .initial_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(40))
        .jitter(0.0)
}

/// Eight times [`short_policy`]'s longest delay: a client retrying under that
/// policy makes several attempts within this time.
pub fn quiet_period() -> Duration {
    short_policy().max_delay * 8
}

/// Waits [`quiet_period`], then returns the events received meanwhile (and
/// any not read before).
pub async fn events_over_quiet_period(
    events: &mut broadcast::Receiver<ConnectionEvent>,
) -> Vec<ConnectionEvent> {
    tokio::time::sleep(quiet_period()).await;
    let mut seen = Vec::new();
    loop {
        match events.try_recv() {
            Ok(e) => seen.push(e),
            Err(broadcast::error::TryRecvError::Lagged(_)) => {}
            Err(_) => return seen,
        }
    }
}

/// A client builder for `addr` (no credentials).
pub fn builder_for(addr: SocketAddr) -> ClientBuilder {
    Client::builder()
        .host("127.0.0.1")
        .port(addr.port())
        .request_timeout(WAIT)
        .reconnect(fast_policy())
}

/// The admin client of `server`.
pub fn admin(server: &ServerHandle) -> Client {
    builder_for(server.local_addr())
        .basic(ADMIN.0, ADMIN.1)
        .build()
        .unwrap()
}

/// The next item of a subscription, within [`WAIT`].
pub async fn next<T: serde::de::DeserializeOwned>(
    sub: &mut Subscription<T>,
) -> Option<Result<T, SubscribeError>> {
    tokio::time::timeout(WAIT, sub.next())
        .await
        .expect("no item within the wait")
}

/// The next successfully decoded message.
pub async fn next_ok<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    sub: &mut Subscription<T>,
) -> T {
    match next(sub).await {
        Some(Ok(v)) => v,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// The next item, which must be an interruption (possible loss); returns
/// what it says.
pub async fn next_interruption<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    sub: &mut Subscription<T>,
) -> streamsea_client::Interruption {
    match next(sub).await {
        Some(Err(e @ SubscribeError::Interrupted { .. })) => {
            assert!(e.is_interruption() && !e.is_terminal(), "{e}");
            let SubscribeError::Interrupted { stream, reason } = e else {
                unreachable!()
            };
            assert_eq!(stream, sub.stream());
            reason
        }
        other => panic!("expected an interruption, got {other:?}"),
    }
}

/// Waits for the first event matching `pred`, returning it.
pub async fn wait_event(
    events: &mut broadcast::Receiver<ConnectionEvent>,
    pred: impl Fn(&ConnectionEvent) -> bool,
) -> ConnectionEvent {
    tokio::time::timeout(WAIT, async {
        loop {
            match events.recv().await {
                Ok(e) if pred(&e) => return e,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("event channel closed"),
            }
        }
    })
    .await
    .expect("no such event within the wait")
}

pub use streamsea_testkit::{eventually, init_tracing, Proxy, WsRecorder};
