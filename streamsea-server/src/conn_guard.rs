//! Bounds on connections: how many may be open, and how long one may wait
//! without a byte read or written.
//!
//! Every accepted TCP connection takes a permit of
//! [`Limits::max_connections`](crate::Limits::max_connections) for its whole
//! life (a WebSocket included). Beyond it, a plain connection gets a `503`
//! with a JSON error body and is closed (a TLS one is closed), and a warning
//! is logged (at most once a second, with the count refused meanwhile), so
//! the server never runs out of file descriptors and keeps answering the
//! connections it has.
//!
//! An accepted connection's socket is wrapped in [`Guarded`]: a read or a
//! write that waits with no byte moved in either direction for the idle
//! timeout fails with `TimedOut`, which ends the connection. That bounds a
//! body that stops coming, an idle keep-alive connection, and a peer that
//! stops reading. The time to send a request head is bounded by the HTTP
//! layer (see `server.rs`).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum_server::accept::Accept;
use streamsea_protocol::http::ErrorBody;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// How long a refused connection's request is read before the 503 is sent
/// (so the client reads the answer rather than a reset).
const REFUSAL_READ: Duration = Duration::from_millis(200);
/// How long writing the 503 may take.
const REFUSAL_WRITE: Duration = Duration::from_secs(1);

/// The acceptor that applies the connection cap and wraps sockets in
/// [`Guarded`].
#[derive(Clone)]
pub(crate) struct GuardAcceptor {
    permits: Arc<Semaphore>,
    limit: usize,
    idle: Duration,
    /// True when the connection speaks plain HTTP (a refusal can be a 503).
    plain: bool,
    refusals: Arc<RefusalLog>,
}

/// Counts refused connections and logs them at most once a second.
#[derive(Default)]
pub(crate) struct RefusalLog {
    since_log: AtomicU64,
    last_log_ms: AtomicU64,
    started: std::sync::OnceLock<std::time::Instant>,
}

impl RefusalLog {
    /// Counts one refusal; logs a warning saying `what` limit was reached,
    /// with the refusals since the last warning, at most once a second.
    pub(crate) fn refused(&self, limit: usize, what: &'static str) {
        let count = self.since_log.fetch_add(1, Ordering::AcqRel) + 1;
        let started = self.started.get_or_init(std::time::Instant::now);
        let now_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = self.last_log_ms.load(Ordering::Acquire);
        let first = count == 1 && last == 0;
        if (first || now_ms.saturating_sub(last) >= 1000)
            && self
                .last_log_ms
                .compare_exchange(last, now_ms.max(1), Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            let refused = self.since_log.swap(0, Ordering::AcqRel);
            tracing::warn!(limit, refused, "refusing connections: {what}");
        }
    }
}

impl GuardAcceptor {
    pub(crate) fn new(max_connections: usize, idle: Duration, plain: bool) -> GuardAcceptor {
        GuardAcceptor {
            permits: Arc::new(Semaphore::new(max_connections)),
            limit: max_connections,
            idle,
            plain,
            refusals: Arc::new(RefusalLog::default()),
        }
    }
}

/// The 503 a connection over the cap gets.
fn refusal_response() -> Vec<u8> {
    let body = serde_json::to_string(&ErrorBody::new(
        "Too many open connections; try again later",
    ))
    .unwrap_or_default();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\nretry-after: 1\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn refuse(mut stream: TcpStream, plain: bool) {
    if plain {
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(REFUSAL_READ, stream.read(&mut buf)).await;
        let _ = tokio::time::timeout(REFUSAL_WRITE, async {
            stream.write_all(&refusal_response()).await?;
            stream.shutdown().await
        })
        .await;
    }
}

impl<S: Send + 'static> Accept<TcpStream, S> for GuardAcceptor {
    type Stream = Guarded<TcpStream>;
    type Service = S;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Guarded<TcpStream>, S)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        match self.permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let _ = stream.set_nodelay(true);
                let guarded = Guarded::new(stream, permit, self.idle);
                Box::pin(std::future::ready(Ok((guarded, service))))
            }
            Err(_) => {
                self.refusals
                    .refused(self.limit, "the limit of open connections is reached");
                let plain = self.plain;
                Box::pin(async move {
                    refuse(stream, plain).await;
                    Err(io::Error::other(
                        "connection refused: too many open connections",
                    ))
                })
            }
        }
    }
}

/// A socket that holds a connection permit and fails a read or write that
/// waits longer than the idle timeout with nothing moved.
pub(crate) struct Guarded<S> {
    inner: S,
    _permit: OwnedSemaphorePermit,
    idle: Duration,
    last_activity: Instant,
    timer: Pin<Box<Sleep>>,
}

impl<S> Guarded<S> {
    fn new(inner: S, permit: OwnedSemaphorePermit, idle: Duration) -> Guarded<S> {
        let now = Instant::now();
        Guarded {
            inner,
            _permit: permit,
            idle,
            last_activity: now,
            timer: Box::pin(tokio::time::sleep_until(deadline(now, idle))),
        }
    }

    fn moved(&mut self) {
        self.last_activity = Instant::now();
    }

    /// What a write returned: bytes written are activity, and a write that
    /// is not ready waits under the idle timer.
    fn wrote(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match r {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.moved();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => self.waiting(cx).map(Err),
        }
    }

    /// Called when the socket is not ready: an error once the idle time has
    /// passed, otherwise the timer is set to wake the task then.
    fn waiting(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let due = deadline(self.last_activity, self.idle);
        if self.timer.deadline() != due {
            self.timer.as_mut().reset(due);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                tracing::info!(idle = ?self.idle, "closing a connection idle for too long");
                Poll::Ready(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the connection was idle for too long",
                ))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// `from + idle`, or far in the future when that cannot be represented.
fn deadline(from: Instant, idle: Duration) -> Instant {
    from.checked_add(idle)
        .unwrap_or_else(|| from + Duration::from_secs(86_400 * 365))
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.moved();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.waiting(cx).map(Err),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write(cx, data);
        this.wrote(cx, r)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.waiting(cx).map(Err),
            other => other,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.wrote(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
