//! Request and response bodies of the HTTP API (PROTOCOL.md section 2).
//!
//! Field names are the wire's camelCase. Bodies that carry a secret print it
//! as `***` in their `Debug` output.
//!
//! ```
//! use streamsea_protocol::http::{ErrorBody, VersionsVectorResponse};
//! use streamsea_schema::Version;
//!
//! let body: VersionsVectorResponse = serde_json::from_str(r#"{"versionsVector": [2, null]}"#).unwrap();
//! assert_eq!(body.versions_vector, [Some(Version(2)), None]);
//!
//! let err = ErrorBody::new("The credentials are present and well formed but invalid.");
//! assert_eq!(
//!     serde_json::to_string(&err).unwrap(),
//!     r#"{"message":"The credentials are present and well formed but invalid."}"#
//! );
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use streamsea_schema::{ValidationError, Version};

/// The body of a publish: one message (an object) or a batch (an array of objects).
///
/// A server reads it with the payload as a `Value`; a client writes it with
/// the payload as whatever it holds (`PublishRequest<&T>`), serialized once
/// into the bytes it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishRequest<P = Value> {
    /// The message or the batch.
    pub payload: P,
}

impl<P: Serialize> PublishRequest<P> {
    /// Serializes the request once into the bytes to send, and says where the
    /// payload lies in them (to check it without serializing it again). The
    /// bytes are those `serde_json::to_vec` writes.
    ///
    /// ```
    /// use streamsea_protocol::http::PublishRequest;
    /// let (bytes, at) = PublishRequest { payload: [1, 2] }.to_json_bytes().unwrap();
    /// assert_eq!(bytes, br#"{"payload":[1,2]}"#);
    /// assert_eq!(&bytes[at], b"[1,2]");
    /// ```
    pub fn to_json_bytes(&self) -> serde_json::Result<(Vec<u8>, std::ops::Range<usize>)> {
        const PREFIX: &[u8] = b"{\"payload\":";
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(PREFIX);
        serde_json::to_writer(&mut out, &self.payload)?;
        let end = out.len();
        out.push(b'}');
        Ok((out, PREFIX.len()..end))
    }
}

/// The body of a define: a schema definition (PROTOCOL.md section 3).
pub type DefineRequest = streamsea_schema::SchemaDefinition;

/// The body of a describe's answer: a schema definition with its name.
pub type DescribeResponse = streamsea_schema::SchemaDefinition;

/// The body of a schema versions vector request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionsVectorRequest {
    /// The schema (stream) names, in the order the answer follows.
    pub schema_names: Vec<String>,
}

/// The answer to a schema versions vector request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionsVectorResponse {
    /// The current version of each requested schema, `None` where it has none.
    pub versions_vector: Vec<Option<Version>>,
}

/// The body of a create client request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateClientRequest {
    /// The new client's id.
    pub client_id: String,
    /// A free text description.
    #[serde(default)]
    pub description: String,
}

/// The answer to a create client request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateClientResponse {
    /// The new client's id.
    pub client_id: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// The generated secret.
    pub secret: String,
}

impl fmt::Debug for CreateClientResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateClientResponse")
            .field("client_id", &self.client_id)
            .field("description", &self.description)
            .field("secret", &"***")
            .finish()
    }
}

/// The answer to a rotate own secret request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotateSecretResponse {
    /// The caller's id.
    #[serde(default)]
    pub client_id: String,
    /// The new secret.
    pub secret: String,
}

impl fmt::Debug for RotateSecretResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotateSecretResponse")
            .field("client_id", &self.client_id)
            .field("secret", &"***")
            .finish()
    }
}

/// The body of a rotate JWT public key request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtPublicKeyRequest {
    /// The RSA public key in PEM form, or `None` to remove the key.
    pub jwt_public_key: Option<String>,
}

/// The body of a create jail request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateJailRequest {
    /// The new jail's id.
    pub new_jail_id: String,
    /// The new jail's name.
    pub new_jail_name: String,
    /// The id of the first client of the new jail.
    pub new_client_id: String,
}

/// The answer to a create jail request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateJailResponse {
    /// The new jail's id.
    pub new_jail_id: String,
    /// The id of its first client.
    pub new_client_id: String,
    /// That client's generated secret.
    pub new_client_secret: String,
}

impl fmt::Debug for CreateJailResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateJailResponse")
            .field("new_jail_id", &self.new_jail_id)
            .field("new_client_id", &self.new_client_id)
            .field("new_client_secret", &"***")
            .finish()
    }
}

/// The body of a successful call that has nothing to return (publish, define,
/// delete client, rotate JWT public key, delete jail): an empty object `{}`
/// (our choice; PROTOCOL.md names none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Empty {}

