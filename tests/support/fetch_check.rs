//! What a browser concludes from an answer, by the Fetch standard: the CORS check (§4.9) and
//! the CORS-preflight fetch's checks (§4.8), plus Private Network Access where it is asked.
//! Written from the standard, not from the library. `support` shares it with every test
//! binary; `tests/flask_parity.rs` includes this file by path, to read flask-cors's answers
//! with the same checks.
#![allow(dead_code)]

/// An answer as a browser reads it.
pub trait Answer {
    fn status(&self) -> u16;
    /// Every value of the field `name` (full name, lowercase), in order.
    fn values(&self, name: &str) -> Vec<String>;
}

/// What the page asked for: its origin, and for a preflight the method and headers it names.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub origin: &'a str,
    pub method: &'a str,
    /// `Access-Control-Request-Headers` as sent, comma-separated; empty for none.
    pub headers: &'a str,
    /// The page's credentials mode is `include`.
    pub credentials: bool,
    /// `Access-Control-Request-Private-Network: true` was sent.
    pub private_network: bool,
}

/// A field's values split at commas, trimmed, empty items dropped.
fn list(answer: &impl Answer, name: &str) -> Vec<String> {
    answer
        .values(name)
        .iter()
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The CORS check (§4.9): exactly one `Access-Control-Allow-Origin`, `*` without credentials
/// or the origin byte for byte, and `Access-Control-Allow-Credentials: true` with credentials.
pub fn cors_check(answer: &impl Answer, origin: &str, credentials: bool) -> bool {
    let allow = answer.values("access-control-allow-origin");
    let [allow] = &allow[..] else {
        return false;
    };
    if allow == "*" && !credentials {
        return true;
    }
    // A browser always has an origin to compare with.
    if origin.is_empty() || allow != origin {
        return false;
    }
    !credentials || answer.values("access-control-allow-credentials") == ["true"]
}

/// The CORS-preflight fetch's checks (§4.8): an ok status (200 to 299), the CORS check, the
/// method listed, CORS-safelisted or allowed by `*` without credentials, every requested
/// header listed (case-insensitively) or allowed by `*` without credentials (never
/// `authorization`), and `Access-Control-Allow-Private-Network: true` when it was asked.
pub fn preflight_passes(answer: &impl Answer, asked: &Asked<'_>) -> bool {
    if !(200..300).contains(&answer.status())
        || !cors_check(answer, asked.origin, asked.credentials)
    {
        return false;
    }
    let wildcard_ok = |list: &[String]| !asked.credentials && list.iter().any(|m| m == "*");
    let methods = list(answer, "access-control-allow-methods");
    let safelisted = matches!(asked.method, "GET" | "HEAD" | "POST");
    if !(methods.iter().any(|m| m == asked.method) || safelisted || wildcard_ok(&methods)) {
        return false;
    }
    let allowed: Vec<String> = list(answer, "access-control-allow-headers")
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let requested = asked
        .headers
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase());
    for name in requested {
        let by_star = wildcard_ok(&allowed) && name != "authorization";
        if !name.is_empty() && !allowed.contains(&name) && !by_star {
            return false;
        }
    }
    !asked.private_network || answer.values("access-control-allow-private-network") == ["true"]
}
