//! The buffer between the connection task and one subscription: bounded in
//! messages and bytes, filled in batches, drained in batches.
//!
//! A delivery is kept as the frame it arrived in (a shared buffer, not a
//! copy) and the range of its payload; the subscriber decodes it. The task
//! pushes every frame that is ready on the socket, then wakes the subscriber
//! once; the subscriber takes everything buffered in one lock and works
//! through it before it looks again.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use serde_json::value::RawValue;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::error::{Interruption, SubscribeError};
use crate::subscription::Overflow;

/// One delivered message: its frame and where the payload lies in it.
pub(crate) struct Payload {
    frame: Utf8Bytes,
    start: usize,
    /// `None`: the payload runs from `start` to the end of the frame's
    /// object, not checked yet (a frame read by its head only).
    end: Option<usize>,
}

/// Where a payload's text is.
pub(crate) enum PayloadText<'a> {
    /// The payload, checked JSON.
    Checked(&'a str),
    /// A delivery frame whose head was read, and where its payload starts.
    Frame(&'a str, usize),
}

impl Payload {
    /// The payload of a frame whose head was read: from `start` on.
    pub(crate) fn after_head(frame: &Utf8Bytes, start: usize) -> Payload {
        Payload {
            frame: frame.clone(),
            start,
            end: None,
        }
    }

    /// The payload `payload`, which borrows from `frame`.
    pub(crate) fn in_frame(frame: &Utf8Bytes, payload: &RawValue) -> Payload {
        let text = payload.get();
        let start = (text.as_ptr() as usize).wrapping_sub(frame.as_str().as_ptr() as usize);
        match frame.as_str().get(start..start + text.len()) {
            Some(_) => Payload {
                frame: frame.clone(),
                start,
                end: Some(start + text.len()),
            },
            // Not a part of the frame: keep a copy.
            None => Payload::owned(text.to_string()),
        }
    }

    /// A payload with a text of its own.
    pub(crate) fn owned(text: String) -> Payload {
        let end = text.len();
        Payload {
            frame: Utf8Bytes::from(text),
            start: 0,
            end: Some(end),
        }
    }

    /// The payload's text.
    pub(crate) fn text(&self) -> PayloadText<'_> {
        let frame = self.frame.as_str();
        match self.end {
            Some(end) => PayloadText::Checked(frame.get(self.start..end).unwrap_or("null")),
            None => PayloadText::Frame(frame, self.start),
        }
    }

    /// The bytes it holds on to.
    fn size(&self) -> usize {
        self.frame.len()
    }
}

/// What a subscription reads from its buffer.
pub(crate) enum Entry {
    Message(Payload),
    Error(SubscribeError),
}

/// The limits and policy of one buffer.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub(crate) stream: String,
    pub(crate) messages: usize,
    pub(crate) bytes: usize,
    pub(crate) overflow: Overflow,
    pub(crate) report_loss: bool,
}

struct State {
    items: VecDeque<Entry>,
    bytes: usize,
    /// Deliveries dropped since the subscriber was last told.
    unreported: u64,
    /// Deliveries dropped in all.
    dropped: u64,
    waker: Option<Waker>,
    /// The producer is done: nothing more will come.
    ended: bool,
    /// The subscriber is gone.
    closed: bool,
}

struct Shared {
    state: Mutex<State>,
    limits: Limits,
    /// Signalled when the subscriber takes entries or goes away.
    room: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A new buffer: the connection task's end and the subscription's end.
pub(crate) fn buffer(limits: Limits) -> (Producer, Consumer) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::new(),
            bytes: 0,
            unreported: 0,
            dropped: 0,
            waker: None,
            ended: false,
            closed: false,
        }),
        limits,
        room: Notify::new(),
    });
    (
        Producer {
            shared: shared.clone(),
        },
        Consumer {
            shared,
            local: VecDeque::new(),
        },
    )
}

