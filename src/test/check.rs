//! Reading a response's CORS fields the way a browser does: "get" a header (§2.2.2), "extract
//! header list values" (§2.2.2), and the CORS check (Fetch §4.10).

use actix_web::http::header::HeaderMap;

use super::refusal::CorsFailure;
use super::safelist::{is_http_whitespace, is_token};

/// §2.2.2 "get": every value of the field `name`, in order, joined by `, `; `None` when the
/// field is absent. Two `Access-Control-Allow-Origin` fields read as one value with a comma,
/// which never equals an origin.
pub(crate) fn get(headers: &HeaderMap, name: &str) -> Option<Vec<u8>> {
    let mut values = headers.get_all(name).peekable();
    values.peek()?;
    let mut joined = Vec::new();
    for (i, value) in values.enumerate() {
        if i > 0 {
            joined.extend_from_slice(b", ");
        }
        joined.extend_from_slice(value.as_bytes());
    }
    Some(joined)
}

/// A field's bytes as text for a message; bytes that are not UTF-8 are shown replaced.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// §2.2.2 "extract header list values" for a `#token` list (`Access-Control-Allow-Methods`,
/// `-Allow-Headers`, `-Expose-Headers`): `Ok(None)` when the field is absent, `Err(value)`
/// when an item is not a token (the preflight then fails), else the items. Empty items, which
/// RFC 9110 §5.6.1 tells recipients to ignore, are dropped.
pub(crate) fn token_list(headers: &HeaderMap, name: &str) -> Result<Option<Vec<String>>, String> {
    let Some(value) = get(headers, name) else {
        return Ok(None);
    };
    let Ok(value) = std::str::from_utf8(&value) else {
        return Err(text(&value));
    };
    let mut items = Vec::new();
    for item in value.split(',') {
        let item = item.trim_matches(is_http_whitespace);
        if item.is_empty() {
            continue;
        }
        if !is_token(item) {
            return Err(value.to_owned());
        }
        items.push(item.to_owned());
    }
    Ok(Some(items))
}

/// §4.8 step 7.8: `Access-Control-Max-Age` as seconds; `None` when absent or not a single
/// `delta-seconds` (the preflight then caches for the default 5 seconds).
pub(crate) fn max_age(headers: &HeaderMap) -> Option<u64> {
    let value = get(headers, "access-control-max-age")?;
    let value = std::str::from_utf8(&value).ok()?;
    let value = value.trim_matches(is_http_whitespace);
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // More digits than fit are still a (very long) max-age, cut to the cap later.
    Some(value.parse().unwrap_or(u64::MAX))
}

