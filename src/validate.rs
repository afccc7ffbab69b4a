//! Validation: turns [`CorsOptions`] into a [`CompiledCors`] once, with one short function per
//! option, collecting every problem and warning on the way. What each problem says to the user
//! is in `problems`; the grammar of an origin pattern is in `origin::pattern`.

use actix_web::http::header::HeaderValue;
use regex::{Regex, RegexSetBuilder};

use crate::error::{ConfigError, ConfigProblem};
use crate::fetch;
use crate::headers::{self, AllowedHeaders};
use crate::methods::AllowedMethods;
use crate::options::{CorsOptions, DEFAULT_METHODS};
use crate::origin::{self, OriginMatcher, OriginPattern, OriginPredicate};
use crate::policy::{CompiledCors, Entry, PathGlob, Policy, WithoutOrigin};
use crate::problems::{self, CHROMIUM_MAX_AGE};
use crate::regex_lint;

/// Longest `max_age` any browser honours (Firefox); Chromium caps at 7200, WebKit at 600.
pub(crate) const MAX_AGE_LIMIT: u64 = 86_400;

/// The result of validation: the compiled policies and the warnings to log at start-up.
pub(crate) struct Validated {
    pub(crate) cors: CompiledCors,
    pub(crate) warnings: Vec<String>,
}

/// Everything found wrong or risky so far.
#[derive(Default)]
struct Findings {
    problems: Vec<ConfigProblem>,
    warnings: Vec<String>,
}

/// Validates `options` (and the predicate, if any) into the compiled form.
pub(crate) fn compile(
    options: &CorsOptions,
    predicate: Option<&OriginPredicate>,
) -> Result<Validated, ConfigError> {
    let mut f = Findings::default();
    let resources = compile_resources(options, predicate, &mut f);
    let top = if options.resources.is_empty() {
        compile_policy(options, predicate, "", &mut f)
    } else {
        None
    };
    if !f.problems.is_empty() {
        return Err(ConfigError::new(f.problems));
    }
    Ok(Validated {
        cors: CompiledCors { top, resources },
        warnings: f.warnings,
    })
}

/// Each `resources` entry: its glob, and its options put over the top level's.
fn compile_resources(
    options: &CorsOptions,
    predicate: Option<&OriginPredicate>,
    f: &mut Findings,
) -> Vec<(PathGlob, Policy)> {
    let mut resources: Vec<(PathGlob, Policy)> = Vec::with_capacity(options.resources.len());
    for (i, entry) in options.resources.iter().enumerate() {
        let prefix = format!("resources[{i}].");
        let glob_ok = check_glob(&entry.path, &format!("{prefix}path"), f);
        // The predicate belongs to the top level; an entry that names its own origins or
        // regexes decides by those alone.
        let inherit = entry.origins.is_none() && entry.origin_regexes.is_none();
        let predicate = inherit.then_some(predicate).flatten();
        let policy =
            compile_policy(&entry.merged_over(options), predicate, &prefix, f).map(|p| Policy {
                entry: Entry::resource(i, &entry.path),
                ..p
            });
        if !glob_ok {
            continue;
        }
        let glob = PathGlob::new(&entry.path);
        for (j, (earlier, _)) in resources.iter().enumerate() {
            if earlier.covers(&glob) {
                let warning = problems::warn_shadowed_resource(i, &entry.path, j, earlier.as_str());
                f.warnings.push(warning);
            }
        }
        if let Some(policy) = policy {
            resources.push((glob, policy));
        }
    }
    resources
}

fn check_glob(path: &str, option: &str, f: &mut Findings) -> bool {
    // Every path actix routes on starts with `/`: a glob that starts with anything else but
    // `*` can never match one.
    if !path.starts_with(['/', '*']) {
        f.problems.push(problems::glob_never_matches(option, path));
        return false;
    }
    if path.bytes().any(|b| b < b' ' || b == 0x7f) {
        f.problems
            .push(problems::glob_control_character(option, path));
        return false;
    }
    if path.contains(".*") {
        // A regex habit from flask-cors, where resource keys are regexes.
        f.warnings.push(problems::warn_regex_in_glob(option, path));
    }
    true
}

