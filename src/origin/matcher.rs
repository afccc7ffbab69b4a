//! The matcher a policy's origins compile to: listed origins, `*.` and `:*` patterns, regexes
//! and a predicate, looked up at a cost that does not grow with their number.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use actix_web::dev::RequestHead;
use actix_web::http::header::HeaderValue;
use regex::RegexSet;

use actix_cross_origin_core::origin::{
    parse, HostKind, Origin, OriginPattern, PortRule, SyntaxError,
};

use super::listed::ListedOrigins;
use super::remembered::{self, MatcherId};
use crate::fast_hash::FastHash;

/// One compiled `scheme://[*.]host[:port|:*]` pattern, stored under its host or suffix.
#[derive(Debug, Clone)]
struct PatternLeaf {
    scheme: Box<str>,
    port: PortRule,
}

/// A predicate on the request's origin, as given to
/// [`Cors::allow_origin_fn`](crate::Cors::allow_origin_fn).
pub(crate) type OriginPredicate = Arc<dyn Fn(&str, &RequestHead) -> bool + Send + Sync>;

/// How an origin came to be granted or refused, for logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OriginVerdict<'p> {
    /// Granted; for a listed origin, with the policy's own copy of the value to send.
    Granted(Option<&'p HeaderValue>),
    /// Not a serialized origin, so no pattern, regex or predicate may see it.
    Malformed(SyntaxError),
    NotListed,
    NullRefused,
    InsecureRefused,
}

/// Everything a policy knows about which origins to grant, compiled for lookups whose cost does
/// not grow with the number of configured origins.
#[derive(Clone, Default)]
pub(crate) struct OriginMatcher {
    /// Renewed by every change, so that what `remembered` remembers for this matcher is never
    /// read for another.
    id: MatcherId,
    any: bool,
    /// Listed origins, each with its header value ready to send.
    exact: ListedOrigins,
    /// `scheme://host:*` patterns, keyed by host.
    hosts: HashMap<Box<str>, Vec<PatternLeaf>, FastHash>,
    /// `scheme://*.suffix[:port]` patterns, keyed by suffix; looked up once per label boundary
    /// of the request's host, so the cost is bounded by the host's length.
    subdomains: HashMap<Box<str>, Vec<PatternLeaf>, FastHash>,
    regexes: Option<RegexSet>,
    predicate: Option<OriginPredicate>,
    /// Whether regexes and the predicate may grant non-secure origins (never with credentials
    /// unless dangerously allowed).
    regex_or_predicate_may_grant_insecure: bool,
}

impl fmt::Debug for OriginMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginMatcher")
            .field("allows_any", &self.any)
            .field("exact", &self.exact.len())
            .field("hosts", &self.hosts.len())
            .field("subdomains", &self.subdomains.len())
            .field("regexes", &self.regexes.as_ref().map_or(0, RegexSet::len))
            .field("predicate", &self.predicate.is_some())
            .finish()
    }
}

impl OriginMatcher {
    /// Adds a valid `origins` entry.
    pub(crate) fn add(&mut self, pattern: OriginPattern) {
        match pattern {
            OriginPattern::Any => {
                self.id = MatcherId::fresh();
                self.any = true;
            }
            OriginPattern::Exact { origin, .. } => self.add_exact(&origin),
            OriginPattern::Wildcard {
                scheme,
                host,
                subdomains,
                port,
                ..
            } => self.add_pattern(&scheme, &host, subdomains, port),
        }
    }

    fn add_exact(&mut self, origin: &str) {
        self.id = MatcherId::fresh();
        // Validated origins are visible ASCII, always a valid header value.
        if let Ok(value) = HeaderValue::from_str(origin) {
            self.exact
                .insert(origin.as_bytes(), crate::headers::clone_free(value));
        }
    }

    fn add_pattern(&mut self, scheme: &str, host: &str, subdomains: bool, port: PortRule) {
        self.id = MatcherId::fresh();
        let map = if subdomains {
            &mut self.subdomains
        } else {
            &mut self.hosts
        };
        map.entry(host.into()).or_default().push(PatternLeaf {
            scheme: scheme.into(),
            port,
        });
    }

    pub(crate) fn set_regexes(&mut self, set: RegexSet) {
        self.id = MatcherId::fresh();
        self.regexes = Some(set);
    }

    pub(crate) fn set_predicate(&mut self, predicate: Option<OriginPredicate>) {
        self.id = MatcherId::fresh();
        self.predicate = predicate;
    }

