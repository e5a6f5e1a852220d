//! `serve`: a stream-sea 4.x compatible server in this process.
//!
//! Prints `listening on http://ADDR` (https with TLS) on stdout once it
//! accepts connections, then runs until Ctrl-C or SIGTERM and shuts down
//! gracefully. Logs go to stderr.

use crate::args::ServeArgs;
use crate::exit::CliError;
use crate::input::file_error;
use crate::output::Out;
use crate::signal::Interrupt;
use serde_json::json;

/// `serve`.
pub async fn serve(args: ServeArgs, out: Out) -> Result<(), CliError> {
    if args.clients.is_empty() && args.state.is_none() {
        return Err(CliError::usage(
            "no client: pass --client ID:SECRET (repeatable), the root jail's clients that may connect",
        ));
    }
    let mut interrupt = Interrupt::listen()?;
    let builder = args
        .builder()
        .map_err(|e| file_error(&e.path, &e.source).context(e.option))?;
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
