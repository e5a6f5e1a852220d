//! The errors of the client: building it, HTTP operations, subscriptions,
//! JWT signing.
//!
//! An HTTP operation fails in one of three ways, and the way says whether a
//! retry is safe ([`RequestError`]): the request was **not sent** at all, it
//! was **rejected** by the server, or its **outcome is unknown** (sent, but no
//! answer came back).

use streamsea_schema::{ValidationError, ValidationErrors};

/// Why a request never left the process: retrying it cannot cause a
/// duplicate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotSent {
    /// The value failed local validation against its schema.
    #[error("the payload for stream `{stream}` is invalid: {errors}")]
    Invalid {
        /// The stream the value was meant for.
        stream: String,
        /// Every problem found, with its path.
        errors: ValidationErrors,
    },
    /// An argument cannot be sent as given (a malformed stream or client id,
    /// a payload that is not an object, credentials of the wrong kind).
    #[error("{0}")]
    Argument(String),
    /// The value could not be written as JSON (for example a map with
    /// non-string keys, or a float that is NaN).
    #[error("the value cannot be written as JSON: {0}")]
    Encode(String),
    /// No connection could be opened (refused, unreachable, TLS handshake
    /// failed, connect timeout): no byte of the request was sent.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The URL of the request.
        url: String,
        /// What the connection attempt reported.
        reason: String,
    },
}

/// An HTTP operation that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Nothing was sent: safe to retry once the cause is fixed.
    #[error("not sent: {0}")]
    NotSent(#[from] NotSent),
    /// The server answered with a non-2xx status: the operation did not take
    /// effect. Retrying the same request gets the same answer, except for
    /// 5xx and 429.
    #[error("{}", rejected_text(*.status, .message, .errors))]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
        /// The server's list of payload validation errors (empty when it sent
        /// none).
        errors: Vec<ValidationError>,
    },
    /// The request was sent (perhaps partly) but no complete answer came
    /// back: a timeout, a reset connection, an unreadable answer. The
    /// operation may or may not have taken effect; retrying a publish may
    /// deliver the message twice.
    #[error("outcome unknown for {operation}: {reason}")]
    Unknown {
        /// The operation (`publish`, `describe stream`, ...).
        operation: &'static str,
        /// What happened.
        reason: String,
    },
}

fn rejected_text(status: u16, message: &str, errors: &[ValidationError]) -> String {
    let mut out = format!("rejected by the server ({status}): {message}");
    for e in errors {
        out.push_str("\n  ");
        out.push_str(&e.to_string());
    }
    out
}

