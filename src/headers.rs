//! Header names and values: the bounded parser for `Access-Control-Request-Headers`, the `Vary`
//! rule, and escaping for log lines.

use std::fmt;

use actix_web::http::header::{HeaderMap, HeaderValue, VARY};

/// Longest `Access-Control-Request-Headers` we read, summed over all its field lines.
///
/// Browsers send a short list of lowercase names; anything longer is refused before it is
/// scanned, so a hostile megabyte costs no more than a normal preflight.
pub(crate) const MAX_REQUEST_HEADERS_LEN: usize = 4096;

/// Makes a header value built once at start-up cheap to send on every response.
///
/// A value made from owned bytes becomes reference-counted on its first clone, and that first
/// clone allocates; cloning it once here means no request ever pays for it.
pub(crate) fn clone_free(value: HeaderValue) -> HeaderValue {
    drop(value.clone());
    value
}

pub(crate) use actix_cross_origin_core::token::is_token;

/// The allowed request headers of a policy, lowercase, sorted for binary search.
#[derive(Debug, Clone)]
pub(crate) enum AllowedHeaders {
    /// Any header is allowed: the request's list is echoed back once it is well-formed.
    Any,
    /// Only these names (lowercase, sorted, unique).
    List {
        names: Vec<Box<[u8]>>,
        max_len: usize,
        /// The names joined, for the answer to a refused preflight; `None` when there are none.
        header: Option<HeaderValue>,
    },
}

impl AllowedHeaders {
    pub(crate) fn list(mut names: Vec<String>) -> Self {
        for n in &mut names {
            n.make_ascii_lowercase();
        }
        names.sort();
        names.dedup();
        let max_len = names.iter().map(String::len).max().unwrap_or(0);
        // Validation has checked that each name is a token, so the joined list is a value.
        let header = HeaderValue::from_str(&names.join(", ")).ok();
        AllowedHeaders::List {
            header: header.filter(|h| !h.is_empty()).map(clone_free),
            names: names
                .into_iter()
                .map(|n| n.into_bytes().into_boxed_slice())
                .collect(),
            max_len,
        }
    }

    /// The whole list, as `Access-Control-Allow-Headers` names it; `None` for any header or
    /// none, where no list can be sent without echoing the request.
    pub(crate) fn full_list(&self) -> Option<&HeaderValue> {
        match self {
            AllowedHeaders::Any => None,
            AllowedHeaders::List { header, .. } => header.as_ref(),
        }
    }

    /// Case-insensitive membership, without allocating: the name is lowercased into a stack
    /// buffer no longer than the longest allowed name.
    fn contains(&self, name: &[u8]) -> bool {
        match self {
            AllowedHeaders::Any => true,
            AllowedHeaders::List { names, max_len, .. } => {
                let mut buf = [0u8; 128];
                if name.len() > *max_len || name.len() > buf.len() {
                    return false;
                }
                let lower = &mut buf[..name.len()];
                for (dst, src) in lower.iter_mut().zip(name) {
                    *dst = src.to_ascii_lowercase();
                }
                names.binary_search_by(|n| (**n).cmp(lower)).is_ok()
            }
        }
    }
}

/// Why `Access-Control-Request-Headers` was refused; borrows the offending bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestHeadersError<'a> {
    /// Longer than [`MAX_REQUEST_HEADERS_LEN`] in total.
    TooLong(usize),
    /// An element that is not a header name.
    Malformed(&'a [u8]),
    /// A well-formed name the policy does not allow.
    NotAllowed(&'a [u8]),
}

/// Checks every element of every `Access-Control-Request-Headers` line in one pass.
///
/// Elements are separated by commas with optional spaces or tabs around them; empty elements
/// are skipped, as RFC 9110 §5.6.1 asks of recipients. The total length is bounded first, so
/// the work is bounded whatever arrives. Returns `Ok(true)` when at least one name was listed.
pub(crate) fn check_request_headers<'a>(
    lines: &'a [HeaderValue],
    allowed: &AllowedHeaders,
) -> Result<bool, RequestHeadersError<'a>> {
    let total: usize = lines.iter().map(|l| l.len()).sum();
    if total > MAX_REQUEST_HEADERS_LEN {
        return Err(RequestHeadersError::TooLong(total));
    }
    let mut any = false;
    for line in lines {
        for element in line.as_bytes().split(|&b| b == b',') {
            let name = trim_ows(element);
            if name.is_empty() {
                continue;
            }
            if !is_token(name) {
                return Err(RequestHeadersError::Malformed(name));
            }
            if !allowed.contains(name) {
                return Err(RequestHeadersError::NotAllowed(name));
            }
            any = true;
        }
    }
    Ok(any)
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Appends `Vary: Origin` unless a `Vary` field already lists `Origin` (or `*`).
///
/// Never replaces an existing `Vary`; adds a field line of its own so that other tokens stay
/// as they were.
pub(crate) fn append_vary_origin(headers: &mut HeaderMap) {
    let present = headers.get_all(VARY).any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|t| {
            let t = trim_ows(t);
            t.eq_ignore_ascii_case(b"origin") || t == b"*"
        })
    });
    if !present {
        headers.append(VARY, HeaderValue::from_static("Origin"));
    }
}