/// What became of a pushed message.
pub(crate) enum Pushed {
    /// Buffered.
    Queued,
    /// Dropped and counted: the buffer was full (drop-newest policy).
    Dropped,
    /// The buffer is full and the policy is backpressure: try again when
    /// there is room.
    Full(Payload),
    /// The subscriber is gone.
    Closed,
}

/// Subscribers to wake once a batch of frames is handled.
#[derive(Default)]
pub(crate) struct Wakes(Vec<Waker>);

impl Wakes {
    fn add(&mut self, w: Waker) {
        if !self.0.iter().any(|x| x.will_wake(&w)) {
            self.0.push(w);
        }
    }

    /// Wakes them all.
    pub(crate) fn flush(&mut self) {
        for w in self.0.drain(..) {
            w.wake();
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// The connection task's end of a buffer. Cloning shares the buffer.
#[derive(Clone)]
pub(crate) struct Producer {
    shared: Arc<Shared>,
}

impl Producer {
    /// True once the subscriber is gone.
    pub(crate) fn is_closed(&self) -> bool {
        self.shared.lock().closed
    }

    /// Buffers a delivery, or applies the overflow policy.
    pub(crate) fn push(&self, payload: Payload, wakes: &mut Wakes) -> Pushed {
        let limits = &self.shared.limits;
        let mut st = self.shared.lock();
        if st.closed {
            return Pushed::Closed;
        }
        let size = payload.size();
        let full = st.items.len() >= limits.messages
            || (!st.items.is_empty() && st.bytes.saturating_add(size) > limits.bytes);
        if full {
            return match limits.overflow {
                Overflow::Backpressure => Pushed::Full(payload),
                Overflow::DropNewest => {
                    st.unreported += 1;
                    st.dropped += 1;
                    Pushed::Dropped
                }
            };
        }
        if st.unreported > 0 {
            let dropped = std::mem::take(&mut st.unreported);
            if limits.report_loss {
                st.items.push_back(Entry::Error(self.overflow(dropped)));
            }
        }
        st.bytes += size;
        st.items.push_back(Entry::Message(payload));
        if let Some(w) = st.waker.take() {
            wakes.add(w);
        }
        Pushed::Queued
    }

    /// Buffers an error item that the subscription goes on after (a frame
    /// that breaks the protocol): counted like a delivery, dropped when the
    /// buffer is full.
    pub(crate) fn push_error(&self, error: SubscribeError, wakes: &mut Wakes) -> bool {
        let mut st = self.shared.lock();
        if st.closed {
            return false;
        }
        if st.items.len() >= self.shared.limits.messages {
            st.unreported += 1;
            st.dropped += 1;
            return true;
        }
        st.items.push_back(Entry::Error(error));
        if let Some(w) = st.waker.take() {
            wakes.add(w);
        }
        true
    }

    /// The subscription was interrupted (its connection was lost and it was
    /// subscribed again): one item, whatever the buffer holds, unless the
    /// subscriber turned these off.
    pub(crate) fn interrupted(&self, cause: String, wakes: &mut Wakes) {
        if !self.shared.limits.report_loss {
            return;
        }
        let error = SubscribeError::Interrupted {
            stream: self.shared.limits.stream.clone(),
            reason: Interruption::Reconnected { cause },
        };
        self.force(Entry::Error(error), wakes);
    }

    /// Ends the buffer with a last error item (after which nothing comes).
    pub(crate) fn fail(&self, error: SubscribeError, wakes: &mut Wakes) {
        self.force(Entry::Error(error), wakes);
        self.end(wakes);
    }

    /// Nothing more will come: the subscriber reads what is buffered, then
    /// the end.
    pub(crate) fn end(&self, wakes: &mut Wakes) {
        let mut st = self.shared.lock();
        st.ended = true;
        if let Some(w) = st.waker.take() {
            wakes.add(w);
        }
    }

    fn force(&self, entry: Entry, wakes: &mut Wakes) {
        let mut st = self.shared.lock();
        if st.closed || st.ended {
            return;
        }
        st.items.push_back(entry);
        if let Some(w) = st.waker.take() {
            wakes.add(w);
        }
    }

    fn overflow(&self, dropped: u64) -> SubscribeError {
        SubscribeError::Interrupted {
            stream: self.shared.limits.stream.clone(),
            reason: Interruption::Overflow { dropped },
        }
    }

    /// Waits until the subscriber took something from the buffer or went
    /// away.
    pub(crate) async fn room(&self) {
        self.shared.room.notified().await
    }
}

/// The subscription's end of a buffer.
pub(crate) struct Consumer {
    shared: Arc<Shared>,
    /// The batch taken from the buffer, being worked through.
    local: VecDeque<Entry>,
}

impl Consumer {
    /// The next entry; `None` once the producer is done and all is read.
    pub(crate) fn poll_entry(&mut self, cx: &mut Context<'_>) -> Poll<Option<Entry>> {
        if let Some(e) = self.local.pop_front() {
            return Poll::Ready(Some(e));
        }
        let mut st = self.shared.lock();
        if !st.items.is_empty() {
            std::mem::swap(&mut self.local, &mut st.items);
            st.bytes = 0;
            drop(st);
            if self.shared.limits.overflow == Overflow::Backpressure {
                self.shared.room.notify_one();
            }
            return Poll::Ready(self.local.pop_front());
        }
        if st.unreported > 0 {
            let dropped = std::mem::take(&mut st.unreported);
            if self.shared.limits.report_loss {
                return Poll::Ready(Some(Entry::Error(SubscribeError::Interrupted {
                    stream: self.shared.limits.stream.clone(),
                    reason: Interruption::Overflow { dropped },
                })));
            }
        }
        if st.ended {
            return Poll::Ready(None);
        }
        match &st.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => st.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// How many entries wait, taken or not.
    pub(crate) fn len(&self) -> usize {
        self.local.len() + self.shared.lock().items.len()
    }

    /// How many deliveries were dropped because the buffer was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.shared.lock().dropped
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        let mut st = self.shared.lock();
        st.closed = true;
        st.items.clear();
        st.bytes = 0;
        drop(st);
        self.shared.room.notify_one();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn limits(messages: usize, bytes: usize, overflow: Overflow) -> Limits {
        Limits {
            stream: "s".into(),
            messages,
            bytes,
            overflow,
            report_loss: true,
        }
    }

    fn msg(n: usize) -> Payload {
        Payload::owned(format!("{{\"n\":{n}}}"))
    }

    fn next(c: &mut Consumer) -> Poll<Option<Entry>> {
        let waker = Waker::noop();
        c.poll_entry(&mut Context::from_waker(waker))
    }

    pub(crate) fn shown(p: &Payload) -> String {
        match p.text() {
            PayloadText::Checked(t) => t.to_string(),
            PayloadText::Frame(f, start) => f[start..f.len() - 1].to_string(),
        }
    }

    fn text(p: Poll<Option<Entry>>) -> String {
        match p {
            Poll::Ready(Some(Entry::Message(p))) => shown(&p),
            Poll::Ready(Some(Entry::Error(e))) => format!("error: {e}"),
            Poll::Ready(None) => "end".into(),
            Poll::Pending => "pending".into(),
        }
    }

    #[test]
    fn a_payload_is_a_range_of_its_frame() {
        let frame = Utf8Bytes::from(r#"{"id":2,"payload":{"a":1}}"#.to_string());
        let raw: &RawValue = serde_json::from_str(&frame.as_str()[18..25]).unwrap();
        let p = Payload::in_frame(&frame, raw);
        assert_eq!(shown(&p), r#"{"a":1}"#);
        assert_eq!((p.start, p.end), (18, Some(25)));
        // A payload from elsewhere is copied.
        let other = Payload::in_frame(&frame, RawValue::NULL);
        assert_eq!(shown(&other), "null");
        let head = Payload::after_head(&frame, 18);
        assert!(matches!(head.text(), PayloadText::Frame(f, 18) if f == frame.as_str()));
    }

    #[test]
    fn drop_newest_counts_and_reports_before_the_next_message() {
        let (p, mut c) = buffer(limits(2, usize::MAX, Overflow::DropNewest));
        let mut wakes = Wakes::default();
        for n in 0..5 {
            p.push(msg(n), &mut wakes);
        }
        assert_eq!(text(next(&mut c)), r#"{"n":0}"#);
        assert_eq!(text(next(&mut c)), r#"{"n":1}"#);
        // Caught up: the loss, then nothing.
        assert!(text(next(&mut c)).contains("3 deliveries were dropped"));
        assert_eq!(text(next(&mut c)), "pending");
        for n in 5..9 {
            p.push(msg(n), &mut wakes);
        }
        assert_eq!(text(next(&mut c)), r#"{"n":5}"#);
        p.push(msg(9), &mut wakes);
        // Dropped ones are reported before the next message that got in.
        assert_eq!(text(next(&mut c)), r#"{"n":6}"#);
        assert!(text(next(&mut c)).contains("2 deliveries were dropped"));
        assert_eq!(text(next(&mut c)), r#"{"n":9}"#);
        assert_eq!(c.dropped(), 5);
        p.end(&mut wakes);
        assert_eq!(text(next(&mut c)), "end");
    }

    #[test]
    fn the_byte_bound_holds_but_one_large_message_gets_in() {
        let (p, mut c) = buffer(limits(100, 10, Overflow::DropNewest));
        let mut wakes = Wakes::default();
        let big = Payload::owned("x".repeat(40));
        assert!(matches!(p.push(big, &mut wakes), Pushed::Queued));
        assert!(matches!(p.push(msg(1), &mut wakes), Pushed::Dropped));
        assert_eq!(text(next(&mut c)).len(), 40);
        assert!(matches!(p.push(msg(2), &mut wakes), Pushed::Queued));
        assert!(matches!(p.push(msg(3), &mut wakes), Pushed::Dropped));
    }

    #[test]
    fn backpressure_hands_the_message_back() {
        let (p, mut c) = buffer(limits(1, usize::MAX, Overflow::Backpressure));
        let mut wakes = Wakes::default();
        assert!(matches!(p.push(msg(0), &mut wakes), Pushed::Queued));
        let Pushed::Full(back) = p.push(msg(1), &mut wakes) else {
            panic!("expected the message back")
        };
        assert_eq!(text(next(&mut c)), r#"{"n":0}"#);
        assert!(matches!(p.push(back, &mut wakes), Pushed::Queued));
        assert_eq!(text(next(&mut c)), r#"{"n":1}"#);
        assert_eq!(c.dropped(), 0);
        drop(c);
        assert!(matches!(p.push(msg(2), &mut wakes), Pushed::Closed));
        assert!(p.is_closed());
    }

    #[test]
    fn one_wake_per_parked_subscriber() {
        let (p, mut c) = buffer(limits(100, usize::MAX, Overflow::DropNewest));
        let mut wakes = Wakes::default();
        assert_eq!(text(next(&mut c)), "pending");
        for n in 0..10 {
            p.push(msg(n), &mut wakes);
        }
        assert_eq!(wakes.len(), 1);
        wakes.flush();
        for n in 0..10 {
            assert_eq!(text(next(&mut c)), format!("{{\"n\":{n}}}"));
        }
        p.interrupted("lost".into(), &mut wakes);
        p.fail(SubscribeError::Closed, &mut wakes);
        assert!(text(next(&mut c)).contains("lost"));
        assert!(text(next(&mut c)).contains("closed"));
        assert_eq!(text(next(&mut c)), "end");
    }
}
