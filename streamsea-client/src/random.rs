//! Random numbers for reconnect jitter and private group ids, from the
//! operating system through `getrandom`.
//!
//! Neither use is cryptographic: jitter only spreads reconnects apart, and a
//! group id only has to differ from every other one. Should the operating
//! system's source fail, the bytes come from the standard library's randomly
//! keyed hasher over the time and a counter instead of failing the caller.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Fills `buf` with random bytes.
pub(crate) fn fill(buf: &mut [u8]) {
    if getrandom::fill(buf).is_ok() {
        return;
    }
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = RandomState::new();
    for chunk in buf.chunks_mut(8) {
        let mut h = state.build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        let bytes = h.finish().to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

/// A uniform number in `[0, 1)`.
pub(crate) fn unit() -> f64 {
    let mut b = [0u8; 8];
    fill(&mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_in_range_and_varies() {
        let xs: Vec<f64> = (0..64).map(|_| unit()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(xs.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn fill_covers_odd_lengths() {
        let mut a = [0u8; 13];
        let mut b = [0u8; 13];
        fill(&mut a);
        fill(&mut b);
        assert_ne!(a, b);
    }
}
