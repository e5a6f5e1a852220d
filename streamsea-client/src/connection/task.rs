//! The connection task: opens the connection when the first subscription
//! arrives, feeds the [`Router`] with commands and frames, watches for
//! silence, and reconnects.
//!
//! Frames are read in batches: every frame already received is handled
//! before the subscribers that got something are woken, once each. A
//! subscription with the backpressure policy and a full buffer stops the
//! reading until its subscriber takes something (the other subscriptions
//! wait too); with the default policy nothing waits.
//!
//! When the connection is lost (closed, reset, malformed frames, or silent
//! for longer than the silence timeout), the task waits according to the
//! [`ReconnectPolicy`](crate::ReconnectPolicy), connects again,
//! authenticates and sends every live subscription once. An authentication
//! failure is terminal: every subscription gets one error and ends. When no
//! subscription is left the connection is closed; when no one holds the
//! connection (no client clone, no subscription) the task ends.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::sync::{mpsc, watch, Notify};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

use super::handshake::{close, connect, ConnectFailure, Ws};
use super::router::{Router, Step};
use super::{LastError, NewSub, Shared};
use crate::config::Settings;
use crate::delivery::Payload;
use crate::error::{cut, NetworkCause, SubscribeError};
use crate::events::{ConnectionEvent, ConnectionState};
use crate::http::cause_in_chain;

/// A failure count at which an error (not a warning) is logged, as the
/// JavaScript client does after 20 consecutive failures.
const LOUD_FAILURES: u32 = 20;
/// The most frames handled before the subscribers are woken.
const BATCH: usize = 256;

enum Exit {
    /// No one holds the connection: end the task.
    Gone,
    /// No subscription is left (or all ended): wait for a new one.
    Idle,
    /// The connection was lost: reconnect.
    Lost(String),
}

enum Waited {
    Elapsed,
    Idle,
    Gone,
}

pub(super) struct Task {
    settings: Arc<Settings>,
    shared: Arc<Shared>,
    commands: mpsc::Receiver<NewSub>,
    alive: watch::Receiver<()>,
    dropped: Arc<Notify>,
    router: Router,
    /// The kind of network failure that lost the current connection, when
    /// one is known (the watchdog's silence, an I/O or TLS error).
    lost_cause: Option<NetworkCause>,
}

impl Task {
    pub(super) fn new(
        settings: Arc<Settings>,
        shared: Arc<Shared>,
        commands: mpsc::Receiver<NewSub>,
        alive: watch::Receiver<()>,
        dropped: Arc<Notify>,
    ) -> Task {
        Task {
            settings,
            shared,
            commands,
            alive,
            dropped,
            router: Router::new(),
            lost_cause: None,
        }
    }

