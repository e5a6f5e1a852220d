//! Subscriptions: their options, and the `Stream` of messages a subscriber
//! reads.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;
use rsa::rand_core::{OsRng, RngCore};
use serde::de::DeserializeOwned;
use serde_json::Value;
use streamsea_protocol::ws::{read_delivery_payload, ServerFrame, ServerMessage};
use streamsea_schema::ValidationErrors;
use tokio::sync::{watch, Notify};

use crate::connection::Handle;
use crate::delivery::{Consumer, Entry, Payload, PayloadText};
use crate::error::{cut, SubscribeError};
use crate::events::ConnectionState;

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

/// What a subscription does when a delivery finds its buffer full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Overflow {
    /// Drop the delivery and count it; the subscription later yields one
    /// [`SubscribeError::Interrupted`] item with
    /// [`Interruption::Overflow`](crate::Interruption::Overflow) and the
    /// count, where the dropped deliveries would have been (when the
    /// subscriber catches up, or before the next message that got in).
    /// The client's other subscriptions are not affected. The default.
    #[default]
    DropNewest,
    /// Stop reading the connection until the subscriber takes something
    /// (backpressure to the server). Nothing is dropped by the client, but
    /// every other subscription of the client waits too, and a server whose
    /// queue for the connection fills up may close it as a slow consumer
    /// (see [`Subscription`]).
    Backpressure,
}

/// How to subscribe.
///
/// ```
/// use streamsea_client::{Group, Overflow, SubscribeOptions};
/// let opts = SubscribeOptions::new()
///     .group(Group::Private)
///     .buffer(64)
///     .overflow(Overflow::Backpressure)
///     .report_interruptions(false);
/// assert_eq!(opts.group, Group::Private);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscribeOptions {
    /// The group.
    pub group: Group,
    /// How many messages may wait for the subscriber; `None`: the client's
    /// default ([`ClientBuilder::subscription_buffer`](crate::ClientBuilder::subscription_buffer)).
    pub buffer: Option<usize>,
    /// How many bytes of messages may wait for the subscriber (one message
    /// larger than this is still taken when nothing else waits).
    pub buffer_bytes: usize,
    /// What happens to a delivery that finds the buffer full.
    pub overflow: Overflow,
    /// Whether possible losses are items of the stream
    /// ([`SubscribeError::Interrupted`]); on by default.
    pub report_interruptions: bool,
}

/// The default of [`SubscribeOptions::buffer_bytes`]: 8 MiB.
pub const DEFAULT_SUBSCRIPTION_BUFFER_BYTES: usize = 8 * 1024 * 1024;

impl Default for SubscribeOptions {
    fn default() -> SubscribeOptions {
        SubscribeOptions {
            group: Group::Default,
            buffer: None,
            buffer_bytes: DEFAULT_SUBSCRIPTION_BUFFER_BYTES,
            overflow: Overflow::DropNewest,
            report_interruptions: true,
        }
    }
}

impl SubscribeOptions {
    /// The defaults: the client's default group and buffer size, drop the
    /// newest on overflow, report interruptions.
    pub fn new() -> SubscribeOptions {
        SubscribeOptions::default()
    }

    /// The group to join.
    #[must_use]
    pub fn group(mut self, group: Group) -> Self {
        self.group = group;
        self
    }

    /// The buffer size, in messages (at least 1).
    #[must_use]
    pub fn buffer(mut self, messages: usize) -> Self {
        self.buffer = Some(messages);
        self
    }

    /// The buffer size, in bytes (at least 1).
    #[must_use]
    pub fn buffer_bytes(mut self, bytes: usize) -> Self {
        self.buffer_bytes = bytes;
        self
    }

    /// What happens to a delivery that finds the buffer full.
    #[must_use]
    pub fn overflow(mut self, overflow: Overflow) -> Self {
        self.overflow = overflow;
        self
    }

    /// Whether possible losses are items of the stream (on by default). Off,
    /// the subscription yields messages and decode errors only; dropped
    /// deliveries are still counted ([`Subscription::dropped`]).
    #[must_use]
    pub fn report_interruptions(mut self, on: bool) -> Self {
        self.report_interruptions = on;
        self
    }
}

