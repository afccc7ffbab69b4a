//! What the page passes to `fetch()`: the method, the target, the headers, the body and the
//! credentials mode.

use super::safelist::is_http_whitespace;

/// One call of the page's `fetch(url, init)`: `Fetch::new("PUT", "/x")` is
/// `fetch(api + "/x", {method: "PUT"})`, with `mode: "cors"`.
///
/// The target is a path on the [`Browser`](super::Browser)'s server (`/items?page=2`), or an
/// absolute `http(s)://` URL whose origin may be another server's.
///
/// ```
/// use actix_cross_origin::test::Fetch;
///
/// let put = Fetch::new("PUT", "/api/items/7")
///     .header("Content-Type", "application/json")
///     .header("X-Token", "secret")
///     .body(r#"{"name":"seven"}"#)
///     .credentials(true);
/// # let _ = put;
/// ```
#[derive(Debug, Clone)]
pub struct Fetch {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) credentials: bool,
}

impl Fetch {
    /// A fetch of `target` (a path, or an absolute http(s) URL) with `method`, written as the
    /// page would write it: `fetch()` uppercases `get`, `put`, `delete` and the other standard
    /// methods, and sends any other method as written.
    ///
    /// ```
    /// use actix_cross_origin::test::Fetch;
    ///
    /// let get = Fetch::new("GET", "/api/items");
    /// let other_server = Fetch::new("GET", "https://cdn.example/logo.svg");
    /// # let _ = (get, other_server);
    /// ```
    pub fn new(method: impl Into<String>, target: impl Into<String>) -> Fetch {
        Fetch {
            method: method.into(),
            target: target.into(),
            headers: Vec::new(),
            body: None,
            credentials: false,
        }
    }

    /// Adds a request header, as `headers.append(name, value)` does: the value loses its
    /// leading and trailing whitespace, and a header a page may never set (`Cookie`, `Origin`,
    /// `Sec-*` and the other forbidden request-headers) is dropped without a word, as
    /// `fetch()` drops it.
    ///
    /// ```
    /// use actix_cross_origin::test::Fetch;
    ///
    /// let fetch = Fetch::new("GET", "/x").header("Authorization", "Bearer t");
    /// # let _ = fetch;
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Fetch {
        let value: String = value.into();
        self.headers.push((
            name.into(),
            value.trim_matches(is_http_whitespace).to_owned(),
        ));
        self
    }

    /// The request's body, as a string body is given to `fetch()`: without a `Content-Type`
    /// header of the page's, it goes with `Content-Type: text/plain;charset=UTF-8` (Fetch §5.2
    /// "extract a body"), which needs no preflight. A page sending JSON sets its own.
    ///
    /// ```
    /// use actix_cross_origin::test::Fetch;
    ///
    /// let fetch = Fetch::new("POST", "/x").header("Content-Type", "text/plain").body("hello");
    /// # let _ = fetch;
    /// ```
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Fetch {
        self.body = Some(body.into());
        self
    }

    /// `credentials: "include"` when `true`: cookies go with the request (not with its
    /// preflight), and the answer must grant credentials. `false` (the default) is fetch's
    /// `"same-origin"`, which sends none cross-origin.
    ///
    /// ```
    /// use actix_cross_origin::test::Fetch;
    ///
    /// let fetch = Fetch::new("GET", "/me").credentials(true);
    /// # let _ = fetch;
    /// ```
    pub fn credentials(mut self, include: bool) -> Fetch {
        self.credentials = include;
        self
    }
}

/// A target split into the server's origin and the path with its query (the fragment, which
/// a browser never sends, removed), or why `fetch()` throws.
pub(crate) fn split_target(target: &str, server: &str) -> Result<(String, String), String> {
    let target = target.split('#').next().unwrap_or(target);
    let (origin, path) = if target.starts_with('/') {
        (server, target)
    } else {
        let rest = target
            .strip_prefix("http://")
            .or_else(|| target.strip_prefix("https://"))
            .ok_or_else(|| {
                format!("target {target:?} is neither a path starting with `/` nor an http(s) URL")
            })?;
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if authority_end == 0 {
            return Err(format!("URL {target:?} has no host"));
        }
        let origin_len = target.len() - rest.len() + authority_end;
        (&target[..origin_len], &target[origin_len..])
    };
    let path = if path.starts_with('/') {
        percent_encode(path)
    } else {
        format!("/{}", percent_encode(path))
    };
    Ok((origin.to_owned(), path))
}

/// What the URL parser escapes in a path or query: controls, space, non-ASCII bytes, and
/// `"`, `<`, `>`, `` ` ``, `{`, `}`.
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for b in path.bytes() {
        if b <= 0x20 || b >= 0x7F || b"\"<>`{}".contains(&b) {
            encoded.push_str(&format!("%{b:02X}"));
        } else {
            encoded.push(char::from(b));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let server = "http://localhost:8080";
        for (target, want) in [
            ("/x", Ok((server, "/x"))),
            ("/x?a=1", Ok((server, "/x?a=1"))),
            ("https://api.example/y", Ok(("https://api.example", "/y"))),
            ("http://127.0.0.1:9/y?z", Ok(("http://127.0.0.1:9", "/y?z"))),
            ("https://api.example", Ok(("https://api.example", "/"))),
            ("https://api.example?q", Ok(("https://api.example", "/?q"))),
            ("/x#frag", Ok((server, "/x"))),
            (
                "/a b?c=d e&\"é\"",
                Ok((server, "/a%20b?c=d%20e&%22%C3%A9%22")),
            ),
            ("x", Err(())),
            ("ftp://x/y", Err(())),
            ("https:///y", Err(())),
        ] {
            let got = split_target(target, server).map_err(|_| ());
            let want = want.map(|(o, p): (&str, &str)| (o.to_owned(), p.to_owned()));
            assert_eq!(got, want, "{target}");
        }
    }

    #[test]
    fn header_values_are_trimmed() {
        let fetch = Fetch::new("GET", "/").header("X-A", " \t1 \r\n");
        assert_eq!(fetch.headers, [("X-A".to_owned(), "1".to_owned())]);
    }
}