/// One policy: one function per option, then what the options mean together.
fn compile_policy(
    o: &CorsOptions,
    predicate: Option<&OriginPredicate>,
    prefix: &str,
    f: &mut Findings,
) -> Option<Policy> {
    let start = f.problems.len();
    let opt = |name: &str| format!("{prefix}{name}");
    let origins = compile_origins(o, predicate, prefix, f);
    let (methods, allow) = compile_methods(&o.methods, &opt("methods"), f);
    let allow_headers = compile_allow_headers(&o.allow_headers, &opt("allow_headers"), f);
    let expose_headers = compile_expose_headers(o, &opt("expose_headers"), f);
    let max_age = compile_max_age(o.max_age, prefix, f);
    if o.allow_private_network {
        f.warnings.push(problems::warn_private_network(prefix));
    }
    if o.explain {
        f.warnings.push(problems::warn_explain(prefix));
    }
    let send_wildcard = o.send_wildcard && origins.allows_any() && !o.supports_credentials;
    // `*` for every request is the one answer that does not depend on the Origin; without
    // always_send, whether `*` is sent depends on whether an Origin came.
    let depends_on_origin = !(send_wildcard && o.always_send);
    if !o.vary_header && depends_on_origin && !origins.grants_nothing() {
        f.warnings.push(problems::warn_vary_off(prefix));
    }
    if f.problems.len() > start {
        return None;
    }
    Some(Policy {
        without_origin: without_origin(o, &origins),
        origins,
        send_wildcard,
        credentials: o.supports_credentials,
        methods,
        allow_headers,
        expose_headers,
        max_age,
        vary: o.vary_header && depends_on_origin,
        automatic_options: o.automatic_options.then_some(allow),
        private_network: o.allow_private_network,
        explain: o.explain,
        entry: Entry::default(),
    })
}

/// flask-cors's `always_send`: the answer to a request without `Origin`, when there is one
/// that does not depend on it.
fn without_origin(o: &CorsOptions, origins: &OriginMatcher) -> Option<WithoutOrigin> {
    match (o.always_send, origins.allows_any()) {
        (false, _) => None,
        (true, true) => (!o.supports_credentials).then_some(WithoutOrigin::Any),
        (true, false) => origins
            .single_listed()
            .map(|v| WithoutOrigin::Listed(v.clone())),
    }
}

/// `origins`, `origin_regexes` and the predicate, with the rules on how they meet
/// credentials.
fn compile_origins(
    o: &CorsOptions,
    predicate: Option<&OriginPredicate>,
    prefix: &str,
    f: &mut Findings,
) -> OriginMatcher {
    let option = format!("{prefix}origins");
    // Left out means "*", unless regexes or a predicate are given.
    let default_any = o.origin_regexes.is_empty() && predicate.is_none();
    let entries: Vec<&str> = match &o.origins {
        Some(list) => list.iter().map(String::as_str).collect(),
        None if default_any => vec!["*"],
        None => Vec::new(),
    };
    // flask-cors reads an `origins` entry with regex syntax as a regex: so do we.
    let (regex_entries, patterns): (Vec<&str>, Vec<&str>) =
        entries.iter().partition(|entry| looks_like_regex(entry));
    let mut matcher = OriginMatcher::default();
    for (i, entry) in entries.iter().enumerate() {
        if entries[..i].contains(entry) {
            f.warnings
                .push(problems::warn_duplicate_origin(&option, entry));
        }
    }
    for entry in patterns {
        compile_origin(o, entry, entries.len() > 1, &option, &mut matcher, f);
    }
    check_credentials(o, &matcher, prefix, f);
    let regex_option = format!("{prefix}origin_regexes");
    let regexes: Vec<(&str, &str)> = (regex_entries.iter().map(|re| (option.as_str(), *re)))
        .chain(
            o.origin_regexes
                .iter()
                .map(|re| (regex_option.as_str(), re.as_str())),
        )
        .collect();
    compile_regexes(&regexes, &mut matcher, f);
    matcher.set_predicate(predicate.cloned());
    let insecure_ok = o.dangerously_allow_insecure_origins;
    matcher.set_regex_or_predicate_may_grant_insecure(!o.supports_credentials || insecure_ok);
    if matcher.grants_nothing() {
        f.warnings.push(problems::warn_grants_nothing(prefix));
    }
    matcher
}

