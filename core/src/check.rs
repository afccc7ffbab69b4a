//! The configuration rules: [`check`] finds every problem and warning of a [`CorsOptions`],
//! with one short function per option, and yields the validated policies it describes, still
//! as strings. The runtime compiles a [`Checked`] into header values and matchers; the
//! `#[cross_origin]` attribute runs the same check on its literal options at compile time.
//! What each problem says to the user is in `problems`; the grammar of an origin pattern is in
//! `origin::pattern`.

use regex::Regex;

use crate::error::{ConfigError, ConfigProblem};
use crate::fetch;
use crate::options::CorsOptions;
use crate::origin::{self, OriginPattern};
use crate::problems::{self, CHROMIUM_MAX_AGE};
use crate::regex_lint;
use crate::token::is_token;

/// Longest `max_age` any browser honours (Firefox); Chromium caps at 7200, WebKit at 600.
const MAX_AGE_LIMIT: u64 = 86_400;

/// `"*"`, or the entries of a list as they are to be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedList {
    /// `"*"`: anything.
    Any,
    /// These entries, without duplicates.
    List(Vec<String>),
}

/// A configuration that passed [`check`]: its policies, and the warnings to log at start-up.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The policy for every path, when there are no `resources`.
    pub top: Option<CheckedPolicy>,
    /// Each `resources` entry's policy, in order (see [`CheckedPolicy::resource`]).
    pub resources: Vec<CheckedPolicy>,
    /// Risky but valid settings, in words.
    pub warnings: Vec<String>,
}

/// One policy that passed [`check`], with every option in the form the runtime compiles.
#[derive(Debug, Clone)]
pub struct CheckedPolicy {
    /// For a `resources` entry, its index and path glob.
    pub resource: Option<(usize, String)>,
    /// The `origins` entries that are origins or patterns, in order.
    pub origins: Vec<OriginPattern>,
    /// The origin regexes (from `origins` and `origin_regexes`), each anchored at both ends.
    pub regexes: Vec<String>,
    /// Whether the `Cors`'s predicate decides this policy's origins too.
    pub predicate: bool,
    /// Whether regexes and the predicate may grant origins that are neither https nor loopback.
    pub regex_or_predicate_may_grant_insecure: bool,
    /// The methods, as a preflight's answer names them.
    pub methods: AllowedList,
    /// The request headers, as written.
    pub allow_headers: AllowedList,
    /// The response headers to expose (`"*"` among them only without credentials).
    pub expose_headers: Vec<String>,
    /// `max_age`, at most 86400.
    pub max_age: Option<u64>,
    /// Answer `*`: `send_wildcard` with any origin and without credentials.
    pub send_wildcard: bool,
    /// `supports_credentials`.
    pub credentials: bool,
    /// Add `Vary: Origin`: `vary_header`, when the answer depends on the origin.
    pub vary: bool,
    /// `always_send`.
    pub always_send: bool,
    /// `automatic_options`.
    pub automatic_options: bool,
    /// `allow_private_network`.
    pub private_network: bool,
    /// `explain`.
    pub explain: bool,
}

impl CheckedPolicy {
    /// Whether any origin is allowed (`"*"`, given or by default).
    pub fn allows_any(&self) -> bool {
        self.origins.contains(&OriginPattern::Any)
    }
}

/// Everything found wrong or risky so far.
#[derive(Default)]
struct Findings {
    problems: Vec<ConfigProblem>,
    warnings: Vec<String>,
}

/// Checks `options` (with a predicate on origins, when `predicate`): every problem at once, or
/// the policies they describe and the warnings to log.
pub fn check(options: &CorsOptions, predicate: bool) -> Result<Checked, ConfigError> {
    let mut f = Findings::default();
    let resources = check_resources(options, predicate, &mut f);
    let top = if options.resources.is_empty() {
        check_policy(options, predicate, "", &mut f)
    } else {
        None
    };
    if !f.problems.is_empty() {
        return Err(ConfigError::new(f.problems));
    }
    Ok(Checked {
        top,
        resources,
        warnings: f.warnings,
    })
}

/// What a route's policy allows when its attribute names no `methods`: the route's own
/// methods, and `OPTIONS`, which the policy answers; never more than the route serves.
pub fn route_methods(options: &mut CorsOptions, route: &[&str]) {
    options.methods = route.iter().map(|m| (*m).to_owned()).collect();
    if !route.contains(&"OPTIONS") {
        options.methods.push("OPTIONS".to_owned());
    }
}

