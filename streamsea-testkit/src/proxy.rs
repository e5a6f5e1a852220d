//! A TCP proxy that counts connections and client-to-server bytes: proof
//! that a refused request sent nothing, or that a client did not reconnect.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy that counts connections and client-to-server bytes.
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    bytes_up: Arc<AtomicUsize>,
}

impl Proxy {
    /// Starts a proxy on `127.0.0.1:0` forwarding to `target`.
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let bytes_up = Arc::new(AtomicUsize::new(0));
        let (c, b) = (connections.clone(), bytes_up.clone());
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let b = b.clone();
                tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let (mut ri, mut wi) = inbound.into_split();
                    let (mut ro, mut wo) = outbound.into_split();
                    let up = async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match ri.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            b.fetch_add(n, Ordering::SeqCst);
                            if wo.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                        let _ = wo.shutdown().await;
                    };
                    let down = async move {
                        let _ = tokio::io::copy(&mut ro, &mut wi).await;
                        let _ = wi.shutdown().await;
                    };
                    tokio::join!(up, down);
                });
            }
        });
        Proxy {
            addr,
            connections,
            bytes_up,
        }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Bytes forwarded from clients to the target so far.
    pub fn bytes_up(&self) -> usize {
        self.bytes_up.load(Ordering::SeqCst)
    }
}
