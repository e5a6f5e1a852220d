//! The connection task: the one WebSocket of a client, shared by all its
//! subscriptions (PROTOCOL.md section 5).
//!
//! The task opens the connection when the first subscription arrives,
//! authenticates (message 1), sends each subscription (messages 2, 3, ...),
//! and routes replies and deliveries by id. A delivery waits for room in its
//! subscription's bounded buffer, so a slow subscriber slows the reading of
//! the socket (backpressure) instead of growing memory. That wait holds up
//! the whole connection: other subscriptions' deliveries and the replies to
//! new subscriptions are behind it on the socket, so taking new commands
//! during it would not let them complete sooner (documented on
//! `Subscription`).
//!
//! When the connection is lost (closed, reset, malformed frames, or silent
//! for longer than the silence timeout), the task waits according to the
//! [`ReconnectPolicy`](crate::ReconnectPolicy), connects again, authenticates
//! and sends every live subscription once. An authentication failure is
//! terminal: every subscription gets one error and ends. When no
//! subscription is left the connection is closed; when the client is dropped
//! the task ends.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use streamsea_protocol::ws::{ClientMessage, ServerMessage};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc, oneshot, watch, Notify};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use crate::config::Settings;
use crate::error::{cut, SubscribeError};
use crate::events::{ConnectionEvent, ConnectionState};
use crate::subscription::Item;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a closing handshake may take before the socket is dropped.
const CLOSE_WAIT: Duration = Duration::from_secs(1);
/// A failure count at which an error (not a warning) is logged, as the
/// JavaScript client does after 20 consecutive failures.
const LOUD_FAILURES: u32 = 20;
/// Capacity of the command queue from the client to the task.
pub(crate) const COMMAND_QUEUE: usize = 64;
/// Capacity of the event channel; slow event readers lose the oldest events.
pub(crate) const EVENT_QUEUE: usize = 256;

/// What the client and the task share.
pub(crate) struct Shared {
    pub(crate) state: watch::Sender<ConnectionState>,
    pub(crate) events: broadcast::Sender<ConnectionEvent>,
    pub(crate) last_error: Mutex<Option<String>>,
}

impl Shared {
    pub(crate) fn new() -> Shared {
        Shared {
            state: watch::Sender::new(ConnectionState::Idle),
            events: broadcast::Sender::new(EVENT_QUEUE),
            last_error: Mutex::new(None),
        }
    }

