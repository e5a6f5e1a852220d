//! The HTTP transport: one pooled `reqwest` client, Basic authentication,
//! gzip request bodies above a threshold, error classification, and retries
//! of reads after transient failures.
//!
//! Every request names its [`Operation`]; its method and retry class come
//! from the route table in `streamsea-protocol`, which the server's router
//! is built from too.

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use streamsea_protocol::http::ErrorBody;
use streamsea_protocol::routes::{self, Operation, RetryClass};
use streamsea_protocol::ws::Credentials;

use crate::config::Settings;
use crate::error::{cut, BuildError, NetworkCause, NotSent, RequestError};
use crate::resolve::ResolveError;

/// Longest piece of a non-JSON error answer kept in a message.
const MAX_ERROR_TEXT: usize = 512;
/// Longest piece of a foreign answer quoted in a "not stream-sea" error.
const MAX_FOREIGN_TEXT: usize = 160;
/// Largest answer body read (a schema or a versions vector is far smaller).
const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The wait before the first retry of a read; doubles each time.
const RETRY_DELAY: Duration = Duration::from_millis(100);

/// A request body: JSON bytes, serialized once.
pub(crate) type JsonBody = Vec<u8>;

/// An answer: its status, content type and body.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

/// The HTTP side of a client.
pub(crate) struct Http {
    client: reqwest::Client,
    base: String,
    auth: Option<(String, String)>,
    gzip_threshold: usize,
    read_retries: u32,
}

fn method(op: Operation) -> Method {
    match op.route().method {
        routes::Method::Get => Method::GET,
        routes::Method::Post => Method::POST,
        routes::Method::Put => Method::PUT,
        routes::Method::Delete => Method::DELETE,
    }
}

impl Http {
    pub(crate) fn new(settings: &Settings) -> Result<Http, BuildError> {
        let mut builder = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .connect_timeout(settings.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(settings.resolver.clone()))
            .gzip(true)
            .user_agent(concat!("streamsea-client/", env!("CARGO_PKG_VERSION")));
        if let Some(tls) = &settings.tls {
            builder = builder.use_preconfigured_tls((**tls).clone());
        }
        let client = builder.build().map_err(build_error)?;
        let auth = match &settings.credentials {
            Credentials::Basic {
                client_id,
                client_secret,
            } => Some((client_id.clone(), client_secret.clone())),
            Credentials::Jwt { .. } => None,
        };
        Ok(Http {
            client,
            base: settings.api_url(),
            auth,
            gzip_threshold: settings.gzip_threshold,
            read_retries: settings.read_retries,
        })
    }

    /// Serializes a body once.
    pub(crate) fn encode<B: Serialize + ?Sized>(body: &B) -> Result<JsonBody, RequestError> {
        serde_json::to_vec(body).map_err(|e| NotSent::Encode(e.to_string()).into())
    }

    /// The JSON bytes, compressed when above the threshold.
    fn compress(&self, json: JsonBody) -> Result<(Vec<u8>, bool), NotSent> {
        if json.len() <= self.gzip_threshold {
            return Ok((json, false));
        }
        let mut enc = flate2::write::GzEncoder::new(
            Vec::with_capacity(json.len() / 4),
            flate2::Compression::fast(),
        );
        enc.write_all(&json)
            .and_then(|_| enc.finish())
            .map(|gz| (gz, true))
            .map_err(|e| NotSent::Encode(format!("gzip: {e}")))
    }

