//! The server's settings and their builder.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::StartError;
use crate::server::ServerHandle;

/// The default address: port 3104 on loopback.
pub const DEFAULT_BIND: &str = "127.0.0.1:3104";
/// The default interval between WebSocket pings.
pub const DEFAULT_PING_INTERVAL: Duration = Duration::from_secs(25);
/// The default time a WebSocket connection may take to authenticate.
pub const DEFAULT_AUTH_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time a client may take to send a request head.
pub const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a connection may go without any byte read or written
/// while it waits for one (a body that stops coming, an idle keep-alive
/// connection, a peer that stops reading).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default id of the root jail.
pub const DEFAULT_ROOT_JAIL: &str = "root";

/// Size limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest HTTP request body, after gzip decompression (413 above it).
    pub max_body_bytes: usize,
    /// The largest WebSocket message a client may send (close 1009 above it).
    pub max_frame_bytes: usize,
    /// How many deliveries may wait for one connection before it is closed
    /// with 1008 `slow consumer`. The deliveries of one publish call are
    /// queued together: an empty queue takes them all even when they are
    /// more, so a subscriber that keeps up is never closed because of one
    /// large batch.
    pub outbound_queue: usize,
    /// How many bytes of deliveries may wait for one connection; a
    /// connection whose share of one publish call is larger is closed as a
    /// slow consumer too.
    pub outbound_queue_bytes: usize,
    /// How many subscriptions one connection may hold; a subscribe beyond it
    /// gets an error reply.
    pub max_subscriptions: usize,
    /// How many bytes of deliveries may wait, across all connections. When a
    /// delivery would go beyond it, the connections with the most bytes
    /// waiting (the slowest consumers) are closed with 1008 `slow consumer`
    /// until it fits.
    pub delivery_budget_bytes: usize,
    /// How many fields a definition may have, counted at every depth (400
    /// above it).
    pub max_definition_fields: usize,
    /// How many enum values a definition may have, all its `enum` fields
    /// together (400 above it).
    pub max_enum_values: usize,
    /// How many messages one publish may carry (413 above it).
    pub max_batch_messages: usize,
    /// How many connections may be open at once (HTTP and WebSocket); a
    /// connection beyond it gets a 503 and is closed, and a warning is
    /// logged.
    pub max_connections: usize,
    /// How many WebSocket connections may be open and not yet authenticated
    /// at once; an upgrade beyond it gets a 503, and a warning is logged.
    pub max_unauthenticated_ws: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 4 * 1024 * 1024,
            max_frame_bytes: 64 * 1024,
            outbound_queue: 1024,
            outbound_queue_bytes: 16 * 1024 * 1024,
            max_subscriptions: 256,
            delivery_budget_bytes: 256 * 1024 * 1024,
            max_definition_fields: 10_000,
            max_enum_values: 10_000,
            max_batch_messages: 10_000,
            max_connections: 512,
            max_unauthenticated_ws: 128,
        }
    }
}

/// A TLS certificate chain and private key, PEM-encoded.
#[derive(Clone)]
pub struct TlsPem {
    /// The certificate chain.
    pub cert: Vec<u8>,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: Vec<u8>,
}

impl fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsPem")
            .field("cert", &format_args!("{} bytes", self.cert.len()))
            .field("key", &"***")
            .finish()
    }
}

