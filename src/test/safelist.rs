//! The Fetch standard's request-side lists that decide whether a page's request needs a
//! preflight (§2.2.1 Methods, §2.2.2 Headers), and the response headers a page can read.

use crate::fetch::{is_forbidden_method, is_forbidden_request_header, is_normalized_method};

pub(crate) use crate::fetch::is_safelisted_method;

/// The longest value a CORS-safelisted request-header may have (§2.2.2).
const MAX_SAFELISTED_VALUE: usize = 128;

/// The most bytes all safelisted values of one request may add up to before every one of them
/// counts as unsafe (§2.2.2, CORS-unsafe request-header names).
const MAX_SAFELISTED_TOTAL: usize = 1024;

/// §2.2.2 CORS-safelisted response-header names: readable without being exposed.
const SAFELISTED_RESPONSE_HEADERS: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// What `fetch()` does with a method the page wrote (§2.2.1 "normalize a method", and the
/// `Request` constructor's checks): the normalized method, or why it throws.
pub(crate) fn normalize_method(method: &str) -> Result<String, &'static str> {
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err("is not a valid HTTP method");
    }
    let upper = method.to_ascii_uppercase();
    if is_forbidden_method(&upper) {
        return Err("is a forbidden method");
    }
    Ok(if is_normalized_method(&upper) {
        upper
    } else {
        method.to_owned()
    })
}

/// Whether a page can never set a request header of this name (§2.2.2 forbidden
/// request-header): `fetch()` drops it without a word. The method-override headers are
/// forbidden only when they name a forbidden method.
pub(crate) fn is_forbidden_request_field(name: &str, value: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // The crate's list also forbids the response's own CORS names, which a page may send.
    let response_only = lower.starts_with("access-control-allow-")
        || matches!(
            lower.as_str(),
            "access-control-expose-headers" | "access-control-max-age"
        );
    if !response_only && is_forbidden_request_header(&lower) {
        return true;
    }
    matches!(
        lower.as_str(),
        "x-http-method" | "x-http-method-override" | "x-method-override"
    ) && value
        .split(',')
        .any(|m| is_forbidden_method(&m.trim().to_ascii_uppercase()))
}

/// §2.2.2 CORS-unsafe request-header byte.
fn is_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != 0x09)
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7F
        )
}

/// RFC 9110 `tchar`: the bytes of a method or header name.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `s` is an RFC 9110 token.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_token_byte)
}

/// The essence of a MIME type (§ "parse a MIME type" of the MIME Sniffing standard, as far as
/// the essence goes): `type/subtype`, both tokens, lowercased; `None` on failure.
fn mime_essence(value: &str) -> Option<String> {
    let value = value.trim_matches(is_http_whitespace);
    let (kind, rest) = value.split_once('/')?;
    let subtype = rest.split(';').next().unwrap_or(rest);
    let subtype = subtype.trim_end_matches(is_http_whitespace);
    (is_token(kind) && is_token(subtype)).then(|| format!("{kind}/{subtype}").to_ascii_lowercase())
}

/// HTTP whitespace: tab, line feed, carriage return, space.
pub(crate) fn is_http_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' ')
}

/// A single `bytes=` range with a first position (§2.2.2, "parse a single range header
/// value" with whitespace not allowed): `bytes=0-`, `bytes=5-10`; never `bytes=-500`.
fn is_safelisted_range(value: &str) -> bool {
    let Some(range) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = range.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !(end.is_empty() || digits(end)) {
        return false;
    }
    // A range that ends before it starts is a failure.
    match (start.parse::<u128>(), end.parse::<u128>()) {
        (Ok(s), Ok(e)) => s <= e,
        (Ok(_), Err(_)) => end.is_empty(),
        _ => false,
    }
}

/// §2.2.2 CORS-safelisted request-header: a page may send this (name, value) without a
/// preflight.
pub(crate) fn is_safelisted_request_header(name: &str, value: &str) -> bool {
    if value.len() > MAX_SAFELISTED_VALUE {
        return false;
    }
    match name.to_ascii_lowercase().as_str() {
        "accept" => !value.bytes().any(is_unsafe_byte),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            !value.bytes().any(is_unsafe_byte)
                && mime_essence(value).is_some_and(|essence| {
                    matches!(
                        essence.as_str(),
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    )
                })
        }
        "range" => is_safelisted_range(value),
        _ => false,
    }
}

/// §2.2.2 CORS-unsafe request-header names: the names a preflight must ask about, lowercased,
/// deduplicated and sorted, as `Access-Control-Request-Headers` carries them. Past 1024 bytes
/// of safelisted values, every safelisted name is unsafe too.
pub(crate) fn unsafe_request_header_names(headers: &[(String, String)]) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut potentially_unsafe = Vec::new();
    let mut safelisted_size = 0usize;
    for (name, value) in headers {
        if is_safelisted_request_header(name, value) {
            potentially_unsafe.push(name);
            safelisted_size += value.len();
        } else {
            unsafe_names.push(name);
        }
    }
    if safelisted_size > MAX_SAFELISTED_TOTAL {
        unsafe_names.extend(potentially_unsafe);
    }
    // "Convert header names to a sorted-lowercase set".
    let mut names: Vec<String> = unsafe_names
        .into_iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// §2.2.2 CORS non-wildcard request-header name: `Authorization`, which
