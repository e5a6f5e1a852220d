//! The router: which subscriptions exist, which message id of the current
//! connection belongs to which, and what to do with each frame the server
//! sends. Plain code: the task hands it frames and sends what it returns.
//!
//! Replies are matched to the subscribe request they answer; deliveries go
//! into their subscription's buffer without being decoded (the subscriber
//! decodes them). Subscribers are woken once per batch of frames
//! ([`Router::flush`]). After a reconnection every live subscription is sent
//! once more, and each gets an
//! [`Interrupted`](crate::SubscribeError::Interrupted) item before its first
//! message on the new connection.

use std::collections::{BTreeMap, HashSet, VecDeque};

use streamsea_protocol::ws::{ClientMessage, DeliveryHead, ServerFrame, ServerMessage};
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::NewSub;
use crate::delivery::{Payload, Producer, Pushed, Wakes};
use crate::error::{cut, SubscribeError};
use crate::events::ConnectionEvent;

/// What the task does after a frame.
pub(crate) enum Step {
    /// Read on.
    Go,
    /// No subscription is left: close the connection.
    Idle,
    /// The connection cannot be trusted: replace it.
    Lost(String),
    /// A subscription with the backpressure policy has a full buffer: wait
    /// for room, then hand the payload back with [`Router::unblock`].
    Blocked { key: u64, payload: Payload },
}

/// A live subscription, as the router keeps it.
struct Sub {
    stream: String,
    group_id: Option<String>,
    queue: Producer,
    /// Present until the server first confirms (or refuses) the subscription.
    confirm: Option<oneshot::Sender<Result<(), SubscribeError>>>,
    /// The connection it was confirmed on was lost, for this reason; the
    /// subscriber has not been told yet.
    interrupted: Option<String>,
}

/// The tables of the current connection.
#[derive(Default)]
struct Tables {
    next_id: u64,
    /// Message id to subscription key.
    by_id: Ids,
    /// Ids whose subscription reply has not come yet.
    pending: HashSet<u64>,
    /// Ids of re-sent subscriptions not yet confirmed, after a reconnection.
    resubscribing: HashSet<u64>,
    resubscribed: usize,
}

/// Message ids of one connection (2, 3, ... in the order sent) to
/// subscription keys: a lookup per delivery, by index. Forgotten ids at the
/// front are let go, so the table holds no more than the span of live ids.
struct Ids {
    first: u64,
    slots: VecDeque<Option<u64>>,
}

impl Default for Ids {
    fn default() -> Ids {
        Ids {
            first: Ids::FIRST,
            slots: VecDeque::new(),
        }
    }
}

impl Ids {
    const FIRST: u64 = 2;

    fn slot(&self, id: u64) -> Option<usize> {
        id.checked_sub(self.first)
            .and_then(|i| usize::try_from(i).ok())
    }

    /// Records `id`, which is higher than every id recorded before.
    fn insert(&mut self, id: u64, key: u64) {
        let Some(i) = self.slot(id) else { return };
        if self.slots.len() <= i {
            self.slots.resize(i + 1, None);
        }
        self.slots[i] = Some(key);
    }

    fn get(&self, id: &u64) -> Option<&u64> {
        self.slots.get(self.slot(*id)?)?.as_ref()
    }

    fn contains_key(&self, id: &u64) -> bool {
        self.get(id).is_some()
    }

    fn retain(&mut self, mut keep: impl FnMut(&u64, &mut u64) -> bool) {
        let first = self.first;
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if let Some(key) = slot {
                if !keep(&(first + i as u64), key) {
                    *slot = None;
                }
            }
        }
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.first += 1;
        }
    }
}

pub(crate) struct Router {
    subs: BTreeMap<u64, Sub>,
    next_key: u64,
    conn: Tables,
    events: Vec<ConnectionEvent>,
    wakes: Wakes,
}

