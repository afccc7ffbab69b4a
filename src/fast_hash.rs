//! A fast hash for maps filled only from configuration.

use std::hash::{BuildHasherDefault, Hasher};

/// A fast hash for the origin maps: a multiply-rotate over 8-byte words.
///
/// The maps are filled only from configuration, so a request cannot flood them; an origin
/// crafted to collide merely probes a few configured keys. SipHash's protection buys nothing
/// here and would cost more than the rest of the lookup.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

/// Hash maps keyed with [`FastHasher`].
pub(crate) type FastHash = BuildHasherDefault<FastHasher>;

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, after)) = rest.split_first_chunk::<8>() {
            self.mix(u64::from_le_bytes(*word));
            rest = after;
        }
        if rest.is_empty() {
            return;
        }
        // The last 8 bytes, overlapping the word before when there are that many: one load,
        // where copying the few bytes left into a word would call `memcpy`.
        let tail = match bytes.last_chunk::<8>() {
            Some(last) => u64::from_le_bytes(*last),
            None => rest.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)),
        };
        self.mix(tail);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The hash of `bytes` alone (no length prefix), for tables that compare the bytes in full.
#[inline]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    h.write(bytes);
    h.finish()
}

impl FastHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}
