//! A bounded load run against an in-process server on loopback.
//!
//! ```text
//! cargo run --release -p streamsea-server --example load
//! ```
//!
//! Prints HTTP publishes per second (single messages and batches of 100),
//! deliveries per second to 1 and to 10 subscribers, and publish-to-delivery
//! latency (p50, p99). Every phase is bounded in message count and in time;
//! nothing leaves 127.0.0.1.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message;

const CLIENT: (&str, &str) = ("load", "load-secret");
/// Upper bound for each phase.
const PHASE_LIMIT: Duration = Duration::from_secs(20);
/// Concurrent HTTP requests in the publish phases.
const CONCURRENCY: usize = 16;
const BATCH: usize = 100;
/// How many batches may be in flight ahead of the slowest subscriber (kept
/// below the default outbound queue of 1024 deliveries).
const WINDOW: u64 = 8;

struct Bench {
    http: reqwest::Client,
    api: String,
    ws: String,
    auth: String,
}

impl Bench {
    async fn publish(&self, stream: &str, payload: Value) {
        let resp = self
            .http
            .post(format!("{}/streams/{stream}/publish", self.api))
            .header("Authorization", &self.auth)
            .json(&json!({ "payload": payload }))
            .send()
            .await
            .expect("publish request");
        assert_eq!(resp.status(), 200, "publish failed");
    }

    async fn define(&self, stream: &str) {
        let resp = self
            .http
            .post(format!("{}/streams/{stream}/define", self.api))
            .header("Authorization", &self.auth)
            .json(&json!({"version": 1, "fields": [
                {"name": "n", "type": "integer"},
                {"name": "tag", "type": "string"},
                {"name": "at", "type": "date"}
            ]}))
            .send()
            .await
            .expect("define request");
        assert_eq!(resp.status(), 200);
    }

    /// A subscriber in its own group; counts deliveries, reports each
    /// message's `n` through `on_message`.
    async fn subscriber(
        &self,
        stream: &str,
        group: String,
        count: Arc<AtomicU64>,
        progress: Arc<Notify>,
        on_message: Option<tokio::sync::mpsc::UnboundedSender<(u64, Instant)>>,
    ) -> tokio::task::JoinHandle<()> {
        let (mut ws, _) = tokio_tungstenite::connect_async(&self.ws)
            .await
            .expect("connect");
        let auth = json!({"id": 1, "action": "authenticate",
            "payload": {"type": "basic", "clientId": CLIENT.0, "clientSecret": CLIENT.1}});
        ws.send(Message::text(auth.to_string()))
            .await
            .expect("send");
        let sub = json!({"id": 2, "action": "subscribe", "payload": stream, "groupId": group});
        ws.send(Message::text(sub.to_string())).await.expect("send");
        // the two replies
        let mut replies = 0;
        while replies < 2 {
            match ws.next().await {
                Some(Ok(Message::Text(_))) => replies += 1,
                Some(Ok(_)) => {}
                Some(Err(e)) => panic!("subscriber connection failed: {e}"),
                None => panic!("the server closed a subscriber before it subscribed"),
            }
        }
        tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                if let Message::Text(text) = msg {
                    if let Some(tx) = &on_message {
                        let now = Instant::now();
                        let v: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                        if let Some(n) = v["payload"]["n"].as_u64() {
                            let _ = tx.send((n, now));
                        }
                    }
                    count.fetch_add(1, Ordering::Relaxed);
                    progress.notify_one();
                }
            }
        })
    }
}

fn message(n: u64) -> Value {
    json!({"n": n, "tag": "load-test-message", "at": "2024-01-01T00:00:00Z"})
}

fn group(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

async fn publish_phase(bench: &Arc<Bench>, total: usize, batch: usize) -> (usize, Duration) {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let bench = bench.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                if i >= total || started.elapsed() > PHASE_LIMIT {
                    return done;
                }
                let payload = if batch == 1 {
                    message(i as u64)
                } else {
                    Value::Array(
                        (0..batch)
                            .map(|k| message((i * batch + k) as u64))
                            .collect(),
                    )
                };
                bench.publish("nobody", payload).await;
                done += 1;
            }
        }));
    }
    let mut requests = 0;
    for t in tasks {
        requests += t.await.unwrap_or(0);
    }
    (requests, started.elapsed())
}

