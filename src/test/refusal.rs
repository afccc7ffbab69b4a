//! Why a browser refused a fetch, in the Fetch standard's terms: the step that failed and the
//! field at fault.

use std::fmt;

/// How a response failed the CORS check (Fetch §4.10), on a preflight or on the actual
/// response.
///
/// ```
/// use actix_cross_origin::test::CorsFailure;
///
/// let failure = CorsFailure::AllowOriginMismatch { value: "https://other.example".into() };
/// assert!(failure.to_string().contains("https://other.example"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CorsFailure {
    /// The response has no `Access-Control-Allow-Origin` field.
    MissingAllowOrigin,
    /// `Access-Control-Allow-Origin: *` answered a request with credentials: `*` grants only
    /// requests without them.
    WildcardOriginWithCredentials,
    /// `Access-Control-Allow-Origin` is not the page's origin byte for byte. Two fields (or a
    /// list) read as one value with a comma, which never matches.
    AllowOriginMismatch {
        /// Every `Access-Control-Allow-Origin` value, joined by `, `.
        value: String,
    },
    /// A request with credentials got an `Access-Control-Allow-Credentials` other than exactly
    /// `true`.
    AllowCredentialsNotTrue {
        /// The field's value, `None` when it is absent.
        value: Option<String>,
    },
}

impl fmt::Display for CorsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorsFailure::MissingAllowOrigin => f.write_str("no Access-Control-Allow-Origin field"),
            CorsFailure::WildcardOriginWithCredentials => f.write_str(
                "Access-Control-Allow-Origin is `*`, which never grants a request with credentials",
            ),
            CorsFailure::AllowOriginMismatch { value } if value.contains(',') => write!(
                f,
                "Access-Control-Allow-Origin has more than one value ({value:?}); exactly one is allowed"
            ),
            CorsFailure::AllowOriginMismatch { value } => write!(
                f,
                "Access-Control-Allow-Origin is {value:?}, not the page's origin"
            ),
            CorsFailure::AllowCredentialsNotTrue { value: None } => f.write_str(
                "no Access-Control-Allow-Credentials field, which must be `true` for a request with credentials",
            ),
            CorsFailure::AllowCredentialsNotTrue { value: Some(value) } => write!(
                f,
                "Access-Control-Allow-Credentials is {value:?}, not `true`, for a request with credentials"
            ),
        }
    }
}

/// Why the model's browser refused a fetch: the page's `fetch()` rejects, and the service's
/// answer (if any) is hidden from it. [`Outcome::reason`](super::Outcome::reason) returns it;
/// [`Outcome::console`](super::Outcome::console) words it as each engine does.
///
/// ```
/// use actix_cross_origin::test::{Browser, Fetch, Refusal};
/// use actix_web::{test, web, App};
///
/// # actix_rt::System::new().block_on(async {
/// // A handler that answers preflights with a 403.
/// let app = test::init_service(App::new().route(
///     "/x",
///     web::route().to(|| async { actix_web::HttpResponse::Forbidden().finish() }),
/// ))
/// .await;
/// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("PUT", "/x")).await;
/// assert!(matches!(outcome.reason(), Some(Refusal::Preflight { status: 403, .. })));
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// `fetch()` throws before sending anything: a forbidden or malformed method, or a target
    /// that is not a path or an http(s) URL.
    InvalidRequest {
        /// What is wrong with the request.
        reason: String,
    },
    /// The preflight failed (Fetch §4.8 step 7): its status is not ok (200 to 299), or it
    /// fails the CORS check, or both.
    Preflight {
        /// The preflight's status.
        status: u16,
        /// How it failed the CORS check; `None` when only its status failed.
        cors: Option<CorsFailure>,
    },
    /// The preflight's `Access-Control-Allow-Methods` is not a list of methods (Fetch §4.8
    /// step 7.3).
    InvalidAllowMethods {
        /// The field's value.
        value: String,
    },
    /// The preflight's `Access-Control-Allow-Headers` is not a list of header names (Fetch
    /// §4.8 step 7.3).
    InvalidAllowHeaders {
        /// The field's value.
        value: String,
    },
    /// The preflight does not allow the method (Fetch §4.8 step 7.5).
    Method {
        /// The method, as sent.
        method: String,
    },
    /// The preflight does not allow a request header (Fetch §4.8 steps 7.6 and 7.7).
    Header {
        /// The header's name, as the page wrote it.
        name: String,
        /// The preflight answered `Access-Control-Allow-Headers: *`, which did not cover it:
        /// the request has credentials, or the header is `Authorization`, which `*` never
        /// covers in the Fetch standard.
        wildcard: bool,
        /// The request has credentials.
        credentials: bool,
    },
    /// The actual response fails the CORS check (Fetch §4.10).
    Response {
        /// The response's status.
        status: u16,
        /// How it failed.
        cors: CorsFailure,
    },
}