impl Router {
    pub(crate) fn new() -> Router {
        Router {
            subs: BTreeMap::new(),
            next_key: 1,
            conn: Tables {
                next_id: Ids::FIRST,
                ..Tables::default()
            },
            events: Vec::new(),
            wakes: Wakes::default(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.subs.is_empty()
    }

    /// The events produced since the last call.
    pub(crate) fn take_events(&mut self) -> std::vec::Drain<'_, ConnectionEvent> {
        self.events.drain(..)
    }

    /// Wakes the subscribers that got something since the last call.
    pub(crate) fn flush(&mut self) {
        self.wakes.flush();
    }

    /// Takes a new subscription; returns its key.
    pub(crate) fn add(&mut self, new: NewSub) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.subs.insert(
            key,
            Sub {
                stream: new.stream,
                group_id: new.group_id,
                queue: new.queue,
                confirm: Some(new.confirm),
                interrupted: None,
            },
        );
        key
    }

    fn remove(&mut self, key: u64) -> Option<Sub> {
        let sub = self.subs.remove(&key)?;
        sub.queue.end(&mut self.wakes);
        Some(sub)
    }

    /// Forgets subscriptions whose subscriber is gone, and their ids on the
    /// current connection.
    pub(crate) fn sweep(&mut self) {
        let gone: Vec<u64> = self
            .subs
            .iter()
            .filter(|(_, s)| s.queue.is_closed())
            .map(|(k, _)| *k)
            .collect();
        for key in gone {
            self.remove(key);
        }
        let subs = &self.subs;
        self.conn.by_id.retain(|_, key| subs.contains_key(key));
        let by_id = &self.conn.by_id;
        self.conn.resubscribing.retain(|id| by_id.contains_key(id));
        self.check_resubscribed();
    }

    /// A new connection: fresh ids (1 was the authentication), and the
    /// subscribe frame of every live subscription, in order.
    pub(crate) fn connected(&mut self) -> Vec<String> {
        self.conn = Tables {
            next_id: Ids::FIRST,
            ..Tables::default()
        };
        let keys: Vec<u64> = self.subs.keys().copied().collect();
        keys.into_iter().filter_map(|k| self.subscribe(k)).collect()
    }

    /// The subscribe frame for subscription `key` on the current connection.
    pub(crate) fn subscribe(&mut self, key: u64) -> Option<String> {
        let sub = self.subs.get(&key)?;
        let id = self.conn.next_id;
        self.conn.next_id += 1;
        self.conn.by_id.insert(id, key);
        self.conn.pending.insert(id);
        if sub.confirm.is_none() {
            self.conn.resubscribing.insert(id);
            self.conn.resubscribed += 1;
        }
        tracing::debug!(id, stream = %sub.stream, "subscribing");
        Some(
            ClientMessage::Subscribe {
                id,
                stream: sub.stream.clone(),
                group_id: sub.group_id.clone(),
            }
            .to_json(),
        )
    }

    /// The connection was lost: every confirmed subscription may miss what
    /// is published until it is subscribed again.
    pub(crate) fn lost(&mut self, reason: &str) {
        for sub in self.subs.values_mut() {
            if sub.confirm.is_none() && sub.interrupted.is_none() {
                sub.interrupted = Some(reason.to_string());
            }
        }
    }

    /// Ends every subscription with `error` (one item each), then forgets
    /// them.
    pub(crate) fn fail_all(&mut self, error: SubscribeError) {
        for (_, sub) in std::mem::take(&mut self.subs) {
            match sub.confirm {
                Some(confirm) => {
                    let _ = confirm.send(Err(error.clone()));
                    sub.queue.end(&mut self.wakes);
                }
                None => sub.queue.fail(error.clone(), &mut self.wakes),
            }
        }
        self.flush();
    }

    fn check_resubscribed(&mut self) {
        if self.conn.resubscribed > 0 && self.conn.resubscribing.is_empty() {
            self.events.push(ConnectionEvent::Resubscribed {
                subscriptions: self.conn.resubscribed,
            });
            self.conn.resubscribed = 0;
        }
    }

