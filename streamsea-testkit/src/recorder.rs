//! A WebSocket proxy that records what a client sends, per connection:
//! proof of exactly-once re-subscription and of what a frame carried.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// A WebSocket proxy in front of a server's WebSocket address that records
/// every JSON text frame the client sends, per connection. When either side
/// ends, both are closed, as a real server going away would look.
pub struct WsRecorder {
    /// Where clients connect.
    pub addr: SocketAddr,
    frames: Arc<Mutex<Vec<Vec<serde_json::Value>>>>,
}

impl WsRecorder {
    /// Forwards each accepted connection to `target` (a `ws://` URL).
    pub async fn start(target: String) -> WsRecorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let frames = Arc::new(Mutex::new(Vec::new()));
        let f = frames.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let i = {
                    let mut f = f.lock().unwrap();
                    f.push(Vec::new());
                    f.len() - 1
                };
                let f = f.clone();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut down) = tokio_tungstenite::accept_async(tcp).await else {
                        return;
                    };
                    // Nothing listening upstream: the client sees a dropped
                    // connection and retries.
                    let Ok((mut up, _)) = tokio_tungstenite::connect_async(target.as_str()).await
                    else {
                        return;
                    };
                    loop {
                        tokio::select! {
                            m = down.next() => match m {
                                Some(Ok(Message::Text(t))) => {
                                    if let Ok(v) = serde_json::from_str(t.as_str()) {
                                        f.lock().unwrap()[i].push(v);
                                    }
                                    if up.send(Message::Text(t)).await.is_err() {
                                        return;
                                    }
                                }
                                Some(Ok(m @ (Message::Binary(_) | Message::Close(_)))) => {
                                    let _ = up.send(m).await;
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                            m = up.next() => match m {
                                Some(Ok(m @ Message::Close(_))) => {
                                    let _ = down.send(m).await;
                                    return;
                                }
                                Some(Ok(m @ (Message::Text(_) | Message::Binary(_)))) => {
                                    if down.send(m).await.is_err() {
                                        return;
                                    }
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                        }
                    }
                });
            }
        });
        WsRecorder { addr, frames }
    }

    /// How many connections the client opened.
    pub fn connections(&self) -> usize {
        self.frames.lock().unwrap().len()
    }

    /// The JSON frames the client sent on connection `i` (0-based).
    pub fn frames(&self, i: usize) -> Vec<serde_json::Value> {
        self.frames.lock().unwrap()[i].clone()
    }
}
