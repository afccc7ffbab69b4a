//! The CORS decision: a pure function of a small view of the request and a compiled policy.
//!
//! Nothing here touches actix's pipeline: the middleware picks the policy for the routed path
//! ([`CompiledCors::policy_for`](crate::policy::CompiledCors::policy_for)), extracts a
//! [`RequestView`], calls [`decide`], and applies the [`Decision`]. Nothing here allocates or panics, whatever bytes
//! the request holds.

use std::fmt;

use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;

use crate::fetch;
use crate::headers::{self, Escaped, RequestHeadersError};
use crate::origin::{self, OriginVerdict, SyntaxError};
use crate::policy::{Policy, WithoutOrigin};

/// `Access-Control-Request-Private-Network` (Private Network Access draft).
pub(crate) const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// The parts of a request the decision looks at, borrowed from it.
///
/// Each field is looked up once, and only when the decision needs it: every request needs its
/// `Origin`, only an `OPTIONS` request its `Access-Control-Request-Method`, and only a preflight
/// whose origin and method are granted the rest ([`RequestView::request_headers`],
/// [`RequestView::private_network`]), since Fetch §4.8 checks them in that order.
#[derive(Clone, Copy)]
pub(crate) struct RequestView<'a> {
    /// The request's method is `OPTIONS`.
    pub(crate) options: bool,
    /// Every `Origin` field line (a well-formed request has at most one).
    pub(crate) origin: &'a [HeaderValue],
    /// Every `Access-Control-Request-Method` field line.
    pub(crate) request_method: &'a [HeaderValue],
    /// The whole head, for a user's origin predicate and the preflight's later fields.
    pub(crate) head: &'a RequestHead,
}

impl<'a> RequestView<'a> {
    #[inline]
    pub(crate) fn new(head: &'a RequestHead) -> Self {
        let h = &head.headers;
        let origin = match h.get_all(header::ORIGIN).as_slice() {
            // An empty `Origin:` is no Origin: it is never echoed.
            [one] if one.is_empty() => &[],
            lines => lines,
        };
        let options = head.method == Method::OPTIONS;
        // Only an OPTIONS request can be a preflight; spare every other request the lookup.
        let request_method = match options {
            true => h.get_all(header::ACCESS_CONTROL_REQUEST_METHOD).as_slice(),
            false => &[],
        };
        RequestView {
            options,
            origin,
            request_method,
            head,
        }
    }

