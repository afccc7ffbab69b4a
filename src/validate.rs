//! Validation: turns [`CorsOptions`] into a [`CompiledCors`] once, collecting every problem
//! (with its fix) and every warning on the way.

use actix_web::http::header::HeaderValue;
use regex::{Regex, RegexSetBuilder};

use crate::error::{ConfigError, ConfigProblem, ProblemKind};
use crate::fetch;
use crate::headers::{self, AllowedHeaders};
use crate::options::{CorsOptions, DEFAULT_METHODS};
use crate::origin::{self, OriginMatcher, OriginPredicate, PortRule, SyntaxError};
use crate::policy::{AllowedMethods, CompiledCors, PathGlob, Policy, WithoutOrigin};
use crate::regex_lint::{self, Finding};

/// Longest `max_age` any browser honours (Firefox); Chromium caps at 7200, WebKit at 600.
pub(crate) const MAX_AGE_LIMIT: u64 = 86_400;
const CHROMIUM_MAX_AGE: u64 = 7_200;

/// The result of validation: the compiled policy and the warnings to log at start-up.
pub(crate) struct Compiled {
    pub(crate) cors: CompiledCors,
    pub(crate) warnings: Vec<String>,
}

struct Collector {
    problems: Vec<ConfigProblem>,
    warnings: Vec<String>,
}

impl Collector {
    fn problem(
        &mut self,
        option: &str,
        value: Option<&str>,
        kind: ProblemKind,
        msg: &str,
        fix: String,
    ) {
        self.problems
            .push(ConfigProblem::new(option, value, kind, msg, fix));
    }
}

