//! Origins as strings: the syntax of a serialized origin, the patterns users configure, and
//! the repair of a mistyped entry. The runtime's matcher is built from these.
//!
//! Request `Origin` values are validated against the Fetch standard's serialization (lowercase
//! scheme and host, no path, no default port, canonical IP literals) and then compared byte for
//! byte. Nothing here folds case or trims: an origin that is not already in the form a browser
//! sends never matches.
//!
//! - `syntax`: what a serialized origin is ([`parse`], [`SyntaxError`]), on the request path.
//! - `pattern`: the grammar of an `origins` entry ([`parse_pattern`], [`PatternError`]).
//! - `public_suffix`: where a wildcard would admit strangers.
//! - `repair`: the form a browser sends of a mistyped entry, for the fix a problem suggests.

mod pattern;
mod public_suffix;
mod repair;
mod syntax;

pub use pattern::{parse as parse_pattern, OriginPattern, PatternError, PortRule};
pub(crate) use public_suffix::is_public_suffix;
pub(crate) use repair::{repaired, Repaired};
pub use syntax::{canonical_ipv6, parse, HostKind, Origin, SyntaxError};
