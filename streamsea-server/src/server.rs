//! Starting, running and stopping the server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, on, MethodFilter, MethodRouter};
use axum::Router;
use streamsea_protocol::routes;
use tokio::sync::{watch, Notify};
use tower_http::decompression::RequestDecompressionLayer;

use crate::config::ServerConfig;
use crate::error::{ApiError, StartError};
use crate::hub::Hub;
use crate::store::Store;
use crate::{http_api, persist, ws_conn};

/// How long a graceful shutdown waits for open connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Counts running WebSocket tasks so shutdown can wait for them.
#[derive(Default)]
pub(crate) struct TaskCounter {
    count: AtomicUsize,
    idle: Notify,
}

/// Decrements its counter when dropped.
pub(crate) struct TaskGuard<'a>(&'a TaskCounter);

impl TaskCounter {
    pub(crate) fn enter(&self) -> TaskGuard<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        TaskGuard(self)
    }

    async fn wait_idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for TaskGuard<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// Writes the state file, newest snapshot wins.
struct Persister {
    path: PathBuf,
    written: tokio::sync::Mutex<u64>,
}

/// What every handler and connection shares.
pub(crate) struct AppState {
    store: Mutex<Store>,
    pub(crate) hub: Hub,
    pub(crate) config: ServerConfig,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) ws_tasks: TaskCounter,
    persister: Option<Persister>,
}

impl AppState {
    /// The registry, locked (never held across an await).
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the state file when there is one and it is behind.
    pub(crate) async fn persist(&self) -> Result<(), ApiError> {
        let Some(p) = &self.persister else {
            return Ok(());
        };
        let mut written = p.written.lock().await;
        let (generation, snapshot) = self.store().snapshot();
        if generation <= *written {
            return Ok(());
        }
        let path = p.path.clone();
        let result = tokio::task::spawn_blocking(move || persist::save(&path, &snapshot))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r);
        match result {
            Ok(()) => {
                *written = generation;
                Ok(())
            }
            Err(e) => {
                tracing::error!(path = %p.path.display(), error = %e, "cannot write the state file");
                Err(ApiError::internal(format!(
                    "The change was made but the state file could not be written: {e}"
                )))
            }
        }
    }
}

/// A running server: its address, and a graceful shutdown.
///
/// Dropping the handle also stops the server (without waiting).
pub struct ServerHandle {
    addr: SocketAddr,
    tls: bool,
    state: Arc<AppState>,
    shutdown_tx: watch::Sender<bool>,
    axum_handle: axum_server::Handle<SocketAddr>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .field("tls", &self.tls)
            .finish()
    }
}

impl ServerHandle {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// True when the server speaks TLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// `http[s]://ADDR`.
    pub fn http_url(&self) -> String {
        format!(
            "{}://{}",
            if self.tls { "https" } else { "http" },
            self.addr
        )
    }

    /// The HTTP API base: `http[s]://ADDR/api/v1`.
    pub fn api_url(&self) -> String {
        format!("{}{}", self.http_url(), routes::API_BASE)
    }

    /// The WebSocket endpoint: `ws[s]://ADDR/api/v1/streams`.
    pub fn ws_url(&self) -> String {
        format!(
            "{}://{}{}{}",
            if self.tls { "wss" } else { "ws" },
            self.addr,
            routes::API_BASE,
            routes::STREAMS_WS
        )
    }

    /// Number of authenticated WebSocket connections.
    pub fn connection_count(&self) -> usize {
        self.state.hub.connection_count()
    }

    /// Stops accepting connections, closes WebSocket connections with 1001,
    /// lets requests in flight finish (up to 10 s), and writes the state file.
    pub async fn shutdown(mut self) {
        self.signal();
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "server stopped with an error"),
                Err(e) => tracing::error!(error = %e, "server task failed"),
            }
        }
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, self.state.ws_tasks.wait_idle()).await;
        if let Err(e) = self.state.persist().await {
            tracing::error!(message = %e.body.message, "state not written at shutdown");
        }
        tracing::info!("server stopped");
    }

    fn signal(&self) {
        self.shutdown_tx.send_replace(true);
        self.axum_handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if self.task.is_some() {
            self.signal();
        }
    }
}

/// The handler of one row of the route table, for its method.
fn operation_handler(r: &routes::Route) -> MethodRouter<Arc<AppState>> {
    use routes::Operation as Op;
    let method = match r.method {
        routes::Method::Get => MethodFilter::GET,
        routes::Method::Post => MethodFilter::POST,
        routes::Method::Put => MethodFilter::PUT,
        routes::Method::Delete => MethodFilter::DELETE,
    };
    match r.operation {
        Op::Publish => on(method, http_api::publish),
        Op::DefineStream => on(method, http_api::define),
        Op::DescribeStream => on(method, http_api::describe),
        Op::SchemaVersionsVector => on(method, http_api::versions_vector),
        Op::CreateClient => on(method, http_api::create_client),
        Op::DeleteClient => on(method, http_api::delete_client),
        Op::RotateSecret => on(method, http_api::rotate_secret),
        Op::RotateJwtPublicKey => on(method, http_api::jwt_public_key),
        Op::CreateJail => on(method, http_api::create_jail),
        Op::DeleteJail => on(method, http_api::delete_jail),
    }
}