    fn protocol_error(&mut self, reason: String) {
        self.events.push(ConnectionEvent::ProtocolError { reason });
    }

    /// A binary frame: not part of the protocol, ignored.
    pub(crate) fn binary(&mut self, len: usize) {
        self.protocol_error(format!(
            "a binary frame ({len} bytes) where JSON text was expected; ignored"
        ));
    }

    /// Handles one text frame.
    pub(crate) fn frame(&mut self, frame: &Utf8Bytes) -> Step {
        // The usual delivery: only its head is read here; the subscriber
        // reads (and checks) the payload.
        if let Some(head) = DeliveryHead::read(frame.as_str()) {
            let payload = Payload::after_head(frame, head.payload_start);
            return self.delivery(head.id, head.stream_name, payload);
        }
        match ServerFrame::parse(frame.as_str()) {
            Ok(ServerFrame::Delivery(d)) => {
                let payload = Payload::in_frame(frame, d.payload);
                self.delivery(d.id, d.stream_name, payload)
            }
            Ok(ServerFrame::Other(ServerMessage::Delivery {
                id,
                stream_name,
                payload,
            })) => self.delivery(id, &stream_name, Payload::owned(payload.to_string())),
            Ok(ServerFrame::Other(msg)) => self.message(msg),
            Err(e) => {
                let reason = format!("{e} (frame: {})", cut(frame.as_str(), 200));
                // Without an id nothing can be routed: the connection cannot be trusted.
                let Some(id) = e.id else {
                    self.protocol_error(reason.clone());
                    return Step::Lost(format!("protocol error: {reason}"));
                };
                self.error_item(id, reason);
                Step::Go
            }
        }
    }

    /// Hands an error item to the subscription of `id`, or reports it as a
    /// connection event when `id` names none.
    fn error_item(&mut self, id: u64, reason: String) {
        let sub = self.conn.by_id.get(&id).and_then(|k| self.subs.get(k));
        match sub {
            Some(sub) => {
                let item = SubscribeError::Protocol {
                    stream: sub.stream.clone(),
                    reason,
                };
                sub.queue.push_error(item, &mut self.wakes);
            }
            None => self.protocol_error(reason),
        }
    }

    fn message(&mut self, msg: ServerMessage) -> Step {
        match msg {
            ServerMessage::Authenticated { id, .. } => {
                self.protocol_error(format!(
                    "an authentication reply (id {id}) on an authenticated connection; ignored"
                ));
                Step::Go
            }
            ServerMessage::Subscribed { id, stream_name } => {
                if !self.conn.pending.remove(&id) {
                    self.protocol_error(format!(
                        "a subscription reply for id {id}, which awaits none; ignored"
                    ));
                    return Step::Go;
                }
                let key = self.conn.by_id.get(&id).copied();
                if let Some(sub) = key.and_then(|k| self.subs.get_mut(&k)) {
                    if stream_name != sub.stream {
                        tracing::warn!(id, expected = %sub.stream, got = %cut(&stream_name, 128), "subscription reply names another stream");
                    }
                    if let Some(confirm) = sub.confirm.take() {
                        let _ = confirm.send(Ok(()));
                    }
                    if let Some(cause) = sub.interrupted.take() {
                        sub.queue.interrupted(cause, &mut self.wakes);
                    }
                }
                self.conn.resubscribing.remove(&id);
                self.check_resubscribed();
                Step::Go
            }
            ServerMessage::Delivery { .. } => Step::Go, // read as a borrowed delivery
            ServerMessage::Error {
                id,
                action,
                message,
            } => {
                let message = cut(&message, 1024);
                let key = self.conn.by_id.get(&id).copied();
                if self.conn.pending.remove(&id) {
                    self.conn.resubscribing.remove(&id);
                    if let Some(key) = key {
                        self.refused(key, message);
                    }
                    self.check_resubscribed();
                    return if self.subs.is_empty() {
                        Step::Idle
                    } else {
                        Step::Go
                    };
                }
                if key.is_some_and(|k| self.subs.contains_key(&k)) {
                    self.error_item(id, format!("error reply ({action}): {message}"));
                } else {
                    self.protocol_error(format!(
                        "an error reply for id {id} ({}): {message}",
                        cut(&action, 64)
                    ));
                }
                Step::Go
            }
        }
    }

