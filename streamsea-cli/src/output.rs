//! What a command prints: text for people, or one JSON document for scripts
//! (`--output json`). Results go to stdout; failures and notices to stderr.

use std::io::{self, Write};

use clap::ValueEnum;
use serde_json::Value;

use crate::exit::CliError;

/// The form of a command's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people to read.
    Text,
    /// One JSON document per result (one per line for `subscribe`), and
    /// failures as a JSON object on stderr.
    Json,
}

/// Where a command prints its results.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// The chosen form.
    pub format: Format,
}

impl Out {
    /// Prints `text` in text form, `json` (compact, one line) in JSON form.
    pub fn result(
        &self,
        text: impl FnOnce() -> String,
        json: impl FnOnce() -> Value,
    ) -> Result<(), CliError> {
        match self.format {
            Format::Text => self.line(&text()),
            Format::Json => self.line(&json().to_string()),
        }
    }

    /// Prints one line on stdout. When the reader of stdout has gone away
    /// (`streamsea describe ... | head -3`), the rest is dropped quietly.
    pub fn line(&self, line: &str) -> Result<(), CliError> {
        match write_line(line) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(stdout_error),
        }
    }

    /// Prints a failure on stderr, in the chosen form.
    pub fn failure(&self, error: &CliError) {
        let text = match self.format {
            Format::Text => format!("error: {error}"),
            Format::Json => error.to_json().to_string(),
        };
        write_stderr(&text);
    }
}

/// Writes a line on stdout and flushes it, so that each line reaches a pipe
/// as soon as it is printed.
pub fn write_line(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

impl Out {
    /// A notice on stderr, never mixed with results: the text, or
    /// `{"notice": text}` with `--output json` (stderr then holds only JSON
    /// lines).
    pub fn notice(&self, text: &str) {
        match self.format {
            Format::Text => write_stderr(text),
            Format::Json => write_stderr(&serde_json::json!({ "notice": text }).to_string()),
        }
    }

    /// A warning on stderr: `warning: text`, or `{"warning": text}`.
    pub fn warning(&self, text: &str) {
        match self.format {
            Format::Text => write_stderr(&format!("warning: {text}")),
            Format::Json => write_stderr(&serde_json::json!({ "warning": text }).to_string()),
        }
    }
}

/// Writes one line on stderr in a single write, so that a reader never sees
/// half a line and lines from different tasks never mix; nothing sensible
/// is left to do when stderr itself is gone.
fn write_stderr(text: &str) {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// The failure of writing to stdout.
pub fn stdout_error(e: io::Error) -> CliError {
    CliError::failure(format!("cannot write to stdout: {e}"))
}

/// Writes `text` to the file an `--out`-like option names.
pub fn write_file(option: &str, path: &std::path::Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| {
        CliError::usage(format!(
            "{option}: cannot write file `{}`: {e}",
            path.display()
        ))
    })
}
