//! A `streamsea-server` in this process, on a free loopback port.

use streamsea_server::{Limits, Server, ServerBuilder, ServerHandle};

/// The bootstrap client of the root jail of every test server.
pub const ADMIN: (&str, &str) = ("admin", "admin-secret");

/// A server builder bound to `127.0.0.1:0` with the [`ADMIN`] client; add
/// options before `start()`.
pub fn builder() -> ServerBuilder {
    Server::builder()
        .bind(([127, 0, 0, 1], 0).into())
        .client(ADMIN.0, ADMIN.1)
}

/// A server with default limits.
pub async fn start() -> ServerHandle {
    builder().start().await.expect("the test server starts")
}

/// A server with these limits.
pub async fn start_with(limits: Limits) -> ServerHandle {
    builder()
        .limits(limits)
        .start()
        .await
        .expect("the test server starts")
}
