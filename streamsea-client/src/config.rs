//! The client's settings, their builder, and reading them from the
//! environment.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use streamsea_protocol::routes;
use streamsea_protocol::ws::Credentials;

use crate::error::BuildError;
use crate::reconnect::ReconnectPolicy;
use crate::resolve::Resolver;
use crate::Client;

/// The default time an HTTP request may take, and `subscribe` may wait for
/// the server's confirmation.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time opening a connection (TCP, TLS, WebSocket handshake and,
/// for the WebSocket, authentication) may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default silence (no frame at all, pings included) after which the
/// WebSocket is taken for dead. Servers ping at least every 30 s.
pub const DEFAULT_SILENCE_TIMEOUT: Duration = Duration::from_secs(75);
/// Request bodies larger than this many bytes are gzip-compressed by default.
pub const DEFAULT_GZIP_THRESHOLD: usize = 4096;
/// The default number of retries of a read (describe, versions vector) after
/// a transient failure.
pub const DEFAULT_READ_RETRIES: u32 = 2;
/// The default capacity of a subscription's buffer, in messages.
pub const DEFAULT_SUBSCRIPTION_BUFFER: usize = 256;
/// The default largest WebSocket message accepted from the server.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// The longest duration a setting holds (100 years): every duration
/// setting saturates at it, so that adding it to an instant cannot overflow.
/// A timeout or watchdog set to it (or to `Duration::MAX`) is off in
/// practice.
pub const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// The names of the environment variables [`Client::from_env`] reads.
pub mod env {
    /// The server's host name (default `localhost`).
    pub const HOST: &str = "STREAMSEA_HOST";
    /// The server's port (default: the scheme's, 80 or 443).
    pub const PORT: &str = "STREAMSEA_PORT";
    /// `true`/`false` (also `1`/`0`, `yes`/`no`): HTTPS and WSS (default false).
    pub const SECURE: &str = "STREAMSEA_SECURE";
    /// The client id (required).
    pub const CLIENT_ID: &str = "STREAMSEA_CLIENT_ID";
    /// The client secret (basic credentials).
    pub const CLIENT_SECRET: &str = "STREAMSEA_CLIENT_SECRET";
    /// A JWT issued by the client (bearer credentials; subscriptions only).
    pub const JWT: &str = "STREAMSEA_JWT";
}

/// Every setting of a client, fixed when it is built.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) host: String,
    pub(crate) port: Option<u16>,
    pub(crate) secure: bool,
    pub(crate) credentials: Credentials,
    pub(crate) request_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    /// Saturated at [`FOREVER`], which means "no watchdog"
    /// ([`Settings::watchdog`]).
    pub(crate) silence_timeout: Duration,
    pub(crate) reconnect: ReconnectPolicy,
    pub(crate) gzip_threshold: usize,
    pub(crate) read_retries: u32,
    pub(crate) full_validation: bool,
    pub(crate) max_message_bytes: usize,
    pub(crate) subscription_buffer: usize,
    pub(crate) tls: Option<Arc<rustls::ClientConfig>>,
    /// How host names are looked up, on both paths.
    pub(crate) resolver: Resolver,
}

impl Settings {
    pub(crate) fn api_url(&self) -> String {
        routes::http_base_url(&self.host, self.port, self.secure)
    }

    pub(crate) fn ws_url(&self) -> String {
        routes::ws_url(&self.host, self.port, self.secure)
    }

    /// The silence after which the connection is taken for dead; `None`
    /// when the watchdog is off.
    #[allow(dead_code)]
    pub(crate) fn watchdog(&self) -> Option<Duration> {
        (self.silence_timeout < FOREVER).then_some(self.silence_timeout)
    }
}

