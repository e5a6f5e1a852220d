//! What the tests of every streamsea crate share, defined once:
//!
//! - [`server`]: a `streamsea-server` started in this process on
//!   `127.0.0.1:0` with the bootstrap client [`ADMIN`], with default or given
//!   limits;
//! - [`fixtures`]: test-only JWT key pairs and a TLS certificate, as text and
//!   as file paths;
//! - [`wait`]: bounded waits, so that a hang fails a test instead of blocking;
//! - [`proxy`]: a TCP proxy that counts connections and bytes sent upstream;
//! - [`recorder`]: a WebSocket proxy that records every frame a client sends;
//! - [`init_tracing`]: logs to the test output when `RUST_LOG` is set.
//!
//! This crate is not published. It panics freely: a failed set-up is a
//! failed test.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fixtures;
pub mod proxy;
pub mod recorder;
pub mod server;
pub mod wait;

pub use proxy::Proxy;
pub use recorder::WsRecorder;
pub use server::{start, start_with, ADMIN};
pub use wait::{eventually, within, WAIT};

/// Logs to the test output when `RUST_LOG` is set (for example
/// `RUST_LOG=streamsea_client=debug`).
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}