/// Each `resources` entry: its glob, and its options put over the top level's.
fn check_resources(options: &CorsOptions, predicate: bool, f: &mut Findings) -> Vec<CheckedPolicy> {
    let mut resources = Vec::with_capacity(options.resources.len());
    for (i, entry) in options.resources.iter().enumerate() {
        let prefix = format!("resources[{i}].");
        let glob_ok = check_glob(&entry.path, &format!("{prefix}path"), f);
        // The predicate belongs to the top level; an entry that names its own origins or
        // regexes decides by those alone.
        let inherit = entry.origins.is_none() && entry.origin_regexes.is_none();
        let policy = check_policy(
            &entry.merged_over(options),
            predicate && inherit,
            &prefix,
            f,
        );
        if let (true, Some(policy)) = (glob_ok, policy) {
            resources.push(CheckedPolicy {
                resource: Some((i, entry.path.clone())),
                ..policy
            });
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

/// One policy: one function per option, then what the options mean together. Every option is
/// named here, so that a new one cannot be left unchecked.
fn check_policy(
    o: &CorsOptions,
    predicate: bool,
    prefix: &str,
    f: &mut Findings,
) -> Option<CheckedPolicy> {
    let CorsOptions {
        origins: _,
        origin_regexes: _,
        dangerously_allow_insecure_origins: _,
        methods,
        allow_headers,
        expose_headers,
        supports_credentials,
        max_age,
        send_wildcard,
        vary_header,
        always_send,
        automatic_options,
        allow_private_network,
        explain,
        resources: _,
    } = o;
    let start = f.problems.len();
    let opt = |name: &str| format!("{prefix}{name}");
    // origins, origin_regexes and dangerously_allow_insecure_origins together.
    let origins = check_origins(o, predicate, prefix, f);
    let methods = check_methods(methods, &opt("methods"), f);
    let allow_headers = check_allow_headers(allow_headers, &opt("allow_headers"), f);
    let expose_headers = check_expose_headers(
        expose_headers,
        *supports_credentials,
        &opt("expose_headers"),
        f,
    );
    let max_age = check_max_age(*max_age, prefix, f);
    if *allow_private_network {
        f.warnings.push(problems::warn_private_network(prefix));
    }
    if *explain {
        f.warnings.push(problems::warn_explain(prefix));
    }
    let send_wildcard = *send_wildcard && origins.any && !supports_credentials;
    // `*` for every request is the one answer that does not depend on the Origin; without
    // always_send, whether `*` is sent depends on whether an Origin came.
    let depends_on_origin = !(send_wildcard && *always_send);
    if !vary_header && depends_on_origin && !origins.grants_nothing {
        f.warnings.push(problems::warn_vary_off(prefix));
    }
    if f.problems.len() > start {
        return None;
    }
    Some(CheckedPolicy {
        resource: None,
        origins: origins.patterns,
        regexes: origins.regexes,
        predicate,
        regex_or_predicate_may_grant_insecure: origins.regex_or_predicate_may_grant_insecure,
        methods,
        allow_headers,
        expose_headers,
        max_age,
        send_wildcard,
        credentials: *supports_credentials,
        vary: *vary_header && depends_on_origin,
        always_send: *always_send,
        automatic_options: *automatic_options,
        private_network: *allow_private_network,
        explain: *explain,
    })
}

/// What `origins`, `origin_regexes` and the predicate allow.
struct Origins {
    patterns: Vec<OriginPattern>,
    regexes: Vec<String>,
    any: bool,
    grants_nothing: bool,
    regex_or_predicate_may_grant_insecure: bool,
}

/// `origins`, `origin_regexes` and the predicate, with the rules on how they meet
/// credentials.
fn check_origins(o: &CorsOptions, predicate: bool, prefix: &str, f: &mut Findings) -> Origins {
    let option = format!("{prefix}origins");
    // Left out means "*", unless regexes or a predicate are given.
    let default_any = o.origin_regexes.is_empty() && !predicate;
    let entries: Vec<&str> = match &o.origins {
        Some(list) => list.iter().map(String::as_str).collect(),
        None if default_any => vec!["*"],
        None => Vec::new(),
    };
    // flask-cors reads an `origins` entry with regex syntax as a regex: so do we.
    let (regex_entries, patterns): (Vec<&str>, Vec<&str>) =
        entries.iter().partition(|entry| looks_like_regex(entry));
    for (i, entry) in entries.iter().enumerate() {
        if entries[..i].contains(entry) {
            f.warnings
                .push(problems::warn_duplicate_origin(&option, entry));
        }
    }
    let mut allowed = Vec::with_capacity(patterns.len());
    for entry in patterns {
        check_origin(o, entry, entries.len() > 1, &option, &mut allowed, f);
    }
    let any = allowed.contains(&OriginPattern::Any);
    check_credentials(o, any, prefix, f);
    let regex_option = format!("{prefix}origin_regexes");
    let regexes: Vec<(&str, &str)> = (regex_entries.iter().map(|re| (option.as_str(), *re)))
        .chain(
            o.origin_regexes
                .iter()
                .map(|re| (regex_option.as_str(), re.as_str())),
        )
        .collect();
    let regexes = check_regexes(&regexes, f);
    let grants_nothing = allowed.is_empty() && regexes.is_empty() && !predicate;
    if grants_nothing {
        f.warnings.push(problems::warn_grants_nothing(prefix));
    }
    Origins {
        patterns: allowed,
        regexes,
        any,
        grants_nothing,
        regex_or_predicate_may_grant_insecure: !o.supports_credentials
            || o.dangerously_allow_insecure_origins,
    }
}

/// One `origins` entry that is not a regex.
fn check_origin(
    o: &CorsOptions,
    entry: &str,
    in_a_list: bool,
    option: &str,
    allowed: &mut Vec<OriginPattern>,
    f: &mut Findings,
) {
    let insecure_refused = o.supports_credentials && !o.dangerously_allow_insecure_origins;
    match origin::parse_pattern(entry) {
        Err(e) => {
            let problem = problems::origin_pattern(option, entry, &e, insecure_refused);
            f.problems.push(problem);
        }
        Ok(OriginPattern::Any) => {
            if in_a_list {
                let problem = problems::wildcard_in_list(option, "origin", "origins");
                f.problems.push(problem);
            }
            allowed.push(OriginPattern::Any);
        }
        Ok(p) if insecure_refused && !p.is_secure() => {
            let problem = problems::insecure_origin_with_credentials(option, entry);
            f.problems.push(problem);
        }
        Ok(p) => allowed.push(p),
    }
}

/// Credentials never go with any origin, and plain-http origins only when dangerously allowed.
fn check_credentials(o: &CorsOptions, any: bool, prefix: &str, f: &mut Findings) {
    let credentials = o.supports_credentials;
    if credentials && any {
        let option = format!("{prefix}supports_credentials");
        let problem = problems::credentials_with_any_origin(&option, o.origins.is_none());
        f.problems.push(problem);
    }
    if credentials && o.send_wildcard {
        let problem = problems::credentials_with_send_wildcard(&format!("{prefix}send_wildcard"));
        f.problems.push(problem);
    }
    if o.send_wildcard && !any && !credentials {
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

/// The origin regexes, each `(option, regex)`, anchored to match the whole origin; the ones
/// that do not compile, or compile but let an attacker through, are refused.
fn check_regexes(list: &[(&str, &str)], f: &mut Findings) -> Vec<String> {
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
    anchored
}

/// `methods`: the allowed tokens, as a preflight's answer names them.
fn check_methods(list: &[String], option: &str, f: &mut Findings) -> AllowedList {
    if list.iter().any(|m| m == "*") {
        if list.len() > 1 {
            let problem = problems::wildcard_in_list(option, "method", "methods");
            f.problems.push(problem);
        }
        return AllowedList::Any;
    }
    let mut methods: Vec<String> = Vec::with_capacity(list.len());
    for m in list {
        let upper = m.to_ascii_uppercase();
        if !is_token(m.as_bytes()) {
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
            if !methods.contains(&name) {
                methods.push(name);
            }
        }
    }
    AllowedList::List(methods)
}

fn check_allow_headers(list: &[String], option: &str, f: &mut Findings) -> AllowedList {
    if list.iter().any(|h| h == "*") {
        if list.len() > 1 {
            let problem = problems::wildcard_in_list(option, "header", "headers");
            f.problems.push(problem);
        }
        return AllowedList::Any;
    }
    let mut names = Vec::with_capacity(list.len());
    for h in list {
        if !is_token(h.as_bytes()) || h.len() > 128 {
            f.problems
                .push(problems::invalid_header_name(option, h, "X-Token"));
        } else if fetch::is_forbidden_request_header(&h.to_ascii_lowercase()) {
            f.problems
                .push(problems::forbidden_request_header(option, h));
        } else {
            names.push(h.clone());
        }
    }
    AllowedList::List(names)
}

fn check_expose_headers(
    list: &[String],
    credentials: bool,
    option: &str,
    f: &mut Findings,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(list.len());
    for h in list {
        if h == "*" {
            if credentials {
                f.problems
                    .push(problems::wildcard_expose_with_credentials(option));
                continue;
            }
        } else if !is_token(h.as_bytes()) {
            f.problems
                .push(problems::invalid_header_name(option, h, "X-Total-Count"));
            continue;
        } else if fetch::is_forbidden_response_header(&h.to_ascii_lowercase()) {
            f.problems
                .push(problems::forbidden_response_header(option, h));
            continue;
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case(h)) {
            names.push(h.clone());
        }
    }
    names
}

fn check_max_age(max_age: Option<u64>, prefix: &str, f: &mut Findings) -> Option<u64> {
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
    Some(seconds)
}
