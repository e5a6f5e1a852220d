//! A client from the connection flags and variables, and where each setting
//! came from, so that every error names the flag or variable at fault.
//!
//! Each setting is taken from the first of: its flag; its `STREAMSEA_*`
//! variable (the ones `Client::from_env` reads); the official tool's
//! `STREAM_SEA_*` variable (host, port, client id and secret); its default.
//! Without a port, a server on `localhost` or a loopback address is reached
//! on 3104, where `streamsea serve` listens; any other server on 443, with
//! or without `--secure`, as the official tools do (so an `ssc` command line
//! reaches the same port; plain HTTP to a TLS port is then reported with
//! the `--secure` it lacks).

use std::fmt;
use std::net::IpAddr;

use streamsea_client::{env, BuildError, Client, ClientBuilder, NetworkCause};

use crate::args::Connection;
use crate::exit::{Cause, CliError};
use crate::input::file_error;
use crate::token;

/// The variables of the official `ssc` tool, read after the `STREAMSEA_*` ones.
pub mod legacy_env {
    /// The server's host name.
    pub const HOST: &str = "STREAM_SEA_HOST";
    /// The server's port.
    pub const PORT: &str = "STREAM_SEA_PORT";
    /// The client id.
    pub const CLIENT_ID: &str = "STREAM_SEA_CLIENT_ID";
    /// The client secret.
    pub const CLIENT_SECRET: &str = "STREAM_SEA_CLIENT_SECRET";
}

/// The port `streamsea serve` listens on by default, used for servers on
/// `localhost` and loopback addresses when no port is given.
pub const LOCAL_PORT: u16 = 3104;

/// Where a connection setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A flag on the command line (its canonical spelling).
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// The default, and why it applies.
    Default(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "from {flag}"),
            Origin::Env(name) => write!(f, "from {name}"),
            Origin::Default(why) => f.write_str(why),
        }
    }
}

/// The credential the client authenticates with.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A client secret (basic credentials).
    Secret(String),
    /// A JWT the client issued.
    Jwt(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Secret(_) => f.write_str("Secret(***)"),
            Credential::Jwt(_) => f.write_str("Jwt(***)"),
        }
    }
}

/// The settings a client is built from, each with its origin.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The server's host.
    pub host: (String, Origin),
    /// The server's port.
    pub port: (u16, Origin),
    /// HTTPS and WSS.
    pub secure: (bool, Origin),
    /// The client id.
    pub client_id: (String, Origin),
    /// The secret or JWT.
    pub credential: (Credential, Origin),
}

