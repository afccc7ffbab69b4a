//! A small cookie jar: what answers set, sent back to the same host. Enough for a login
//! followed by a request with credentials; not a full RFC 6265 store.

use actix_web::http::header::HeaderMap;

/// Cookies by the host that set them.
#[derive(Debug, Clone, Default)]
pub(crate) struct CookieJar {
    cookies: Vec<Cookie>,
}

#[derive(Debug, Clone)]
struct Cookie {
    host: String,
    name: String,
    value: String,
    /// `SameSite=None`: sent on cross-site requests too. Any other cookie is sent only when
    /// the page is on the cookie's host, as Chromium treats a cookie without `SameSite` as
    /// `Lax`.
    cross_site: bool,
}

/// The host of a serialized origin, without scheme or port.
fn host(origin: &str) -> &str {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    if let Some(v6) = rest.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    rest.split(':').next().unwrap_or(rest)
}

impl CookieJar {
    /// Keeps each `Set-Cookie` of an answer from `server`; `Max-Age=0` (or less) removes the
    /// cookie.
    pub(crate) fn store(&mut self, server: &str, headers: &HeaderMap) {
        for value in headers.get_all("set-cookie") {
            let Ok(value) = value.to_str() else { continue };
            let mut parts = value.split(';');
            let Some((name, cookie_value)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let (name, cookie_value) = (name.trim(), cookie_value.trim());
            if name.is_empty() {
                continue;
            }
            let mut cross_site = false;
            let mut expired = false;
            for attribute in parts {
                let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
                let key = key.trim();
                if key.eq_ignore_ascii_case("samesite") {
                    cross_site = val.trim().eq_ignore_ascii_case("none");
                } else if key.eq_ignore_ascii_case("max-age") {
                    expired = val.trim().parse::<i64>().is_ok_and(|s| s <= 0);
                }
            }
            let host = host(server).to_owned();
            self.cookies.retain(|c| !(c.host == host && c.name == name));
            if !expired {
                self.cookies.push(Cookie {
                    host,
                    name: name.to_owned(),
                    value: cookie_value.to_owned(),
                    cross_site,
                });
            }
        }
    }

    /// The `Cookie` field for a request from a page on `page` to `server`, if any cookie goes.
    pub(crate) fn header(&self, server: &str, page: &str) -> Option<String> {
        let server_host = host(server);
        let same_host = host(page) == server_host;
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| c.host == server_host && (same_host || c.cross_site))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn set(jar: &mut CookieJar, server: &str, cookies: &[&str]) {
        let mut headers = HeaderMap::new();
        for c in cookies {
            headers.append(
                actix_web::http::header::SET_COOKIE,
                HeaderValue::from_str(c).unwrap(),
            );
        }
        jar.store(server, &headers);
    }

    #[test]
    fn cookies_go_back_to_their_host() {
        let mut jar = CookieJar::default();
        set(
            &mut jar,
            "http://127.0.0.1:9000",
            &["session=abc; Path=/; SameSite=Lax", "x=1"],
        );
        assert_eq!(
            jar.header("http://127.0.0.1:9000", "http://127.0.0.1:3000")
                .as_deref(),
            Some("session=abc; x=1")
        );
        assert_eq!(
            jar.header("http://127.0.0.1:9000", "http://localhost:3000"),
            None,
            "cross-site"
        );
        assert_eq!(
            jar.header("http://localhost:9000", "http://localhost:3000"),
            None,
            "another host"
        );
        set(
            &mut jar,
            "http://127.0.0.1:9000",
            &[
                "t=2; SameSite=None; Secure",
                "x=; Max-Age=0",
                "=nameless",
                "garbage",
            ],
        );
        assert_eq!(
            jar.header("http://127.0.0.1:9000", "https://app.example")
                .as_deref(),
            Some("t=2")
        );
        assert_eq!(
            jar.header("http://127.0.0.1:9000", "http://127.0.0.1")
                .as_deref(),
            Some("session=abc; t=2")
        );
        assert_eq!(host("http://[::1]:8080"), "::1");
    }
}