    pub(crate) fn last_error(&self) -> Option<String> {
        self.last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_last_error(&self, e: Option<String>) {
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = e;
    }
}

/// A subscription request from the client.
pub(crate) struct NewSub {
    pub(crate) stream: String,
    pub(crate) group_id: Option<String>,
    pub(crate) tx: mpsc::Sender<Item>,
    pub(crate) confirm: oneshot::Sender<Result<(), SubscribeError>>,
}

/// The client's side of the task. Dropping it ends the task.
pub(crate) struct Handle {
    pub(crate) commands: mpsc::Sender<NewSub>,
    pub(crate) dropped: Arc<Notify>,
    _alive: watch::Sender<()>,
}

impl Handle {
    /// Spawns the task on the current tokio runtime.
    pub(crate) fn spawn(settings: Arc<Settings>, shared: Arc<Shared>) -> Handle {
        let (commands, cmd_rx) = mpsc::channel(COMMAND_QUEUE);
        let (alive_tx, alive_rx) = watch::channel(());
        let dropped = Arc::new(Notify::new());
        let task = Task {
            settings,
            shared,
            commands: cmd_rx,
            alive: alive_rx,
            dropped: dropped.clone(),
            subs: BTreeMap::new(),
            next_key: 1,
        };
        tokio::spawn(task.run());
        Handle {
            commands,
            dropped,
            _alive: alive_tx,
        }
    }
}

/// A live subscription, as the task keeps it.
struct Sub {
    stream: String,
    group_id: Option<String>,
    tx: mpsc::Sender<Item>,
    /// Present until the server first confirms (or refuses) the subscription.
    confirm: Option<oneshot::Sender<Result<(), SubscribeError>>>,
}

/// One open, authenticated connection and its routing tables.
struct Conn {
    ws: Ws,
    next_id: u64,
    /// Message id to subscription key, for this connection.
    by_id: HashMap<u64, u64>,
    /// Ids whose subscription reply has not come yet.
    pending: HashSet<u64>,
    /// Ids of re-sent subscriptions not yet confirmed, after a reconnection.
    resubscribing: HashSet<u64>,
    resubscribed: usize,
    last_frame: Instant,
}

enum Exit {
    /// The client is gone: end the task.
    Gone,
    /// No subscription is left (or all ended): wait for a new one.
    Idle,
    /// The connection was lost: reconnect.
    Lost(String),
}

enum ConnectFailure {
    Auth(String),
    Transient(String),
}

enum Waited {
    Elapsed,
    Idle,
    Gone,
}

struct Task {
    settings: Arc<Settings>,
    shared: Arc<Shared>,
    commands: mpsc::Receiver<NewSub>,
    alive: watch::Receiver<()>,
    dropped: Arc<Notify>,
    subs: BTreeMap<u64, Sub>,
    next_key: u64,
}

impl Task {
    async fn run(mut self) {
        let mut lost: Option<String> = None;
        loop {
            self.sweep();
            if self.subs.is_empty() {
                lost = None;
                if !matches!(*self.shared.state.borrow(), ConnectionState::Failed { .. }) {
                    self.set_state(ConnectionState::Idle);
                }
                let next = tokio::select! {
                    _ = self.alive.changed() => None,
                    cmd = self.commands.recv() => cmd,
                };
                match next {
                    Some(new) => {
                        self.add(new);
                        continue;
                    }
                    None => break,
                }
            }
            let reconnecting = lost.take().is_some();
            let (ws, jail_id) = match self.connect_with_retries(reconnecting).await {
                Ok(c) => c,
                Err(Exit::Gone) => break,
                Err(_) => continue,
            };
            match self.serve(ws, jail_id).await {
                Exit::Gone => break,
                Exit::Idle => {}
                Exit::Lost(reason) => {
                    self.shared.set_last_error(Some(reason.clone()));
                    self.event(ConnectionEvent::Disconnected {
                        reason: reason.clone(),
                    });
                    lost = Some(reason);
                }
            }
        }
        tracing::debug!("connection task ended: the client was dropped");
    }

    fn set_state(&self, state: ConnectionState) {
        self.shared.state.send_replace(state);
    }

    fn event(&self, event: ConnectionEvent) {
        match &event {
            ConnectionEvent::Connected { .. }
            | ConnectionEvent::Resubscribed { .. }
            | ConnectionEvent::Closed => tracing::info!(%event, "streamsea connection"),
            ConnectionEvent::Reconnecting { .. } => tracing::debug!(%event, "streamsea connection"),
            ConnectionEvent::Disconnected { .. } | ConnectionEvent::ProtocolError { .. } => {
                tracing::warn!(%event, "streamsea connection")
            }
            ConnectionEvent::AuthenticationFailed { .. } | ConnectionEvent::GaveUp { .. } => {
                tracing::error!(%event, "streamsea connection")
            }
        }
        let _ = self.shared.events.send(event);
    }

    fn add(&mut self, new: NewSub) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.subs.insert(
            key,
            Sub {
                stream: new.stream,
                group_id: new.group_id,
                tx: new.tx,
                confirm: Some(new.confirm),
            },
        );
        key
    }

    /// Forgets subscriptions whose subscriber is gone.
    fn sweep(&mut self) {
        self.subs.retain(|_, s| !s.tx.is_closed());
    }

    /// Ends every subscription with `error` (one item each), then forgets them.
    fn fail_all(&mut self, error: SubscribeError) {
        for (_, sub) in std::mem::take(&mut self.subs) {
            match sub.confirm {
                Some(confirm) => {
                    let _ = confirm.send(Err(error.clone()));
                }
                None => {
                    // The buffer may be full: hand the error over without
                    // holding up the task; this ends when it is read or the
                    // subscription is dropped.
                    let tx = sub.tx;
                    let e = error.clone();
                    tokio::spawn(async move {
                        let _ = tx.send(Err(e)).await;
                    });
                }
            }
        }
    }

