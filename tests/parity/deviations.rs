//! The deliberate deviations from flask-cors: the only way a difference found by
//! `tests/flask_parity.rs` may pass. Each names the mechanism it explains and checks that the
//! difference has that shape; docs/flask-cors.md lists each by name with its reason.

use actix_cross_origin::{ConfigError, ProblemKind};
use serde_json::Value;

use super::{Outcome, Req, Seen};

/// Configurations flask-cors accepts and we refuse at start-up: `(kind, name, reason)`.
pub const REFUSED: &[(ProblemKind, &str, &str)] = &[
    (
        ProblemKind::CredentialsWithAnyOrigin,
        "refuse-credentials-with-any-origin",
        "flask-cors reflects every origin, null included, with credentials",
    ),
    (
        ProblemKind::NullOrigin,
        "refuse-null-origin",
        "any page can send Origin: null from a sandboxed frame",
    ),
    (
        ProblemKind::OriginWithPath,
        "refuse-origin-a-browser-never-sends",
        "an origin with a path or trailing slash never matches what browsers send",
    ),
    (
        ProblemKind::UppercaseOrigin,
        "refuse-origin-a-browser-never-sends",
        "browsers send origins in lowercase; a mixed-case entry is a typo",
    ),
    (
        ProblemKind::InsecureOriginWithCredentials,
        "refuse-insecure-origin-with-credentials",
        "anyone on the network path can act as a plain-http origin, with the user's cookies",
    ),
    (
        ProblemKind::RegexCrossesLabel,
        "refuse-label-crossing-regex",
        "a wildcard before a host label admits an attacker's domain that ends with yours",
    ),
    (
        ProblemKind::RegexMatchesWildcard,
        "refuse-regex-matching-star",
        "a regex that matches \"*\" (such as \".*\") was meant as any origin: write \"*\"",
    ),
    (
        ProblemKind::InvalidOrigin,
        "refuse-origin-a-browser-never-sends",
        "an entry that is not scheme://host[:port] never matches",
    ),
];

/// The name of the deliberate refusal that explains every problem of `e`, if one does.
pub fn refused(e: &ConfigError) -> Option<&'static str> {
    let name_of = |kind| REFUSED.iter().find(|r| r.0 == kind).map(|r| r.1);
    let names: Vec<_> = e.problems().iter().map(|p| name_of(p.kind())).collect();
    if names.iter().all(Option::is_some) {
        names.first().copied().flatten()
    } else {
        None
    }
}

/// One difference between flask-cors's answer and ours.
pub struct Pair<'a> {
    pub mode: &'a str,
    pub options: &'a Value,
    pub req: &'a Req,
    pub flask: &'a Outcome,
    pub ours: &'a Outcome,
    pub flask_seen: &'a Seen,
    pub ours_seen: &'a Seen,
}

pub struct Deviation {
    pub name: &'static str,
    /// Ours grants less than flask-cors (or tells caches more).
    pub stricter: bool,
    pub reason: &'static str,
    pub applies: fn(&Pair<'_>) -> bool,
}

pub fn by_name(name: &str) -> Option<&'static Deviation> {
    DEVIATIONS.iter().find(|d| d.name == name)
}

/// The two outcomes are equal but for `field`'s differences, which `same_but` ignores.
fn same_but(p: &Pair<'_>, ignore: fn(&mut Outcome)) -> bool {
    let (mut f, mut o) = (p.flask.clone(), p.ours.clone());
    ignore(&mut f);
    ignore(&mut o);
    f == o
}

fn vary_header_on(p: &Pair<'_>) -> bool {
    p.options.get("vary_header") != Some(&Value::Bool(false))
}

/// flask-cors's test for a regex string (`probably_regex`, core.py:389-395).
fn flask_regex(s: &str) -> bool {
    s.contains(['*', '\\', ']', '?', '$', '^', '[', '(', ')'])
}

