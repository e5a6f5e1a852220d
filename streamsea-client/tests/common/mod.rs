//! Test helpers: an in-process server on 127.0.0.1:0, clients pointed at it,
//! a payload type deriving `StreamSchema`, a counting TCP proxy, and bounded
//! waits.
//!
//! The PEM files under `tests/fixtures` are test-only keys and certificates.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use streamsea_client::{
    Client, ClientBuilder, ConnectionEvent, ReconnectPolicy, SubscribeError, Subscription,
};
use streamsea_derive::StreamSchema;
use streamsea_schema::Date;
use streamsea_server::{ServerBuilder, ServerHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;

/// Upper bound of any single wait: a hang fails the test instead of blocking.
pub const WAIT: Duration = Duration::from_secs(20);

pub const ADMIN: (&str, &str) = ("admin", "admin-secret");

pub const JWT_PRIVATE: &str = include_str!("../fixtures/jwt_private.pem");
pub const JWT_PUBLIC: &str = include_str!("../fixtures/jwt_public.pem");
pub const TLS_CERT: &str = include_str!("../fixtures/tls_cert.pem");
pub const TLS_KEY: &str = include_str!("../fixtures/tls_key.pem");

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

pub fn server_builder() -> ServerBuilder {
    streamsea_server::Server::builder()
        .bind("127.0.0.1:0".parse().unwrap())
        .client(ADMIN.0, ADMIN.1)
}

pub async fn start() -> ServerHandle {
    server_builder().start().await.unwrap()
}

/// Fast reconnection for tests.
pub fn fast_policy() -> ReconnectPolicy {
    ReconnectPolicy::default()
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(200))
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

/// Polls `cond` until it holds, within [`WAIT`] (for server-side counts that
/// cannot be awaited).
pub async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A TCP proxy that counts connections and client-to-server bytes.
pub struct Proxy {
    pub addr: SocketAddr,
    pub connections: Arc<AtomicUsize>,
    pub bytes_up: Arc<AtomicUsize>,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let bytes_up = Arc::new(AtomicUsize::new(0));
        let (c, b) = (connections.clone(), bytes_up.clone());
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let b = b.clone();
                tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let (mut ri, mut wi) = inbound.into_split();
                    let (mut ro, mut wo) = outbound.into_split();
                    let up = async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match ri.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            b.fetch_add(n, Ordering::SeqCst);
                            if wo.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                        let _ = wo.shutdown().await;
                    };
                    let down = async move {
                        let _ = tokio::io::copy(&mut ro, &mut wi).await;
                        let _ = wi.shutdown().await;
                    };
                    tokio::join!(up, down);
                });
            }
        });
        Proxy {
            addr,
            connections,
            bytes_up,
        }
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn bytes_up(&self) -> usize {
        self.bytes_up.load(Ordering::SeqCst)
    }
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}
