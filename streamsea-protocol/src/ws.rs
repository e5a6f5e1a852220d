//! WebSocket messages (PROTOCOL.md section 5), in both directions, with parsers that
//! say what is wrong with a malformed frame.
//!
//! ```
//! use streamsea_protocol::ws::{ClientMessage, ServerMessage};
//! use serde_json::json;
//!
//! let msg = ClientMessage::parse(r#"{"id": 2, "action": "subscribe", "payload": "boiler_data"}"#).unwrap();
//! assert_eq!(msg, ClientMessage::Subscribe { id: 2, stream: "boiler_data".into(), group_id: None });
//!
//! let reply = ServerMessage::Subscribed { id: 2, stream_name: "boiler_data".into() };
//! assert_eq!(
//!     serde_json::from_str::<serde_json::Value>(&reply.to_json()).unwrap(),
//!     json!({"id": 2, "action": "subscription", "success": true, "streamName": "boiler_data", "payload": 2})
//! );
//!
//! let err = ClientMessage::parse(r#"{"id": 3, "action": "subscribe", "payload": "x", "groupId": "g"}"#).unwrap_err();
//! assert_eq!(err.id, Some(3));
//! assert!(err.to_string().contains("groupId"));
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::ids::{check_group_id, IdError};

/// The action of an authentication request and its reply.
pub const AUTHENTICATE: &str = "authenticate";
/// The action of a subscription request.
pub const SUBSCRIBE: &str = "subscribe";
/// The action of subscription replies and deliveries (a client also accepts [`SUBSCRIBE`]).
pub const SUBSCRIPTION: &str = "subscription";
/// The error message of a failed authentication.
pub const INVALID_CREDENTIALS: &str = "Invalid credentials";

/// How a connection authenticates.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `{"type": "basic", "clientId", "clientSecret"}`
    Basic {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: String,
    },
    /// `{"type": "jwt", "clientId", "jwt"}`: a token issued by `client_id`.
    Jwt {
        /// The issuing client's id.
        client_id: String,
        /// The token, JWS compact form.
        jwt: String,
    },
}

impl Credentials {
    /// The client id the credentials name.
    pub fn client_id(&self) -> &str {
        match self {
            Credentials::Basic { client_id, .. } | Credentials::Jwt { client_id, .. } => client_id,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { client_id, .. } => f
                .debug_struct("Basic")
                .field("client_id", client_id)
                .field("client_secret", &"***")
                .finish(),
            Credentials::Jwt { client_id, .. } => f
                .debug_struct("Jwt")
                .field("client_id", client_id)
                .field("jwt", &"***")
                .finish(),
        }
    }
}

/// A message from client to server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientMessage {
    /// Message 1 of every connection, and only message 1.
    Authenticate {
        /// Message id.
        id: u64,
        /// The credentials.
        credentials: Credentials,
    },
    /// A subscription to a stream.
    Subscribe {
        /// Message id; replies and deliveries carry it.
        id: u64,
        /// The stream's name.
        stream: String,
        /// The subscription group (an RFC 4122 UUID), if any.
        group_id: Option<String>,
    },
}

/// Why a frame is not an acceptable message. `id` and `action` are filled in
/// when the frame had them, so that an error reply can carry them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    /// The frame's `id`, if it had a valid one.
    pub id: Option<u64>,
    /// The frame's `action`, if it had one.
    pub action: Option<String>,
    /// What is wrong.
    pub kind: FrameErrorKind,
}

/// What is wrong with a frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameErrorKind {
    /// The text is not JSON.
    #[error("the frame is not JSON: {0}")]
    NotJson(String),
    /// The JSON is not an object.
    #[error("the frame must be a JSON object, found {0}")]
    NotObject(String),
    /// No `id`.
    #[error("the message has no `id`")]
    MissingId,
    /// An `id` that is not a positive integer.
    #[error("`id` must be a positive integer, found {0}")]
    BadId(String),
    /// No `action`.
    #[error("the message has no `action`")]
    MissingAction,
    /// An `action` that is not a string.
    #[error("`action` must be a string, found {0}")]
    BadAction(String),
    /// An action this side does not know.
    #[error("unknown action {0:?}")]
    UnknownAction(String),
    /// A field of the message has the wrong shape.
    #[error("{0}")]
    BadField(String),
    /// A `groupId` that is not a UUID.
    #[error("{0}")]
    BadGroupId(IdError),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.id, &self.action) {
            (Some(id), Some(action)) => write!(f, "message {id} ({action}): {}", self.kind),
            (Some(id), None) => write!(f, "message {id}: {}", self.kind),
            _ => write!(f, "{}", self.kind),
        }
    }
}