/// Every `origins` list of the options: the top-level one and each resource's, as lists.
fn origin_lists(options: &Value) -> Vec<Vec<String>> {
    let as_list = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut lists = vec![options
        .get("origins")
        .map_or_else(|| vec!["*".to_owned()], as_list)];
    if let Some(Value::Object(resources)) = options.get("resources") {
        lists.extend(
            resources
                .values()
                .filter_map(|r| r.get("origins"))
                .map(as_list),
        );
    }
    lists
}

fn no_origin(p: &Pair<'_>) -> bool {
    p.req.origin().is_none()
}

fn allow_origin(o: &Outcome) -> Option<&[String]> {
    o.granted.as_ref().map(|g| &g.allow_origin[..])
}

/// The request's Origin matches one of flask-cors's origin regexes as a prefix (`re.match`,
/// case-insensitive) but none as a whole.
fn granted_by_prefix_only(p: &Pair<'_>) -> bool {
    let Some(origin) = p.req.origin() else {
        return false;
    };
    let regexes: Vec<String> = origin_lists(p.options)
        .into_iter()
        .flatten()
        .filter(|s| flask_regex(s) && s != "*")
        .collect();
    let matches = |pattern: String| regex::Regex::new(&pattern).is_ok_and(|r| r.is_match(origin));
    regexes.iter().any(|re| matches(format!("(?i)^(?:{re})")))
        && !regexes.iter().any(|re| matches(format!("(?i)^(?:{re})$")))
}

/// A request with `Access-Control-Request-Method`, Origin or not.
fn preflight_like(p: &Pair<'_>) -> bool {
    p.req.method == "OPTIONS" && p.req.acrm.is_some()
}

/// Whether a browser would refuse `seen` as the answer to this preflight, had it been sent
/// from the origin that answer names.
fn refuses_preflight(p: &Pair<'_>, seen: &Seen) -> bool {
    let named = seen.all("allow-origin").first().map(|o| o.to_string());
    let origin = match named.as_deref() {
        None | Some("*") => p.req.origin().unwrap_or("https://probe.example").to_owned(),
        Some(o) => o.to_owned(),
    };
    let probe = Req {
        origin: Some(origin),
        ..p.req.clone()
    };
    !super::preflight_passes(&probe, seen)
}

/// Whether `options` (top level or a resource) sets `name` to `value`.
fn sets(p: &Pair<'_>, name: &str, value: Value) -> bool {
    let mut all = vec![p.options];
    if let Some(Value::Object(resources)) = p.options.get("resources") {
        all.extend(resources.values());
    }
    all.iter().any(|o| o.get(name) == Some(&value))
}

/// The resource key flask-cors picks for `path`: keys sorted as flask-cors sorts a dict
/// (literals first, then more slashes, then longer), the first that matches wins; literals
/// compare whole, regexes (`*` is `.*`) from the start of the path only.
fn flask_resource_key(options: &Value, path: &str) -> Option<String> {
    let Some(Value::Object(resources)) = options.get("resources") else {
        return None;
    };
    let mut keys: Vec<&String> = resources.keys().collect();
    keys.sort_by_key(|k| {
        (
            flask_regex(k),
            std::cmp::Reverse(k.matches('/').count()),
            std::cmp::Reverse(k.len()),
        )
    });
    keys.into_iter()
        .find(|k| {
            if !flask_regex(k) {
                return k.as_str() == path;
            }
            let re = if k.as_str() == "*" { ".*" } else { k.as_str() };
            regex::Regex::new(&format!("^(?:{re})")).is_ok_and(|r| r.is_match(path))
        })
        .cloned()
}

/// Our glob: `*` matches any run, anchored at both ends (an independent reading of the docs).
fn glob_matches(glob: &str, path: &str) -> bool {
    let pattern: Vec<String> = glob.split('*').map(regex::escape).collect();
    regex::Regex::new(&format!("^{}$", pattern.join(".*"))).is_ok_and(|r| r.is_match(path))
}

