//! Test helpers: an in-process server on 127.0.0.1:0, a plain HTTP client
//! (reqwest) and a plain WebSocket client (tokio-tungstenite).
//!
//! The server, fixtures and bounded waits shared by every crate's tests come
//! from `streamsea-testkit`.

#![allow(dead_code, unused_imports)]

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::Write as _;
use streamsea_server::ServerHandle;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub use streamsea_testkit::fixtures::{
    JWT_PRIVATE, JWT_PUBLIC, OTHER_PRIVATE, OTHER_PUBLIC, TLS_CERT, TLS_KEY,
};
pub use streamsea_testkit::server::builder;
pub use streamsea_testkit::{ADMIN, WAIT};

pub async fn start() -> Server {
    Server::new(streamsea_testkit::start().await)
}

/// A server with these limits.
pub async fn start_with(limits: streamsea_server::Limits) -> Server {
    Server::new(streamsea_testkit::start_with(limits).await)
}

pub struct Server {
    pub handle: ServerHandle,
    pub http: reqwest::Client,
}

/// An HTTP answer: status and JSON body (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl Answer {
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
}

pub fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

impl Server {
    pub fn new(handle: ServerHandle) -> Server {
        Server {
            handle,
            http: reqwest::Client::builder().timeout(WAIT).build().unwrap(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.handle.api_url(), path)
    }

    /// A raw request: `auth` is the whole Authorization header value.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Vec<u8>>,
        encoding: Option<&str>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("Accept", "application/json");
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(b);
        }
        if let Some(e) = encoding {
            req = req.header("Content-Encoding", e);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let bytes = resp.bytes().await.unwrap();
        Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// A JSON request as `(id, secret)`, body sent plain.
    pub async fn call(
        &self,
        who: (&str, &str),
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        self.raw(
            method,
            path,
            Some(&basic(who.0, who.1)),
            body.map(|b| b.to_string().into_bytes()),
            None,
        )
        .await
    }

    /// The same with the body gzip-compressed, as the Python and PHP clients send it.
    pub async fn call_gzip(
        &self,
        who: (&str, &str),
        method: Method,
        path: &str,
        body: Value,
    ) -> Answer {
        self.raw(
            method,
            path,
            Some(&basic(who.0, who.1)),
            Some(gzip(body.to_string().as_bytes())),
            Some("gzip"),
        )
        .await
    }

    pub async fn define(&self, who: (&str, &str), stream: &str, def: Value) -> Answer {
        self.call(
            who,
            Method::POST,
            &format!("/streams/{stream}/define"),
            Some(def),
        )
        .await
    }

    pub async fn publish(&self, who: (&str, &str), stream: &str, payload: Value) -> Answer {
        self.call(
            who,
            Method::POST,
            &format!("/streams/{stream}/publish"),
            Some(json!({ "payload": payload })),
        )
        .await
    }

    /// Creates a jail with one client; its (client id, secret).
    pub async fn jail(&self, jail_id: &str, client_id: &str) -> (String, String) {
        let a = self
            .call(
                ADMIN,
                Method::POST,
                "/jails",
                Some(
                    json!({"newJailId": jail_id, "newJailName": jail_id, "newClientId": client_id}),
                ),
            )
            .await;
        assert_eq!(a.status, 200, "{a:?}");
        (
            a.body["newClientId"].as_str().unwrap().to_string(),
            a.body["newClientSecret"].as_str().unwrap().to_string(),
        )
    }

    /// Creates a client in the caller's jail; its secret.
    pub async fn client(&self, who: (&str, &str), client_id: &str) -> String {
        let a = self
            .call(
                who,
                Method::POST,
                "/client",
                Some(json!({"clientId": client_id, "description": "test"})),
            )
            .await;
        assert_eq!(a.status, 200, "{a:?}");
        a.body["secret"].as_str().unwrap().to_string()
    }

    pub async fn ws(&self) -> Ws {
        Ws::connect(&self.handle.ws_url()).await
    }

    /// A WebSocket connection authenticated with basic credentials.
    pub async fn ws_as(&self, who: (&str, &str)) -> Ws {
        let mut ws = self.ws().await;
        let reply = ws.authenticate(who.0, who.1).await;
        assert_eq!(reply["success"], true, "{reply}");
        ws
    }
}

/// A simple stream schema: `{"n": integer, "tag": string}`.
pub fn simple_schema(version: u64) -> Value {
    json!({"version": version, "fields": [
        {"name": "n", "type": "integer"},
        {"name": "tag", "type": "string"}
    ]})
}

pub struct Ws {
    pub inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub next_id: u64,
}

/// How a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    Closed(u16, String),
    /// The TCP connection ended without a close frame.
    Dropped,
}

