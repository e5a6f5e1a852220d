//! The server's command-line options, shared by the `streamsea-server`
//! binary and `streamsea serve`, so both take the same flags, and the
//! binaries' logging set-up. Only with the `cli` feature: a program that
//! embeds the server compiles neither `clap` nor a global logger.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{Limits, ServerBuilder, DEFAULT_BIND, DEFAULT_ROOT_JAIL};
use crate::Server;

/// The options of a server started from a command line. `Debug` shows the
/// clients' ids, never their secrets.
#[derive(Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// A client of the root jail, as ID:SECRET (repeatable).
    #[arg(long = "client", value_name = "ID:SECRET", value_parser = parse_client)]
    pub clients: Vec<(String, String)>,
    /// The root jail's id.
    #[arg(long, default_value = DEFAULT_ROOT_JAIL)]
    pub root_jail: String,
    /// The root jail's name [default: its id].
    #[arg(long)]
    pub root_jail_name: Option<String>,
    /// Keep jails, clients, keys and schemas in this file across restarts.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Time between WebSocket pings (`25`, `25s`, `1m`).
    #[arg(long, value_name = "DURATION", default_value = "25s", value_parser = parse_duration)]
    pub ping_interval: Duration,
    /// Time a WebSocket connection may stay open without authenticating.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub auth_timeout: Duration,
    /// Largest HTTP request body in bytes, after decompression.
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Largest WebSocket message a client may send, in bytes.
    #[arg(long, default_value_t = Limits::default().max_frame_bytes)]
    pub max_frame_bytes: usize,
    /// Deliveries that may wait for one connection before it is closed as a slow consumer.
    #[arg(long, default_value_t = Limits::default().outbound_queue)]
    pub outbound_queue: usize,
    /// Bytes of deliveries that may wait for one connection before it is closed as a slow consumer.
    #[arg(long, default_value_t = Limits::default().outbound_queue_bytes)]
    pub outbound_queue_bytes: usize,
    /// Subscriptions one connection may hold.
    #[arg(long, default_value_t = Limits::default().max_subscriptions)]
    pub max_subscriptions: usize,
    /// Bytes of deliveries that may wait across all connections; beyond it the
    /// slowest consumers are closed.
    #[arg(long, default_value_t = Limits::default().delivery_budget_bytes)]
    pub delivery_budget_bytes: usize,
    /// Fields a stream definition may have, at every depth.
    #[arg(long, default_value_t = Limits::default().max_definition_fields)]
    pub max_definition_fields: usize,
    /// Enum values a stream definition may have, all enum fields together.
    #[arg(long, default_value_t = Limits::default().max_enum_values)]
    pub max_enum_values: usize,
    /// Messages one publish may carry.
    #[arg(long, default_value_t = Limits::default().max_batch_messages)]
    pub max_batch_messages: usize,
    /// Connections that may be open at once (HTTP and WebSocket).
    #[arg(long, default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,
    /// WebSocket connections that may wait to authenticate at once.
    #[arg(long, default_value_t = Limits::default().max_unauthenticated_ws)]
    pub max_unauthenticated_ws: usize,
    /// Time a client may take to send a request head.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub head_timeout: Duration,
    /// Time a connection may wait with no byte read or written (stalled
    /// bodies, idle keep-alive connections, peers that stop reading).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub idle_timeout: Duration,
    /// TLS certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM); needs --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl std::fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let clients: Vec<String> = self
            .clients
            .iter()
            .map(|(id, _)| format!("{id}:***"))
            .collect();
        f.debug_struct("ServeArgs")
            .field("bind", &self.bind)
            .field("clients", &clients)
            .field("root_jail", &self.root_jail)
            .field("root_jail_name", &self.root_jail_name)
            .field("state", &self.state)
            .field("ping_interval", &self.ping_interval)
            .field("auth_timeout", &self.auth_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("outbound_queue", &self.outbound_queue)
            .field("outbound_queue_bytes", &self.outbound_queue_bytes)
            .field("max_subscriptions", &self.max_subscriptions)
            .field("delivery_budget_bytes", &self.delivery_budget_bytes)
            .field("max_definition_fields", &self.max_definition_fields)
            .field("max_enum_values", &self.max_enum_values)
            .field("max_batch_messages", &self.max_batch_messages)
            .field("max_connections", &self.max_connections)
            .field("max_unauthenticated_ws", &self.max_unauthenticated_ws)
            .field("head_timeout", &self.head_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("tls_cert", &self.tls_cert)
            .field("tls_key", &self.tls_key)
            .finish()
    }
}

/// A file named by an option that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{option} {}: {source}", path.display())]
pub struct OptionFileError {
    /// The option naming the file.
    pub option: &'static str,
    /// The file.
    pub path: PathBuf,
    /// Why it could not be read.
    pub source: std::io::Error,
}

