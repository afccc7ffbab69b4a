//! Every line the middleware logs, in one place: each says what happened and why, under the
//! target `actix_cross_origin`, with the request's bytes quoted and escaped so that no request
//! can forge a line. The functions on the request path are inlined and read the request only
//! inside the logging macros, so that a line that is off costs its level check only.

use std::fmt;
use std::sync::Mutex;

use actix_web::dev::ServiceRequest;

use crate::decision::Refusal;
use crate::headers::Escaped;
use crate::policy::Entry;
use crate::source::PolicySource;
use actix_cross_origin_core::ConfigError;

pub(crate) const TARGET: &str = "actix_cross_origin";

/// A `Cors` that actix starts with an invalid policy: the server does not start. The line says
/// where the policy was written (a route attribute's handler, and the file and line). Without a
/// logger it goes to stderr, since actix itself only says "Can not start server service 0".
///
/// Each worker starts its own `Cors` (often built anew in the `HttpServer::new` closure), so
/// the same line is written once per process, not once per worker.
pub(crate) fn invalid_policy(e: &ConfigError, source: &PolicySource) {
    static WRITTEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let line = format!("{source} is invalid, so the server does not start: {e}");
    let mut written = WRITTEN.lock().unwrap_or_else(|e| e.into_inner());
    if written.contains(&line) {
        return;
    }
    if log::log_enabled!(target: TARGET, log::Level::Error) {
        log::error!(target: TARGET, "{line}");
    } else {
        eprintln!("error: {line}");
    }
    written.push(line);
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

/// Which policy decided a request, for its refusal line: the `Cors` (a route attribute's
/// handler, or where the `Cors` sits in routing, and where it was built) and its `resources`
/// entry. Routing tells where a `Cors` sits: nothing of the path is matched yet around the App,
/// a prefix around a scope, all of it around a resource.
#[derive(Clone, Copy)]
pub(crate) struct DecidedBy<'a> {
    pub(crate) source: &'a PolicySource,
    pub(crate) entry: &'a Entry,
}

struct DecidedByOn<'a>(DecidedBy<'a>, &'a ServiceRequest);

impl fmt::Display for DecidedByOn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (DecidedBy { source, entry }, req) = (self.0, self.1);
        match &source.route {
            Some(route) => write!(f, "the #[cross_origin] policy of {route}")?,
            None => {
                let path = req.match_info();
                let (whole, rest) = (path.as_str(), path.unprocessed());
                let matched = whole.get(..whole.len() - rest.len()).unwrap_or_default();
                if matched.is_empty() {
                    f.write_str("the App's Cors")?;
                } else if rest.is_empty() {
                    let pattern = req.match_pattern();
                    let pattern = pattern.as_deref().unwrap_or(matched);
                    write!(f, "the Cors of resource {}", Escaped(pattern.as_bytes()))?;
                } else {
                    write!(f, "the Cors of scope {}", Escaped(matched.as_bytes()))?;
                }
            }
        }
        write!(f, "{}", source.built_at())?;
        if entry.is_resource() {
            write!(f, ", {entry}")?;
        }
        Ok(())
    }
}

/// The line for a refused preflight.
struct RefusedPreflight<'a>(&'a Refusal<'a>, DecidedByOn<'a>);

impl fmt::Display for RefusedPreflight<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "preflight refused: {}; path {}; decided by {}",
            self.0,
            Escaped(self.1 .1.match_info().as_str().as_bytes()),
            self.1
        )
    }
}

/// Logs a refused preflight now.
#[inline]
pub(crate) fn refused_preflight(req: &ServiceRequest, refusal: &Refusal<'_>, by: DecidedBy<'_>) {
    log::debug!(
        target: TARGET,
        "{}",
        RefusedPreflight(refusal, DecidedByOn(by, req))
    );
}

/// A refused preflight's line kept for later, when the refusal borrows a request that routing
/// is about to take; `None` when debug lines are off, so nothing is formatted for nothing.
#[inline]
pub(crate) fn refused_preflight_for_later(
    req: &ServiceRequest,
    refusal: &Refusal<'_>,
    by: DecidedBy<'_>,
) -> Option<Box<str>> {
    for_later(|| RefusedPreflight(refusal, DecidedByOn(by, req)).to_string())
}

/// A debug line formatted now to be logged later, only when debug lines are on.
#[inline]
fn for_later(line: impl FnOnce() -> String) -> Option<Box<str>> {
    log::log_enabled!(target: TARGET, log::Level::Debug).then(|| line().into_boxed_str())
}

/// Logs a line kept by [`refused_preflight_for_later`] or [`refused_actual_for_later`].
#[inline]
pub(crate) fn kept(line: &Option<Box<str>>) {
    if let Some(line) = line {
        log::debug!(target: TARGET, "{line}");
    }
}

/// The line for an actual request whose origin is not granted.
struct RefusedActual<'a>(&'a Refusal<'a>, DecidedByOn<'a>);

impl fmt::Display for RefusedActual<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let req = self.1 .1;
        write!(
            f,
            "no Access-Control-Allow-Origin for {} request: {}; path {}; decided by {}",
            req.method(),
            self.0,
            Escaped(req.match_info().as_str().as_bytes()),
            self.1
        )
    }
}

/// An actual request whose origin is not granted.
#[inline]
pub(crate) fn refused_actual(req: &ServiceRequest, refusal: &Refusal<'_>, by: DecidedBy<'_>) {
    log::debug!(
        target: TARGET,
        "{}",
        RefusedActual(refusal, DecidedByOn(by, req))
    );
}

/// The same line kept until the answer shows whether an inner policy decided the request
/// instead; `None` when debug lines are off.
#[inline]
pub(crate) fn refused_actual_for_later(
    req: &ServiceRequest,
    refusal: &Refusal<'_>,
    by: DecidedBy<'_>,
) -> Option<Box<str>> {
    for_later(|| RefusedActual(refusal, DecidedByOn(by, req)).to_string())
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
