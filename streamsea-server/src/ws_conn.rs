//! One WebSocket connection (PROTOCOL.md section 5): authentication, subscriptions,
//! deliveries, pings, and the answers to protocol violations.
//!
//! | violation | answer |
//! |---|---|
//! | a frame that is not JSON, not an object, or has no valid numeric `id` | close 1008 with the reason |
//! | an `id` other than the next one (1, 2, 3, ...) | close 1008 `expected message id N` |
//! | message 1 that is not `authenticate` | error reply, then close 1008 `not authenticated` |
//! | failed authentication | reply `Invalid credentials`, then close 1008 `authentication failed` |
//! | a second `authenticate` | error reply, the connection stays open |
//! | an unknown action, a missing `action`, a bad stream name or `groupId` | error reply, the connection stays open |
//! | a subscribe beyond [`Limits::max_subscriptions`](crate::Limits::max_subscriptions) | error reply, the connection stays open |
//! | a binary frame | close 1003 |
//! | a message over the frame size limit | close 1009 |
//! | no authentication within the configured time (30 s by default) | close 1008 `authentication timeout` |
//!
//! The server closes with 1008 `slow consumer` when the outbound queue is
//! full, `token expired` when a JWT's `exp` passes, `client deleted` or
//! `jail deleted` after those calls, and 1001 when it shuts down.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use jsonwebtoken::{Algorithm, Validation};
use streamsea_protocol::filter::Filter;
use streamsea_protocol::jwt::Claims;
use streamsea_protocol::ws::{
    ClientMessage, Credentials, FrameError, FrameErrorKind, ServerMessage, AUTHENTICATE,
    INVALID_CREDENTIALS, SUBSCRIBE, SUBSCRIPTION,
};
use tokio::sync::{watch, OwnedSemaphorePermit};
use tokio::time::Instant;

use crate::error::{clip, echo, ApiError};

use crate::hub::{CloseReason, GroupName, Registration, Subscription};
use crate::outbox::{outbox, Frame, Outbox, OutboxReceiver};

/// How long writing one reply may take before the connection is dropped.
const REPLY_SEND_TIMEOUT: Duration = Duration::from_secs(10);
use crate::server::AppState;

/// The most deliveries written before one flush.
const WRITE_BATCH_FRAMES: usize = 512;
/// The most bytes of deliveries written before one flush.
const WRITE_BATCH_BYTES: usize = 256 * 1024;

/// How long the server tries to deliver its close frame before dropping the socket.
const CLOSE_FLUSH: Duration = Duration::from_secs(10);

const GOING_AWAY: CloseReason = CloseReason {
    code: 1001,
    reason: "server shutting down",
};
const AUTH_TIMEOUT: CloseReason = CloseReason {
    code: 1008,
    reason: "authentication timeout",
};
const TOKEN_EXPIRED: CloseReason = CloseReason {
    code: 1008,
    reason: "token expired",
};

/// `GET /api/v1/streams` with an upgrade. Beyond
/// [`Limits::max_unauthenticated_ws`](crate::Limits::max_unauthenticated_ws)
/// connections waiting to authenticate, the upgrade is refused with a 503.
pub(crate) async fn upgrade(State(state): State<Arc<AppState>>, ws: WebSocketUpgrade) -> Response {
    let Ok(permit) = state.unauthenticated_ws.clone().try_acquire_owned() else {
        state.ws_refusals.refused(
            state.config.limits.max_unauthenticated_ws,
            "too many WebSocket connections have not authenticated yet",
        );
        return ApiError::unavailable(
            "Too many WebSocket connections are waiting to authenticate; try again later",
        )
        .into_response();
    };
    let max = state.config.limits.max_frame_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| async move {
            let counter = state.clone();
            let _guard = counter.ws_tasks.enter();
            Connection::new(socket, state, permit).run().await;
        })
}

/// Who is authenticated on a connection.
struct Session {
    client_id: String,
    /// How many subscriptions the connection holds.
    subscriptions: usize,
    reg: Registration,
    must_fanout: bool,
    filter: Option<Arc<Filter>>,
    expires: Option<Instant>,
}

