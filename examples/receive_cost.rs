//! What receiving costs: CPU time per message of a subscriber process that
//! does nothing else, against a local `streamsea-server` in a child process.
//!
//! ```text
//! cargo run --release --example receive_cost
//! cargo run --release --example receive_cost -- --n 50000 --repeat 5
//! ```
//!
//! The harness runs itself three ways: as the server (a child process), as
//! the subscriber (one child process per case, measuring its own CPU time
//! with `getrusage`), and as the publisher (the feeder, in this process, and
//! one child per publish mode, measuring its own CPU time). For each case it
//! prints the subscriber's CPU time per message received and its wall rate
//! (first message to last), the median of several runs (the machine may be
//! shared; the range is printed too), beside the floor: `serde_json::from_str` over the
//! same payload texts in one thread. Then the publish side: CPU time per
//! message for sequential `publish` and for `publish_batch` of 500, and the
//! peak memory of a subscriber that never reads while the same number of
//! messages is published.
//!
//! Beside them, when Node.js is installed and `npm ci --prefix examples/node`
//! has been run, the Node.js baseline (`examples/node/subscriber.mjs`): a
//! bare JavaScript subscriber on ws 7, the official JavaScript client's
//! WebSocket library, that parses each frame with `JSON.parse`, routes it by
//! subscription id and does nothing else, the least work any JavaScript
//! client does per message. The last line gives the typed and JSON
//! subscriptions' CPU time per message as a ratio of the baseline's,
//! measured side by side against the same server.
//!
//! Counts are fixed and bounded; every wait has a deadline. A subscriber that
//! lost messages (stream-sea delivers at most once) says how many.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use streamsea::{Client, Date, Overflow, StreamSchema, SubscribeOptions};

const CLIENT: (&str, &str) = ("cost", "cost-secret");
/// Messages per `publish_batch` call.
const BATCH: usize = 500;
/// The subscriber's buffer, in messages.
const BUFFER: usize = 8192;
/// A subscriber that receives nothing for this long stops and reports.
const IDLE: Duration = Duration::from_secs(10);
/// Longest wait for a child's line.
const DEADLINE: Duration = Duration::from_secs(300);

/// The three-field message: a float, an integer, a date.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "cost_three", version = 1)]
struct Three {
    value: f64,
    count: i64,
    at: Date,
}

/// The boiler message: nested objects and arrays.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "cost_boiler", version = 1)]
#[serde(rename_all = "camelCase")]
struct Boiler {
    boiler_id: String,
    temperature: f64,
    pressure: i64,
    measured_at: Date,
    mode: Mode,
    tags: Vec<String>,
    flow_rates: Vec<f64>,
    error_codes: Vec<i64>,
    serviced_on: Vec<Date>,
    site: Site,
    readings: Vec<Reading>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Idle,
    Heating,
}

