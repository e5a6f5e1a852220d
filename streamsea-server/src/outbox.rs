//! A connection's outbound queue of deliveries, bounded in messages and in
//! bytes.
//!
//! One publish call hands each connection all its frames of that call at
//! once. The queue takes them when, afterwards, it holds no more than its
//! byte limit and no more messages than its capacity, or when it was empty
//! and they fit the byte limit: a subscriber that keeps up is never dropped
//! because one batch had more messages than the queue, and a subscriber that
//! stops reading holds at most the byte limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;

/// The sending side, kept by the hub for each subscription.
#[derive(Debug, Clone)]
pub(crate) struct Outbox {
    tx: mpsc::Sender<Vec<String>>,
    queued: Arc<AtomicUsize>,
    queued_bytes: Arc<AtomicUsize>,
    capacity: usize,
    max_bytes: usize,
}

/// Why frames were not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushError {
    /// The queue is full: the connection is a slow consumer.
    Full,
    /// The connection is gone.
    Closed,
}

/// The receiving side, read by the connection's task.
#[derive(Debug)]
pub(crate) struct OutboxReceiver {
    rx: mpsc::Receiver<Vec<String>>,
    queued: Arc<AtomicUsize>,
    queued_bytes: Arc<AtomicUsize>,
    current: std::vec::IntoIter<String>,
}

/// A queue holding up to `capacity` messages (at least 1) and `max_bytes`
/// bytes.
pub(crate) fn outbox(capacity: usize, max_bytes: usize) -> (Outbox, OutboxReceiver) {
    let capacity = capacity.max(1);
    let (tx, rx) = mpsc::channel(capacity);
    let queued = Arc::new(AtomicUsize::new(0));
    let queued_bytes = Arc::new(AtomicUsize::new(0));
    (
        Outbox {
            tx,
            queued: queued.clone(),
            queued_bytes: queued_bytes.clone(),
            capacity,
            max_bytes,
        },
        OutboxReceiver {
            rx,
            queued,
            queued_bytes,
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

    /// Queues `frames` (`bytes` long in all) as one unit; returns how many
    /// were queued.
    pub(crate) fn try_push(&self, frames: Vec<String>, bytes: usize) -> Result<usize, PushError> {
        let n = frames.len();
        if n == 0 {
            return Ok(0);
        }
        let before = self.queued.load(Ordering::Acquire);
        let before_bytes = self.queued_bytes.load(Ordering::Acquire);
        if (before != 0 && before.saturating_add(n) > self.capacity)
            || before_bytes.saturating_add(bytes) > self.max_bytes
        {
            return Err(PushError::Full);
        }
        self.queued.fetch_add(n, Ordering::AcqRel);
        self.queued_bytes.fetch_add(bytes, Ordering::AcqRel);
        match self.tx.try_send(frames) {
            Ok(()) => Ok(n),
            Err(e) => {
                self.queued.fetch_sub(n, Ordering::AcqRel);
                self.queued_bytes.fetch_sub(bytes, Ordering::AcqRel);
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
    pub(crate) async fn recv(&mut self) -> Option<String> {
        loop {
            if let Some(frame) = self.current.next() {
                self.queued.fetch_sub(1, Ordering::AcqRel);
                self.queued_bytes.fetch_sub(frame.len(), Ordering::AcqRel);
                return Some(frame);
            }
            self.current = self.rx.recv().await?.into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` one-byte frames.
    fn push(tx: &Outbox, n: usize) -> Result<usize, PushError> {
        tx.try_push((0..n).map(|i| (i % 10).to_string()).collect(), n)
    }

    #[tokio::test]
    async fn an_empty_queue_takes_a_batch_larger_than_itself() {
        let (tx, mut rx) = outbox(2, 1000);
        assert_eq!(push(&tx, 5), Ok(5));
        assert_eq!(push(&tx, 1), Err(PushError::Full));
        for i in 0..5 {
            assert_eq!(rx.recv().await, Some(i.to_string()));
        }
        assert_eq!(push(&tx, 2), Ok(2));
        assert_eq!(push(&tx, 1), Err(PushError::Full));
        rx.recv().await;
        assert_eq!(push(&tx, 1), Ok(1));
    }

    #[tokio::test]
    async fn bytes_are_bounded_even_for_an_empty_queue() {
        let (tx, mut rx) = outbox(100, 10);
        assert_eq!(push(&tx, 11), Err(PushError::Full));
        assert_eq!(push(&tx, 6), Ok(6));
        assert_eq!(push(&tx, 5), Err(PushError::Full));
        rx.recv().await;
        assert_eq!(push(&tx, 5), Ok(5));
    }

    #[tokio::test]
    async fn a_closed_receiver_is_reported() {
        let (tx, rx) = outbox(2, 10);
        drop(rx);
        assert_eq!(push(&tx, 1), Err(PushError::Closed));
    }
}
