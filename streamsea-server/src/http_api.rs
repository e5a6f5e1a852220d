//! The HTTP API (PROTOCOL.md section 2): authentication, bodies, and one handler per
//! operation.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde_json::Value;
use streamsea_protocol::http::{
    messages, CreateClientRequest, CreateClientResponse, CreateJailRequest, CreateJailResponse,
    DefineRequest, Empty, ErrorBody, JwtPublicKeyRequest, PublishRequest, RotateSecretResponse,
    VersionsVectorRequest, VersionsVectorResponse,
};
use streamsea_schema::check_stream_name;

use crate::error::ApiError;
use crate::server::AppState;
use crate::store::{Caller, DefineOutcome};

/// The caller of an HTTP operation, from `Authorization: Basic ...`.
pub(crate) struct Authenticated(pub(crate) Caller);

/// Reads `Authorization: Basic base64(id:secret)`.
pub(crate) fn basic_credentials(parts: &Parts) -> Option<(String, String)> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

impl FromRequestParts<Arc<AppState>> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some((id, secret)) = basic_credentials(parts) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                messages::MISSING_CREDENTIALS,
            ));
        };
        match state.store().authenticate(&id, &secret) {
            Some(caller) => Ok(Authenticated(caller)),
            None => {
                // The id is the caller's unchecked text: quoted, so it cannot forge log lines.
                tracing::info!(client_id = ?id, "HTTP authentication failed");
                Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    messages::INVALID_CREDENTIALS,
                ))
            }
        }
    }
}

/// A JSON request body of type `T`; plain or gzip (decompressed by the
/// router's layer), at most the configured size.
pub(crate) struct Body<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            let status = r.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    status,
                    format!(
                        "The request body is larger than the limit of {} bytes",
                        state.config.limits.max_body_bytes
                    ),
                )
            } else {
                ApiError::new(
                    status,
                    format!("The request body could not be read: {}", r.body_text()),
                )
            }
        })?;
        match serde_json::from_slice::<T>(&bytes) {
            Ok(v) => Ok(Body(v)),
            Err(e) if e.classify() == serde_json::error::Category::Data => {
                Err(ApiError::bad_request(format!(
                    "The request body is not of the expected shape: {e}"
                )))
            }
            Err(e) => Err(ApiError::bad_request(format!(
                "The request body is not valid JSON: {e}"
            ))),
        }
    }
}

fn stream_name(stream: &str) -> Result<(), ApiError> {
    check_stream_name(stream).map_err(|e| ApiError::bad_request(e.to_string()))
}

fn ok<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// `POST /streams/{stream}/publish`
pub(crate) async fn publish(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(stream): Path<String>,
    Body(body): Body<PublishRequest>,
) -> Result<Response, ApiError> {
    stream_name(&stream)?;
    let validator = state
        .store()
        .validator(&caller.jail_id, &stream)
        .ok_or_else(|| ApiError::not_found(messages::no_schema(&stream)))?;
    if let Err(errors) = validator.validate_payload(&body.payload) {
        let mut message = messages::invalid_payload(&stream);
        if errors.truncated {
            message.push_str(&format!(" (the first {} errors)", errors.errors.len()));
        }
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody::with_errors(message, errors.errors),
        });
    }
    let messages = match body.payload {
        Value::Array(batch) => batch,
        one => vec![one],
    };
    let queued = state.hub.publish(&caller.jail_id, &stream, &messages);
    tracing::debug!(client_id = %caller.client_id, %stream, messages = messages.len(), queued, "published");
    Ok(ok(Empty {}))
}

/// `POST /streams/{stream}/define`
pub(crate) async fn define(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(stream): Path<String>,
    Body(def): Body<DefineRequest>,
) -> Result<Response, ApiError> {
    stream_name(&stream)?;
    let version = def.version;
    let outcome = state.store().define(&caller.jail_id, &stream, def)?;
    if outcome == DefineOutcome::Stored {
        tracing::info!(client_id = %caller.client_id, %stream, %version, "schema defined");
        state.persist().await?;
    }
    Ok(ok(Empty {}))
}

