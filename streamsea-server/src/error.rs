//! Errors: the HTTP error answer, and what can stop the server from starting.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use streamsea_protocol::http::ErrorBody;

/// The most bytes of a client's text (a name, an id, an action) an error
/// repeats.
pub(crate) const ECHO_MAX: usize = 64;
/// The most bytes of an error message, whatever it quotes.
pub(crate) const MESSAGE_MAX: usize = 512;

/// At most `max` bytes of `text` (cut at a character boundary), with `...`
/// when something was cut: the one way an error repeats what a client sent.
pub(crate) fn clip(text: &str, max: usize) -> Cow<'_, str> {
    streamsea_schema::rules::clip(text, max)
}

/// A client's text as an error repeats it: at most [`ECHO_MAX`] bytes.
pub(crate) fn echo(text: &str) -> Cow<'_, str> {
    clip(text, ECHO_MAX)
}

/// An HTTP error answer: a status and the error body `{"message", "errors"?}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) body: ErrorBody,
}

impl ApiError {
    /// An error with `message`, cut to [`MESSAGE_MAX`] bytes.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            status,
            body: ErrorBody::new(clip(&message, MESSAGE_MAX)),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub(crate) fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    pub(crate) fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_at_a_character_boundary() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc...");
        assert_eq!(clip("aé", 2), "a...");
        let long = "x".repeat(60_000);
        assert_eq!(echo(&long).len(), ECHO_MAX + 3);
        let e = ApiError::bad_request(long);
        assert_eq!(e.body.message.len(), MESSAGE_MAX + 3);
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The TLS certificate or key could not be read.
    #[error("TLS: {0}")]
    Tls(String),
    /// The state file could not be read or written.
    #[error("state file {path}: {message}")]
    State {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The bootstrap settings are not usable.
    #[error("configuration: {0}")]
    Config(String),
}