/// Reads `http[s]://host[:port][/api/v1[/streams]]` (or `ws[s]://`) into the
/// host, port and TLS setting.
fn parse_server_url(text: &str) -> Result<(String, Option<u16>, bool), String> {
    let url = reqwest::Url::parse(text.trim()).map_err(|e| {
        format!("{text:?} is not a URL ({e}); expected for example \"http://localhost:3104\"")
    })?;
    let secure = match url.scheme() {
        "http" | "ws" => false,
        "https" | "wss" => true,
        other => {
            return Err(format!(
                "the scheme {other:?} is not one of http, https, ws, wss"
            ))
        }
    };
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h.trim_start_matches('[').trim_end_matches(']').to_string(),
        _ => return Err(format!("{text:?} names no host")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "credentials do not go in the URL: call basic(client_id, secret) or jwt(client_id, token)"
                .into(),
        );
    }
    let path = url.path().trim_end_matches('/');
    let api = routes::API_BASE;
    let ws = format!("{api}{}", routes::STREAMS_WS);
    if !(path.is_empty() || path == api || path == ws)
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(format!(
            "{text:?} holds a path, query or fragment: give the server's address only (\"{}://{}\"); the client adds {api} itself",
            url.scheme(),
            url.host_str().unwrap_or("host")
        ));
    }
    Ok((host, url.port(), secure))
}

/// Why `host` is not a bare host name or IP address, naming the right call.
fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("it is empty: give a host name or IP address".into());
    }
    if host.contains("://") {
        return Err(format!(
            "{host:?} holds a scheme: call url({host:?}) instead of host(...)"
        ));
    }
    if host.contains(['/', '?', '#', '@', ' ']) {
        return Err(format!(
            "{host:?} holds a path, query or user information: give a host name or IP address only, or call url(\"http://...\")"
        ));
    }
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    if let Some(inner) = bare {
        return inner
            .parse::<std::net::Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| format!("{host:?} is not an IPv6 address in brackets"));
    }
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(());
    }
    if let Some((name, port)) = host.rsplit_once(':') {
        if let Ok(port) = port.parse::<u16>() {
            let name = name.trim_start_matches('[').trim_end_matches(']');
            return Err(format!(
                "{host:?} holds a port: call host({name:?}).port({port}), or url(\"http://{host}\")"
            ));
        }
        return Err(format!(
            "{host:?} holds a ':' but is neither an IPv6 address nor host:port"
        ));
    }
    Ok(())
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("secure", &self.secure)
            .field("credentials", &self.credentials)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("silence_timeout", &self.silence_timeout)
            .field("reconnect", &self.reconnect)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use streamsea_client::{Client, ReconnectPolicy};
