//! Every text a configuration can earn, in one place: each function builds one
//! [`ConfigProblem`] (what is wrong, and its fix) or one start-up warning. Validation decides
//! *that* something is wrong; this file says it to the user.

use crate::error::{ConfigProblem, ProblemKind};
use crate::origin::{self, canonical_ipv6, PatternError, Repaired, SyntaxError};
use crate::regex_lint::{self, Finding};

/// Chromium's cap on `Access-Control-Max-Age`.
pub(crate) const CHROMIUM_MAX_AGE: u64 = 7_200;

fn problem(
    option: &str,
    value: Option<&str>,
    kind: ProblemKind,
    msg: &str,
    fix: &str,
) -> ConfigProblem {
    ConfigProblem::new(option, value, kind, msg, fix.to_owned())
}

// ------------------------------------------------------------------------------------------
// Origins

/// `"*"` beside other entries; `what` is "origin", "method" or "header".
pub(crate) fn wildcard_in_list(option: &str, what: &str, list: &str) -> ConfigProblem {
    problem(
        option,
        Some("*"),
        ProblemKind::WildcardInList,
        &format!("\"*\" already allows every {what}, so the other entries are meaningless"),
        &format!("keep either \"*\" alone or only the listed {list}"),
    )
}

/// An `origins` entry that is not a valid origin or pattern. When every mistake in it can be
/// repaired, the fix is the entry with all of them repaired, which is accepted as it is.
/// With `https_required` (credentials on) the repair also makes the entry https, which the
/// credential rule would ask for next.
pub(crate) fn origin_pattern(
    option: &str,
    entry: &str,
    e: &PatternError,
    https_required: bool,
) -> ConfigProblem {
    let found = origin_pattern_problem(option, entry, e);
    let Some(Repaired { entry, repairs }) = origin::repaired(entry, https_required) else {
        return found;
    };
    let how = match repairs.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    found
        .with_fix(format!("write it {how}: \"{entry}\""))
        .suggesting(entry)
}

#[rustfmt::skip]
fn origin_pattern_problem(option: &str, entry: &str, e: &PatternError) -> ConfigProblem {
    use PatternError as E;
    use ProblemKind as K;
    let (kind, msg, fix): (ProblemKind, &str, String) = match e {
        E::Syntax(e) => return not_an_origin(option, entry, *e),
        E::Null => (K::NullOrigin, "the null origin is sent by sandboxed frames, file: pages and redirects, so any attacker can produce it", "remove \"null\"; serve the page from a real origin and list that".into()),
        E::ListSeparator(parts) => (K::InvalidOrigin, "has a comma or whitespace, so it can never equal an Origin header", format!("list each origin as separate entries: {parts:?}")),
        E::MissingScheme => (K::MissingScheme, "has no scheme, so it can never equal an Origin header", format!("write it with its scheme, such as \"https://{entry}\"")),
        E::StrayStar => (K::InvalidOrigin, "has a * that is neither a leading \"*.\" nor a trailing \":*\"", "write https://*.example.com for subdomains or http://localhost:* for any port".into()),
        E::FileScheme => (K::InvalidOrigin, "file: pages send the null origin, so this never matches", "serve the page over http(s) from a real origin and list that".into()),
        E::IpSubdomains => (K::InvalidOrigin, "an IP address has no subdomains", "list the address itself, without \"*.\"".into()),
        E::PublicSuffix(suffix) => {
            let msg = format!("{suffix:?} is a public suffix: anyone can register a site under it");
            return problem(option, Some(entry), K::PublicSuffixPattern, &msg, "name your own domain, such as https://*.example.com");
        }
    };
    problem(option, Some(entry), kind, msg, &fix)
}