    /// The server refused subscription `key`: it ends with one error.
    fn refused(&mut self, key: u64, message: String) {
        let Some(sub) = self.subs.remove(&key) else {
            return;
        };
        tracing::warn!(stream = %sub.stream, %message, "subscription refused");
        let error = SubscribeError::Refused {
            stream: sub.stream,
            message,
        };
        match sub.confirm {
            Some(confirm) => {
                let _ = confirm.send(Err(error));
                sub.queue.end(&mut self.wakes);
            }
            None => sub.queue.fail(error, &mut self.wakes),
        }
    }

    fn delivery(&mut self, id: u64, stream_name: &str, payload: Payload) -> Step {
        let key = self.conn.by_id.get(&id).copied();
        let Some((key, sub)) = key.and_then(|k| Some((k, self.subs.get_mut(&k)?))) else {
            if id > 1 && id < self.conn.next_id {
                // A subscription dropped earlier: stream-sea has no
                // unsubscribe and keeps sending its share until the
                // connection closes.
                tracing::trace!(id, "delivery for a dropped subscription discarded");
            } else {
                self.protocol_error(format!(
                    "a delivery for id {id}, which names no subscription; ignored"
                ));
            }
            return Step::Go;
        };
        if stream_name != sub.stream {
            let item = SubscribeError::Protocol {
                stream: sub.stream.clone(),
                reason: format!(
                    "a delivery for stream `{}` arrived on this subscription",
                    cut(stream_name, 128)
                ),
            };
            sub.queue.push_error(item, &mut self.wakes);
            return Step::Go;
        }
        if let Some(cause) = sub.interrupted.take() {
            sub.queue.interrupted(cause, &mut self.wakes);
        }
        self.push(key, payload)
    }

    fn push(&mut self, key: u64, payload: Payload) -> Step {
        let Some(sub) = self.subs.get(&key) else {
            return Step::Go;
        };
        match sub.queue.push(payload, &mut self.wakes) {
            Pushed::Queued | Pushed::Dropped => Step::Go,
            Pushed::Full(payload) => Step::Blocked { key, payload },
            Pushed::Closed => {
                self.remove(key);
                self.sweep();
                if self.subs.is_empty() {
                    Step::Idle
                } else {
                    Step::Go
                }
            }
        }
    }

    /// The buffer of subscription `key`, to wait for room in.
    pub(crate) fn queue(&self, key: u64) -> Option<Producer> {
        self.subs.get(&key).map(|s| s.queue.clone())
    }

    /// Hands a blocked payload over again.
    pub(crate) fn unblock(&mut self, key: u64, payload: Payload) -> Step {
        self.push(key, payload)
    }
}