impl Refusal {
    /// Whether all three engines, in their default settings, let this request through where
    /// the Fetch standard refuses it: `Authorization` under `Access-Control-Allow-Headers: *`
    /// without credentials (whatwg/fetch#1919). Chromium follows the standard with
    /// `--enable-features=CorsNonWildcardRequestHeadersSupport`, Firefox with
    /// `network.cors_preflight.authorization_covered_by_wildcard` set to false; WebKit has no
    /// switch.
    ///
    /// ```
    /// use actix_cross_origin::test::Refusal;
    ///
    /// let refusal = Refusal::Header { name: "Authorization".into(), wildcard: true, credentials: false };
    /// assert!(refusal.engines_allow_by_default());
    /// ```
    pub fn engines_allow_by_default(&self) -> bool {
        matches!(
            self,
            Refusal::Header { name, wildcard: true, credentials: false }
                if name.eq_ignore_ascii_case("authorization")
        )
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::InvalidRequest { reason } => write!(f, "fetch() throws: {reason}"),
            Refusal::Preflight { status, cors: None } => write!(
                f,
                "the preflight's status {status} is not an ok status (200 to 299)"
            ),
            Refusal::Preflight { status, cors: Some(cors) } if (200..300).contains(status) => {
                write!(f, "the preflight fails the CORS check: {cors}")
            }
            Refusal::Preflight { status, cors: Some(cors) } => write!(
                f,
                "the preflight's status {status} is not an ok status (200 to 299), and it fails the CORS check: {cors}"
            ),
            Refusal::InvalidAllowMethods { value } => write!(
                f,
                "the preflight's Access-Control-Allow-Methods {value:?} is not a list of methods"
            ),
            Refusal::InvalidAllowHeaders { value } => write!(
                f,
                "the preflight's Access-Control-Allow-Headers {value:?} is not a list of header names"
            ),
            Refusal::Method { method } => write!(
                f,
                "method {method} is not allowed by the preflight's Access-Control-Allow-Methods"
            ),
            Refusal::Header { name, .. } if self.engines_allow_by_default() => write!(
                f,
                "request header {name} is not allowed by the preflight's Access-Control-Allow-Headers: \
                 `*` never covers Authorization in the Fetch standard, so list it by name \
                 (Chromium, Firefox and WebKit let it through by default, whatwg/fetch#1919)"
            ),
            Refusal::Header { name, wildcard: true, .. } => write!(
                f,
                "request header {name} is not allowed by the preflight's Access-Control-Allow-Headers: \
                 with credentials `*` is only a name, so list it by name"
            ),
            Refusal::Header { name, .. } => write!(
                f,
                "request header {name} is not allowed by the preflight's Access-Control-Allow-Headers"
            ),
            Refusal::Response { status, cors } => {
                write!(f, "the response ({status}) fails the CORS check: {cors}")
            }
        }
    }
}
