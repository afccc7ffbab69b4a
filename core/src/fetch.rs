//! The Fetch standard's lists (<https://fetch.spec.whatwg.org/>) that CORS decisions and
//! validation rest on, each with the section it comes from. Nothing else in the crate spells
//! these lists out.

/// CORS-safelisted methods (§2.2.1): a page sends them without asking first.
#[inline]
pub fn is_safelisted_method(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"POST")
}

/// Forbidden methods (§2.2.1): no page can send them at all.
pub fn is_forbidden_method(upper: &str) -> bool {
    matches!(upper, "CONNECT" | "TRACE" | "TRACK")
}

/// Methods `fetch()` normalizes to uppercase (§2.2.1, "normalize a method"); any other method
/// is sent exactly as the page wrote it.
pub fn is_normalized_method(upper: &str) -> bool {
    matches!(
        upper,
        "DELETE" | "GET" | "HEAD" | "OPTIONS" | "POST" | "PUT"
    )
}

/// Content types a form can send (§2.2.2, CORS-safelisted `Content-Type` essences).
const SAFELISTED_CONTENT_TYPES: [&[u8]; 3] = [
    b"application/x-www-form-urlencoded",
    b"multipart/form-data",
    b"text/plain",
];

/// Whether a request with this method and `Content-Type` is one a browser preflights (§4.1,
/// "CORS-preflight flag"), counting only the two reasons visible on the actual request: a
/// method that is not safelisted, or a body type a form cannot send.
#[inline]
pub fn needs_preflight(method: &[u8], content_type: Option<&[u8]>) -> bool {
    let form_type = content_type.is_none_or(|ct| {
        let essence = ct.split(|&b| b == b';').next().unwrap_or(ct).trim_ascii();
        SAFELISTED_CONTENT_TYPES
            .iter()
            .any(|t| essence.eq_ignore_ascii_case(t))
    });
    !(is_safelisted_method(method) && form_type)
}

/// Forbidden request-header names (§2.2.2), lowercase: a page can never set them. Names
/// starting with `proxy-` or `sec-` are forbidden as well.
const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// The CORS protocol's own response headers (§3.2.3): allowing or exposing them means nothing.
const CORS_RESPONSE_HEADERS: &[&str] = &[
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "access-control-allow-private-network",
    "access-control-expose-headers",
    "access-control-max-age",
];

/// Whether a page can never send a request header of this (lowercase) name.
pub fn is_forbidden_request_header(lower: &str) -> bool {
    FORBIDDEN_REQUEST_HEADERS.contains(&lower)
        || CORS_RESPONSE_HEADERS.contains(&lower)
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
}

/// Whether a page can never read a response header of this (lowercase) name: the forbidden
/// response-header names (§2.2.2), the CORS protocol's own, and request-only names.
pub fn is_forbidden_response_header(lower: &str) -> bool {
    matches!(lower, "set-cookie" | "set-cookie2")
        || CORS_RESPONSE_HEADERS.contains(&lower)
        || matches!(
            lower,
            "access-control-request-headers" | "access-control-request-method" | "origin"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        for (m, safelisted, forbidden, normalized) in [
            ("GET", true, false, true),
            ("POST", true, false, true),
            ("HEAD", true, false, true),
            ("PUT", false, false, true),
            ("DELETE", false, false, true),
            ("OPTIONS", false, false, true),
            ("PATCH", false, false, false),
            ("CONNECT", false, true, false),
            ("TRACE", false, true, false),
            ("TRACK", false, true, false),
        ] {
            assert_eq!(is_safelisted_method(m.as_bytes()), safelisted, "{m}");
            assert_eq!(is_forbidden_method(m), forbidden, "{m}");
            assert_eq!(is_normalized_method(m), normalized, "{m}");
        }
    }

    #[test]
    fn preflighted_requests() {
        let cases = [
            ("GET", None, false),
            ("POST", Some("text/plain;charset=utf-8"), false),
            ("POST", Some(" Multipart/Form-Data ; boundary=x"), false),
            ("POST", Some("application/x-www-form-urlencoded"), false),
            ("POST", Some("application/json"), true),
            ("PUT", None, true),
            ("DELETE", Some("text/plain"), true),
            ("GET", Some("text/plainx"), true),
        ];
        for (method, ct, want) in cases {
            let got = needs_preflight(method.as_bytes(), ct.map(str::as_bytes));
            assert_eq!(got, want, "{method} {ct:?}");
        }
    }

    #[test]
    fn forbidden_names() {
        for name in [
            "cookie",
            "host",
            "sec-fetch-mode",
            "proxy-authorization",
            "origin",
        ] {
            assert!(is_forbidden_request_header(name), "{name}");
        }
        for name in ["authorization", "content-type", "x-token"] {
            assert!(!is_forbidden_request_header(name), "{name}");
        }
        for name in ["set-cookie", "access-control-allow-origin", "origin"] {
            assert!(is_forbidden_response_header(name), "{name}");
        }
        assert!(!is_forbidden_response_header("x-total-count"));
    }
}