///
/// let client = Client::builder()
///     .host("localhost")
///     .port(3104)
///     .basic("app", "secret")
///     .request_timeout(Duration::from_secs(10))
///     .reconnect(ReconnectPolicy::default().max_delay(Duration::from_secs(2)))
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("secret\""));
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    host: String,
    port: Option<u16>,
    secure: bool,
    credentials: Option<Credentials>,
    request_timeout: Duration,
    connect_timeout: Duration,
    silence_timeout: Duration,
    reconnect: ReconnectPolicy,
    gzip_threshold: usize,
    read_retries: u32,
    full_validation: bool,
    max_message_bytes: usize,
    subscription_buffer: usize,
    extra_roots: Vec<CertificateDer<'static>>,
    built_in_roots: bool,
    resolver: Resolver,
    error: Option<BuildError>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("secure", &self.secure)
            .field("credentials", &self.credentials)
            .field("extra_roots", &self.extra_roots.len())
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> ClientBuilder {
        ClientBuilder {
            host: "localhost".into(),
            port: None,
            secure: false,
            credentials: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            silence_timeout: DEFAULT_SILENCE_TIMEOUT,
            reconnect: ReconnectPolicy::default(),
            gzip_threshold: DEFAULT_GZIP_THRESHOLD,
            read_retries: DEFAULT_READ_RETRIES,
            full_validation: true,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            subscription_buffer: DEFAULT_SUBSCRIPTION_BUFFER,
            extra_roots: Vec::new(),
            built_in_roots: true,
            resolver: Resolver::system(),
            error: None,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: `localhost`, the scheme's port, plain
    /// HTTP and WS, no credentials.
    #[must_use]
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The server's host name or IP address (IPv6 with or without
    /// brackets), and nothing else: a host holding a port, a scheme or a
    /// path is refused by [`build`](Self::build), with the call to use
    /// instead ([`port`](Self::port), [`url`](Self::url)).
    #[must_use]
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The server's address as a URL: `http://host[:port]`,
    /// `https://host[:port]`, `ws://...` or `wss://...` (the scheme says
    /// whether TLS is used, [`secure`](Self::secure)). It may end with `/` or
    /// with the API base `/api/v1` (or the WebSocket endpoint
    /// `/api/v1/streams`); any other path, a query, or user information is
    /// refused by [`build`](Self::build).
    ///
    /// ```
    /// use streamsea_client::Client;
    ///
    /// let client = Client::builder().url("https://sea.example:8443").basic("app", "secret").build().unwrap();
    /// assert_eq!(client.api_url(), "https://sea.example:8443/api/v1");
    /// assert_eq!(client.ws_url(), "wss://sea.example:8443/api/v1/streams");
    /// ```
    #[must_use]
    pub fn url(mut self, url: impl AsRef<str>) -> Self {
        match parse_server_url(url.as_ref()) {
            Ok((host, port, secure)) => {
                self.host = host;
                self.port = port;
                self.secure = secure;
            }
            Err(reason) => {
                self.error.get_or_insert(BuildError::Invalid {
                    setting: "url",
                    reason,
                });
            }
        }
        self
    }

    /// The server's port. Without it, URLs carry none (80 for HTTP, 443 for
    /// HTTPS).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// HTTPS and WSS (`true`) or plain HTTP and WS.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Authenticates as `client_id` with its secret (every operation).
    #[must_use]
    pub fn basic(mut self, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic {
            client_id: client_id.into(),
            client_secret: secret.into(),
        });
        self
    }

    /// Subscribes as the bearer of a JWT issued by `client_id` (PROTOCOL.md section
    /// 6). HTTP operations need basic credentials and fail with
    /// [`NotSent::Argument`](crate::NotSent::Argument).
    #[must_use]
    pub fn jwt(mut self, client_id: impl Into<String>, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Jwt {
            client_id: client_id.into(),
            jwt: token.into(),
        });
        self
    }

    /// How long an HTTP request may take, and how long `subscribe` waits for
    /// the server's confirmation. Like every duration setting, it saturates
    /// at [`FOREVER`]: `Duration::MAX` means no limit.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long opening a connection may take (for the WebSocket: up to the
    /// authentication reply).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The silence (no frame, pings included) after which the WebSocket is
    /// taken for dead and re-opened. Keep it well above the server's ping
    /// interval (30 s at most). [`Duration::MAX`] (or anything over
    /// [`FOREVER`]) turns the watchdog off.
    #[must_use]
    pub fn silence_timeout(mut self, timeout: Duration) -> Self {
        self.silence_timeout = timeout;
        self
    }

    /// When and how often the WebSocket is re-opened.
    #[must_use]
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = policy;
        self
    }

    /// Request bodies larger than `bytes` are gzip-compressed
    /// (`usize::MAX`: never).
    #[must_use]
    pub fn gzip_threshold(mut self, bytes: usize) -> Self {
        self.gzip_threshold = bytes;
        self
    }

    /// How many times a read (describe, versions vector) is retried after a
    /// transient failure. Writes are never retried.
    #[must_use]
    pub fn read_retries(mut self, retries: u32) -> Self {
        self.read_retries = retries;
        self
    }

    /// Whether `publish` also checks the serialized value against the
    /// compiled validator of the type's schema (default: yes). The type's own
    /// `validate()` always runs.
    #[must_use]
    pub fn full_validation(mut self, on: bool) -> Self {
        self.full_validation = on;
        self
    }

    /// The largest WebSocket message accepted from the server; a larger one
    /// breaks the connection, which is then re-opened.
    #[must_use]
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// The buffer size of subscriptions made without an explicit one. A
    /// full buffer holds up the client's whole connection (see
    /// [`Subscription`](crate::Subscription)).
    #[must_use]
    pub fn subscription_buffer(mut self, messages: usize) -> Self {
        self.subscription_buffer = messages;
        self
    }

    /// Trusts the certificates (CA or self-signed) in `pem` in addition to
    /// the built-in roots.
    ///
    /// Text that is not PEM, holds no certificate, or holds one that cannot
    /// be trusted makes [`build`](Self::build) fail with
    /// [`BuildError::Tls`], whose source is the PEM reader's
    /// (`rustls::pki_types::pem::Error`) or the certificate check's
    /// (`rustls::Error`) error.
    #[must_use]
    pub fn add_root_certificate_pem(self, pem: impl AsRef<[u8]>) -> Self {
        self.add_roots(pem.as_ref(), "the PEM data")
    }

    /// Trusts the certificates in the PEM file at `path`, as
    /// [`add_root_certificate_pem`](Self::add_root_certificate_pem) does; the
    /// file is read here, once.
    ///
    /// A file that cannot be read makes [`build`](Self::build) fail with
    /// [`BuildError::Tls`] naming the file, whose source is the
    /// [`std::io::Error`].
    #[must_use]
    pub fn add_root_certificate_file(mut self, path: impl AsRef<Path>) -> Self {
        let place = format!("file `{}`", path.as_ref().display());
        match std::fs::read(path.as_ref()) {
            Ok(pem) => self.add_roots(&pem, &place),
            Err(e) => {
                self.error.get_or_insert(BuildError::tls(
                    format!("the root certificate {place} cannot be read: {e}"),
                    e,
                ));
                self
            }
        }
    }

    /// Adds the certificates of `pem`, checking each as a root; `place`
    /// says where the PEM text came from, for errors.
    fn add_roots(mut self, pem: &[u8], place: &str) -> Self {
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = match cert {
                Ok(c) => c,
                Err(e) => {
                    let after = match found {
                        0 => String::new(),
                        n => format!(" after certificate {n}"),
                    };
                    self.error.get_or_insert(BuildError::tls(
                        format!("{place} is not valid PEM{after}: {e}"),
                        e,
                    ));
                    return self;
                }
            };
            found += 1;
            // The same check the TLS configuration makes, here where the
            // certificate's place is known.
            if let Err(e) = RootCertStore::empty().add(cert.clone()) {
                self.error.get_or_insert(BuildError::tls(
                    format!("certificate {found} in {place} cannot be trusted: {e}"),
                    e,
                ));
                return self;
            }
            self.extra_roots.push(cert);
        }
        if found == 0 {
            self.error.get_or_insert(BuildError::Tls {
                reason: format!("no certificate found in {place}"),
                source: None,
            });
        }
        self
    }

    /// Whether the built-in Mozilla root certificates are trusted (default:
    /// yes). Without them only the added roots are.
    #[must_use]
    pub fn tls_built_in_roots(mut self, on: bool) -> Self {
        self.built_in_roots = on;
        self
    }

    /// Reads the settings from the `STREAMSEA_*` environment variables (see
    /// [`env`](mod@env)); builder calls made afterwards override them.
    pub fn from_env() -> Result<ClientBuilder, BuildError> {
        ClientBuilder::from_lookup(|name| match std::env::var(name) {
            Ok(v) => Ok(Some(v)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err("it is not valid UTF-8".to_string()),
        })
    }

    /// Reads the settings through `lookup`, which answers the value of an
    /// environment variable by name.
    pub(crate) fn from_lookup(
        lookup: impl Fn(&'static str) -> Result<Option<String>, String>,
    ) -> Result<ClientBuilder, BuildError> {
        let get = |name: &'static str| {
            lookup(name)
                .map(|v| v.filter(|s| !s.trim().is_empty()))
                .map_err(|reason| BuildError::Env { name, reason })
        };
        let mut b = ClientBuilder::new();
        if let Some(host) = get(env::HOST)? {
            b = b.host(host.trim());
        }
        if let Some(port) = get(env::PORT)? {
            let port = port.trim().parse::<u16>().map_err(|_| BuildError::Env {
                name: env::PORT,
                reason: format!("{port:?} is not a port number (1 to 65535)"),
            })?;
            b = b.port(port);
        }
        if let Some(secure) = get(env::SECURE)? {
            let on = match secure.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => true,
                "false" | "0" | "no" | "off" => false,
                _ => {
                    return Err(BuildError::Env {
                        name: env::SECURE,
                        reason: format!("{secure:?} is not true or false"),
                    })
                }
            };
            b = b.secure(on);
        }
        let id = get(env::CLIENT_ID)?.ok_or(BuildError::Env {
            name: env::CLIENT_ID,
            reason: "it is not set".into(),
        })?;
        match (get(env::CLIENT_SECRET)?, get(env::JWT)?) {
            (Some(secret), None) => b = b.basic(id, secret),
            (None, Some(jwt)) => b = b.jwt(id, jwt.trim()),
            (Some(_), Some(_)) => {
                return Err(BuildError::Env {
                    name: env::JWT,
                    reason: format!(
                        "both {} and {} are set: set one of them",
                        env::CLIENT_SECRET,
                        env::JWT
                    ),
                })
            }
            (None, None) => {
                return Err(BuildError::Env {
                    name: env::CLIENT_SECRET,
                    reason: format!("neither it nor {} is set", env::JWT),
                })
            }
        }
        Ok(b)
    }

    /// Looks host names up with `resolver` instead of the system's.
    #[cfg(test)]
    pub(crate) fn resolver(mut self, resolver: Resolver) -> Self {
        self.resolver = resolver;
        self
    }

    /// Builds the client. No connection is opened: HTTP connections open on
    /// the first call, the WebSocket on the first subscription.
    pub fn build(self) -> Result<Client, BuildError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let credentials = self.credentials.ok_or(BuildError::MissingCredentials)?;
        streamsea_protocol::check_client_id(credentials.client_id()).map_err(|e| {
            BuildError::Invalid {
                setting: "client id",
                reason: e.to_string(),
            }
        })?;
        let invalid = |setting, reason: &str| BuildError::Invalid {
            setting,
            reason: reason.to_string(),
        };
        let host = self.host.trim().to_string();
        check_host(&host).map_err(|reason| BuildError::Invalid {
            setting: "host",
            reason,
        })?;
        if self.port == Some(0) {
            return Err(invalid("port", "port 0 cannot be connected to"));
        }
        for (setting, d) in [
            ("request_timeout", self.request_timeout),
            ("connect_timeout", self.connect_timeout),
            ("silence_timeout", self.silence_timeout),
        ] {
            if d.is_zero() {
                return Err(invalid(setting, "it must be longer than zero"));
            }
        }
        if self.subscription_buffer == 0 {
            return Err(invalid("subscription_buffer", "it must be at least 1"));
        }
        if self.max_message_bytes < 1024 {
            return Err(invalid("max_message_bytes", "it must be at least 1024"));
        }
        self.reconnect
            .check()
            .map_err(|reason| BuildError::Invalid {
                setting: "reconnect",
                reason,
            })?;
        let tls = if self.secure {
            Some(crate::tls::client_config(
                self.built_in_roots,
                &self.extra_roots,
            )?)
        } else {
            None
        };
        let settings = Settings {
            host,
            port: self.port,
            secure: self.secure,
            credentials,
            request_timeout: self.request_timeout.min(FOREVER),
            connect_timeout: self.connect_timeout.min(FOREVER),
            silence_timeout: self.silence_timeout.min(FOREVER),
            reconnect: self.reconnect,
            gzip_threshold: self.gzip_threshold,
            read_retries: self.read_retries,
            full_validation: self.full_validation,
            max_message_bytes: self.max_message_bytes,
            subscription_buffer: self.subscription_buffer,
            tls,
            resolver: self.resolver,
        };
        Client::from_settings(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&'static str, &str)]) -> Result<ClientBuilder, BuildError> {
        let map: HashMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
        ClientBuilder::from_lookup(|name| Ok(map.get(name).cloned()))
    }

    #[test]
    fn reads_the_environment() {
        let b = lookup(&[
            (env::HOST, "sea.example"),
            (env::PORT, "8443"),
            (env::SECURE, "TRUE"),
            (env::CLIENT_ID, "app"),
            (env::CLIENT_SECRET, "hunter2"),
        ])
        .unwrap();
        assert_eq!(b.host, "sea.example");
        assert_eq!(b.port, Some(8443));
        assert!(b.secure);
        assert!(matches!(b.credentials, Some(Credentials::Basic { .. })));
        assert!(!format!("{b:?}").contains("hunter2"));

        let b = lookup(&[(env::CLIENT_ID, "app"), (env::JWT, "a.b.c")]).unwrap();
        assert_eq!(b.host, "localhost");
        assert!(matches!(b.credentials, Some(Credentials::Jwt { .. })));
    }

    #[test]
    fn environment_errors_name_the_variable() {
        let e = lookup(&[(env::CLIENT_ID, "a"), (env::PORT, "99999")]).unwrap_err();
        assert!(
            matches!(
                e,
                BuildError::Env {
                    name: env::PORT,
                    ..
                }
            ),
            "{e}"
        );
        let e = lookup(&[(env::CLIENT_ID, "a"), (env::SECURE, "maybe")]).unwrap_err();
        assert!(e.to_string().contains("STREAMSEA_SECURE"), "{e}");
        let e = lookup(&[(env::CLIENT_SECRET, "s")]).unwrap_err();
        assert!(e.to_string().contains("STREAMSEA_CLIENT_ID"), "{e}");
        let e = lookup(&[(env::CLIENT_ID, "a")]).unwrap_err();
        assert!(e.to_string().contains("STREAMSEA_CLIENT_SECRET"), "{e}");
        let e = lookup(&[
            (env::CLIENT_ID, "a"),
            (env::CLIENT_SECRET, "s"),
            (env::JWT, "t"),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("set one of them"), "{e}");
        let e = ClientBuilder::from_lookup(|_| Err("it is not valid UTF-8".into())).unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let client = ClientBuilder::new()
            .basic("app", "hunter2")
            .build()
            .unwrap();
        let text = format!("{client:?}");
        assert!(text.contains("app") && !text.contains("hunter2"), "{text}");
        let client = ClientBuilder::new()
            .jwt("app", "eyJ.token.sig")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("eyJ"));
    }

    #[test]
    fn clients_and_subscriptions_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Client>();
        check::<crate::Subscription<serde_json::Value>>();
        check::<ClientBuilder>();
    }

    #[test]
    fn hosts_and_urls() {
        let host = |h: &str| ClientBuilder::new().host(h).basic("a", "s").build();
        for ok in ["localhost", "127.0.0.1", "::1", "[::1]", "sea.example"] {
            assert!(host(ok).is_ok(), "{ok}");
        }
        let e = host("127.0.0.1:3104").unwrap_err();
        assert!(
            e.to_string().contains("host(\"127.0.0.1\").port(3104)"),
            "{e}"
        );
        let e = host("[::1]:3104").unwrap_err();
        assert!(e.to_string().contains("host(\"::1\").port(3104)"), "{e}");
        assert!(host("sea.example/api").is_err());
        assert!(host("").is_err());

        let url = |u: &str| ClientBuilder::new().url(u).basic("a", "s").build();
        let c = url("http://localhost:3104").unwrap();
        assert_eq!(c.api_url(), "http://localhost:3104/api/v1");
        let c = url("wss://[::1]/api/v1/streams").unwrap();
        assert_eq!(c.ws_url(), "wss://[::1]/api/v1/streams");
        let c = url("https://sea.example/").unwrap();
        assert_eq!(c.api_url(), "https://sea.example/api/v1");
        for bad in [
            "ftp://x",
            "localhost:3104",
            "http://x/other",
            "http://u:p@x",
            "http://x?a=1",
        ] {
            let e = url(bad).unwrap_err();
            assert!(
                matches!(e, BuildError::Invalid { setting: "url", .. }),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn durations_saturate() {
        let b = ClientBuilder::new()
            .basic("a", "s")
            .silence_timeout(Duration::MAX)
            .request_timeout(Duration::MAX)
            .connect_timeout(Duration::MAX);
        let client = b.build().unwrap();
        let s = &client.inner_settings();
        assert_eq!(s.silence_timeout, FOREVER);
        assert_eq!(s.watchdog(), None);
        assert!(std::time::Instant::now()
            .checked_add(s.request_timeout)
            .is_some());
        let s = ClientBuilder::new()
            .basic("a", "s")
            .build()
            .unwrap()
            .inner_settings();
        assert_eq!(s.watchdog(), Some(DEFAULT_SILENCE_TIMEOUT));
    }

    #[test]
    fn build_checks_settings() {
        assert_eq!(
            ClientBuilder::new().build().unwrap_err(),
            BuildError::MissingCredentials
        );
        let e = ClientBuilder::new().basic("a:b", "s").build().unwrap_err();
        assert!(e.to_string().contains("client id"), "{e}");
        let e = ClientBuilder::new()
            .host("http://x")
            .basic("a", "s")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("url(\"http://x\")"), "{e}");
        let e = ClientBuilder::new()
            .basic("a", "s")
            .subscription_buffer(0)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("subscription_buffer"), "{e}");
        let e = ClientBuilder::new()
            .basic("a", "s")
            .add_root_certificate_pem("not a certificate")
            .build()
            .unwrap_err();
        assert!(matches!(e, BuildError::Tls { .. }), "{e}");
    }
}