    /// Waits `delay`, meanwhile taking new subscriptions and noticing dropped
    /// ones.
    async fn wait(&mut self, delay: Duration) -> Waited {
        let sleep = tokio::time::sleep(delay);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = &mut sleep => return Waited::Elapsed,
                _ = self.alive.changed() => return Waited::Gone,
                cmd = self.commands.recv() => match cmd {
                    Some(new) => { self.add(new); }
                    None => return Waited::Gone,
                },
                _ = self.dropped.notified() => {
                    self.sweep();
                    if self.subs.is_empty() {
                        return Waited::Idle;
                    }
                }
            }
        }
    }

    /// Opens and authenticates a connection, retrying per the policy.
    /// `Err(Exit::Idle)`: no subscription left, or all ended with an error.
    async fn connect_with_retries(&mut self, reconnecting: bool) -> Result<(Ws, String), Exit> {
        let policy = self.settings.reconnect.clone();
        let mut failures: u32 = 0;
        let mut wait_first = reconnecting;
        loop {
            if wait_first {
                let delay = policy.delay(failures);
                self.set_state(ConnectionState::Reconnecting {
                    attempt: failures + 1,
                });
                self.event(ConnectionEvent::Reconnecting {
                    attempt: failures + 1,
                    delay,
                });
                match self.wait(delay).await {
                    Waited::Elapsed => {}
                    Waited::Idle => return Err(Exit::Idle),
                    Waited::Gone => return Err(Exit::Gone),
                }
            }
            wait_first = true;
            self.sweep();
            if self.subs.is_empty() {
                return Err(Exit::Idle);
            }
            self.set_state(ConnectionState::Connecting);
            let attempt = tokio::select! {
                r = connect(&self.settings) => r,
                _ = self.alive.changed() => return Err(Exit::Gone),
            };
            match attempt {
                Ok(c) => return Ok(c),
                Err(ConnectFailure::Auth(message)) => {
                    self.shared
                        .set_last_error(Some(format!("authentication failed: {message}")));
                    self.event(ConnectionEvent::AuthenticationFailed {
                        message: message.clone(),
                    });
                    self.set_state(ConnectionState::Failed {
                        reason: format!("authentication failed: {message}"),
                    });
                    self.fail_all(SubscribeError::Authentication { message });
                    return Err(Exit::Idle);
                }
                Err(ConnectFailure::Transient(reason)) => {
                    failures += 1;
                    self.shared.set_last_error(Some(reason.clone()));
                    if failures % LOUD_FAILURES == 0 {
                        tracing::error!(failures, %reason, "streamsea connection keeps failing");
                    }
                    self.event(ConnectionEvent::Disconnected {
                        reason: reason.clone(),
                    });
                    if policy.max_attempts.is_some_and(|max| failures >= max) {
                        self.event(ConnectionEvent::GaveUp {
                            attempts: failures,
                            last_error: reason.clone(),
                        });
                        self.set_state(ConnectionState::Failed {
                            reason: format!("gave up after {failures} attempts: {reason}"),
                        });
                        self.fail_all(SubscribeError::GaveUp {
                            attempts: failures,
                            last_error: reason,
                        });
                        return Err(Exit::Idle);
                    }
                }
            }
        }
    }

    /// Runs one authenticated connection until it is lost, emptied, or the
    /// client is gone.
    async fn serve(&mut self, ws: Ws, jail_id: String) -> Exit {
        self.shared.set_last_error(None);
        self.set_state(ConnectionState::Connected);
        self.event(ConnectionEvent::Connected { jail_id });
        let mut conn = Conn {
            ws,
            next_id: 2,
            by_id: HashMap::new(),
            pending: HashSet::new(),
            resubscribing: HashSet::new(),
            resubscribed: 0,
            last_frame: Instant::now(),
        };
        let keys: Vec<u64> = self.subs.keys().copied().collect();
        for key in keys {
            if let Err(reason) = self.send_subscribe(&mut conn, key).await {
                return Exit::Lost(reason);
            }
        }
        let silence = self.settings.silence_timeout;
        loop {
            let deadline = conn.last_frame + silence;
            let exit = tokio::select! {
                _ = self.alive.changed() => Some(Exit::Gone),
                cmd = self.commands.recv() => match cmd {
                    Some(new) => {
                        let key = self.add(new);
                        self.send_subscribe(&mut conn, key).await.err().map(Exit::Lost)
                    }
                    None => Some(Exit::Gone),
                },
                _ = self.dropped.notified() => {
                    self.sweep();
                    self.after_removal(&mut conn);
                    self.subs.is_empty().then_some(Exit::Idle)
                }
                frame = conn.ws.next() => {
                    let exit = self.frame(&mut conn, frame).await;
                    conn.last_frame = Instant::now();
                    exit
                }
                _ = tokio::time::sleep_until(deadline) => Some(Exit::Lost(format!(
                    "no frame from the server for {silence:?}: taking the connection for dead"
                ))),
            };
            match exit {
                None => {}
                Some(Exit::Gone) => {
                    close(&mut conn.ws, CloseCode::Away, "client dropped").await;
                    return Exit::Gone;
                }
                Some(Exit::Idle) => {
                    close(&mut conn.ws, CloseCode::Normal, "no subscription left").await;
                    if self.subs.is_empty() {
                        self.event(ConnectionEvent::Closed);
                    }
                    return Exit::Idle;
                }
                Some(Exit::Lost(reason)) => {
                    close(&mut conn.ws, CloseCode::Normal, "reconnecting").await;
                    return Exit::Lost(reason);
                }
            }
        }
    }

    async fn send_subscribe(&mut self, conn: &mut Conn, key: u64) -> Result<(), String> {
        let Some(sub) = self.subs.get(&key) else {
            return Ok(());
        };
        let id = conn.next_id;
        conn.next_id += 1;
        conn.by_id.insert(id, key);
        conn.pending.insert(id);
        if sub.confirm.is_none() {
            conn.resubscribing.insert(id);
            conn.resubscribed += 1;
        }
        let frame = ClientMessage::Subscribe {
            id,
            stream: sub.stream.clone(),
            group_id: sub.group_id.clone(),
        }
        .to_json();
        tracing::debug!(id, stream = %sub.stream, "subscribing");
        conn.ws
            .send(Message::text(frame))
            .await
            .map_err(|e| format!("sending a subscription failed: {e}"))
    }

    /// After subscriptions were removed: forget their pending
    /// re-subscriptions, and report when the rest are confirmed.
    fn after_removal(&mut self, conn: &mut Conn) {
        let subs = &self.subs;
        conn.by_id.retain(|_, key| subs.contains_key(key));
        let by_id = &conn.by_id;
        conn.resubscribing.retain(|id| by_id.contains_key(id));
        self.check_resubscribed(conn);
    }

    fn check_resubscribed(&self, conn: &mut Conn) {
        if conn.resubscribed > 0 && conn.resubscribing.is_empty() {
            self.event(ConnectionEvent::Resubscribed {
                subscriptions: conn.resubscribed,
            });
            conn.resubscribed = 0;
        }
    }

    fn protocol_error(&self, reason: String) {
        self.event(ConnectionEvent::ProtocolError { reason });
    }

    /// Handles one frame; `Some` when the connection must end.
    async fn frame(
        &mut self,
        conn: &mut Conn,
        frame: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) -> Option<Exit> {
        let text = match frame {
            None => return Some(Exit::Lost("the connection ended".into())),
            Some(Err(e)) => return Some(Exit::Lost(format!("the connection failed: {e}"))),
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => {
                return Some(Exit::Lost(match frame {
                    Some(f) => format!(
                        "the server closed the connection ({}: {})",
                        u16::from(f.code),
                        cut(&f.reason, 123)
                    ),
                    None => "the server closed the connection".into(),
                }))
            }
            Some(Ok(Message::Binary(b))) => {
                self.protocol_error(format!(
                    "a binary frame ({} bytes) where JSON text was expected; ignored",
                    b.len()
                ));
                return None;
            }
            Some(Ok(_)) => return None, // ping, pong, raw frame
        };
        let msg = match ServerMessage::parse(text.as_str()) {
            Ok(m) => m,
            Err(e) => {
                let reason = format!("{e} (frame: {})", cut(text.as_str(), 200));
                // Without an id nothing can be routed: the connection cannot be trusted.
                let Some(id) = e.id else {
                    self.protocol_error(reason.clone());
                    return Some(Exit::Lost(format!("protocol error: {reason}")));
                };
                match conn.by_id.get(&id).copied() {
                    Some(key) if self.subs.contains_key(&key) => {
                        let stream = self.subs.get(&key).map(|s| s.stream.clone());
                        let item = Err(SubscribeError::Protocol {
                            stream: stream.unwrap_or_default(),
                            reason,
                        });
                        return self.deliver(key, item).await;
                    }
                    _ => self.protocol_error(reason),
                }
                return None;
            }
        };
        match msg {
            ServerMessage::Authenticated { id, .. } => {
                self.protocol_error(format!(
                    "an authentication reply (id {id}) on an authenticated connection; ignored"
                ));
                None
            }
            ServerMessage::Subscribed { id, stream_name } => {
                if !conn.pending.remove(&id) {
                    self.protocol_error(format!(
                        "a subscription reply for id {id}, which awaits none; ignored"
                    ));
                    return None;
                }
                let key = conn.by_id.get(&id).copied();
                if let Some(sub) = key.and_then(|k| self.subs.get_mut(&k)) {
                    if stream_name != sub.stream {
                        tracing::warn!(id, expected = %sub.stream, got = %cut(&stream_name, 128), "subscription reply names another stream");
                    }
                    if let Some(confirm) = sub.confirm.take() {
                        let _ = confirm.send(Ok(()));
                    }
                }
                conn.resubscribing.remove(&id);
                self.check_resubscribed(conn);
                None
            }
            ServerMessage::Delivery {
                id,
                stream_name,
                payload,
            } => self.delivery(conn, id, stream_name, payload).await,
            ServerMessage::Error {
                id,
                action,
                message,
            } => {
                let message = cut(&message, 1024);
                let key = conn.by_id.get(&id).copied();
                if conn.pending.remove(&id) {
                    conn.resubscribing.remove(&id);
                    if let Some(sub) = key.and_then(|k| self.subs.remove(&k)) {
                        tracing::warn!(id, stream = %sub.stream, %message, "subscription refused");
                        let error = SubscribeError::Refused {
                            stream: sub.stream,
                            message,
                        };
                        match sub.confirm {
                            Some(confirm) => {
                                let _ = confirm.send(Err(error));
                            }
                            None => {
                                let tx = sub.tx;
                                tokio::spawn(async move {
                                    let _ = tx.send(Err(error)).await;
                                });
                            }
                        }
                    }
                    self.check_resubscribed(conn);
                    return self.subs.is_empty().then_some(Exit::Idle);
                }
                match key {
                    Some(key) if self.subs.contains_key(&key) => {
                        let stream = self.subs.get(&key).map(|s| s.stream.clone());
                        let item = Err(SubscribeError::Protocol {
                            stream: stream.unwrap_or_default(),
                            reason: format!("error reply ({action}): {message}"),
                        });
                        self.deliver(key, item).await
                    }
                    _ => {
                        self.protocol_error(format!(
                            "an error reply for id {id} ({}): {message}",
                            cut(&action, 64)
                        ));
                        None
                    }
                }
            }
        }
    }

    async fn delivery(
        &mut self,
        conn: &mut Conn,
        id: u64,
        stream_name: String,
        payload: Value,
    ) -> Option<Exit> {
        let sub = conn
            .by_id
            .get(&id)
            .and_then(|key| Some((*key, self.subs.get(key)?)));
        let Some((key, sub)) = sub else {
            if id > 1 && id < conn.next_id {
                // A subscription dropped earlier: stream-sea has no
                // unsubscribe and keeps sending its share until the
                // connection closes.
                tracing::trace!(id, "delivery for a dropped subscription discarded");
            } else {
                self.protocol_error(format!(
                    "a delivery for id {id}, which names no subscription; ignored"
                ));
            }
            return None;
        };
        let item = if stream_name == sub.stream {
            Ok(payload)
        } else {
            Err(SubscribeError::Protocol {
                stream: sub.stream.clone(),
                reason: format!(
                    "a delivery for stream `{}` arrived on this subscription",
                    cut(&stream_name, 128)
                ),
            })
        };
        self.deliver(key, item).await
    }

    /// Hands an item to a subscription, waiting for room in its buffer.
    async fn deliver(&mut self, key: u64, item: Item) -> Option<Exit> {
        let tx = self.subs.get(&key)?.tx.clone();
        let sent = tokio::select! {
            r = tx.send(item) => r.is_ok(),
            _ = self.alive.changed() => return Some(Exit::Gone),
        };
        if !sent {
            self.subs.remove(&key);
            if self.subs.is_empty() {
                return Some(Exit::Idle);
            }
        }
        None
    }
}

