//! What options compile to: an immutable [`Policy`] per path, with every response header value
//! computed once at start-up.

use std::fmt;

use actix_web::http::header::HeaderValue;

use crate::headers::AllowedHeaders;
use crate::methods::AllowedMethods;
use crate::origin::OriginMatcher;
use crate::path::without_dot_segments;

/// One compiled CORS policy. Built once by validation, shared read-only by every worker.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub(crate) origins: OriginMatcher,
    /// Answer `*` rather than echoing the origin (only when any origin is allowed).
    pub(crate) send_wildcard: bool,
    pub(crate) credentials: bool,
    pub(crate) methods: AllowedMethods,
    pub(crate) allow_headers: AllowedHeaders,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
    /// Add `Vary: Origin` (configured on, and the answer depends on the origin).
    pub(crate) vary: bool,
    /// What a request without an `Origin` is answered (flask-cors's `always_send`).
    pub(crate) without_origin: Option<WithoutOrigin>,
    /// `automatic_options`: the `Allow` value of automatic `OPTIONS` answers when it is on.
    pub(crate) automatic_options: Option<HeaderValue>,
    pub(crate) private_network: bool,
    /// `explain`: refusals say in their answer which option refused what.
    pub(crate) explain: bool,
    /// Which of its `Cors`'s policies this is, for log lines and explanations.
    pub(crate) entry: Entry,
}

/// Which of a `Cors`'s policies a [`Policy`] is: its top-level one, or a `resources` entry
/// (its index and path glob).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Entry(Option<(usize, Box<str>)>);

impl Entry {
    pub(crate) fn resource(index: usize, glob: &str) -> Self {
        Entry(Some((index, glob.into())))
    }

    /// Whether this is a `resources` entry's policy rather than the top-level one.
    pub(crate) fn is_resource(&self) -> bool {
        self.0.is_some()
    }

    /// The full name of one of this policy's options, as a configuration names it
    /// (`methods`, `resources[1].methods`).
    pub(crate) fn option(&self, name: &'static str) -> OptionName<'_> {
        OptionName(self, name)
    }
}

/// `resources[1] "/api/*"`, or nothing for the top-level policy.
impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some((i, glob)) => write!(f, "resources[{i}] {glob:?}"),
            None => Ok(()),
        }
    }
}

/// An option's name within its policy; see [`Entry::option`].
pub(crate) struct OptionName<'a>(&'a Entry, &'static str);

impl fmt::Display for OptionName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &(self.0).0 {
            Some((i, _)) => write!(f, "resources[{i}].{}", self.1),
            None => f.write_str(self.1),
        }
    }
}

/// The `Access-Control-Allow-Origin` sent, with `always_send`, to a request that has no
/// `Origin` (or an empty one). Only a value that does not depend on the origin can be sent.
#[derive(Debug, Clone)]
pub(crate) enum WithoutOrigin {
    /// `*`: any origin is allowed, without credentials.
    Any,
    /// The policy's one listed origin: the Fetch standard's advice for a static origin, so
    /// that a cached answer still works for the origin it serves.
    Listed(HeaderValue),
}

impl Policy {
    /// Whether the value sent as `Access-Control-Allow-Origin` is the same for every origin.
    pub(crate) fn same_answer_for_every_origin(&self) -> bool {
        self.origins.allows_any() && self.send_wildcard
    }
}

/// A `resources` path glob: `*` matches any run of characters; anchored at both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathGlob {
    /// The literal parts between stars; `parts.len() == stars + 1`.
    parts: Vec<Box<str>>,
    source: Box<str>,
}