/// A fresh random RFC 4122 version 4 UUID, lowercase, for a private group.
pub fn random_group_id() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
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
/// # Delivery
///
/// stream-sea delivers at most once: what is published while a subscription
/// is not connected is not kept for it. The items are:
///
/// - `Ok(T)`: a message. Each is decoded straight from the frame's text and
///   checked with `T::validate()`.
/// - `Err(`[`SubscribeError::Decode`]`)`: a delivery that does not decode
///   into `T` or fails its validation, carrying the raw JSON; the
///   subscription goes on.
/// - `Err(`[`SubscribeError::Interrupted`]`)`: messages may be missing at
///   this point, because the connection was lost and the subscription sent
///   again on a new one ([`Interruption::Reconnected`](crate::Interruption::Reconnected), before the first
///   message after the re-subscription), or because the buffer was full and
///   deliveries were dropped ([`Interruption::Overflow`](crate::Interruption::Overflow), with the count).
///   The subscription goes on. Off with
///   [`SubscribeOptions::report_interruptions`].
/// - `Err(`[`SubscribeError::Protocol`]`)`: a frame for this subscription
///   that breaks the protocol; the subscription goes on.
/// - An authentication failure, a refusal, or the reconnect policy giving up
///   yields one terminal error item, after which the stream ends.
///
/// # Buffer and overflow
///
/// Each subscription has its own buffer, bounded in messages
/// ([`SubscribeOptions::buffer`]) and bytes
/// ([`SubscribeOptions::buffer_bytes`]). The connection hands it deliveries
/// in batches (all the frames ready on the socket, then one wake); the
/// subscription takes the whole batch and works through it before it looks
/// again, so at most twice the bound is held. When the buffer is full:
///
/// - [`Overflow::DropNewest`] (the default): the new delivery is dropped and
///   counted, and the subscription yields an `Interrupted` item with the
///   count. The client's other subscriptions and the connection go on.
/// - [`Overflow::Backpressure`]: the connection stops reading until this
///   subscriber takes something. Meanwhile the client's other subscriptions
///   receive nothing either, a new `subscribe` on the same client waits
///   (and fails with [`SubscribeError::Timeout`] past the request timeout),
///   and a server whose queue for the connection fills up may close it as a
///   slow consumer; the client then reconnects and subscribes again, and the
///   messages published in between are lost.
///
/// # Lifetime
///
/// A subscription keeps its client's connection alive: it goes on after
/// every clone of the [`Client`](crate::Client) is dropped. Dropping the
/// subscription stops its delivery; when no subscription of the client is
/// left, the connection closes, and when no clone of the client is left
/// either, its task ends. stream-sea has no unsubscribe message: until the
/// connection closes, the server goes on sending a dropped subscription's
/// share, which the client discards (in a shared group, that share is lost
/// to the group).
pub struct Subscription<T> {
    stream: String,
    group_id: Option<String>,
    capacity: usize,
    queue: Consumer,
    state: watch::Receiver<ConnectionState>,
    check: fn(&T) -> Result<(), ValidationErrors>,
    _drop: DropSignal,
    _connection: Arc<Handle>,
    _type: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Subscription<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("stream", &self.stream)
            .field("group_id", &self.group_id)
            .field("buffered", &self.queue.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

pub(crate) struct Parts {
    pub(crate) stream: String,
    pub(crate) group_id: Option<String>,
    pub(crate) capacity: usize,
    pub(crate) queue: Consumer,
    pub(crate) state: watch::Receiver<ConnectionState>,
    pub(crate) drop: DropSignal,
    pub(crate) connection: Arc<Handle>,
}

impl<T> Subscription<T> {
    pub(crate) fn new(parts: Parts, check: fn(&T) -> Result<(), ValidationErrors>) -> Self {
        Subscription {
            stream: parts.stream,
            group_id: parts.group_id,
            capacity: parts.capacity,
            queue: parts.queue,
            state: parts.state,
            check,
            _drop: parts.drop,
            _connection: parts.connection,
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

    /// How many items wait to be read.
    pub fn buffered(&self) -> usize {
        self.queue.len()
    }

    /// The buffer's capacity, in messages.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many deliveries were dropped because the buffer was full
    /// ([`Overflow::DropNewest`]), in all.
    pub fn dropped(&self) -> u64 {
        self.queue.dropped()
    }

    /// The state of the client's connection, to watch for changes.
    pub fn connection_state(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// Decodes a delivery into `T` straight from its text, and checks it.
    fn decode(&self, payload: &Payload) -> Result<T, SubscribeError>
    where
        T: DeserializeOwned,
    {
        let (frame, start) = match payload.text() {
            PayloadText::Checked(text) => return self.decode_text(text),
            PayloadText::Frame(frame, start) => (frame, start),
        };
        // One pass over the payload; anything unusual (a payload that is not
        // a `T`, a frame that goes on after it or is not JSON) is read again
        // in full, to say what is wrong.
        if let Some(value) = read_delivery_payload::<T>(frame, start) {
            if (self.check)(&value).is_ok() {
                return Ok(value);
            }
        }
        match ServerFrame::parse(frame) {
            Ok(ServerFrame::Delivery(d)) => self.decode_text(d.payload.get()),
            Ok(ServerFrame::Other(ServerMessage::Delivery { payload, .. })) => {
                self.decode_text(&payload.to_string())
            }
            Ok(ServerFrame::Other(_)) => Err(SubscribeError::Protocol {
                stream: self.stream.clone(),
                reason: format!(
                    "a frame for this subscription is not a delivery (frame: {})",
                    cut(frame, 200)
                ),
            }),
            Err(e) => Err(SubscribeError::Protocol {
                stream: self.stream.clone(),
                reason: format!("{e} (frame: {})", cut(frame, 200)),
            }),
        }
    }

    fn decode_text(&self, text: &str) -> Result<T, SubscribeError>
    where
        T: DeserializeOwned,
    {
        let fail = |reason: String| SubscribeError::Decode {
            stream: self.stream.clone(),
            raw: serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())),
            reason,
        };
        let value: T = serde_json::from_str(text).map_err(|e| fail(e.to_string()))?;
        (self.check)(&value).map_err(|errors| fail(errors.to_string()))?;
        Ok(value)
    }
}

impl<T: DeserializeOwned> Stream for Subscription<T> {
    type Item = Result<T, SubscribeError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.queue.poll_entry(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Entry::Error(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Some(Entry::Message(p))) => Poll::Ready(Some(this.decode(&p))),
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