/// The body of every error answer: `{"message": "...", "errors": [...]}`,
/// where `errors` is present for payload validation failures only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub message: String,
    /// One entry per problem found in a published payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ValidationError>>,
}

/// [`ErrorBody`] read strictly: no other member allowed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExactErrorBody {
    message: String,
    #[serde(default)]
    errors: Option<Vec<ValidationError>>,
}

impl ErrorBody {
    /// `bytes` read as exactly stream-sea's error body: an object with a
    /// string `message`, an optional `errors` list, and nothing else. Another
    /// service's error JSON that happens to have a `message` (with a
    /// `statusCode`, an `error`, a `path`, ...) is not one.
    ///
    /// ```
    /// use streamsea_protocol::http::ErrorBody;
    /// assert!(ErrorBody::parse_exact(br#"{"message": "No schema"}"#).is_some());
    /// assert!(ErrorBody::parse_exact(br#"{"statusCode": 404, "message": "Cannot GET /x"}"#).is_none());
    /// ```
    pub fn parse_exact(bytes: &[u8]) -> Option<ErrorBody> {
        let exact: ExactErrorBody = serde_json::from_slice(bytes).ok()?;
        Some(ErrorBody {
            message: exact.message,
            errors: exact.errors,
        })
    }

    /// An error body with a message only.
    pub fn new(message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            message: message.into(),
            errors: None,
        }
    }

    /// An error body with a message and the validation errors.
    pub fn with_errors(message: impl Into<String>, errors: Vec<ValidationError>) -> ErrorBody {
        ErrorBody {
            message: message.into(),
            errors: Some(errors),
        }
    }
}

/// The messages PROTOCOL.md quotes from a real server, and ours for the rest.
pub mod messages {
    /// 401: wrong client id or secret (the real server's wording).
    pub const INVALID_CREDENTIALS: &str =
        "The credentials are present and well formed but invalid.";
    /// 401: no `Authorization` header, or one that is not a well-formed Basic credential.
    pub const MISSING_CREDENTIALS: &str =
        "The credentials are missing or malformed: expected `Authorization: Basic base64(clientId:clientSecret)`.";

    /// 400: a define with a version lower than the stored one (the real server's wording).
    pub fn older_version(stream: &str, pushed: &str, stored: &str) -> String {
        format!(
            "The version pushed for the schema [{stream}] is [{pushed}] but there is already an older version defined [{stored}]"
        )
    }

    /// 409: a define of an existing version with different fields.
    pub fn version_conflict(stream: &str, version: &str) -> String {
        format!(
            "The schema [{stream}] already has version [{version}] defined with different fields; define a higher version to change it"
        )
    }

    /// 404: a describe or publish of a stream without a schema.
    pub fn no_schema(stream: &str) -> String {
        format!("No schema is defined for the stream [{stream}]")
    }

    /// 400: a publish whose payload does not match the schema.
    pub fn invalid_payload(stream: &str) -> String {
        format!("The payload is not valid against the schema of the stream [{stream}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_names() {
        let req = CreateJailRequest {
            new_jail_id: "j".into(),
            new_jail_name: "J".into(),
            new_client_id: "c".into(),
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"newJailId": "j", "newJailName": "J", "newClientId": "c"})
        );
        let key: JwtPublicKeyRequest =
            serde_json::from_value(json!({"jwtPublicKey": null})).unwrap();
        assert_eq!(key.jwt_public_key, None);
        let v: VersionsVectorRequest =
            serde_json::from_value(json!({"schemaNames": ["a", "b"]})).unwrap();
        assert_eq!(v.schema_names, ["a", "b"]);
    }

    #[test]
    fn publish_bytes_are_serdes() {
        let req = PublishRequest {
            payload: json!([{"a": "x\"y", "b": 1.5}]),
        };
        let (bytes, at) = req.to_json_bytes().unwrap();
        assert_eq!(bytes, serde_json::to_vec(&req).unwrap());
        assert_eq!(&bytes[at], serde_json::to_vec(&req.payload).unwrap());
    }

    #[test]
    fn secrets_do_not_print() {
        let r = CreateJailResponse {
            new_jail_id: "j".into(),
            new_client_id: "c".into(),
            new_client_secret: "hunter2".into(),
        };
        assert!(!format!("{r:?}").contains("hunter2"));
        let r = RotateSecretResponse {
            client_id: "c".into(),
            secret: "hunter2".into(),
        };
        assert!(!format!("{r:?}").contains("hunter2"));
    }

    #[test]
    fn error_body_with_errors() {
        let body = ErrorBody::with_errors(
            "bad",
            vec![ValidationError {
                path: "a".into(),
                expected: "string".into(),
                found: "number 1".into(),
            }],
        );
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"message": "bad", "errors": [{"path": "a", "expected": "string", "found": "number 1"}]})
        );
    }
}
