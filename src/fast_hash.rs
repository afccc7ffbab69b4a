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
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word));
        }
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

impl FastHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}