/// Every setting of a server.
#[derive(Clone)]
pub struct ServerConfig {
    /// Where to listen.
    pub bind: SocketAddr,
    /// The root jail's id.
    pub root_jail: String,
    /// The root jail's name.
    pub root_jail_name: String,
    /// Bootstrap clients of the root jail: (client id, secret).
    pub clients: Vec<(String, String)>,
    /// Interval between WebSocket pings.
    pub ping_interval: Duration,
    /// How long a WebSocket connection may stay open without authenticating
    /// (close 1008 `authentication timeout` after it).
    pub auth_timeout: Duration,
    /// How long a client may take to send a request head (the connection is
    /// closed after it).
    pub head_timeout: Duration,
    /// How long a connection may wait without a byte read or written (a
    /// stalled body, an idle keep-alive connection, a peer that stops
    /// reading) before it is closed.
    pub idle_timeout: Duration,
    /// Size limits.
    pub limits: Limits,
    /// TLS, when set.
    pub tls: Option<TlsPem>,
    /// The state file, when set; otherwise everything lives in memory.
    pub state_file: Option<PathBuf>,
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clients: Vec<String> = self
            .clients
            .iter()
            .map(|(id, _)| format!("{id}:***"))
            .collect();
        f.debug_struct("ServerConfig")
            .field("bind", &self.bind)
            .field("root_jail", &self.root_jail)
            .field("root_jail_name", &self.root_jail_name)
            .field("clients", &clients)
            .field("ping_interval", &self.ping_interval)
            .field("auth_timeout", &self.auth_timeout)
            .field("head_timeout", &self.head_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("limits", &self.limits)
            .field("tls", &self.tls)
            .field("state_file", &self.state_file)
            .finish()
    }
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 3104)),
            root_jail: DEFAULT_ROOT_JAIL.to_string(),
            root_jail_name: DEFAULT_ROOT_JAIL.to_string(),
            clients: Vec::new(),
            ping_interval: DEFAULT_PING_INTERVAL,
            auth_timeout: DEFAULT_AUTH_TIMEOUT,
            head_timeout: DEFAULT_HEAD_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            limits: Limits::default(),
            tls: None,
            state_file: None,
        }
    }
}

/// Builds and starts a server.
///
/// ```no_run
/// # async fn run() -> Result<(), streamsea_server::StartError> {
/// let server = streamsea_server::Server::builder()
///     .bind("127.0.0.1:0".parse().unwrap())
///     .client("app", "secret")
///     .start()
///     .await?;
/// println!("listening on {}", server.http_url());
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ServerBuilder {
    config: ServerConfig,
}

impl ServerBuilder {
    /// A builder with the defaults: `127.0.0.1:3104`, root jail `root`,
    /// pings every 25 s, 30 s to authenticate, 10 s to send a request head,
    /// 60 s idle, default [`Limits`], no TLS, in memory.
    pub fn new() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// The address to listen on (port 0: any free port).
    pub fn bind(mut self, addr: SocketAddr) -> ServerBuilder {
        self.config.bind = addr;
        self
    }

    /// The root jail's id and name.
    pub fn root_jail(mut self, id: impl Into<String>, name: impl Into<String>) -> ServerBuilder {
        self.config.root_jail = id.into();
        self.config.root_jail_name = name.into();
        self
    }

    /// Adds a bootstrap client of the root jail.
    pub fn client(mut self, id: impl Into<String>, secret: impl Into<String>) -> ServerBuilder {
        self.config.clients.push((id.into(), secret.into()));
        self
    }

    /// The interval between WebSocket pings.
    pub fn ping_interval(mut self, interval: Duration) -> ServerBuilder {
        self.config.ping_interval = interval;
        self
    }

    /// How long a WebSocket connection may stay open without authenticating.
    pub fn auth_timeout(mut self, timeout: Duration) -> ServerBuilder {
        self.config.auth_timeout = timeout;
        self
    }

    /// How long a client may take to send a request head.
    pub fn head_timeout(mut self, timeout: Duration) -> ServerBuilder {
        self.config.head_timeout = timeout;
        self
    }

    /// How long a connection may wait without a byte read or written.
    pub fn idle_timeout(mut self, timeout: Duration) -> ServerBuilder {
        self.config.idle_timeout = timeout;
        self
    }

    /// The size limits.
    pub fn limits(mut self, limits: Limits) -> ServerBuilder {
        self.config.limits = limits;
        self
    }

    /// Serves HTTPS and WSS with this PEM certificate chain and key.
    pub fn tls_pem(mut self, cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> ServerBuilder {
        self.config.tls = Some(TlsPem {
            cert: cert.into(),
            key: key.into(),
        });
        self
    }

    /// Keeps jails, clients, keys and schemas in this file across restarts.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> ServerBuilder {
        self.config.state_file = Some(path.into());
        self
    }

    /// The settings so far.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Starts the server; it runs until [`ServerHandle::shutdown`] or until
    /// the handle is dropped.
    pub async fn start(self) -> Result<ServerHandle, StartError> {
        crate::server::start(self.config).await
    }
}

impl From<ServerConfig> for ServerBuilder {
    fn from(config: ServerConfig) -> ServerBuilder {
        ServerBuilder { config }
    }
}
