//! A connection's outbound queue of deliveries, bounded in messages and in
//! bytes.
//!
//! One publish call hands each connection all its frames of that call at
//! once. The queue takes them when, afterwards, it holds no more than its
//! byte limit and no more messages than its capacity, or when it was empty
//! and they fit the byte limit: a subscriber that keeps up is never dropped
//! because one batch had more messages than the queue, and a subscriber that
//! stops reading holds at most the byte limit.
//!
//! All queues together are bounded too, by a shared [`Budget`]: a push that
//! would take the total beyond it is refused with [`PushError::OverBudget`],
//! and the hub then closes the slowest consumers to make room. A queue that
//! is closed or dropped gives its bytes back at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::value::RawValue;
use tokio::sync::mpsc;

/// Upper bound of the bytes a delivery's text adds to its stream name and
/// payload: `{"id":N,"action":"subscription","streamName":"","payload":}`
/// with a 20-digit id.
const FRAME_OVERHEAD: usize = 80;

/// One delivery waiting to be sent: the subscription it answers and the
/// message, shared by every connection the message goes to (a message fanned
/// out to many subscribers is held once). Its text is made when it is sent.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    sub_id: u64,
    stream: Arc<str>,
    payload: Arc<RawValue>,
}

impl Frame {
    pub(crate) fn new(sub_id: u64, stream: Arc<str>, payload: Arc<RawValue>) -> Frame {
        Frame {
            sub_id,
            stream,
            payload,
        }
    }

    /// The bytes the frame counts for in the limits: at least the length of
    /// its text.
    pub(crate) fn size(&self) -> usize {
        FRAME_OVERHEAD + self.stream.len() + self.payload.get().len()
    }

    /// The delivery's text frame.
    pub(crate) fn encode(&self) -> String {
        streamsea_protocol::ws::encode_delivery(self.sub_id, &self.stream, &self.payload)
    }
}

/// The bytes of deliveries queued across all connections, and their limit.
#[derive(Debug)]
pub(crate) struct Budget {
    used: AtomicUsize,
    limit: usize,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub(crate) fn new(limit: usize) -> Budget {
        Budget {
            used: AtomicUsize::new(0),
            limit,
        }
    }

    /// The bytes queued now.
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    /// The limit.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    fn release(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::AcqRel);
    }
}

/// The sending side, kept by the hub for each subscription.
#[derive(Debug, Clone)]
pub(crate) struct Outbox {
    tx: mpsc::Sender<Vec<Frame>>,
    queued: Arc<AtomicUsize>,
    queued_bytes: Arc<AtomicUsize>,
    budget: Arc<Budget>,
    capacity: usize,
    max_bytes: usize,
}

/// Why frames were not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushError {
    /// The queue is full: the connection is a slow consumer.
    Full,
    /// All queues together hold the budget: room must be made first.
    OverBudget,
    /// The connection is gone.
    Closed,
}

/// The receiving side, read by the connection's task.
#[derive(Debug)]
pub(crate) struct OutboxReceiver {
    rx: mpsc::Receiver<Vec<Frame>>,
    queued: Arc<AtomicUsize>,
    queued_bytes: Arc<AtomicUsize>,
    budget: Arc<Budget>,
    current: std::vec::IntoIter<Frame>,
}

/// A queue holding up to `capacity` messages (at least 1) and `max_bytes`
/// bytes, within the shared `budget`.
pub(crate) fn outbox(
    capacity: usize,
    max_bytes: usize,
    budget: Arc<Budget>,
) -> (Outbox, OutboxReceiver) {
    let capacity = capacity.max(1);
    let (tx, rx) = mpsc::channel(capacity);
    let queued = Arc::new(AtomicUsize::new(0));
    let queued_bytes = Arc::new(AtomicUsize::new(0));
    (
        Outbox {
            tx,
            queued: queued.clone(),
            queued_bytes: queued_bytes.clone(),
            budget: budget.clone(),
            capacity,
            max_bytes,
        },
        OutboxReceiver {
            rx,
            queued,
            queued_bytes,
            budget,
            current: Vec::new().into_iter(),
        },
    )
}