/// An entry that is not a serialized origin, with the form browsers send as the fix.
fn not_an_origin(option: &str, entry: &str, e: SyntaxError) -> ConfigProblem {
    let authority_end = |s: &str| {
        let start = s.find("://").map_or(0, |i| i + 3);
        s[start..]
            .find(['/', '?', '#'])
            .map_or(s.len(), |i| start + i)
    };
    let (kind, fix) = match e {
        SyntaxError::Uppercase => (
            ProblemKind::UppercaseOrigin,
            format!("write it in lowercase: \"{}\"", entry.to_ascii_lowercase()),
        ),
        SyntaxError::HasPath => (
            ProblemKind::OriginWithPath,
            format!("write only scheme, host and port: \"{}\"", &entry[..authority_end(entry)]),
        ),
        SyntaxError::DefaultPort => {
            let cut = entry.rfind(':').unwrap_or(entry.len());
            (
                ProblemKind::DefaultPort,
                format!("leave the default port out: \"{}\"", &entry[..cut]),
            )
        }
        SyntaxError::TrailingDot => (
            ProblemKind::InvalidOrigin,
            format!("leave the trailing dot out: \"{}\"", entry.trim_end_matches('.')),
        ),
        SyntaxError::NonAscii => (
            ProblemKind::NonAsciiHost,
            "write the host in its punycode (xn--) form, which is what browsers send".into(),
        ),
        SyntaxError::NonCanonicalIp => {
            let fix = entry
                .find('[')
                .zip(entry.find(']'))
                .and_then(|(a, b)| canonical_ipv6(&entry[a + 1..b]))
                .map(|ip| format!("write the address as browsers send it: [{ip}]"))
                .unwrap_or_else(|| {
                    "write the address as four decimal numbers, such as 127.0.0.1".into()
                });
            (ProblemKind::NonCanonicalIp, fix)
        }
        SyntaxError::MissingScheme => (
            ProblemKind::MissingScheme,
            format!("write it with its scheme, such as \"https://{entry}\""),
        ),
        SyntaxError::Empty
        | SyntaxError::TooLong
        | SyntaxError::InvalidScheme
        | SyntaxError::HasUserinfo
        | SyntaxError::InvalidHost
        | SyntaxError::InvalidPort => (
            ProblemKind::InvalidOrigin,
            "write it as scheme://host[:port], such as https://app.example.com; list several origins as separate entries".into(),
        ),
    };
    let msg = format!("is not an origin: {}", e.describe());
    problem(option, Some(entry), kind, &msg, &fix)
}

/// A plain-http origin or pattern while credentials are on.
pub(crate) fn insecure_origin_with_credentials(option: &str, entry: &str) -> ConfigProblem {
    let rest = entry.split_once("://").map_or(entry, |(_, rest)| rest);
    problem(
        option,
        Some(entry),
        ProblemKind::InsecureOriginWithCredentials,
        "is not https (nor loopback) while credentials are on: anyone on the network path can act as it",
        &format!("use \"https://{rest}\", or set dangerously_allow_insecure_origins if you accept the risk"),
    )
    .suggesting(format!("https://{rest}"))
}

/// Credentials together with any origin; `left_out` when `origins` was not given at all.
pub(crate) fn credentials_with_any_origin(option: &str, left_out: bool) -> ConfigProblem {
    let how = if left_out {
        "origins was left out, which allows any origin (\"*\")"
    } else {
        "origins allows any origin (\"*\")"
    };
    problem(
        option,
        None,
        ProblemKind::CredentialsWithAnyOrigin,
        &format!("credentials are on but {how}, so every site on the web could act with your users' cookies"),
        "list the origins that may send credentials, such as origins = [\"https://app.example.com\"]",
    )
}

pub(crate) fn credentials_with_send_wildcard(option: &str) -> ConfigProblem {
    problem(
        option,
        None,
        ProblemKind::CredentialsWithAnyOrigin,
        "send_wildcard answers \"*\", which browsers refuse for requests with credentials",
        "turn send_wildcard off and list the origins",
    )
}

// ------------------------------------------------------------------------------------------
// Origin regexes

pub(crate) fn invalid_regex(option: &str, re: &str, error: &str) -> ConfigProblem {
    problem(
        option,
        Some(re),
        ProblemKind::InvalidRegex,
        &format!("does not compile: {}", error.replace('\n', " ")),
        "fix the regex syntax (Rust regex crate; no look-around or backreferences)",
    )
}

pub fn regexes_do_not_compile_together(error: &str) -> ConfigProblem {
    problem(
        "origin_regexes",
        None,
        ProblemKind::InvalidRegex,
        &format!("the regexes do not compile together: {error}"),
        "use fewer or simpler regexes",
    )
}

