//! The listed origins of a policy (`origins` entries with no wildcard), found by the request's
//! raw `Origin` bytes with no parse: each was validated at start-up, so a byte-equal value is
//! valid too.
//!
//! A few origins are compared one by one, which is quicker than hashing. More are kept in an
//! open-addressing table, at most half full, whose slots hold an index into the list: a lookup
//! hashes the bytes once and compares one or two candidates, whatever the list's length.

use actix_web::http::header::HeaderValue;

use crate::fast_hash::hash_bytes;

/// Up to this many origins are compared one by one, without a table.
const COMPARED_ONE_BY_ONE: usize = 4;

/// The listed origins, each with the header value sent for it (ready to clone without
/// allocating, whatever buffer the request's own `Origin` lives in).
#[derive(Debug, Clone, Default)]
pub(crate) struct ListedOrigins {
    entries: Vec<(Box<[u8]>, HeaderValue)>,
    /// Empty while the list is compared one by one; otherwise a power of two in length, at
    /// least twice the number of entries, each slot 0 (free) or an entry's index plus 1.
    slots: Box<[u32]>,
}

impl ListedOrigins {
    /// Lists `origin` with the value to send for it; a second listing of the same bytes
    /// replaces the value.
    pub(crate) fn insert(&mut self, origin: &[u8], value: HeaderValue) {
        if let Some(i) = self.position(origin) {
            if let Some(entry) = self.entries.get_mut(i) {
                entry.1 = value;
            }
            return;
        }
        self.entries.push((origin.into(), value));
        if self.entries.len() > COMPARED_ONE_BY_ONE && self.entries.len() * 2 > self.slots.len() {
            self.rebuild();
        } else if !self.slots.is_empty() {
            self.place(self.entries.len() - 1);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value of the one listed origin, when exactly one is listed.
    pub(crate) fn only(&self) -> Option<&HeaderValue> {
        match &self.entries[..] {
            [(_, value)] => Some(value),
            _ => None,
        }
    }

    /// The value to send for a listed origin byte-equal to `origin`.
    #[inline]
    pub(crate) fn get(&self, origin: &[u8]) -> Option<&HeaderValue> {
        if self.slots.is_empty() {
            // Compared one by one, here rather than in a call: the common case is one origin.
            return self
                .entries
                .iter()
                .find(|(key, _)| **key == *origin)
                .map(|(_, value)| value);
        }
        let i = self.position(origin)?;
        self.entries.get(i).map(|(_, value)| value)
    }

    /// The index of the entry byte-equal to `origin`.
    #[inline]
    fn position(&self, origin: &[u8]) -> Option<usize> {
        if self.slots.is_empty() {
            return self.entries.iter().position(|(key, _)| **key == *origin);
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(origin);
        // The table is never more than half full, so a free slot ends every probe.
        loop {
            let index = usize::try_from(self.slots.get(at)?.checked_sub(1)?).ok()?;
            if self
                .entries
                .get(index)
                .is_some_and(|(key, _)| **key == *origin)
            {
                return Some(index);
            }
            at = (at + 1) & mask;
        }
    }

    /// The first slot a probe for `origin` looks at: the hash's top bits, its best mixed.
    #[inline]
    fn home(&self, origin: &[u8]) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (hash_bytes(origin) >> (64 - bits)) as usize
    }

    /// Makes a table twice as long as needed at least, and places every entry.
    fn rebuild(&mut self) {
        let len = (self.entries.len() * 2).next_power_of_two().max(16);
        self.slots = vec![0; len].into_boxed_slice();
        for index in 0..self.entries.len() {
            self.place(index);
        }
    }

    /// Puts entry `index` in the first free slot from its home.
    fn place(&mut self, index: usize) {
        let (Some((key, _)), Ok(stored)) = (self.entries.get(index), u32::try_from(index + 1))
        else {
            return;
        };
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        while let Some(slot) = self.slots.get_mut(at) {
            if *slot == 0 {
                *slot = stored;
                return;
            }
            at = (at + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(origins: &[String]) -> ListedOrigins {
        let mut list = ListedOrigins::default();
        for o in origins {
            list.insert(o.as_bytes(), HeaderValue::from_str(o).unwrap());
        }
        list
    }

    /// Every size, compared one by one or hashed: each listed origin is found with its own
    /// value, and near misses are not.
    #[test]
    fn finds_exactly_the_listed_bytes() {
        for n in [0, 1, 2, 4, 5, 8, 9, 100, 1000, 10_000] {
            let origins: Vec<String> = (0..n)
                .map(|i| format!("https://{i:03}.example.com"))
                .collect();
            let list = listed(&origins);
            assert_eq!(list.len(), n);
            for o in &origins {
                assert_eq!(
                    list.get(o.as_bytes()).map(HeaderValue::as_bytes),
                    Some(o.as_bytes()),
                    "{n}: {o}"
                );
            }
            let misses: [&[u8]; 9] = [
                b"",
                b"https://",
                b"https://99999.example.com",
                b"https://000.example.co",
                b"https://000.example.com.",
                b"https://000.example.com/",
                b"HTTPS://000.EXAMPLE.COM",
                b"http://000.example.com",
                b"\xff\x00https://000.example.com",
            ];
            for miss in misses {
                assert_eq!(
                    list.get(miss),
                    None,
                    "{n}: {}",
                    String::from_utf8_lossy(miss)
                );
            }
        }
    }

    #[test]
    fn the_only_origin_and_repeated_listings() {
        let one = listed(&["https://a.com".into()]);
        assert_eq!(
            one.only().map(HeaderValue::as_bytes),
            Some(&b"https://a.com"[..])
        );
        let twice = listed(&["https://a.com".into(), "https://a.com".into()]);
        assert_eq!(twice.len(), 1, "listed twice, kept once");
        assert!(twice.only().is_some());
        let two = listed(&["https://a.com".into(), "https://b.com".into()]);
        assert_eq!(two.only(), None);
        assert_eq!(ListedOrigins::default().len(), 0);
    }

    /// Hostile lookups on a hashed table: any bytes, of any length, end their probe.
    #[test]
    fn any_bytes_end_their_probe() {
        let origins: Vec<String> = (0..50)
            .map(|i| format!("https://{i}.example.com"))
            .collect();
        let list = listed(&origins);
        let long = vec![b'a'; 100_000];
        let inputs: [&[u8]; 5] = [&long, b"\0", &[0xff; 7], &[0x80; 8], &[0x20; 9]];
        for input in inputs {
            assert_eq!(list.get(input), None);
        }
    }
}