/// One `origins` entry that is not a regex.
fn compile_origin(
    o: &CorsOptions,
    entry: &str,
    in_a_list: bool,
    option: &str,
    matcher: &mut OriginMatcher,
    f: &mut Findings,
) {
    let insecure_refused = o.supports_credentials && !o.dangerously_allow_insecure_origins;
    match origin::parse_pattern(entry) {
        Err(e) => {
            let https_required = o.supports_credentials && !o.dangerously_allow_insecure_origins;
            let problem = problems::origin_pattern(option, entry, &e, https_required);
            f.problems.push(problem);
        }
        Ok(OriginPattern::Any) => {
            if in_a_list {
                let problem = problems::wildcard_in_list(option, "origin", "origins");
                f.problems.push(problem);
            }
            matcher.add(OriginPattern::Any);
        }
        Ok(p) if insecure_refused && !p.is_secure() => {
            let problem = problems::insecure_origin_with_credentials(option, entry);
            f.problems.push(problem);
        }
        Ok(p) => matcher.add(p),
    }
}

/// Credentials never go with any origin, and plain-http origins only when dangerously allowed.
fn check_credentials(o: &CorsOptions, matcher: &OriginMatcher, prefix: &str, f: &mut Findings) {
    let credentials = o.supports_credentials;
    if credentials && matcher.allows_any() {
        let option = format!("{prefix}supports_credentials");
        let problem = problems::credentials_with_any_origin(&option, o.origins.is_none());
        f.problems.push(problem);
    }
    if credentials && o.send_wildcard {
        let problem = problems::credentials_with_send_wildcard(&format!("{prefix}send_wildcard"));
        f.problems.push(problem);
    }
    if o.send_wildcard && !matcher.allows_any() && !credentials {
        f.warnings
            .push(problems::warn_send_wildcard_without_any(prefix));
    }
    if o.dangerously_allow_insecure_origins && credentials {
        f.warnings
            .push(problems::warn_insecure_origins_allowed(prefix));
    }
}

/// Whether an `origins` entry is written as a regex (flask-cors accepts regexes there):
/// escapes, anchors, groups, classes, or quantifiers without a scheme (`.*`). Anything else is
/// an origin or one of the patterns `https://*.example.com` and `http://localhost:*`, and is
/// refused with a fix if it is not.
fn looks_like_regex(entry: &str) -> bool {
    // `[` right after the scheme opens an IPv6 address, not a class.
    let ipv6 = entry.find("://[").map(|i| i + 3);
    let class = entry.match_indices('[').any(|(i, _)| Some(i) != ipv6);
    // Without a scheme, a quantifier can only be regex syntax (`.*`, flask-cors's "any").
    let bare_quantifier = !entry.contains("://") && entry.contains(['*', '+', '?']) && entry != "*";
    class || bare_quantifier || entry.contains(['\\', '^', '$', '('])
}

/// Compiles the origin regexes, each `(option, regex)`, into one set matched against the
/// whole origin, refusing the ones that compile but let an attacker through.
fn compile_regexes(list: &[(&str, &str)], matcher: &mut OriginMatcher, f: &mut Findings) {
    if list.is_empty() {
        return;
    }
    let start = f.problems.len();
    let mut anchored = Vec::with_capacity(list.len());
    for &(option, re) in list {
        let full = format!("^(?:{re})$");
        let compiled = match Regex::new(&full) {
            Ok(compiled) => compiled,
            Err(e) => {
                f.problems
                    .push(problems::invalid_regex(option, re, &e.to_string()));
                continue;
            }
        };
        if compiled.is_match("*") {
            f.problems.push(problems::regex_matches_star(option, re));
        }
        for finding in regex_lint::lint(re) {
            f.problems.push(problems::regex_lint(option, re, finding));
        }
        anchored.push(full);
    }
    if f.problems.len() > start {
        return;
    }
    match RegexSetBuilder::new(&anchored).build() {
        Ok(set) => matcher.set_regexes(set),
        Err(e) => f
            .problems
            .push(problems::regexes_do_not_compile_together(&e.to_string())),
    }
}

