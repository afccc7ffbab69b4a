//! Validation: `actix_cross_origin_core::check` finds every problem and warning of the options
//! (the same rules the `#[cross_origin]` attribute applies at compile time) and yields the
//! policies they describe; this compiles those, once, into a [`CompiledCors`]: header values,
//! origin matchers, one regex set per policy.

use actix_cross_origin_core::{
    check, problems, AllowedList, CheckedPolicy, ConfigError, ConfigProblem, CorsOptions,
    DEFAULT_METHODS,
};
use actix_web::http::header::HeaderValue;
use regex::RegexSetBuilder;

use crate::headers::{self, AllowedHeaders};
use crate::methods::AllowedMethods;
use crate::origin::{OriginMatcher, OriginPredicate};
use crate::policy::{CompiledCors, Entry, PathGlob, Policy, WithoutOrigin};

/// The result of validation: the compiled policies and the warnings to log at start-up.
pub(crate) struct Validated {
    pub(crate) cors: CompiledCors,
    pub(crate) warnings: Vec<String>,
}

/// Validates `options` (and the predicate, if any) into the compiled form.
pub(crate) fn compile(
    options: &CorsOptions,
    predicate: Option<&OriginPredicate>,
) -> Result<Validated, ConfigError> {
    let checked = check(options, predicate.is_some())?;
    let mut warnings = checked.warnings;
    let mut found = Vec::new();
    let mut compile = |policy| compile_policy(policy, predicate, &mut found);
    let top = checked.top.and_then(&mut compile);
    let mut resources: Vec<(PathGlob, Policy)> = Vec::with_capacity(checked.resources.len());
    for checked in checked.resources {
        let Some((i, path)) = checked.resource.clone() else {
            continue;
        };
        let Some(policy) = compile(checked) else {
            continue;
        };
        let glob = PathGlob::new(&path);
        for (j, (earlier, _)) in resources.iter().enumerate() {
            if earlier.covers(&glob) {
                let warning = problems::warn_shadowed_resource(i, &path, j, earlier.as_str());
                warnings.push(warning);
            }
        }
        resources.push((glob, policy));
    }
    if !found.is_empty() {
        return Err(ConfigError::new(found));
    }
    Ok(Validated {
        cors: CompiledCors { top, resources },
        warnings,
    })
}

/// One checked policy, compiled: every field named, so that none is forgotten. The one
/// problem only compiling finds (regexes too large together) goes to `found`.
fn compile_policy(
    p: CheckedPolicy,
    predicate: Option<&OriginPredicate>,
    found: &mut Vec<ConfigProblem>,
) -> Option<Policy> {
    let CheckedPolicy {
        resource,
        origins: patterns,
        regexes,
        predicate: predicate_decides,
        regex_or_predicate_may_grant_insecure,
        methods,
        allow_headers,
        expose_headers,
        max_age,
        send_wildcard,
        credentials,
        vary,
        always_send,
        automatic_options,
        private_network,
        explain,
    } = p;
    let mut origins = OriginMatcher::default();
    for pattern in patterns {
        origins.add(pattern);
    }
    if !regexes.is_empty() {
        match RegexSetBuilder::new(&regexes).build() {
            Ok(set) => origins.set_regexes(set),
            Err(e) => {
                found.push(problems::regexes_do_not_compile_together(&e.to_string()));
                return None;
            }
        }
    }
    origins.set_predicate(predicate.filter(|_| predicate_decides).cloned());
    origins.set_regex_or_predicate_may_grant_insecure(regex_or_predicate_may_grant_insecure);
    let (methods, allow) = compile_methods(methods);
    Some(Policy {
        without_origin: without_origin(always_send, credentials, &origins),
        origins,
        send_wildcard,
        credentials,
        methods,
        allow_headers: match allow_headers {
            AllowedList::Any => AllowedHeaders::Any,
            AllowedList::List(names) => AllowedHeaders::list(names),
        },
        expose_headers: (!expose_headers.is_empty())
            .then(|| HeaderValue::from_str(&expose_headers.join(", ")).ok())
            .flatten()
            .map(headers::clone_free),
        max_age: max_age.map(|seconds| headers::clone_free(HeaderValue::from(seconds))),
        vary,
        automatic_options: automatic_options.then_some(allow),
        private_network,
        explain,
        entry: match resource {
            Some((i, path)) => Entry::resource(i, &path),
            None => Entry::default(),
        },
    })
}

/// flask-cors's `always_send`: the answer to a request without `Origin`, when there is one
/// that does not depend on it.
fn without_origin(
    always_send: bool,
    credentials: bool,
    origins: &OriginMatcher,
) -> Option<WithoutOrigin> {
    match (always_send, origins.allows_any()) {
        (false, _) => None,
        (true, true) => (!credentials).then_some(WithoutOrigin::Any),
        (true, false) => origins
            .single_listed()
            .map(|v| WithoutOrigin::Listed(v.clone())),
    }
}

/// `methods`: the allowed tokens with their `Access-Control-Allow-Methods` value, and the
/// `Allow` value of automatic `OPTIONS` answers.
fn compile_methods(methods: AllowedList) -> (AllowedMethods, HeaderValue) {
    let default_allow = || joined(DEFAULT_METHODS.iter().copied());
    let tokens = match methods {
        AllowedList::Any => return (AllowedMethods::Any, default_allow()),
        AllowedList::List(tokens) => tokens,
    };
    let value = joined(tokens.iter().map(String::as_str));
    let allow = if tokens.is_empty() {
        default_allow()
    } else {
        value.clone()
    };
    let methods = AllowedMethods::List {
        tokens: tokens.into_iter().map(String::into_boxed_str).collect(),
        header: value,
    };
    (methods, allow)
}

/// Tokens joined with `, `, as a header value built to be cloned for free.
fn joined<'a>(tokens: impl Iterator<Item = &'a str>) -> HeaderValue {
    let joined = tokens.collect::<Vec<_>>().join(", ");
    // Tokens only, so the value is always a valid header value.
    headers::clone_free(HeaderValue::from_str(&joined).unwrap_or(HeaderValue::from_static("")))
}
