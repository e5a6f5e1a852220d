//! Waiting for the user to stop a long-running command (Ctrl-C, or SIGTERM
//! on Unix).
//!
//! The handlers are installed by [`Interrupt::listen`], before the command
//! says it is ready (`listening on ...`, `subscribed to ...`): a signal sent
//! as soon as that line appears is then caught, not fatal.

use crate::exit::CliError;

/// Installed signal handlers.
#[derive(Debug)]
pub struct Interrupt {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Interrupt {
    /// Installs the handlers (must run inside the runtime).
    pub fn listen() -> Result<Interrupt, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let install = |kind| {
                signal(kind)
                    .map_err(|e| CliError::failure(format!("cannot install a signal handler: {e}")))
            };
            Ok(Interrupt {
                interrupt: install(SignalKind::interrupt())?,
                terminate: install(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Interrupt {})
        }
    }

    /// Resolves at the next Ctrl-C or SIGTERM.
    pub async fn recv(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