impl ServeArgs {
    /// A server builder with these settings (TLS files are read here).
    pub fn builder(&self) -> Result<ServerBuilder, OptionFileError> {
        let mut builder = Server::builder()
            .bind(self.bind)
            .root_jail(
                self.root_jail.clone(),
                self.root_jail_name
                    .clone()
                    .unwrap_or(self.root_jail.clone()),
            )
            .ping_interval(self.ping_interval)
            .auth_timeout(self.auth_timeout)
            .head_timeout(self.head_timeout)
            .idle_timeout(self.idle_timeout)
            .limits(Limits {
                max_body_bytes: self.max_body_bytes,
                max_frame_bytes: self.max_frame_bytes,
                outbound_queue: self.outbound_queue,
                outbound_queue_bytes: self.outbound_queue_bytes,
                max_subscriptions: self.max_subscriptions,
                delivery_budget_bytes: self.delivery_budget_bytes,
                max_definition_fields: self.max_definition_fields,
                max_enum_values: self.max_enum_values,
                max_batch_messages: self.max_batch_messages,
                max_connections: self.max_connections,
                max_unauthenticated_ws: self.max_unauthenticated_ws,
            });
        for (id, secret) in &self.clients {
            builder = builder.client(id.clone(), secret.clone());
        }
        if let Some(path) = &self.state {
            builder = builder.state_file(path.clone());
        }
        if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            let read = |option: &'static str, path: &PathBuf| {
                std::fs::read(path).map_err(|source| OptionFileError {
                    option,
                    path: path.clone(),
                    source,
                })
            };
            builder = builder.tls_pem(read("--tls-cert", cert)?, read("--tls-key", key)?);
        }
        Ok(builder)
    }
}

/// Sends logs to stderr, at the level `RUST_LOG` sets or `default_level`,
/// with colours only on a terminal: the logging of the server's binaries.
pub fn init_logging(default_level: &str) {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Reads `ID:SECRET` (the secret may contain `:`).
pub fn parse_client(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok((id.to_string(), secret.to_string()))
        }
        _ => Err("expected ID:SECRET".to_string()),
    }
}

/// Reads a duration: a number of seconds (`30`, `1.5`), or a number with a
/// unit `ms`, `s`, `m`, `h` or `d` (`500ms`, `15m`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let bad = || format!("{text:?} is not a duration (examples: 30, 30s, 500ms, 15m, 2h, 7d)");
    let n: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86_400.0,
        _ => return Err(bad()),
    };
    // Up to about 30 years: anything longer is a typo.
    if !(seconds.is_finite() && seconds > 0.0 && seconds < 1e9) {
        return Err(format!(
            "{text:?}: a duration must be longer than zero and shorter than 30 years"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7200));
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(604_800));
        for bad in ["", "x", "-1", "0", "1y", "1e99"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let cli = Cli::parse_from(["x", "--client", "app:hunter2"]);
        let text = format!("{:?}", cli.serve);
        assert!(text.contains("app:***"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn flags_reach_the_server_settings() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let cli = Cli::parse_from([
            "x",
            "--client",
            "app:s",
            "--max-connections",
            "7",
            "--max-unauthenticated-ws",
            "3",
            "--head-timeout",
            "2s",
            "--idle-timeout",
            "500ms",
            "--delivery-budget-bytes",
            "1000",
            "--max-definition-fields",
            "11",
            "--max-enum-values",
            "12",
            "--max-batch-messages",
            "13",
        ]);
        let builder = cli.serve.builder().unwrap();
        let config = builder.config();
        assert_eq!(config.head_timeout, Duration::from_secs(2));
        assert_eq!(config.idle_timeout, Duration::from_millis(500));
        let l = config.limits;
        assert_eq!(
            (
                l.max_connections,
                l.max_unauthenticated_ws,
                l.delivery_budget_bytes,
                l.max_definition_fields,
                l.max_enum_values,
                l.max_batch_messages
            ),
            (7, 3, 1000, 11, 12, 13)
        );
        let defaults = Cli::parse_from(["x"]).serve.builder().unwrap();
        assert_eq!(defaults.config().limits, Limits::default());
        assert_eq!(defaults.config().head_timeout, crate::DEFAULT_HEAD_TIMEOUT);
        assert_eq!(defaults.config().idle_timeout, crate::DEFAULT_IDLE_TIMEOUT);
    }

    #[test]
    fn clients() {
        assert_eq!(parse_client("a:b:c").unwrap(), ("a".into(), "b:c".into()));
        assert!(parse_client("a").is_err());
        assert!(parse_client(":b").is_err());
    }
}