/// What authentication established.
struct Verified {
    jail_id: String,
    must_fanout: bool,
    filter: Option<Arc<Filter>>,
    expires: Option<Instant>,
}

enum Next {
    Continue,
    Close(CloseReason, String),
    Stop,
}

struct Connection {
    socket: WebSocket,
    state: Arc<AppState>,
    next_id: u64,
    session: Option<Session>,
    out_tx: Outbox,
    out_rx: OutboxReceiver,
    shutdown: watch::Receiver<bool>,
    /// Held until the connection authenticates.
    unauthenticated: Option<OwnedSemaphorePermit>,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The most bytes of a close reason kept before the `...` that says it was
/// cut: a close frame carries at most 123 bytes of reason.
const CLOSE_REASON_KEPT: usize = 120;

fn violation(reason: impl Into<String>) -> Next {
    Next::Close(
        CloseReason {
            code: 1008,
            reason: "protocol violation",
        },
        reason.into(),
    )
}

impl Connection {
    fn new(socket: WebSocket, state: Arc<AppState>, permit: OwnedSemaphorePermit) -> Connection {
        let limits = &state.config.limits;
        let (out_tx, out_rx) = outbox(
            limits.outbound_queue,
            limits.outbound_queue_bytes,
            state.hub.budget(),
        );
        let shutdown = state.shutdown.clone();
        Connection {
            socket,
            state,
            next_id: 1,
            session: None,
            out_tx,
            out_rx,
            shutdown,
            unauthenticated: Some(permit),
        }
    }

    async fn run(mut self) {
        // Pings also keep a quiet connection under the idle timeout.
        let period = self
            .state
            .config
            .ping_interval
            .min(self.state.config.idle_timeout / 2)
            .max(Duration::from_millis(10));
        let mut ping = tokio::time::interval_at(Instant::now() + period, period);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut close_rx: Option<watch::Receiver<Option<CloseReason>>> = None;
        let auth_deadline = Instant::now() + self.state.config.auth_timeout;
        let outcome = loop {
            if *self.shutdown.borrow() {
                break Next::Close(GOING_AWAY, GOING_AWAY.reason.into());
            }
            let expires = self.session.as_ref().and_then(|s| s.expires);
            let step = tokio::select! {
                biased;
                _ = self.shutdown.changed() => Next::Close(GOING_AWAY, GOING_AWAY.reason.into()),
                reason = wait_close(&mut close_rx) => {
                    match reason {
                        Some(r) => { let text = r.reason.to_string(); Next::Close(r, text) }
                        None => Next::Stop,
                    }
                }
                _ = tokio::time::sleep_until(auth_deadline), if self.session.is_none() => {
                    Next::Close(AUTH_TIMEOUT, AUTH_TIMEOUT.reason.into())
                }
                _ = tokio::time::sleep_until(expires.unwrap_or_else(Instant::now)), if expires.is_some() => {
                    Next::Close(TOKEN_EXPIRED, TOKEN_EXPIRED.reason.into())
                }
                Some(frame) = self.out_rx.recv() => self.send_deliveries(frame, &mut close_rx).await,
                _ = ping.tick() => {
                    self.send(Message::Ping(Default::default()), &mut close_rx).await
                }
                incoming = self.socket.recv() => self.incoming(incoming).await,
            };
            if close_rx.is_none() {
                close_rx = self.session.as_ref().map(|s| s.reg.close.clone());
            }
            match step {
                Next::Continue => {}
                other => break other,
            }
        };
        // What waits for a closing connection is never sent: give it back now.
        self.out_rx.close_and_drain();
        if let Next::Close(reason, text) = outcome {
            self.close(reason.code, &text).await;
        }
        if let Some(s) = &self.session {
            self.state.hub.unregister(s.reg.conn);
            tracing::debug!(conn = s.reg.conn, client_id = %s.client_id, "connection ended");
        }
    }

