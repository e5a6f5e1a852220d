//! Publish/subscribe throughput and latency through the client, against a
//! local `streamsea-server` on loopback.
//!
//! ```text
//! cargo run --release --example pubsub_bench
//! cargo run --release --example pubsub_bench -- --quick
//! ```
//!
//! It publishes typed messages sequentially, concurrently and in batches,
//! receives them on a typed subscription, and prints messages per second for
//! each mode, publish-to-delivery latency (p50/p99), and the time from a
//! forced server restart on the same port to the first message received
//! again. Counts are fixed and bounded; every wait has a deadline.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use streamsea::server::{Limits, Server, ServerHandle};
use streamsea::{Client, StreamExt, StreamSchema, SubscribeOptions, Subscription};

/// Longest wait for any one phase.
const DEADLINE: Duration = Duration::from_secs(120);
/// The most messages published but not yet received: publishers wait beyond
/// it, so the figures are sustainable rates. stream-sea delivers at most
/// once, and a server drops a subscriber that falls too far behind.
const WINDOW: usize = 4096;
const CLIENT: (&str, &str) = ("bench", "bench-secret");

/// One benchmark message: small, typed, and stamped with its send time.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "bench", version = 1)]
#[serde(rename_all = "camelCase")]
struct Tick {
    seq: i64,
    /// Microseconds since the start of the run, just before publishing.
    sent_us: i64,
    sensor: String,
    value: f64,
}

fn base() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

fn now_us() -> i64 {
    base().elapsed().as_micros() as i64
}

fn tick(seq: i64) -> Tick {
    Tick {
        seq,
        sent_us: now_us(),
        sensor: format!("sensor-{}", seq % 16),
        value: seq as f64 * 0.5,
    }
}

