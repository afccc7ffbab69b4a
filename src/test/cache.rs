//! The CORS-preflight cache (Fetch §4.9): what earlier preflights allowed, per origin, URL and
//! credentials, until each entry's max-age passes.

use std::time::Duration;

use super::safelist::is_non_wildcard_request_header;

/// Entries whose max-age has not passed, on the model's own clock.
#[derive(Debug, Clone, Default)]
pub(crate) struct PreflightCache {
    entries: Vec<Entry>,
}

/// §4.9 "cache entry". The network partition key is left out: a model `Browser` is one
/// partition.
#[derive(Debug, Clone)]
struct Entry {
    origin: String,
    url: String,
    credentials: bool,
    /// The time on the model's clock when the entry is removed.
    expires: Duration,
    item: Item,
}

#[derive(Debug, Clone)]
enum Item {
    Method(String),
    HeaderName(String),
}

/// Whom a lookup or a stored entry is for: §4.9's key without the partition.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key<'a> {
    pub(crate) origin: &'a str,
    pub(crate) url: &'a str,
    pub(crate) credentials: bool,
}

impl PreflightCache {
    /// §4.9 "cache entry match": same origin and URL, and an entry made with credentials also
    /// serves a request without them, not the other way round. Expired entries never match.
    fn matching<'a>(&'a self, key: Key<'a>, now: Duration) -> impl Iterator<Item = &'a Item> + 'a {
        self.entries
            .iter()
            .filter(move |e| {
                e.expires > now
                    && e.origin == key.origin
                    && e.url == key.url
                    && (e.credentials || !key.credentials)
            })
            .map(|e| &e.item)
    }

    /// §4.9 "method cache entry match". The standard lets a cached `*` match any method; here
    /// it matches only without credentials, as `*` is only a name with credentials (§3.3.4)
    /// and as every engine caches it.
    pub(crate) fn has_method(&self, key: Key<'_>, method: &str, now: Duration) -> bool {
        self.matching(key, now).any(|item| match item {
            Item::Method(m) => m == method || (m == "*" && !key.credentials),
            Item::HeaderName(_) => false,
        })
    }

    /// §4.9 "header-name cache entry match": the name case-insensitively, or `*` for any name
    /// but `Authorization` (unless `wildcard_covers_authorization`, the engines' default) and,
    /// as for methods, only without credentials.
    pub(crate) fn has_header(
        &self,
        key: Key<'_>,
        name: &str,
        now: Duration,
        wildcard_covers_authorization: bool,
    ) -> bool {
        self.matching(key, now).any(|item| match item {
            Item::HeaderName(h) => {
                h.eq_ignore_ascii_case(name)
                    || (h == "*"
                        && !key.credentials
                        && (wildcard_covers_authorization || !is_non_wildcard_request_header(name)))
            }
            Item::Method(_) => false,
        })
    }

    /// §4.8 steps 7.12 to 7.15: an entry for each allowed method and header name, or a renewed
    /// max-age for the ones already there.
    pub(crate) fn store(
        &mut self,
        key: Key<'_>,
        methods: &[String],
        header_names: &[String],
        max_age: Duration,
        now: Duration,
    ) {
        let expires = now.saturating_add(max_age);
        let items = methods
            .iter()
            .map(|m| Item::Method(m.clone()))
            .chain(header_names.iter().map(|h| Item::HeaderName(h.clone())));
        for item in items {
            let existing = self.entries.iter_mut().find(|e| {
                e.origin == key.origin
                    && e.url == key.url
                    && e.credentials == key.credentials
                    && match (&e.item, &item) {
                        (Item::Method(a), Item::Method(b)) => a == b,
                        (Item::HeaderName(a), Item::HeaderName(b)) => a.eq_ignore_ascii_case(b),
                        _ => false,
                    }
            });
            match existing {
                Some(entry) => entry.expires = expires,
                None => self.entries.push(Entry {
                    origin: key.origin.to_owned(),
                    url: key.url.to_owned(),
                    credentials: key.credentials,
                    expires,
                    item,
                }),
            }
        }
        self.entries.retain(|e| e.expires > now);
    }

    /// §4.9 "clear cache entries": what a failed request with a preflight forgets (§4.1 Main
    /// fetch step 12).
    pub(crate) fn clear(&mut self, origin: &str, url: &str) {
        self.entries
            .retain(|e| !(e.origin == origin && e.url == url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://app.example";
    const URL: &str = "https://api.example/x";

    fn key(credentials: bool) -> Key<'static> {
        Key {
            origin: ORIGIN,
            url: URL,
            credentials,
        }
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn entries_match_by_origin_url_credentials_and_time() {
        let mut cache = PreflightCache::default();
        cache.store(
            key(false),
            &strings(&["PUT"]),
            &strings(&["X-Token"]),
            secs(5),
            secs(0),
        );
        // (lookup key, method, header, at, want method, want header)
        let other_origin = Key {
            origin: "https://other.example",
            ..key(false)
        };
        let other_url = Key {
            url: "https://api.example/y",
            ..key(false)
        };
        for (k, at, method, header) in [
            (key(false), 0, true, true),
            (key(false), 4, true, true),
            (key(false), 5, false, false),
            (key(true), 0, false, false),
            (other_origin, 0, false, false),
            (other_url, 0, false, false),
        ] {
            assert_eq!(
                cache.has_method(k, "PUT", secs(at)),
                method,
                "{k:?} at {at}"
            );
            assert_eq!(
                cache.has_header(k, "x-token", secs(at), false),
                header,
                "{k:?} at {at}"
            );
        }
        assert!(
            !cache.has_method(key(false), "put", secs(0)),
            "methods are case-sensitive"
        );
        assert!(!cache.has_method(key(false), "DELETE", secs(0)));

        // An entry made with credentials serves requests without them.
        let mut cache = PreflightCache::default();
        cache.store(key(true), &strings(&["PUT"]), &[], secs(5), secs(0));
        assert!(cache.has_method(key(false), "PUT", secs(0)));
        assert!(cache.has_method(key(true), "PUT", secs(0)));
    }

    #[test]
    fn wildcards_match_only_without_credentials_and_never_authorization() {
        for credentials in [false, true] {
            let mut cache = PreflightCache::default();
            cache.store(
                key(credentials),
                &strings(&["*"]),
                &strings(&["*"]),
                secs(5),
                secs(0),
            );
            let k = key(credentials);
            let wild = !credentials;
            assert_eq!(cache.has_method(k, "PATCH", secs(0)), wild);
            assert_eq!(cache.has_header(k, "x-anything", secs(0), false), wild);
            assert!(!cache.has_header(k, "authorization", secs(0), false));
            assert_eq!(cache.has_header(k, "Authorization", secs(0), true), wild);
        }
    }

    #[test]
    fn storing_again_renews_and_zero_stores_nothing() {
        let mut cache = PreflightCache::default();
        cache.store(key(false), &strings(&["PUT"]), &[], secs(5), secs(0));
        cache.store(key(false), &strings(&["PUT"]), &[], secs(5), secs(4));
        assert!(cache.has_method(key(false), "PUT", secs(8)));
        assert_eq!(cache.entries.len(), 1);
        cache.store(key(false), &strings(&["PUT"]), &[], secs(0), secs(9));
        assert!(!cache.has_method(key(false), "PUT", secs(9)));
        assert!(cache.entries.is_empty());
    }

    #[test]
    fn clearing_forgets_the_url_for_the_origin() {
        let mut cache = PreflightCache::default();
        cache.store(key(false), &strings(&["PUT"]), &[], secs(60), secs(0));
        cache.store(key(true), &strings(&["PUT"]), &[], secs(60), secs(0));
        let other = Key {
            url: "https://api.example/y",
            ..key(false)
        };
        cache.store(other, &strings(&["PUT"]), &[], secs(60), secs(0));
        cache.clear(ORIGIN, URL);
        assert!(!cache.has_method(key(false), "PUT", secs(1)));
        assert!(cache.has_method(other, "PUT", secs(1)));
    }
}