    /// Sends a frame; gives up when the connection is told to close meanwhile
    /// (a client that does not read cannot hold the task).
    async fn send(
        &mut self,
        msg: Message,
        close_rx: &mut Option<watch::Receiver<Option<CloseReason>>>,
    ) -> Next {
        let write = self.socket.send(msg);
        guarded(write, close_rx, &mut self.shutdown).await
    }

    /// Sends `first` and every delivery already queued behind it (up to
    /// [`WRITE_BATCH_FRAMES`] frames or [`WRITE_BATCH_BYTES`] bytes), then
    /// flushes once: a burst of deliveries leaves in a few writes instead of
    /// one write per frame, which costs the server and the subscriber less.
    /// Gives up, like [`Connection::send`], when the connection is told to
    /// close meanwhile.
    async fn send_deliveries(
        &mut self,
        first: Frame,
        close_rx: &mut Option<watch::Receiver<Option<CloseReason>>>,
    ) -> Next {
        let Connection {
            socket,
            out_rx,
            shutdown,
            ..
        } = self;
        let write = async {
            let text = first.encode();
            let mut bytes = text.len();
            socket.feed(Message::Text(Utf8Bytes::from(text))).await?;
            let mut frames = 1;
            while frames < WRITE_BATCH_FRAMES && bytes < WRITE_BATCH_BYTES {
                let Some(frame) = out_rx.try_next() else {
                    break;
                };
                let text = frame.encode();
                bytes += text.len();
                frames += 1;
                socket.feed(Message::Text(Utf8Bytes::from(text))).await?;
            }
            socket.flush().await
        };
        guarded(write, close_rx, shutdown).await
    }

    /// Sends a reply. A peer that sends requests but never reads cannot hold
    /// the task: the session's close signals still apply, and a reply that
    /// cannot be written within [`REPLY_SEND_TIMEOUT`] ends the connection.
    async fn reply(&mut self, msg: ServerMessage) -> Next {
        let mut close_rx = self.session.as_ref().map(|s| s.reg.close.clone());
        let frame = Message::Text(Utf8Bytes::from(msg.to_json()));
        match tokio::time::timeout(REPLY_SEND_TIMEOUT, self.send(frame, &mut close_rx)).await {
            Ok(next) => next,
            Err(_) => {
                tracing::warn!("closing a connection that does not read its replies");
                Next::Stop
            }
        }
    }