/// `methods`: the allowed tokens with their `Access-Control-Allow-Methods` value, and the
/// `Allow` value of automatic `OPTIONS` answers.
fn compile_methods(
    list: &[String],
    option: &str,
    f: &mut Findings,
) -> (AllowedMethods, HeaderValue) {
    let default_allow = || joined(DEFAULT_METHODS.iter().copied());
    if list.iter().any(|m| m == "*") {
        if list.len() > 1 {
            let problem = problems::wildcard_in_list(option, "method", "methods");
            f.problems.push(problem);
        }
        return (AllowedMethods::Any, default_allow());
    }
    let mut methods: Vec<Box<str>> = Vec::with_capacity(list.len());
    for m in list {
        let upper = m.to_ascii_uppercase();
        if !headers::is_token(m.as_bytes()) {
            f.problems.push(problems::invalid_method(option, m));
        } else if fetch::is_forbidden_method(&upper) {
            f.problems.push(problems::forbidden_method(option, m));
        } else {
            let name = if fetch::is_normalized_method(&upper) {
                upper
            } else {
                if m.bytes().any(|b| b.is_ascii_lowercase()) {
                    f.warnings
                        .push(problems::warn_method_case(option, m, &upper));
                }
                m.clone()
            };
            if !methods.iter().any(|x| **x == *name) {
                methods.push(name.into());
            }
        }
    }
    let value = joined(methods.iter().map(|m| &**m));
    let allow = if methods.is_empty() {
        default_allow()
    } else {
        value.clone()
    };
    let methods = AllowedMethods::List {
        tokens: methods,
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

fn compile_allow_headers(list: &[String], option: &str, f: &mut Findings) -> AllowedHeaders {
    if list.iter().any(|h| h == "*") {
        if list.len() > 1 {
            let problem = problems::wildcard_in_list(option, "header", "headers");
            f.problems.push(problem);
        }
        return AllowedHeaders::Any;
    }
    let mut names = Vec::with_capacity(list.len());
    for h in list {
        if !headers::is_token(h.as_bytes()) || h.len() > 128 {
            f.problems
                .push(problems::invalid_header_name(option, h, "X-Token"));
        } else if fetch::is_forbidden_request_header(&h.to_ascii_lowercase()) {
            f.problems
                .push(problems::forbidden_request_header(option, h));
        } else {
            names.push(h.clone());
        }
    }
    AllowedHeaders::list(names)
}

fn compile_expose_headers(o: &CorsOptions, option: &str, f: &mut Findings) -> Option<HeaderValue> {
    let mut names: Vec<&str> = Vec::with_capacity(o.expose_headers.len());
    for h in &o.expose_headers {
        if h == "*" {
            if o.supports_credentials {
                f.problems
                    .push(problems::wildcard_expose_with_credentials(option));
                continue;
            }
        } else if !headers::is_token(h.as_bytes()) {
            f.problems
                .push(problems::invalid_header_name(option, h, "X-Total-Count"));
            continue;
        } else if fetch::is_forbidden_response_header(&h.to_ascii_lowercase()) {
            f.problems
                .push(problems::forbidden_response_header(option, h));
            continue;
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case(h)) {
            names.push(h);
        }
    }
    if names.is_empty() {
        return None;
    }
    HeaderValue::from_str(&names.join(", "))
        .ok()
        .map(headers::clone_free)
}

fn compile_max_age(max_age: Option<u64>, prefix: &str, f: &mut Findings) -> Option<HeaderValue> {
    let seconds = max_age?;
    if seconds > MAX_AGE_LIMIT {
        let problem = problems::max_age_too_large(&format!("{prefix}max_age"), seconds);
        f.problems.push(problem);
        return None;
    }
    if seconds > CHROMIUM_MAX_AGE {
        let warning = problems::warn_max_age_above_chromium(prefix, seconds);
        f.warnings.push(warning);
    }
    Some(headers::clone_free(HeaderValue::from(seconds)))
}
