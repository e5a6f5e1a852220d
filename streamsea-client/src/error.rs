//! The errors of the client: building it, HTTP operations, subscriptions,
//! JWT signing.
//!
//! An HTTP operation fails in one of four ways ([`RequestError`]), and the way
//! says whether a retry is safe: the request was **not sent** at all, it was
//! **rejected** by the server, its **outcome is unknown** (sent, and no
//! answer says whether it took effect), or the answer came from something
//! that **does not speak stream-sea**.
//!
//! Callers branch with predicates, never by parsing text:
//!
//! | predicate | true when |
//! |---|---|
//! | [`RequestError::is_retry_safe`] | sending the same request again cannot duplicate an effect |
//! | [`RequestError::is_transient`] | the failure may pass on its own (network, `5xx`, `429`) |
//! | [`RequestError::is_not_sent`] | nothing left the process |
//! | [`RequestError::is_timeout`] | connecting or waiting for the answer took too long |
//! | [`RequestError::is_connection_refused`] | nothing listens at the address |
//! | [`RequestError::is_dns`] | the host name did not resolve |
//! | [`RequestError::is_tls`] | the TLS handshake failed (any of the next two, or another reason) |
//! | [`RequestError::is_certificate`] | the server's certificate was refused (not trusted, expired, wrong name) |
//! | [`RequestError::is_not_tls`] | TLS was asked for and the server does not speak it (a plain HTTP server) |
//! | [`RequestError::is_authentication`] | the server refused the credentials (`401`) |
//! | [`RequestError::is_rejected`] | the server answered with its error body: the operation did not take effect |
//! | [`RequestError::is_outcome_unknown`] | the operation may or may not have taken effect |
//! | [`RequestError::is_not_stream_sea`] | the server at that URL does not speak stream-sea |
//! | [`RequestError::is_invalid`] | local validation refused the value ([`RequestError::validation_errors`]) |
//!
//! Every error keeps its causes: [`std::error::Error::source`] gives the
//! underlying error (for example the HTTP library's, and below it the I/O or
//! TLS error), for logging or downcasting. A [`BuildError`] keeps the TLS,
//! PEM, I/O or HTTP library's error, a [`JwtError`] the JWT or RSA
//! library's. The `Display` text is complete on its own: it already
//! includes the causes' messages.
//!
//! The kind of a network failure ([`NetworkCause`]) is read from the source
//! chain by type (an I/O error's kind, the TLS library's error variant, the
//! client's own name-resolution error: the client resolves host names
//! itself on both paths), never from its text. Subscriptions carry the
//! same kind: [`SubscribeError::Timeout`] and [`SubscribeError::GaveUp`] in
//! their `cause`, and [`ConnectionEvent::Disconnected`](crate::ConnectionEvent::Disconnected)
//! for each failed connection attempt.

use std::fmt;
use std::sync::Arc;

use streamsea_protocol::routes::{Operation, RetryClass};
use streamsea_schema::{ValidationError, ValidationErrors};

/// An underlying error, shared so that errors stay `Clone`.
pub type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What a network failure was: the kind a caller branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NetworkCause {
    /// Connecting, or waiting for the answer, took longer than its timeout.
    Timeout,
    /// The address refused the connection: nothing listens there.
    ConnectionRefused,
    /// The host name could not be resolved.
    Dns,
    /// The TLS handshake failed for a reason other than the two below (no
    /// common protocol version, an alert from the server, ...).
    Tls,
    /// The TLS handshake failed on the server's certificate: not trusted
    /// (unknown issuer), expired or not yet valid, for another name, badly
    /// encoded. Found as a `rustls::Error::InvalidCertificate` in the
    /// source chain.
    Certificate,
    /// A TLS connection was asked for and the server answered with
    /// something that is not TLS (typically a plain HTTP server answering
    /// the TLS hello). Found as a `rustls::Error::InvalidMessage` (a
    /// corrupt record) in the source chain.
    NotTls,
    /// Any other failure: a reset connection, an unreachable network.
    Other,
}

