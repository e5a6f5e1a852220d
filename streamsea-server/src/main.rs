//! The `streamsea-server` binary: a stream-sea 4.x compatible local server.
//!
//! ```text
//! streamsea-server --bind 127.0.0.1:3104 --client app:secret [--state state.json]
//! ```
//!
//! Prints `listening on http://ADDR` (https with TLS) once ready and runs
//! until Ctrl-C or SIGTERM, then shuts down gracefully. Logs go to stderr;
//! `RUST_LOG` sets their level (default `info`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use streamsea_server::{Limits, Server, DEFAULT_BIND};

/// A stream-sea 4.x compatible local server.
#[derive(Parser)]
#[command(name = "streamsea-server", version)]
struct Args {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = DEFAULT_BIND)]
    bind: SocketAddr,
    /// A client of the root jail, as ID:SECRET (repeatable).
    #[arg(long = "client", value_name = "ID:SECRET", value_parser = parse_client)]
    clients: Vec<(String, String)>,
    /// The root jail's id.
    #[arg(long, default_value = streamsea_server::DEFAULT_ROOT_JAIL)]
    root_jail: String,
    /// The root jail's name (default: its id).
    #[arg(long)]
    root_jail_name: Option<String>,
    /// Keep jails, clients, keys and schemas in this file across restarts.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Seconds between WebSocket pings.
    #[arg(long, default_value_t = 25.0, value_name = "SECONDS")]
    ping_interval: f64,
    /// Seconds a WebSocket connection may stay open without authenticating.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    auth_timeout: f64,
    /// Largest HTTP request body in bytes, after decompression.
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Largest WebSocket message a client may send, in bytes.
    #[arg(long, default_value_t = Limits::default().max_frame_bytes)]
    max_frame_bytes: usize,
    /// Deliveries that may wait for one connection before it is closed as a slow consumer.
    #[arg(long, default_value_t = Limits::default().outbound_queue)]
    outbound_queue: usize,
    /// TLS certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM); needs --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

fn parse_client(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok((id.to_string(), secret.to_string()))
        }
        _ => Err("expected ID:SECRET".to_string()),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

async fn run(args: Args) -> Result<(), String> {
    for (flag, value) in [
        ("--ping-interval", args.ping_interval),
        ("--auth-timeout", args.auth_timeout),
    ] {
        if !(value.is_finite() && value > 0.0 && value < 1e9) {
            return Err(format!("{flag} must be a positive number of seconds"));
        }
    }
    let mut builder = Server::builder()
        .bind(args.bind)
        .root_jail(
            args.root_jail.clone(),
            args.root_jail_name.unwrap_or(args.root_jail),
        )
        .ping_interval(Duration::from_secs_f64(args.ping_interval))
        .auth_timeout(Duration::from_secs_f64(args.auth_timeout))
        .limits(Limits {
            max_body_bytes: args.max_body_bytes,
            max_frame_bytes: args.max_frame_bytes,
            outbound_queue: args.outbound_queue,
        });
    for (id, secret) in args.clients {
        builder = builder.client(id, secret);
    }
    if let Some(path) = args.state {
        builder = builder.state_file(path);
    }
    if let (Some(cert), Some(key)) = (args.tls_cert, args.tls_key) {
        let read = |p: &PathBuf| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        builder = builder.tls_pem(read(&cert)?, read(&key)?);
    }
    let server = builder.start().await.map_err(|e| e.to_string())?;
    println!("listening on {}", server.http_url());
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("streamsea-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("streamsea-server: {e}");
            ExitCode::FAILURE
        }
    }
}