impl PathGlob {
    pub(crate) fn new(glob: &str) -> Self {
        PathGlob {
            parts: glob.split('*').map(Into::into).collect(),
            source: glob.into(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// Matches the whole path, case-sensitively, without allocating. Greedy left-to-right
    /// matching of the parts is exact for globs whose only metacharacter is `*`.
    pub(crate) fn matches(&self, path: &str) -> bool {
        let (first, rest) = match self.parts.split_first() {
            Some(split) => split,
            None => return path.is_empty(),
        };
        let Some(mut tail) = path.strip_prefix(&**first) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return tail.is_empty();
        };
        for part in middle {
            match tail.find(&**part) {
                Some(i) => tail = &tail[i + part.len()..],
                None => return false,
            }
        }
        tail.len() >= last.len() && tail.ends_with(&**last)
    }

    /// Whether every path this glob matches is also matched by `self`, in the cases that can be
    /// seen without a full language comparison: the same glob, or `self` is `PREFIX*` and the
    /// other glob's literal start begins with `PREFIX`.
    pub(crate) fn covers(&self, other: &PathGlob) -> bool {
        if self == other {
            return true;
        }
        match &self.parts[..] {
            [prefix, last] if last.is_empty() => other.parts[0].starts_with(&**prefix),
            _ => false,
        }
    }
}

/// Everything a `Cors` compiles to: the top-level policy and the per-path ones.
#[derive(Debug, Clone)]
pub(crate) struct CompiledCors {
    /// The policy for paths no resource entry matches; `None` when resources were given.
    pub(crate) top: Option<Policy>,
    pub(crate) resources: Vec<(PathGlob, Policy)>,
}

/// Which of a [`CompiledCors`]'s policies governs a request: 0 for the top-level one, `i + 1`
/// for resource entry `i`. A number rather than a reference, so that a response future can
/// name its policy without borrowing the middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PolicyIndex(u32);

impl CompiledCors {
    /// The policy that governs the path actix routes on, if any: the first entry whose glob
    /// matches the path without its dot segments. The path is asked for only when there are
    /// `resources` to match it against.
    #[inline]
    pub(crate) fn policy_for<'p>(
        &self,
        path: impl FnOnce() -> &'p str,
    ) -> Option<(PolicyIndex, &Policy)> {
        if self.resources.is_empty() {
            return self.top.as_ref().map(|p| (PolicyIndex(0), p));
        }
        let path = without_dot_segments(path());
        let path = path.as_ref();
        self.resources
            .iter()
            .zip(1..)
            .find(|((glob, _), _)| glob.matches(path))
            .map(|((_, policy), i)| (PolicyIndex(i), policy))
    }

    /// The policy `policy_for` named by `index`.
    pub(crate) fn policy(&self, index: PolicyIndex) -> Option<&Policy> {
        match index.0 {
            0 => self.top.as_ref(),
            i => self.resources.get(i as usize - 1).map(|(_, p)| p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_is_anchored_at_both_ends() {
        let cases = [
            ("/api/*", "/api/x", true),
            ("/api/*", "/api/x/y", true),
            ("/api/*", "/api/", true),
            ("/api/*", "/api", false),
            ("/api/*", "/apiary", false),
            ("/api/*", "/API/x", false),
            ("/api/*", "/x/api/y", false),
            ("/api", "/api", true),
            ("/api", "/api/", false),
            ("/*", "/", true),
            ("/*", "/anything/at/all", true),
            ("/*.json", "/a/b.json", true),
            ("/*.json", "/a/b.jsonx", false),
            ("/a/*/c", "/a/b/c", true),
            ("/a/*/c", "/a/c", false),
            ("/a/*/c", "/a/b/c/d", false),
            ("/a/*b*b", "/a/b", false),
            ("/a/*b*b", "/a/bb", true),
            ("/a/*b*b", "/a/bbb", true),
            ("/service+path", "/service+path", true),
            ("/service+path", "/service path", false),
        ];
        for (glob, path, want) in cases {
            assert_eq!(PathGlob::new(glob).matches(path), want, "{glob} vs {path}");
        }
    }

    #[test]
    fn covers_sees_prefix_shadowing() {
        let g = PathGlob::new;
        assert!(g("/*").covers(&g("/api/*")));
        assert!(g("/api/*").covers(&g("/api/v1/*")));
        assert!(g("/api/*").covers(&g("/api/x")));
        assert!(g("/x").covers(&g("/x")));
        assert!(!g("/api/*").covers(&g("/*")));
        assert!(!g("/api/*").covers(&g("/apix")));
        assert!(!g("/*.json").covers(&g("/api/*")));
    }
}