/// Validates `options` (and the predicate, if any) into the compiled form.
pub(crate) fn compile(
    options: &CorsOptions,
    predicate: Option<&OriginPredicate>,
) -> Result<Compiled, ConfigError> {
    let mut c = Collector {
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let mut resources = Vec::with_capacity(options.resources.len());
    for (i, entry) in options.resources.iter().enumerate() {
        let prefix = format!("resources[{i}].");
        let glob_ok = check_glob(&entry.path, &format!("{prefix}path"), &mut c);
        let merged = entry.merged_over(options);
        // The predicate belongs to the top level; an entry that names its own origins or
        // regexes decides by those alone.
        let inherit = entry.origins.is_none() && entry.origin_regexes.is_none();
        let policy = compile_policy(
            &merged,
            inherit.then_some(predicate).flatten(),
            &prefix,
            &mut c,
        );
        if glob_ok {
            let glob = PathGlob::new(&entry.path);
            for (j, (earlier, _)) in resources.iter().enumerate() {
                let earlier: &PathGlob = earlier;
                if earlier.covers(&glob) {
                    c.warnings.push(format!(
                        "resources[{i}] (path {:?}) is never used: resources[{j}] (path {:?}) comes first and matches every path it matches",
                        entry.path,
                        earlier.as_str()
                    ));
                }
            }
            if let Some(policy) = policy {
                resources.push((glob, policy));
            }
        }
    }
    let top = if options.resources.is_empty() {
        compile_policy(options, predicate, "", &mut c)
    } else {
        None
    };
    if !c.problems.is_empty() {
        return Err(ConfigError::new(c.problems));
    }
    Ok(Compiled {
        cors: CompiledCors { top, resources },
        warnings: c.warnings,
    })
}

fn check_glob(path: &str, option: &str, c: &mut Collector) -> bool {
    // Every path actix routes on starts with `/`: a glob that starts with anything else but
    // `*` can never match one.
    let bad = if !path.starts_with(['/', '*']) {
        Some((
            "starts with neither / nor *, so it never matches a path (paths start with /)",
            format!("write it from the root, such as \"/{path}\", or \"*\" for every path"),
        ))
    } else if path.bytes().any(|b| b < b' ' || b == 0x7f) {
        Some((
            "contains a control character",
            "write a path glob such as \"/api/*\"; * matches any run of characters".into(),
        ))
    } else {
        None
    };
    if let Some((msg, fix)) = bad {
        c.problem(
            option,
            Some(path),
            ProblemKind::InvalidResourcePath,
            msg,
            fix,
        );
        return false;
    }
    if path.contains(".*") {
        // A regex habit from flask-cors, where resource keys are regexes.
        c.warnings.push(format!(
            "{option} {path:?} contains \".*\", which a glob reads as a literal dot followed by any run; in a glob * alone matches any run of characters: write {:?}",
            path.replace(".*", "*")
        ));
    }
    true
}

fn compile_policy(
    o: &CorsOptions,
    predicate: Option<&OriginPredicate>,
    prefix: &str,
    c: &mut Collector,
) -> Option<Policy> {
    let start = c.problems.len();
    let opt = |name: &str| format!("{prefix}{name}");
    let credentials = o.supports_credentials;
    let insecure_ok = o.dangerously_allow_insecure_origins;

    // Origins: left out means "*" unless regexes or a predicate are given.
    let default_any = o.origin_regexes.is_empty() && predicate.is_none();
    let origin_list: Vec<String> = match &o.origins {
        Some(list) => list.clone(),
        None if default_any => vec!["*".into()],
        None => Vec::new(),
    };
    let mut matcher = OriginMatcher::default();
    // flask-cors reads an `origins` entry with regex syntax as a regex: so do we (matched
    // against the whole origin, and linted like `origin_regexes`).
    let entries = origin_list.len();
    let (regex_entries, origin_list): (Vec<&str>, Vec<&str>) = origin_list
        .iter()
        .map(String::as_str)
        .partition(|entry| looks_like_regex(entry));
    for entry in origin_list {
        compile_origin(
            entry,
            entries,
            credentials,
            insecure_ok,
            &opt("origins"),
            &mut matcher,
            c,
        );
    }
    if credentials && matcher.any {
        let how = if o.origins.is_none() {
            "origins was left out, which allows any origin (\"*\")"
        } else {
            "origins allows any origin (\"*\")"
        };
        c.problem(
            &opt("supports_credentials"),
            None,
            ProblemKind::CredentialsWithAnyOrigin,
            &format!("credentials are on but {how}, so every site on the web could act with your users' cookies"),
            "list the origins that may send credentials, such as origins = [\"https://app.example.com\"]".into(),
        );
    }
    if credentials && o.send_wildcard {
        c.problem(
            &opt("send_wildcard"),
            None,
            ProblemKind::CredentialsWithAnyOrigin,
            "send_wildcard answers \"*\", which browsers refuse for requests with credentials",
            "turn send_wildcard off and list the origins".into(),
        );
    }
    if o.send_wildcard && !matcher.any && !credentials {
        c.warnings.push(format!(
            "{}send_wildcard has no effect: it only applies when origins is \"*\"",
            prefix
        ));
    }
    let regex_option = opt("origin_regexes");
    let regexes: Vec<(String, &str)> = regex_entries
        .iter()
        .map(|re| (opt("origins"), *re))
        .chain(
            o.origin_regexes
                .iter()
                .map(|re| (regex_option.clone(), re.as_str())),
        )
        .collect();
    compile_regexes(&regexes, &mut matcher, c);
    matcher.set_predicate(predicate.cloned());
    matcher.set_dynamic_insecure_ok(!credentials || insecure_ok);
    if matcher.grants_nothing() {
        c.warnings.push(format!(
            "{}the policy allows no origin at all: no cross-origin request will be granted",
            if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix} ")
            }
        ));
    }
    if insecure_ok && credentials {
        c.warnings.push(format!(
            "{}dangerously_allow_insecure_origins is on: plain-http origins may send credentials, so anyone on the network path can act as them",
            prefix
        ));
    }

    let (methods, allow_methods, allow) = compile_methods(&o.methods, &opt("methods"), c);
    let allow_headers = compile_allow_headers(&o.allow_headers, &opt("allow_headers"), c);
    let expose_headers =
        compile_expose_headers(&o.expose_headers, credentials, &opt("expose_headers"), c);

    let max_age = match o.max_age {
        Some(n) if n > MAX_AGE_LIMIT => {
            c.problem(
                &opt("max_age"),
                Some(&n.to_string()),
                ProblemKind::MaxAgeTooLarge,
                "is above 86400 seconds, the longest any browser caches a preflight",
                format!("use at most 86400 (Chromium caps at {CHROMIUM_MAX_AGE}, WebKit at 600)"),
            );
            None
        }
        Some(n) => {
            if n > CHROMIUM_MAX_AGE {
                c.warnings.push(format!(
                    "{prefix}max_age {n} is above Chromium's cap of {CHROMIUM_MAX_AGE} seconds; Chromium will use {CHROMIUM_MAX_AGE}"
                ));
            }
            Some(headers::shared(HeaderValue::from(n)))
        }
        None => None,
    };
    if o.allow_private_network {
        c.warnings.push(format!(
            "{prefix}allow_private_network is on: public sites may reach this server on a private network when the origin is allowed"
        ));
    }

    let send_wildcard = o.send_wildcard && matcher.any && !credentials;
    // `*` for every request is the one answer that does not depend on the Origin; without
    // always_send, whether `*` is sent depends on whether an Origin came.
    let depends_on_origin = !(matcher.any && send_wildcard && o.always_send);
    let without_origin = match (o.always_send, matcher.any) {
        (false, _) => None,
        (true, true) => (!credentials).then_some(WithoutOrigin::Any),
        (true, false) => matcher
            .single_listed()
            .map(|v| WithoutOrigin::Listed(v.clone())),
    };
    if !o.vary_header && depends_on_origin && !matcher.grants_nothing() {
        c.warnings.push(format!(
            "{prefix}vary_header is off although the answer depends on the Origin: a shared cache may serve one origin's answer to another"
        ));
    }
    if c.problems.len() > start {
        return None;
    }
    Some(Policy {
        origins: matcher,
        send_wildcard,
        credentials,
        methods,
        allow_methods,
        allow,
        allow_headers,
        expose_headers,
        max_age,
        vary: o.vary_header && depends_on_origin,
        without_origin,
        always_send: o.always_send,
        automatic_options: o.automatic_options,
        private_network: o.allow_private_network,
    })
}