/// `Access-Control-Allow-Headers: *` never covers in the standard.
pub(crate) fn is_non_wildcard_request_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// §2.2.2 CORS-safelisted response-header name (without the exposed list).
pub(crate) fn is_safelisted_response_header(name: &str) -> bool {
    SAFELISTED_RESPONSE_HEADERS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// §2.2.2 forbidden response-header names: never readable, even when exposed.
pub(crate) fn is_forbidden_response_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(headers: &[(&str, &str)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn methods_are_normalized_or_refused() {
        for (written, want) in [
            ("get", Ok("GET")),
            ("Put", Ok("PUT")),
            ("delete", Ok("DELETE")),
            ("patch", Ok("patch")),
            ("PATCH", Ok("PATCH")),
            ("x-custom", Ok("x-custom")),
            ("connect", Err("is a forbidden method")),
            ("TRACE", Err("is a forbidden method")),
            ("track", Err("is a forbidden method")),
            ("", Err("is not a valid HTTP method")),
            ("GE T", Err("is not a valid HTTP method")),
        ] {
            let got = normalize_method(written);
            assert_eq!(got.as_deref().map_err(|e| *e), want, "{written:?}");
        }
    }

    #[test]
    fn safelisted_request_headers() {
        let long = "a".repeat(129);
        let just_fits = format!("text/plain;x={}", "a".repeat(128 - 13));
        for (name, value, want) in [
            ("Accept", "application/json", true),
            ("accept", "*/*", true),
            ("Accept", "text/html(1)", false),
            ("Accept", "a\"b", false),
            ("Accept", "a\tb", true),
            ("Accept", "a\x01b", false),
            ("Accept", long.as_str(), false),
            ("Accept-Language", "en-US,en;q=0.9", true),
            ("Accept-Language", "en_US", false),
            ("Content-Language", "de, fr", true),
            ("Content-Language", "de/fr", false),
            ("Content-Type", "text/plain", true),
            ("Content-Type", "text/plain;charset=utf-8", true),
            ("Content-Type", " Multipart/Form-Data ; boundary=x", true),
            ("Content-Type", "application/x-www-form-urlencoded", true),
            ("Content-Type", "application/json", false),
            ("Content-Type", "text/plainx", false),
            ("Content-Type", "text/plain; x=\"y\"", false),
            ("Content-Type", "text /plain", false),
            ("Content-Type", "text", false),
            ("Content-Type", just_fits.as_str(), true),
            ("Content-Type", &format!("{just_fits}a"), false),
            ("Range", "bytes=0-", true),
            ("Range", "bytes=5-10", true),
            ("Range", "bytes=10-5", false),
            ("Range", "bytes=-500", false),
            ("Range", "bytes=0-1,3-4", false),
            ("Range", "items=0-1", false),
            ("X-Token", "t", false),
            ("Authorization", "Bearer t", false),
        ] {
            assert_eq!(
                is_safelisted_request_header(name, value),
                want,
                "{name}: {value:?}"
            );
        }
    }

    #[test]
    fn unsafe_names_are_lowercased_sorted_and_unique() {
        for (headers, want) in [
            (vec![], vec![]),
            (vec![("Accept", "*/*")], vec![]),
            (
                vec![("X-Token", "1"), ("Authorization", "b")],
                vec!["authorization", "x-token"],
            ),
            (
                vec![("X-B", "1"), ("x-a", "1"), ("X-A", "2")],
                vec!["x-a", "x-b"],
            ),
            (
                vec![("Content-Type", "application/json")],
                vec!["content-type"],
            ),
            (vec![("Content-Type", "text/plain")], vec![]),
        ] {
            let got = unsafe_request_header_names(&owned(&headers));
            assert_eq!(got, want, "{headers:?}");
        }
    }

    #[test]
    fn safelisted_values_past_1024_bytes_are_all_unsafe() {
        let value = "a".repeat(128);
        let nine: Vec<(String, String)> = (0..9)
            .map(|_| ("Accept".to_owned(), value.clone()))
            .collect();
        assert_eq!(unsafe_request_header_names(&nine), ["accept"]);
        let eight = &nine[..8];
        assert!(
            unsafe_request_header_names(eight).is_empty(),
            "1024 bytes fit"
        );
    }

    #[test]
    fn forbidden_request_fields_are_dropped() {
        for (name, value, want) in [
            ("Cookie", "a=b", true),
            ("Origin", "https://x", true),
            ("Sec-Fetch-Mode", "cors", true),
            ("Proxy-Authorization", "x", true),
            ("Access-Control-Request-Method", "PUT", true),
            ("X-HTTP-Method-Override", "TRACE", true),
            ("X-HTTP-Method-Override", "PATCH", false),
            ("Access-Control-Allow-Origin", "*", false),
            ("Authorization", "Bearer t", false),
            ("X-Token", "t", false),
        ] {
            assert_eq!(is_forbidden_request_field(name, value), want, "{name}");
        }
    }

    #[test]
    fn response_header_lists() {
        for name in ["Cache-Control", "content-type", "Content-Length", "Pragma"] {
            assert!(is_safelisted_response_header(name), "{name}");
        }
        for name in ["X-Public", "Set-Cookie", "Date", "Vary"] {
            assert!(!is_safelisted_response_header(name), "{name}");
        }
        assert!(is_forbidden_response_header("Set-Cookie"));
        assert!(is_non_wildcard_request_header("AUTHORIZATION"));
    }
}