/// Request bytes made safe for a log line: quoted, with anything but printable ASCII escaped
/// as `\xNN`, and cut after 200 bytes. A request can therefore never start a new log line.
pub(crate) struct Escaped<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LIMIT: usize = 200;
        f.write_str("\"")?;
        for &b in self.0.iter().take(LIMIT) {
            match b {
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                0x20..=0x7e => write!(f, "{}", b as char)?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        f.write_str("\"")?;
        if self.0.len() > LIMIT {
            write!(f, "... ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(values: &[&[u8]]) -> Vec<HeaderValue> {
        values
            .iter()
            .map(|v| HeaderValue::from_bytes(v).unwrap())
            .collect()
    }

    #[test]
    fn request_headers_table() {
        let allowed = AllowedHeaders::list(vec!["Content-Type".into(), "X-Token".into()]);
        type Want = Result<bool, RequestHeadersError<'static>>;
        let cases: &[(&[&[u8]], Want)] = &[
            (&[b"content-type"], Ok(true)),
            (&[b"content-type,x-token"], Ok(true)),
            (&[b"X-Token , Content-Type"], Ok(true)),
            (&[b"content-type", b"x-token"], Ok(true)),
            (&[b""], Ok(false)),
            (&[b" , ,"], Ok(false)),
            (&[b"content-type,,x-token,"], Ok(true)),
            (
                &[b"x-other"],
                Err(RequestHeadersError::NotAllowed(b"x-other")),
            ),
            (
                &[b"content-type", b"x-token,x-other"],
                Err(RequestHeadersError::NotAllowed(b"x-other")),
            ),
            (
                &[b"x-tokenx"],
                Err(RequestHeadersError::NotAllowed(b"x-tokenx")),
            ),
            (
                &[b"x token"],
                Err(RequestHeadersError::Malformed(b"x token")),
            ),
            (
                &[b"x-token;"],
                Err(RequestHeadersError::Malformed(b"x-token;")),
            ),
        ];
        for (input, want) in cases {
            let ls = lines(input);
            assert_eq!(&check_request_headers(&ls, &allowed), want, "{input:?}");
        }
    }

    #[test]
    fn request_headers_any_still_checks_syntax_and_length() {
        let ls = lines(&[b"authorization,x-anything"]);
        assert_eq!(check_request_headers(&ls, &AllowedHeaders::Any), Ok(true));
        let ls = lines(&[b"a b"]);
        assert_eq!(
            check_request_headers(&ls, &AllowedHeaders::Any),
            Err(RequestHeadersError::Malformed(b"a b"))
        );
        let big = ", ".repeat(1 << 19);
        let ls = lines(&[big.as_bytes()]);
        assert_eq!(
            check_request_headers(&ls, &AllowedHeaders::Any),
            Err(RequestHeadersError::TooLong(1 << 20))
        );
    }

    #[test]
    fn vary_is_appended_once() {
        let mut h = HeaderMap::new();
        append_vary_origin(&mut h);
        append_vary_origin(&mut h);
        assert_eq!(h.get_all(VARY).count(), 1);

        let mut h = HeaderMap::new();
        h.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        append_vary_origin(&mut h);
        let all: Vec<_> = h.get_all(VARY).map(|v| v.to_str().unwrap()).collect();
        assert_eq!(all, ["Accept-Encoding", "Origin"]);

        let mut h = HeaderMap::new();
        h.insert(VARY, HeaderValue::from_static("accept, origin"));
        append_vary_origin(&mut h);
        assert_eq!(h.get_all(VARY).count(), 1);

        let mut h = HeaderMap::new();
        h.insert(VARY, HeaderValue::from_static("Accept"));
        h.append(VARY, HeaderValue::from_static("*"));
        append_vary_origin(&mut h);
        let all: Vec<_> = h.get_all(VARY).map(|v| v.to_str().unwrap()).collect();
        assert_eq!(all, ["Accept", "*"]);
    }

    #[test]
    fn escaping_cannot_forge_lines() {
        let s = Escaped(b"/x\r\n2024 CRITICAL forged\"\\\xff").to_string();
        assert_eq!(s, "\"/x\\x0d\\x0a2024 CRITICAL forged\\\"\\\\\\xff\"");
        assert!(!s.contains('\n'));
        let long = Escaped(&[b'a'; 300]).to_string();
        assert!(long.ends_with("... (300 bytes)"));
    }
}