/// Whether an `origins` entry is written as a regex (flask-cors accepts regexes there):
/// escapes, anchors, groups, classes, or quantifiers without a scheme (`.*`). Anything else is
/// an origin or one of the patterns
/// `https://*.example.com` and `http://localhost:*`, and is refused with a fix if it is not.
fn looks_like_regex(entry: &str) -> bool {
    // `[` right after the scheme opens an IPv6 address, not a class.
    let ipv6 = entry.find("://[").map(|i| i + 3);
    let class = entry.match_indices('[').any(|(i, _)| Some(i) != ipv6);
    // Without a scheme, a quantifier can only be regex syntax (`.*`, flask-cors's "any").
    let bare_quantifier = !entry.contains("://") && entry.contains(['*', '+', '?']) && entry != "*";
    class || bare_quantifier || entry.contains(['\\', '^', '$', '('])
}

/// Validates one `origins` entry and adds it to the matcher.
fn compile_origin(
    entry: &str,
    list_len: usize,
    credentials: bool,
    insecure_ok: bool,
    option: &str,
    matcher: &mut OriginMatcher,
    c: &mut Collector,
) {
    if entry == "*" {
        if list_len > 1 {
            c.problem(
                option,
                Some(entry),
                ProblemKind::WildcardInList,
                "\"*\" already allows every origin, so the other entries are meaningless",
                "keep either \"*\" alone or only the listed origins".into(),
            );
        }
        matcher.any = true;
        return;
    }
    if entry == "null" {
        c.problem(
            option,
            Some(entry),
            ProblemKind::NullOrigin,
            "the null origin is sent by sandboxed frames, file: pages and redirects, so any attacker can produce it",
            "remove \"null\"; serve the page from a real origin and list that".into(),
        );
        return;
    }
    if entry.contains(',') || entry.contains(char::is_whitespace) {
        let parts: Vec<&str> = entry
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect();
        c.problem(
            option,
            Some(entry),
            ProblemKind::InvalidOrigin,
            "has a comma or whitespace, so it can never equal an Origin header",
            format!("list each origin as separate entries: {parts:?}"),
        );
        return;
    }
    let Some(sep) = entry.find("://") else {
        c.problem(
            option,
            Some(entry),
            ProblemKind::MissingScheme,
            "has no scheme, so it can never equal an Origin header",
            format!("write it with its scheme, such as \"https://{entry}\""),
        );
        return;
    };
    let (scheme, rest) = (&entry[..sep], &entry[sep + 3..]);
    let (subdomains, rest) = match rest.strip_prefix("*.") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (any_port, rest) = match rest.strip_suffix(":*") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.contains('*') {
        c.problem(
            option,
            Some(entry),
            ProblemKind::InvalidOrigin,
            "has a * that is neither a leading \"*.\" nor a trailing \":*\"",
            "write https://*.example.com for subdomains or http://localhost:* for any port".into(),
        );
        return;
    }
    let candidate = format!("{scheme}://{rest}");
    let parsed = match origin::parse(candidate.as_bytes()) {
        Ok(p) => p,
        Err(e) => {
            report_syntax(entry, e, option, c);
            return;
        }
    };
    if scheme == "file" {
        c.problem(
            option,
            Some(entry),
            ProblemKind::InvalidOrigin,
            "file: pages send the null origin, so this never matches",
            "serve the page over http(s) from a real origin and list that".into(),
        );
        return;
    }
    if subdomains {
        if parsed.host_kind != origin::HostKind::Domain {
            c.problem(
                option,
                Some(entry),
                ProblemKind::InvalidOrigin,
                "an IP address has no subdomains",
                "list the address itself, without \"*.\"".into(),
            );
            return;
        }
        if origin::is_public_suffix(parsed.host) {
            c.problem(
                option,
                Some(entry),
                ProblemKind::PublicSuffixPattern,
                &format!(
                    "{:?} is a public suffix: anyone can register a site under it",
                    parsed.host
                ),
                "name your own domain, such as https://*.example.com".into(),
            );
            return;
        }
    }
    if credentials && !insecure_ok && !parsed.is_secure() {
        c.problem(
            option,
            Some(entry),
            ProblemKind::InsecureOriginWithCredentials,
            "is not https (nor loopback) while credentials are on: anyone on the network path can act as it",
            format!(
                "use \"https://{}\", or set dangerously_allow_insecure_origins if you accept the risk",
                &entry[sep + 3..]
            ),
        );
        return;
    }
    if subdomains || any_port {
        let port = if any_port {
            PortRule::Any
        } else {
            parsed.port.map_or(PortRule::Default, PortRule::Exact)
        };
        matcher.add_pattern(parsed.scheme, parsed.host, subdomains, port);
    } else {
        matcher.add_exact(parsed.full);
    }
}

