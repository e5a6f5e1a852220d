//! The command's failure: what went wrong, and the exit code it gives.
//!
//! | code | when |
//! |---|---|
//! | 0 | success |
//! | 1 | the operation failed: the server refused it, a connection failed, or a payload is invalid |
//! | 2 | bad usage or unreadable input: a missing or conflicting option, a file that cannot be read, text that is not JSON, a definition or key that cannot be read |
//!
//! clap's own usage errors also exit with 2.

use std::fmt;
use std::process::ExitCode;

use serde_json::{json, Value};
use streamsea_client::{BuildError, JwtError, NetworkCause, NotSent, RequestError, SubscribeError};
use streamsea_schema::{ValidationError, ValidationErrors};

/// Which of the two failure exit codes a failure gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Exit 1: the operation failed (server, connection, validation).
    Failure,
    /// Exit 2: bad usage or unreadable input.
    Usage,
}

impl Kind {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Kind::Failure => 1,
            Kind::Usage => 2,
        }
    }
}

/// What kind of trouble a failure reports, for `main` to explain it with the
/// origin of the settings involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    /// Nothing to add.
    #[default]
    Other,
    /// The server refused the credentials.
    Authentication,
    /// No connection to the server could be made (of this kind, when known).
    Connection(Option<NetworkCause>),
    /// A request was sent but no complete answer came back.
    NoAnswer,
    /// Something answered that does not speak stream-sea.
    NotStreamSea,
}

/// A failure of a command, with everything the user is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// Which exit code.
    pub kind: Kind,
    /// What went wrong, naming the option, file or stream at fault.
    pub message: String,
    /// The HTTP status, when the server refused the request.
    pub status: Option<u16>,
    /// Validation errors, each with its path (local checks or the server's).
    pub errors: Vec<ValidationError>,
    /// True when more validation errors exist than are listed.
    pub truncated: bool,
    /// The kind of trouble, for explanations added by `main`.
    pub cause: Cause,
    /// What to do about it, said last (after any explanation).
    pub hint: Option<String>,
}

impl CliError {
    /// An operation failure (exit 1).
    pub fn failure(message: impl Into<String>) -> CliError {
        CliError {
            kind: Kind::Failure,
            message: message.into(),
            status: None,
            errors: Vec::new(),
            truncated: false,
            cause: Cause::Other,
            hint: None,
        }
    }

    /// The same failure, with what to do about it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    /// The message with the hint appended, as it is shown.
    pub fn finished(mut self) -> CliError {
        if let Some(hint) = self.hint.take() {
            self.message = format!("{}; {hint}", self.message);
        }
        self
    }

    /// The same failure, marked with the kind of trouble it reports.
    pub fn with_cause(mut self, cause: Cause) -> CliError {
        self.cause = cause;
        self
    }

    /// Bad usage or unreadable input (exit 2).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            kind: Kind::Usage,
            ..CliError::failure(message)
        }
    }

    /// Invalid payloads (exit 1), with every error found.
    pub fn invalid(message: impl Into<String>, errors: ValidationErrors) -> CliError {
        CliError {
            errors: errors.errors,
            truncated: errors.truncated,
            ..CliError::failure(message)
        }
    }

    /// The same failure, its message preceded by `context` (`"publish: "`).
    pub fn context(mut self, context: impl fmt::Display) -> CliError {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.kind.code())
    }

    /// The failure as the JSON object printed on stderr with `--output json`.
    pub fn to_json(&self) -> Value {
        let mut v = json!({"error": self.message, "exitCode": self.kind.code()});
        if let Some(status) = self.status {
            v["status"] = json!(status);
        }
        if !self.errors.is_empty() {
            v["errors"] = json!(self.errors);
            v["truncated"] = json!(self.truncated);
        }
        v
    }
}

impl fmt::Display for CliError {
    /// The message, then one indented line per validation error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        if self.truncated {
            f.write_str("\n  (more errors were not checked)")?;
        }
        Ok(())
    }
}

