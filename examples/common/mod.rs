//! What every example shares: a client for the configured server, or for a
//! local `streamsea-server` started in-process when none is configured.

use streamsea::server::{Server, ServerHandle};
use streamsea::{Client, ClientBuilder};

/// The client id and secret of the in-process server's bootstrap client.
pub const LOCAL_CLIENT: (&str, &str) = ("example-app", "example-secret");

/// Where the examples run: the configured server or a local one.
pub struct Setup {
    /// A builder for clients of the server, with credentials set.
    pub builder: ClientBuilder,
    /// The in-process server, when one was started.
    pub server: Option<ServerHandle>,
}

impl Setup {
    /// With `STREAMSEA_HOST` set, the server `Client::from_env` describes;
    /// otherwise a `streamsea-server` in this process on a free loopback port.
    pub async fn new() -> Result<Setup, Box<dyn std::error::Error>> {
        if std::env::var_os("STREAMSEA_HOST").is_some() {
            println!("using the server configured by STREAMSEA_* variables");
            return Ok(Setup {
                builder: ClientBuilder::from_env()?,
                server: None,
            });
        }
        let server = Server::builder()
            .bind(([127, 0, 0, 1], 0).into())
            .client(LOCAL_CLIENT.0, LOCAL_CLIENT.1)
            .start()
            .await?;
        let addr = server.local_addr();
        println!("started a local stream-sea server on {}", server.http_url());
        let builder = Client::builder()
            .host(addr.ip().to_string())
            .port(addr.port())
            .basic(LOCAL_CLIENT.0, LOCAL_CLIENT.1);
        Ok(Setup {
            builder,
            server: Some(server),
        })
    }

    /// Stops the local server, if one was started.
    pub async fn finish(self) {
        if let Some(server) = self.server {
            server.shutdown().await;
        }
    }
}
