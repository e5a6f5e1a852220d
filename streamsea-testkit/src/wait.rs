//! Bounded waits: a hang fails the test within [`WAIT`] instead of blocking
//! CI.

use std::future::Future;
use std::time::Duration;

/// The upper bound of any single wait in a test.
pub const WAIT: Duration = Duration::from_secs(30);

/// Awaits `fut` for at most [`WAIT`]; panics naming `what` when it takes
/// longer.
pub async fn within<F: Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(WAIT, fut).await {
        Ok(out) => out,
        Err(_) => panic!("not within {WAIT:?}: {what}"),
    }
}

/// Polls `cond` every 10 ms until it holds, for at most [`WAIT`] (for counts
/// and states that cannot be awaited).
pub async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
