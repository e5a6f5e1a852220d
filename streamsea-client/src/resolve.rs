//! Name resolution, done by the client itself on both of its paths (the
//! HTTP client's resolver, and the TCP connection under the WebSocket), so
//! that a failed resolution is an error of a type of its own,
//! [`ResolveError`], found in any error's source chain: "the host name could
//! not be resolved" is then known by construction, never read from a text.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use tokio::net::TcpStream;

/// A host name that could not be resolved to any address.
#[derive(Debug)]
pub(crate) struct ResolveError {
    host: String,
    source: Option<io::Error>,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(e) => write!(
                f,
                "the host name `{}` could not be resolved: {e}",
                self.host
            ),
            None => write!(f, "the host name `{}` has no address", self.host),
        }
    }
}

impl std::error::Error for ResolveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The future of one lookup.
type Lookup = Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>> + Send>>;

/// How names are looked up: the operating system's resolver, or in tests a
/// stand-in that never leaves the machine.
#[derive(Clone)]
pub(crate) struct Resolver {
    lookup: Arc<dyn Fn(String) -> Lookup + Send + Sync>,
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver")
    }
}

impl Resolver {
    /// The operating system's resolver (`getaddrinfo`, on a blocking thread).
    pub(crate) fn system() -> Resolver {
        Resolver {
            lookup: Arc::new(|host: String| {
                Box::pin(async move { Ok(tokio::net::lookup_host((host, 0)).await?.collect()) })
            }),
        }
    }

    /// A resolver that answers with `lookup`.
    #[cfg(test)]
    pub(crate) fn with(
        lookup: impl Fn(String) -> io::Result<Vec<SocketAddr>> + Send + Sync + 'static,
    ) -> Resolver {
        let lookup = Arc::new(lookup);
        Resolver {
            lookup: Arc::new(move |host: String| {
                let result = lookup(host);
                Box::pin(async move { result })
            }),
        }
    }

    /// The addresses of `host` (an IPv6 address may be in brackets), with
    /// `port`.
    pub(crate) async fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> Result<Vec<SocketAddr>, ResolveError> {
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let failed = |source| ResolveError {
            host: bare.to_string(),
            source,
        };
        let mut addrs = (self.lookup)(bare.to_string())
            .await
            .map_err(|e| failed(Some(e)))?;
        if addrs.is_empty() {
            return Err(failed(None));
        }
        for a in &mut addrs {
            a.set_port(port);
        }
        Ok(addrs)
    }

    /// A TCP connection to `host:port`: each address in turn until one
    /// answers. A failed resolution is a [`ResolveError`] inside the
    /// returned I/O error; a refused connection keeps its kind.
    pub(crate) async fn connect(&self, host: &str, port: u16) -> io::Result<TcpStream> {
        let addrs = self.resolve(host, port).await.map_err(io::Error::other)?;
        let mut last = None;
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    return Ok(stream);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no address to connect to")))
    }
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let resolver = self.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = Resolver::resolve(&resolver, &host, 0).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn addresses_are_given_the_port_and_literals_need_no_lookup() {
        let never = Resolver::with(|host| panic!("looked up {host}"));
        assert_eq!(
            never.resolve("127.0.0.1", 3104).await.unwrap(),
            vec![SocketAddr::from(([127, 0, 0, 1], 3104))]
        );
        assert_eq!(
            never.resolve("[::1]", 80).await.unwrap(),
            vec!["[::1]:80".parse::<SocketAddr>().unwrap()]
        );
        let one = Resolver::with(|_| Ok(vec![SocketAddr::from(([127, 0, 0, 1], 0))]));
        assert_eq!(
            one.resolve("sea.example", 443).await.unwrap(),
            vec![SocketAddr::from(([127, 0, 0, 1], 443))]
        );
    }

    #[tokio::test]
    async fn a_failed_or_empty_lookup_is_a_resolve_error_that_names_the_host() {
        let failing = Resolver::with(|_| Err(io::Error::other("no such host")));
        let e = failing.resolve("sea.example", 443).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "the host name `sea.example` could not be resolved: no such host"
        );
        assert!(std::error::Error::source(&e).is_some());
        let empty = Resolver::with(|_| Ok(Vec::new()));
        let e = empty.resolve("sea.example", 443).await.unwrap_err();
        assert_eq!(e.to_string(), "the host name `sea.example` has no address");
        let e = failing.connect("sea.example", 443).await.unwrap_err();
        assert!(
            e.get_ref().is_some_and(|inner| inner.is::<ResolveError>()),
            "{e:?}"
        );
    }

    /// Through a real client: a host that cannot be resolved is `is_dns()`
    /// on the HTTP path and a DNS cause on the WebSocket path, with no
    /// lookup leaving the machine (the resolver is a stand-in).
    #[tokio::test]
    async fn a_failed_resolution_is_a_dns_failure_on_both_paths() {
        use crate::{ClientBuilder, ConnectionEvent, NetworkCause, ReconnectPolicy};
        use std::time::Duration;

        let failing = Resolver::with(|_| Err(io::Error::other("no such host")));
        let client = ClientBuilder::new()
            .host("sea.example")
            .port(3104)
            .basic("a", "s")
            .reconnect(ReconnectPolicy::default().max_attempts(Some(1)))
            .connect_timeout(Duration::from_secs(5))
            .resolver(failing)
            .build()
            .unwrap();
        let e = client.describe_stream("s").await.unwrap_err();
        assert!(e.is_dns(), "{e:?}");
        assert!(
            e.to_string()
                .contains("`sea.example` could not be resolved"),
            "{e}"
        );

        let mut events = client.events();
        let subscribing = tokio::spawn({
            let client = client.clone();
            async move { client.subscribe_json("s").await }
        });
        let cause = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                match events.recv().await {
                    Ok(ConnectionEvent::Disconnected { cause, reason }) => break (cause, reason),
                    Ok(_) => continue,
                    Err(e) => panic!("the events ended: {e}"),
                }
            }
        })
        .await
        .expect("a disconnection event");
        assert_eq!(cause.0, Some(NetworkCause::Dns), "{}", cause.1);
        subscribing.abort();
    }
}