impl Drop for Router {
    fn drop(&mut self) {
        for (_, sub) in std::mem::take(&mut self.subs) {
            sub.queue.end(&mut self.wakes);
        }
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::delivery::{buffer, Consumer, Entry, Limits};
    use crate::subscription::Overflow;

    fn limits(messages: usize, overflow: Overflow) -> Limits {
        Limits {
            stream: "s".into(),
            messages,
            bytes: usize::MAX,
            overflow,
            report_loss: true,
        }
    }

    struct Sub {
        consumer: Consumer,
        confirmed: oneshot::Receiver<Result<(), SubscribeError>>,
    }

    fn add(router: &mut Router, stream: &str, limits: Limits) -> (u64, Sub) {
        let (queue, consumer) = buffer(limits);
        let (confirm, confirmed) = oneshot::channel();
        let key = router.add(NewSub {
            stream: stream.into(),
            group_id: None,
            queue,
            confirm,
        });
        (
            key,
            Sub {
                consumer,
                confirmed,
            },
        )
    }

    fn send(router: &mut Router, msg: ServerMessage) -> Step {
        router.frame(&Utf8Bytes::from(msg.to_json()))
    }

    fn deliver(router: &mut Router, id: u64, stream: &str, seq: i64) -> Step {
        send(
            router,
            ServerMessage::Delivery {
                id,
                stream_name: stream.into(),
                payload: serde_json::json!({ "seq": seq }),
            },
        )
    }

    /// What a subscriber reads now: message texts and error texts.
    /// The server's confirmation of subscription `id` to `stream`.
    fn confirm(router: &mut Router, id: u64, stream: &str) -> Step {
        send(
            router,
            ServerMessage::Subscribed {
                id,
                stream_name: stream.into(),
            },
        )
    }

    fn drain(sub: &mut Sub) -> Vec<String> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut out = Vec::new();
        loop {
            match sub.consumer.poll_entry(&mut cx) {
                Poll::Ready(Some(Entry::Message(p))) => out.push(crate::delivery::tests::shown(&p)),
                Poll::Ready(Some(Entry::Error(e))) => out.push(format!("error: {e}")),
                Poll::Ready(None) => {
                    out.push("end".into());
                    return out;
                }
                Poll::Pending => return out,
            }
        }
    }