    pub(super) async fn run(mut self) {
        let mut lost: Option<String> = None;
        loop {
            self.router.sweep();
            self.events();
            if self.router.is_empty() {
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
                        self.router.add(new);
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
            self.lost_cause = None;
            match self.serve(ws, jail_id).await {
                Exit::Gone => break,
                Exit::Idle => {}
                Exit::Lost(reason) => {
                    let cause = self.lost_cause.take();
                    self.shared.set_last_error(Some(LastError {
                        reason: reason.clone(),
                        cause,
                    }));
                    self.router.lost(&reason);
                    self.event(ConnectionEvent::Disconnected {
                        reason: reason.clone(),
                        cause,
                    });
                    lost = Some(reason);
                }
            }
        }
        tracing::debug!("connection task ended: no client or subscription is left");
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

    /// Publishes the router's events.
    fn events(&mut self) {
        let events: Vec<ConnectionEvent> = self.router.take_events().collect();
        for e in events {
            self.event(e);
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
                    Some(new) => { self.router.add(new); }
                    None => return Waited::Gone,
                },
                _ = self.dropped.notified() => {
                    self.router.sweep();
                    if self.router.is_empty() {
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
            self.router.sweep();
            if self.router.is_empty() {
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
                    self.shared.set_last_error(Some(LastError {
                        reason: format!("authentication failed: {message}"),
                        cause: None,
                    }));
                    self.event(ConnectionEvent::AuthenticationFailed {
                        message: message.clone(),
                    });
                    self.set_state(ConnectionState::Failed {
                        reason: format!("authentication failed: {message}"),
                    });
                    self.router
                        .fail_all(SubscribeError::Authentication { message });
                    return Err(Exit::Idle);
                }
                Err(ConnectFailure::Transient { reason, cause }) => {
                    failures += 1;
                    self.shared.set_last_error(Some(LastError {
                        reason: reason.clone(),
                        cause,
                    }));
                    if failures % LOUD_FAILURES == 0 {
                        tracing::error!(failures, %reason, "streamsea connection keeps failing");
                    }
                    self.event(ConnectionEvent::Disconnected {
                        reason: reason.clone(),
                        cause,
                    });
                    if policy.max_attempts.is_some_and(|max| failures >= max) {
                        self.event(ConnectionEvent::GaveUp {
                            attempts: failures,
                            last_error: reason.clone(),
                        });
                        self.set_state(ConnectionState::Failed {
                            reason: format!("gave up after {failures} attempts: {reason}"),
                        });
                        self.router.fail_all(SubscribeError::GaveUp {
                            attempts: failures,
                            last_error: reason,
                            cause,
                        });
                        return Err(Exit::Idle);
                    }
                }
            }
        }
    }

    /// Runs one authenticated connection until it is lost, emptied, or no
    /// one holds it.
    async fn serve(&mut self, mut ws: Ws, jail_id: String) -> Exit {
        self.shared.set_last_error(None);
        self.set_state(ConnectionState::Connected);
        self.event(ConnectionEvent::Connected { jail_id });
        let exit = self.serve_inner(&mut ws).await;
        self.router.flush();
        self.events();
        match &exit {
            Exit::Gone => close(&mut ws, CloseCode::Away, "client dropped").await,
            Exit::Idle => {
                close(&mut ws, CloseCode::Normal, "no subscription left").await;
                if self.router.is_empty() {
                    self.event(ConnectionEvent::Closed);
                }
            }
            Exit::Lost(_) => close(&mut ws, CloseCode::Normal, "reconnecting").await,
        }
        exit
    }

    async fn serve_inner(&mut self, ws: &mut Ws) -> Exit {
        for frame in self.router.connected() {
            if let Err(reason) = send(ws, frame).await {
                return Exit::Lost(reason);
            }
        }
        let silence = self.settings.silence_timeout;
        let mut last_frame = Instant::now();
        // One timer for the watchdog, moved on only when it fires (reset per
        // frame, it would cost a timer update per batch). A silence timeout
        // too long to add is no watchdog at all.
        let watchdog = tokio::time::sleep_until(far(last_frame, silence));
        tokio::pin!(watchdog);
        loop {
            let step = tokio::select! {
                _ = self.alive.changed() => return Exit::Gone,
                cmd = self.commands.recv() => match cmd {
                    Some(new) => {
                        let key = self.router.add(new);
                        match self.router.subscribe(key) {
                            Some(frame) => match send(ws, frame).await {
                                Ok(()) => Step::Go,
                                Err(reason) => Step::Lost(reason),
                            },
                            None => Step::Go,
                        }
                    }
                    None => return Exit::Gone,
                },
                _ = self.dropped.notified() => {
                    self.router.sweep();
                    if self.router.is_empty() { Step::Idle } else { Step::Go }
                }
                frame = ws.next() => {
                    last_frame = Instant::now();
                    let mut step = self.frame(frame);
                    // Everything already received, before waking anyone.
                    let mut handled = 1;
                    while matches!(step, Step::Go) && handled < BATCH {
                        match ws.next().now_or_never() {
                            Some(frame) => step = self.frame(frame),
                            None => break,
                        }
                        handled += 1;
                    }
                    step
                }
                _ = &mut watchdog => {
                    let deadline = far(last_frame, silence);
                    if deadline <= Instant::now() {
                        self.lost_cause = Some(NetworkCause::Timeout);
                        Step::Lost(format!(
                            "no frame from the server for {silence:?}: taking the connection for dead"
                        ))
                    } else {
                        watchdog.as_mut().reset(deadline);
                        Step::Go
                    }
                }
            };
            self.router.flush();
            self.events();
            let step = match step {
                Step::Blocked { key, payload } => match self.blocked(key, payload).await {
                    Ok(step) => step,
                    Err(exit) => return exit,
                },
                other => other,
            };
            match step {
                Step::Go | Step::Blocked { .. } => {}
                Step::Idle => return Exit::Idle,
                Step::Lost(reason) => return Exit::Lost(reason),
            }
        }
    }

    /// Waits for room in a subscription with the backpressure policy, not
    /// reading the socket meanwhile.
    async fn blocked(&mut self, key: u64, mut payload: Payload) -> Result<Step, Exit> {
        loop {
            let Some(queue) = self.router.queue(key) else {
                return Ok(Step::Go);
            };
            tokio::select! {
                _ = queue.room() => {}
                _ = self.alive.changed() => return Err(Exit::Gone),
                _ = self.dropped.notified() => self.router.sweep(),
            }
            match self.router.unblock(key, payload) {
                Step::Blocked { payload: p, .. } => payload = p,
                _ if self.router.is_empty() => return Ok(Step::Idle),
                step => {
                    self.router.flush();
                    self.events();
                    return Ok(step);
                }
            }
        }
    }

    /// Handles one frame (or the end of the stream).
    fn frame(
        &mut self,
        frame: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) -> Step {
        match frame {
            None => Step::Lost("the connection ended".into()),
            Some(Err(e)) => {
                self.lost_cause = Some(cause_in_chain(&e));
                Step::Lost(format!("the connection failed: {e}"))
            }
            Some(Ok(Message::Text(text))) => self.router.frame(&text),
            Some(Ok(Message::Close(frame))) => Step::Lost(match frame {
                Some(f) => format!(
                    "the server closed the connection ({}: {})",
                    u16::from(f.code),
                    cut(&f.reason, 123)
                ),
                None => "the server closed the connection".into(),
            }),
            Some(Ok(Message::Binary(b))) => {
                self.router.binary(b.len());
                Step::Go
            }
            Some(Ok(_)) => Step::Go, // ping, pong, raw frame
        }
    }
}

/// `from + by`, or a time far enough in the future when that overflows.
fn far(from: Instant, by: Duration) -> Instant {
    from.checked_add(by)
        .or_else(|| from.checked_add(Duration::from_secs(30 * 365 * 24 * 3600)))
        .unwrap_or(from)
}

async fn send(ws: &mut Ws, frame: String) -> Result<(), String> {
    ws.send(Message::text(frame))
        .await
        .map_err(|e| format!("sending a subscription failed: {e}"))
}
