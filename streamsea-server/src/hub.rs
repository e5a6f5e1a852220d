//! Live delivery: open connections, their subscriptions, groups and
//! round-robin (PROTOCOL.md section 5).
//!
//! A message goes to exactly one subscription of each group of its stream.
//! A group is keyed by (jail, client id, `groupId` or none); a bearer of a
//! `mustFanout` token gets a group of its own for every subscription. Within
//! a group the members take turns; a member whose token filter refuses the
//! message is skipped for it.
//!
//! Each connection has a bounded outbound queue ([`Outbox`]). A delivery never
//! waits: the frames of one publish call go to each connection as one unit,
//! and when the chosen member's queue cannot take them, that connection is
//! closed with 1008 `slow consumer` and its subscriptions are dropped, so a
//! subscriber that stops reading cannot grow the server's memory. All queues
//! together stay within a [`Budget`]: when a delivery would go beyond it, the
//! connections with the most bytes waiting are closed as slow consumers
//! first, until it fits.
//!
//! Locking: a lock for the registry (connections, and which streams have
//! subscribers), taken briefly, and one lock per stream for its groups.
//! Messages are serialized before any lock; the registry lock is not held
//! while filters run or frames are built, and publishes to different
//! streams do not wait for each other. The registry lock may be taken
//! before a stream's lock, never the other way round.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::value::RawValue;
use serde_json::Value;
use streamsea_protocol::filter::Filter;
use tokio::sync::watch;

use crate::outbox::{Budget, Frame, Outbox, PushError};

/// Why the server closes a connection: a close code and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CloseReason {
    pub(crate) code: u16,
    pub(crate) reason: &'static str,
}

pub(crate) const SLOW_CONSUMER: CloseReason = CloseReason {
    code: 1008,
    reason: "slow consumer",
};
pub(crate) const CLIENT_DELETED: CloseReason = CloseReason {
    code: 1008,
    reason: "client deleted",
};
pub(crate) const JAIL_DELETED: CloseReason = CloseReason {
    code: 1008,
    reason: "jail deleted",
};

