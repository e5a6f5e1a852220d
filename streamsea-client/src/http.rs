//! The HTTP transport: one pooled `reqwest` client, Basic authentication,
//! gzip request bodies above a threshold, error classification, and retries
//! of reads after transient failures.

use std::io::Write as _;
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use streamsea_protocol::http::ErrorBody;
use streamsea_protocol::ws::Credentials;

use crate::config::Settings;
use crate::error::{cut, BuildError, NotSent, RequestError};

/// Longest piece of a non-JSON error answer kept in a message.
const MAX_ERROR_TEXT: usize = 512;
/// Largest answer body read (a schema or a versions vector is far smaller).
const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The wait before the first retry of a read; doubles each time.
const RETRY_DELAY: Duration = Duration::from_millis(100);

/// Whether a failed call may be sent again on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// A read: retried after transient failures.
    Read,
    /// A write: never retried.
    Never,
}

/// One operation: its name (for messages), method, path below the API base,
/// and retry rule.
pub(crate) struct Op<'a> {
    pub(crate) name: &'static str,
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) retry: Retry,
}

/// The HTTP side of a client.
pub(crate) struct Http {
    client: reqwest::Client,
    base: String,
    auth: Option<(String, String)>,
    gzip_threshold: usize,
    read_retries: u32,
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
            .gzip(true)
            .user_agent(concat!("streamsea-client/", env!("CARGO_PKG_VERSION")));
        if let Some(tls) = &settings.tls {
            builder = builder.use_preconfigured_tls((**tls).clone());
        }
        let client = builder
            .build()
            .map_err(|e| BuildError::Http(e.to_string()))?;
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

    /// The body, serialized and compressed when above the threshold.
    fn encode<B: Serialize + ?Sized>(&self, body: &B) -> Result<(Vec<u8>, bool), NotSent> {
        let json = serde_json::to_vec(body).map_err(|e| NotSent::Encode(e.to_string()))?;
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
        op: &Op<'_>,
        body: Option<&B>,
    ) -> Result<R, RequestError> {
        let bytes = self.call_raw(op, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| RequestError::Unknown {
            operation: op.name,
            reason: format!(
                "the answer is not the expected JSON ({e}): {}",
                cut(&String::from_utf8_lossy(&bytes), MAX_ERROR_TEXT)
            ),
        })
    }

    /// Sends `op` and returns the answer's body, retrying reads.
    pub(crate) async fn call_raw<B: Serialize + ?Sized>(
        &self,
        op: &Op<'_>,
        body: Option<&B>,
    ) -> Result<Vec<u8>, RequestError> {
        let Some((id, secret)) = &self.auth else {
            return Err(NotSent::Argument(format!(
                "{}: HTTP operations need basic credentials (client id and secret); a JWT only opens subscriptions",
                op.name
            ))
            .into());
        };
        let encoded = match body {
            Some(b) => Some(self.encode(b)?),
            None => None,
        };
        let url = format!("{}{}", self.base, op.path);
        let retries = match op.retry {
            Retry::Read => self.read_retries,
            Retry::Never => 0,
        };
        let mut attempt = 0;
        loop {
            let mut req = self
                .client
                .request(op.method.clone(), &url)
                .basic_auth(id, Some(secret))
                .header(ACCEPT, HeaderValue::from_static("application/json"));
            if let Some((bytes, gzip)) = &encoded {
                req = req
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(bytes.clone());
                if *gzip {
                    req = req.header(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                }
            }
            let result = self.send(op.name, &url, req).await;
            match result {
                Err(e) if attempt < retries && e.is_transient() => {
                    let delay = RETRY_DELAY * 2u32.saturating_pow(attempt);
                    tracing::debug!(operation = op.name, attempt, error = %e, "retrying a read");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn send(
        &self,
        operation: &'static str,
        url: &str,
        req: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, RequestError> {
        let resp = req.send().await.map_err(|e| classify(operation, url, &e))?;
        let status = resp.status();
        let bytes = read_body(operation, resp).await?;
        if status.is_success() {
            return Ok(bytes);
        }
        Err(rejection(status, &bytes))
    }
}

async fn read_body(
    operation: &'static str,
    mut resp: reqwest::Response,
) -> Result<Vec<u8>, RequestError> {
    let mut out = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(RequestError::Unknown {
                        operation,
                        reason: format!("the answer is larger than {MAX_RESPONSE_BYTES} bytes"),
                    });
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => {
                return Err(RequestError::Unknown {
                    operation,
                    reason: format!("the answer could not be read: {}", error_chain(&e)),
                })
            }
        }
    }
}

/// The error of a non-2xx answer, from the error body when there is one.
fn rejection(status: StatusCode, bytes: &[u8]) -> RequestError {
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(body) => RequestError::Rejected {
            status: status.as_u16(),
            message: body.message,
            errors: body.errors.unwrap_or_default(),
        },
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            let message = if text.trim().is_empty() {
                status
                    .canonical_reason()
                    .unwrap_or("no message")
                    .to_string()
            } else {
                cut(text.trim(), MAX_ERROR_TEXT)
            };
            RequestError::Rejected {
                status: status.as_u16(),
                message,
                errors: Vec::new(),
            }
        }
    }
}

/// Sorts a failure to get an answer into "not sent" and "outcome unknown".
fn classify(operation: &'static str, url: &str, e: &reqwest::Error) -> RequestError {
    let reason = error_chain(e);
    if e.is_connect() || e.is_builder() {
        // No connection, so no byte of the request left the process.
        RequestError::NotSent(NotSent::Connect {
            url: url.to_string(),
            reason,
        })
    } else {
        RequestError::Unknown { operation, reason }
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