pub(crate) fn regex_matches_star(option: &str, re: &str) -> ConfigProblem {
    problem(
        option,
        Some(re),
        ProblemKind::RegexMatchesWildcard,
        "matches the text \"*\", so it was probably meant as \"any origin\"",
        "write origins = [\"*\"] to allow any origin, or a regex that names your domain, such as \"https://([a-z0-9-]+\\.)*example\\.com\"",
    )
}

/// A regex that compiles but admits look-alike hosts (see `regex_lint`). The fix is the regex
/// with every finding fixed at once, when that leaves none, so that it is accepted as it is.
pub(crate) fn regex_lint(option: &str, re: &str, finding: Finding) -> ConfigProblem {
    let repaired = regex_lint::repaired(re);
    let p = |kind, msg: &str, fix: String| {
        let found = problem(option, Some(re), kind, msg, &fix);
        match &repaired {
            Some(whole) => found.suggesting(whole.clone()),
            None => found,
        }
    };
    match finding {
        Finding::UnescapedDot(fixed) => p(
            ProblemKind::UnescapedDotInRegex,
            "has a `.` that matches any character, so look-alike hosts match too",
            format!("escape literal dots: {:?}", repaired.as_ref().unwrap_or(&fixed)),
        ),
        Finding::CrossesLabel(fixed) => p(
            ProblemKind::RegexCrossesLabel,
            "has a wildcard directly before a host label, so an attacker's domain that ends with yours matches (\".*example\\.com\" admits evilexample.com)",
            format!("match whole labels: {:?}, or use the pattern \"https://*.example.com\" in origins", repaired.as_ref().unwrap_or(&fixed)),
        ),
        Finding::SpansPublicSuffix(suffix) => p(
            ProblemKind::PublicSuffixPattern,
            &format!("has a wildcard over the public suffix {suffix:?}: anyone can register a site under it"),
            "name your own domain, such as \"https://([a-z0-9-]+\\.)*example\\.com\"".into(),
        ),
    }
}

// ------------------------------------------------------------------------------------------
// Methods and headers

pub(crate) fn invalid_method(option: &str, method: &str) -> ConfigProblem {
    problem(
        option,
        Some(method),
        ProblemKind::InvalidMethod,
        "is not an HTTP method name",
        "write a method such as \"PUT\"; list several as separate entries",
    )
}

pub(crate) fn forbidden_method(option: &str, method: &str) -> ConfigProblem {
    problem(
        option,
        Some(method),
        ProblemKind::ForbiddenMethod,
        "is a method browsers never allow in a cross-origin request",
        &format!("remove \"{method}\""),
    )
}

/// A header name that is not a token; `example` is a name that would be.
pub(crate) fn invalid_header_name(option: &str, name: &str, example: &str) -> ConfigProblem {
    problem(
        option,
        Some(name),
        ProblemKind::InvalidHeaderName,
        "is not a header name",
        &format!("write a header name such as \"{example}\"; list several as separate entries"),
    )
}

pub(crate) fn forbidden_request_header(option: &str, name: &str) -> ConfigProblem {
    problem(
        option,
        Some(name),
        ProblemKind::ForbiddenHeaderName,
        "is a header browsers never let a page send",
        &format!("remove \"{name}\"; the browser sets it itself"),
    )
}

pub(crate) fn forbidden_response_header(option: &str, name: &str) -> ConfigProblem {
    problem(
        option,
        Some(name),
        ProblemKind::ForbiddenHeaderName,
        "is a header browsers never let a page read",
        &format!("remove \"{name}\""),
    )
}

pub(crate) fn wildcard_expose_with_credentials(option: &str) -> ConfigProblem {
    problem(
        option,
        Some("*"),
        ProblemKind::WildcardExposeWithCredentials,
        "browsers read \"*\" literally on requests with credentials, so it exposes nothing",
        "list the response headers to expose, such as [\"X-Total-Count\"]",
    )
}

// ------------------------------------------------------------------------------------------
// max_age and resources

pub(crate) fn max_age_too_large(option: &str, seconds: u64) -> ConfigProblem {
    problem(
        option,
        Some(&seconds.to_string()),
        ProblemKind::MaxAgeTooLarge,
        "is above 86400 seconds, the longest any browser caches a preflight",
        &format!("use at most 86400 (Chromium caps at {CHROMIUM_MAX_AGE}, WebKit at 600)"),
    )
}

