//! How the connection task waits between reconnection attempts: exponential
//! backoff with jitter.

use std::time::Duration;

/// When and how often the WebSocket connection is re-opened after it is lost.
///
/// The delay before attempt `n` (counting from 0 after each successful
/// connection) is `initial_delay * multiplier^n`, capped at `max_delay`, then
/// reduced by a random part of up to `jitter` of itself, so that many clients
/// that lost the same server do not come back in lockstep.
///
/// The defaults start at 200 ms (the official JavaScript client waits a fixed
/// 3 s) and double up to 5 s, forever.
///
/// ```
/// use std::time::Duration;
/// use streamsea_client::ReconnectPolicy;
///
/// let policy = ReconnectPolicy::default()
///     .initial_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(2))
///     .max_attempts(Some(50));
/// let d = policy.delay(3);
/// assert!(d <= Duration::from_millis(800) && d >= Duration::from_millis(400));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReconnectPolicy {
    /// The delay before the first attempt.
    pub initial_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// The growth factor between attempts (at least 1).
    pub multiplier: f64,
    /// The largest share (0 to 1) of a delay taken off at random.
    pub jitter: f64,
    /// How many consecutive failed attempts before giving up; `None`: never.
    pub max_attempts: Option<u32>,
}

impl Default for ReconnectPolicy {
    fn default() -> ReconnectPolicy {
        ReconnectPolicy {
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            multiplier: 2.0,
            jitter: 0.5,
            max_attempts: None,
        }
    }
}

impl ReconnectPolicy {
    /// The delay before the first attempt.
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest delay.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The growth factor between attempts.
    #[must_use]
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// The largest share of a delay taken off at random (0: none).
    #[must_use]
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = jitter;
        self
    }

    /// How many consecutive failed attempts before giving up.
    #[must_use]
    pub fn max_attempts(mut self, attempts: Option<u32>) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The delay before attempt `attempt` (0-based), jitter included.
    pub fn delay(&self, attempt: u32) -> Duration {
        let full = self.base_delay(attempt);
        let jitter = if self.jitter.is_finite() {
            self.jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let r = crate::random::unit();
        // Saturating: `Duration::MAX` as a delay stays the longest delay
        // instead of overflowing the conversion.
        Duration::try_from_secs_f64(full.as_secs_f64() * (1.0 - jitter * r)).unwrap_or(full)
    }

    /// The delay before attempt `attempt` without jitter.
    pub fn base_delay(&self, attempt: u32) -> Duration {
        let multiplier = if self.multiplier.is_finite() {
            self.multiplier.max(1.0)
        } else {
            1.0
        };
        let factor = multiplier.powi(attempt.min(64) as i32);
        let max = self.max_delay.max(self.initial_delay);
        let secs = self.initial_delay.as_secs_f64() * factor;
        if !secs.is_finite() || secs >= max.as_secs_f64() {
            max
        } else {
            Duration::try_from_secs_f64(secs).unwrap_or(max)
        }
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if !(self.multiplier.is_finite() && self.multiplier >= 1.0) {
            return Err(format!(
                "multiplier must be a finite number >= 1, found {}",
                self.multiplier
            ));
        }
        if !(self.jitter.is_finite() && (0.0..=1.0).contains(&self.jitter)) {
            return Err(format!(
                "jitter must be within 0..=1, found {}",
                self.jitter
            ));
        }
        if self.max_attempts == Some(0) {
            return Err("max_attempts must be at least 1 (or None)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod saturation_tests {
    use super::*;

    #[test]
    fn the_longest_delays_saturate_instead_of_overflowing() {
        let p = ReconnectPolicy::default()
            .initial_delay(Duration::MAX)
            .max_delay(Duration::MAX)
            .jitter(0.0);
        for attempt in [0, 1, 63, u32::MAX] {
            assert_eq!(p.delay(attempt), Duration::MAX);
        }
        let p = p.jitter(1.0);
        assert!(p.delay(3) <= Duration::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        let p = ReconnectPolicy::default().jitter(0.0);
        assert_eq!(p.delay(0), Duration::from_millis(200));
        assert_eq!(p.delay(1), Duration::from_millis(400));
        assert_eq!(p.delay(4), Duration::from_millis(3200));
        assert_eq!(p.delay(5), Duration::from_secs(5));
        assert_eq!(p.delay(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn jitter_stays_within_bounds_and_varies() {
        let p = ReconnectPolicy::default();
        let delays: Vec<Duration> = (0..50).map(|_| p.delay(2)).collect();
        for d in &delays {
            assert!(*d > Duration::from_millis(400) && *d <= Duration::from_millis(800));
        }
        assert!(delays.iter().any(|d| *d != delays[0]));
    }

    #[test]
    fn rejects_nonsense() {
        assert!(ReconnectPolicy::default().multiplier(0.5).check().is_err());
        assert!(ReconnectPolicy::default().jitter(2.0).check().is_err());
        assert!(ReconnectPolicy::default()
            .max_attempts(Some(0))
            .check()
            .is_err());
        assert!(ReconnectPolicy::default().check().is_ok());
    }
}