/// Which group a subscription belongs to, within its jail and client.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum GroupName {
    /// No `groupId`: the client's default group.
    Default,
    /// A `groupId`.
    Id(String),
    /// A group of its own (a `mustFanout` bearer).
    Own(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct GroupKey {
    client_id: String,
    name: GroupName,
}

struct Member {
    conn: u64,
    sub_id: u64,
    filter: Option<Arc<Filter>>,
    tx: Outbox,
}

#[derive(Default)]
struct Group {
    members: Vec<Member>,
    next: usize,
}

struct Conn {
    jail_id: String,
    client_id: String,
    close: watch::Sender<Option<CloseReason>>,
    /// The bytes waiting in the connection's outbound queue.
    queued_bytes: Arc<AtomicUsize>,
    /// The (stream key, group key) of each subscription, for removal.
    subs: Vec<((String, String), GroupKey)>,
}

/// One stream's groups, behind the stream's own lock.
#[derive(Default)]
struct StreamGroups {
    groups: Mutex<HashMap<GroupKey, Group>>,
}

impl StreamGroups {
    fn lock(&self) -> MutexGuard<'_, HashMap<GroupKey, Group>> {
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[derive(Default)]
struct Inner {
    /// (jail id, stream name) to its groups.
    streams: HashMap<(String, String), Arc<StreamGroups>>,
    conns: HashMap<u64, Conn>,
}

/// The registry of live connections and subscriptions.
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    next_id: AtomicU64,
    budget: Arc<Budget>,
}

/// Frames of one publish call for one connection that the budget did not
/// let in yet.
type Deferred = (u64, Outbox, Vec<Frame>, usize);

/// A connection's registration: its id, its outbound queue's receiving end
/// and its close signal.
pub(crate) struct Registration {
    pub(crate) conn: u64,
    pub(crate) close: watch::Receiver<Option<CloseReason>>,
}

/// A new subscription.
pub(crate) struct Subscription {
    pub(crate) stream: String,
    pub(crate) sub_id: u64,
    pub(crate) client_id: String,
    pub(crate) group: GroupName,
    pub(crate) filter: Option<Arc<Filter>>,
    pub(crate) tx: Outbox,
}

impl Hub {
    /// A hub whose outbound queues together hold at most `budget_bytes`.
    pub(crate) fn new(budget_bytes: usize) -> Hub {
        Hub {
            inner: Mutex::new(Inner::default()),
            next_id: AtomicU64::new(0),
            budget: Arc::new(Budget::new(budget_bytes)),
        }
    }

    /// The budget shared by every connection's outbound queue.
    pub(crate) fn budget(&self) -> Arc<Budget> {
        self.budget.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh id (connections, own groups).
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Registers an authenticated connection of `client_id` in `jail_id`,
    /// whose outbound queue is `outbox`.
    pub(crate) fn register(&self, jail_id: &str, client_id: &str, outbox: &Outbox) -> Registration {
        let conn = self.next_id();
        let (close, rx) = watch::channel(None);
        self.lock().conns.insert(
            conn,
            Conn {
                jail_id: jail_id.to_string(),
                client_id: client_id.to_string(),
                close,
                queued_bytes: outbox.queued_bytes(),
                subs: Vec::new(),
            },
        );
        Registration { conn, close: rx }
    }

    /// Adds a subscription of connection `conn`; false when the connection
    /// is already gone (closed by a deletion).
    pub(crate) fn subscribe(&self, conn: u64, sub: Subscription) -> bool {
        let mut inner = self.lock();
        let Some(c) = inner.conns.get(&conn) else {
            return false;
        };
        let stream_key = (c.jail_id.clone(), sub.stream);
        let group_key = GroupKey {
            client_id: sub.client_id,
            name: sub.group,
        };
        inner
            .streams
            .entry(stream_key.clone())
            .or_default()
            .lock()
            .entry(group_key.clone())
            .or_default()
            .members
            .push(Member {
                conn,
                sub_id: sub.sub_id,
                filter: sub.filter,
                tx: sub.tx,
            });
        if let Some(c) = inner.conns.get_mut(&conn) {
            c.subs.push((stream_key, group_key));
        }
        true
    }

    /// Removes a connection and its subscriptions (when it ends).
    pub(crate) fn unregister(&self, conn: u64) {
        let mut inner = self.lock();
        remove_conn(&mut inner, conn);
    }

    /// Delivers messages published to `stream` of `jail_id`, in order.
    /// Returns how many deliveries were queued.
    pub(crate) fn publish(&self, jail_id: &str, stream: &str, messages: &[Value]) -> usize {
        let key = (jail_id.to_string(), stream.to_string());
        let Some(groups) = self.lock().streams.get(&key).cloned() else {
            return 0;
        };
        // Serialized once, before any lock, and shared by every delivery.
        let raws: Vec<(&Value, Arc<RawValue>)> = messages
            .iter()
            .filter_map(|m| {
                serde_json::value::to_raw_value(m)
                    .ok()
                    .map(|r| (m, Arc::from(r)))
            })
            .collect();
        let stream_name: Arc<str> = Arc::from(stream);
        let mut slow: Vec<u64> = Vec::new();
        let mut deferred: Vec<Deferred> = Vec::new();
        let mut queued = 0;
        {
            let mut groups = groups.lock();
            // Each connection's frames of this call, in order, queued as one
            // unit; a connection whose share outgrows its byte limit is slow,
            // and no more frames are made for it.
            let mut pending: Vec<Deferred> = Vec::new();
            let mut index: HashMap<u64, usize> = HashMap::new();
            for (message, raw) in &raws {
                for group in groups.values_mut() {
                    let Some(m) = choose(group, message, stream, &slow) else {
                        continue;
                    };
                    let frame = Frame::new(m.sub_id, stream_name.clone(), raw.clone());
                    let at = *index.entry(m.conn).or_insert_with(|| {
                        pending.push((m.conn, m.tx.clone(), Vec::new(), 0));
                        pending.len() - 1
                    });
                    let Some((conn, outbox, frames, bytes)) = pending.get_mut(at) else {
                        continue;
                    };
                    *bytes += frame.size();
                    frames.push(frame);
                    if *bytes > outbox.max_bytes() {
                        slow.push(*conn);
                        frames.clear();
                    }
                }
            }
            for (conn, outbox, frames, bytes) in pending {
                if frames.is_empty() {
                    continue;
                }
                match outbox.try_push(frames.clone(), bytes, false) {
                    Ok(n) => queued += n,
                    Err(PushError::Full) => slow.push(conn),
                    Err(PushError::OverBudget) => deferred.push((conn, outbox, frames, bytes)),
                    Err(PushError::Closed) => {}
                }
            }
        }
        if slow.is_empty() && deferred.is_empty() {
            return queued;
        }
        let mut inner = self.lock();
        for conn in &slow {
            close_slow(&mut inner, *conn, "its outbound queue is full");
        }
        if !deferred.is_empty() {
            queued += self.make_room(&mut inner, deferred);
        }
        queued
    }

    /// Closes the connections with the most bytes waiting until the
    /// `deferred` frames fit the budget, then queues them (those of
    /// connections that were not closed). Returns how many were queued.
    fn make_room(&self, inner: &mut Inner, deferred: Vec<Deferred>) -> usize {
        let needed: usize = deferred.iter().map(|d| d.3).sum();
        let limit = self.budget.limit();
        let mut by_backlog: Vec<(usize, u64)> = inner
            .conns
            .iter()
            .map(|(id, c)| (c.queued_bytes.load(Ordering::Acquire), *id))
            .filter(|(bytes, _)| *bytes > 0)
            .collect();
        by_backlog.sort_unstable_by(|a, b| b.cmp(a));
        let mut freed = 0usize;
        let mut closed: Vec<u64> = Vec::new();
        for (bytes, id) in by_backlog {
            if self
                .budget
                .used()
                .saturating_sub(freed)
                .saturating_add(needed)
                <= limit
            {
                break;
            }
            freed += bytes;
            closed.push(id);
            close_slow(
                inner,
                id,
                "the delivery budget of all connections is used up",
            );
        }
        let fits = self
            .budget
            .used()
            .saturating_sub(freed)
            .saturating_add(needed)
            <= limit;
        let mut queued = 0;
        for (conn, outbox, frames, bytes) in deferred {
            if closed.contains(&conn) {
                continue;
            }
            if !fits {
                // Nothing else to close: this consumer is the one behind.
                close_slow(
                    inner,
                    conn,
                    "the delivery budget of all connections is used up",
                );
                continue;
            }
            match outbox.try_push(frames, bytes, true) {
                Ok(n) => queued += n,
                Err(PushError::Closed) => {}
                Err(_) => close_slow(inner, conn, "its outbound queue is full"),
            }
        }
        queued
    }

    /// Closes every connection of a client (deleted).
    pub(crate) fn close_client(&self, jail_id: &str, client_id: &str) {
        self.close_where(
            |c| c.jail_id == jail_id && c.client_id == client_id,
            CLIENT_DELETED,
        );
    }

    /// Closes every connection of a jail (deleted).
    pub(crate) fn close_jail(&self, jail_id: &str) {
        self.close_where(|c| c.jail_id == jail_id, JAIL_DELETED);
    }

    fn close_where(&self, which: impl Fn(&Conn) -> bool, reason: CloseReason) {
        let mut inner = self.lock();
        let ids: Vec<u64> = inner
            .conns
            .iter()
            .filter(|(_, c)| which(c))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            if let Some(c) = inner.conns.get(&id) {
                tracing::info!(conn = id, client_id = %c.client_id, reason = reason.reason, "closing connection");
                c.close.send_replace(Some(reason.clone()));
            }
            remove_conn(&mut inner, id);
        }
    }

    /// Number of registered connections.
    pub(crate) fn connection_count(&self) -> usize {
        self.lock().conns.len()
    }
}

/// Closes a connection as a slow consumer (logged with `why`) and removes it.
fn close_slow(inner: &mut Inner, conn: u64, why: &str) {
    if let Some(c) = inner.conns.get(&conn) {
        tracing::warn!(
            conn,
            client_id = %c.client_id,
            jail_id = %c.jail_id,
            queued_bytes = c.queued_bytes.load(Ordering::Acquire),
            "closing a slow consumer: {why}"
        );
        c.close.send_replace(Some(SLOW_CONSUMER));
    }
    remove_conn(inner, conn);
}

/// The next member of `group` (round-robin), not on a `slow` connection,
/// whose filter accepts `message`; `None` when no member takes it.
fn choose<'g>(
    group: &'g mut Group,
    message: &Value,
    stream: &str,
    slow: &[u64],
) -> Option<&'g Member> {
    let n = group.members.len();
    for step in 0..n {
        let i = (group.next + step) % n;
        let member = &group.members[i];
        let accepts = !slow.contains(&member.conn)
            && member
                .filter
                .as_ref()
                .is_none_or(|f| f.matches(message, stream));
        if accepts {
            group.next = (i + 1) % n;
            return group.members.get(i);
        }
    }
    None
}