    /// Every `Access-Control-Request-Headers` field line.
    pub(crate) fn request_headers(&self) -> &'a [HeaderValue] {
        let h = &self.head.headers;
        h.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS).as_slice()
    }

    /// `Access-Control-Request-Private-Network: true` was sent.
    pub(crate) fn private_network(&self) -> bool {
        let h = &self.head.headers;
        h.get(REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true")
    }

    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method` (Fetch standard, section
    /// 3.2.2, "CORS-preflight request").
    pub(crate) fn is_preflight(&self) -> bool {
        self.options && !self.origin.is_empty() && !self.request_method.is_empty()
    }

    /// `OPTIONS` with `Access-Control-Request-Method` but no `Origin`: what a developer sends
    /// with curl to see the preflight answer. No browser sends it.
    fn is_preflight_without_origin(&self) -> bool {
        self.options && self.origin.is_empty() && !self.request_method.is_empty()
    }
}

/// What the `Access-Control-Allow-Origin` of an answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AllowOrigin<'a> {
    /// `*`.
    Any,
    /// The request's own `Origin`, byte for byte (possibly the policy's identical copy).
    Echo(&'a HeaderValue),
}

impl AllowOrigin<'_> {
    #[inline]
    pub(crate) fn to_value(self) -> HeaderValue {
        match self {
            AllowOrigin::Any => HeaderValue::from_static("*"),
            AllowOrigin::Echo(v) => v.clone(),
        }
    }
}

/// A preflight that is granted, with what the answer must echo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PreflightGrant<'a> {
    pub(crate) allow_origin: AllowOrigin<'a>,
    /// The method asked for (echoed when any method is allowed).
    pub(crate) method: &'a HeaderValue,
    /// The header lines asked for, echoed when at least one name was asked for.
    pub(crate) request_headers: Option<&'a [HeaderValue]>,
    pub(crate) private_network: bool,
}

/// What the answer to an actual (or non-CORS) request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Actual<'a> {
    /// `Some` when the origin is granted (or a value that does not depend on it is sent);
    /// credentials and exposed headers go with it.
    pub(crate) allow_origin: Option<AllowOrigin<'a>>,
    /// Set when the origin was not granted, for the log line.
    pub(crate) refusal: Option<Refusal<'a>>,
    /// A plain `OPTIONS` the middleware answers itself if no handler does.
    pub(crate) automatic_options: bool,
    /// The request has an `Origin`: a browser sent it across origins.
    pub(crate) cross_origin: bool,
}

/// Why a request was refused; borrows the offending request bytes for the log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal<'a> {
    OriginMissing,
    OriginRepeated,
    OriginMalformed(&'a [u8], SyntaxError),
    OriginNotAllowed(&'a [u8]),
    NullOrigin,
    InsecureOrigin(&'a [u8]),
    MethodRepeated,
    MethodMalformed(&'a [u8]),
    MethodNotAllowed(&'a [u8]),
    HeadersTooLong(usize),
    HeaderMalformed(&'a [u8]),
    HeaderNotAllowed(&'a [u8]),
    PrivateNetworkNotAllowed,
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Refusal::OriginMissing => f.write_str("the request has no Origin header"),
            Refusal::OriginRepeated => f.write_str("the request has more than one Origin header"),
            Refusal::OriginMalformed(o, e) => {
                write!(f, "origin {} is malformed: {}", Escaped(o), e.describe())
            }
            // Listed origins are matched without parsing; say why the value is malformed only
            // when the line is written.
            Refusal::OriginNotAllowed(o) => match origin::parse(o) {
                Err(e) => write!(f, "origin {} is malformed: {}", Escaped(o), e.describe()),
                Ok(_) => write!(f, "origin {} is not allowed", Escaped(o)),
            },
            Refusal::NullOrigin => f.write_str(
                "origin \"null\" is never allowed by a list, pattern, regex or predicate",
            ),
            Refusal::InsecureOrigin(o) => write!(
                f,
                "origin {} matched a regex or predicate but is not https while credentials are on",
                Escaped(o)
            ),
            Refusal::MethodRepeated => {
                f.write_str("the request has more than one Access-Control-Request-Method header")
            }
            Refusal::MethodMalformed(m) => {
                write!(f, "requested method {} is not a method name", Escaped(m))
            }
            Refusal::MethodNotAllowed(m) => write!(f, "method {} is not allowed", Escaped(m)),
            Refusal::HeadersTooLong(n) => write!(
                f,
                "Access-Control-Request-Headers is {n} bytes, more than the {} bytes read",
                headers::MAX_REQUEST_HEADERS_LEN
            ),
            Refusal::HeaderMalformed(h) => {
                write!(f, "requested header {} is not a header name", Escaped(h))
            }
            Refusal::HeaderNotAllowed(h) => write!(f, "header {} is not allowed", Escaped(h)),
            Refusal::PrivateNetworkNotAllowed => {
                f.write_str("private network access was requested but allow_private_network is off")
            }
        }
    }
}

/// A preflight that is refused, with what its answer may still say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PreflightRefusal<'a> {
    pub(crate) refusal: Refusal<'a>,
    /// `Some` when the origin is granted and only the method, a header or private network
    /// access is refused: the answer then carries the origin's grant and what the policy
    /// allows, so that every engine names the method or header at fault rather than the
    /// origin.
    pub(crate) origin_granted: Option<AllowOrigin<'a>>,
    /// The method asked for, when it is granted (a header or private network access is
    /// refused).
    pub(crate) method_granted: Option<&'a HeaderValue>,
    /// The header lines asked for, when they are granted and name at least one header
    /// (private network access is refused).
    pub(crate) headers_granted: Option<&'a [HeaderValue]>,
}

impl<'a> PreflightRefusal<'a> {
    /// A refusal after the origin was granted. Only a refusal a browser can meet keeps the
    /// grant: a method or header the policy does not allow, or private network access. A
    /// request no browser sends (a repeated or malformed method, a malformed or oversized
    /// header list) gets no grant at all, since the policy's lists might then let it pass.
    fn after_origin(
        refusal: Refusal<'a>,
        origin: AllowOrigin<'a>,
        method_granted: Option<&'a HeaderValue>,
        headers_granted: Option<&'a [HeaderValue]>,
    ) -> Self {
        let browser_may_ask = matches!(
            refusal,
            Refusal::MethodNotAllowed(_)
                | Refusal::HeaderNotAllowed(_)
                | Refusal::PrivateNetworkNotAllowed
        );
        PreflightRefusal {
            refusal,
            origin_granted: browser_may_ask.then_some(origin),
            method_granted,
            headers_granted,
        }
    }
}

impl<'a> From<Refusal<'a>> for PreflightRefusal<'a> {
    /// A refusal of the origin itself: the answer grants nothing.
    fn from(refusal: Refusal<'a>) -> Self {
        PreflightRefusal {
            refusal,
            origin_granted: None,
            method_granted: None,
            headers_granted: None,
        }
    }
}

/// The outcome of a preflight's checks.
pub(crate) type PreflightResult<'a> = Result<PreflightGrant<'a>, PreflightRefusal<'a>>;

impl Refusal<'_> {
    /// The option that refused: what a developer changes to grant the request.
    pub(crate) fn option(&self) -> &'static str {
        match self {
            Refusal::OriginMissing
            | Refusal::OriginRepeated
            | Refusal::OriginMalformed(..)
            | Refusal::OriginNotAllowed(_)
            | Refusal::NullOrigin
            | Refusal::InsecureOrigin(_) => "origins",
            Refusal::MethodRepeated
            | Refusal::MethodMalformed(_)
            | Refusal::MethodNotAllowed(_) => "methods",
            Refusal::HeadersTooLong(_)
            | Refusal::HeaderMalformed(_)
            | Refusal::HeaderNotAllowed(_) => "allow_headers",
            Refusal::PrivateNetworkNotAllowed => "allow_private_network",
        }
    }
}

/// What the middleware does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision<'a> {
    /// A preflight, answered by the middleware without calling the handler.
    Preflight(PreflightResult<'a>),
    /// An actual or non-CORS request: the handler runs, then its answer gets the fields.
    Actual(Actual<'a>),
}

/// Decides what to do with a request under `policy`.
#[inline]
pub(crate) fn decide<'a>(policy: &'a Policy, req: &RequestView<'a>) -> Decision<'a> {
    if req.is_preflight() || (req.is_preflight_without_origin() && policy.without_origin.is_some())
    {
        return Decision::Preflight(preflight(policy, req));
    }
    let automatic_options = req.options && policy.automatic_options.is_some();
    let (allow_origin, refusal) = if req.origin.is_empty() {
        // Not a CORS request. flask-cors's always_send: only a value that does not depend on
        // the origin can be sent.
        (without_origin(policy), None)
    } else if policy.same_answer_for_every_origin() {
        // `*` for every request, whatever its Origin: the answer is the same for everyone, so
        // no cache can be poisoned by a request with a strange Origin.
        (Some(AllowOrigin::Any), None)
    } else {
        match check_origin(policy, req) {
            Ok(allow) => (Some(allow), None),
            Err(refusal) => (None, Some(refusal)),
        }
    };
    Decision::Actual(Actual {
        allow_origin,
        refusal,
        automatic_options,
        cross_origin: !req.origin.is_empty(),
    })
}

fn without_origin(policy: &Policy) -> Option<AllowOrigin<'_>> {
    match policy.without_origin.as_ref()? {
        WithoutOrigin::Any => Some(AllowOrigin::Any),
        WithoutOrigin::Listed(origin) => Some(AllowOrigin::Echo(origin)),
    }
}

#[inline]
fn check_origin<'a>(
    policy: &'a Policy,
    req: &RequestView<'a>,
) -> Result<AllowOrigin<'a>, Refusal<'a>> {
    let value = match req.origin {
        [one] => one,
        // A preflight without Origin is decided only when `without_origin` answers it.
        [] => return without_origin(policy).ok_or(Refusal::OriginMissing),
        _ => return Err(Refusal::OriginRepeated),
    };
    let bytes = value.as_bytes();
    match policy.origins.check(bytes, req.head) {
        OriginVerdict::Granted(_) if policy.send_wildcard => Ok(AllowOrigin::Any),
        // The policy's copy of a listed origin is byte-equal to the request's.
        OriginVerdict::Granted(listed) => Ok(AllowOrigin::Echo(listed.unwrap_or(value))),
        OriginVerdict::NotListed => Err(Refusal::OriginNotAllowed(bytes)),
        OriginVerdict::Malformed(e) => Err(Refusal::OriginMalformed(bytes, e)),
        OriginVerdict::NullRefused => Err(Refusal::NullOrigin),
        OriginVerdict::InsecureRefused => Err(Refusal::InsecureOrigin(bytes)),
    }
}

/// The CORS-preflight fetch's checks (Fetch §4.8), in the standard's order: the CORS check
/// of the origin (§4.9), then the method, then the headers; a refusal after the origin keeps
/// what was granted before it.
fn preflight<'a>(policy: &'a Policy, req: &RequestView<'a>) -> PreflightResult<'a> {
    let allow_origin = check_origin(policy, req)?;
    let refused = |refusal, method_granted, headers_granted| {
        PreflightRefusal::after_origin(refusal, allow_origin, method_granted, headers_granted)
    };
    let method = check_method(policy, req).map_err(|r| refused(r, None, None))?;
    let request_headers = check_headers(req, policy).map_err(|r| refused(r, Some(method), None))?;
    // Private Network Access (a draft beside Fetch): asked for only by Chromium. The headers
    // are answered as a grant answers them: echoed when any was named, none otherwise.
    let private_network = req.private_network();
    if private_network && !policy.private_network {
        let headers = request_headers.unwrap_or_default();
        return Err(refused(
            Refusal::PrivateNetworkNotAllowed,
            Some(method),
            Some(headers),
        ));
    }
    Ok(PreflightGrant {
        allow_origin,
        method,
        request_headers,
        private_network,
    })
}

/// The method check (Fetch §4.8 step 7.5): one token, listed or CORS-safelisted.
fn check_method<'a>(
    policy: &Policy,
    req: &RequestView<'a>,
) -> Result<&'a HeaderValue, Refusal<'a>> {
    let method = match req.request_method {
        [one] => one,
        _ => return Err(Refusal::MethodRepeated),
    };
    let m = method.as_bytes();
    if !headers::is_token(m) {
        return Err(Refusal::MethodMalformed(m));
    }
    // A safelisted method needs no permission: a page may always send it (Fetch §4.8).
    if !(policy.methods.contains(m) || fetch::is_safelisted_method(m)) {
        return Err(Refusal::MethodNotAllowed(m));
    }
    Ok(method)
}

/// The header check (Fetch §4.8 step 7.7): every name asked for is allowed. Returns the lines
/// to echo when at least one name was asked for.
fn check_headers<'a>(
    req: &RequestView<'a>,
    policy: &Policy,
) -> Result<Option<&'a [HeaderValue]>, Refusal<'a>> {
    let lines = req.request_headers();
    let any_header =
        headers::check_request_headers(lines, &policy.allow_headers).map_err(|e| match e {
            RequestHeadersError::TooLong(n) => Refusal::HeadersTooLong(n),
            RequestHeadersError::Malformed(h) => Refusal::HeaderMalformed(h),
            RequestHeadersError::NotAllowed(h) => Refusal::HeaderNotAllowed(h),
        })?;
    Ok(any_header.then_some(lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;
    use crate::CorsOptions;
    use actix_web::test::TestRequest;

    fn policy(o: CorsOptions) -> Policy {
        let compiled = validate::compile(&o, None).unwrap_or_else(|e| panic!("{e}"));
        compiled.cors.top.expect("top-level policy")
    }

    fn listed(origins: &[&str]) -> CorsOptions {
        CorsOptions {
            origins: Some(origins.iter().map(|s| s.to_string()).collect()),
            ..CorsOptions::default()
        }
    }

    /// Builds a request head from (name, value) pairs and runs the decision on it.
    fn run<T>(
        p: &Policy,
        method: Method,
        headers: &[(&str, &[u8])],
        check: impl FnOnce(Decision<'_>) -> T,
    ) -> T {
        let mut req = TestRequest::default().method(method).uri("/x");
        for (name, value) in headers {
            req = req.append_header((*name, HeaderValue::from_bytes(value).unwrap()));
        }
        let req = req.to_srv_request();
        let view = RequestView::new(req.head());
        check(decide(p, &view))
    }

    fn granted_origin(d: &Decision<'_>) -> Option<Vec<u8>> {
        match d {
            Decision::Actual(actual) => actual
                .allow_origin
                .map(|a| a.to_value().as_bytes().to_vec()),
            Decision::Preflight(Ok(g)) => Some(g.allow_origin.to_value().as_bytes().to_vec()),
            _ => None,
        }
    }

    #[test]
    fn actual_requests_table() {
        let p = policy(listed(&[
            "https://a.example.com",
            "https://*.b.example.com",
            "http://localhost:*",
        ]));
        let cases: &[(&[u8], Option<&[u8]>)] = &[
            (b"https://a.example.com", Some(b"https://a.example.com")),
            (b"https://x.b.example.com", Some(b"https://x.b.example.com")),
            (
                b"https://x.y.b.example.com",
                Some(b"https://x.y.b.example.com"),
            ),
            (b"http://localhost", Some(b"http://localhost")),
            (b"http://localhost:5173", Some(b"http://localhost:5173")),
            (b"https://b.example.com", None),
            (b"http://a.example.com", None),
            (b"https://a.example.com.evil.io", None),
            (b"https://evila.example.com", None),
            (b"https://A.example.com", None),
            (b"https://a.example.com/", None),
            (b"https://a.example.com:443", None),
            (b"https://x.b.example.com:8443", None),
            (b"http://localhost.evil.io", None),
            (b"null", None),
            // An empty Origin is no Origin: always_send answers the one listed origin.
            (b"", Some(b"https://a.example.com")),
            (b"\xff\xfe", None),
        ];
        for (origin, want) in cases {
            let got = run(&p, Method::GET, &[("origin", origin)], |d| {
                granted_origin(&d)
            });
            assert_eq!(got.as_deref(), *want, "{}", String::from_utf8_lossy(origin));
        }
    }

    #[test]
    fn refusal_reasons() {
        let p = policy(CorsOptions {
            methods: vec!["PUT".into()],
            allow_headers: vec!["X-Token".into()],
            ..listed(&["https://a.com"])
        });
        let o: (&str, &[u8]) = ("origin", b"https://a.com");
        let acrm = |m: &'static [u8]| ("access-control-request-method", m);
        type Headers<'h> = Vec<(&'h str, &'h [u8])>;
        let cases: Vec<(Headers<'_>, &str)> = vec![
            (
                vec![("origin", b"https://b.com"), acrm(b"PUT")],
                "OriginNotAllowed",
            ),
            (vec![("origin", b"null"), acrm(b"PUT")], "NullOrigin"),
            // With only listed origins a malformed value is simply not listed; the log line
            // still says why it is malformed (see `malformed_origins_are_explained`).
            (
                vec![("origin", b"https://a.com/"), acrm(b"PUT")],
                "OriginNotAllowed",
            ),
            (
                vec![o, ("origin", b"https://a.com"), acrm(b"PUT")],
                "OriginRepeated",
            ),
            (vec![o, acrm(b"DELETE")], "MethodNotAllowed"),
            (vec![o, acrm(b"put")], "MethodNotAllowed"),
            (vec![o, acrm(b"PU T")], "MethodMalformed"),
            (vec![o, acrm(b"PUT"), acrm(b"PUT")], "MethodRepeated"),
            (
                vec![
                    o,
                    acrm(b"PUT"),
                    ("access-control-request-headers", b"x-other"),
                ],
                "HeaderNotAllowed",
            ),
            (
                vec![o, acrm(b"PUT"), ("access-control-request-headers", b"x(y")],
                "HeaderMalformed",
            ),
            (
                vec![
                    o,
                    acrm(b"PUT"),
                    ("access-control-request-private-network", b"true"),
                ],
                "PrivateNetworkNotAllowed",
            ),
        ];
        for (headers, want) in cases {
            let got = run(&p, Method::OPTIONS, &headers, |d| match d {
                Decision::Preflight(Err(r)) => format!("{:?}", r.refusal),
                other => format!("not refused: {other:?}"),
            });
            assert!(got.starts_with(want), "{headers:?}: {got}");
        }
        let big = vec![b','; 1 << 20];
        let got = run(
            &p,
            Method::OPTIONS,
            &[o, acrm(b"PUT"), ("access-control-request-headers", &big)],
            |d| {
                matches!(
                    d,
                    Decision::Preflight(Err(PreflightRefusal {
                        refusal: Refusal::HeadersTooLong(_),
                        ..
                    }))
                )
            },
        );
        assert!(got);
    }

    #[test]
    fn malformed_origins_are_explained() {
        let listed_only = policy(listed(&["https://a.com"]));
        let with_pattern = policy(listed(&["https://*.a.com"]));
        for p in [&listed_only, &with_pattern] {
            let text = run(
                p,
                Method::GET,
                &[("origin", b"https://a.com/")],
                |d| match d {
                    Decision::Actual(Actual {
                        refusal: Some(r), ..
                    }) => r.to_string(),
                    other => format!("{other:?}"),
                },
            );
            assert_eq!(
                text,
                "origin \"https://a.com/\" is malformed: it has a path, a trailing slash, a query or a fragment"
            );
        }
        let kind = run(
            &with_pattern,
            Method::GET,
            &[("origin", b"https://x.a.com/")],
            |d| {
                matches!(
                    d,
                    Decision::Actual(Actual {
                        refusal: Some(Refusal::OriginMalformed(_, SyntaxError::HasPath)),
                        ..
                    })
                )
            },
        );
        assert!(kind, "patterns never see a malformed origin");
    }

    #[test]
    fn preflight_grant_echoes_what_was_asked() {
        let p = policy(CorsOptions {
            methods: vec!["*".into()],
            ..listed(&["https://a.com"])
        });
        run(
            &p,
            Method::OPTIONS,
            &[
                ("origin", b"https://a.com"),
                ("access-control-request-method", b"PATCH"),
                ("access-control-request-headers", b"content-type,x-token"),
            ],
            |d| {
                let Decision::Preflight(Ok(g)) = d else {
                    panic!("{d:?}")
                };
                assert_eq!(g.method.as_bytes(), b"PATCH");
                assert_eq!(
                    g.request_headers.unwrap()[0].as_bytes(),
                    b"content-type,x-token"
                );
                assert_eq!(g.allow_origin.to_value().as_bytes(), b"https://a.com");
            },
        );
        // Safelisted methods are always allowed in a preflight.
        let p = policy(CorsOptions {
            methods: vec![],
            ..listed(&["https://a.com"])
        });
        let ok = run(
            &p,
            Method::OPTIONS,
            &[
                ("origin", b"https://a.com"),
                ("access-control-request-method", b"GET"),
            ],
            |d| matches!(d, Decision::Preflight(Ok(_))),
        );
        assert!(ok);
    }

    #[test]
    fn wildcard_and_always_send() {
        let any_star = policy(CorsOptions {
            send_wildcard: true,
            ..CorsOptions::default()
        });
        for origin in [&b"https://a.com"[..], b"null", b"garbage"] {
            let got = run(&any_star, Method::GET, &[("origin", origin)], |d| {
                granted_origin(&d)
            });
            assert_eq!(got.as_deref(), Some(&b"*"[..]));
        }
        let got = run(&any_star, Method::GET, &[], |d| granted_origin(&d));
        assert_eq!(got.as_deref(), Some(&b"*"[..]));

        let reflect = policy(CorsOptions::default());
        let got = run(
            &reflect,
            Method::GET,
            &[("origin", b"https://a.com")],
            |d| granted_origin(&d),
        );
        assert_eq!(got.as_deref(), Some(&b"https://a.com"[..]));
        let got = run(&reflect, Method::GET, &[], |d| granted_origin(&d));
        assert_eq!(got.as_deref(), Some(&b"*"[..]));

        let quiet = policy(CorsOptions {
            always_send: false,
            ..CorsOptions::default()
        });
        let got = run(&quiet, Method::GET, &[], |d| granted_origin(&d));
        assert_eq!(got, None);

        // One listed origin is the answer to every request without Origin (Fetch's advice for
        // a static origin); several are not, as one of them would be arbitrary.
        let one = policy(listed(&["https://a.com"]));
        for headers in [&[][..], &[("origin", &b""[..])]] {
            let got = run(&one, Method::GET, headers, |d| granted_origin(&d));
            assert_eq!(got.as_deref(), Some(&b"https://a.com"[..]));
        }
        let two = policy(listed(&["https://a.com", "https://b.com"]));
        let got = run(&two, Method::GET, &[], |d| granted_origin(&d));
        assert_eq!(got, None);
        let quiet_one = policy(CorsOptions {
            always_send: false,
            ..listed(&["https://a.com"])
        });
        let got = run(&quiet_one, Method::GET, &[], |d| granted_origin(&d));
        assert_eq!(got, None);
    }

    #[test]
    fn regex_and_predicate_never_grant_null_or_insecure_with_credentials() {
        let o = CorsOptions {
            origins: None,
            origin_regexes: vec![r"(https?)://[a-z]+\.example\.com".into(), "null".into()],
            supports_credentials: true,
            ..CorsOptions::default()
        };
        let p = validate::compile(&o, None).unwrap().cors.top.unwrap();
        let got = run(
            &p,
            Method::GET,
            &[("origin", b"https://app.example.com")],
            |d| granted_origin(&d),
        );
        assert!(got.is_some());
        for bad in [
            &b"http://app.example.com"[..],
            b"null",
            b"https://app.example.com.evil.io",
        ] {
            let got = run(&p, Method::GET, &[("origin", bad)], |d| granted_origin(&d));
            assert_eq!(got, None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