/// `GET /streams/{stream}/schema`
pub(crate) async fn describe(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(stream): Path<String>,
) -> Result<Response, ApiError> {
    stream_name(&stream)?;
    let def = state
        .store()
        .schema(&caller.jail_id, &stream)
        .ok_or_else(|| ApiError::not_found(messages::no_schema(&stream)))?;
    Ok(ok(def))
}

/// `POST /schema-versions-vector`
pub(crate) async fn versions_vector(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Body(req): Body<VersionsVectorRequest>,
) -> Result<Response, ApiError> {
    let versions_vector = state.store().versions(&caller.jail_id, &req.schema_names);
    Ok(ok(VersionsVectorResponse { versions_vector }))
}

/// `POST /client`
pub(crate) async fn create_client(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Body(req): Body<CreateClientRequest>,
) -> Result<Response, ApiError> {
    let secret = state
        .store()
        .create_client(&caller, &req.client_id, &req.description)?;
    tracing::info!(by = %caller.client_id, client_id = %req.client_id, jail_id = %caller.jail_id, "client created");
    state.persist().await?;
    Ok(ok(CreateClientResponse {
        client_id: req.client_id,
        description: req.description,
        secret,
    }))
}

/// `DELETE /client/{targetClientId}`
pub(crate) async fn delete_client(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(target): Path<String>,
) -> Result<Response, ApiError> {
    state.store().delete_client(&caller, &target)?;
    state.hub.close_client(&caller.jail_id, &target);
    tracing::info!(by = %caller.client_id, client_id = %target, "client deleted");
    state.persist().await?;
    Ok(ok(Empty {}))
}

/// `PUT /client/{clientId}`: rotate the caller's own secret.
pub(crate) async fn rotate_secret(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(target): Path<String>,
) -> Result<Response, ApiError> {
    let secret = state.store().rotate_secret(&caller, &target)?;
    tracing::info!(client_id = %caller.client_id, "secret rotated");
    state.persist().await?;
    Ok(ok(RotateSecretResponse {
        client_id: caller.client_id,
        secret,
    }))
}

/// `PUT /client/{clientId}/jwt-public-key`
pub(crate) async fn jwt_public_key(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(target): Path<String>,
    Body(req): Body<JwtPublicKeyRequest>,
) -> Result<Response, ApiError> {
    let set = req.jwt_public_key.is_some();
    state
        .store()
        .set_jwt_key(&caller, &target, req.jwt_public_key)?;
    tracing::info!(client_id = %caller.client_id, set, "JWT public key changed");
    state.persist().await?;
    Ok(ok(Empty {}))
}

/// `POST /jails`
pub(crate) async fn create_jail(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Body(req): Body<CreateJailRequest>,
) -> Result<Response, ApiError> {
    let secret = state.store().create_jail(
        &caller,
        &req.new_jail_id,
        &req.new_jail_name,
        &req.new_client_id,
    )?;
    tracing::info!(by = %caller.client_id, jail_id = %req.new_jail_id, client_id = %req.new_client_id, "jail created");
    state.persist().await?;
    Ok(ok(CreateJailResponse {
        new_jail_id: req.new_jail_id,
        new_client_id: req.new_client_id,
        new_client_secret: secret,
    }))
}

/// `DELETE /jails/{jailId}`
pub(crate) async fn delete_jail(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(jail_id): Path<String>,
) -> Result<Response, ApiError> {
    state.store().delete_jail(&caller, &jail_id)?;
    state.hub.close_jail(&jail_id);
    tracing::info!(by = %caller.client_id, %jail_id, "jail deleted");
    state.persist().await?;
    Ok(ok(Empty {}))
}

/// Any other path.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("No such operation")
}

/// A known path with another method.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "This operation does not accept this method",
    )
}

/// Turns the error answers of layers (for example 415 for a content
/// encoding other than gzip) into the JSON error body.
pub(crate) async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let message = match status {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                "Unsupported Content-Encoding: request bodies may be plain or gzip".to_string()
            }
            other => other
                .canonical_reason()
                .unwrap_or("Request failed")
                .to_string(),
        };
        return ApiError::new(status, message).into_response();
    }
    response
}