fn remove_conn(inner: &mut Inner, conn: u64) {
    let Some(c) = inner.conns.remove(&conn) else {
        return;
    };
    for (stream_key, group_key) in c.subs {
        let mut stream_empty = false;
        if let Some(groups) = inner.streams.get(&stream_key) {
            let mut groups = groups.lock();
            let mut group_empty = false;
            if let Some(g) = groups.get_mut(&group_key) {
                g.members.retain(|m| m.conn != conn);
                if g.next >= g.members.len() {
                    g.next = 0;
                }
                group_empty = g.members.is_empty();
            }
            if group_empty {
                groups.remove(&group_key);
            }
            stream_empty = groups.is_empty();
        }
        if stream_empty {
            inner.streams.remove(&stream_key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::{outbox, OutboxReceiver};
    use serde_json::json;

    /// A registered connection with one subscription to `s`.
    fn conn(
        hub: &Hub,
        client: &str,
        group: GroupName,
        cap: usize,
    ) -> (Registration, OutboxReceiver) {
        let (tx, rx) = outbox(cap, 1 << 20, hub.budget());
        let reg = hub.register("j", client, &tx);
        assert!(hub.subscribe(
            reg.conn,
            Subscription {
                stream: "s".into(),
                sub_id: 2,
                client_id: client.into(),
                group,
                filter: None,
                tx,
            }
        ));
        (reg, rx)
    }

    #[tokio::test]
    async fn round_robin_within_a_group() {
        let hub = Hub::new(usize::MAX);
        let (_a, mut ra) = conn(&hub, "c", GroupName::Default, 10);
        let (_b, mut rb) = conn(&hub, "c", GroupName::Default, 10);
        let msgs: Vec<Value> = (0..4).map(|i| json!({"i": i})).collect();
        assert_eq!(hub.publish("j", "s", &msgs), 4);
        for _ in 0..2 {
            assert!(ra.recv().await.is_some());
            assert!(rb.recv().await.is_some());
        }
        let idle = tokio::time::timeout(std::time::Duration::from_millis(20), ra.recv());
        assert!(
            idle.await.is_err(),
            "a third message reached the first member"
        );
        assert_eq!(hub.publish("other", "s", &msgs), 0);
    }

    #[test]
    fn full_queue_closes_the_connection() {
        let hub = Hub::new(usize::MAX);
        let (a, _ra) = conn(&hub, "c", GroupName::Own(1), 1);
        let close = a.close.clone();
        // An empty queue takes a whole batch, even one larger than itself ...
        assert_eq!(hub.publish("j", "s", &[json!({}), json!({})]), 2);
        assert_eq!(*close.borrow(), None);
        // ... but nothing more while the subscriber has not read it.
        hub.publish("j", "s", &[json!({})]);
        assert_eq!(*close.borrow(), Some(SLOW_CONSUMER));
        assert_eq!(hub.connection_count(), 0);
        assert_eq!(hub.publish("j", "s", &[json!({})]), 0);
    }

    #[tokio::test]
    async fn the_budget_closes_the_slowest_consumer_first() {
        let raw = serde_json::value::to_raw_value(&json!({"x": "0123456789"})).unwrap();
        let frame_len = Frame::new(2, Arc::from("s"), Arc::from(raw)).size();
        // Room for five deliveries in all.
        let hub = Hub::new(frame_len * 5);
        let (slow, _slow_rx) = conn(&hub, "a", GroupName::Own(1), 100);
        let (fast, mut fast_rx) = conn(&hub, "b", GroupName::Own(2), 100);
        let m = json!({"x": "0123456789"});
        // Three to each: the budget is used up at the sixth.
        assert_eq!(hub.publish("j", "s", &[m.clone(), m.clone()]), 4);
        for _ in 0..2 {
            fast_rx.recv().await.unwrap();
        }
        // The fast one read its two; the slow one holds two. Two more each
        // make six: the slow one (most bytes waiting) is closed, the fast
        // one still gets both.
        hub.publish("j", "s", std::slice::from_ref(&m));
        hub.publish("j", "s", std::slice::from_ref(&m));
        assert_eq!(*slow.close.borrow(), Some(SLOW_CONSUMER));
        assert_eq!(*fast.close.borrow(), None);
        for _ in 0..2 {
            fast_rx.recv().await.unwrap();
        }
        assert_eq!(hub.connection_count(), 1);
    }
}