#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
struct Site {
    name: String,
    lat: f64,
    lon: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
struct Reading {
    at: Date,
    #[stream_schema(one_of = ["inlet", "outlet"])]
    sensor: String,
    value: f64,
}

fn date(i: usize) -> Date {
    Date::from_unix(1_700_000_000 + i as i64).unwrap_or_else(Date::now)
}

fn three(i: usize) -> Three {
    Three {
        value: -428014.17085322476 + i as f64 * 0.37,
        count: i as i64,
        at: date(i),
    }
}

fn boiler(i: usize) -> Boiler {
    Boiler {
        boiler_id: format!("b-{}", i % 64),
        temperature: 70.0 + i as f64 * 0.015,
        pressure: 3000 + i as i64,
        measured_at: date(i),
        mode: if i % 2 == 0 {
            Mode::Idle
        } else {
            Mode::Heating
        },
        tags: vec!["north-wing".into(), "floor-2".into()],
        flow_rates: vec![1.25, 1.5, 1.75],
        error_codes: vec![],
        serviced_on: vec![date(0)],
        site: Site {
            name: "Plant 4".into(),
            lat: 59.91,
            lon: 10.75,
        },
        readings: vec![
            Reading {
                at: date(i),
                sensor: "inlet".into(),
                value: 55.0 + i as f64,
            },
            Reading {
                at: date(i + 5),
                sensor: "outlet".into(),
                value: 70.0 + i as f64,
            },
        ],
        note: None,
    }
}

/// CPU time (user + system) of this process, or of the calling thread.
fn cpu_time(thread: bool) -> Duration {
    let who = if thread {
        libc::RUSAGE_THREAD
    } else {
        libc::RUSAGE_SELF
    };
    // SAFETY: getrusage writes a plain struct we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(who, &mut usage) };
    if rc != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn client(port: u16) -> Result<Client, Box<dyn std::error::Error>> {
    Ok(Client::builder()
        .host("127.0.0.1")
        .port(port)
        .basic(CLIENT.0, CLIENT.1)
        .request_timeout(Duration::from_secs(60))
        .build()?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Runtime::new()?;
    match arg(&args, "--role").as_deref() {
        Some("server") => rt.block_on(serve()),
        Some("subscribe") => {
            let port: u16 = arg(&args, "--port").ok_or("--port")?.parse()?;
            let n: usize = arg(&args, "--n").ok_or("--n")?.parse()?;
            match arg(&args, "--case").as_deref() {
                Some("typed3") => rt.block_on(subscribe::<Three>(port, n, false)),
                Some("boiler") => rt.block_on(subscribe::<Boiler>(port, n, false)),
                Some("json") => rt.block_on(subscribe::<Three>(port, n, true)),
                Some("idle") => rt.block_on(idle_subscriber(port)),
                other => Err(format!("unknown case {other:?}").into()),
            }
        }
        Some("publish") => {
            let port: u16 = arg(&args, "--port").ok_or("--port")?.parse()?;
            let n: usize = arg(&args, "--n").ok_or("--n")?.parse()?;
            let batch = arg(&args, "--mode").as_deref() == Some("batch");
            rt.block_on(publish_cost(port, n, batch))
        }
        Some(other) => Err(format!("unknown role {other}").into()),
        None => {
            let n: usize = arg(&args, "--n")
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(200_000);
            let repeat: usize = arg(&args, "--repeat")
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(3);
            drive(&rt, n, repeat.max(1))
        }
    }
}

/// The server role: serves until stdin closes (the driver is gone).
async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let server = streamsea_server::Server::builder()
        .bind(([127, 0, 0, 1], 0).into())
        .client(CLIENT.0, CLIENT.1)
        .limits(streamsea_server::Limits {
            outbound_queue: 4 * 1024 * 1024,
            outbound_queue_bytes: 2 * 1024 * 1024 * 1024,
            ..streamsea_server::Limits::default()
        })
        .start()
        .await?;
    println!("listening {}", server.local_addr().port());
    std::io::stdout().flush()?;
    tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while matches!(std::io::stdin().read_line(&mut sink), Ok(n) if n > 0) {
            sink.clear();
        }
    })
    .await?;
    server.shutdown().await;
    Ok(())
}

/// The subscriber role: subscribes, says `ready`, receives `n` messages,
/// and reports its own CPU time. Reading the subscription is all it does
/// per message (no timer per item): a watchdog that looks once every
/// [`IDLE`] reports and ends the process when no message came meanwhile.
async fn subscribe<T>(port: u16, n: usize, json: bool) -> Result<(), Box<dyn std::error::Error>>
where
    T: StreamSchema + DeserializeOwned + Send + 'static,
{
    let client = client(port)?;
    // Lossless: the server child's queues are large enough to never take
    // the subscriber for a slow consumer.
    let opts = SubscribeOptions::new()
        .buffer(BUFFER)
        .overflow(Overflow::Backpressure);
    let received = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let report = |cpu: Duration, wall: Duration, received: usize, errors: usize| {
        println!(
            "result {received} {errors} {} {}",
            cpu.as_nanos(),
            wall.as_nanos()
        );
        let _ = std::io::stdout().flush();
    };
    macro_rules! run {
        ($sub:expr) => {{
            let mut sub = $sub;
            println!("ready");
            std::io::stdout().flush()?;
            let cpu0 = cpu_time(false);
            let mut first: Option<Instant> = None;
            // The watchdog.
            let (r, e) = (received.clone(), errors.clone());
            let watchdog = tokio::spawn(async move {
                let mut seen = 0;
                loop {
                    tokio::time::sleep(IDLE).await;
                    let now = r.load(Ordering::Relaxed) + e.load(Ordering::Relaxed);
                    if now == seen {
                        eprintln!("subscriber: nothing received for {IDLE:?}");
                        report(
                            cpu_time(false) - cpu0,
                            Duration::ZERO,
                            r.load(Ordering::Relaxed),
                            e.load(Ordering::Relaxed),
                        );
                        std::process::exit(1);
                    }
                    seen = now;
                }
            });
            let (mut ok, mut bad) = (0usize, 0usize);
            while ok + bad < n {
                match sub.next().await {
                    Some(Ok(_)) => {
                        ok += 1;
                        received.store(ok, Ordering::Relaxed);
                    }
                    Some(Err(e)) => {
                        bad += 1;
                        errors.store(bad, Ordering::Relaxed);
                        if bad <= 3 {
                            eprintln!("subscriber: {e}");
                        }
                    }
                    None => break,
                }
                if first.is_none() {
                    first = Some(Instant::now());
                }
            }
            let cpu = cpu_time(false) - cpu0;
            watchdog.abort();
            let wall = first.map(|t| t.elapsed()).unwrap_or_default();
            report(cpu, wall, ok, bad);
        }};
    }
    if json {
        run!(client.subscribe_json_with(T::STREAM_NAME, opts).await?)
    } else {
        run!(client.subscribe_with::<T>(opts).await?)
    }
    Ok(())
}