impl Outbox {
    /// The byte limit: a connection's share of one publish call larger than
    /// this can never be queued.
    pub(crate) fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The bytes waiting in this queue now.
    pub(crate) fn queued_bytes(&self) -> Arc<AtomicUsize> {
        self.queued_bytes.clone()
    }

    /// Queues `frames` (`bytes` long in all) as one unit; returns how many
    /// were queued. The shared budget is checked unless `past_budget` (room
    /// was just made by closing slower consumers, whose queues are being
    /// given back).
    pub(crate) fn try_push(
        &self,
        frames: Vec<Frame>,
        bytes: usize,
        past_budget: bool,
    ) -> Result<usize, PushError> {
        let n = frames.len();
        if n == 0 {
            return Ok(0);
        }
        if self.tx.is_closed() {
            return Err(PushError::Closed);
        }
        let before = self.queued.load(Ordering::Acquire);
        let before_bytes = self.queued_bytes.load(Ordering::Acquire);
        if (before != 0 && before.saturating_add(n) > self.capacity)
            || before_bytes.saturating_add(bytes) > self.max_bytes
        {
            return Err(PushError::Full);
        }
        if !past_budget && self.budget.used().saturating_add(bytes) > self.budget.limit {
            return Err(PushError::OverBudget);
        }
        self.queued.fetch_add(n, Ordering::AcqRel);
        self.queued_bytes.fetch_add(bytes, Ordering::AcqRel);
        self.budget.used.fetch_add(bytes, Ordering::AcqRel);
        match self.tx.try_send(frames) {
            Ok(()) => Ok(n),
            Err(e) => {
                self.queued.fetch_sub(n, Ordering::AcqRel);
                self.queued_bytes.fetch_sub(bytes, Ordering::AcqRel);
                self.budget.release(bytes);
                Err(match e {
                    mpsc::error::TrySendError::Full(_) => PushError::Full,
                    mpsc::error::TrySendError::Closed(_) => PushError::Closed,
                })
            }
        }
    }
}

impl OutboxReceiver {
    /// The next frame to send; `None` once every sender is gone. Cancel safe.
    pub(crate) async fn recv(&mut self) -> Option<Frame> {
        loop {
            if let Some(frame) = self.try_next() {
                return Some(frame);
            }
            self.current = self.rx.recv().await?.into_iter();
        }
    }

    /// The next frame when one is queued already, without waiting.
    pub(crate) fn try_next(&mut self) -> Option<Frame> {
        loop {
            if let Some(frame) = self.current.next() {
                let size = frame.size();
                self.queued.fetch_sub(1, Ordering::AcqRel);
                self.queued_bytes.fetch_sub(size, Ordering::AcqRel);
                self.budget.release(size);
                return Some(frame);
            }
            self.current = self.rx.try_recv().ok()?.into_iter();
        }
    }

    /// Closes the queue and drops what waits in it, giving its bytes back.
    pub(crate) fn close_and_drain(&mut self) {
        self.rx.close();
        let mut frames: Vec<Frame> = std::mem::take(&mut self.current).collect();
        while let Ok(more) = self.rx.try_recv() {
            frames.extend(more);
        }
        let bytes: usize = frames.iter().map(Frame::size).sum();
        self.queued.fetch_sub(frames.len(), Ordering::AcqRel);
        self.queued_bytes.fetch_sub(bytes, Ordering::AcqRel);
        self.budget.release(bytes);
    }
}