    pub(crate) fn set_regex_or_predicate_may_grant_insecure(&mut self, ok: bool) {
        self.id = MatcherId::fresh();
        self.regex_or_predicate_may_grant_insecure = ok;
    }

    /// The one listed origin, when exactly one origin is listed (patterns, regexes and a
    /// predicate aside).
    pub(crate) fn single_listed(&self) -> Option<&HeaderValue> {
        self.exact.only()
    }

    /// Whether any origin is allowed (`"*"`).
    pub(crate) fn allows_any(&self) -> bool {
        self.any
    }

    /// Decides whether a request's `Origin` value is granted.
    ///
    /// A listed origin is found by one hash lookup on the raw bytes: it was validated at
    /// start-up, so a byte-equal value is valid too. The value is parsed only when patterns,
    /// regexes or a predicate must be asked, and they only ever see a valid origin.
    #[inline]
    pub(crate) fn check(&self, bytes: &[u8], head: &RequestHead) -> OriginVerdict<'_> {
        if self.any {
            return OriginVerdict::Granted(None);
        }
        if let Some(value) = self.listed(bytes) {
            return OriginVerdict::Granted(Some(value));
        }
        if bytes == b"null" {
            // `null` is only ever granted through "any origin".
            return OriginVerdict::NullRefused;
        }
        if !self.dynamic() && self.hosts.is_empty() && self.subdomains.is_empty() {
            return OriginVerdict::NotListed;
        }
        // A front end calling again: a pattern or a regex granted these very bytes before.
        if remembered::was_granted(self.id, bytes) {
            return OriginVerdict::Granted(None);
        }
        match parse(bytes) {
            Ok(origin) => self.check_unlisted(bytes, &origin, head),
            Err(e) => OriginVerdict::Malformed(e),
        }
    }

    /// The policy's copy of a listed origin byte-equal to `bytes`.
    #[inline]
    fn listed(&self, bytes: &[u8]) -> Option<&HeaderValue> {
        self.exact.get(bytes)
    }

    fn dynamic(&self) -> bool {
        self.regexes.is_some() || self.predicate.is_some()
    }

    /// Patterns, then regexes, then the predicate, for a valid origin no list names.
    fn check_unlisted(
        &self,
        bytes: &[u8],
        origin: &Origin<'_>,
        head: &RequestHead,
    ) -> OriginVerdict<'_> {
        if self.matches_pattern(origin) {
            remembered::remember(self.id, bytes);
            return OriginVerdict::Granted(None);
        }
        let by_regex = self
            .regexes
            .as_ref()
            .is_some_and(|set| set.is_match(origin.full));
        let by_predicate = || {
            self.predicate
                .as_ref()
                .is_some_and(|p| p(origin.full, head))
        };
        if !(by_regex || by_predicate()) {
            return OriginVerdict::NotListed;
        }
        if !self.regex_or_predicate_may_grant_insecure && !origin.is_secure() {
            return OriginVerdict::InsecureRefused;
        }
        // A predicate's answer may depend on the rest of the request: never remembered.
        if by_regex {
            remembered::remember(self.id, bytes);
        }
        OriginVerdict::Granted(None)
    }

    fn matches_pattern(&self, origin: &Origin<'_>) -> bool {
        let admits = |leaves: &Vec<PatternLeaf>| {
            leaves
                .iter()
                .any(|l| &*l.scheme == origin.scheme && l.port.admits(origin.port))
        };
        if !self.hosts.is_empty() && self.hosts.get(origin.host).is_some_and(admits) {
            return true;
        }
        if self.subdomains.is_empty() || origin.host_kind != HostKind::Domain {
            return false;
        }
        let host = origin.host;
        if self.subdomains.len() <= 4 {
            // A few patterns: compare each suffix directly, on a label boundary.
            return self.subdomains.iter().any(|(suffix, leaves)| {
                host.len() > suffix.len() + 1
                    && host.ends_with(&**suffix)
                    && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
                    && admits(leaves)
            });
        }
        // Walk the strict suffixes that start after each dot: for `a.b.example.com` look up
        // `b.example.com`, `example.com`, `com`. The apex itself is never a key's subdomain.
        let mut from = 0;
        while let Some(dot) = host[from..].find('.') {
            from += dot + 1;
            if self.subdomains.get(&host[from..]).is_some_and(admits) {
                return true;
            }
        }
        false
    }
}