fn report_syntax(entry: &str, e: SyntaxError, option: &str, c: &mut Collector) {
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
                .and_then(|(a, b)| origin::canonical_ipv6(&entry[a + 1..b]))
                .map(|ip| format!("write the address as browsers send it: [{ip}]"))
                .unwrap_or_else(|| "write the address as four decimal numbers, such as 127.0.0.1".into());
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
    c.problem(
        option,
        Some(entry),
        kind,
        &format!("is not an origin: {}", e.describe()),
        fix,
    );
}

/// Compiles the origin regexes, each `(option, regex)`, into one set matched against the
/// whole origin, refusing the ones that compile but let an attacker through.
fn compile_regexes(list: &[(String, &str)], matcher: &mut OriginMatcher, c: &mut Collector) {
    if list.is_empty() {
        return;
    }
    let mut ok = true;
    let mut wrapped = Vec::with_capacity(list.len());
    for (option, re) in list {
        let full = format!("^(?:{re})$");
        let compiled = match Regex::new(&full) {
            Ok(compiled) => compiled,
            Err(e) => {
                ok = false;
                c.problem(
                    option,
                    Some(re),
                    ProblemKind::InvalidRegex,
                    &format!("does not compile: {}", e.to_string().replace('\n', " ")),
                    "fix the regex syntax (Rust regex crate; no look-around or backreferences)"
                        .into(),
                );
                continue;
            }
        };
        let before = c.problems.len();
        if compiled.is_match("*") {
            c.problem(
                option,
                Some(re),
                ProblemKind::RegexMatchesWildcard,
                "matches the text \"*\", so it was probably meant as \"any origin\"",
                "write origins = [\"*\"] to allow any origin, or a regex that names your domain, such as \"https://([a-z0-9-]+\\.)*example\\.com\"".into(),
            );
        }
        for finding in regex_lint::lint(re) {
            lint_problem(option, re, finding, c);
        }
        if c.problems.len() == before {
            wrapped.push(full);
        } else {
            ok = false;
        }
    }
    if !ok {
        return;
    }
    match RegexSetBuilder::new(&wrapped).build() {
        Ok(set) => matcher.set_regexes(set),
        Err(e) => c.problem(
            "origin_regexes",
            None,
            ProblemKind::InvalidRegex,
            &format!("the regexes do not compile together: {e}"),
            "use fewer or simpler regexes".into(),
        ),
    }
}