/// A `resources` glob that can never match a routed path.
pub(crate) fn glob_never_matches(option: &str, path: &str) -> ConfigProblem {
    problem(
        option,
        Some(path),
        ProblemKind::InvalidResourcePath,
        "starts with neither / nor *, so it never matches a path (paths start with /)",
        &format!("write it from the root, such as \"/{path}\", or \"*\" for every path"),
    )
    .suggesting(format!("/{path}"))
}

pub(crate) fn glob_control_character(option: &str, path: &str) -> ConfigProblem {
    problem(
        option,
        Some(path),
        ProblemKind::InvalidResourcePath,
        "contains a control character",
        "write a path glob such as \"/api/*\"; * matches any run of characters",
    )
}

// ------------------------------------------------------------------------------------------
// The environment

pub(crate) fn env_not_a_boolean(key: &str, value: &str) -> ConfigProblem {
    env(key, value, "is not a boolean", "write true or false")
}

pub(crate) fn env_not_seconds(key: &str, value: &str) -> ConfigProblem {
    env(
        key,
        value,
        "is not a whole number of seconds",
        "write a number such as 600",
    )
}

pub(crate) fn env_resources(key: &str, value: &str) -> ConfigProblem {
    env(
        key,
        value,
        "cannot be read from the environment",
        "set resources in code or in a JSON/TOML file read into CorsOptions",
    )
}

pub(crate) fn env_unknown_key(key: &str, value: &str) -> ConfigProblem {
    env(
        key,
        value,
        "is not a known CORS setting",
        "check the spelling; known keys are listed in the CorsOptions::from_env docs",
    )
}

fn env(key: &str, value: &str, msg: &str, fix: &str) -> ConfigProblem {
    problem(key, Some(value), ProblemKind::InvalidEnvValue, msg, fix)
}

// ------------------------------------------------------------------------------------------
// Start-up warnings; `prefix` is "" or "resources[i]." before an option's name.

pub(crate) fn warn_send_wildcard_without_any(prefix: &str) -> String {
    format!("{prefix}send_wildcard has no effect: it only applies when origins is \"*\"")
}

pub(crate) fn warn_grants_nothing(prefix: &str) -> String {
    let place = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix} ")
    };
    format!("{place}the policy allows no origin at all: no cross-origin request will be granted")
}

pub(crate) fn warn_insecure_origins_allowed(prefix: &str) -> String {
    format!("{prefix}dangerously_allow_insecure_origins is on: plain-http origins may send credentials, so anyone on the network path can act as them")
}

pub(crate) fn warn_max_age_above_chromium(prefix: &str, seconds: u64) -> String {
    format!("{prefix}max_age {seconds} is above Chromium's cap of {CHROMIUM_MAX_AGE} seconds; Chromium will use {CHROMIUM_MAX_AGE}")
}

pub(crate) fn warn_duplicate_origin(option: &str, entry: &str) -> String {
    format!("{option} lists {entry:?} more than once; the copies change nothing, so one may be a typo for another origin")
}

pub(crate) fn warn_explain(prefix: &str) -> String {
    format!("{prefix}explain is on: every refused request is answered with the option that refused it and why, which shows callers the policy's lists; turn it off in production")
}

pub(crate) fn warn_private_network(prefix: &str) -> String {
    format!("{prefix}allow_private_network is on: public sites may reach this server on a private network when the origin is allowed")
}

pub(crate) fn warn_vary_off(prefix: &str) -> String {
    format!("{prefix}vary_header is off although the answer depends on the Origin: a shared cache may serve one origin's answer to another")
}

pub(crate) fn warn_method_case(option: &str, method: &str, upper: &str) -> String {
    format!("{option}: {method:?} is matched case-sensitively; browsers send it exactly as the page writes it (usually {upper:?})")
}

pub fn warn_shadowed_resource(i: usize, path: &str, j: usize, earlier: &str) -> String {
    format!("resources[{i}] (path {path:?}) is never used: resources[{j}] (path {earlier:?}) comes first and matches every path it matches")
}

pub(crate) fn warn_regex_in_glob(option: &str, path: &str) -> String {
    format!(
        "{option} {path:?} contains \".*\", which a glob reads as a literal dot followed by any run; in a glob * alone matches any run of characters: write {:?}",
        path.replace(".*", "*")
    )
}
