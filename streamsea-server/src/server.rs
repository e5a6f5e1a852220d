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
use tokio::sync::{watch, Notify, Semaphore};
use tower_http::decompression::RequestDecompressionLayer;

use crate::config::ServerConfig;
use crate::conn_guard::{GuardAcceptor, RefusalLog};
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

/// What every handler and connection shares.
pub(crate) struct AppState {
    /// The registry as it is on disk (with a state file): changes are made
    /// on a clone and swapped in only once written.
    store: Mutex<Store>,
    /// Serializes changes, so each is made on the latest registry and an
    /// answer is sent only once what it reports is on disk.
    writer: tokio::sync::Mutex<()>,
    state_file: Option<PathBuf>,
    /// Permits for work that may be large (big bodies, big definitions),
    /// which runs on blocking threads, a bounded number at a time.
    heavy: Arc<Semaphore>,
    /// Permits for WebSocket connections that have not authenticated yet.
    pub(crate) unauthenticated_ws: Arc<Semaphore>,
    /// Logs refused WebSocket upgrades, at most once a second.
    pub(crate) ws_refusals: RefusalLog,
    pub(crate) hub: Hub,
    pub(crate) config: ServerConfig,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) ws_tasks: TaskCounter,
}

impl AppState {
    /// The registry, locked (never held across an await).
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `work` on a blocking thread, at most a few at a time, so a large
    /// request cannot hold up the async workers that serve everyone else.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .heavy
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("The server is shutting down"))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| {
            tracing::error!(error = %e, "a request's work failed");
            ApiError::internal("The request could not be completed")
        })
    }

    /// Makes a change to the registry. The change is made on a copy, written
    /// to the state file (when there is one), and only then becomes the
    /// registry: an `Ok` means the change is on disk, an `Err` means nothing
    /// changed. Changes are made one at a time, so an answer that finds
    /// nothing to change ("unchanged") reports what is already on disk.
    pub(crate) async fn change<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _writer = self.writer.lock().await;
        let mut next = self.store().clone();
        let path = self.state_file.clone();
        let (result, next) = self
            .blocking(move || {
                let before = next.generation();
                let result = change(&mut next).and_then(|value| {
                    if next.generation() == before {
                        return Ok(value);
                    }
                    let Some(path) = path else {
                        return Ok(value);
                    };
                    match persist::save(&path, &next.snapshot().1) {
                        Ok(()) => Ok(value),
                        Err(e) => {
                            tracing::error!(path = %path.display(), error = %e, "cannot write the state file; the change is not applied");
                            Err(ApiError::internal(format!(
                                "The change was not applied: the state file could not be written ({e})"
                            )))
                        }
                    }
                });
                (result, next)
            })
            .await?;
        if result.is_ok() {
            *self.store() = next;
        }
        result
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

    /// Bytes of deliveries waiting in the outbound queues of all
    /// connections; kept within [`Limits::delivery_budget_bytes`](crate::Limits::delivery_budget_bytes)
    /// (plus at most one publish call, while the slowest consumers it closed
    /// give their queues back).
    pub fn queued_delivery_bytes(&self) -> usize {
        self.state.hub.budget().used()
    }

    /// Stops accepting connections, closes WebSocket connections with 1001,
    /// and lets requests in flight finish (up to 10 s). (Every change is on
    /// disk before it is acknowledged: there is nothing left to write.)
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
    if let Some(path) = &config.state_file {
        let removed = persist::remove_stale_temps(path).map_err(|m| state_err(path, m))?;
        if removed > 0 {
            tracing::warn!(path = %path.display(), removed, "removed temporary files an interrupted write left");
        }
    }
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
    // The bootstrap clients (and a new file) are written before serving.
    if let Some(path) = &config.state_file {
        persist::save(path, &store.snapshot().1).map_err(|message| StartError::State {
            path: path.clone(),
            message,
        })?;
    }
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
    // Large work gets all cores but one, so small requests always find one.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let state = Arc::new(AppState {
        store: Mutex::new(store),
        writer: tokio::sync::Mutex::new(()),
        state_file: config.state_file.clone(),
        heavy: Arc::new(Semaphore::new(cores.saturating_sub(1).max(1))),
        unauthenticated_ws: Arc::new(Semaphore::new(config.limits.max_unauthenticated_ws)),
        ws_refusals: RefusalLog::default(),
        hub: Hub::new(config.limits.delivery_budget_bytes),
        config,
        shutdown: shutdown_rx,
        ws_tasks: TaskCounter::default(),
    });

    let app = router(state.clone());
    let axum_handle = axum_server::Handle::new();
    let is_tls = tls.is_some();
    let limits = &state.config.limits;
    let guard = GuardAcceptor::new(limits.max_connections, state.config.idle_timeout, !is_tls);
    let head_timeout = state.config.head_timeout;
    let task = match tls {
        Some(tls) => {
            let rustls_config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(tls));
            let mut server = axum_server::tls_rustls::from_tcp_rustls(listener, rustls_config)
                .map_err(bind_err)?
                .map(|tls| tls.acceptor(guard))
                .first_request_timeout(head_timeout)
                .handle(axum_handle.clone());
            server
                .http_builder()
                .http1()
                .header_read_timeout(head_timeout);
            tokio::spawn(async move { server.serve(app.into_make_service()).await })
        }
        None => {
            let mut server = axum_server::from_tcp(listener)
                .map_err(bind_err)?
                .acceptor(guard)
                .first_request_timeout(head_timeout)
                .handle(axum_handle.clone());
            server
                .http_builder()
                .http1()
                .header_read_timeout(head_timeout);
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