fn lint_problem(option: &str, re: &str, finding: Finding, c: &mut Collector) {
    match finding {
        Finding::UnescapedDot(fixed) => c.problem(
            option,
            Some(re),
            ProblemKind::UnescapedDotInRegex,
            "has a `.` that matches any character, so look-alike hosts match too",
            format!("escape literal dots: {fixed:?}"),
        ),
        Finding::CrossesLabel(fixed) => c.problem(
            option,
            Some(re),
            ProblemKind::RegexCrossesLabel,
            "has a wildcard directly before a host label, so an attacker's domain that ends with yours matches (\".*example\\.com\" admits evilexample.com)",
            format!("match whole labels: {fixed:?}, or use the pattern \"https://*.example.com\" in origins"),
        ),
        Finding::SpansPublicSuffix(suffix) => c.problem(
            option,
            Some(re),
            ProblemKind::PublicSuffixPattern,
            &format!("has a wildcard over the public suffix {suffix:?}: anyone can register a site under it"),
            "name your own domain, such as \"https://([a-z0-9-]+\\.)*example\\.com\"".into(),
        ),
    }
}

fn compile_methods(
    list: &[String],
    option: &str,
    c: &mut Collector,
) -> (AllowedMethods, Option<HeaderValue>, HeaderValue) {
    let default_allow = || {
        let joined = DEFAULT_METHODS.join(", ");
        headers::shared(HeaderValue::from_str(&joined).unwrap_or(HeaderValue::from_static("GET")))
    };
    if list.iter().any(|m| m == "*") {
        if list.len() > 1 {
            c.problem(
                option,
                Some("*"),
                ProblemKind::WildcardInList,
                "\"*\" already allows every method, so the other entries are meaningless",
                "keep either \"*\" alone or only the listed methods".into(),
            );
        }
        return (AllowedMethods::Any, None, default_allow());
    }
    let mut methods: Vec<Box<str>> = Vec::with_capacity(list.len());
    for m in list {
        if !headers::is_token(m.as_bytes()) {
            c.problem(
                option,
                Some(m),
                ProblemKind::InvalidMethod,
                "is not an HTTP method name",
                "write a method such as \"PUT\"; list several as separate entries".into(),
            );
            continue;
        }
        let upper = m.to_ascii_uppercase();
        if fetch::is_forbidden_method(&upper) {
            c.problem(
                option,
                Some(m),
                ProblemKind::ForbiddenMethod,
                "is a method browsers never allow in a cross-origin request",
                format!("remove \"{m}\""),
            );
            continue;
        }
        let name = if fetch::is_normalized_method(&upper) {
            upper
        } else {
            if m.bytes().any(|b| b.is_ascii_lowercase()) {
                c.warnings.push(format!(
                    "{option}: {m:?} is matched case-sensitively; browsers send it exactly as the page writes it (usually {upper:?})"
                ));
            }
            m.clone()
        };
        if !methods.iter().any(|x| **x == *name) {
            methods.push(name.into());
        }
    }
    let joined = methods.iter().map(|m| &**m).collect::<Vec<_>>().join(", ");
    // Tokens only, so the value is always a valid header value.
    let value = headers::shared(
        HeaderValue::from_str(&joined).unwrap_or_else(|_| HeaderValue::from_static("")),
    );
    let allow = if methods.is_empty() {
        default_allow()
    } else {
        value.clone()
    };
    (AllowedMethods::List(methods), Some(value), allow)
}