impl std::error::Error for FrameError {}

fn describe(v: &Value) -> String {
    streamsea_schema::describe_value(v)
}

/// The envelope every message has: an object with a numeric `id` and a string
/// `action`.
fn envelope(text: &str) -> Result<(Map<String, Value>, u64, String), FrameError> {
    let fail = |id, action, kind| FrameError { id, action, kind };
    let value: Value = serde_json::from_str(text)
        .map_err(|e| fail(None, None, FrameErrorKind::NotJson(e.to_string())))?;
    let Value::Object(obj) = value else {
        return Err(fail(
            None,
            None,
            FrameErrorKind::NotObject(describe(&value)),
        ));
    };
    let id = match obj.get("id") {
        None => return Err(fail(None, None, FrameErrorKind::MissingId)),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(id) if id > 0 => id,
            _ => {
                return Err(fail(
                    None,
                    None,
                    FrameErrorKind::BadId(format!("number {n}")),
                ))
            }
        },
        Some(other) => return Err(fail(None, None, FrameErrorKind::BadId(describe(other)))),
    };
    let action = match obj.get("action") {
        None => return Err(fail(Some(id), None, FrameErrorKind::MissingAction)),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(fail(
                Some(id),
                None,
                FrameErrorKind::BadAction(describe(other)),
            ))
        }
    };
    Ok((obj, id, action))
}

fn get_str<'a>(obj: &'a Map<String, Value>, key: &str, within: &str) -> Result<&'a str, String> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!(
            "`{within}{key}` must be a string, found {}",
            describe(other)
        )),
        None => Err(format!("`{within}{key}` is missing")),
    }
}

impl ClientMessage {
    /// The message id.
    pub fn id(&self) -> u64 {
        match self {
            ClientMessage::Authenticate { id, .. } | ClientMessage::Subscribe { id, .. } => *id,
        }
    }