/// Fetch §4.10 CORS check: exactly one `Access-Control-Allow-Origin` value that is `*`
/// (without credentials) or the page's serialized origin byte for byte; with credentials,
/// `Access-Control-Allow-Credentials` exactly `true` as well.
pub(crate) fn cors_check(
    headers: &HeaderMap,
    origin: &str,
    credentials: bool,
) -> Result<(), CorsFailure> {
    let Some(allow) = get(headers, "access-control-allow-origin") else {
        return Err(CorsFailure::MissingAllowOrigin);
    };
    if allow == b"*" {
        if !credentials {
            return Ok(());
        }
        return Err(CorsFailure::WildcardOriginWithCredentials);
    }
    if allow != origin.as_bytes() {
        return Err(CorsFailure::AllowOriginMismatch {
            value: text(&allow),
        });
    }
    if !credentials {
        return Ok(());
    }
    match get(headers, "access-control-allow-credentials") {
        Some(value) if value == b"true" => Ok(()),
        value => Err(CorsFailure::AllowCredentialsNotTrue {
            value: value.map(|v| text(&v)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(fields: &[(&str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in fields {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        map
    }

    const ORIGIN: &str = "https://app.example";

    #[test]
    fn the_cors_check() {
        use CorsFailure::*;
        let mismatch = |v: &str| Err(AllowOriginMismatch { value: v.into() });
        let acac = |v: Option<&str>| {
            Err(AllowCredentialsNotTrue {
                value: v.map(Into::into),
            })
        };
        // (answer's fields, credentials, want)
        type Case<'a> = (Vec<(&'a str, &'a [u8])>, bool, Result<(), CorsFailure>);
        let cases: Vec<Case<'_>> = vec![
            (vec![], false, Err(MissingAllowOrigin)),
            (vec![("access-control-allow-origin", b"*")], false, Ok(())),
            (
                vec![("access-control-allow-origin", b"*")],
                true,
                Err(WildcardOriginWithCredentials),
            ),
            (
                vec![
                    ("access-control-allow-origin", b"*"),
                    ("access-control-allow-credentials", b"true"),
                ],
                true,
                Err(WildcardOriginWithCredentials),
            ),
            (
                vec![("access-control-allow-origin", ORIGIN.as_bytes())],
                false,
                Ok(()),
            ),
            (
                vec![("access-control-allow-origin", b"https://app.example/")],
                false,
                mismatch("https://app.example/"),
            ),
            (
                vec![("access-control-allow-origin", b"HTTPS://APP.EXAMPLE")],
                false,
                mismatch("HTTPS://APP.EXAMPLE"),
            ),
            (
                vec![("access-control-allow-origin", b"null")],
                false,
                mismatch("null"),
            ),
            (
                vec![("access-control-allow-origin", b" https://app.example")],
                false,
                mismatch(" https://app.example"),
            ),
            (
                vec![
                    ("access-control-allow-origin", ORIGIN.as_bytes()),
                    ("access-control-allow-origin", ORIGIN.as_bytes()),
                ],
                false,
                mismatch("https://app.example, https://app.example"),
            ),
            (
                vec![
                    ("access-control-allow-origin", b"*"),
                    ("access-control-allow-origin", b"*"),
                ],
                false,
                mismatch("*, *"),
            ),
            (
                vec![("access-control-allow-origin", ORIGIN.as_bytes())],
                true,
                acac(None),
            ),
            (
                vec![
                    ("access-control-allow-origin", ORIGIN.as_bytes()),
                    ("access-control-allow-credentials", b"true"),
                ],
                true,
                Ok(()),
            ),
            (
                vec![
                    ("access-control-allow-origin", ORIGIN.as_bytes()),
                    ("access-control-allow-credentials", b"True"),
                ],
                true,
                acac(Some("True")),
            ),
            (
                vec![
                    ("access-control-allow-origin", ORIGIN.as_bytes()),
                    ("access-control-allow-credentials", b"true"),
                    ("access-control-allow-credentials", b"true"),
                ],
                true,
                acac(Some("true, true")),
            ),
            (
                vec![("access-control-allow-origin", b"\xff")],
                false,
                mismatch("\u{fffd}"),
            ),
        ];
        for (fields, credentials, want) in cases {
            let got = cors_check(&headers(&fields), ORIGIN, credentials);
            assert_eq!(got, want, "{fields:?} credentials {credentials}");
        }
    }

    #[test]
    fn token_lists() {
        let list = |v: &[u8]| token_list(&headers(&[("x-list", v)]), "x-list");
        assert_eq!(token_list(&HeaderMap::new(), "x-list"), Ok(None));
        assert_eq!(
            list(b"GET, PUT"),
            Ok(Some(vec!["GET".into(), "PUT".into()]))
        );
        assert_eq!(
            list(b" ,x-token,,\t*"),
            Ok(Some(vec!["x-token".into(), "*".into()]))
        );
        assert_eq!(list(b""), Ok(Some(vec![])));
        assert_eq!(list(b"x token"), Err("x token".into()));
        assert_eq!(list(b"a, b/c"), Err("a, b/c".into()));
        assert_eq!(list(b"\xff"), Err("\u{fffd}".into()));
        let two = headers(&[("x-list", b"a"), ("x-list", b"b")]);
        assert_eq!(
            token_list(&two, "x-list"),
            Ok(Some(vec!["a".into(), "b".into()]))
        );
    }

    #[test]
    fn max_ages() {
        for (value, want) in [
            (&b"600"[..], Some(600)),
            (b" 0 ", Some(0)),
            (b"-1", None),
            (b"5.5", None),
            (b"", None),
            (b"10, 10", None),
            (b"99999999999999999999999", Some(u64::MAX)),
        ] {
            let got = max_age(&headers(&[("access-control-max-age", value)]));
            assert_eq!(got, want, "{value:?}");
        }
        assert_eq!(max_age(&HeaderMap::new()), None);
    }
}
