//! `serve`: a stream-sea 4.x compatible server in this process.
//!
//! Prints `listening on http://ADDR` (https with TLS) on stdout once it
//! accepts connections, then runs until Ctrl-C or SIGTERM and shuts down
//! gracefully. Logs go to stderr.

use serde_json::json;
use streamsea_server::{Limits, Server};

use crate::args::ServeArgs;
use crate::exit::CliError;
use crate::input::file_error;
use crate::output::Out;
use crate::signal::Interrupt;

/// `serve`.
pub async fn serve(args: ServeArgs, out: Out) -> Result<(), CliError> {
    let mut interrupt = Interrupt::listen()?;
    let mut builder = Server::builder()
        .bind(args.bind)
        .root_jail(
            args.root_jail.clone(),
            args.root_jail_name.unwrap_or(args.root_jail),
        )
        .ping_interval(args.ping_interval)
        .auth_timeout(args.auth_timeout)
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
        let read = |option: &str, p: &std::path::Path| {
            std::fs::read(p).map_err(|e| file_error(p, &e).context(option))
        };
        builder = builder.tls_pem(read("--tls-cert", &cert)?, read("--tls-key", &key)?);
    }
    let server = tokio::select! {
        started = builder.start() => started
            .map_err(|e| CliError::failure(format!("the server did not start: {e}")))?,
        () = interrupt.recv() => return Ok(()),
    };
    let url = server.http_url();
    out.result(
        || format!("listening on {url}"),
        || json!({"listening": url, "api": server.api_url(), "ws": server.ws_url()}),
    )?;
    interrupt.recv().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}