fn compile_allow_headers(list: &[String], option: &str, c: &mut Collector) -> AllowedHeaders {
    if list.iter().any(|h| h == "*") {
        if list.len() > 1 {
            c.problem(
                option,
                Some("*"),
                ProblemKind::WildcardInList,
                "\"*\" already allows every header, so the other entries are meaningless",
                "keep either \"*\" alone or only the listed headers".into(),
            );
        }
        return AllowedHeaders::Any;
    }
    let mut names = Vec::with_capacity(list.len());
    for h in list {
        if !headers::is_token(h.as_bytes()) || h.len() > 128 {
            c.problem(
                option,
                Some(h),
                ProblemKind::InvalidHeaderName,
                "is not a header name",
                "write a header name such as \"X-Token\"; list several as separate entries".into(),
            );
            continue;
        }
        if fetch::is_forbidden_request_header(&h.to_ascii_lowercase()) {
            c.problem(
                option,
                Some(h),
                ProblemKind::ForbiddenHeaderName,
                "is a header browsers never let a page send",
                format!("remove \"{h}\"; the browser sets it itself"),
            );
            continue;
        }
        names.push(h.clone());
    }
    AllowedHeaders::list(names)
}

fn compile_expose_headers(
    list: &[String],
    credentials: bool,
    option: &str,
    c: &mut Collector,
) -> Option<HeaderValue> {
    let mut names: Vec<&str> = Vec::with_capacity(list.len());
    for h in list {
        if h == "*" {
            if credentials {
                c.problem(
                    option,
                    Some(h),
                    ProblemKind::WildcardExposeWithCredentials,
                    "browsers read \"*\" literally on requests with credentials, so it exposes nothing",
                    "list the response headers to expose, such as [\"X-Total-Count\"]".into(),
                );
                continue;
            }
        } else if !headers::is_token(h.as_bytes()) {
            c.problem(
                option,
                Some(h),
                ProblemKind::InvalidHeaderName,
                "is not a header name",
                "write a header name such as \"X-Total-Count\"; list several as separate entries"
                    .into(),
            );
            continue;
        } else if fetch::is_forbidden_response_header(&h.to_ascii_lowercase()) {
            c.problem(
                option,
                Some(h),
                ProblemKind::ForbiddenHeaderName,
                "is a header browsers never let a page read",
                format!("remove \"{h}\""),
            );
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
        .map(headers::shared)
}
