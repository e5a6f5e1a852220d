//! The progress of a long publish, drawn on stderr only when stderr is a
//! terminal: in a pipe or a log file a redrawn bar would leave a trail of
//! control characters, so there it stays hidden.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this (in bytes, when their size is known) finish too
/// quickly for a bar to help.
pub const MIN_BYTES_FOR_BAR: u64 = 256 * 1024;

/// A progress display, possibly hidden.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A display for an input of `total_bytes` (`None`: unknown, as stdin),
    /// drawn only when stderr is a terminal and the input is large or of
    /// unknown size.
    pub fn for_input(total_bytes: Option<u64>) -> Progress {
        let on_terminal = std::io::stderr().is_terminal();
        Progress::new(on_terminal, total_bytes)
    }

    /// A display that is never drawn.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    fn new(on_terminal: bool, total_bytes: Option<u64>) -> Progress {
        if !on_terminal || total_bytes.is_some_and(|t| t < MIN_BYTES_FOR_BAR) {
            return Progress { bar: None };
        }
        let bar = match total_bytes {
            Some(total) => {
                let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} ({eta} left) {msg}",
                ) {
                    bar.set_style(style);
                }
                bar
            }
            None => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template("{spinner} {bytes} read {msg}") {
                    bar.set_style(style);
                }
                bar.enable_steady_tick(Duration::from_millis(200));
                bar
            }
        };
        Progress { bar: Some(bar) }
    }

    /// True when the display is drawn.
    #[cfg(test)]
    fn is_shown(&self) -> bool {
        self.bar.is_some()
    }

    /// Shows `bytes_read` of the input consumed and `published` messages sent.
    pub fn update(&self, bytes_read: u64, published: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes_read);
            bar.set_message(format!("{published} messages published"));
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_off_a_terminal_and_for_small_inputs() {
        assert!(!Progress::new(false, None).is_shown());
        assert!(!Progress::new(false, Some(1 << 30)).is_shown());
        assert!(!Progress::new(true, Some(10)).is_shown());
        let p = Progress::new(true, Some(MIN_BYTES_FOR_BAR));
        assert!(p.is_shown());
        p.finish();
    }
}
