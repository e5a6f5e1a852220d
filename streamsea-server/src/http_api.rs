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
use serde_json::value::RawValue;
use serde_json::Value;
use streamsea_protocol::http::{
    messages, CreateClientRequest, CreateClientResponse, CreateJailRequest, CreateJailResponse,
    DefineRequest, Empty, ErrorBody, JwtPublicKeyRequest, PublishRequest, RotateSecretResponse,
    VersionsVectorRequest, VersionsVectorResponse,
};
use streamsea_schema::{
    check_stream_name, Field, FieldType, SchemaDefinition, ValidationError, Validator, Version,
};

use crate::config::Limits;
use crate::error::{clip, ApiError};
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

/// Bodies up to this size are parsed and checked on the async worker; larger
/// ones on a blocking thread ([`AppState::blocking`]).
const INLINE_BYTES: usize = 16 * 1024;

/// Longest text of one validation error field (path, expected, found).
const ERROR_FIELD_MAX: usize = 256;

/// A JSON request body of type `T`; plain or gzip (decompressed by the
/// router's layer), at most the configured size; with its bytes (a shared
/// buffer, not a copy).
pub(crate) struct Body<T>(pub(crate) T, pub(crate) Bytes);

fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match serde_json::from_slice::<T>(bytes) {
        Ok(v) => Ok(v),
        Err(e) if e.classify() == serde_json::error::Category::Data => Err(ApiError::bad_request(
            format!("The request body is not of the expected shape: {e}"),
        )),
        Err(e) => Err(ApiError::bad_request(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

impl<T: DeserializeOwned + Send + 'static> FromRequest<Arc<AppState>> for Body<T> {
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
        let value = if bytes.len() <= INLINE_BYTES {
            parse_body(&bytes)?
        } else {
            let shared = bytes.clone();
            state.blocking(move || parse_body(&shared)).await??
        };
        Ok(Body(value, bytes))
    }
}

fn stream_name(stream: &str) -> Result<(), ApiError> {
    check_stream_name(stream).map_err(|e| ApiError::bad_request(e.to_string()))
}

fn ok<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// Validation errors with each text cut to a bounded length.
fn clipped(errors: Vec<ValidationError>) -> Vec<ValidationError> {
    errors
        .into_iter()
        .map(|e| ValidationError {
            path: clip(&e.path, ERROR_FIELD_MAX).into_owned(),
            expected: clip(&e.expected, ERROR_FIELD_MAX).into_owned(),
            found: clip(&e.found, ERROR_FIELD_MAX).into_owned(),
        })
        .collect()
}

/// Validates a publish and hands its messages to the hub; how many
/// deliveries were queued.
fn validate_and_deliver(
    state: &AppState,
    validator: &Validator,
    jail_id: &str,
    stream: &str,
    payload: Value,
) -> Result<usize, ApiError> {
    if let Err(errors) = validator.validate_payload(&payload) {
        let mut message = messages::invalid_payload(stream);
        if errors.truncated {
            message.push_str(&format!(" (the first {} errors)", errors.errors.len()));
        }
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody::with_errors(message, clipped(errors.errors)),
        });
    }
    let messages = match payload {
        Value::Array(batch) => batch,
        one => vec![one],
    };
    Ok(state.hub.publish(jail_id, stream, &messages))
}

/// `POST /streams/{stream}/publish`
pub(crate) async fn publish(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(stream): Path<String>,
    Body(body, bytes): Body<PublishRequest>,
) -> Result<Response, ApiError> {
    stream_name(&stream)?;
    let validator = state
        .store()
        .validator(&caller.jail_id, &stream)
        .ok_or_else(|| ApiError::not_found(messages::no_schema(&stream)))?;
    let count = match &body.payload {
        Value::Array(a) => a.len(),
        _ => 1,
    };
    let max = state.config.limits.max_batch_messages;
    if count > max {
        return Err(ApiError::too_large(format!(
            "The publish carries {count} messages; at most {max} are accepted in one call"
        )));
    }
    let queued = if bytes.len() <= INLINE_BYTES {
        validate_and_deliver(&state, &validator, &caller.jail_id, &stream, body.payload)?
    } else {
        let st = state.clone();
        let (jail, name) = (caller.jail_id.clone(), stream.clone());
        state
            .blocking(move || validate_and_deliver(&st, &validator, &jail, &name, body.payload))
            .await??
    };
    tracing::debug!(client_id = %caller.client_id, %stream, messages = count, queued, "published");
    Ok(ok(Empty {}))
}

/// How many fields `fields` holds at every depth, and how many enum values.
fn definition_size(fields: &[Field]) -> (usize, usize) {
    let (mut count, mut values) = (0usize, 0usize);
    let mut stack: Vec<&[Field]> = vec![fields];
    while let Some(list) = stack.pop() {
        count += list.len();
        for f in list {
            match &f.ty {
                FieldType::Enum(v) => values += v.len(),
                FieldType::Object(n) | FieldType::ObjectArray(n) => stack.push(n),
                _ => {}
            }
        }
    }
    (count, values)
}

/// How many fields `fields` holds at every depth.
fn field_count(fields: &[Field]) -> usize {
    definition_size(fields).0
}

