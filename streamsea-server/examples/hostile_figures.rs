//! Figures for the two promises the server makes under hostile load, against
//! an in-process server on loopback.
//!
//! ```text
//! cargo run --release -p streamsea-server --example hostile_figures
//! ```
//!
//! 1. **Latency under a CPU-heavy request.** While one client keeps sending
//!    a small gzip publish that expands to 60,000 messages checked against an
//!    enum of 300,000 values, 16 other clients publish one small message
//!    each, back to back. Prints p50, p99 and the largest latency of the small
//!    requests (target: p99 at most 50 ms).
//! 2. **Memory with stalled subscribers.** 64 WebSocket subscribers that
//!    never read, and a publisher of 60 KB messages. Prints the process's
//!    resident memory (current and peak) against the configured budget of
//!    queued deliveries (target: within the budget plus 64 MB).
//! 3. **Loading a large state file.** A state file holding two definitions
//!    of 60,000 fields and an enum of 300,000 values (above the default
//!    limits, as an older server may have written it): prints its size and
//!    how long a server takes to start from it.
//!
//! Every phase is bounded in count and in time; nothing leaves 127.0.0.1.

use std::io::Write as _;
use std::time::{Duration, Instant};

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use streamsea_server::{Limits, Server, ServerHandle};
use tokio_tungstenite::tungstenite::Message;

const CLIENT: (&str, &str) = ("bench", "bench-secret");
/// Enum values of the heavy schema.
const ENUM_VALUES: usize = 300_000;
/// Messages in the heavy publish.
const HEAVY_MESSAGES: usize = 60_000;
/// Clients sending small requests during phase 1.
const SMALL_CLIENTS: usize = 16;
/// How long phase 1 measures (at least; it also waits for one heavy request).
const PHASE1_WINDOW: Duration = Duration::from_secs(8);
/// Upper bound of any phase.
const PHASE_LIMIT: Duration = Duration::from_secs(90);
/// Stalled subscribers of phase 2.
const STALLED: usize = 64;
/// Size of one message of phase 2.
const BIG_MESSAGE: usize = 60 * 1024;
/// Messages per publish in phase 2.
const BIG_BATCH: usize = 32;
/// Publishes of phase 2.
const BIG_PUBLISHES: usize = 40;
/// The total budget of queued deliveries configured for phase 2.
const BUDGET: usize = 256 * 1024 * 1024;

fn auth() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", CLIENT.0, CLIENT.1))
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory")
}

async fn start(limits: Limits, budget: usize) -> ServerHandle {
    Server::builder()
        .bind("127.0.0.1:0".parse().expect("address"))
        .client(CLIENT.0, CLIENT.1)
        .limits(Limits {
            delivery_budget_bytes: budget,
            ..limits
        })
        .start()
        .await
        .expect("server starts")
}

async fn post(http: &reqwest::Client, url: String, body: Vec<u8>, gz: bool) -> (u16, Duration) {
    let t = Instant::now();
    let mut req = http
        .post(url)
        .header("Authorization", auth())
        .header("Content-Type", "application/json");
    if gz {
        req = req.header("Content-Encoding", "gzip");
    }
    let status = match req.body(body).send().await {
        Ok(r) => {
            let s = r.status().as_u16();
            let _ = r.bytes().await;
            s
        }
        Err(_) => 0,
    };
    (status, t.elapsed())
}