impl NetworkCause {
    /// True for the TLS handshake failures: [`Tls`](Self::Tls),
    /// [`Certificate`](Self::Certificate) and [`NotTls`](Self::NotTls).
    pub fn is_tls(self) -> bool {
        matches!(
            self,
            NetworkCause::Tls | NetworkCause::Certificate | NetworkCause::NotTls
        )
    }
}

impl fmt::Display for NetworkCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NetworkCause::Timeout => "timed out",
            NetworkCause::ConnectionRefused => "connection refused",
            NetworkCause::Dns => "the host name did not resolve",
            NetworkCause::Tls => "TLS handshake failed",
            NetworkCause::Certificate => {
                "TLS handshake failed: the server's certificate was refused"
            }
            NetworkCause::NotTls => "TLS handshake failed: the server does not speak TLS",
            NetworkCause::Other => "network failure",
        })
    }
}

/// Why a request never left the process: retrying it cannot cause a
/// duplicate.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum NotSent {
    /// The value failed local validation against its schema.
    Invalid {
        /// The stream the value was meant for.
        stream: String,
        /// Every problem found, with its path.
        errors: ValidationErrors,
    },
    /// An argument cannot be sent as given (a malformed stream or client id,
    /// a payload that is not an object, credentials of the wrong kind).
    Argument(String),
    /// The value could not be written as JSON (for example a map with
    /// non-string keys, or a float that is NaN).
    Encode(String),
    /// No connection could be opened (refused, DNS, TLS handshake, connect
    /// timeout): no byte of the request was sent.
    Connect {
        /// The URL of the request.
        url: String,
        /// What kind of failure it was.
        cause: NetworkCause,
        /// What the connection attempt reported, with its causes.
        reason: String,
        /// The underlying error.
        source: Option<Source>,
    },
}

/// An HTTP operation that did not succeed.
///
/// See the [crate documentation](crate) for the predicates to branch on.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RequestError {
    /// Nothing was sent: safe to retry once the cause is fixed.
    NotSent(NotSent),
    /// The server answered with its error body and a status that says the
    /// operation did not take effect: any `4xx`, and a `5xx` to a read.
    /// Retrying the same request gets the same answer, except for `5xx` and
    /// `429`.
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
        /// The server's list of payload validation errors (empty when it sent
        /// none).
        errors: Vec<ValidationError>,
    },
    /// The request was sent (perhaps partly) and no answer says whether it
    /// took effect: a timeout or a reset connection after sending, an
    /// unreadable answer, or a `5xx` answer (the server's own, or a proxy's
    /// `502`/`504`) to an operation that changes something. Whether a retry
    /// is safe depends on the operation's [`RetryClass`]: retrying a publish
    /// may deliver the message twice.
    Unknown {
        /// The operation (`publish`, `describe stream`, ...).
        operation: &'static str,
        /// What repeating the operation can do.
        retry: RetryClass,
        /// The status of a `5xx` answer; `None` when no answer came.
        status: Option<u16>,
        /// The kind of network failure, when there was one.
        cause: Option<NetworkCause>,
        /// What happened, with its causes.
        reason: String,
        /// The underlying error.
        source: Option<Source>,
    },
    /// The answer is not stream-sea's: a `404` without stream-sea's error
    /// body (an HTML page, another service's JSON), a refusal (`4xx`) written
    /// as a page, or a success that is not JSON. The server at that URL does
    /// not speak stream-sea (a wrong host, port or path, or a proxy's page).
    /// A `5xx` page is a rejection (or, for a change, an unknown outcome)
    /// whose message names the status, not the page's markup.
    NotStreamSea {
        /// The URL of the request.
        url: String,
        /// The HTTP status of the answer.
        status: u16,
        /// The start of the answer's body, or its content type.
        found: String,
    },
}

impl From<NotSent> for RequestError {
    fn from(e: NotSent) -> RequestError {
        RequestError::NotSent(e)
    }
}

