//! A small per-thread memory of origins that a pattern or a regex granted, so that a front end
//! calling again is recognised by one hash and one comparison, as a listed origin is, instead of
//! being parsed and matched on every request.
//!
//! Why it is safe:
//! - It only ever repeats an answer the matcher gave: an entry is written after a pattern or a
//!   regex granted an origin, and read back only for the same matcher and the same bytes,
//!   compared in full (never by hash alone).
//! - Each matcher has an identity of its own, taken from a counter and renewed whenever it is
//!   changed, so an entry can never be read by another policy, not even one that later lives at
//!   the same address.
//! - Grants by a user's predicate are never remembered: a predicate sees the whole request and
//!   may answer differently each time.
//!
//! Why it costs nothing: the slots live in the thread (actix runs each worker on one thread), are
//! a fixed array made once, and are overwritten in place, so a request never allocates and a
//! flood of distinct origins only overwrites slots, each write bounded by [`MAX_LEN`] bytes.

use std::cell::RefCell;
use std::hash::Hasher;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::fast_hash::FastHasher;

/// Longest origin remembered; longer ones are simply matched every time.
const MAX_LEN: usize = 96;
/// Number of slots (a power of two): a few front ends per worker are the common case.
const SLOTS: usize = 16;

/// The identity of one compiled origin matcher, for the memory's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MatcherId(u64);

impl Default for MatcherId {
    fn default() -> Self {
        MatcherId::fresh()
    }
}

impl MatcherId {
    /// A fresh identity, never handed out before in this process.
    pub(crate) fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        MatcherId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

#[derive(Clone, Copy)]
struct Slot {
    /// 0 for an empty slot (no matcher has identity 0).
    matcher: u64,
    len: u8,
    bytes: [u8; MAX_LEN],
}

const EMPTY: Slot = Slot {
    matcher: 0,
    len: 0,
    bytes: [0; MAX_LEN],
};

thread_local! {
    static GRANTED: RefCell<[Slot; SLOTS]> = const { RefCell::new([EMPTY; SLOTS]) };
}

fn slot_of(matcher: MatcherId, origin: &[u8]) -> usize {
    let mut h = FastHasher::default();
    h.write_u64(matcher.0);
    h.write(origin);
    // The multiply leaves its best bits at the top.
    (h.finish() >> 60) as usize % SLOTS
}

/// Whether `matcher` granted `origin` before on this thread (and it is still remembered).
pub(crate) fn was_granted(matcher: MatcherId, origin: &[u8]) -> bool {
    if origin.len() > MAX_LEN {
        return false;
    }
    let i = slot_of(matcher, origin);
    GRANTED.with(|slots| {
        // A borrow fails only if this very thread is inside `remember`, which calls nothing
        // that could come back here; answer "not remembered" rather than panic anyway.
        slots.try_borrow().is_ok_and(|slots| {
            let s = &slots[i];
            s.matcher == matcher.0
                && usize::from(s.len) == origin.len()
                && s.bytes[..origin.len()] == *origin
        })
    })
}

/// Remembers that `matcher` granted `origin` by a pattern or a regex.
pub(crate) fn remember(matcher: MatcherId, origin: &[u8]) {
    // MAX_LEN is below 256, so the length fits the slot's byte.
    let len = match u8::try_from(origin.len()) {
        Ok(len) if origin.len() <= MAX_LEN => len,
        _ => return,
    };
    let i = slot_of(matcher, origin);
    GRANTED.with(|slots| {
        if let Ok(mut slots) = slots.try_borrow_mut() {
            let s = &mut slots[i];
            s.matcher = matcher.0;
            s.len = len;
            s.bytes[..origin.len()].copy_from_slice(origin);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_per_matcher_and_by_full_bytes() {
        let (a, b) = (MatcherId::fresh(), MatcherId::fresh());
        assert!(!was_granted(a, b"https://x.example.com"));
        remember(a, b"https://x.example.com");
        assert!(was_granted(a, b"https://x.example.com"));
        assert!(!was_granted(b, b"https://x.example.com"), "another matcher");
        assert!(!was_granted(a, b"https://x.example.co"), "a prefix");
        assert!(!was_granted(a, b"https://x.example.com."), "longer");
        assert!(!was_granted(a, b"https://y.example.com"), "other bytes");
    }

    #[test]
    fn long_origins_are_not_remembered() {
        let a = MatcherId::fresh();
        let long = format!("https://{}.example.com", "a".repeat(MAX_LEN));
        remember(a, long.as_bytes());
        assert!(!was_granted(a, long.as_bytes()));
    }

    #[test]
    fn a_flood_only_overwrites() {
        let a = MatcherId::fresh();
        for i in 0..10 * SLOTS {
            remember(a, format!("https://{i}.example.com").as_bytes());
        }
        let remembered = (0..10 * SLOTS)
            .filter(|i| was_granted(a, format!("https://{i}.example.com").as_bytes()))
            .count();
        assert!(remembered <= SLOTS, "{remembered} remembered");
        assert!(remembered > 0);
    }

    #[test]
    fn identities_are_unique() {
        assert_ne!(MatcherId::fresh(), MatcherId::fresh());
    }
}