async fn start_server(addr: SocketAddr) -> Result<ServerHandle, Box<dyn std::error::Error>> {
    let builder = Server::builder()
        .bind(addr)
        .client(CLIENT.0, CLIENT.1)
        // Batches of 500 arrive at once; the subscriber reads as fast as it can.
        .limits(Limits {
            outbound_queue: 16 * 1024,
            ..Limits::default()
        });
    // After a restart the old listener may need a moment to let the port go.
    let started = Instant::now();
    loop {
        match builder.clone().start().await {
            Ok(s) => return Ok(s),
            Err(_) if started.elapsed() < Duration::from_secs(10) => {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// What one mode measured.
struct Outcome {
    received: usize,
    elapsed: Duration,
    latencies_us: Vec<i64>,
}

/// Receives `n` messages (or gives up at the deadline).
async fn receive(
    sub: &mut Subscription<Tick>,
    n: usize,
    received: &AtomicUsize,
) -> (usize, Vec<i64>) {
    let mut latencies = Vec::with_capacity(n);
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while latencies.len() < n {
        match tokio::time::timeout_at(deadline, sub.next()).await {
            Ok(Some(Ok(t))) => {
                latencies.push(now_us() - t.sent_us);
                received.fetch_add(1, Ordering::Release);
            }
            Ok(Some(Err(e))) => eprintln!("  subscription error: {e}"),
            Ok(None) | Err(_) => break,
        }
    }
    (latencies.len(), latencies)
}

/// Lets a publisher go on once fewer than [`WINDOW`] messages are in flight.
#[derive(Clone)]
struct Window {
    sent: Arc<AtomicUsize>,
    received: Arc<AtomicUsize>,
}

impl Window {
    async fn admit(&self, count: usize) {
        while self.sent.load(Ordering::Acquire) + count
            > self.received.load(Ordering::Acquire) + WINDOW
        {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        self.sent.fetch_add(count, Ordering::AcqRel);
    }
}

async fn run_mode<F, Fut>(sub: &mut Subscription<Tick>, n: usize, publish: F) -> Outcome
where
    F: FnOnce(Window) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let window = Window {
        sent: Arc::new(AtomicUsize::new(0)),
        received: Arc::new(AtomicUsize::new(0)),
    };
    let start = Instant::now();
    let publisher = tokio::spawn(publish(window.clone()));
    let (received, latencies_us) = receive(sub, n, &window.received).await;
    let elapsed = start.elapsed();
    if let Err(e) = publisher.await {
        eprintln!("  publisher failed: {e}");
    }
    Outcome {
        received,
        elapsed,
        latencies_us,
    }
}

fn percentile(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn report(name: &str, n: usize, o: &mut Outcome) {
    o.latencies_us.sort_unstable();
    let rate = o.received as f64 / o.elapsed.as_secs_f64();
    println!(
        "{name:<12} {:>7}/{n:<7} msgs  {:>9.0} msgs/s  latency p50 {:>8.2} ms  p99 {:>8.2} ms",
        o.received,
        rate,
        percentile(&o.latencies_us, 0.50),
        percentile(&o.latencies_us, 0.99),
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quick = std::env::args().any(|a| a == "--quick");
    let scale = if quick { 10 } else { 1 };
    let sequential_n = 5_000 / scale;
    let concurrency = 64;
    let concurrent_n = (20_000 / scale) / concurrency * concurrency;
    let batched_n = 100_000 / scale;
    let batch = 500;
    base();

    let server = start_server(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = server.local_addr();
    let client = Client::builder()
        .host(addr.ip().to_string())
        .port(addr.port())
        .basic(CLIENT.0, CLIENT.1)
        .build()?;
    client.define_stream::<Tick>().await?;
    let mut sub = client
        .subscribe_with::<Tick>(SubscribeOptions::new().buffer(8192))
        .await?;
    println!(
        "pubsub_bench: local server on {addr}, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );

    // Warm-up: connections open, code paths hot.
    let warm = client.clone();
    let mut o = run_mode(&mut sub, 200, move |_| async move {
        for i in 0..200 {
            let _ = warm.publish(&tick(i)).await;
        }
    })
    .await;
    o.latencies_us.clear();

    let c = client.clone();
    let mut seq = run_mode(&mut sub, sequential_n, move |_| async move {
        for i in 0..sequential_n as i64 {
            if let Err(e) = c.publish(&tick(i)).await {
                eprintln!("  publish failed: {e}");
            }
        }
    })
    .await;
    report("sequential", sequential_n, &mut seq);

    let c = client.clone();
    let mut conc = run_mode(&mut sub, concurrent_n, move |window| async move {
        let per_task = concurrent_n / concurrency;
        let tasks: Vec<_> = (0..concurrency)
            .map(|t| {
                let c = c.clone();
                let window = window.clone();
                tokio::spawn(async move {
                    for i in 0..per_task {
                        window.admit(1).await;
                        let s = (t * per_task + i) as i64;
                        if let Err(e) = c.publish(&tick(s)).await {
                            eprintln!("  publish failed: {e}");
                        }
                    }
                })
            })
            .collect();
        for t in tasks {
            let _ = t.await;
        }
    })
    .await;
    report(&format!("concurrent{concurrency}"), concurrent_n, &mut conc);

    let c = client.clone();
    let mut batched = run_mode(&mut sub, batched_n, move |window| async move {
        for b in 0..(batched_n / batch) {
            window.admit(batch).await;
            let items: Vec<Tick> = (0..batch).map(|i| tick((b * batch + i) as i64)).collect();
            if let Err(e) = c.publish_batch(&items).await {
                eprintln!("  publish failed: {e}");
            }
        }
    })
    .await;
    report(&format!("batched{batch}"), batched_n, &mut batched);

    // Forced restart on the same port: the handle is dropped (connections
    // cut), a new server binds the port, the schema is defined again (the
    // server keeps state in memory), and a probe is published every 2 ms
    // until the subscription receives one.
    let t0 = Instant::now();
    drop(server);
    let server = start_server(addr).await?;
    let listening = t0.elapsed();
    client.define_stream::<Tick>().await?;
    let prober = client.clone();
    let probe = tokio::spawn(async move {
        let mut i = 1_000_000;
        loop {
            let _ = prober.publish(&tick(i)).await;
            i += 1;
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    });
    let first = tokio::time::timeout(DEADLINE, async {
        loop {
            match sub.next().await {
                Some(Ok(t)) if t.seq >= 1_000_000 => return Some(t.seq),
                Some(_) => {}
                None => return None,
            }
        }
    })
    .await;
    let recovered = t0.elapsed();
    probe.abort();
    match first {
        Ok(Some(_)) => println!(
            "restart      server listening again after {:.1} ms; first message received {:.1} ms after the restart began",
            listening.as_secs_f64() * 1000.0,
            recovered.as_secs_f64() * 1000.0
        ),
        _ => println!("restart      no message received within {DEADLINE:?}"),
    }
    let default_policy = streamsea::ReconnectPolicy::default();
    println!(
        "             (reconnect policy: first delay {:?} with up to {:.0}% jitter)",
        default_policy.initial_delay,
        default_policy.jitter * 100.0
    );

    drop(sub);
    server.shutdown().await;
    Ok(())
}