    /// Sends `op` with an optional JSON body and reads a JSON answer.
    pub(crate) async fn call<B: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        op: Operation,
        path: &str,
        body: Option<&B>,
    ) -> Result<R, RequestError> {
        let body = body.map(Http::encode).transpose()?;
        let bytes = self.call_raw(op, path, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            let text = String::from_utf8_lossy(&bytes);
            if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err() {
                // Not JSON at all: not a stream-sea answer.
                RequestError::NotStreamSea {
                    url: format!("{}{path}", self.base),
                    status: 200,
                    found: foreign(&text, ""),
                }
            } else {
                RequestError::unknown(
                    op,
                    None,
                    None,
                    format!(
                        "the answer is not the expected JSON ({e}): {}",
                        cut(&text, MAX_ERROR_TEXT)
                    ),
                    Some(Arc::new(e)),
                )
            }
        })
    }

    /// Sends `op` with JSON bytes already serialized, and returns the
    /// answer's body; reads are retried after transient failures.
    pub(crate) async fn call_raw(
        &self,
        op: Operation,
        path: &str,
        body: Option<JsonBody>,
    ) -> Result<Vec<u8>, RequestError> {
        let Some((id, secret)) = &self.auth else {
            return Err(NotSent::Argument(format!(
                "{}: HTTP operations need basic credentials (client id and secret); a JWT only opens subscriptions",
                op.name()
            ))
            .into());
        };
        let mut encoded = match body {
            Some(b) => Some(self.compress(b)?),
            None => None,
        };
        let url = format!("{}{path}", self.base);
        let retries = match op.retry() {
            RetryClass::Read => self.read_retries,
            RetryClass::Idempotent | RetryClass::NotIdempotent => 0,
        };
        let mut attempt = 0;
        loop {
            let mut req = self
                .client
                .request(method(op), &url)
                .basic_auth(id, Some(secret))
                .header(ACCEPT, HeaderValue::from_static("application/json"));
            let last = attempt >= retries;
            let this_body = if last {
                encoded.take()
            } else {
                encoded.clone()
            };
            if let Some((bytes, gzip)) = this_body {
                req = req
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(bytes);
                if gzip {
                    req = req.header(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                }
            }
            let result = self.send(op, &url, req).await;
            match result {
                Err(e) if !last && e.is_transient() => {
                    let delay = RETRY_DELAY * 2u32.saturating_pow(attempt);
                    tracing::debug!(operation = op.name(), attempt, error = %e, "retrying a read");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn send(
        &self,
        op: Operation,
        url: &str,
        req: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, RequestError> {
        let resp = req.send().await.map_err(|e| classify(op, url, e))?;
        let status = resp.status();
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = read_body(op, resp).await?;
        if status.is_success() {
            // stream-sea answers a success with JSON (or nothing); a page or
            // other text means some other server answered at this URL.
            if !body.iter().all(u8::is_ascii_whitespace)
                && serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err()
            {
                return Err(RequestError::NotStreamSea {
                    url: url.to_string(),
                    status: status.as_u16(),
                    found: foreign(&String::from_utf8_lossy(&body), &content_type),
                });
            }
            return Ok(body);
        }
        Err(answer_error(
            op,
            url,
            &Answer {
                status,
                content_type,
                body,
            },
        ))
    }
}

/// The error of a `reqwest` client that cannot be built, keeping it as the
/// source.
fn build_error(e: reqwest::Error) -> BuildError {
    BuildError::Http {
        reason: error_chain(&e),
        source: Some(Arc::new(e)),
    }
}

async fn read_body(op: Operation, mut resp: reqwest::Response) -> Result<Vec<u8>, RequestError> {
    let mut out = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(RequestError::unknown(
                        op,
                        None,
                        None,
                        format!("the answer is larger than {MAX_RESPONSE_BYTES} bytes"),
                        None,
                    ));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => {
                let cause = network_cause(&e);
                let reason = format!("the answer could not be read: {}", error_chain(&e));
                return Err(RequestError::unknown(
                    op,
                    None,
                    Some(cause),
                    reason,
                    Some(Arc::new(e)),
                ));
            }
        }
    }
}

/// What a non-2xx answer without stream-sea's error body says: its text,
/// cut short, when it is plain text (a proxy's one-line reason); never the
/// markup of a page, which says nothing useful in an error message: the
/// status's reason and what the page is instead.
fn foreign_message(status: StatusCode, text: &str, content_type: &str) -> String {
    let text = text.trim();
    let reason = status.canonical_reason().unwrap_or("no message");
    if text.is_empty() {
        reason.to_string()
    } else if is_markup(text, content_type) {
        let kind = if content_type.is_empty() {
            "markup"
        } else {
            content_type
                .split(';')
                .next()
                .unwrap_or(content_type)
                .trim()
        };
        format!("{reason}, with a {kind} page that is not stream-sea's error body")
    } else {
        cut(text, MAX_ERROR_TEXT)
    }
}

/// True when an answer's body is a page (HTML or XML markup), by its
/// content type or its first character.
fn is_markup(text: &str, content_type: &str) -> bool {
    content_type.contains("html")
        || content_type.contains("xml")
        || text.trim_start().starts_with('<')
}

/// Quotes the start of a foreign answer: its content type and text.
fn foreign(text: &str, content_type: &str) -> String {
    let text = text.trim();
    let quoted = if text.is_empty() {
        "an empty body".to_string()
    } else {
        format!("{:?}", cut(text, MAX_FOREIGN_TEXT))
    };
    if content_type.is_empty() {
        quoted
    } else {
        format!("{quoted} ({content_type})")
    }
}

/// The error of a non-2xx answer.
///
/// - With stream-sea's error body (`{"message", "errors"?}`): a `5xx` to an
///   operation that changes something is an unknown outcome (the change may
///   have been made, as in "the change was made but the state file could
///   not be written"); anything else is a rejection.
/// - Without it: a `404` is not stream-sea's (a wrong host, port or path), a
///   `5xx` to a change is an unknown outcome (a proxy's `502` or `504`), the
///   rest is a rejection carrying the answer's text.
fn answer_error(op: Operation, url: &str, answer: &Answer) -> RequestError {
    let status = answer.status;
    let code = status.as_u16();
    let unknown_if_changing = status.is_server_error() && op.retry() != RetryClass::Read;
    // A 404 is "no such stream" only in stream-sea's own words: another
    // service's JSON with a `message` is not taken for it.
    let body = if status == StatusCode::NOT_FOUND {
        ErrorBody::parse_exact(&answer.body).ok_or(())
    } else {
        serde_json::from_slice::<ErrorBody>(&answer.body).map_err(drop)
    };
    match body {
        Ok(body) if unknown_if_changing => RequestError::unknown(
            op,
            Some(code),
            None,
            format!(
                "the server answered {code} ({}); the change may have been made",
                body.message
            ),
            None,
        ),
        Ok(body) => RequestError::Rejected {
            status: code,
            message: body.message,
            errors: body.errors.unwrap_or_default(),
        },
        Err(_) => {
            let text = String::from_utf8_lossy(&answer.body);
            // stream-sea never answers with a page: a 404, or a refusal
            // written as a page, came from something else (a wrong host,
            // port or path, or a proxy).
            let page_refusal = status.is_client_error() && is_markup(&text, &answer.content_type);
            if status == StatusCode::NOT_FOUND || page_refusal {
                return RequestError::NotStreamSea {
                    url: url.to_string(),
                    status: code,
                    found: foreign(&text, &answer.content_type),
                };
            }
            let message = foreign_message(status, &text, &answer.content_type);
            if unknown_if_changing {
                RequestError::unknown(
                    op,
                    Some(code),
                    None,
                    format!(
                        "the server (or a proxy before it) answered {code} ({message}); the change may have been made"
                    ),
                    None,
                )
            } else {
                RequestError::Rejected {
                    status: code,
                    message,
                    errors: Vec::new(),
                }
            }
        }
    }
}

/// Sorts a failure to get an answer into "not sent" and "outcome unknown".
fn classify(op: Operation, url: &str, e: reqwest::Error) -> RequestError {
    let reason = error_chain(&e);
    let cause = network_cause(&e);
    let not_sent = e.is_connect() || e.is_builder();
    let source: crate::error::Source = Arc::new(e);
    if not_sent {
        // No connection, so no byte of the request left the process.
        RequestError::NotSent(NotSent::Connect {
            url: url.to_string(),
            cause,
            reason,
            source: Some(source),
        })
    } else {
        RequestError::unknown(op, None, Some(cause), reason, Some(source))
    }
}

/// The kind of a network failure, from the error and its sources.
fn network_cause(e: &reqwest::Error) -> NetworkCause {
    if e.is_timeout() {
        return NetworkCause::Timeout;
    }
    cause_in_chain(e)
}

/// The kind of a network failure, found in an error's source chain: an I/O
/// error's kind, a TLS error (by its variant: a refused certificate, a
/// corrupt record from a peer that does not speak TLS, anything else), a
/// [`ResolveError`]. An I/O error that wraps another error is looked into as
/// well (its `source()` skips the wrapped error itself).
pub(crate) fn cause_in_chain(e: &(dyn std::error::Error + 'static)) -> NetworkCause {
    let mut pending: Vec<&(dyn std::error::Error + 'static)> = vec![e];
    let mut seen = 0;
    while let Some(err) = pending.pop() {
        seen += 1;
        if seen > 32 {
            break;
        }
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return tls_cause(tls);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return NetworkCause::ConnectionRefused,
                std::io::ErrorKind::TimedOut => return NetworkCause::Timeout,
                _ => {}
            }
            if let Some(inner) = io.get_ref() {
                pending.push(inner);
                continue;
            }
        }
        // The client resolves names itself, on both paths: a failed
        // resolution is its own error type.
        if err.is::<ResolveError>() {
            return NetworkCause::Dns;
        }
        if let Some(next) = err.source() {
            pending.push(next);
        }
    }
    NetworkCause::Other
}

/// The kind of a TLS failure, from the rustls error's variant.
fn tls_cause(e: &rustls::Error) -> NetworkCause {
    match e {
        rustls::Error::InvalidCertificate(_) => NetworkCause::Certificate,
        // The first bytes back are not a TLS record: a plain HTTP answer
        // reads as an unknown content type or an impossible length.
        rustls::Error::InvalidMessage(_) => NetworkCause::NotTls,
        _ => NetworkCause::Tls,
    }
}

/// An error with its sources: reqwest's own message says little.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    let mut depth = 0;
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        depth += 1;
        if depth >= 8 {
            break;
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt;

    /// An error with a fixed message and an optional source.
    #[derive(Debug)]
    struct Layer(
        &'static str,
        Option<Box<dyn std::error::Error + Send + Sync>>,
    );

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn network_causes_are_found_in_the_chain() {
        // A failed resolution is recognised by its type alone (the HTTP
        // connector's own wording for it is not looked at).
        let dns = Layer(
            "client error (Connect)",
            Some(Box::new(Layer("dns error", None))),
        );
        assert_eq!(cause_in_chain(&dns), NetworkCause::Other);

        let refused = Layer(
            "client error (Connect)",
            Some(Box::new(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))),
        );
        assert_eq!(cause_in_chain(&refused), NetworkCause::ConnectionRefused);

        let tls = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        let tls = std::io::Error::other(tls);
        let tls = Layer("client error (Connect)", Some(Box::new(tls)));
        assert_eq!(cause_in_chain(&tls), NetworkCause::Certificate);
        let plain = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
        );
        assert_eq!(cause_in_chain(&plain), NetworkCause::NotTls);
        let alert = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
        );
        assert_eq!(cause_in_chain(&alert), NetworkCause::Tls);
        for cause in [
            NetworkCause::Tls,
            NetworkCause::Certificate,
            NetworkCause::NotTls,
        ] {
            assert!(cause.is_tls(), "{cause:?}");
        }
        assert!(!NetworkCause::Other.is_tls());

        let other = Layer("connection reset", None);
        assert_eq!(cause_in_chain(&other), NetworkCause::Other);
    }

    #[test]
    fn a_client_that_cannot_be_built_keeps_the_http_library_error() {
        // reqwest refuses a preconfigured TLS value that is not a rustls
        // configuration.
        let e = reqwest::Client::builder()
            .use_preconfigured_tls(0u8)
            .build()
            .unwrap_err();
        let text = e.to_string();
        let e = build_error(e);
        assert!(matches!(e, BuildError::Http { .. }), "{e:?}");
        assert!(e.to_string().starts_with("HTTP client: "), "{e}");
        assert!(e.to_string().contains(&text), "{e}");
        let source = std::error::Error::source(&e).expect("a source");
        assert_eq!(
            source
                .downcast_ref::<reqwest::Error>()
                .map(|r| r.is_builder()),
            Some(true)
        );
    }

    fn answer(status: u16, body: &str, content_type: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            content_type: content_type.into(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn answers_are_classified_by_body_status_and_retry_class() {
        let state_not_written =
            r#"{"message": "The change was made but the state file could not be written"}"#;
        let e = answer_error(
            Operation::Publish,
            "u",
            &answer(500, state_not_written, "application/json"),
        );
        assert!(e.is_outcome_unknown() && !e.is_retry_safe(), "{e:?}");
        assert_eq!(e.status(), Some(500));
        let e = answer_error(
            Operation::Publish,
            "u",
            &answer(502, "<html>Bad Gateway</html>", "text/html"),
        );
        assert!(e.is_outcome_unknown() && !e.is_retry_safe(), "{e:?}");
        // A page's markup never reaches the message; a proxy's plain text does.
        assert!(
            e.to_string().contains(
                "502 (Bad Gateway, with a text/html page that is not stream-sea's error body)"
            ),
            "{e}"
        );
        assert!(!e.to_string().contains("<html>"), "{e}");
        let e = answer_error(
            Operation::DescribeStream,
            "u",
            &answer(503, "<!DOCTYPE html><title>Down</title>", ""),
        );
        assert!(e.is_rejected() && e.is_transient(), "{e:?}");
        assert!(
            e.to_string()
                .contains("Service Unavailable, with a markup page"),
            "{e}"
        );
        assert!(!e.to_string().contains("DOCTYPE"), "{e}");
        // A refusal written as a page is not stream-sea's.
        let e = answer_error(
            Operation::Publish,
            "u",
            &answer(405, "<html>Method Not Allowed</html>", "text/html"),
        );
        assert!(e.is_not_stream_sea(), "{e:?}");
        let e = answer_error(
            Operation::Publish,
            "u",
            &answer(502, "upstream connect error", "text/plain; charset=utf-8"),
        );
        assert!(e.to_string().contains("(upstream connect error)"), "{e}");
        let e = answer_error(Operation::DeleteJail, "u", &answer(504, "", ""));
        assert!(e.is_outcome_unknown() && e.is_retry_safe(), "{e:?}");
        let e = answer_error(
            Operation::DescribeStream,
            "u",
            &answer(503, "busy", "text/plain"),
        );
        assert!(e.is_rejected() && e.is_transient(), "{e:?}");

        let no_schema = r#"{"message": "No schema is defined for the stream [s]"}"#;
        let e = answer_error(
            Operation::DescribeStream,
            "u",
            &answer(404, no_schema, "application/json"),
        );
        assert!(
            matches!(e, RequestError::Rejected { status: 404, .. }),
            "{e:?}"
        );
        let e = answer_error(
            Operation::DescribeStream,
            "u",
            &answer(404, "<h1>Not Found</h1>", "text/html"),
        );
        assert!(e.is_not_stream_sea(), "{e:?}");
        assert!(e.to_string().contains("does not speak stream-sea"), "{e}");
        for foreign in [
            r#"{"error": "nope"}"#,
            // Another framework's 404, with a `message` of its own.
            r#"{"statusCode": 404, "message": "Cannot GET /api/v1/streams/s/schema", "error": "Not Found"}"#,
            r#"{"message": "Not Found", "documentation_url": "https://docs.example"}"#,
        ] {
            let e = answer_error(
                Operation::DescribeStream,
                "u",
                &answer(404, foreign, "application/json"),
            );
            assert!(e.is_not_stream_sea(), "{foreign}: {e:?}");
        }

        let e = answer_error(
            Operation::Publish,
            "u",
            &answer(401, r#"{"message": "no"}"#, "application/json"),
        );
        assert!(
            e.is_authentication() && e.is_rejected() && e.is_retry_safe(),
            "{e:?}"
        );
    }
}