    #[test]
    fn replies_and_deliveries_are_routed_by_id() {
        let mut router = Router::new();
        let (_, mut a) = add(&mut router, "s", limits(8, Overflow::DropNewest));
        let (_, mut b) = add(&mut router, "t", limits(8, Overflow::DropNewest));
        let frames = router.connected();
        assert_eq!(frames.len(), 2);
        assert!(frames[0].contains(r#""id":2"#) && frames[0].contains(r#""payload":"s""#));
        assert!(frames[1].contains(r#""id":3"#) && frames[1].contains(r#""payload":"t""#));
        for id in [2, 3] {
            let stream = if id == 2 { "s" } else { "t" };
            let step = confirm(&mut router, id, stream);
            assert!(matches!(step, Step::Go));
        }
        assert_eq!(a.confirmed.try_recv().unwrap(), Ok(()));
        assert_eq!(b.confirmed.try_recv().unwrap(), Ok(()));
        deliver(&mut router, 2, "s", 1);
        deliver(&mut router, 3, "t", 2);
        deliver(&mut router, 2, "s", 3);
        // A delivery naming another stream is an item; one for an unknown id
        // an event.
        deliver(&mut router, 3, "s", 4);
        deliver(&mut router, 99, "s", 5);
        assert_eq!(drain(&mut a), [r#"{"seq":1}"#, r#"{"seq":3}"#]);
        let got = drain(&mut b);
        assert_eq!(got[0], r#"{"seq":2}"#);
        assert!(got[1].contains("for stream `s`"), "{got:?}");
        let events: Vec<_> = router.take_events().collect();
        assert!(
            matches!(&events[..], [ConnectionEvent::ProtocolError { reason }] if reason.contains("id 99")),
            "{events:?}"
        );
    }

    #[test]
    fn a_reconnection_resubscribes_once_and_marks_the_gap() {
        let mut router = Router::new();
        let (_, mut a) = add(&mut router, "s", limits(8, Overflow::DropNewest));
        router.connected();
        confirm(&mut router, 2, "s");
        deliver(&mut router, 2, "s", 1);
        router.lost("reset");
        router.lost("reset again");
        let frames = router.connected();
        assert_eq!(frames.len(), 1);
        assert!(frames[0].contains(r#""id":2"#));
        confirm(&mut router, 2, "s");
        deliver(&mut router, 2, "s", 2);
        let got = drain(&mut a);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], r#"{"seq":1}"#);
        assert!(got[1].contains("may have been lost") && got[1].contains("(reset)"));
        assert_eq!(got[2], r#"{"seq":2}"#);
        let events: Vec<_> = router.take_events().collect();
        assert_eq!(events, [ConnectionEvent::Resubscribed { subscriptions: 1 }]);
    }

    #[test]
    fn the_id_table_lets_forgotten_ids_go() {
        let mut ids = Ids::default();
        for id in 2..1002 {
            ids.insert(id, id * 10);
        }
        assert_eq!(ids.get(&500), Some(&5000));
        assert_eq!(ids.get(&1), None);
        assert_eq!(ids.get(&1002), None);
        ids.retain(|id, _| *id >= 1000);
        assert_eq!(ids.slots.len(), 2);
        assert_eq!(ids.get(&999), None);
        assert_eq!(ids.get(&1001), Some(&10010));
        ids.insert(1005, 7);
        assert_eq!(ids.get(&1005), Some(&7));
        assert!(!ids.contains_key(&1003));
    }

    #[test]
    fn a_full_subscription_does_not_hold_up_the_others() {
        let mut router = Router::new();
        let (_, mut slow) = add(&mut router, "s", limits(2, Overflow::DropNewest));
        let (_, mut fast) = add(&mut router, "s", limits(2, Overflow::DropNewest));
        router.connected();
        for id in [2, 3] {
            confirm(&mut router, id, "s");
        }
        for seq in 0..6 {
            assert!(matches!(deliver(&mut router, 2, "s", seq), Step::Go));
            assert!(matches!(deliver(&mut router, 3, "s", seq), Step::Go));
            assert_eq!(drain(&mut fast), [format!("{{\"seq\":{seq}}}")]);
        }
        let got = drain(&mut slow);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[2].contains("4 deliveries were dropped"), "{got:?}");
    }

    #[test]
    fn backpressure_blocks_until_there_is_room() {
        let mut router = Router::new();
        let (key, mut sub) = add(&mut router, "s", limits(1, Overflow::Backpressure));
        router.connected();
        confirm(&mut router, 2, "s");
        assert!(matches!(deliver(&mut router, 2, "s", 1), Step::Go));
        let Step::Blocked { key: k, payload } = deliver(&mut router, 2, "s", 2) else {
            panic!("expected to block");
        };
        assert_eq!(k, key);
        assert_eq!(drain(&mut sub), [r#"{"seq":1}"#]);
        assert!(matches!(router.unblock(key, payload), Step::Go));
        assert_eq!(drain(&mut sub), [r#"{"seq":2}"#]);
        // The subscriber goes: the last subscription, so the connection idles.
        drop(sub);
        assert!(matches!(deliver(&mut router, 2, "s", 3), Step::Idle));
        assert!(router.is_empty());
    }

    #[test]
    fn refusals_and_failures_end_subscriptions() {
        let mut router = Router::new();
        let (_, mut a) = add(&mut router, "s", limits(8, Overflow::DropNewest));
        let (_, mut b) = add(&mut router, "t", limits(8, Overflow::DropNewest));
        router.connected();
        confirm(&mut router, 3, "t");
        let step = send(
            &mut router,
            ServerMessage::Error {
                id: 2,
                action: "subscription".into(),
                message: "no".into(),
            },
        );
        assert!(matches!(step, Step::Go));
        assert!(matches!(
            a.confirmed.try_recv().unwrap(),
            Err(SubscribeError::Refused { .. })
        ));
        assert_eq!(drain(&mut a), ["end"]);
        router.fail_all(SubscribeError::GaveUp {
            attempts: 3,
            last_error: "x".into(),
            cause: None,
        });
        let got = drain(&mut b);
        assert!(got[0].contains("gave up") && got[1] == "end", "{got:?}");
        assert!(router.is_empty());
        // A frame without an id cannot be routed.
        assert!(matches!(
            router.frame(&Utf8Bytes::from("nope".to_string())),
            Step::Lost(_)
        ));
    }
}