fn router(state: Arc<AppState>) -> Router {
    let max_body = state.config.limits.max_body_bytes;
    let mut api = Router::new();
    for r in &routes::ROUTES {
        api = api.route(r.template, operation_handler(r));
    }
    let api = api
        .route(routes::STREAMS_WS, get(ws_conn::upgrade))
        .method_not_allowed_fallback(http_api::method_not_allowed);
    Router::new()
        .nest(routes::API_BASE, api)
        .fallback(http_api::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestDecompressionLayer::new())
        .layer(axum::middleware::map_response(http_api::json_errors))
        .with_state(state)
}

fn tls_config(pem: &crate::config::TlsPem) -> Result<rustls::ServerConfig, StartError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem.cert)
        .collect::<Result<_, _>>()
        .map_err(|e| StartError::Tls(format!("certificate: {e}")))?;
    if certs.is_empty() {
        return Err(StartError::Tls("no certificate in the PEM data".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(&pem.key)
        .map_err(|e| StartError::Tls(format!("private key: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StartError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| StartError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn load_store(config: &ServerConfig) -> Result<Store, StartError> {
    let state_err = |path: &PathBuf, message: String| StartError::State {
        path: path.clone(),
        message,
    };
    streamsea_protocol::check_jail_id(&config.root_jail)
        .map_err(|e| StartError::Config(e.to_string()))?;
    let mut store = match &config.state_file {
        Some(path) => match persist::load(path).map_err(|m| state_err(path, m))? {
            Some(state) => Store::from_persisted(state, &config.root_jail, &config.root_jail_name)
                .map_err(|m| state_err(path, m))?,
            None => Store::new(&config.root_jail, &config.root_jail_name),
        },
        None => Store::new(&config.root_jail, &config.root_jail_name),
    };
    for (id, secret) in &config.clients {
        store
            .bootstrap_client(id, secret)
            .map_err(StartError::Config)?;
    }
    if store.root_client_count() == 0 {
        return Err(StartError::Config(
            "no client in the root jail: give at least one client id and secret".into(),
        ));
    }
    Ok(store)
}

/// Starts a server with `config`.
pub(crate) async fn start(config: ServerConfig) -> Result<ServerHandle, StartError> {
    let store = load_store(&config)?;
    let root = store.root_jail().to_string();
    let tls = match &config.tls {
        Some(pem) => Some(tls_config(pem)?),
        None => None,
    };
    let listener = std::net::TcpListener::bind(config.bind).map_err(|source| StartError::Bind {
        addr: config.bind,
        source,
    })?;
    let bind = config.bind;
    let bind_err = move |source| StartError::Bind { addr: bind, source };
    listener.set_nonblocking(true).map_err(bind_err)?;
    let addr = listener.local_addr().map_err(bind_err)?;

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let persister = config.state_file.clone().map(|path| Persister {
        path,
        written: tokio::sync::Mutex::new(0),
    });
    let state = Arc::new(AppState {
        store: Mutex::new(store),
        hub: Hub::default(),
        config,
        shutdown: shutdown_rx,
        ws_tasks: TaskCounter::default(),
        persister,
    });
    // The bootstrap clients (and a new file) are written before serving.
    state.persist().await.map_err(|e| StartError::State {
        path: state.config.state_file.clone().unwrap_or_default(),
        message: e.body.message,
    })?;

    let app = router(state.clone());
    let axum_handle = axum_server::Handle::new();
    let is_tls = tls.is_some();
    let task = match tls {
        Some(tls) => {
            let rustls_config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(tls));
            let server = axum_server::tls_rustls::from_tcp_rustls(listener, rustls_config)
                .map_err(bind_err)?
                .handle(axum_handle.clone());
            tokio::spawn(async move { server.serve(app.into_make_service()).await })
        }
        None => {
            let server = axum_server::from_tcp(listener)
                .map_err(bind_err)?
                .handle(axum_handle.clone());
            tokio::spawn(async move { server.serve(app.into_make_service()).await })
        }
    };
    tracing::info!(%addr, tls = is_tls, root_jail = %root, "streamsea-server started");
    Ok(ServerHandle {
        addr,
        tls: is_tls,
        state,
        shutdown_tx,
        axum_handle,
        task: Some(task),
    })
}