impl fmt::Display for NotSent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotSent::Invalid { stream, errors } => {
                write!(f, "the payload for stream `{stream}` is invalid: {errors}")
            }
            NotSent::Argument(m) => f.write_str(m),
            NotSent::Encode(m) => write!(f, "the value cannot be written as JSON: {m}"),
            NotSent::Connect {
                url, cause, reason, ..
            } => write!(f, "cannot connect to {url} ({cause}): {reason}"),
        }
    }
}

/// The underlying error itself (not a wrapper around it), so that a caller
/// walking the chain can downcast it.
fn as_source(source: &Option<Source>) -> Option<&(dyn std::error::Error + 'static)> {
    source
        .as_deref()
        .map(|e| e as &(dyn std::error::Error + 'static))
}

impl std::error::Error for NotSent {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NotSent::Connect { source, .. } => as_source(source),
            _ => None,
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::NotSent(e) => write!(f, "not sent: {e}"),
            RequestError::Rejected {
                status,
                message,
                errors,
            } => f.write_str(&rejected_text(*status, message, errors)),
            RequestError::Unknown {
                operation, reason, ..
            } => write!(f, "outcome unknown for {operation}: {reason}"),
            RequestError::NotStreamSea { url, status, found } => write!(
                f,
                "the server at {url} does not speak stream-sea: it answered {status} with {found}"
            ),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::NotSent(e) => Some(e),
            RequestError::Unknown { source, .. } => as_source(source),
            _ => None,
        }
    }
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
    /// An unknown outcome of `operation`.
    pub(crate) fn unknown(
        operation: Operation,
        status: Option<u16>,
        cause: Option<NetworkCause>,
        reason: String,
        source: Option<Source>,
    ) -> RequestError {
        RequestError::Unknown {
            operation: operation.name(),
            retry: operation.retry(),
            status,
            cause,
            reason,
            source,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            RequestError::Rejected { status, .. } | RequestError::NotStreamSea { status, .. } => {
                Some(*status)
            }
            RequestError::Unknown { status, .. } => *status,
            RequestError::NotSent(_) => None,
        }
    }

    /// The kind of network failure, when there was one.
    pub fn network_cause(&self) -> Option<NetworkCause> {
        match self {
            RequestError::NotSent(NotSent::Connect { cause, .. }) => Some(*cause),
            RequestError::Unknown { cause, .. } => *cause,
            _ => None,
        }
    }

    /// True when sending the same request again cannot duplicate an effect:
    /// it was not sent, it was rejected, it never reached stream-sea, or its
    /// outcome is unknown but the operation is a read or idempotent (see
    /// [`RetryClass`]). False for an unknown outcome of a publish, create
    /// client, rotate secret or create jail.
    pub fn is_retry_safe(&self) -> bool {
        match self {
            RequestError::Unknown { retry, .. } => !retry.repeat_can_duplicate(),
            _ => true,
        }
    }

    /// True for failures that may pass on their own: network failures,
    /// unknown outcomes, and `5xx` or `429` answers.
    pub fn is_transient(&self) -> bool {
        match self {
            RequestError::NotSent(NotSent::Connect { .. }) | RequestError::Unknown { .. } => true,
            RequestError::Rejected { status, .. } => *status >= 500 || *status == 429,
            RequestError::NotSent(_) | RequestError::NotStreamSea { .. } => false,
        }
    }

    /// True when nothing left the process ([`NotSent`]).
    pub fn is_not_sent(&self) -> bool {
        matches!(self, RequestError::NotSent(_))
    }

    /// True when connecting or waiting for the answer timed out (the outcome
    /// of a write that timed out after sending is unknown:
    /// [`is_outcome_unknown`](Self::is_outcome_unknown) is also true).
    pub fn is_timeout(&self) -> bool {
        self.network_cause() == Some(NetworkCause::Timeout)
    }

    /// True when the connection was refused: nothing listens at the address.
    pub fn is_connection_refused(&self) -> bool {
        self.network_cause() == Some(NetworkCause::ConnectionRefused)
    }

    /// True when the host name could not be resolved.
    pub fn is_dns(&self) -> bool {
        self.network_cause() == Some(NetworkCause::Dns)
    }

    /// True when the TLS handshake failed, whatever the reason (see
    /// [`is_certificate`](Self::is_certificate) and
    /// [`is_not_tls`](Self::is_not_tls) for two of them).
    pub fn is_tls(&self) -> bool {
        self.network_cause().is_some_and(NetworkCause::is_tls)
    }

    /// True when the TLS handshake failed on the server's certificate: not
    /// trusted, expired or not yet valid, for another name.
    pub fn is_certificate(&self) -> bool {
        self.network_cause() == Some(NetworkCause::Certificate)
    }

    /// True when TLS was asked for and the server answered with something
    /// else: it does not speak TLS (a plain HTTP server).
    pub fn is_not_tls(&self) -> bool {
        self.network_cause() == Some(NetworkCause::NotTls)
    }

    /// True when the server refused the credentials (`401` with its error
    /// body).
    pub fn is_authentication(&self) -> bool {
        matches!(self, RequestError::Rejected { status: 401, .. })
    }

    /// True when the server answered with its error body and a status that
    /// says the operation did not take effect ([`RequestError::Rejected`]).
    pub fn is_rejected(&self) -> bool {
        matches!(self, RequestError::Rejected { .. })
    }

    /// True when the operation may or may not have taken effect
    /// ([`RequestError::Unknown`]).
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, RequestError::Unknown { .. })
    }

    /// True when the answer came from something that does not speak
    /// stream-sea ([`RequestError::NotStreamSea`]).
    pub fn is_not_stream_sea(&self) -> bool {
        matches!(self, RequestError::NotStreamSea { .. })
    }

    /// True when local validation refused the value.
    pub fn is_invalid(&self) -> bool {
        matches!(self, RequestError::NotSent(NotSent::Invalid { .. }))
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
///
/// The TLS and HTTP variants keep the library error that caused them as
/// [`source()`](std::error::Error::source) (a `rustls::Error`, a
/// `rustls::pki_types::pem::Error`, a `std::io::Error`, a `reqwest::Error`);
/// their `Display` text already includes its message. Two errors are equal
/// when they are the same variant with the same text.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BuildError {
    /// No credentials were given.
    MissingCredentials,
    /// A setting has a value that cannot work.
    Invalid {
        /// The setting.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An environment variable holds a value that cannot be read.
    Env {
        /// The variable's name.
        name: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// The TLS configuration cannot be made: a root certificate (or its
    /// file, or its PEM text) cannot be read or trusted, or no root is left
    /// to trust.
    Tls {
        /// What failed, and where: which file, which certificate (counted
        /// from 1 over every certificate added), with the cause's message.
        reason: String,
        /// The underlying error, when a library reported one.
        source: Option<Source>,
    },
    /// The HTTP client could not be created.
    Http {
        /// What failed, with the causes' messages.
        reason: String,
        /// The HTTP library's error.
        source: Option<Source>,
    },
}

impl BuildError {
    /// A TLS configuration error caused by `source`.
    pub(crate) fn tls(
        reason: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> BuildError {
        BuildError::Tls {
            reason: reason.into(),
            source: Some(Arc::new(source)),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingCredentials => f.write_str(
                "no credentials: call basic(client_id, secret) or jwt(client_id, token)",
            ),
            BuildError::Invalid { setting, reason } => {
                write!(f, "invalid setting `{setting}`: {reason}")
            }
            BuildError::Env { name, reason } => write!(f, "environment variable {name}: {reason}"),
            BuildError::Tls { reason, .. } => write!(f, "TLS configuration: {reason}"),
            BuildError::Http { reason, .. } => write!(f, "HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Tls { source, .. } | BuildError::Http { source, .. } => as_source(source),
            _ => None,
        }
    }
}

/// Same variant, same text: the sources themselves cannot be compared.
impl PartialEq for BuildError {
    fn eq(&self, other: &BuildError) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.to_string() == other.to_string()
    }
}

impl Eq for BuildError {}

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
        /// The kind of network failure of the last attempt, when its error
        /// says (found in its source chain).
        cause: Option<NetworkCause>,
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
        /// The kind of network failure of the last connection failure, when
        /// its error says (found in its source chain).
        cause: Option<NetworkCause>,
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
///
/// The key, signing and generation variants keep the library error that
/// caused them as [`source()`](std::error::Error::source) (a
/// `jsonwebtoken::errors::Error`, or an error of the `rsa` crate); their
/// `Display` text already includes its message. Two errors are equal when
/// they are the same variant with the same text.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum JwtError {
    /// The private key cannot be used: it is not an RSA private key in PEM
    /// form (PKCS#1 or PKCS#8), or the signer refuses it (its size is
    /// outside 2048 to 4096 bits).
    Key {
        /// What is wrong with the key, with the cause's message.
        reason: String,
        /// The JWT library's error.
        source: Option<Source>,
    },
    /// Signing failed with a usable key.
    Sign {
        /// What failed, with the cause's message.
        reason: String,
        /// The JWT library's error.
        source: Option<Source>,
    },
    /// Key generation failed, or was asked for a size out of range.
    Generate {
        /// What failed, with the cause's message.
        reason: String,
        /// The RSA library's error, when it reported one (none for a size
        /// out of range).
        source: Option<Source>,
    },
    /// The filter in the claims is malformed.
    Filter(String),
}

impl JwtError {
    /// A key generation error caused by `source` while doing `what`.
    #[cfg(feature = "keygen")]
    pub(crate) fn generate(
        what: &str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> JwtError {
        JwtError::Generate {
            reason: format!("{what}: {source}"),
            source: Some(Arc::new(source)),
        }
    }
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::Key { reason, .. } => write!(f, "the private key cannot be used: {reason}"),
            JwtError::Sign { reason, .. } => write!(f, "signing failed: {reason}"),
            JwtError::Generate { reason, .. } => write!(f, "RSA key generation failed: {reason}"),
            JwtError::Filter(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for JwtError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JwtError::Key { source, .. }
            | JwtError::Sign { source, .. }
            | JwtError::Generate { source, .. } => as_source(source),
            JwtError::Filter(_) => None,
        }
    }
}

/// Same variant, same text: the sources themselves cannot be compared.
impl PartialEq for JwtError {
    fn eq(&self, other: &JwtError) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.to_string() == other.to_string()
    }
}

impl Eq for JwtError {}

/// Cuts text from the network to a length fit for an error message.
pub(crate) fn cut(text: &str, max: usize) -> String {
    streamsea_schema::rules::clip(text, max).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(operation: Operation, status: Option<u16>) -> RequestError {
        RequestError::unknown(operation, status, None, "reset".into(), None)
    }

    #[test]
    fn classification() {
        let connect = RequestError::NotSent(NotSent::Connect {
            url: "http://x".into(),
            cause: NetworkCause::ConnectionRefused,
            reason: "refused".into(),
            source: Some(Arc::new(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))),
        });
        assert!(connect.is_retry_safe() && connect.is_transient());
        assert!(connect.is_connection_refused() && connect.is_not_sent());
        assert!(!connect.is_timeout() && !connect.is_dns() && !connect.is_tls());
        // The chain: the request error, the connect failure, the I/O error.
        let not_sent = std::error::Error::source(&connect).expect("a source");
        let io = not_sent.source().expect("a source");
        assert!(io.downcast_ref::<std::io::Error>().is_some());

        let publish = unknown(Operation::Publish, Some(500));
        assert!(!publish.is_retry_safe() && publish.is_transient());
        assert!(publish.is_outcome_unknown() && publish.status() == Some(500));
        assert!(unknown(Operation::DeleteJail, None).is_retry_safe());
        assert!(unknown(Operation::DescribeStream, None).is_retry_safe());
        assert!(!unknown(Operation::CreateClient, None).is_retry_safe());

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
        assert!(rejected.is_rejected() && !rejected.is_authentication());
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