/// Opens the WebSocket and authenticates, within the connect timeout.
async fn connect(settings: &Settings) -> Result<(Ws, String), ConnectFailure> {
    let timeout = settings.connect_timeout;
    match tokio::time::timeout(timeout, open_and_authenticate(settings)).await {
        Ok(r) => r,
        Err(_) => Err(ConnectFailure::Transient(format!(
            "no connection and authentication reply within {timeout:?}"
        ))),
    }
}

async fn open_and_authenticate(settings: &Settings) -> Result<(Ws, String), ConnectFailure> {
    let url = settings.ws_url();
    let config = WebSocketConfig::default()
        .max_message_size(Some(settings.max_message_bytes))
        .max_frame_size(Some(settings.max_message_bytes));
    let connector = match &settings.tls {
        Some(tls) => Connector::Rustls(tls.clone()),
        None => Connector::Plain,
    };
    let (mut ws, _) =
        tokio_tungstenite::connect_async_tls_with_config(&url, Some(config), true, Some(connector))
            .await
            .map_err(|e| ConnectFailure::Transient(format!("cannot connect to {url}: {e}")))?;
    let auth = ClientMessage::Authenticate {
        id: 1,
        credentials: settings.credentials.clone(),
    };
    ws.send(Message::text(auth.to_json()))
        .await
        .map_err(|e| ConnectFailure::Transient(format!("sending authentication failed: {e}")))?;
    loop {
        let frame = match ws.next().await {
            None => {
                return Err(ConnectFailure::Transient(
                    "the connection ended before the authentication reply".into(),
                ))
            }
            Some(Err(e)) => {
                return Err(ConnectFailure::Transient(format!(
                    "the connection failed before the authentication reply: {e}"
                )))
            }
            Some(Ok(f)) => f,
        };
        let text = match frame {
            Message::Text(t) => t,
            Message::Close(f) => {
                return Err(ConnectFailure::Transient(match f {
                    Some(f) => format!(
                        "the server closed the connection before authenticating ({}: {})",
                        u16::from(f.code),
                        cut(&f.reason, 123)
                    ),
                    None => "the server closed the connection before authenticating".into(),
                }))
            }
            _ => continue,
        };
        return match ServerMessage::parse(text.as_str()) {
            Ok(ServerMessage::Authenticated { id: 1, jail_id }) => Ok((ws, jail_id)),
            Ok(ServerMessage::Error { id: 1, message, .. }) => {
                // PROTOCOL.md: after a failed authentication the client closes and
                // sends nothing more.
                close(&mut ws, CloseCode::Normal, "authentication failed").await;
                Err(ConnectFailure::Auth(if message.is_empty() {
                    "the server refused the credentials".into()
                } else {
                    cut(&message, 1024)
                }))
            }
            Ok(other) => Err(ConnectFailure::Transient(format!(
                "expected the authentication reply (id 1), got a message for id {}",
                other.id()
            ))),
            Err(e) => Err(ConnectFailure::Transient(format!(
                "unreadable authentication reply: {e} (frame: {})",
                cut(text.as_str(), 200)
            ))),
        };
    }
}

/// Sends a close frame, waiting at most [`CLOSE_WAIT`].
async fn close(ws: &mut Ws, code: CloseCode, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.to_string().into(),
    };
    let _ = tokio::time::timeout(CLOSE_WAIT, ws.close(Some(frame))).await;
}