    async fn close(&mut self, code: u16, reason: &str) {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from(clip(reason, CLOSE_REASON_KEPT).into_owned()),
        };
        let _ =
            tokio::time::timeout(CLOSE_FLUSH, self.socket.send(Message::Close(Some(frame)))).await;
        // Give the peer a moment to answer the close; never wait long.
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(m)) = self.socket.recv().await {
                if matches!(m, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }

    async fn incoming(&mut self, incoming: Option<Result<Message, axum::Error>>) -> Next {
        match incoming {
            None => Next::Stop,
            Some(Err(e)) => {
                let text = e.to_string();
                if text.contains("too long") || text.contains("Space limit") {
                    tracing::info!("closing a connection that sent a message over the size limit");
                    Next::Close(
                        CloseReason {
                            code: 1009,
                            reason: "message too big",
                        },
                        format!(
                            "message too big (limit {} bytes)",
                            self.state.config.limits.max_frame_bytes
                        ),
                    )
                } else {
                    tracing::debug!(error = %text, "WebSocket read error");
                    Next::Stop
                }
            }
            Some(Ok(Message::Text(text))) => self.text(text.as_str()).await,
            Some(Ok(Message::Binary(_))) => Next::Close(
                CloseReason {
                    code: 1003,
                    reason: "binary frames are not supported",
                },
                "binary frames are not supported: send JSON text frames".into(),
            ),
            Some(Ok(Message::Close(_))) => Next::Stop,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => Next::Continue,
        }
    }

    async fn text(&mut self, text: &str) -> Next {
        let expected = self.next_id;
        let msg = match ClientMessage::parse(text) {
            Ok(m) => m,
            Err(e) => return self.bad_frame(e).await,
        };
        if msg.id() != expected {
            return violation(format!("expected message id {expected}, got {}", msg.id()));
        }
        self.next_id += 1;
        match msg {
            ClientMessage::Authenticate { id, credentials } => {
                if self.session.is_some() {
                    return self
                        .reply(ServerMessage::Error {
                            id,
                            action: AUTHENTICATE.into(),
                            message: "Already authenticated: only message 1 may authenticate"
                                .into(),
                        })
                        .await;
                }
                self.authenticate(id, credentials).await
            }
            ClientMessage::Subscribe {
                id,
                stream,
                group_id,
            } => {
                if self.session.is_none() {
                    let sent = self
                        .reply(ServerMessage::Error {
                            id,
                            action: SUBSCRIPTION.into(),
                            message: "Not authenticated: message 1 must be authenticate".into(),
                        })
                        .await;
                    return match sent {
                        Next::Continue => violation("not authenticated"),
                        other => other,
                    };
                }
                self.subscribe(id, stream, group_id).await
            }
        }
    }

    async fn bad_frame(&mut self, e: FrameError) -> Next {
        let expected = self.next_id;
        let Some(id) = e.id else {
            return violation(e.to_string());
        };
        if id != expected {
            return violation(format!("expected message id {expected}, got {id}"));
        }
        self.next_id += 1;
        // The reply repeats at most a short prefix of what the client sent.
        let action = match e.action.as_deref() {
            Some(SUBSCRIBE) => SUBSCRIPTION.to_string(),
            Some(other) => echo(other).into_owned(),
            None => String::new(),
        };
        let shown = FrameError {
            id: e.id,
            action: e.action.as_deref().map(|a| echo(a).into_owned()),
            kind: match &e.kind {
                FrameErrorKind::UnknownAction(a) => {
                    FrameErrorKind::UnknownAction(echo(a).into_owned())
                }
                other => other.clone(),
            },
        };
        let message = shown.to_string();
        let sent = self
            .reply(ServerMessage::Error {
                id,
                action: action.clone(),
                message: crate::error::clip(&message, crate::error::MESSAGE_MAX).into_owned(),
            })
            .await;
        if self.session.is_none() && !matches!(sent, Next::Stop) {
            return if action == AUTHENTICATE {
                Next::Close(
                    CloseReason {
                        code: 1008,
                        reason: "authentication failed",
                    },
                    "authentication failed".into(),
                )
            } else {
                violation("not authenticated")
            };
        }
        sent
    }

    async fn authenticate(&mut self, id: u64, credentials: Credentials) -> Next {
        let client_id = credentials.client_id().to_string();
        let verified = match &credentials {
            Credentials::Basic {
                client_id,
                client_secret,
            } => self
                .state
                .store()
                .authenticate(client_id, client_secret)
                .map(|c| Verified {
                    jail_id: c.jail_id,
                    must_fanout: false,
                    filter: None,
                    expires: None,
                }),
            Credentials::Jwt { client_id, jwt } => self.verify_jwt(client_id, jwt),
        };
        let Some(Verified {
            jail_id,
            must_fanout,
            filter,
            expires,
        }) = verified
        else {
            tracing::info!(client_id = ?client_id, "WebSocket authentication failed");
            let sent = self
                .reply(ServerMessage::Error {
                    id,
                    action: AUTHENTICATE.into(),
                    message: INVALID_CREDENTIALS.into(),
                })
                .await;
            return match sent {
                Next::Continue => Next::Close(
                    CloseReason {
                        code: 1008,
                        reason: "authentication failed",
                    },
                    "authentication failed".into(),
                ),
                other => other,
            };
        };
        let reg = self.state.hub.register(&jail_id, &client_id, &self.out_tx);
        self.unauthenticated = None;
        let conn = reg.conn;
        self.session = Some(Session {
            client_id: client_id.clone(),
            subscriptions: 0,
            reg,
            must_fanout,
            filter,
            expires,
        });
        // A deletion between the check above and the registration.
        if !self.state.store().client_exists(&client_id) {
            return Next::Close(crate::hub::CLIENT_DELETED, "client deleted".into());
        }
        tracing::info!(conn, %client_id, %jail_id, jwt = matches!(credentials, Credentials::Jwt { .. }), "WebSocket authenticated");
        self.reply(ServerMessage::Authenticated { id, jail_id })
            .await
    }

    /// Checks a JWT: RS512 only, signature by the client's current key, `exp`
    /// not passed, claims readable (a bad filter is refused).
    fn verify_jwt(&self, client_id: &str, token: &str) -> Option<Verified> {
        let (jail_id, key) = self.state.store().jwt_key(client_id)?;
        let mut validation = Validation::new(Algorithm::RS512);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp"]);
        let data = match jsonwebtoken::decode::<Claims>(token, &key, &validation) {
            Ok(d) => d,
            Err(e) => {
                tracing::info!(client_id = ?client_id, reason = %e, "JWT refused");
                return None;
            }
        };
        let claims = data.claims;
        let now = unix_now();
        if claims.exp <= now {
            tracing::info!(client_id = ?client_id, "JWT refused: expired");
            return None;
        }
        let left = Duration::from_secs(claims.exp - now);
        Some(Verified {
            jail_id,
            must_fanout: claims.must_fanout,
            filter: claims.filter.map(Arc::new),
            // A time too far ahead to represent never comes: no timer.
            expires: Instant::now().checked_add(left),
        })
    }

    async fn subscribe(&mut self, id: u64, stream: String, group_id: Option<String>) -> Next {
        let Some(session) = &self.session else {
            return violation("not authenticated");
        };
        let max = self.state.config.limits.max_subscriptions;
        if session.subscriptions >= max {
            return self
                .reply(ServerMessage::Error {
                    id,
                    action: SUBSCRIPTION.into(),
                    message: format!("Too many subscriptions: a connection may hold {max}"),
                })
                .await;
        }
        let group = if session.must_fanout {
            GroupName::Own(self.state.hub.next_id())
        } else {
            match group_id {
                Some(g) => GroupName::Id(g.to_ascii_lowercase()),
                None => GroupName::Default,
            }
        };
        let added = self.state.hub.subscribe(
            session.reg.conn,
            Subscription {
                stream: stream.clone(),
                sub_id: id,
                client_id: session.client_id.clone(),
                group,
                filter: session.filter.clone(),
                tx: self.out_tx.clone(),
            },
        );
        if !added {
            return Next::Stop;
        }
        let conn = session.reg.conn;
        if let Some(session) = &mut self.session {
            session.subscriptions += 1;
        }
        tracing::debug!(conn, %stream, "subscribed");
        self.reply(ServerMessage::Subscribed {
            id,
            stream_name: stream,
        })
        .await
    }
}

/// Waits for the connection's close signal; `None` when the hub dropped it
/// without a reason.
/// Runs a write, unless the connection is told to close (or the server to
/// shut down) first: a client that does not read cannot hold the task.
async fn guarded(
    write: impl std::future::Future<Output = Result<(), axum::Error>>,
    close_rx: &mut Option<watch::Receiver<Option<CloseReason>>>,
    shutdown: &mut watch::Receiver<bool>,
) -> Next {
    let sent = tokio::select! {
        r = write => r,
        reason = wait_close(close_rx) => {
            return match reason {
                Some(r) => { let text = r.reason.to_string(); Next::Close(r, text) }
                None => Next::Stop,
            };
        }
        _ = shutdown.changed() => return Next::Close(GOING_AWAY, GOING_AWAY.reason.into()),
    };
    match sent {
        Ok(()) => Next::Continue,
        Err(_) => Next::Stop,
    }
}

async fn wait_close(rx: &mut Option<watch::Receiver<Option<CloseReason>>>) -> Option<CloseReason> {
    let Some(rx) = rx else {
        return std::future::pending().await;
    };
    loop {
        if let Some(r) = rx.borrow_and_update().clone() {
            return Some(r);
        }
        if rx.changed().await.is_err() {
            return rx.borrow().clone();
        }
    }
}
