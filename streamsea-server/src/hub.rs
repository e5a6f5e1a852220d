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
//! subscriber that stops reading cannot grow the server's memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use streamsea_protocol::filter::Filter;
use tokio::sync::watch;

use crate::outbox::{Outbox, PushError};

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
    /// The (stream key, group key) of each subscription, for removal.
    subs: Vec<((String, String), GroupKey)>,
}

#[derive(Default)]
struct Inner {
    /// (jail id, stream name) to its groups.
    streams: HashMap<(String, String), HashMap<GroupKey, Group>>,
    conns: HashMap<u64, Conn>,
}

/// The registry of live connections and subscriptions.
#[derive(Default)]
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    next_id: AtomicU64,
}

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
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh id (connections, own groups).
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Registers an authenticated connection of `client_id` in `jail_id`.
    pub(crate) fn register(&self, jail_id: &str, client_id: &str) -> Registration {
        let conn = self.next_id();
        let (close, rx) = watch::channel(None);
        self.lock().conns.insert(
            conn,
            Conn {
                jail_id: jail_id.to_string(),
                client_id: client_id.to_string(),
                close,
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
        let mut slow: Vec<u64> = Vec::new();
        let mut queued = 0;
        {
            let mut inner = self.lock();
            let key = (jail_id.to_string(), stream.to_string());
            let Some(groups) = inner.streams.get_mut(&key) else {
                return 0;
            };
            // Each connection's frames of this call, in order, queued as one
            // unit; a connection whose share outgrows its byte limit is slow,
            // and no more frames are made for it.
            let mut pending: Vec<(u64, Outbox, Vec<String>, usize)> = Vec::new();
            let mut index: HashMap<u64, usize> = HashMap::new();
            for message in messages {
                let Ok(raw) = serde_json::value::to_raw_value(message) else {
                    continue;
                };
                for group in groups.values_mut() {
                    let Some(m) = choose(group, message, stream, &slow) else {
                        continue;
                    };
                    let frame = streamsea_protocol::ws::encode_delivery(m.sub_id, stream, &raw);
                    let at = *index.entry(m.conn).or_insert_with(|| {
                        pending.push((m.conn, m.tx.clone(), Vec::new(), 0));
                        pending.len() - 1
                    });
                    let Some((conn, outbox, frames, bytes)) = pending.get_mut(at) else {
                        continue;
                    };
                    *bytes += frame.len();
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
                match outbox.try_push(frames, bytes) {
                    Ok(n) => queued += n,
                    Err(PushError::Full) => slow.push(conn),
                    Err(PushError::Closed) => {}
                }
            }
            for conn in &slow {
                if let Some(c) = inner.conns.get(conn) {
                    tracing::warn!(
                        conn,
                        client_id = %c.client_id,
                        jail_id = %c.jail_id,
                        "closing a slow consumer: its outbound queue is full"
                    );
                    c.close.send_replace(Some(SLOW_CONSUMER));
                }
                remove_conn(&mut inner, *conn);
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
        if let Some(groups) = inner.streams.get_mut(&stream_key) {
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
    use serde_json::json;

    fn sub(
        hub: &Hub,
        conn: u64,
        client: &str,
        group: GroupName,
        cap: usize,
    ) -> crate::outbox::OutboxReceiver {
        let (tx, rx) = crate::outbox::outbox(cap, 1 << 20);
        assert!(hub.subscribe(
            conn,
            Subscription {
                stream: "s".into(),
                sub_id: 2,
                client_id: client.into(),
                group,
                filter: None,
                tx,
            }
        ));
        rx
    }

    #[tokio::test]
    async fn round_robin_within_a_group() {
        let hub = Hub::default();
        let a = hub.register("j", "c");
        let b = hub.register("j", "c");
        let mut ra = sub(&hub, a.conn, "c", GroupName::Default, 10);
        let mut rb = sub(&hub, b.conn, "c", GroupName::Default, 10);
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
        let hub = Hub::default();
        let a = hub.register("j", "c");
        let close = a.close.clone();
        let _ra = sub(&hub, a.conn, "c", GroupName::Own(1), 1);
        // An empty queue takes a whole batch, even one larger than itself ...
        assert_eq!(hub.publish("j", "s", &[json!({}), json!({})]), 2);
        assert_eq!(*close.borrow(), None);
        // ... but nothing more while the subscriber has not read it.
        hub.publish("j", "s", &[json!({})]);
        assert_eq!(*close.borrow(), Some(SLOW_CONSUMER));
        assert_eq!(hub.connection_count(), 0);
        assert_eq!(hub.publish("j", "s", &[json!({})]), 0);
    }
}
