//! Test helpers: an in-process server on 127.0.0.1:0, clients pointed at it,
//! a payload type deriving `StreamSchema`, a counting TCP proxy, a WebSocket
//! proxy that records what the client sends, and bounded waits.
//!
//! The PEM files under `tests/fixtures` are test-only keys and certificates.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
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
use tokio_tungstenite::tungstenite::Message;

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

/// A WebSocket proxy in front of a server's WebSocket address that records
/// every JSON text frame the client sends, per connection. When either side
/// ends, both are closed, as a real server going away would look.
pub struct WsRecorder {
    pub addr: SocketAddr,
    frames: Arc<Mutex<Vec<Vec<serde_json::Value>>>>,
}

impl WsRecorder {
    /// Forwards each accepted connection to `target` (a `ws://` URL).
    pub async fn start(target: String) -> WsRecorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let frames = Arc::new(Mutex::new(Vec::new()));
        let f = frames.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let i = {
                    let mut f = f.lock().unwrap();
                    f.push(Vec::new());
                    f.len() - 1
                };
                let f = f.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut down) = tokio_tungstenite::accept_async(tcp).await else {
                        return;
                    };
                    // Nothing listening upstream: the client sees a dropped
                    // connection and retries.
                    let Ok((mut up, _)) = tokio_tungstenite::connect_async(target.as_str()).await
                    else {
                        return;
                    };
                    loop {
                        tokio::select! {
                            m = down.next() => match m {
                                Some(Ok(Message::Text(t))) => {
                                    if let Ok(v) = serde_json::from_str(t.as_str()) {
                                        f.lock().unwrap()[i].push(v);
                                    }
                                    if up.send(Message::Text(t)).await.is_err() {
                                        return;
                                    }
                                }
                                Some(Ok(m @ (Message::Binary(_) | Message::Close(_)))) => {
                                    let _ = up.send(m).await;
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                            m = up.next() => match m {
                                Some(Ok(m @ Message::Close(_))) => {
                                    let _ = down.send(m).await;
                                    return;
                                }
                                Some(Ok(m @ (Message::Text(_) | Message::Binary(_)))) => {
                                    if down.send(m).await.is_err() {
                                        return;
                                    }
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                        }
                    }
                });
            }
        });
        WsRecorder { addr, frames }
    }

    /// How many connections the client opened.
    pub fn connections(&self) -> usize {
        self.frames.lock().unwrap().len()
    }

    /// The JSON frames the client sent on connection `i` (0-based).
    pub fn frames(&self, i: usize) -> Vec<serde_json::Value> {
        self.frames.lock().unwrap()[i].clone()
    }
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}
