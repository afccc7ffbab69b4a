//! The console line each engine prints for a refusal. Chromium's and WebKit's texts are the
//! ones `tests/browser.rs` reads from Chromium 156 and WebKitGTK 2.50; Firefox writes its
//! console only to its devtools, so its lines are its own message strings
//! (`security.properties`), filled in the same way.

use std::time::Duration;

use super::refusal::{CorsFailure, Refusal};

/// A browser engine, for the console line it prints ([`Outcome::console`](super::Outcome::console))
/// and its preflight cache's limit ([`Engine::max_age_cap`]).
///
/// ```
/// use actix_cross_origin::test::Engine;
///
/// assert_eq!(Engine::WebKit.max_age_cap().as_secs(), 600);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Engine {
    /// Chromium and the browsers built on it (Chrome, Edge, Opera).
    Chromium,
    /// Firefox (Gecko).
    Firefox,
    /// WebKit (Safari, and every browser on iOS).
    WebKit,
}

impl Engine {
    /// The longest an engine keeps a preflight's answer, whatever its
    /// `Access-Control-Max-Age` says (the Fetch standard's "imposed limit", §4.8 step 7.10):
    /// Chromium 7200 s, Firefox 86400 s, WebKit 600 s.
    ///
    /// ```
    /// use actix_cross_origin::test::{Browser, Engine};
    ///
    /// let like_safari = Browser::new("https://app.example").max_age_cap(Engine::WebKit.max_age_cap());
    /// # let _ = like_safari;
    /// ```
    pub fn max_age_cap(self) -> Duration {
        Duration::from_secs(match self {
            Engine::Chromium => 7200,
            Engine::Firefox => 86_400,
            Engine::WebKit => 600,
        })
    }
}

/// What a console line needs besides the refusal.
pub(crate) struct Context<'a> {
    pub(crate) url: &'a str,
    pub(crate) origin: &'a str,
}

/// The engine's console line for `refusal`; `None` when `fetch()` throws before any network
/// activity (a `TypeError`, not a CORS message).
pub(crate) fn line(engine: Engine, refusal: &Refusal, cx: &Context<'_>) -> Option<String> {
    if let Refusal::InvalidRequest { .. } = refusal {
        return None;
    }
    Some(match engine {
        Engine::Chromium => format!(
            "Access to fetch at '{}' from origin '{}' has been blocked by CORS policy: {}",
            cx.url,
            cx.origin,
            chromium(refusal)
        ),
        Engine::WebKit => format!("CONSOLE SECURITY ERROR {}", webkit(refusal, cx)),
        Engine::Firefox => format!(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {}. (Reason: {}",
            cx.url,
            firefox(refusal)
        ),
    })
}

const CHROMIUM_PREFLIGHT: &str =
    "Response to preflight request doesn't pass access control check: ";
const CHROMIUM_VALID_VALUE: &str = " Have the server send the header with a valid value.";

/// Chromium checks the CORS fields of a preflight before its status.
fn chromium(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Preflight { cors: Some(cors), .. } => {
            format!("{CHROMIUM_PREFLIGHT}{}", chromium_cors(cors))
        }
        Refusal::Preflight { cors: None, .. } => {
            format!("{CHROMIUM_PREFLIGHT}It does not have HTTP ok status.")
        }
        Refusal::InvalidAllowMethods { .. } => {
            "Cannot parse Access-Control-Allow-Methods response header field in preflight response.".into()
        }
        Refusal::InvalidAllowHeaders { .. } => {
            "Cannot parse Access-Control-Allow-Headers response header field in preflight response.".into()
        }
        Refusal::Method { method } => format!(
            "Method {method} is not allowed by Access-Control-Allow-Methods in preflight response."
        ),
        Refusal::Header { name, .. } => format!(
            "Request header field {} is not allowed by Access-Control-Allow-Headers in preflight response.",
            name.to_ascii_lowercase()
        ),
        Refusal::Response { cors, .. } => chromium_cors(cors),
        Refusal::InvalidRequest { reason } => reason.clone(),
    }
}