    /// The message's action.
    pub fn action(&self) -> &'static str {
        match self {
            ClientMessage::Authenticate { .. } => AUTHENTICATE,
            ClientMessage::Subscribe { .. } => SUBSCRIBE,
        }
    }

    /// Reads a client frame. The stream name of a subscription is checked
    /// with [`streamsea_schema::check_stream_name`] and its `groupId` with
    /// [`check_group_id`].
    pub fn parse(text: &str) -> Result<ClientMessage, FrameError> {
        let (obj, id, action) = envelope(text)?;
        let bad = |kind| FrameError {
            id: Some(id),
            action: Some(action.clone()),
            kind,
        };
        match action.as_str() {
            AUTHENTICATE => {
                let payload = match obj.get("payload") {
                    Some(Value::Object(p)) => p,
                    Some(other) => {
                        return Err(bad(FrameErrorKind::BadField(format!(
                            "`payload` must be an object, found {}",
                            describe(other)
                        ))))
                    }
                    None => {
                        return Err(bad(FrameErrorKind::BadField("`payload` is missing".into())))
                    }
                };
                let field = |key| {
                    get_str(payload, key, "payload.")
                        .map(str::to_string)
                        .map_err(|m| bad(FrameErrorKind::BadField(m)))
                };
                let credentials = match field("type")?.as_str() {
                    "basic" => Credentials::Basic {
                        client_id: field("clientId")?,
                        client_secret: field("clientSecret")?,
                    },
                    "jwt" => Credentials::Jwt {
                        client_id: field("clientId")?,
                        jwt: field("jwt")?,
                    },
                    other => {
                        return Err(bad(FrameErrorKind::BadField(format!(
                            "`payload.type` must be \"basic\" or \"jwt\", found {:?}",
                            streamsea_schema::rules::clip(other, 32)
                        ))))
                    }
                };
                Ok(ClientMessage::Authenticate { id, credentials })
            }
            SUBSCRIBE => {
                let stream = get_str(&obj, "payload", "")
                    .map_err(|m| bad(FrameErrorKind::BadField(m)))?
                    .to_string();
                streamsea_schema::check_stream_name(&stream)
                    .map_err(|e| bad(FrameErrorKind::BadField(format!("`payload`: {e}"))))?;
                let group_id = match obj.get("groupId") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(g)) => {
                        check_group_id(g).map_err(|e| bad(FrameErrorKind::BadGroupId(e)))?;
                        Some(g.clone())
                    }
                    Some(other) => {
                        return Err(bad(FrameErrorKind::BadField(format!(
                            "`groupId` must be a string, found {}",
                            describe(other)
                        ))))
                    }
                };
                Ok(ClientMessage::Subscribe {
                    id,
                    stream,
                    group_id,
                })
            }
            _ => Err(bad(FrameErrorKind::UnknownAction(
                streamsea_schema::rules::clip(&action, 64).into_owned(),
            ))),
        }
    }

    /// The message as a JSON text frame.
    pub fn to_json(&self) -> String {
        let value = match self {
            ClientMessage::Authenticate { id, credentials } => {
                let payload = match credentials {
                    Credentials::Basic {
                        client_id,
                        client_secret,
                    } => {
                        serde_json::json!({"type": "basic", "clientId": client_id, "clientSecret": client_secret})
                    }
                    Credentials::Jwt { client_id, jwt } => {
                        serde_json::json!({"type": "jwt", "clientId": client_id, "jwt": jwt})
                    }
                };
                serde_json::json!({"id": id, "action": AUTHENTICATE, "payload": payload})
            }
            ClientMessage::Subscribe {
                id,
                stream,
                group_id,
            } => {
                let mut v = serde_json::json!({"id": id, "action": SUBSCRIBE, "payload": stream});
                if let (Some(g), Value::Object(m)) = (group_id, &mut v) {
                    m.insert("groupId".into(), Value::String(g.clone()));
                }
                v
            }
        };
        value.to_string()
    }
}

/// A message from server to client.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerMessage {
    /// A successful authentication reply.
    Authenticated {
        /// The request's id.
        id: u64,
        /// The jail of the authenticated client.
        jail_id: String,
    },
    /// A successful subscription reply; its `payload` is the subscription's
    /// message id.
    Subscribed {
        /// The request's id.
        id: u64,
        /// The stream subscribed to.
        stream_name: String,
    },
    /// A message delivered to a subscription.
    Delivery {
        /// The subscription request's id.
        id: u64,
        /// The stream the message was published to.
        stream_name: String,
        /// The message.
        payload: Value,
    },
    /// A failed request: `{"id", "action", "success": false, "error": {"message"}}`.
    Error {
        /// The request's id.
        id: u64,
        /// The action of the reply (`authenticate`, `subscription`, or the
        /// request's own action).
        action: String,
        /// What went wrong.
        message: String,
    },
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Reply<'a, P: Serialize> {
    id: u64,
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorDetail<'a>>,
}

fn to_text<P: Serialize>(reply: &Reply<'_, P>) -> String {
    // Serializing these plain structs cannot fail; an empty object is the
    // unreachable fallback.
    serde_json::to_string(reply).unwrap_or_else(|_| "{}".to_string())
}