impl RequestError {
    /// The HTTP status of a rejection.
    pub fn status(&self) -> Option<u16> {
        match self {
            RequestError::Rejected { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True when the request certainly did not take effect and sending it
    /// again cannot duplicate it (not sent, or rejected).
    pub fn is_retry_safe(&self) -> bool {
        !matches!(self, RequestError::Unknown { .. })
    }

    /// True for failures that may pass on their own: connection failures,
    /// unknown outcomes, and 5xx or 429 answers.
    pub fn is_transient(&self) -> bool {
        match self {
            RequestError::NotSent(NotSent::Connect { .. }) | RequestError::Unknown { .. } => true,
            RequestError::Rejected { status, .. } => *status >= 500 || *status == 429,
            RequestError::NotSent(_) => false,
        }
    }

    /// The local validation errors of a refused publish.
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        match self {
            RequestError::NotSent(NotSent::Invalid { errors, .. }) => Some(errors),
            _ => None,
        }
    }
}

/// A client that cannot be built from its settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No credentials were given.
    #[error("no credentials: call basic(client_id, secret) or jwt(client_id, token)")]
    MissingCredentials,
    /// A setting has a value that cannot work.
    #[error("invalid setting `{setting}`: {reason}")]
    Invalid {
        /// The setting.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An environment variable holds a value that cannot be read.
    #[error("environment variable {name}: {reason}")]
    Env {
        /// The variable's name.
        name: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// A root certificate could not be read.
    #[error("TLS root certificate: {0}")]
    Tls(String),
    /// The HTTP client could not be created.
    #[error("HTTP client: {0}")]
    Http(String),
}

/// What ends or interrupts a subscription, or an item it could not decode.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SubscribeError {
    /// The server refused the credentials. Terminal: every subscription of
    /// the client yields this once, then ends; nothing is retried.
    #[error("authentication failed: {message}")]
    Authentication {
        /// The server's message.
        message: String,
    },
    /// The server refused this subscription; it ends.
    #[error("subscription to `{stream}` refused: {message}")]
    Refused {
        /// The stream.
        stream: String,
        /// The server's message.
        message: String,
    },
    /// A delivery that does not decode into the subscription's type, or
    /// fails its validation. The subscription goes on.
    #[error("delivery on `{stream}` cannot be read: {reason}")]
    Decode {
        /// The stream.
        stream: String,
        /// The delivered JSON, as received.
        raw: serde_json::Value,
        /// Why it could not be read.
        reason: String,
    },
    /// A frame for this subscription that breaks the protocol (for example a
    /// delivery without `streamName`). The subscription goes on.
    #[error("protocol error on `{stream}`: {reason}")]
    Protocol {
        /// The stream.
        stream: String,
        /// What was wrong.
        reason: String,
    },
    /// The reconnect policy's attempts ran out; the subscription ends.
    #[error("gave up reconnecting after {attempts} attempts: {last_error}")]
    GaveUp {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's failure.
        last_error: String,
    },
    /// `subscribe` was given an argument that cannot be sent.
    #[error("{0}")]
    Argument(String),
    /// The server did not confirm the subscription in time.
    #[error("no confirmation of the subscription to `{stream}` within {timeout:?}{}", last_error_text(.last_error))]
    Timeout {
        /// The stream.
        stream: String,
        /// How long `subscribe` waited.
        timeout: std::time::Duration,
        /// The last connection failure meanwhile, if any.
        last_error: Option<String>,
    },
    /// The client's connection task is gone (the client is being dropped).
    #[error("the client is closed")]
    Closed,
    /// Messages of this subscription may have been lost here: stream-sea
    /// delivers at most once. The subscription goes on; this item stands
    /// where the gap is (see [`Interruption`]). Turned off with
    /// [`SubscribeOptions::report_interruptions`](crate::SubscribeOptions::report_interruptions).
    #[error("messages on `{stream}` may have been lost: {reason}")]
    Interrupted {
        /// The stream.
        stream: String,
        /// What happened.
        reason: Interruption,
    },
}

/// Why messages of a subscription may have been lost
/// ([`SubscribeError::Interrupted`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Interruption {
    /// The connection was lost and the subscription was sent again on a new
    /// one: what was published in between was not delivered. The item comes
    /// before the first message received after the re-subscription.
    Reconnected {
        /// Why the connection was lost.
        cause: String,
    },
    /// The subscription's buffer was full: its newest deliveries were dropped
    /// (the [`Overflow::DropNewest`](crate::Overflow::DropNewest) policy).
    /// The item comes where they would have been.
    Overflow {
        /// How many deliveries were dropped.
        dropped: u64,
    },
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Interruption::Reconnected { cause } => {
                write!(f, "the connection was lost ({cause}) and subscribed again")
            }
            Interruption::Overflow { dropped } => write!(
                f,
                "the subscription's buffer was full: {dropped} deliveries were dropped"
            ),
        }
    }
}

fn last_error_text(e: &Option<String>) -> String {
    match e {
        Some(e) => format!(" (last connection error: {e})"),
        None => String::new(),
    }
}

impl SubscribeError {
    /// True when the subscription ends after this error.
    pub fn is_terminal(&self) -> bool {
        !matches!(
            self,
            SubscribeError::Decode { .. }
                | SubscribeError::Protocol { .. }
                | SubscribeError::Interrupted { .. }
        )
    }

    /// True when messages may have been lost at this point of the stream
    /// ([`SubscribeError::Interrupted`]).
    pub fn is_interruption(&self) -> bool {
        matches!(self, SubscribeError::Interrupted { .. })
    }
}

/// A JWT that cannot be signed, or a key pair that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The private key is not an RSA private key in PEM form.
    #[error("the private key is not an RSA private key in PEM form (PKCS#1 or PKCS#8): {0}")]
    Key(String),
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(String),
    /// Key generation failed.
    #[error("RSA key generation failed: {0}")]
    Generate(String),
    /// The filter in the claims is malformed.
    #[error("{0}")]
    Filter(String),
}

/// Cuts text from the network to a length fit for an error message.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let connect = RequestError::NotSent(NotSent::Connect {
            url: "http://x".into(),
            reason: "refused".into(),
        });
        assert!(connect.is_retry_safe() && connect.is_transient());
        let unknown = RequestError::Unknown {
            operation: "publish",
            reason: "timeout".into(),
        };
        assert!(!unknown.is_retry_safe() && unknown.is_transient());
        let rejected = RequestError::Rejected {
            status: 400,
            message: "bad".into(),
            errors: vec![ValidationError {
                path: "a".into(),
                expected: "string".into(),
                found: "number 1".into(),
            }],
        };
        assert!(rejected.is_retry_safe() && !rejected.is_transient());
        assert_eq!(
            rejected.to_string(),
            "rejected by the server (400): bad\n  a: expected string, found number 1"
        );
    }

    #[test]
    fn cuts_on_char_boundaries() {
        assert_eq!(cut("abc", 5), "abc");
        assert_eq!(cut("ééé", 3), "é...");
    }
}