fn chromium_cors(cors: &CorsFailure) -> String {
    match cors {
        CorsFailure::MissingAllowOrigin => {
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.".into()
        }
        CorsFailure::WildcardOriginWithCredentials => "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.".into(),
        // Chromium sorts a wrong value: a space or comma, an invalid URL, or another origin.
        CorsFailure::AllowOriginMismatch { value } if value.contains([' ', ',']) => format!(
            "The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed.{CHROMIUM_VALID_VALUE}"
        ),
        CorsFailure::AllowOriginMismatch { value } if value != "null" && !parses_as_url(value) => {
            format!("The 'Access-Control-Allow-Origin' header contains the invalid value '{value}'.{CHROMIUM_VALID_VALUE}")
        }
        CorsFailure::AllowOriginMismatch { value } => format!(
            "The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin.{CHROMIUM_VALID_VALUE}"
        ),
        CorsFailure::AllowCredentialsNotTrue { value } => format!(
            "The value of the 'Access-Control-Allow-Credentials' header in the response is '{}' which must be 'true' when the request's credentials mode is 'include'.",
            value.as_deref().unwrap_or("")
        ),
    }
}

/// Whether Chromium's URL parser takes `value` for a URL: a scheme, a colon, and for the
/// special schemes a host after `//`. Close enough to tell "invalid value" from "not equal".
fn parses_as_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    let scheme_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok {
        return false;
    }
    let special = ["http", "https", "ws", "wss", "ftp"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    if special {
        let host = rest.trim_start_matches(['/', '\\']);
        return !host.is_empty() && !host.starts_with([':', '?', '#']);
    }
    !rest.is_empty()
}

/// WebKit checks a preflight's status before its CORS fields, and words a missing and a wrong
/// `Access-Control-Allow-Origin` alike, with the status.
fn webkit(refusal: &Refusal, cx: &Context<'_>) -> String {
    match refusal {
        Refusal::Preflight { status, .. } if !(200..300).contains(status) => {
            format!("Preflight response is not successful. Status code: {status}")
        }
        Refusal::Preflight {
            status,
            cors: Some(cors),
        }
        | Refusal::Response { status, cors } => webkit_cors(cors, cx.origin, *status),
        Refusal::Method { method } => {
            format!("Method {method} is not allowed by Access-Control-Allow-Methods.")
        }
        Refusal::Header { name, .. } => {
            format!("Request header field {name} is not allowed by Access-Control-Allow-Headers.")
        }
        other => chromium(other),
    }
}

fn webkit_cors(cors: &CorsFailure, origin: &str, status: u16) -> String {
    match cors {
        CorsFailure::WildcardOriginWithCredentials => {
            "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
                .into()
        }
        CorsFailure::AllowOriginMismatch { value } if value.contains(',') => {
            "Access-Control-Allow-Origin cannot contain more than one origin.".into()
        }
        CorsFailure::MissingAllowOrigin | CorsFailure::AllowOriginMismatch { .. } => format!(
            "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"
        ),
        CorsFailure::AllowCredentialsNotTrue { .. } => {
            "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".".into()
        }
    }
}

/// Firefox, like WebKit, checks a preflight's status first. The line's tail after "(Reason: ".
fn firefox(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Preflight { status, .. } if !(200..300).contains(status) => format!(
            "CORS preflight response did not succeed). Status code: {status}."
        ),
        Refusal::Preflight { status, cors: Some(cors) } | Refusal::Response { status, cors } => {
            firefox_cors(cors, *status)
        }
        Refusal::InvalidAllowMethods { value } => format!(
            "invalid token ‘{}’ in CORS header ‘Access-Control-Allow-Methods’).",
            first_invalid(value)
        ),
        Refusal::InvalidAllowHeaders { value } => format!(
            "invalid token ‘{}’ in CORS header ‘Access-Control-Allow-Headers’).",
            first_invalid(value)
        ),
        Refusal::Method { .. } => {
            "Did not find method in CORS header ‘Access-Control-Allow-Methods’).".into()
        }
        Refusal::Header { name, .. } => format!(
            "header ‘{}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
            name.to_ascii_lowercase()
        ),
        other => chromium(other),
    }
}

fn firefox_cors(cors: &CorsFailure, status: u16) -> String {
    match cors {
        CorsFailure::MissingAllowOrigin => {
            format!("CORS header ‘Access-Control-Allow-Origin’ missing). Status code: {status}.")
        }
        CorsFailure::WildcardOriginWithCredentials => {
            "Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
                .into()
        }
        CorsFailure::AllowOriginMismatch { value } if value.contains(',') => {
            "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).".into()
        }
        CorsFailure::AllowOriginMismatch { value } => {
            format!("CORS header ‘Access-Control-Allow-Origin’ does not match ‘{value}’).")
        }
        CorsFailure::AllowCredentialsNotTrue { .. } => {
            "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).".into()
        }
    }
}

