//! Every line the middleware logs, in one place: each says what happened and why, under the
//! target `actix_cross_origin`, with the request's bytes quoted and escaped so that no request
//! can forge a line. The functions on the request path are inlined and read the request only
//! inside the logging macros, so that a line that is off costs its level check only.

use std::fmt;

use actix_web::dev::ServiceRequest;

use crate::decision::Refusal;
use crate::error::ConfigError;
use crate::headers::Escaped;

pub(crate) const TARGET: &str = "actix_cross_origin";

/// A `Cors` that actix starts with an invalid policy: the server does not start. A route
/// attribute's policy says which handler and path it belongs to.
pub(crate) fn invalid_policy(e: &ConfigError, written_at: Option<&str>) {
    match written_at {
        Some(place) => log::error!(target: TARGET, "the CORS policy of {place}: {e}"),
        None => log::error!(target: TARGET, "{e}"),
    }
}

/// A risky but valid setting, when a policy is validated.
pub(crate) fn warning(text: &str) {
    log::warn!(target: TARGET, "{text}");
}

/// A policy changed at runtime.
pub(crate) fn reconfigured(generation: u64, changes: &[String]) {
    let what = if changes.is_empty() {
        "nothing".to_owned()
    } else {
        changes.join(", ")
    };
    log::info!(target: TARGET, "CORS policy changed (change {generation}): {what}");
}

/// A runtime change refused: the policy in force stays.
pub(crate) fn reconfiguration_refused(e: &ConfigError) {
    log::error!(target: TARGET, "CORS policy change refused, the policy in force stays: {e}");
}

/// The line for a refused preflight.
struct RefusedPreflight<'a>(&'a Refusal<'a>, &'a str);

impl fmt::Display for RefusedPreflight<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "preflight refused with 403: {}; path {}",
            self.0,
            Escaped(self.1.as_bytes())
        )
    }
}

/// Logs a refused preflight now.
#[inline]
pub(crate) fn refused_preflight(req: &ServiceRequest, refusal: &Refusal<'_>) {
    log::debug!(
        target: TARGET,
        "{}",
        RefusedPreflight(refusal, req.match_info().as_str())
    );
}

/// A refused preflight's line kept for later, when the refusal borrows a request that routing
/// is about to take; `None` when debug lines are off, so nothing is formatted for nothing.
#[inline]
pub(crate) fn refused_preflight_for_later(
    req: &ServiceRequest,
    refusal: &Refusal<'_>,
) -> Option<Box<str>> {
    log::log_enabled!(target: TARGET, log::Level::Debug).then(|| {
        let line = RefusedPreflight(refusal, req.match_info().as_str()).to_string();
        line.into_boxed_str()
    })
}

/// Logs a line kept by [`refused_preflight_for_later`].
#[inline]
pub(crate) fn kept(line: &Option<Box<str>>) {
    if let Some(line) = line {
        log::debug!(target: TARGET, "{line}");
    }
}

/// An actual request whose origin is not granted.
#[inline]
pub(crate) fn refused_actual(req: &ServiceRequest, refusal: &Refusal<'_>) {
    log::debug!(
        target: TARGET,
        "no Access-Control-Allow-Origin for {} request: {refusal}; path {}",
        req.method(),
        Escaped(req.match_info().as_str().as_bytes())
    );
}

/// A handler set `Access-Control-Allow-Origin` itself.
pub(crate) fn handler_answered_cors() {
    log::debug!(
        target: TARGET,
        "the response already has Access-Control-Allow-Origin: its CORS fields are left as the handler set them"
    );
}

/// A nested policy serves requests that needed a preflight it never saw: its preflights went
/// elsewhere (typically a method guard of `#[get(wrap = ...)]` hides them, and an outer
/// `Cors` answers them with its own policy).
pub(crate) fn preflights_unreachable(req: &ServiceRequest) {
    log::warn!(
        target: TARGET,
        "the CORS policy around {} receives {} requests that need a preflight, but no preflight has reached it on this worker: an outer Cors answers them with its own policy. \
         Let the route accept OPTIONS, e.g. #[route(\"...\", method = \"{}\", method = \"OPTIONS\", wrap = \"...\")], or wrap its web::resource or web::scope instead",
        Escaped(req.match_pattern().as_deref().unwrap_or(req.path()).as_bytes()),
        req.method(),
        req.method(),
    );
}