/// The never-reading subscriber: subscribes with the default options, says
/// `ready`, reads nothing, and when its stdin has a line reports its peak
/// resident memory (Linux) and how many deliveries its subscription dropped.
async fn idle_subscriber(port: u16) -> Result<(), Box<dyn std::error::Error>> {
    let client = client(port)?;
    let sub = client.subscribe::<Three>().await?;
    println!("ready");
    std::io::stdout().flush()?;
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    })
    .await?;
    // The peak of this process's own memory (`VmHWM`; getrusage's maxrss
    // would include the parent's, inherited through fork and exec).
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    println!("result {peak_kb} {}", sub.dropped());
    std::io::stdout().flush()?;
    Ok(())
}

/// The publish role: publishes `n` messages sequentially or in batches and
/// reports its own CPU time.
async fn publish_cost(port: u16, n: usize, batch: bool) -> Result<(), Box<dyn std::error::Error>> {
    let client = client(port)?;
    // Warm-up: connection pool, validator.
    client.publish(&three(0)).await?;
    let cpu0 = cpu_time(false);
    let t0 = Instant::now();
    if batch {
        let mut i = 0;
        while i < n {
            let items: Vec<Three> = (i..(i + BATCH).min(n)).map(three).collect();
            client.publish_batch(&items).await?;
            i += BATCH;
        }
    } else {
        for i in 0..n {
            client.publish(&three(i)).await?;
        }
    }
    let cpu = cpu_time(false) - cpu0;
    println!("result {} {}", cpu.as_nanos(), t0.elapsed().as_nanos());
    Ok(())
}

/// A child process of this harness in `role`.
fn spawn(role: &str, extra: &[String]) -> Result<(Child, BufReader<ChildStdout>), String> {
    let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
    let mut child = Command::new(exe)
        .arg("--role")
        .arg(role)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the {role} process: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    Ok((child, BufReader::new(stdout)))
}

