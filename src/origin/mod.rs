//! Origins: the syntax of a serialized origin, the patterns users configure, and the matcher
//! they compile to.
//!
//! Request `Origin` values are validated against the Fetch standard's serialization (lowercase
//! scheme and host, no path, no default port, canonical IP literals) and then compared byte for
//! byte. Nothing here folds case or trims: an origin that is not already in the form a browser
//! sends never matches.
//!
//! - `syntax`: what a serialized origin is ([`parse`], [`SyntaxError`]).
//! - `pattern`: the grammar of an `origins` entry ([`parse_pattern`], [`PatternError`]).
//! - `public_suffix`: where a wildcard would admit strangers.
//! - `listed`: the listed origins, found by their raw bytes.
//! - `matcher`: what a policy's origins compile to ([`OriginMatcher`], [`OriginVerdict`]).
//! - `remembered`: the per-thread memory of origins a pattern or regex granted.
//! - `repair`: the form a browser sends of a mistyped entry, for the fix a problem suggests.

mod listed;
mod matcher;
mod pattern;
mod public_suffix;
mod remembered;
mod repair;
mod syntax;

pub(crate) use matcher::{OriginMatcher, OriginPredicate, OriginVerdict};
pub(crate) use pattern::{parse as parse_pattern, OriginPattern, PatternError};
pub(crate) use public_suffix::is_public_suffix;
pub(crate) use repair::{repaired, Repaired};
pub(crate) use syntax::{canonical_ipv6, parse, SyntaxError};