/// Defines stream `heavy` with one enum field of [`ENUM_VALUES`] values
/// (gzip); its status and how long it took.
async fn define_heavy_enum(http: &reqwest::Client, api: &str) -> (u16, Duration) {
    let values: Vec<String> = (0..ENUM_VALUES).map(|i| format!("v{i}")).collect();
    let define = json!({"version": 1, "fields": [{"name": "e", "type": "enum", "enum": values}]});
    post(
        http,
        format!("{api}/streams/heavy/define"),
        gzip(define.to_string().as_bytes()),
        true,
    )
    .await
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn phase1() {
    let limits = Limits {
        max_enum_values: ENUM_VALUES,
        max_batch_messages: HEAVY_MESSAGES,
        ..Limits::default()
    };
    let server = start(limits, Limits::default().max_body_bytes * 64).await;
    let api = server.api_url();
    let http = reqwest::Client::new();
    let (status, took) = define_heavy_enum(&http, &api).await;
    println!("define of an enum of {ENUM_VALUES} values: {status} in {took:?}");
    let small = json!({"version": 1, "fields": [{"name": "n", "type": "integer"}]});
    post(
        &http,
        format!("{api}/streams/small/define"),
        small.to_string().into_bytes(),
        false,
    )
    .await;

    let last = format!("v{}", ENUM_VALUES - 1);
    let batch: Vec<Value> = (0..HEAVY_MESSAGES).map(|_| json!({"e": last})).collect();
    let heavy_body = gzip(json!({ "payload": batch }).to_string().as_bytes());
    println!(
        "heavy publish: {} bytes gzip, {HEAVY_MESSAGES} messages",
        heavy_body.len()
    );

    let started = Instant::now();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let heavy = {
        let http = http.clone();
        let url = format!("{api}/streams/heavy/publish");
        let done = done.clone();
        tokio::spawn(async move {
            let mut times = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed)
                && started.elapsed() < PHASE_LIMIT
            {
                let (status, took) = post(&http, url.clone(), heavy_body.clone(), true).await;
                times.push((status, took));
            }
            times
        })
    };
    let mut smalls = Vec::new();
    for i in 0..SMALL_CLIENTS {
        let http = reqwest::Client::new();
        let url = format!("{api}/streams/small/publish");
        let done = done.clone();
        smalls.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let body = json!({"payload": {"n": i}}).to_string().into_bytes();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let (status, took) = post(&http, url.clone(), body.clone(), false).await;
                if status == 200 {
                    lat.push(took);
                }
            }
            lat
        }));
    }
    // Measure for the window, and until at least one heavy request ended.
    let heavy_seen = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let elapsed = started.elapsed();
        if elapsed >= PHASE_LIMIT {
            break false;
        }
        if elapsed >= PHASE1_WINDOW && heavy.is_finished() {
            break true;
        }
        if elapsed >= PHASE1_WINDOW {
            done.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    };
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let heavy_times = heavy.await.unwrap_or_default();
    let mut lat: Vec<Duration> = Vec::new();
    for s in smalls {
        lat.extend(s.await.unwrap_or_default());
    }
    lat.sort();
    let statuses: Vec<u16> = heavy_times.iter().map(|(s, _)| *s).collect();
    let mean_heavy = if heavy_times.is_empty() {
        Duration::ZERO
    } else {
        heavy_times.iter().map(|(_, t)| *t).sum::<Duration>() / heavy_times.len() as u32
    };
    println!(
        "heavy publishes: {} (statuses {:?}), mean {:?}{}",
        heavy_times.len(),
        &statuses[..statuses.len().min(5)],
        mean_heavy,
        if heavy_seen { "" } else { " (phase limit hit)" }
    );
    println!(
        "small publishes during them: {} in {:?}; p50 {:?}, p99 {:?}, max {:?} (target p99 <= 50 ms)",
        lat.len(),
        started.elapsed(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or_default()
    );
    server.shutdown().await;
}