/// The next line of a child starting with `prefix`, within [`DEADLINE`].
fn line(out: &mut BufReader<ChildStdout>, prefix: &str) -> Result<Vec<String>, String> {
    let deadline = Instant::now() + DEADLINE;
    let mut text = String::new();
    while Instant::now() < deadline {
        text.clear();
        match out.read_line(&mut text) {
            Ok(0) => return Err(format!("the child ended before `{prefix}`")),
            Ok(_) if text.starts_with(prefix) => {
                return Ok(text
                    .split_whitespace()
                    .skip(1)
                    .map(str::to_string)
                    .collect())
            }
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("no `{prefix}` within {DEADLINE:?}"))
}

fn nums(fields: &[String]) -> Vec<f64> {
    fields.iter().filter_map(|f| f.parse().ok()).collect()
}

/// What one subscriber run measured.
struct Run {
    received: f64,
    errors: f64,
    cpu_ns: f64,
    wall_ns: f64,
}

impl Run {
    fn cpu_per_msg(&self) -> f64 {
        self.cpu_ns / 1e3 / self.received.max(1.0)
    }
}

/// Starts a subscriber process for `case`, feeds it `n` messages in batches
/// of [`BATCH`], and reads what it measured.
fn run_case(
    rt: &tokio::runtime::Runtime,
    feeder: &Client,
    port: u16,
    case: &str,
    n: usize,
) -> Result<Run, Box<dyn std::error::Error>> {
    let (child, out) = spawn(
        "subscribe",
        &[
            "--port".into(),
            port.to_string(),
            "--n".into(),
            n.to_string(),
            "--case".into(),
            case.into(),
        ],
    )?;
    collect(rt, feeder, child, out, case, n)
}

/// Feeds the subscriber `child`, once it said `ready`, `n` messages of
/// `case` in batches of [`BATCH`], and reads what it measured.
fn collect(
    rt: &tokio::runtime::Runtime,
    feeder: &Client,
    mut child: Child,
    mut out: BufReader<ChildStdout>,
    case: &str,
    n: usize,
) -> Result<Run, Box<dyn std::error::Error>> {
    line(&mut out, "ready")?;
    feed(rt, feeder, n, case == "boiler")?;
    let r = nums(&line(&mut out, "result")?);
    let _ = child.wait();
    match r[..] {
        [received, errors, cpu_ns, wall_ns] => Ok(Run {
            received,
            errors,
            cpu_ns,
            wall_ns,
        }),
        _ => Err("the subscriber's result is malformed".into()),
    }
}

/// Publishes `n` messages (boiler messages, or three-field ones) in batches
/// of [`BATCH`].
fn feed(
    rt: &tokio::runtime::Runtime,
    feeder: &Client,
    n: usize,
    boilers: bool,
) -> Result<(), streamsea::RequestError> {
    rt.block_on(async {
        let mut i = 0;
        while i < n {
            let end = (i + BATCH).min(n);
            if boilers {
                let items: Vec<Boiler> = (i..end).map(boiler).collect();
                feeder.publish_batch(&items).await?;
            } else {
                let items: Vec<Three> = (i..end).map(three).collect();
                feeder.publish_batch(&items).await?;
            }
            i = end;
        }
        Ok(())
    })
}

/// Where the Node.js baseline lives: `subscriber.mjs` and, once
/// `npm ci --prefix examples/node` ran, its `ws` dependency.
fn node_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/node")
}

/// The Node.js baseline: a bare JavaScript subscriber of the three-field
/// stream, fed like the others. `None` (with the reason printed) when Node.js
/// or the baseline's dependency is missing.
fn run_node_case(
    rt: &tokio::runtime::Runtime,
    feeder: &Client,
    port: u16,
    n: usize,
) -> Result<Option<Run>, Box<dyn std::error::Error>> {
    let dir = node_dir();
    if !dir.join("node_modules/ws").is_dir() {
        println!(
            "node baseline: skipped (run `npm ci --prefix {}` to install its one dependency)",
            dir.display()
        );
        return Ok(None);
    }
    let spawned = Command::new("node")
        .arg(dir.join("subscriber.mjs"))
        .args([
            port.to_string(),
            n.to_string(),
            Three::STREAM_NAME.to_string(),
            CLIENT.0.to_string(),
            CLIENT.1.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            println!("node baseline: skipped (cannot start `node`: {e})");
            return Ok(None);
        }
    };
    let out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    collect(rt, feeder, child, out, "node", n).map(Some)
}

/// The floor: `serde_json::from_str::<T>` over `texts`, CPU µs per message.
fn floor<T: DeserializeOwned>(texts: &[String]) -> f64 {
    let t0 = cpu_time(true);
    let mut ok = 0usize;
    for t in texts {
        if let Ok(v) = serde_json::from_str::<T>(t) {
            std::hint::black_box(&v);
            ok += 1;
        }
    }
    let cpu = cpu_time(true) - t0;
    assert_eq!(ok, texts.len(), "the payload texts parse");
    cpu.as_secs_f64() * 1e6 / texts.len() as f64
}

