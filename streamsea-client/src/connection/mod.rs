//! The one WebSocket of a client, shared by all its subscriptions
//! (PROTOCOL.md section 5), in three parts:
//!
//! - [`handshake`]: open the socket (TLS included) and authenticate;
//! - [`router`]: the subscription tables, reply routing, delivery into each
//!   subscription's buffer and re-subscription, as plain code without a
//!   socket;
//! - [`task`]: the loop that drives both: commands, frames, the silence
//!   watchdog, reconnection.
//!
//! The task lives while anyone can use the connection: a clone of the
//! [`Client`](crate::Client) or a live [`Subscription`](crate::Subscription)
//! (each holds a [`Handle`]).

mod handshake;
mod router;
mod task;

use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, mpsc, oneshot, watch, Notify};

use crate::config::Settings;
use crate::delivery::Producer;
use crate::error::{NetworkCause, SubscribeError};
use crate::events::{ConnectionEvent, ConnectionState};

/// Capacity of the command queue from the client to the task.
pub(crate) const COMMAND_QUEUE: usize = 64;
/// Capacity of the event channel; slow event readers lose the oldest events.
pub(crate) const EVENT_QUEUE: usize = 256;

/// What the client and the task share.
pub(crate) struct Shared {
    pub(crate) state: watch::Sender<ConnectionState>,
    pub(crate) events: broadcast::Sender<ConnectionEvent>,
    pub(crate) last_error: Mutex<Option<LastError>>,
}

/// The last connection failure: what it was, and its kind when known.
#[derive(Clone)]
pub(crate) struct LastError {
    pub(crate) reason: String,
    pub(crate) cause: Option<NetworkCause>,
}

impl Shared {
    pub(crate) fn new() -> Shared {
        Shared {
            state: watch::Sender::new(ConnectionState::Idle),
            events: broadcast::Sender::new(EVENT_QUEUE),
            last_error: Mutex::new(None),
        }
    }

    pub(crate) fn last_error(&self) -> Option<LastError> {
        self.last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_last_error(&self, e: Option<LastError>) {
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = e;
    }
}

/// A subscription request from the client.
pub(crate) struct NewSub {
    pub(crate) stream: String,
    pub(crate) group_id: Option<String>,
    pub(crate) queue: Producer,
    pub(crate) confirm: oneshot::Sender<Result<(), SubscribeError>>,
}

/// A user's hold on the task: the client and every subscription keep one
/// (shared). When the last is dropped, the task ends.
pub(crate) struct Handle {
    pub(crate) commands: mpsc::Sender<NewSub>,
    pub(crate) dropped: Arc<Notify>,
    _alive: watch::Sender<()>,
}

impl Handle {
    /// Spawns the task on the current tokio runtime.
    pub(crate) fn spawn(settings: Arc<Settings>, shared: Arc<Shared>) -> Arc<Handle> {
        let (commands, cmd_rx) = mpsc::channel(COMMAND_QUEUE);
        let (alive_tx, alive_rx) = watch::channel(());
        let dropped = Arc::new(Notify::new());
        tokio::spawn(task::Task::new(settings, shared, cmd_rx, alive_rx, dropped.clone()).run());
        Arc::new(Handle {
            commands,
            dropped,
            _alive: alive_tx,
        })
    }
}
