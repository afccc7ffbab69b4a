//! The policy the property tests and the fuzz target use, and an oracle for it written
//! independently of the library: plain string tests, no shared code.
#![allow(dead_code)]

/// Origins: one exact, one subdomain pattern, one any-port pattern, one regex; credentials on.
pub fn app_policy(cors: actix_cross_origin::Cors) -> actix_cross_origin::Cors {
    cors.origins([
        "https://app.example.com",
        "https://*.example.org",
        "http://localhost:*",
    ])
    .origin_regexes([r"https://[a-z]+\.example\.net"])
    .supports_credentials(true)
    .allow_headers(["content-type", "x-token"])
}

/// What the App policy answers a request without `Origin` (or with an empty one): with
/// `always_send` (the default) and exactly one listed origin, that origin.
pub const ANSWER_WITHOUT_ORIGIN: &[u8] = b"https://app.example.com";

/// Whether the credentialed App policy may grant `origin` (an oracle written independently
/// of the library: plain string tests on a value already known to be one of a few shapes).
pub fn app_policy_grants(origin: &[u8]) -> bool {
    let Ok(o) = std::str::from_utf8(origin) else {
        return false;
    };
    if o == "https://app.example.com" {
        return true;
    }
    let host_ok = |h: &str| {
        !h.is_empty()
            && h.split('.').all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    })
            })
    };
    if let Some(h) = o
        .strip_prefix("https://")
        .and_then(|r| r.strip_suffix(".example.org"))
    {
        return host_ok(h);
    }
    if let Some(rest) = o.strip_prefix("http://localhost") {
        return rest.is_empty()
            || rest.strip_prefix(':').is_some_and(|p| {
                !p.is_empty()
                    && !p.starts_with('0')
                    && p.len() <= 5
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|n| n <= 65535 && n != 80)
            });
    }
    if let Some(h) = o
        .strip_prefix("https://")
        .and_then(|r| r.strip_suffix(".example.net"))
    {
        return !h.is_empty() && h.bytes().all(|b| b.is_ascii_lowercase());
    }
    false
}