/// Resident and peak resident memory of this process, in MiB (Linux).
fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn phase2() {
    let server = start(Limits::default(), BUDGET).await;
    let api = server.api_url();
    let ws_url = server.ws_url();
    let http = reqwest::Client::new();
    let def = json!({"version": 1, "fields": [{"name": "blob", "type": "string"}]});
    post(
        &http,
        format!("{api}/streams/big/define"),
        def.to_string().into_bytes(),
        false,
    )
    .await;
    let (before, _) = rss_mib();
    let mut stalled = Vec::new();
    for i in 0..STALLED {
        let (mut ws, _) = tokio_tungstenite::connect_async(ws_url.as_str())
            .await
            .expect("WebSocket connects");
        let auth = json!({"id": 1, "action": "authenticate",
            "payload": {"type": "basic", "clientId": CLIENT.0, "clientSecret": CLIENT.1}});
        ws.send(Message::text(auth.to_string()))
            .await
            .expect("send");
        ws.next().await;
        let group = format!("00000000-0000-4000-8000-{i:012}");
        let sub = json!({"id": 2, "action": "subscribe", "payload": "big", "groupId": group});
        ws.send(Message::text(sub.to_string())).await.expect("send");
        ws.next().await;
        // From here on, nobody reads this socket.
        stalled.push(ws);
    }
    let blob = "x".repeat(BIG_MESSAGE);
    let batch: Vec<Value> = (0..BIG_BATCH).map(|_| json!({"blob": blob})).collect();
    let body = json!({ "payload": batch }).to_string().into_bytes();
    let started = Instant::now();
    let mut peak_connected = 0;
    for _ in 0..BIG_PUBLISHES {
        if started.elapsed() > PHASE_LIMIT {
            break;
        }
        post(
            &http,
            format!("{api}/streams/big/publish"),
            body.clone(),
            false,
        )
        .await;
        peak_connected = peak_connected.max(server.connection_count());
    }
    let (rss, peak) = rss_mib();
    println!(
        "{STALLED} stalled subscribers, {} publishes of {BIG_BATCH} x {} KB: \
         RSS {rss:.0} MiB (peak {peak:.0} MiB, {before:.0} MiB before subscribing); \
         budget {} MiB; {} of {STALLED} still connected (target: RSS <= budget + 64 MiB)",
        BIG_PUBLISHES,
        BIG_MESSAGE / 1024,
        BUDGET / (1024 * 1024),
        server.connection_count(),
    );
    drop(stalled);
    server.shutdown().await;
}

/// Fields of each wide definition of phase 3.
const WIDE_FIELDS: usize = 60_000;

async fn phase3() {
    let dir = std::env::temp_dir().join(format!("streamsea-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let state = dir.join("state.json");
    let limits = Limits {
        max_enum_values: ENUM_VALUES,
        max_definition_fields: WIDE_FIELDS,
        ..Limits::default()
    };
    let build = || {
        Server::builder()
            .bind("127.0.0.1:0".parse().expect("address"))
            .client(CLIENT.0, CLIENT.1)
            .limits(limits)
            .state_file(&state)
    };
    let server = build().start().await.expect("server starts");
    let api = server.api_url();
    let http = reqwest::Client::new();
    let (status, _) = define_heavy_enum(&http, &api).await;
    assert_eq!(status, 200, "the enum definition is stored");
    for stream in ["wide_a", "wide_b"] {
        let fields: Vec<Value> = (0..WIDE_FIELDS)
            .map(|i| json!({"name": format!("f{i}"), "type": "integer"}))
            .collect();
        let def = json!({"version": 1, "fields": fields});
        let (status, _) = post(
            &http,
            format!("{api}/streams/{stream}/define"),
            gzip(def.to_string().as_bytes()),
            true,
        )
        .await;
        assert_eq!(status, 200, "the wide definition {stream} is stored");
    }
    server.shutdown().await;
    let size = std::fs::metadata(&state).map(|m| m.len()).unwrap_or(0);
    let mut took = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        let server = build().start().await.expect("server starts from the state");
        took.push(t0.elapsed());
        server.shutdown().await;
    }
    took.sort();
    println!(
        "start from a state file of {:.1} MB (2 definitions of {WIDE_FIELDS} fields, an enum of {ENUM_VALUES} values): median {:?} of 3 (range {:?}..{:?})",
        size as f64 / 1e6,
        took[1],
        took[0],
        took[2]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::main]
async fn main() {
    println!("phase 1: latency of small requests beside a CPU-heavy request");
    phase1().await;
    println!("phase 2: memory with {STALLED} stalled subscribers");
    phase2().await;
    println!("phase 3: loading a large state file");
    phase3().await;
}
