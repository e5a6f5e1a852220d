//! A connection's outbound queue of deliveries, bounded in messages.
//!
//! One publish call hands each connection all its frames of that call at
//! once. The queue takes them when it holds fewer than its capacity
//! afterwards, or when it is empty: a subscriber that keeps up is never
//! dropped because one batch was larger than the queue, and a subscriber
//! that stops reading holds at most `max(capacity, largest batch)`
//! messages, a batch being bounded by the request body limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;

/// The sending side, kept by the hub for each subscription.
#[derive(Debug, Clone)]
pub(crate) struct Outbox {
    tx: mpsc::Sender<Vec<String>>,
    queued: Arc<AtomicUsize>,
    capacity: usize,
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
    current: std::vec::IntoIter<String>,
}

/// A queue holding up to `capacity` messages (at least 1).
pub(crate) fn outbox(capacity: usize) -> (Outbox, OutboxReceiver) {
    let capacity = capacity.max(1);
    let (tx, rx) = mpsc::channel(capacity);
    let queued = Arc::new(AtomicUsize::new(0));
    (
        Outbox {
            tx,
            queued: queued.clone(),
            capacity,
        },
        OutboxReceiver {
            rx,
            queued,
            current: Vec::new().into_iter(),
        },
    )
}

impl Outbox {
    /// Queues `frames` as one unit; returns how many were queued.
    pub(crate) fn try_push(&self, frames: Vec<String>) -> Result<usize, PushError> {
        let n = frames.len();
        if n == 0 {
            return Ok(0);
        }
        let before = self.queued.load(Ordering::Acquire);
        if before != 0 && before.saturating_add(n) > self.capacity {
            return Err(PushError::Full);
        }
        self.queued.fetch_add(n, Ordering::AcqRel);
        match self.tx.try_send(frames) {
            Ok(()) => Ok(n),
            Err(e) => {
                self.queued.fetch_sub(n, Ordering::AcqRel);
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
                return Some(frame);
            }
            self.current = self.rx.recv().await?.into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(n: usize) -> Vec<String> {
        (0..n).map(|i| i.to_string()).collect()
    }

    #[tokio::test]
    async fn an_empty_queue_takes_a_batch_larger_than_itself() {
        let (tx, mut rx) = outbox(2);
        assert_eq!(tx.try_push(frames(5)), Ok(5));
        assert_eq!(tx.try_push(frames(1)), Err(PushError::Full));
        for i in 0..5 {
            assert_eq!(rx.recv().await, Some(i.to_string()));
        }
        assert_eq!(tx.try_push(frames(2)), Ok(2));
        assert_eq!(tx.try_push(frames(1)), Err(PushError::Full));
        rx.recv().await;
        assert_eq!(tx.try_push(frames(1)), Ok(1));
    }

    #[tokio::test]
    async fn a_closed_receiver_is_reported() {
        let (tx, rx) = outbox(2);
        drop(rx);
        assert_eq!(tx.try_push(frames(1)), Err(PushError::Closed));
    }
}