impl Settings {
    /// Reads the settings from the flags and, through `lookup`, the
    /// environment. `lookup` answers a variable's value (`Err`: it is set
    /// but unreadable).
    pub fn resolve(
        connection: &Connection,
        lookup: impl Fn(&'static str) -> Result<Option<String>, String>,
    ) -> Result<Settings, CliError> {
        let var = |names: &[&'static str]| -> Result<Option<(String, Origin)>, CliError> {
            for &name in names {
                match lookup(name) {
                    Ok(Some(v)) if !v.trim().is_empty() => {
                        return Ok(Some((v.trim().to_string(), Origin::Env(name))))
                    }
                    Ok(_) => {}
                    Err(reason) => return Err(CliError::usage(format!("{name}: {reason}"))),
                }
            }
            Ok(None)
        };
        let flag = |value: &Option<String>, name: &'static str| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (v.to_string(), Origin::Flag(name)))
        };

        let host = match flag(&connection.host, "--host") {
            Some(h) => h,
            None => var(&[env::HOST, legacy_env::HOST])?
                .unwrap_or_else(|| ("localhost".into(), Origin::Default("the default host"))),
        };
        check_host(&host)?;
        let secure = if connection.secure {
            (true, Origin::Flag("--secure"))
        } else {
            match var(&[env::SECURE])? {
                Some((v, origin)) => (
                    parse_bool(&v).ok_or_else(|| {
                        CliError::usage(format!(
                            "{}: {v:?} is not true or false (also 1/0, yes/no, on/off)",
                            env::SECURE
                        ))
                    })?,
                    origin,
                ),
                None => (false, Origin::Default("the default")),
            }
        };
        let port = match connection.port {
            Some(p) => (p, Origin::Flag("--port")),
            None => match var(&[env::PORT, legacy_env::PORT])? {
                Some((v, origin)) => {
                    let name = match &origin {
                        Origin::Env(name) => *name,
                        _ => env::PORT,
                    };
                    let port = v.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
                        CliError::usage(format!("{name}: {v:?} is not a port number (1 to 65535)"))
                    })?;
                    (port, origin)
                }
                None if is_local(&host.0) => (
                    LOCAL_PORT,
                    Origin::Default(
                        "the default for a local server, where `streamsea serve` listens",
                    ),
                ),
                None => (443, Origin::Default("the default of the official tools")),
            },
        };
        let client_id = match flag(&connection.client_id, "--client-id") {
            Some(id) => id,
            None => var(&[env::CLIENT_ID, legacy_env::CLIENT_ID])?.ok_or_else(|| {
                CliError::usage(format!(
                    "no client id: pass --client-id or set {}",
                    env::CLIENT_ID
                ))
            })?,
        };
        let secret_flag = flag(&connection.client_secret, "--client-secret");
        let jwt_flag = flag(&connection.jwt, "--jwt");
        let credential = match (secret_flag, jwt_flag) {
            (Some(_), Some(_)) => {
                return Err(CliError::usage(
                    "both --client-secret and --jwt are given: give one",
                ))
            }
            (Some((s, o)), None) => (Credential::Secret(s), o),
            (None, Some((t, o))) => (Credential::Jwt(t), o),
            (None, None) => {
                let secret = var(&[env::CLIENT_SECRET, legacy_env::CLIENT_SECRET])?;
                let jwt = var(&[env::JWT])?;
                match (secret, jwt) {
                    (Some((s, o)), None) => (Credential::Secret(s), o),
                    (None, Some((t, o))) => (Credential::Jwt(t), o),
                    (Some((_, a)), Some((_, b))) => {
                        return Err(CliError::usage(format!(
                            "both a client secret ({a}) and a JWT ({b}) are given: give one (unset a variable, or pass --client-secret or --jwt)"
                        )))
                    }
                    (None, None) => {
                        return Err(CliError::usage(format!(
                            "no credentials: pass --client-secret (or set {}), or --jwt (or set {})",
                            env::CLIENT_SECRET,
                            env::JWT
                        )))
                    }
                }
            }
        };
        Ok(Settings {
            host,
            port,
            secure,
            client_id,
            credential,
        })
    }

    /// Reads the settings from the flags and the process's environment.
    pub fn from_env(connection: &Connection) -> Result<Settings, CliError> {
        Settings::resolve(connection, |name| match std::env::var(name) {
            Ok(v) => Ok(Some(v)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err("not valid UTF-8".into()),
        })
    }

    /// `host:port` with the origin of each: `localhost:3104 (host: the
    /// default host; port: the default for a local server, ...)`.
    pub fn address(&self) -> String {
        let (host, host_from) = &self.host;
        let (port, port_from) = &self.port;
        let shown = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        format!("{shown} (host {host_from}, port {port_from})")
    }

    /// `client `app`, with the secret from STREAMSEA_CLIENT_SECRET`.
    pub fn identity(&self) -> String {
        let (id, id_from) = &self.client_id;
        let (credential, from) = &self.credential;
        let what = match credential {
            Credential::Secret(_) => "the secret",
            Credential::Jwt(_) => "the JWT",
        };
        format!("client `{id}` ({id_from}) with {what} {from}")
    }
}

