//! `publish`: messages from inline JSON, a file or stdin, checked against the
//! stream's schema, sent in batches.
//!
//! The input is read on a blocking thread as a sequence of JSON values
//! separated by whitespace (so newline-delimited JSON, one pretty-printed
//! document, or several arrays all work) and handed over through a bounded
//! channel: memory stays bounded by the channel and one batch, whatever the
//! input's size.

use std::io::{IsTerminal, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use streamsea_schema::{describe_value, Validator};
use tokio::sync::mpsc;

use crate::args::{Connection, PublishArgs};
use crate::commands::schema;
use crate::connect;
use crate::exit::CliError;
use crate::input::Source;
use crate::output::Out;
use crate::progress::Progress;
use crate::signal::Interrupt;

/// A batch is sent once its JSON reaches this size, even when it holds fewer
/// than `--batch-size` messages (the server refuses bodies over its limit).
pub const MAX_BATCH_BYTES: usize = 1024 * 1024;

/// Messages read ahead of the sender.
const READ_AHEAD: usize = 256;

/// One message read from the input, with its position.
struct Read1 {
    /// 1-based number of the message in the input.
    number: u64,
    message: Value,
}

/// `publish`.
pub async fn publish(args: PublishArgs, connection: &Connection, out: Out) -> Result<(), CliError> {
    let source = match &args.data {
        Some(value) => Source::from_arg(value),
        None => Source::Stdin,
    };
    let client = connect::client(connection)?;
    let validator = if args.no_validate {
        None
    } else {
        Some(Validator::new(&schema::fetch(&client, &args.stream).await?))
    };
    let (reader, total_bytes) = source.open().map_err(|e| e.context("--data"))?;
    let typing = source == Source::Stdin && std::io::stdin().is_terminal();
    if typing {
        out.notice("reading messages from stdin: type JSON objects, then Ctrl-D to end");
    }
    // A bar redrawn over what the user types would garble it.
    let progress = if typing {
        Progress::hidden()
    } else {
        Progress::for_input(total_bytes)
    };
    let mut interrupt = Interrupt::listen()?;
    let consumed = Arc::new(AtomicU64::new(0));
    let mut messages = spawn_reader(reader, source.clone(), consumed.clone());

    let mut sender = Sender {
        client: &client,
        stream: &args.stream,
        // Typed messages are sent as they are typed.
        batch_size: if typing { 1 } else { args.batch_size as usize },
        batch: Vec::new(),
        batch_bytes: 0,
        first_in_batch: 1,
        published: 0,
        batches: 0,
    };
    let result = async {
        loop {
            // A request in flight is finished first: only the wait for input
            // is cut short, so what was sent is known exactly.
            let item = tokio::select! {
                item = messages.recv() => item,
                () = interrupt.recv() => return Ok(Ended::Interrupted),
            };
            let Some(item) = item else { break };
            let Read1 { number, message } = item.map_err(|e| sender.stopped(e))?;
            if let Some(v) = &validator {
                v.validate(&message).map_err(|errors| {
                    sender.stopped(CliError::invalid(
                        format!(
                            "message {number} of {source} is invalid for stream `{}`",
                            args.stream
                        ),
                        errors,
                    ))
                })?;
            }
            sender.push(number, message).await?;
            progress.update(consumed.load(Ordering::Relaxed), sender.published);
        }
        sender.flush().await.map(|()| Ended::Input)
    }
    .await;
    progress.finish();
    if let Ended::Interrupted = result? {
        return Err(interrupted(&sender, &source, out));
    }
    if sender.published == 0 {
        return Err(CliError::usage(format!(
            "--data: no message to publish in {source}"
        )));
    }
    let (published, batches, stream) = (sender.published, sender.batches, args.stream.clone());
    out.result(
        || {
            format!(
                "published {published} message{} to `{stream}` in {batches} request{}",
                plural(published),
                plural(batches)
            )
        },
        || json!({"stream": stream, "published": published, "requests": batches}),
    )
}

/// Why publishing stopped without an error.
enum Ended {
    /// The input ended and everything was sent.
    Input,
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

/// The summary of an interrupted publish: what was sent (messages 1 to N of
/// the input, in order), so that the user knows where to resume. Printed as
/// the result; the failure (exit 1) says the publish is incomplete.
fn interrupted(sender: &Sender<'_>, source: &Source, out: Out) -> CliError {
    let (published, batches, stream) = (sender.published, sender.batches, sender.stream);
    let unsent = sender.batch.len();
    let summary = format!(
        "interrupted: published {published} message{} to `{stream}` in {batches} request{} (messages 1 to {published} of {source}); {unsent} read but not sent; resume from message {}",
        plural(published),
        plural(batches),
        published + 1
    );
    let printed = out.result(
        || summary.clone(),
        || {
            json!({"stream": stream, "published": published, "requests": batches,
                   "interrupted": true, "readNotSent": unsent, "resumeAt": published + 1})
        },
    );
    match printed {
        Ok(()) => CliError::failure(format!(
            "publish to `{stream}` interrupted after {published} message{}",
            plural(published)
        )),
        Err(e) => e,
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Gathers messages into batches and sends them.
struct Sender<'a> {
    client: &'a streamsea_client::Client,
    stream: &'a str,
    batch_size: usize,
    batch: Vec<Value>,
    batch_bytes: usize,
    /// The input number of the batch's first message.
    first_in_batch: u64,
    published: u64,
    batches: u64,
}

impl Sender<'_> {
    async fn push(&mut self, number: u64, message: Value) -> Result<(), CliError> {
        let size = json_size(&message);
        if !self.batch.is_empty() && self.batch_bytes + size > MAX_BATCH_BYTES {
            self.flush().await?;
        }
        if self.batch.is_empty() {
            self.first_in_batch = number;
        }
        self.batch.push(message);
        self.batch_bytes += size + 1;
        if self.batch.len() >= self.batch_size {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), CliError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let count = self.batch.len() as u64;
        let payload = if self.batch.len() == 1 {
            self.batch.pop().unwrap_or(Value::Null)
        } else {
            Value::Array(std::mem::take(&mut self.batch))
        };
        self.batch.clear();
        self.batch_bytes = 0;
        let first = self.first_in_batch;
        if let Err(e) = self.client.publish_json(self.stream, &payload).await {
            let what = if count == 1 {
                format!("message {first}")
            } else {
                // The server's error paths start with the index in the batch.
                format!("the batch of messages {first} to {} (error paths start with the index in the batch)", first + count - 1)
            };
            return Err(self.stopped(CliError::from(e).context(format!("publishing {what}"))));
        }
        self.published += count;
        self.batches += 1;
        Ok(())
    }

    /// A failure, saying how much was published before it.
    fn stopped(&self, mut e: CliError) -> CliError {
        if self.published > 0 {
            e.message = format!(
                "{} ({} message{} published before this)",
                e.message,
                self.published,
                plural(self.published)
            );
        }
        e
    }
}

/// The length of a value's compact JSON, without building it.
fn json_size(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = serde_json::to_writer(&mut c, value);
    c.0
}

/// Counts the bytes read through it, for the progress display.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the input's JSON values on a blocking thread: an object is one
/// message, an array a list of them. Stops at the first error, or when the
/// receiver is dropped.
fn spawn_reader(
    reader: Box<dyn Read + Send>,
    source: Source,
    consumed: Arc<AtomicU64>,
) -> mpsc::Receiver<Result<Read1, CliError>> {
    let (tx, rx) = mpsc::channel(READ_AHEAD);
    tokio::task::spawn_blocking(move || {
        let reader = std::io::BufReader::new(Counting {
            inner: reader,
            count: consumed,
        });
        let mut number = 0u64;
        let values = serde_json::Deserializer::from_reader(reader).into_iter::<Value>();
        for (document, value) in values.enumerate() {
            let value = match value {
                Ok(v) => v,
                Err(e) => {
                    let _ = tx.blocking_send(Err(CliError::usage(format!(
                        "--data: {source} is not JSON after message {number}: {e}"
                    ))));
                    return;
                }
            };
            let items = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for item in items {
                number += 1;
                if !item.is_object() {
                    let _ = tx.blocking_send(Err(CliError::usage(format!(
                        "--data: message {number} of {source} (JSON value {}) is not an object: found {}",
                        document + 1,
                        describe_value(&item)
                    ))));
                    return;
                }
                let read = Read1 {
                    number,
                    message: item,
                };
                if tx.blocking_send(Ok(read)).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_those_of_compact_json() {
        let v = json!({"a": [1, "x"], "b": null});
        assert_eq!(json_size(&v), v.to_string().len());
    }
}