impl Ws {
    pub async fn connect(url: &str) -> Ws {
        let (inner, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
            .await
            .expect("connect timed out")
            .unwrap();
        Ws { inner, next_id: 1 }
    }

    pub async fn send_text(&mut self, text: &str) {
        self.inner.send(Message::text(text)).await.unwrap();
    }

    pub async fn send_json(&mut self, v: Value) {
        self.send_text(&v.to_string()).await;
    }

    /// Sends a message with the next id; returns that id.
    pub async fn request(&mut self, action: &str, payload: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send_json(json!({"id": id, "action": action, "payload": payload}))
            .await;
        id
    }

    pub async fn authenticate(&mut self, id: &str, secret: &str) -> Value {
        self.request(
            "authenticate",
            json!({"type": "basic", "clientId": id, "clientSecret": secret}),
        )
        .await;
        self.recv().await
    }

    pub async fn authenticate_jwt(&mut self, id: &str, jwt: &str) -> Value {
        self.request(
            "authenticate",
            json!({"type": "jwt", "clientId": id, "jwt": jwt}),
        )
        .await;
        self.recv().await
    }

    /// Subscribes and checks the reply; returns the subscription id.
    pub async fn subscribe(&mut self, stream: &str, group: Option<&str>) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"id": id, "action": "subscribe", "payload": stream});
        if let Some(g) = group {
            msg["groupId"] = json!(g);
        }
        self.send_json(msg).await;
        let reply = self.recv().await;
        assert_eq!(
            reply,
            json!({"id": id, "action": "subscription", "success": true, "streamName": stream, "payload": id})
        );
        id
    }

    /// The next frame of any kind.
    pub async fn next_frame(&mut self) -> Option<Message> {
        match tokio::time::timeout(WAIT, self.inner.next()).await {
            Ok(Some(Ok(m))) => Some(m),
            Ok(_) => None,
            Err(_) => panic!("no frame within {WAIT:?}"),
        }
    }

    /// The next JSON text message (pings and pongs skipped).
    pub async fn recv(&mut self) -> Value {
        loop {
            match self.next_frame().await {
                Some(Message::Text(t)) => return serde_json::from_str(t.as_str()).unwrap(),
                Some(Message::Ping(_) | Message::Pong(_)) => continue,
                other => panic!("expected a text message, got {other:?}"),
            }
        }
    }

    /// Reads until the connection ends; the text messages seen before.
    pub async fn until_closed(&mut self) -> (Vec<Value>, Ended) {
        let mut seen = Vec::new();
        loop {
            match self.next_frame().await {
                Some(Message::Text(t)) => seen.push(serde_json::from_str(t.as_str()).unwrap()),
                Some(Message::Close(Some(f))) => {
                    return (seen, Ended::Closed(u16::from(f.code), f.reason.to_string()))
                }
                Some(Message::Close(None)) => {
                    return (
                        seen,
                        Ended::Closed(u16::from(CloseCode::Status), String::new()),
                    )
                }
                Some(_) => continue,
                None => return (seen, Ended::Dropped),
            }
        }
    }

    /// Reads until the connection ends and expects no text message before.
    pub async fn expect_close(&mut self) -> (u16, String) {
        let (seen, ended) = self.until_closed().await;
        assert!(
            seen.is_empty(),
            "unexpected messages before the close: {seen:?}"
        );
        match ended {
            Ended::Closed(code, reason) => (code, reason),
            Ended::Dropped => panic!("connection dropped without a close frame"),
        }
    }
}

/// A JWT signed RS512 with `private_pem`.
pub fn sign(claims: &Value, private_pem: &str) -> String {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS512),
        claims,
        &key,
    )
    .unwrap()
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
