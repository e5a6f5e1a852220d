//! The life of the WebSocket connection as the user sees it: a state to watch
//! and events to receive.

use std::fmt;
use std::time::Duration;

use crate::error::NetworkCause;

/// Where the client's WebSocket connection stands
/// ([`Client::connection_state`](crate::Client::connection_state)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// No connection: no subscription yet, or none left.
    Idle,
    /// Opening the connection and authenticating.
    Connecting,
    /// Authenticated; subscriptions are live.
    Connected,
    /// The connection was lost; waiting before attempt `attempt` (1-based).
    Reconnecting {
        /// The attempt about to be made.
        attempt: u32,
    },
    /// Stopped for good: authentication failed or the reconnect policy gave
    /// up. A new `subscribe` starts again.
    Failed {
        /// Why.
        reason: String,
    },
}

/// Something that happened to the client's WebSocket connection
/// ([`Client::events`](crate::Client::events)). Every event is also logged
/// through `tracing`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionEvent {
    /// The connection is open and authenticated.
    Connected {
        /// The jail the server placed the client in.
        jail_id: String,
    },
    /// The connection was lost (or could not be opened).
    Disconnected {
        /// Why.
        reason: String,
        /// The kind of network failure, when the error says (found in its
        /// source chain: refused, a timeout, a refused certificate, a
        /// server that does not speak TLS, an unresolved name, ...): for a
        /// failed connection attempt, and for an open connection lost to an
        /// I/O or TLS error or to the watchdog's silence (`Timeout`).
        /// `None` when the server closed the connection or broke the
        /// protocol, and for refusals that are not network failures (the
        /// server closed before authenticating, an unreadable reply).
        cause: Option<NetworkCause>,
    },
    /// A new attempt will be made after `delay`.
    Reconnecting {
        /// The attempt (1-based) since the last successful connection.
        attempt: u32,
        /// The wait before it.
        delay: Duration,
    },
    /// After a reconnection, the server confirmed every live subscription
    /// again.
    Resubscribed {
        /// How many subscriptions.
        subscriptions: usize,
    },
    /// The server refused the credentials; every subscription ended.
    AuthenticationFailed {
        /// The server's message.
        message: String,
    },
    /// The reconnect policy's attempts ran out; every subscription ended.
    GaveUp {
        /// How many attempts were made.
        attempts: u32,
        /// The last failure.
        last_error: String,
    },
    /// The server sent something that breaks the protocol.
    ProtocolError {
        /// What was wrong.
        reason: String,
    },
    /// No subscription was left, so the connection was closed.
    Closed,
}

impl fmt::Display for ConnectionEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionEvent::Connected { jail_id } => write!(f, "connected (jail {jail_id})"),
            ConnectionEvent::Disconnected { reason, .. } => write!(f, "disconnected: {reason}"),
            ConnectionEvent::Reconnecting { attempt, delay } => {
                write!(f, "reconnecting in {delay:?} (attempt {attempt})")
            }
            ConnectionEvent::Resubscribed { subscriptions } => {
                write!(f, "resubscribed {subscriptions} subscription(s)")
            }
            ConnectionEvent::AuthenticationFailed { message } => {
                write!(f, "authentication failed: {message}")
            }
            ConnectionEvent::GaveUp {
                attempts,
                last_error,
            } => write!(f, "gave up after {attempts} attempts: {last_error}"),
            ConnectionEvent::ProtocolError { reason } => write!(f, "protocol error: {reason}"),
            ConnectionEvent::Closed => f.write_str("closed: no subscription left"),
        }
    }
}