/// Refuses a host that holds a scheme, a port or a path, naming the flag or
/// variable it came from and what to write instead.
fn check_host((host, origin): &(String, Origin)) -> Result<(), CliError> {
    let name = match origin {
        Origin::Flag(flag) => flag.to_string(),
        Origin::Env(var) => var.to_string(),
        Origin::Default(_) => return Ok(()),
    };
    let fail = |what: String| Err(CliError::usage(format!("{name} `{host}`: {what}")));
    if let Some((scheme, rest)) = host.split_once("://") {
        let bare = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let tls = if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
            ", and --secure for TLS"
        } else {
            ""
        };
        return fail(format!(
            "give the host alone (`{bare}`, with --port for a port{tls})"
        ));
    }
    let unbracketed = host.trim_start_matches('[').trim_end_matches(']');
    if unbracketed.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(());
    }
    if let Some((bare, port)) = host.rsplit_once(':') {
        if port.parse::<u16>().is_ok() {
            return fail(format!("the port goes apart: --host {bare} --port {port}"));
        }
    }
    if host.contains(['/', '?', '#', '@', ' ']) {
        return fail("expected a host name or IP address, without a path".to_string());
    }
    Ok(())
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// True for `localhost` and loopback addresses.
pub fn is_local(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Builds the client `settings` describe, trusting `--ca-cert`. No
/// connection is opened yet.
pub fn build(settings: &Settings, connection: &Connection) -> Result<Client, CliError> {
    let (port, secure) = (settings.port.0, settings.secure.0);
    let mut builder = ClientBuilder::new()
        .host(settings.host.0.clone())
        .secure(secure);
    // The scheme's own port stays out of the URLs.
    if port != if secure { 443 } else { 80 } {
        builder = builder.port(port);
    }
    if let Some(path) = &connection.ca_cert {
        builder = builder.add_root_certificate_file(path);
    }
    let id = settings.client_id.0.clone();
    builder = match &settings.credential.0 {
        Credential::Secret(secret) => builder.basic(id, secret.clone()),
        Credential::Jwt(token) => builder.jwt(id, token.clone()),
    };
    builder.build().map_err(|e| match e {
        BuildError::Tls { reason, source } => {
            // A file that cannot be read is said as for every other file
            // option.
            let io = source
                .as_deref()
                .and_then(|s| s.downcast_ref::<std::io::Error>());
            match (io, &connection.ca_cert) {
                (Some(io), Some(path)) => file_error(path, io).context("--ca-cert"),
                _ => CliError::usage(format!("--ca-cert: {reason}")),
            }
        }
        BuildError::Invalid { setting, reason } => {
            let origin = match setting {
                "host" => Some(&settings.host.1),
                "client id" => Some(&settings.client_id.1),
                _ => None,
            };
            match origin {
                Some(o) => CliError::usage(format!("the {setting} ({o}): {reason}")),
                None => CliError::usage(format!("{setting}: {reason}")),
            }
        }
        other => other.into(),
    })
}

/// Builds the client the connection flags and variables describe.
pub fn client(connection: &Connection) -> Result<Client, CliError> {
    build(&Settings::from_env(connection)?, connection)
}

/// Adds to a failure what the user needs to act on it: who authenticated
/// with what from where, or which address was tried and where its host and
/// port came from.
pub fn explain(mut e: CliError, settings: &Settings) -> CliError {
    match e.cause {
        Cause::Authentication => {
            e.message = format!("{}; authenticated as {}", e.message, settings.identity());
            if let Credential::Jwt(token) = &settings.credential.0 {
                if let Some(note) = token::expiry_note(token) {
                    e.message = format!("{}; {note}", e.message);
                }
            }
        }
        Cause::Connection(network) => {
            let address = settings.address();
            // The kind comes from the error's source chain (the TLS
            // library's error variant, the I/O error's kind), not its text.
            let note = match network {
                Some(NetworkCause::NotTls) => format!(
                    "the server at {address} does not speak TLS: drop --secure (secure {})",
                    settings.secure.1
                ),
                Some(NetworkCause::Certificate) => format!(
                    "the server at {address} presented a certificate this client does not trust: pass --ca-cert FILE with its certificate or its CA's"
                ),
                Some(NetworkCause::Tls) => {
                    format!("the TLS handshake with the server at {address} failed")
                }
                Some(NetworkCause::ConnectionRefused) => format!("nothing listens at {address}"),
                Some(NetworkCause::Dns) => format!("the host name does not resolve: {address}"),
                Some(NetworkCause::Timeout) => format!("no answer in time from {address}"),
                _ => format!("no connection to {address}"),
            };
            e.message = format!("{}; {note}", e.message);
        }
        Cause::NoAnswer if !settings.secure.0 => {
            e.message = format!(
                "{}; if the server at {} speaks TLS, pass --secure",
                e.message,
                settings.address()
            );
        }
        Cause::NotStreamSea => {
            e.message = format!(
                "{}; is that the stream-sea server? (tried {})",
                e.message,
                settings.address()
            );
        }
        Cause::NoAnswer | Cause::Other => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn connection(host: &str, secure: bool, port: Option<u16>) -> Connection {
        Connection {
            host: Some(host.into()),
            port,
            secure,
            client_id: Some("app".into()),
            client_secret: Some("secret".into()),
            ..Connection::default()
        }
    }

    fn resolve(c: &Connection, vars: &[(&'static str, &str)]) -> Result<Settings, CliError> {
        let map: HashMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
        Settings::resolve(c, |name| Ok(map.get(name).cloned()))
    }

    fn client_for(c: &Connection) -> Client {
        build(&resolve(c, &[]).unwrap(), c).unwrap()
    }

    #[test]
    fn without_a_port_remote_servers_use_443_and_local_ones_3104() {
        let secure = client_for(&connection("example.com", true, None));
        assert_eq!(secure.api_url(), "https://example.com/api/v1");
        assert_eq!(secure.ws_url(), "wss://example.com/api/v1/streams");
        // As the official tools: 443 without --secure too.
        let plain = client_for(&connection("example.com", false, None));
        assert_eq!(plain.api_url(), "http://example.com:443/api/v1");
        let given = client_for(&connection("example.com", true, Some(3104)));
        assert_eq!(given.api_url(), "https://example.com:3104/api/v1");
        for local in ["localhost", "127.0.0.1", "127.3.2.1", "::1", "LOCALHOST"] {
            let s = resolve(&connection(local, false, None), &[]).unwrap();
            assert_eq!(s.port.0, LOCAL_PORT, "{local}");
            let s = resolve(&connection(local, true, None), &[]).unwrap();
            assert_eq!(s.port.0, LOCAL_PORT, "{local}");
        }
        let s = resolve(
            &Connection::default(),
            &[(env::CLIENT_ID, "a"), (env::JWT, "t")],
        )
        .unwrap();
        assert_eq!(s.host.0, "localhost");
        assert_eq!(s.port.0, LOCAL_PORT);
        assert!(s.address().contains("streamsea serve"), "{}", s.address());
    }

    #[test]
    fn the_local_port_is_the_servers_default() {
        let bind: std::net::SocketAddr = streamsea_server::DEFAULT_BIND.parse().unwrap();
        assert_eq!(bind.port(), LOCAL_PORT);
    }

    #[test]
    fn flags_win_over_streamsea_variables_which_win_over_the_official_tools() {
        let none = Connection::default();
        let s = resolve(
            &none,
            &[
                (legacy_env::HOST, "old.example"),
                (legacy_env::PORT, "8443"),
                (legacy_env::CLIENT_ID, "old"),
                (legacy_env::CLIENT_SECRET, "old-secret"),
            ],
        )
        .unwrap();
        assert_eq!(
            s.host,
            ("old.example".into(), Origin::Env(legacy_env::HOST))
        );
        assert_eq!(s.port, (8443, Origin::Env(legacy_env::PORT)));
        assert_eq!(s.client_id.1, Origin::Env(legacy_env::CLIENT_ID));
        assert_eq!(
            s.credential,
            (
                Credential::Secret("old-secret".into()),
                Origin::Env(legacy_env::CLIENT_SECRET)
            )
        );
        let s = resolve(
            &none,
            &[
                (legacy_env::HOST, "old.example"),
                (env::HOST, "new.example"),
                (env::CLIENT_ID, "new"),
                (legacy_env::CLIENT_ID, "old"),
                (env::CLIENT_SECRET, "s"),
            ],
        )
        .unwrap();
        assert_eq!(s.host.0, "new.example");
        assert_eq!(s.client_id.0, "new");
        assert_eq!(
            s.port,
            (443, Origin::Default("the default of the official tools"))
        );
        let s = resolve(
            &connection("flag.example", false, Some(1)),
            &[(env::HOST, "new.example"), (env::PORT, "2")],
        )
        .unwrap();
        assert_eq!(s.host, ("flag.example".into(), Origin::Flag("--host")));
        assert_eq!(s.port, (1, Origin::Flag("--port")));
        assert_eq!(
            s.identity(),
            "client `app` (from --client-id) with the secret from --client-secret"
        );
    }

    #[test]
    fn connection_failures_are_explained_by_their_kind_not_their_text() {
        let settings = resolve(&connection("sea.example", true, Some(8443)), &[]).unwrap();
        let explained = |message: &str, cause: Option<NetworkCause>| {
            let e = CliError::failure(message).with_cause(Cause::Connection(cause));
            explain(e, &settings).message
        };
        let note = |cause| explained("cannot connect", cause);
        assert!(
            note(Some(NetworkCause::NotTls))
                .ends_with("does not speak TLS: drop --secure (secure from --secure)"),
            "{}",
            note(Some(NetworkCause::NotTls))
        );
        assert!(note(Some(NetworkCause::Certificate))
            .contains("presented a certificate this client does not trust: pass --ca-cert FILE"));
        assert!(note(Some(NetworkCause::Tls)).contains("the TLS handshake with the server at"));
        assert!(note(Some(NetworkCause::ConnectionRefused)).contains("nothing listens at"));
        assert!(note(Some(NetworkCause::Dns)).contains("the host name does not resolve"));
        assert!(note(Some(NetworkCause::Timeout)).contains("no answer in time"));
        // The words of the message play no part: only the kind does.
        let misleading = explained(
            "received corrupt message of type InvalidContentType; invalid peer certificate; Connection refused",
            None,
        );
        assert!(
            misleading.ends_with(&format!("; no connection to {}", settings.address())),
            "{misleading}"
        );
        let misleading = explained("invalid peer certificate", Some(NetworkCause::NotTls));
        assert!(misleading.contains("does not speak TLS"), "{misleading}");
        assert!(!misleading.contains("does not trust"), "{misleading}");
    }

    #[test]
    fn errors_name_the_variable_the_value_came_from() {
        let none = Connection::default();
        let base = [(env::CLIENT_ID, "a"), (env::CLIENT_SECRET, "s")];
        let with = |extra: (&'static str, &str)| {
            let mut vars = base.to_vec();
            vars.push(extra);
            resolve(&none, &vars).unwrap_err().message
        };
        assert_eq!(
            with((env::PORT, "abc")),
            "STREAMSEA_PORT: \"abc\" is not a port number (1 to 65535)"
        );
        assert_eq!(
            with((legacy_env::PORT, "0")),
            "STREAM_SEA_PORT: \"0\" is not a port number (1 to 65535)"
        );
        assert!(with((env::SECURE, "maybe")).starts_with("STREAMSEA_SECURE: \"maybe\""));
        let e = resolve(
            &none,
            &[
                (env::CLIENT_ID, "a"),
                (env::CLIENT_SECRET, "s"),
                (env::JWT, "t"),
            ],
        )
        .unwrap_err();
        assert!(e.message.contains("from STREAMSEA_CLIENT_SECRET"), "{e}");
        assert!(e.message.contains("from STREAMSEA_JWT"), "{e}");
        let e = Settings::resolve(&none, |_| Err("not valid UTF-8".into())).unwrap_err();
        assert_eq!(e.message, "STREAMSEA_HOST: not valid UTF-8");
        let with_host = |h: &str| {
            resolve(&connection(h, false, None), &[])
                .unwrap_err()
                .message
        };
        assert_eq!(
            with_host("https://sea.example:8443/api"),
            "--host `https://sea.example:8443/api`: give the host alone (`sea.example:8443`, with --port for a port, and --secure for TLS)"
        );
        assert_eq!(
            with_host("localhost:3104"),
            "--host `localhost:3104`: the port goes apart: --host localhost --port 3104"
        );
        assert!(with_host("a b").contains("without a path"));
        let e = resolve(
            &Connection::default(),
            &[
                (env::HOST, "127.0.0.1:80"),
                (env::CLIENT_ID, "a"),
                (env::JWT, "t"),
            ],
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("STREAMSEA_HOST `127.0.0.1:80`"),
            "{e}"
        );
        for ok in ["::1", "[::1]", "sea.example", "10.0.0.1"] {
            assert!(
                resolve(&connection(ok, false, Some(1)), &[]).is_ok(),
                "{ok}"
            );
        }
    }
}