/// Writes a delivery frame around a payload already serialized once (the
/// server sends the same message to many subscriptions).
///
/// ```
/// use serde_json::value::RawValue;
/// let payload = RawValue::from_string(r#"{"t":1}"#.to_string()).unwrap();
/// assert_eq!(
///     streamsea_protocol::ws::encode_delivery(4, "s", &payload),
///     r#"{"id":4,"action":"subscription","streamName":"s","payload":{"t":1}}"#
/// );
/// ```
pub fn encode_delivery(id: u64, stream_name: &str, payload: &RawValue) -> String {
    to_text(&Reply {
        id,
        action: SUBSCRIPTION,
        success: None,
        stream_name: Some(stream_name),
        payload: Some(payload),
        error: None,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthPayload<'a> {
    jail_id: &'a str,
}

impl ServerMessage {
    /// The id of the request the message answers.
    pub fn id(&self) -> u64 {
        match self {
            ServerMessage::Authenticated { id, .. }
            | ServerMessage::Subscribed { id, .. }
            | ServerMessage::Delivery { id, .. }
            | ServerMessage::Error { id, .. } => *id,
        }
    }

    /// The message as a JSON text frame.
    pub fn to_json(&self) -> String {
        match self {
            ServerMessage::Authenticated { id, jail_id } => to_text(&Reply {
                id: *id,
                action: AUTHENTICATE,
                success: Some(true),
                stream_name: None,
                payload: Some(AuthPayload { jail_id }),
                error: None,
            }),
            ServerMessage::Subscribed { id, stream_name } => to_text(&Reply {
                id: *id,
                action: SUBSCRIPTION,
                success: Some(true),
                stream_name: Some(stream_name),
                payload: Some(*id),
                error: None,
            }),
            ServerMessage::Delivery {
                id,
                stream_name,
                payload,
            } => to_text(&Reply {
                id: *id,
                action: SUBSCRIPTION,
                success: None,
                stream_name: Some(stream_name),
                payload: Some(payload),
                error: None,
            }),
            ServerMessage::Error {
                id,
                action,
                message,
            } => to_text(&Reply::<()> {
                id: *id,
                action,
                success: Some(false),
                stream_name: None,
                payload: None,
                error: Some(ErrorDetail { message }),
            }),
        }
    }

    /// Reads a server frame. Subscription replies and deliveries are accepted
    /// with action `subscription` or `subscribe` (PROTOCOL.md section 5).
    pub fn parse(text: &str) -> Result<ServerMessage, FrameError> {
        let (mut obj, id, action) = envelope(text)?;
        let bad = |kind| FrameError {
            id: Some(id),
            action: Some(action.clone()),
            kind,
        };
        let field = |m: String| bad(FrameErrorKind::BadField(m));
        let success = match obj.get("success") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                return Err(field(format!(
                    "`success` must be a boolean, found {}",
                    describe(other)
                )))
            }
        };
        if success == Some(false) {
            let message = match obj.get("error") {
                Some(Value::Object(e)) => {
                    get_str(e, "message", "error.").map_err(field)?.to_string()
                }
                Some(other) => {
                    return Err(field(format!(
                        "`error` must be an object, found {}",
                        describe(other)
                    )))
                }
                None => String::new(),
            };
            return Ok(ServerMessage::Error {
                id,
                action,
                message,
            });
        }
        match action.as_str() {
            AUTHENTICATE => {
                if success != Some(true) {
                    return Err(field("an authentication reply needs `success`".into()));
                }
                let jail_id = match obj.get("payload") {
                    Some(Value::Object(p)) => {
                        get_str(p, "jailId", "payload.").map_err(field)?.to_string()
                    }
                    _ => String::new(),
                };
                Ok(ServerMessage::Authenticated { id, jail_id })
            }
            SUBSCRIPTION | SUBSCRIBE => {
                let stream_name = get_str(&obj, "streamName", "").map_err(field)?.to_string();
                if success == Some(true) {
                    Ok(ServerMessage::Subscribed { id, stream_name })
                } else {
                    let payload = obj.remove("payload").unwrap_or(Value::Null);
                    Ok(ServerMessage::Delivery {
                        id,
                        stream_name,
                        payload,
                    })
                }
            }
            _ => Err(bad(FrameErrorKind::UnknownAction(
                streamsea_schema::rules::clip(&action, 64).into_owned(),
            ))),
        }
    }
}

/// The head of a delivery frame written in the compact form
/// [`encode_delivery`] writes (`{"id":N,"action":"subscription","streamName":"S","payload":`),
/// read by comparing bytes, without looking at the payload.
///
/// This is the receive path's fast lane: the router needs only the id and
/// the stream name, and the subscriber reads the payload with
/// [`read_delivery_payload`], so the payload is scanned once, by the parse
/// that builds the value. A frame in any other form (other key order,
/// whitespace, escapes in the name, action `subscribe` included) gives
/// `None`: read it with [`ServerFrame::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryHead<'a> {
    /// The subscription request's id.
    pub id: u64,
    /// The stream the message was published to.
    pub stream_name: &'a str,
    /// Where the payload starts in the frame.
    pub payload_start: usize,
}