/// The first item of a list field that is not a token, as Firefox names it.
fn first_invalid(value: &str) -> &str {
    value
        .split(',')
        .map(str::trim)
        .find(|item| !item.is_empty() && !super::safelist::is_token(item))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CX: Context<'static> = Context {
        url: "http://127.0.0.1:8080/api/item",
        origin: "http://localhost:3000",
    };

    fn lines(refusal: Refusal) -> [String; 3] {
        Engine::ALL_FOR_TESTS.map(|e| line(e, &refusal, &CX).unwrap())
    }

    impl Engine {
        const ALL_FOR_TESTS: [Engine; 3] = [Engine::Chromium, Engine::WebKit, Engine::Firefox];
    }

    #[test]
    fn each_refusal_in_each_engine() {
        let chromium = |s: &str| {
            format!("Access to fetch at 'http://127.0.0.1:8080/api/item' from origin 'http://localhost:3000' has been blocked by CORS policy: {s}")
        };
        let webkit = |s: &str| format!("CONSOLE SECURITY ERROR {s}");
        let firefox = |s: &str| {
            format!("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/api/item. (Reason: {s}")
        };
        let mismatch = |v: &str| CorsFailure::AllowOriginMismatch { value: v.into() };
        let cases = [
            (
                Refusal::Method { method: "DELETE".into() },
                "Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.",
                "Method DELETE is not allowed by Access-Control-Allow-Methods.",
                "Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
            ),
            (
                Refusal::Header { name: "X-Forbidden".into(), wildcard: false, credentials: false },
                "Request header field x-forbidden is not allowed by Access-Control-Allow-Headers in preflight response.",
                "Request header field X-Forbidden is not allowed by Access-Control-Allow-Headers.",
                "header ‘x-forbidden’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
            ),
            (
                Refusal::Preflight { status: 204, cors: Some(CorsFailure::MissingAllowOrigin) },
                "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
                "Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 204",
                "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 204.",
            ),
            (
                Refusal::Preflight { status: 403, cors: Some(CorsFailure::MissingAllowOrigin) },
                "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
                "Preflight response is not successful. Status code: 403",
                "CORS preflight response did not succeed). Status code: 403.",
            ),
            (
                Refusal::Preflight { status: 500, cors: None },
                "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
                "Preflight response is not successful. Status code: 500",
                "CORS preflight response did not succeed). Status code: 500.",
            ),
            (
                Refusal::Response { status: 200, cors: CorsFailure::MissingAllowOrigin },
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
                "Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200",
                "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.",
            ),
            (
                Refusal::Response { status: 200, cors: mismatch("origin-not-allowed") },
                "The 'Access-Control-Allow-Origin' header contains the invalid value 'origin-not-allowed'. Have the server send the header with a valid value.",
                "Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200",
                "CORS header ‘Access-Control-Allow-Origin’ does not match ‘origin-not-allowed’).",
            ),
            (
                Refusal::Response { status: 200, cors: mismatch("https://a.example") },
                "The 'Access-Control-Allow-Origin' header has a value 'https://a.example' that is not equal to the supplied origin. Have the server send the header with a valid value.",
                "Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200",
                "CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://a.example’).",
            ),
            (
                Refusal::Response { status: 200, cors: mismatch("http://localhost:3000, http://localhost:3000") },
                "The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:3000, http://localhost:3000', but only one is allowed. Have the server send the header with a valid value.",
                "Access-Control-Allow-Origin cannot contain more than one origin.",
                "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).",
            ),
            (
                Refusal::Response { status: 200, cors: CorsFailure::WildcardOriginWithCredentials },
                "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
                "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.",
                "Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
            ),
            (
                Refusal::Response { status: 200, cors: CorsFailure::AllowCredentialsNotTrue { value: None } },
                "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
                "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
                "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
            ),
            (
                Refusal::InvalidAllowHeaders { value: "x-a, x b".into() },
                "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
                "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
                "invalid token ‘x b’ in CORS header ‘Access-Control-Allow-Headers’).",
            ),
        ];
        for (refusal, c, w, f) in cases {
            let got = lines(refusal.clone());
            assert_eq!(got, [chromium(c), webkit(w), firefox(f)], "{refusal:?}");
        }
        let invalid = Refusal::InvalidRequest { reason: "x".into() };
        assert_eq!(line(Engine::Chromium, &invalid, &CX), None);
    }

    #[test]
    fn chromium_url_sorting() {
        for (value, url) in [
            ("https://a.example", true),
            ("http://localhost:3000", true),
            ("origin-not-allowed", false),
            ("https://", false),
            ("mailto:x", true),
            ("1http://x", false),
            ("*.example.com", false),
        ] {
            assert_eq!(parses_as_url(value), url, "{value}");
        }
    }
}