fn drive(
    rt: &tokio::runtime::Runtime,
    n: usize,
    repeat: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "receive_cost: {n} messages per case, fed in batches of {BATCH}, median of {repeat} runs, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    let (mut server, mut server_out) = spawn("server", &[])?;
    let port: u16 = line(&mut server_out, "listening")?
        .first()
        .ok_or("no port")?
        .parse()?;
    let feeder = client(port)?;
    rt.block_on(async {
        feeder.define_stream::<Three>().await?;
        feeder.define_stream::<Boiler>().await
    })?;

    let threes: Vec<String> = (0..n)
        .map(|i| serde_json::to_string(&three(i)))
        .collect::<Result<_, _>>()?;
    let boilers: Vec<String> = (0..n)
        .map(|i| serde_json::to_string(&boiler(i)))
        .collect::<Result<_, _>>()?;
    let floor_three = floor::<Three>(&threes);
    let floor_boiler = floor::<Boiler>(&boilers);
    let floor_json = floor::<serde_json::Value>(&threes);
    drop((threes, boilers));

    println!(
        "{:<18} {:>9} {:>6} {:>6} {:>12} {:>12} {:>12} {:>8}",
        "subscriber", "received", "lost", "errors", "cpu µs/msg", "msgs/s", "floor µs", "x floor"
    );
    // Warm-up: the server's code paths and allocations, not reported.
    run_case(rt, &feeder, port, "typed3", n / 10)?;
    let mut medians = Vec::new();
    'cases: for (case, floor) in [
        ("typed3", floor_three),
        ("boiler", floor_boiler),
        ("json", floor_json),
        ("node", floor_json),
    ] {
        let mut runs = Vec::new();
        for _ in 0..repeat {
            if case == "node" {
                match run_node_case(rt, &feeder, port, n)? {
                    Some(run) => runs.push(run),
                    None => continue 'cases,
                }
            } else {
                runs.push(run_case(rt, &feeder, port, case, n)?);
            }
        }
        // The run with the median CPU time per message.
        runs.sort_by(|a, b| a.cpu_per_msg().total_cmp(&b.cpu_per_msg()));
        let r = &runs[runs.len() / 2];
        let per = r.cpu_per_msg();
        medians.push((case, per));
        println!(
            "{:<18} {:>9} {:>6} {:>6} {:>12.3} {:>12.0} {:>12.3} {:>8.2}   (runs {:.3}..{:.3})",
            match case {
                "typed3" => "typed 3-field",
                "boiler" => "typed boiler",
                "json" => "json (3-field)",
                _ => "node baseline",
            },
            r.received,
            n as f64 - r.received,
            r.errors,
            per,
            r.received / (r.wall_ns / 1e9).max(1e-9),
            floor,
            per / floor,
            runs[0].cpu_per_msg(),
            runs[runs.len() - 1].cpu_per_msg(),
        );
    }
    let median = |case: &str| medians.iter().find(|m| m.0 == case).map(|m| m.1);
    if let (Some(node), Some(typed), Some(json)) =
        (median("node"), median("typed3"), median("json"))
    {
        println!(
            "side by side with the node baseline (3-field): typed {:.2}x, json {:.2}x of its CPU per message",
            typed / node,
            json / node
        );
    }

    println!(
        "{:<18} {:>9} {:>12} {:>12}",
        "publisher", "messages", "cpu µs/msg", "msgs/s"
    );
    for (mode, count) in [("sequential", n / 10), ("batch", n)] {
        let (mut child, mut out) = spawn(
            "publish",
            &[
                "--port".into(),
                port.to_string(),
                "--n".into(),
                count.to_string(),
                "--mode".into(),
                mode.into(),
            ],
        )?;
        let r = nums(&line(&mut out, "result")?);
        let _ = child.wait();
        println!(
            "{:<18} {:>9} {:>12.3} {:>12.0}",
            if mode == "batch" {
                "publish_batch 500"
            } else {
                "publish"
            },
            count,
            r[0] / 1e3 / count as f64,
            count as f64 / (r[1] / 1e9),
        );
    }

    // Memory of a subscriber that never reads while `n` messages are
    // published (fed as above).
    let (mut child, mut out) = spawn(
        "subscribe",
        &[
            "--port".into(),
            port.to_string(),
            "--n".into(),
            n.to_string(),
            "--case".into(),
            "idle".into(),
        ],
    )?;
    line(&mut out, "ready")?;
    feed(rt, &feeder, n, false)?;
    if let Some(stdin) = child.stdin.as_mut() {
        writeln!(stdin, "report")?;
    }
    let r = nums(&line(&mut out, "result")?);
    let _ = child.wait();
    if let [max_rss_kb, dropped] = r[..] {
        println!(
            "never-reading subscriber: peak resident memory {:.1} MB after {n} messages were published ({dropped} dropped by its buffer)",
            max_rss_kb / 1024.0
        );
    }

    drop(feeder);
    drop(server.stdin.take());
    let _ = server.wait();
    Ok(())
}