impl<'a> DeliveryHead<'a> {
    /// Reads the head of `text`, if it has the compact form.
    ///
    /// ```
    /// use streamsea_protocol::ws::DeliveryHead;
    /// let text = r#"{"id":12,"action":"subscription","streamName":"s","payload":{"t":1}}"#;
    /// let head = DeliveryHead::read(text).unwrap();
    /// assert_eq!((head.id, head.stream_name), (12, "s"));
    /// assert_eq!(&text[head.payload_start..], r#"{"t":1}}"#);
    /// assert!(DeliveryHead::read(r#"{"id": 12, "action": "subscription"}"#).is_none());
    /// ```
    pub fn read(text: &'a str) -> Option<DeliveryHead<'a>> {
        let rest = text.strip_prefix(r#"{"id":"#)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || (digits > 1 && rest.starts_with('0')) {
            return None;
        }
        let id: u64 = rest[..digits].parse().ok().filter(|id| *id > 0)?;
        let rest = &rest[digits..];
        let rest = rest
            .strip_prefix(r#","action":"subscription","streamName":""#)
            .or_else(|| rest.strip_prefix(r#","action":"subscribe","streamName":""#))?;
        let len = rest.find('"')?;
        let stream_name = &rest[..len];
        if stream_name.bytes().any(|b| b == b'\\' || b < 0x20) {
            return None;
        }
        let rest = rest[len..].strip_prefix(r#"","payload":"#)?;
        Some(DeliveryHead {
            id,
            stream_name,
            payload_start: text.len() - rest.len(),
        })
    }
}

/// Reads the payload of a frame whose head [`DeliveryHead::read`] read
/// (`payload_start` is [`DeliveryHead::payload_start`]), as `T`, in one pass over the payload text. `None` when the payload is not a
/// `T` or the frame does not end right after it (other fields follow, or it
/// is not JSON): read the frame with [`ServerFrame::parse`] then, which says
/// what is wrong.
///
/// ```
/// use streamsea_protocol::ws::{read_delivery_payload, DeliveryHead};
/// let text = r#"{"id":2,"action":"subscription","streamName":"s","payload":[1.5,2]}"#;
/// let head = DeliveryHead::read(text).unwrap();
/// assert_eq!(read_delivery_payload::<Vec<f64>>(text, head.payload_start), Some(vec![1.5, 2.0]));
/// let more = r#"{"id":2,"action":"subscription","streamName":"s","payload":[1],"x":1}"#;
/// let head = DeliveryHead::read(more).unwrap();
/// assert_eq!(read_delivery_payload::<Vec<f64>>(more, head.payload_start), None);
/// ```
pub fn read_delivery_payload<T: serde::de::DeserializeOwned>(
    text: &str,
    payload_start: usize,
) -> Option<T> {
    let payload = text.get(payload_start..)?;
    let mut values = serde_json::Deserializer::from_str(payload).into_iter::<T>();
    let value = values.next()?.ok()?;
    let end = payload_start + values.byte_offset();
    (text.get(end..)?.trim_ascii() == "}").then_some(value)
}

/// A delivery read without copying: the stream name and the payload borrow
/// from the frame's text.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryRef<'a> {
    /// The subscription request's id.
    pub id: u64,
    /// The stream the message was published to.
    pub stream_name: &'a str,
    /// The message, as the JSON text it was sent as.
    pub payload: &'a RawValue,
}

/// A server frame as a receiver reads it: a delivery borrowed from the text
/// (the common case, read without building a `Value` or copying a string),
/// or any other message in its owned form.
#[derive(Debug, Clone)]
pub enum ServerFrame<'a> {
    /// A delivery.
    Delivery(DeliveryRef<'a>),
    /// A reply, an error, or a delivery that did not fit the borrowed form
    /// (for example a stream name written with escapes).
    Other(ServerMessage),
}

/// The fields of a delivery frame, borrowed. Any other field is ignored, as
/// [`ServerMessage::parse`] does.
#[derive(Deserialize)]
struct DeliveryFields<'a> {
    id: u64,
    action: &'a str,
    /// Whether the frame has a `success` field, whatever its value.
    #[serde(default, deserialize_with = "present")]
    success: bool,
    #[serde(default, rename = "streamName")]
    stream_name: Option<&'a str>,
    #[serde(default, borrow)]
    payload: Option<&'a RawValue>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

impl<'a> ServerFrame<'a> {
    /// Reads a server frame. It accepts and refuses exactly what
    /// [`ServerMessage::parse`] does, and says the same about a malformed
    /// frame; a delivery is read in one pass without allocating.
    ///
    /// ```
    /// use streamsea_protocol::ws::ServerFrame;
    /// let text = r#"{"id":2,"action":"subscription","streamName":"s","payload":{"t":1.5}}"#;
    /// let ServerFrame::Delivery(d) = ServerFrame::parse(text).unwrap() else { panic!() };
    /// assert_eq!((d.id, d.stream_name, d.payload.get()), (2, "s", r#"{"t":1.5}"#));
    /// ```
    pub fn parse(text: &'a str) -> Result<ServerFrame<'a>, FrameError> {
        if let Ok(f) = serde_json::from_str::<DeliveryFields<'a>>(text) {
            if let (true, true, false, Some(stream_name)) = (
                f.id > 0,
                f.action == SUBSCRIPTION || f.action == SUBSCRIBE,
                f.success,
                f.stream_name,
            ) {
                return Ok(ServerFrame::Delivery(DeliveryRef {
                    id: f.id,
                    stream_name,
                    payload: f.payload.unwrap_or(RawValue::NULL),
                }));
            }
        }
        ServerMessage::parse(text).map(ServerFrame::Other)
    }

    /// The id of the request the frame answers.
    pub fn id(&self) -> u64 {
        match self {
            ServerFrame::Delivery(d) => d.id,
            ServerFrame::Other(m) => m.id(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(text: &str) -> FrameErrorKind {
        ClientMessage::parse(text).unwrap_err().kind
    }

    #[test]
    fn parses_client_messages() {
        let m = ClientMessage::parse(
            r#"{"id":1,"action":"authenticate","payload":{"type":"basic","clientId":"a","clientSecret":"s"}}"#,
        )
        .unwrap();
        assert_eq!(
            m,
            ClientMessage::Authenticate {
                id: 1,
                credentials: Credentials::Basic {
                    client_id: "a".into(),
                    client_secret: "s".into()
                }
            }
        );
        assert_eq!(ClientMessage::parse(&m.to_json()).unwrap(), m);
        let m = ClientMessage::parse(
            r#"{"id":1,"action":"authenticate","payload":{"type":"jwt","clientId":"a","jwt":"x.y.z"}}"#,
        )
        .unwrap();
        assert_eq!(ClientMessage::parse(&m.to_json()).unwrap(), m);
        let m = ClientMessage::Subscribe {
            id: 5,
            stream: "s".into(),
            group_id: Some("6f1c2b1e-9a4d-4e2b-8c3f-1a2b3c4d5e6f".into()),
        };
        assert_eq!(ClientMessage::parse(&m.to_json()).unwrap(), m);
    }

    #[test]
    fn malformed_client_frames() {
        assert!(matches!(kind("nope"), FrameErrorKind::NotJson(_)));
        assert!(matches!(kind("[1]"), FrameErrorKind::NotObject(_)));
        assert_eq!(kind(r#"{"action":"subscribe"}"#), FrameErrorKind::MissingId);
        assert!(matches!(kind(r#"{"id":"1"}"#), FrameErrorKind::BadId(_)));
        assert!(matches!(kind(r#"{"id":0}"#), FrameErrorKind::BadId(_)));
        assert!(matches!(kind(r#"{"id":1.5}"#), FrameErrorKind::BadId(_)));
        assert_eq!(kind(r#"{"id":1}"#), FrameErrorKind::MissingAction);
        assert!(matches!(
            kind(r#"{"id":1,"action":2}"#),
            FrameErrorKind::BadAction(_)
        ));
        assert_eq!(
            kind(r#"{"id":1,"action":"dance"}"#),
            FrameErrorKind::UnknownAction("dance".into())
        );
        assert!(matches!(
            kind(r#"{"id":1,"action":"authenticate","payload":{"type":"magic"}}"#),
            FrameErrorKind::BadField(_)
        ));
        assert!(matches!(
            kind(r#"{"id":1,"action":"authenticate","payload":{"type":"basic","clientId":"a"}}"#),
            FrameErrorKind::BadField(m) if m.contains("payload.clientSecret")
        ));
        assert!(matches!(
            kind(r#"{"id":2,"action":"subscribe","payload":{"s":1}}"#),
            FrameErrorKind::BadField(_)
        ));
        assert!(matches!(
            kind(r#"{"id":2,"action":"subscribe","payload":"bad name"}"#),
            FrameErrorKind::BadField(m) if m.contains("invalid stream name")
        ));
        assert!(matches!(
            kind(r#"{"id":2,"action":"subscribe","payload":"s","groupId":"g"}"#),
            FrameErrorKind::BadGroupId(_)
        ));
        let e = ClientMessage::parse(r#"{"id":2,"action":"dance"}"#).unwrap_err();
        assert_eq!(e.to_string(), "message 2 (dance): unknown action \"dance\"");
    }

    #[test]
    fn server_messages_round_trip() {
        for m in [
            ServerMessage::Authenticated {
                id: 1,
                jail_id: "j".into(),
            },
            ServerMessage::Subscribed {
                id: 2,
                stream_name: "s".into(),
            },
            ServerMessage::Delivery {
                id: 2,
                stream_name: "s".into(),
                payload: json!({"a": 1}),
            },
            ServerMessage::Error {
                id: 1,
                action: "authenticate".into(),
                message: INVALID_CREDENTIALS.into(),
            },
        ] {
            assert_eq!(ServerMessage::parse(&m.to_json()).unwrap(), m);
        }
        let auth_fail: Value = serde_json::from_str(
            &ServerMessage::Error {
                id: 1,
                action: "authenticate".into(),
                message: INVALID_CREDENTIALS.into(),
            }
            .to_json(),
        )
        .unwrap();
        assert_eq!(
            auth_fail,
            json!({"id": 1, "action": "authenticate", "success": false, "error": {"message": "Invalid credentials"}})
        );
    }

    #[test]
    fn accepts_subscribe_action_from_servers() {
        let m = ServerMessage::parse(
            r#"{"id":2,"action":"subscribe","streamName":"s","payload":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(
            m,
            ServerMessage::Delivery {
                id: 2,
                stream_name: "s".into(),
                payload: json!({"x": 1})
            }
        );
    }

    #[test]
    fn borrowed_frames_read_as_the_owned_parser_reads_them() {
        let frames = [
            r#"{"id":2,"action":"subscription","streamName":"s","payload":{"x":[1,2.5,"a\"b"]}}"#,
            r#"{"payload":{"x":1},"streamName":"s","action":"subscribe","id":7,"extra":[1]}"#,
            r#"{"id":2,"action":"subscription","streamName":"s"}"#,
            r#"{"id":2,"action":"subscription","streamName":"s\u0041","payload":{}}"#,
            r#"{"id":2,"action":"subscription","success":true,"streamName":"s","payload":2}"#,
            r#"{"id":2,"action":"subscription","success":null,"streamName":"s","payload":2}"#,
            r#"{"id":2,"action":"subscription","success":false,"error":{"message":"no"}}"#,
            r#"{"id":1,"action":"authenticate","success":true,"payload":{"jailId":"j"}}"#,
            r#"{"id":0,"action":"subscription","streamName":"s","payload":{}}"#,
            r#"{"id":2.0,"action":"subscription","streamName":"s","payload":{}}"#,
            r#"{"id":2,"action":"dance","streamName":"s","payload":{}}"#,
            r#"{"id":2,"action":"subscription","payload":{}}"#,
            r#"{"id":2,"action":"subscription","streamName":5,"payload":{}}"#,
            r#"{"id":2,"id":3,"action":"subscription","streamName":"s","payload":{}}"#,
            r#"[1]"#,
            "not json",
        ];
        for text in frames {
            let owned = ServerMessage::parse(text);
            match ServerFrame::parse(text) {
                Ok(ServerFrame::Delivery(d)) => {
                    let payload: Value = serde_json::from_str(d.payload.get()).unwrap();
                    assert_eq!(
                        owned,
                        Ok(ServerMessage::Delivery {
                            id: d.id,
                            stream_name: d.stream_name.to_string(),
                            payload
                        }),
                        "{text}"
                    );
                }
                Ok(ServerFrame::Other(m)) => assert_eq!(owned, Ok(m), "{text}"),
                Err(e) => assert_eq!(owned, Err(e), "{text}"),
            }
        }
        assert!(matches!(
            ServerFrame::parse(frames[0]),
            Ok(ServerFrame::Delivery(_))
        ));
        // Escapes in the stream name: read, in the owned form.
        assert!(matches!(
            ServerFrame::parse(frames[3]),
            Ok(ServerFrame::Other(ServerMessage::Delivery { .. }))
        ));
    }

    #[test]
    fn delivery_heads_are_read_in_the_form_the_server_writes() {
        let payload = RawValue::from_string(r#"{"a":[1,{"b":"}"}]}"#.to_string()).unwrap();
        for (id, stream) in [(2u64, "s"), (u64::MAX, "boiler_data.v-2")] {
            let text = encode_delivery(id, stream, &payload);
            let head = DeliveryHead::read(&text).unwrap();
            assert_eq!((head.id, head.stream_name), (id, stream));
            assert_eq!(
                read_delivery_payload::<Value>(&text, head.payload_start),
                Some(json!({"a": [1, {"b": "}"}]}))
            );
            let ServerFrame::Delivery(d) = ServerFrame::parse(&text).unwrap() else {
                panic!("{text}");
            };
            assert_eq!((d.id, d.stream_name), (head.id, head.stream_name));
        }
        for other in [
            r#"{"id":0,"action":"subscription","streamName":"s","payload":{}}"#,
            r#"{"id":02,"action":"subscription","streamName":"s","payload":{}}"#,
            r#"{"id":18446744073709551616,"action":"subscription","streamName":"s","payload":{}}"#,
            r#"{"id":2,"action":"subscription","success":true,"streamName":"s","payload":2}"#,
            r#"{"id":2,"action":"dance","streamName":"s","payload":{}}"#,
            r#"{"id":2,"action":"subscription","streamName":"s\"x","payload":{}}"#,
            r#"{"id":2, "action":"subscription","streamName":"s","payload":{}}"#,
            r#"{"id":2,"action":"subscription","streamName":"s","other":{}}"#,
            r#"{"id":-2,"action":"subscription","streamName":"s","payload":{}}"#,
        ] {
            assert_eq!(DeliveryHead::read(other), None, "{other}");
        }
        // The frame must end after the payload, and be JSON.
        let head = |t| DeliveryHead::read(t).unwrap();
        for bad in [
            r#"{"id":2,"action":"subscription","streamName":"s","payload":{"a":}}"#,
            r#"{"id":2,"action":"subscription","streamName":"s","payload":{"a":1}"#,
            r#"{"id":2,"action":"subscription","streamName":"s","payload":{"a":1}}}"#,
            r#"{"id":2,"action":"subscription","streamName":"s","payload":{"a":1},"payload":{}}"#,
            r#"{"id":2,"action":"subscription","streamName":"s","payload":{"a":1}} x"#,
        ] {
            assert_eq!(
                read_delivery_payload::<Value>(bad, head(bad).payload_start),
                None,
                "{bad}"
            );
        }
        let spaced = r#"{"id":2,"action":"subscription","streamName":"s","payload": {"a":1} } "#;
        assert_eq!(
            read_delivery_payload::<Value>(spaced, head(spaced).payload_start),
            Some(json!({"a": 1}))
        );
    }

    #[test]
    fn credentials_do_not_print() {
        let c = Credentials::Basic {
            client_id: "a".into(),
            client_secret: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