impl From<RequestError> for CliError {
    fn from(e: RequestError) -> CliError {
        let retry_safe = e.is_retry_safe();
        match e {
            RequestError::NotSent(NotSent::Invalid { stream, errors }) => CliError::invalid(
                format!("the payload for stream `{stream}` is invalid"),
                errors,
            ),
            RequestError::NotSent(NotSent::Argument(m)) => CliError::usage(m),
            RequestError::NotSent(NotSent::Encode(m)) => {
                CliError::usage(format!("the value cannot be written as JSON: {m}"))
            }
            RequestError::Rejected {
                status,
                message,
                errors,
            } => CliError {
                status: Some(status),
                errors,
                cause: if status == 401 {
                    Cause::Authentication
                } else {
                    Cause::Other
                },
                ..CliError::failure(format!("rejected by the server ({status}): {message}"))
            },
            RequestError::NotSent(NotSent::Connect {
                url, cause, reason, ..
            }) => CliError::failure(format!("cannot connect to {url}: {reason}"))
                .with_cause(Cause::Connection(Some(cause))),
            RequestError::NotStreamSea { url, status, found } => {
                let what = if found.starts_with("\"<") {
                    match found.rsplit_once(" (") {
                        Some((_, kind)) => format!("an HTML page ({kind}"),
                        None => "an HTML page".to_string(),
                    }
                } else {
                    found
                };
                CliError::failure(format!(
                    "the server at {url} does not speak stream-sea: it answered {status} with {what}"
                ))
                .with_cause(Cause::NotStreamSea)
            }
            // A read changes nothing: "outcome unknown" would only alarm.
            RequestError::Unknown {
                operation, reason, ..
            } if retry_safe => {
                CliError::failure(format!("no usable answer to {operation}: {reason}"))
                    .with_cause(Cause::NoAnswer)
            }
            other @ RequestError::Unknown { .. } => {
                CliError::failure(other.to_string()).with_cause(Cause::NoAnswer)
            }
            other => CliError::failure(other.to_string()),
        }
    }
}

impl From<SubscribeError> for CliError {
    fn from(e: SubscribeError) -> CliError {
        match e {
            SubscribeError::Argument(m) => CliError::usage(m),
            SubscribeError::Authentication { .. } => {
                CliError::failure(e.to_string()).with_cause(Cause::Authentication)
            }
            SubscribeError::Timeout {
                last_error: Some(_),
                cause,
                ..
            }
            | SubscribeError::GaveUp { cause, .. } => {
                CliError::failure(e.to_string()).with_cause(Cause::Connection(cause))
            }
            other => CliError::failure(other.to_string()),
        }
    }
}

impl From<BuildError> for CliError {
    fn from(e: BuildError) -> CliError {
        match e {
            BuildError::Http { .. } => CliError::failure(e.to_string()),
            other => CliError::usage(other.to_string()),
        }
    }
}

impl From<JwtError> for CliError {
    fn from(e: JwtError) -> CliError {
        match e {
            JwtError::Key { .. } | JwtError::Filter(_) => CliError::usage(e.to_string()),
            other => CliError::failure(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_refusals_exit_1_and_bad_arguments_exit_2() {
        let rejected = CliError::from(RequestError::Rejected {
            status: 400,
            message: "bad".into(),
            errors: vec![ValidationError {
                path: "a".into(),
                expected: "float".into(),
                found: "string \"x\"".into(),
            }],
        });
        assert_eq!(rejected.kind, Kind::Failure);
        assert_eq!(
            rejected.to_string(),
            "rejected by the server (400): bad\n  a: expected float, found string \"x\""
        );
        assert_eq!(rejected.to_json()["status"], 400);
        assert_eq!(rejected.to_json()["errors"][0]["path"], "a");
        let argument = CliError::from(RequestError::NotSent(NotSent::Argument("x".into())));
        assert_eq!(argument.kind, Kind::Usage);
        assert_eq!(argument.to_json()["exitCode"], 2);
        let connect = CliError::from(RequestError::NotSent(NotSent::Connect {
            url: "http://127.0.0.1:1".into(),
            cause: streamsea_client::NetworkCause::ConnectionRefused,
            reason: "refused".into(),
            source: None,
        }));
        assert_eq!(connect.kind, Kind::Failure);
        // A subscription's connection failure keeps its typed kind.
        let gave_up = CliError::from(SubscribeError::GaveUp {
            attempts: 3,
            last_error: "cannot connect".into(),
            cause: Some(NetworkCause::Certificate),
        });
        assert_eq!(
            gave_up.cause,
            Cause::Connection(Some(NetworkCause::Certificate))
        );
        let timeout = CliError::from(SubscribeError::Timeout {
            stream: "s".into(),
            timeout: std::time::Duration::from_secs(1),
            last_error: Some("cannot connect".into()),
            cause: Some(NetworkCause::NotTls),
        });
        assert_eq!(timeout.cause, Cause::Connection(Some(NetworkCause::NotTls)));
    }
}