async fn delivery_phase(
    bench: &Arc<Bench>,
    stream: &str,
    subscribers: usize,
    batches: u64,
) -> (u64, Duration) {
    bench.define(stream).await;
    let progress = Arc::new(Notify::new());
    let mut counts = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..subscribers {
        let c = Arc::new(AtomicU64::new(0));
        counts.push(c.clone());
        tasks.push(
            bench
                .subscriber(stream, group(i), c, progress.clone(), None)
                .await,
        );
    }
    let min_received = |counts: &[Arc<AtomicU64>]| {
        counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .min()
            .unwrap_or(0)
    };
    let started = Instant::now();
    let mut sent = 0u64;
    for b in 0..batches {
        if started.elapsed() > PHASE_LIMIT {
            break;
        }
        // keep at most WINDOW batches ahead of the slowest subscriber
        while sent > min_received(&counts) + WINDOW * BATCH as u64 {
            let _ = tokio::time::timeout(Duration::from_millis(100), progress.notified()).await;
        }
        let payload = Value::Array(
            (0..BATCH)
                .map(|k| message(b * BATCH as u64 + k as u64))
                .collect(),
        );
        bench.publish(stream, payload).await;
        sent += BATCH as u64;
    }
    while min_received(&counts) < sent && started.elapsed() < PHASE_LIMIT * 2 {
        let _ = tokio::time::timeout(Duration::from_millis(100), progress.notified()).await;
    }
    let elapsed = started.elapsed();
    let delivered: u64 = counts.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    for t in tasks {
        t.abort();
    }
    (delivered, elapsed)
}

async fn latency_phase(bench: &Arc<Bench>, count: u64) -> Vec<Duration> {
    bench.define("latency").await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = bench
        .subscriber(
            "latency",
            group(99),
            Arc::new(AtomicU64::new(0)),
            Arc::new(Notify::new()),
            Some(tx),
        )
        .await;
    let started = Instant::now();
    let mut samples = Vec::new();
    for n in 0..count {
        if started.elapsed() > PHASE_LIMIT {
            break;
        }
        let sent_at = Instant::now();
        bench.publish("latency", message(n)).await;
        // wait for this message before sending the next one
        loop {
            match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
                Ok(Some((got, at))) if got == n => {
                    samples.push(at.duration_since(sent_at));
                    break;
                }
                Ok(Some(_)) => continue,
                _ => {
                    eprintln!("latency: message {n} not delivered within 5 s");
                    task.abort();
                    return samples;
                }
            }
        }
    }
    task.abort();
    samples
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let server = streamsea_server::Server::builder()
        .bind("127.0.0.1:0".parse().expect("address"))
        .client(CLIENT.0, CLIENT.1)
        .start()
        .await
        .expect("server start");
    let bench = Arc::new(Bench {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(CONCURRENCY)
            .build()
            .expect("http client"),
        api: server.api_url(),
        ws: server.ws_url(),
        auth: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", CLIENT.0, CLIENT.1))
        ),
    });
    bench.define("nobody").await;
    println!("streamsea-server load run (release, in-process, loopback, {CONCURRENCY} concurrent HTTP requests)");

    // warm-up
    publish_phase(&bench, 500, 1).await;

    let (n, t) = publish_phase(&bench, 50_000, 1).await;
    println!(
        "HTTP publish, single message : {:>9.0} publishes/s  ({n} requests in {:.2} s)",
        n as f64 / t.as_secs_f64(),
        t.as_secs_f64()
    );
    let (n, t) = publish_phase(&bench, 3_000, BATCH).await;
    println!(
        "HTTP publish, batches of {BATCH}  : {:>9.0} requests/s = {:.0} messages/s  ({n} requests in {:.2} s)",
        n as f64 / t.as_secs_f64(),
        (n * BATCH) as f64 / t.as_secs_f64(),
        t.as_secs_f64()
    );
    for (subs, batches) in [(1usize, 3_000u64), (10, 500)] {
        let (d, t) = delivery_phase(&bench, &format!("fan{subs}"), subs, batches).await;
        println!(
            "deliveries to {subs:>2} subscriber{} : {:>9.0} deliveries/s  ({d} deliveries in {:.2} s, batches of {BATCH})",
            if subs == 1 { " " } else { "s" },
            d as f64 / t.as_secs_f64(),
            t.as_secs_f64()
        );
    }
    let mut samples = latency_phase(&bench, 5_000).await;
    samples.sort();
    println!(
        "publish-to-delivery latency  : p50 {:.3} ms, p99 {:.3} ms  ({} sequential messages, 1 subscriber)",
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.len()
    );
    server.shutdown().await;
}
