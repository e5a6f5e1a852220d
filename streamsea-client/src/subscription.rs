//! Subscriptions: their options, and the `Stream` of messages a subscriber
//! reads.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;
use streamsea_schema::ValidationErrors;
use tokio::sync::{mpsc, watch, Notify};

use crate::error::SubscribeError;
use crate::events::ConnectionState;

/// What the connection task hands a subscription: a delivered payload, or an
/// error.
pub(crate) type Item = Result<Value, SubscribeError>;

/// Which group a subscription joins (PROTOCOL.md section 5): each message of a
/// stream goes to exactly one subscription of each group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Group {
    /// The client's default group: the client's instances subscribed without
    /// a group share the messages (competing consumers).
    #[default]
    Default,
    /// A group of its own (a fresh random UUID): the subscription receives
    /// every message, like the JavaScript client's `fanout`.
    Private,
    /// A named group, an RFC 4122 UUID: subscriptions naming the same one
    /// share the messages.
    Named(String),
}

/// How to subscribe.
///
/// ```
/// use streamsea_client::{Group, SubscribeOptions};
/// let opts = SubscribeOptions::new().group(Group::Private).buffer(64);
/// assert_eq!(opts.group, Group::Private);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscribeOptions {
    /// The group.
    pub group: Group,
    /// How many messages may wait for the subscriber before the connection
    /// stops reading (backpressure); `None`: the client's default.
    ///
    /// The connection is shared by every subscription of the client: while
    /// this buffer is full, none of them receives anything and a new
    /// `subscribe` on the same client waits (see [`Subscription`]).
    pub buffer: Option<usize>,
}

impl SubscribeOptions {
    /// The defaults: the client's default group and buffer size.
    pub fn new() -> SubscribeOptions {
        SubscribeOptions::default()
    }

    /// The group to join.
    pub fn group(mut self, group: Group) -> Self {
        self.group = group;
        self
    }

    /// The buffer size, in messages (at least 1). A full buffer holds up
    /// the client's whole connection (see [`Subscription`]).
    pub fn buffer(mut self, messages: usize) -> Self {
        self.buffer = Some(messages);
        self
    }
}

/// A fresh random RFC 4122 version 4 UUID, lowercase, for a private group.
pub fn random_group_id() -> String {
    let mut b = [0u8; 16];
    crate::random::fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Tells the connection task that a subscription's receiver is gone.
pub(crate) struct DropSignal(pub(crate) Arc<Notify>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        self.0.notify_one();
    }
}

/// A live subscription: a [`Stream`] of the stream's messages, decoded into
/// `T`, in the order the server sent them.
///
/// - A delivery that does not decode into `T` (or fails its validation) is an
///   `Err(`[`SubscribeError::Decode`]`)` item carrying the raw JSON; the
///   subscription goes on.
/// - Reconnections are invisible here except for the messages published
///   while the connection was down, which stream-sea does not keep.
/// - An authentication failure, a refusal, or the reconnect policy giving up
///   yields one error item, after which the stream ends.
/// - The stream also ends when every clone of the [`Client`](crate::Client)
///   is dropped.
///
/// # A slow subscriber holds up its client's connection
///
/// Every subscription of a [`Client`](crate::Client) shares one connection,
/// read in order. When a subscription's buffer
/// ([`SubscribeOptions::buffer`]) is full, the connection stops reading until
/// that subscriber takes a message, so memory stays bounded. Meanwhile:
///
/// - the client's other subscriptions receive nothing either;
/// - a new `subscribe` on the same client waits, since the server's
///   confirmation cannot be read before the deliveries ahead of it, and
///   fails with [`SubscribeError::Timeout`] when the wait exceeds the request
///   timeout;
/// - a server whose queue for the connection fills up may close it as a slow
///   consumer; the client reconnects and subscribes again, and the messages
///   published in between are lost.
///
/// Give a subscription that may fall behind a larger buffer, or a `Client` of
/// its own (a clone shares the connection; a client built separately does
/// not).
///
/// # Dropping
///
/// Dropping the subscription stops its delivery; when no subscription of the
/// client is left, the connection closes. stream-sea has no unsubscribe
/// message: until then the server goes on sending this subscription's share,
/// which the client discards (in a shared group, that share is lost to the
/// group).
pub struct Subscription<T> {
    stream: String,
    group_id: Option<String>,
    capacity: usize,
    rx: mpsc::Receiver<Item>,
    state: watch::Receiver<ConnectionState>,
    check: fn(&T) -> Result<(), ValidationErrors>,
    _drop: DropSignal,
    _type: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Subscription<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("stream", &self.stream)
            .field("group_id", &self.group_id)
            .field("buffered", &self.rx.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

pub(crate) struct Parts {
    pub(crate) stream: String,
    pub(crate) group_id: Option<String>,
    pub(crate) capacity: usize,
    pub(crate) rx: mpsc::Receiver<Item>,
    pub(crate) state: watch::Receiver<ConnectionState>,
    pub(crate) drop: DropSignal,
}

impl<T> Subscription<T> {
    pub(crate) fn new(parts: Parts, check: fn(&T) -> Result<(), ValidationErrors>) -> Self {
        Subscription {
            stream: parts.stream,
            group_id: parts.group_id,
            capacity: parts.capacity,
            rx: parts.rx,
            state: parts.state,
            check,
            _drop: parts.drop,
            _type: PhantomData,
        }
    }

    /// The stream's name.
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// The `groupId` sent with the subscription (`None`: the default group).
    pub fn group_id(&self) -> Option<&str> {
        self.group_id.as_deref()
    }

    /// How many messages wait in the buffer.
    pub fn buffered(&self) -> usize {
        self.rx.len()
    }

    /// The buffer's capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The state of the client's connection, to watch for changes.
    pub fn connection_state(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    fn decode(&self, raw: Value) -> Result<T, SubscribeError>
    where
        T: DeserializeOwned,
    {
        let value = match T::deserialize(&raw) {
            Ok(v) => v,
            Err(e) => {
                return Err(SubscribeError::Decode {
                    stream: self.stream.clone(),
                    raw,
                    reason: e.to_string(),
                })
            }
        };
        match (self.check)(&value) {
            Ok(()) => Ok(value),
            Err(errors) => Err(SubscribeError::Decode {
                stream: self.stream.clone(),
                raw,
                reason: errors.to_string(),
            }),
        }
    }
}

impl<T> Drop for Subscription<T> {
    fn drop(&mut self) {
        // Closed before the drop signal fires, so the task sees it closed.
        self.rx.close();
    }
}

impl<T: DeserializeOwned> Stream for Subscription<T> {
    type Item = Result<T, SubscribeError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.rx.poll_recv(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Some(Ok(raw))) => Poll::Ready(Some(this.decode(raw))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_ids_are_v4_uuids() {
        let a = random_group_id();
        assert!(streamsea_protocol::check_group_id(&a).is_ok(), "{a}");
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(a, random_group_id());
    }
}