impl Drop for OutboxReceiver {
    fn drop(&mut self) {
        self.close_and_drain();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frame `i` (its payload is `i % 10`); every such frame has size `U`.
    fn frame(i: usize) -> Frame {
        let payload = RawValue::from_string((i % 10).to_string()).unwrap();
        Frame::new(2, Arc::from("s"), Arc::from(payload))
    }

    /// The size of every test frame.
    const U: usize = FRAME_OVERHEAD + 2;

    /// `n` frames of size `U`.
    fn push(tx: &Outbox, n: usize) -> Result<usize, PushError> {
        tx.try_push((0..n).map(frame).collect(), n * U, false)
    }

    fn payload(f: Option<Frame>) -> Option<String> {
        f.map(|f| f.payload.get().to_string())
    }

    fn budget() -> Arc<Budget> {
        Arc::new(Budget::new(usize::MAX))
    }

    #[tokio::test]
    async fn the_shared_budget_bounds_all_queues_and_comes_back() {
        let shared = Arc::new(Budget::new(10 * U));
        let (a, mut ra) = outbox(100, 100 * U, shared.clone());
        let (b, rb) = outbox(100, 100 * U, shared.clone());
        assert_eq!(push(&a, 6), Ok(6));
        assert_eq!(push(&b, 5), Err(PushError::OverBudget));
        assert_eq!(push(&b, 4), Ok(4));
        assert_eq!(shared.used(), 10 * U);
        // Past the budget on purpose (room is being made elsewhere).
        assert_eq!(b.try_push(vec![frame(0)], U, true), Ok(1));
        ra.recv().await;
        assert_eq!(shared.used(), 10 * U);
        drop(rb);
        assert_eq!(shared.used(), 5 * U);
        ra.close_and_drain();
        assert_eq!(shared.used(), 0);
        assert_eq!(push(&a, 1), Err(PushError::Closed));
    }

    #[tokio::test]
    async fn an_empty_queue_takes_a_batch_larger_than_itself() {
        let (tx, mut rx) = outbox(2, 1000 * U, budget());
        assert_eq!(push(&tx, 5), Ok(5));
        assert_eq!(push(&tx, 1), Err(PushError::Full));
        for i in 0..5 {
            assert_eq!(payload(rx.recv().await), Some(i.to_string()));
        }
        assert_eq!(push(&tx, 2), Ok(2));
        assert_eq!(push(&tx, 1), Err(PushError::Full));
        rx.recv().await;
        assert_eq!(push(&tx, 1), Ok(1));
    }

    #[tokio::test]
    async fn bytes_are_bounded_even_for_an_empty_queue() {
        let (tx, mut rx) = outbox(100, 10 * U, budget());
        assert_eq!(push(&tx, 11), Err(PushError::Full));
        assert_eq!(push(&tx, 6), Ok(6));
        assert_eq!(push(&tx, 5), Err(PushError::Full));
        rx.recv().await;
        assert_eq!(push(&tx, 5), Ok(5));
    }

    #[tokio::test]
    async fn what_is_queued_is_taken_without_waiting_in_order_and_accounted() {
        let shared = Arc::new(Budget::new(100 * U));
        let (tx, mut rx) = outbox(100, 100 * U, shared.clone());
        assert!(rx.try_next().is_none());
        assert_eq!(push(&tx, 3), Ok(3));
        assert_eq!(push(&tx, 2), Ok(2));
        assert_eq!(shared.used(), 5 * U);
        // Across the two pushes, in order, each giving its bytes back.
        let taken: Vec<Option<String>> = (0..5).map(|_| payload(rx.try_next())).collect();
        let want: Vec<Option<String>> = [0, 1, 2, 0, 1]
            .iter()
            .map(|i| Some(i.to_string()))
            .collect();
        assert_eq!(taken, want);
        assert!(rx.try_next().is_none());
        assert_eq!(shared.used(), 0);
        // The queue has room again for as many as it had.
        assert_eq!(push(&tx, 100), Ok(100));
    }

    #[tokio::test]
    async fn a_closed_receiver_is_reported() {
        let (tx, rx) = outbox(2, 10 * U, budget());
        drop(rx);
        assert_eq!(push(&tx, 1), Err(PushError::Closed));
    }
}
