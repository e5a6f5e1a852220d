//! `subscribe`: one JSON message per line on stdout, as they arrive.
//!
//! Once the server has confirmed the subscription, a line
//! `subscribed to STREAM` goes to stderr: a script (or a test) that waits for
//! it knows that messages published from then on are delivered.
//!
//! The connection's life is reported on stderr at the default level: a
//! server that cannot be reached at start is a failure (exit 1) unless
//! `--keep-trying` is given; later, a lost connection is announced (from the
//! client's events), and so is its recovery (`reconnected; resubscribed`),
//! with the warning that messages published meanwhile may have been lost,
//! where the subscription reports the gap (its `Interrupted` item). A
//! subscriber that fell behind is told how many messages were dropped.

use std::io::ErrorKind;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;
use streamsea_client::{
    Client, ConnectionEvent, Group, Interruption, SubscribeError, SubscribeOptions, Subscription,
};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;

use crate::args::{Connection, SubscribeArgs};
use crate::connect::{self, Credential, Settings};
use crate::exit::{Cause, CliError};
use crate::output::{stdout_error, write_line, Out};
use crate::signal::Interrupt;
use crate::token;

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
    out: Out,
) -> Result<(), CliError> {
    let group = match (&args.group, args.fanout) {
        (Some(g), _) => Group::Named(g.clone()),
        (None, true) => Group::Private,
        (None, false) => Group::Default,
    };
    let settings = Settings::from_env(connection)?;
    let client = connect::build(&settings, connection)?;
    let fanout_by_token = match &settings.credential.0 {
        Credential::Jwt(t) => token::must_fanout(t),
        Credential::Secret(_) => false,
    };
    if fanout_by_token && args.group.is_some() {
        out.warning(
            "the token's mustFanout claim gives each of its subscriptions a group of its own: the server ignores --group",
        );
    }
    let mut interrupt = Interrupt::listen()?;
    let mut events = client.events();
    let deadline = args.timeout.map(|t| Instant::now() + t);

    let sub = tokio::select! {
        sub = open(&client, &args, group, &mut events, out) => sub?,
        () = sleep_until(deadline) => return Err(CliError::failure(format!(
            "no confirmation of the subscription to `{}` within the --timeout of {}",
            args.stream,
            seconds(args.timeout.unwrap_or_default())
        )).with_cause(Cause::Connection(None))),
        () = interrupt.recv() => return Ok(()),
    };
    let grouping = if fanout_by_token {
        " (a group of its own: the token's mustFanout claim)".to_string()
    } else {
        sub.group_id()
            .map(|g| format!(" (group {g})"))
            .unwrap_or_default()
    };
    out.notice(&format!("subscribed to {}{grouping}", args.stream));
    if let Credential::Secret(_) = settings.credential.0 {
        warn_without_schema(client.clone(), args.stream.clone(), out);
    }
    receive(sub, &args, events, deadline, interrupt, out).await
}

/// Subscribes. Until the first connection, a failure to connect ends the
/// command (unless `--keep-trying`, which notes it once and retries).
async fn open(
    client: &Client,
    args: &SubscribeArgs,
    group: Group,
    events: &mut broadcast::Receiver<ConnectionEvent>,
    out: Out,
) -> Result<Subscription<Value>, CliError> {
    let mut noted = false;
    loop {
        let subscribing =
            client.subscribe_json_with(&args.stream, SubscribeOptions::new().group(group.clone()));
        tokio::pin!(subscribing);
        let mut watching = true;
        let result = loop {
            tokio::select! {
                result = &mut subscribing => break result,
                event = events.recv(), if watching => match event {
                    Ok(ConnectionEvent::Disconnected { reason, cause }) if !args.keep_trying => {
                        return Err(CliError::failure(reason)
                            .with_cause(Cause::Connection(cause))
                            .with_hint("pass --keep-trying to keep trying"));
                    }
                    Ok(ConnectionEvent::Disconnected { reason, .. }) if !noted => {
                        noted = true;
                        out.notice(&format!("{reason}; trying again (--keep-trying)"));
                    }
                    Err(RecvError::Closed) => watching = false,
                    _ => {}
                },
            }
        };
        match result {
            Ok(sub) => return Ok(sub),
            // The client's own wait for a confirmation ended: keep waiting.
            Err(SubscribeError::Timeout { .. }) if args.keep_trying => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Warns, without holding up the messages, when the stream has no schema:
/// nothing can be published to it, which usually means a misspelt name.
fn warn_without_schema(client: Client, stream: String, out: Out) {
    tokio::spawn(async move {
        match client.describe_stream(&stream).await {
            Ok(None) => out.warning(&format!(
                "stream `{stream}` has no schema: nothing can be published to it until one is defined (is the name right?)"
            )),
            Ok(Some(_)) => {}
            Err(e) => tracing::debug!("describe {stream}: {e}"),
        }
    });
}

/// Prints the messages until `--count`, `--timeout`, a signal, or the end
/// of stdout; reports the connection's losses and recoveries meanwhile.
async fn receive(
    mut sub: Subscription<Value>,
    args: &SubscribeArgs,
    mut events: broadcast::Receiver<ConnectionEvent>,
    deadline: Option<Instant>,
    mut interrupt: Interrupt,
    out: Out,
) -> Result<(), CliError> {
    let mut received = 0u64;
    let mut watching = true;
    let mut lost = false;
    let end = loop {
        if args.count.is_some_and(|n| received >= n) {
            break End::Count;
        }
        let next = tokio::select! {
            next = sub.next() => next,
            event = events.recv(), if watching => {
                match event {
                    Ok(ConnectionEvent::Disconnected { reason, .. }) if !lost => {
                        lost = true;
                        out.warning(&format!("connection lost: {reason}; reconnecting"));
                    }
                    Err(RecvError::Closed) => watching = false,
                    _ => {}
                }
                continue;
            }
            () = sleep_until(deadline) => break End::Timeout,
            () = interrupt.recv() => break End::Interrupted,
        };
        match next {
            Some(Ok(message)) => match write_line(&message.to_string()) {
                Ok(()) => received += 1,
                Err(e) if e.kind() == ErrorKind::BrokenPipe => break End::StdoutClosed,
                Err(e) => return Err(stdout_error(e)),
            },
            // The subscription's own report of a gap, where it is in the stream.
            Some(Err(SubscribeError::Interrupted {
                reason: Interruption::Reconnected { .. },
                ..
            })) => {
                lost = false;
                out.notice(&format!("reconnected; resubscribed to {}", args.stream));
                out.warning(
                    "messages may have been lost meanwhile (stream-sea keeps none for absent subscribers)",
                );
            }
            Some(Err(SubscribeError::Interrupted {
                reason: Interruption::Overflow { dropped },
                ..
            })) => out.warning(&format!(
                "{dropped} message{} dropped here: this subscriber fell behind and its buffer was full",
                if dropped == 1 { "" } else { "s" }
            )),
            Some(Err(e)) if e.is_terminal() => return Err(e.into()),
            Some(Err(e)) => out.warning(&e.to_string()),
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