pub static DEVIATIONS: &[Deviation] = &[
    Deviation {
        name: "automatic-options-off-hands-preflights-to-routes",
        stricter: true,
        reason: "flask-cors's extension ignores automatic_options (Flask answers OPTIONS itself); here automatic_options=false hands every preflight to your OPTIONS handler, and a route without one fails it with routing's 404 or 405",
        applies: |p| {
            p.mode == "app"
                && sets(p, "automatic_options", Value::Bool(false))
                && p.req.is_preflight()
                && matches!(p.ours_seen.status, 404 | 405)
                && p.ours.readable == Some(false)
        },
    },
    Deviation {
        name: "automatic-options-off-leaves-options-to-routes",
        stricter: false,
        reason: "with automatic_options=false flask-cors's decorator lets Flask answer OPTIONS itself, without CORS fields; here routing answers it (404 or 405), and, like every answer of a route under a policy, with its CORS fields",
        applies: |p| {
            sets(p, "automatic_options", Value::Bool(false))
                && p.req.method == "OPTIONS"
                && !p.req.is_preflight()
                && matches!(p.ours_seen.status, 404 | 405)
        },
    },
    Deviation {
        name: "resource-globs-are-anchored",
        stricter: false,
        reason: "flask-cors matches resource keys as regexes from the start of the path only, so r\"/api/*\" also governs /apidocs; a glob here must match the whole path, and the path gets the policy of the entry that really matches it",
        applies: |p| {
            p.mode == "app"
                && flask_resource_key(p.options, &p.req.path).is_some_and(|k| !glob_matches(&k, &p.req.path))
        },
    },
    Deviation {
        name: "origins-compared-byte-for-byte",
        stricter: true,
        reason: "flask-cors compares origins case-insensitively; browsers always send them in lowercase, so an uppercase Origin was not sent by a browser and is not granted",
        applies: |p| {
            p.req.origin().is_some_and(|o| o.bytes().any(|b| b.is_ascii_uppercase()))
                && p.flask.readable == Some(true)
                && p.ours.readable == Some(false)
        },
    },
    Deviation {
        name: "safelisted-methods-always-pass",
        stricter: false,
        reason: "a page may always send GET, HEAD and POST (the Fetch standard's CORS-safelisted methods); flask-cors refuses a preflight that names one missing from methods (no Allow-Methods, -Headers or -Max-Age), we let its headers decide",
        applies: |p| {
            p.req.is_preflight()
                && matches!(p.req.acrm.as_deref(), Some("GET" | "HEAD" | "POST"))
                && p.flask_seen.all("allow-methods").is_empty()
                && p.ours.readable == Some(true)
        },
    },
    Deviation {
        name: "preflights-answered-before-routing",
        stricter: false,
        reason: "flask-cors lets a preflight to a path without a route fail with 404; the middleware answers a preflight itself, before routing (as actix-cors and tower-http do), and the actual request then gets its 404 with CORS fields",
        applies: |p| {
            p.mode == "app"
                && p.req.is_preflight()
                && p.flask_seen.status == 404
                && p.ours_seen.status == 204
        },
    },
    Deviation {
        name: "errors-carry-cors-headers",
        stricter: false,
        reason: "flask-cors's decorator adds nothing to an error raised in the view (its extension does); every answer of a route under a policy gets its CORS fields here, errors included, so the page can read them",
        applies: |p| {
            p.mode == "decorator"
                && matches!(p.req.path.as_str(), "/api/error" | "/api/abort")
                && !p.flask_seen.fields.iter().any(|(n, _)| n != "vary")
                && p.ours.readable != Some(false)
        },
    },
    Deviation {
        name: "handler-cors-answer-kept-whole",
        stricter: false,
        reason: "flask-cors's decorator appends its own Access-Control-Allow-Origin beside one the view set (two values, which browsers reject); a handler's own answer is kept whole here, as flask-cors's extension keeps it",
        applies: |p| {
            p.mode == "decorator"
                && p.req.path == "/api/own-acao"
                && p.ours_seen.all("allow-origin") == ["https://own.example"]
                && p.ours_seen.fields.iter().all(|(n, _)| n == "allow-origin" || n == "vary")
        },
    },
    Deviation {
        name: "refused-preflight-names-what-failed",
        stricter: false,
        reason: "flask-cors answers a preflight it refuses for its method, a header or private network access with 200, Access-Control-Allow-Origin, Access-Control-Max-Age and the allowed part of what was asked; we answer 204 with Access-Control-Allow-Origin and the policy's own lists of methods and headers, without Access-Control-Max-Age, so that the browser names the method or header at fault. Browsers refuse both: only a client that sends no Origin (curl) sees the difference",
        applies: |p| {
            no_origin(p)
                && preflight_like(p)
                && p.ours_seen.status == 204
                && p.ours_seen.all("max-age").is_empty()
                && p.ours_seen.all("allow-private-network").is_empty()
                && p.flask.granted.as_ref().is_some_and(|g| g.max_age.is_some())
                && refuses_preflight(p, p.flask_seen)
                && refuses_preflight(p, p.ours_seen)
                && (p.ours.vary_origin || !p.flask.vary_origin)
                && same_but(p, |o| {
                    if let Some(g) = &mut o.granted {
                        g.max_age = None;
                    }
                    o.vary_origin = false;
                })
        },
    },
    Deviation {
        name: "methods-star-means-any",
        stricter: false,
        reason: "flask-cors tests the requested method as a substring of \"*\", so methods=\"*\" grants no preflight; \"*\" here allows any method, as users mean it",
        applies: |p| {
            sets(p, "methods", Value::from("*"))
                && p.req.is_preflight()
                && p.flask.readable == Some(false)
                && p.ours.readable == Some(true)
        },
    },
    Deviation {
        name: "max-age-zero-is-sent",
        stricter: true,
        reason: "flask-cors drops max_age=0; we send Access-Control-Max-Age: 0, which turns the browser's preflight cache off as asked",
        applies: |p| {
            sets(p, "max_age", Value::from(0))
                && same_but(p, |o| {
                    if let Some(g) = &mut o.granted {
                        g.max_age = None;
                    }
                    o.vary_origin = false;
                })
        },
    },
    Deviation {
        name: "regex-matches-whole-origin",
        stricter: true,
        reason: "flask-cors matches origin regexes with re.match, a prefix only: https://.*\\.example\\.com admits https://a.example.com.evil.io",
        applies: |p| {
            granted_by_prefix_only(p) && p.flask.readable == Some(true) && p.ours.readable == Some(false)
        },
    },
    Deviation {
        name: "no-arbitrary-origin-without-origin",
        stricter: true,
        reason: "with several literal origins and no Origin, flask-cors sends the alphabetically first; one arbitrary origin helps no one, so we send none",
        applies: |p| {
            let first_of_several = |acao: &[String]| {
                origin_lists(p.options).into_iter().any(|list| {
                    let mut literals: Vec<_> = list.into_iter().filter(|o| !flask_regex(o)).collect();
                    literals.sort();
                    literals.len() > 1 && acao == &literals[..1]
                })
            };
            no_origin(p)
                && allow_origin(p.ours).is_some_and(<[String]>::is_empty)
                && allow_origin(p.flask).is_some_and(first_of_several)
        },
    },
    Deviation {
    name: "vary-whenever-it-depends",
    stricter: true,
    reason: "flask-cors adds `Vary: Origin` only with several origins or a regex, and not to refused or origin-less answers; we add it to every answer that could differ for another Origin, so no cache serves one origin's answer to another",
    applies: |p| {
        p.ours.vary_origin && !p.flask.vary_origin && vary_header_on(p) && same_but(p, |o| o.vary_origin = false)
    },
},
];