/// Refuses a definition larger than the limits: its fields at every depth
/// and its enum values.
fn check_definition_size(def: &SchemaDefinition, limits: &Limits) -> Result<(), ApiError> {
    let (fields, values) = definition_size(&def.fields);
    if fields > limits.max_definition_fields {
        return Err(ApiError::bad_request(format!(
            "The definition has {fields} fields; at most {} are accepted",
            limits.max_definition_fields
        )));
    }
    if values > limits.max_enum_values {
        return Err(ApiError::bad_request(format!(
            "The definition has {values} enum values; at most {} are accepted",
            limits.max_enum_values
        )));
    }
    Ok(())
}

/// Refuses a definition whose `version` is not exactly an integer: the JSON
/// parser reads numbers as 64-bit floats, which round `1.0000000000000001`
/// to `1.0`, so the version's own text is read again, digit by digit.
fn exact_version(body: &[u8]) -> Result<(), ApiError> {
    #[derive(serde::Deserialize)]
    struct VersionText<'a> {
        #[serde(borrow)]
        version: Option<&'a RawValue>,
    }
    // The body already parsed as a definition: this second reading only
    // looks at one member.
    let Ok(VersionText {
        version: Some(text),
    }) = serde_json::from_slice::<VersionText<'_>>(body)
    else {
        return Ok(());
    };
    Version::from_json_text(text.get()).map(drop).map_err(|e| {
        ApiError::bad_request(format!(
            "The request body is not of the expected shape: {e}"
        ))
    })
}

/// Definitions with more fields than this are written out on a blocking
/// thread when described.
const INLINE_FIELDS: usize = 1_000;

/// `POST /streams/{stream}/define`
pub(crate) async fn define(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(stream): Path<String>,
    Body(def, bytes): Body<DefineRequest>,
) -> Result<Response, ApiError> {
    stream_name(&stream)?;
    exact_version(&bytes)?;
    check_definition_size(&def, &state.config.limits)?;
    let version = def.version;
    let (jail, name) = (caller.jail_id.clone(), stream.clone());
    let outcome = state
        .change(move |store| store.define(&jail, &name, def))
        .await?;
    if outcome == DefineOutcome::Stored {
        tracing::info!(client_id = %caller.client_id, %stream, %version, "schema defined");
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
    if field_count(&def.fields) <= INLINE_FIELDS {
        return Ok(ok(&*def));
    }
    // A definition near the field limit takes milliseconds to write out:
    // done where it cannot hold up the async workers.
    let body = state
        .blocking(move || serde_json::to_vec(&*def))
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "a definition could not be written out");
            ApiError::internal("The definition could not be written out")
        })?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// `POST /schema-versions-vector`
pub(crate) async fn versions_vector(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Body(req, _): Body<VersionsVectorRequest>,
) -> Result<Response, ApiError> {
    let versions_vector = state.store().versions(&caller.jail_id, &req.schema_names);
    Ok(ok(VersionsVectorResponse { versions_vector }))
}

/// `POST /client`
pub(crate) async fn create_client(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Body(req, _): Body<CreateClientRequest>,
) -> Result<Response, ApiError> {
    let (c, id, description) = (
        caller.clone(),
        req.client_id.clone(),
        req.description.clone(),
    );
    let secret = state
        .change(move |store| store.create_client(&c, &id, &description))
        .await?;
    tracing::info!(by = %caller.client_id, client_id = %req.client_id, jail_id = %caller.jail_id, "client created");
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
    let (c, t) = (caller.clone(), target.clone());
    state
        .change(move |store| store.delete_client(&c, &t))
        .await?;
    state.hub.close_client(&caller.jail_id, &target);
    tracing::info!(by = %caller.client_id, client_id = %target, "client deleted");
    Ok(ok(Empty {}))
}

/// `PUT /client/{clientId}`: rotate the caller's own secret.
pub(crate) async fn rotate_secret(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(target): Path<String>,
) -> Result<Response, ApiError> {
    let c = caller.clone();
    let secret = state
        .change(move |store| store.rotate_secret(&c, &target))
        .await?;
    tracing::info!(client_id = %caller.client_id, "secret rotated");
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
    Body(req, _): Body<JwtPublicKeyRequest>,
) -> Result<Response, ApiError> {
    let set = req.jwt_public_key.is_some();
    let c = caller.clone();
    state
        .change(move |store| store.set_jwt_key(&c, &target, req.jwt_public_key))
        .await?;
    tracing::info!(client_id = %caller.client_id, set, "JWT public key changed");
    Ok(ok(Empty {}))
}

/// `POST /jails`
pub(crate) async fn create_jail(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Body(req, _): Body<CreateJailRequest>,
) -> Result<Response, ApiError> {
    let c = caller.clone();
    let (jail, name, client) = (
        req.new_jail_id.clone(),
        req.new_jail_name.clone(),
        req.new_client_id.clone(),
    );
    let secret = state
        .change(move |store| store.create_jail(&c, &jail, &name, &client))
        .await?;
    tracing::info!(by = %caller.client_id, jail_id = %req.new_jail_id, client_id = %req.new_client_id, "jail created");
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
    let (c, j) = (caller.clone(), jail_id.clone());
    state.change(move |store| store.delete_jail(&c, &j)).await?;
    state.hub.close_jail(&jail_id);
    tracing::info!(by = %caller.client_id, %jail_id, "jail deleted");
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
