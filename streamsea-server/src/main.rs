//! The `streamsea-server` binary: a stream-sea 4.x compatible local server.
//!
//! ```text
//! streamsea-server --bind 127.0.0.1:3104 --client app:secret [--state state.json]
//! ```
//!
//! Prints `listening on http://ADDR` (https with TLS) once ready and runs
//! until Ctrl-C or SIGTERM, then shuts down gracefully. Logs go to stderr;
//! `RUST_LOG` sets their level (default `info`).

use std::process::ExitCode;

use clap::Parser;
use streamsea_server::cli::ServeArgs;

/// A stream-sea 4.x compatible local server.
#[derive(Parser)]
#[command(name = "streamsea-server", version)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
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
    let builder = args.serve.builder().map_err(|e| e.to_string())?;
    let server = builder.start().await.map_err(|e| e.to_string())?;
    println!("listening on {}", server.http_url());
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    streamsea_server::cli::init_logging("info");
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
