//! Origins: the matcher a policy's origins compile to. The syntax of a serialized origin, the
//! patterns users configure and their repair are the configuration's business, in
//! `actix_cross_origin_core::origin`; the request path calls its `parse` (inlined).
//!
//! Request `Origin` values are validated against the Fetch standard's serialization (lowercase
//! scheme and host, no path, no default port, canonical IP literals) and then compared byte for
//! byte. Nothing here folds case or trims: an origin that is not already in the form a browser
//! sends never matches.
//!
//! - `listed`: the listed origins, found by their raw bytes.
//! - `matcher`: what a policy's origins compile to ([`OriginMatcher`], [`OriginVerdict`]).
//! - `remembered`: the per-thread memory of origins a pattern or regex granted.

mod listed;
mod matcher;
mod remembered;

pub(crate) use actix_cross_origin_core::origin::{parse, SyntaxError};
pub(crate) use matcher::{OriginMatcher, OriginPredicate, OriginVerdict};
