//! `subscribe`: one JSON message per line on stdout, as they arrive.
//!
//! Once the server has confirmed the subscription, a line
//! `subscribed to STREAM` goes to stderr: a script (or a test) that waits for
//! it knows that messages published from then on are delivered.

use std::io::ErrorKind;
use std::time::Duration;

use futures_util::StreamExt;
use streamsea_client::{Group, SubscribeOptions};
use tokio::time::Instant;

use crate::args::{Connection, SubscribeArgs};
use crate::connect;
use crate::exit::CliError;
use crate::output::{notice, stdout_error, write_line, Out};
use crate::signal::Interrupt;

/// How the subscription ended.
enum End {
    /// `--count` messages were printed.
    Count,
    /// `--timeout` passed.
    Timeout,
    /// Ctrl-C or SIGTERM.
    Interrupted,
    /// Whatever reads stdout went away.
    StdoutClosed,
}

/// `subscribe`.
pub async fn subscribe(
    args: SubscribeArgs,
    connection: &Connection,
    _out: Out,
) -> Result<(), CliError> {
    let group = match (&args.group, args.fanout) {
        (Some(g), _) => Group::Named(g.clone()),
        (None, true) => Group::Private,
        (None, false) => Group::Default,
    };
    let client = connect::client(connection)?;
    let mut interrupt = Interrupt::listen()?;
    let deadline = args.timeout.map(|t| Instant::now() + t);
    let timed_out = || match args.timeout {
        Some(t) => CliError::failure(format!(
            "no confirmation of the subscription to `{}` within the --timeout of {}",
            args.stream,
            seconds(t)
        )),
        None => CliError::failure("timed out"),
    };
    let subscribing =
        client.subscribe_json_with(&args.stream, SubscribeOptions::new().group(group));
    let subscribing = async {
        match deadline {
            Some(d) => tokio::time::timeout_at(d, subscribing)
                .await
                .map_err(|_| timed_out())?
                .map_err(CliError::from),
            None => subscribing.await.map_err(CliError::from),
        }
    };
    let mut sub = tokio::select! {
        sub = subscribing => sub?,
        () = interrupt.recv() => return Ok(()),
    };
    match sub.group_id() {
        Some(g) => notice(&format!("subscribed to {} (group {g})", args.stream)),
        None => notice(&format!("subscribed to {}", args.stream)),
    }

    let mut received = 0u64;
    let end = loop {
        if args.count.is_some_and(|n| received >= n) {
            break End::Count;
        }
        let next = tokio::select! {
            next = sub.next() => next,
            () = sleep_until(deadline) => break End::Timeout,
            () = interrupt.recv() => break End::Interrupted,
        };
        match next {
            Some(Ok(message)) => match write_line(&message.to_string()) {
                Ok(()) => received += 1,
                Err(e) if e.kind() == ErrorKind::BrokenPipe => break End::StdoutClosed,
                Err(e) => return Err(stdout_error(e)),
            },
            Some(Err(e)) if e.is_terminal() => return Err(e.into()),
            Some(Err(e)) => notice(&format!("warning: {e}")),
            None => {
                return Err(CliError::failure(format!(
                    "the subscription to `{}` ended (the client closed)",
                    args.stream
                )))
            }
        }
    };
    match (end, args.count) {
        (End::Timeout, Some(n)) => Err(CliError::failure(format!(
            "received {received} of {n} messages from `{}` within the --timeout of {}",
            args.stream,
            seconds(args.timeout.unwrap_or_default())
        ))),
        _ => Ok(()),
    }
}

fn seconds(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
