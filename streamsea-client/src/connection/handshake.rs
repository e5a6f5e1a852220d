//! Opening a connection: the WebSocket (with TLS when configured) and the
//! authentication, message 1 (PROTOCOL.md section 5).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use streamsea_protocol::ws::{ClientMessage, ServerMessage};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use crate::config::Settings;
use crate::error::{cut, NetworkCause};
use crate::http::{cause_in_chain, error_chain};

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a closing handshake may take before the socket is dropped.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// Why no authenticated connection was made.
pub(crate) enum ConnectFailure {
    /// The server refused the credentials: terminal.
    Auth(String),
    /// Anything else: worth another attempt.
    Transient {
        /// What happened, with the causes' messages.
        reason: String,
        /// The kind of network failure, found in the error's source chain.
        cause: Option<NetworkCause>,
    },
}

impl ConnectFailure {
    /// A failure that is not a network failure of a known kind.
    fn other(reason: impl Into<String>) -> ConnectFailure {
        ConnectFailure::Transient {
            reason: reason.into(),
            cause: None,
        }
    }

    /// A failure caused by `e`, classified by its source chain.
    fn network(what: String, e: &(dyn std::error::Error + 'static)) -> ConnectFailure {
        ConnectFailure::Transient {
            reason: format!("{what}: {}", error_chain(e)),
            cause: Some(cause_in_chain(e)),
        }
    }
}

/// Opens the WebSocket and authenticates, within the connect timeout.
/// Returns the connection and the jail the server placed the client in.
pub(crate) async fn connect(settings: &Settings) -> Result<(Ws, String), ConnectFailure> {
    let timeout = settings.connect_timeout;
    match tokio::time::timeout(timeout, open_and_authenticate(settings)).await {
        Ok(r) => r,
        Err(_) => Err(ConnectFailure::Transient {
            reason: format!("no connection and authentication reply within {timeout:?}"),
            cause: Some(NetworkCause::Timeout),
        }),
    }
}

async fn open_and_authenticate(settings: &Settings) -> Result<(Ws, String), ConnectFailure> {
    let url = settings.ws_url();
    let config = WebSocketConfig::default()
        .max_message_size(Some(settings.max_message_bytes))
        .max_frame_size(Some(settings.max_message_bytes));
    let connector = match &settings.tls {
        Some(tls) => Connector::Rustls(tls.clone()),
        None => Connector::Plain,
    };
    // The TCP connection is opened here, with the client's own resolver, so
    // that a failed name resolution is known for what it is.
    let port = settings
        .port
        .unwrap_or(if settings.secure { 443 } else { 80 });
    let stream = settings
        .resolver
        .connect(&settings.host, port)
        .await
        .map_err(|e| ConnectFailure::network(format!("cannot connect to {url}"), &e))?;
    let (mut ws, _) = tokio_tungstenite::client_async_tls_with_config(
        &url,
        stream,
        Some(config),
        Some(connector),
    )
    .await
    .map_err(|e| ConnectFailure::network(format!("cannot connect to {url}"), &e))?;
    let auth = ClientMessage::Authenticate {
        id: 1,
        credentials: settings.credentials.clone(),
    };
    ws.send(Message::text(auth.to_json()))
        .await
        .map_err(|e| ConnectFailure::network("sending authentication failed".into(), &e))?;
    loop {
        let frame = match ws.next().await {
            None => {
                return Err(ConnectFailure::other(
                    "the connection ended before the authentication reply",
                ))
            }
            Some(Err(e)) => {
                return Err(ConnectFailure::network(
                    "the connection failed before the authentication reply".into(),
                    &e,
                ))
            }
            Some(Ok(f)) => f,
        };
        let text = match frame {
            Message::Text(t) => t,
            Message::Close(f) => {
                return Err(ConnectFailure::other(match f {
                    Some(f) => format!(
                        "the server closed the connection before authenticating ({}: {})",
                        u16::from(f.code),
                        cut(&f.reason, 123)
                    ),
                    None => "the server closed the connection before authenticating".into(),
                }))
            }
            _ => continue,
        };
        return match ServerMessage::parse(text.as_str()) {
            Ok(ServerMessage::Authenticated { id: 1, jail_id }) => Ok((ws, jail_id)),
            Ok(ServerMessage::Error { id: 1, message, .. }) => {
                // PROTOCOL.md: after a failed authentication the client closes and
                // sends nothing more.
                close(&mut ws, CloseCode::Normal, "authentication failed").await;
                Err(ConnectFailure::Auth(if message.is_empty() {
                    "the server refused the credentials".into()
                } else {
                    cut(&message, 1024)
                }))
            }
            Ok(other) => Err(ConnectFailure::other(format!(
                "expected the authentication reply (id 1), got a message for id {}",
                other.id()
            ))),
            Err(e) => Err(ConnectFailure::other(format!(
                "unreadable authentication reply: {e} (frame: {})",
                cut(text.as_str(), 200)
            ))),
        };
    }
}

/// Sends a close frame, waiting at most [`CLOSE_WAIT`].
pub(crate) async fn close(ws: &mut Ws, code: CloseCode, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.to_string().into(),
    };
    let _ = tokio::time::timeout(CLOSE_WAIT, ws.close(Some(frame))).await;
}
