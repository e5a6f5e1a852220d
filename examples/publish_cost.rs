//! CPU time the client spends per published message, for sequential
//! `publish` and for `publish_batch` of 500, against `streamsea-server` run
//! as a child process (so the server's work is not counted).
//!
//! ```text
//! cargo build --release -p streamsea-server
//! cargo run --release --example publish_cost
//! cargo run --release --example publish_cost -- --messages 20000 --batches 200
//! ```
//!
//! It prints, for each mode, the process's CPU time (user + system, from
//! `getrusage`) per message and the wall rate. The server binary is looked
//! for next to the example's directory (`target/release/streamsea-server`),
//! or at the path in `STREAMSEA_SERVER_BIN`. Counts are bounded; every wait
//! has a deadline.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use streamsea::{Client, Date, StreamSchema};

const CLIENT: (&str, &str) = ("cost", "cost-secret");
const BATCH: usize = 500;
const DEADLINE: Duration = Duration::from_secs(300);

/// A three-field message: a float, an integer, a date.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "publish_cost", version = 1)]
#[serde(rename_all = "camelCase")]
struct Tick {
    price: f64,
    volume: i64,
    at: Date,
}

fn tick(i: usize) -> Tick {
    Tick {
        price: -428_014.170_853_224_76 + i as f64,
        volume: i as i64,
        at: Date::from_unix(1_700_000_000 + i as i64).unwrap_or_else(Date::now),
    }
}

/// The process's CPU time so far (user + system).
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` writes a `rusage` into the pointer it is given,
    // which points to memory of that type; RUSAGE_SELF counts every thread.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if rc != 0 {
        return Duration::ZERO;
    }
    // SAFETY: zeroed is a valid `rusage`, and the call succeeded.
    let usage = unsafe { usage.assume_init() };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The server child process; killed when dropped.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn server_bin() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("STREAMSEA_SERVER_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe
        .parent()
        .and_then(|p| p.parent())
        .ok_or("no directory above the example")?;
    let bin = dir.join("streamsea-server");
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!(
            "{} not found: run `cargo build --release -p streamsea-server` first, or set STREAMSEA_SERVER_BIN",
            bin.display()
        ))
    }
}

/// Starts the server on a free port and returns it with its URL.
fn start_server() -> Result<(ServerProcess, String), String> {
    let mut child = Command::new(server_bin()?)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--client",
            &format!("{}:{}", CLIENT.0, CLIENT.1),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no server stdout")?;
    let process = ServerProcess(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading the server's first line: {e}"))?;
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected server output: {line:?}"))?
        .to_string();
    Ok((process, url))
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(mode: &str, messages: usize, cpu: Duration, wall: Duration) {
    println!(
        "{mode:<28} {messages:>8} messages  {:>7.2} µs CPU/message  {:>10.0} messages/s",
        cpu.as_secs_f64() * 1e6 / messages as f64,
        messages as f64 / wall.as_secs_f64()
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sequential = arg("--messages", 20_000);
    let batches = arg("--batches", 200);
    let (_server, url) = start_server()?;
    let host_port = url.trim_start_matches("http://");
    let (host, port) = host_port.rsplit_once(':').ok_or("no port in the URL")?;
    let client = Client::builder()
        .host(host)
        .port(port.parse()?)
        .basic(CLIENT.0, CLIENT.1)
        .build()?;
    client.define_stream::<Tick>().await?;
    let values: Vec<Tick> = (0..BATCH).map(tick).collect();

    // Warm up the connection pool and the validator cache.
    for v in values.iter().take(200) {
        client.publish(v).await?;
    }
    client.publish_batch(&values).await?;

    let run = async {
        let (cpu0, t0) = (cpu_time(), Instant::now());
        for i in 0..sequential {
            client.publish(&values[i % BATCH]).await?;
        }
        report(
            "publish (sequential)",
            sequential,
            cpu_time() - cpu0,
            t0.elapsed(),
        );

        let (cpu0, t0) = (cpu_time(), Instant::now());
        for _ in 0..batches {
            client.publish_batch(&values).await?;
        }
        report(
            "publish_batch (500)",
            batches * BATCH,
            cpu_time() - cpu0,
            t0.elapsed(),
        );
        Ok::<_, streamsea::RequestError>(())
    };
    tokio::time::timeout(DEADLINE, run).await??;
    Ok(())
}
