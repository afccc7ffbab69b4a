//! Writing answers: every CORS response field the middleware sends is written here, from a
//! [`Decision`](crate::decision::Decision) and its policy.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use crate::decision::{
    decide, Decision, PreflightGrant, PreflightRefusal, PreflightResult, RequestView,
};
use crate::explain::Explanation;
use crate::headers::append_vary_origin;
use crate::log_lines;
use crate::policy::{CompiledCors, Policy, PolicyIndex};

/// `Access-Control-Allow-Private-Network` (Private Network Access draft).
const ALLOW_PRIVATE_NETWORK: header::HeaderName =
    header::HeaderName::from_static("access-control-allow-private-network");

/// A response future's way back to its policy, for the values it only sometimes needs
/// (exposed headers, the `Allow` of an automatic `OPTIONS` answer), without cloning them.
#[derive(Debug, Clone)]
pub(crate) struct PolicyHandle {
    pub(crate) cors: Rc<CompiledCors>,
    pub(crate) index: PolicyIndex,
}

impl PolicyHandle {
    pub(crate) fn policy(&self) -> Option<&Policy> {
        self.cors.policy(self.index)
    }
}

/// Where an answer's CORS fields are written, and how.
///
/// A response the middleware has just built holds none of them yet, so each field is appended:
/// actix's `insert` moves the name's previous entry out and back, and costs nearly twice as
/// much. On a handler's answer (or an error's), a field replaces what the handler may have set,
/// which is looked up first, so that a field it did not set is appended there too.
struct Fields<'a> {
    map: &'a mut HeaderMap,
    /// The middleware built this response: none of its fields is there yet.
    ours: bool,
}

impl<'a> Fields<'a> {
    /// The fields of a response the middleware has just built.
    fn of_our_answer(map: &'a mut HeaderMap) -> Self {
        Fields { map, ours: true }
    }

    /// The fields of a handler's answer, or of an error's.
    fn of_handlers_answer(map: &'a mut HeaderMap) -> Self {
        Fields { map, ours: false }
    }

    /// Sets `name` to `value` alone.
    fn set(&mut self, name: header::HeaderName, value: HeaderValue) {
        if !self.ours && self.map.contains_key(&name) {
            self.map.insert(name, value);
        } else {
            self.map.append(name, value);
        }
    }

    /// Adds a line to `name`, after any it has.
    fn add(&mut self, name: header::HeaderName, value: HeaderValue) {
        self.map.append(name, value);
    }
}

/// The answer to a preflight the middleware answers itself: `204 No Content`, granted or not,
/// so that the CORS fields alone tell each engine what failed (Fetch §4.8: an ok status, then
/// the CORS check, then the method and the headers). A refused preflight never grants: see
/// [`write_refusal`].
pub(crate) fn preflight_response(policy: &Policy, result: &PreflightResult<'_>) -> HttpResponse {
    let mut res = HttpResponse::with_body(StatusCode::NO_CONTENT, BoxBody::new(()));
    let mut fields = Fields::of_our_answer(res.headers_mut());
    write_preflight_answer(policy, result, &mut fields);
    if policy.vary {
        fields.set(header::VARY, HeaderValue::from_static("Origin"));
    }
    res
}

/// A preflight's CORS fields, granted or refused, on the middleware's answer or a handler's.
fn write_preflight_answer(policy: &Policy, result: &PreflightResult<'_>, fields: &mut Fields<'_>) {
    match result {
        Ok(grant) => {
            write_origin(fields, grant.allow_origin.to_value(), policy.credentials);
            write_preflight_fields(policy, grant, fields);
        }
        Err(refused) => write_refusal(policy, refused, fields),
    }
}

/// A refused preflight's fields. When the origin is granted, its grant and what the policy
/// allows, never what the request asked for that is refused: each engine then fails the
/// method or header check and names the method or header at fault, where an answer without
/// `Access-Control-Allow-Origin` would have it blame the origin. When the origin is refused,
/// nothing that grants. Explain mode adds its fields (`explain`).
fn write_refusal(policy: &Policy, refused: &PreflightRefusal<'_>, fields: &mut Fields<'_>) {
    if let Some(origin) = refused.origin_granted {
        write_origin(fields, origin.to_value(), policy.credentials);
        let methods = match refused.method_granted {
            Some(method) => Some(policy.methods.header_for(method)),
            None => policy.methods.full_list(),
        };
        if let Some(methods) = methods {
            fields.set(header::ACCESS_CONTROL_ALLOW_METHODS, methods.clone());
        }
        match refused.headers_granted {
            Some(lines) => echo_request_headers(fields, lines),
            None => {
                if let Some(list) = policy.allow_headers.full_list() {
                    fields.set(header::ACCESS_CONTROL_ALLOW_HEADERS, list.clone());
                }
            }
        }
    }
    if policy.explain {
        Explanation::of(policy, &refused.refusal).write(fields.map);
    }
}

/// `Access-Control-Allow-Origin`, and `-Allow-Credentials` when the policy sends credentials.
fn write_origin(fields: &mut Fields<'_>, origin: HeaderValue, credentials: bool) {
    fields.set(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if credentials {
        write_credentials(fields);
    }
}

fn write_credentials(fields: &mut Fields<'_>) {
    fields.set(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
}

/// The fields only a preflight's answer carries.
fn write_preflight_fields(policy: &Policy, grant: &PreflightGrant<'_>, fields: &mut Fields<'_>) {
    let methods = policy.methods.header_for(grant.method);
    fields.set(header::ACCESS_CONTROL_ALLOW_METHODS, methods.clone());
    if let Some(lines) = grant.request_headers {
        echo_request_headers(fields, lines);
    }
    if let Some(max_age) = &policy.max_age {
        fields.set(header::ACCESS_CONTROL_MAX_AGE, max_age.clone());
    }
    if grant.private_network {
        fields.set(ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true"));
    }
}

/// Echoes the granted names asked for, line by line: a browser joins field lines with commas,
/// so nothing needs to be joined (or allocated) here.
fn echo_request_headers(fields: &mut Fields<'_>, lines: &[HeaderValue]) {
    for line in lines {
        fields.add(header::ACCESS_CONTROL_ALLOW_HEADERS, line.clone());
    }
}

/// A preflight answer kept as data, for an error's response mapper, which may run more than
/// once and so cannot hand out one response.
#[derive(Debug)]
pub(crate) struct PreflightAnswer {
    status: StatusCode,
    headers: HeaderMap,
}

impl PreflightAnswer {
    pub(crate) fn of(res: &HttpResponse) -> Self {
        PreflightAnswer {
            status: res.status(),
            headers: res.headers().clone(),
        }
    }

    pub(crate) fn render(&self) -> HttpResponse {
        let mut res = HttpResponse::with_body(self.status, BoxBody::new(()));
        *res.headers_mut() = self.headers.clone();
        res
    }
}

/// The answer to a plain `OPTIONS` that no handler answers (`automatic_options`).
pub(crate) fn automatic_options_response(allow: HeaderValue) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ALLOW, allow))
        .finish()
}

/// The CORS fields for the answer a handler gives, owned so that they outlive the request's
/// borrow.
///
/// Kept small: the response future carries it, and a future that fits in a few words is moved
/// without a call to `memcpy`.
#[derive(Debug)]
pub(crate) struct ActualHeaders {
    pub(crate) allow_origin: Option<HeaderValue>,
    /// Set when the policy exposes headers, for a plain `OPTIONS`, or for a handed preflight.
    pub(crate) policy: Option<PolicyHandle>,
    pub(crate) credentials: bool,
    pub(crate) vary: bool,
    /// A plain `OPTIONS` no handler answers is answered `200` with `Allow`.
    pub(crate) automatic_options: bool,
    /// A preflight handed to the handler (`automatic_options` off): its fields are decided
    /// again from the request when the handler has answered, rather than carried.
    pub(crate) handed_preflight: bool,
    /// What a refused request's answer carries beyond the fast path, when there is any.
    pub(crate) refused: Option<Box<RefusedActual>>,
}

/// What the answer to a refused actual request carries when explain mode is on, or when its
/// line waits to learn whether an inner policy decided instead (debug lines on).
pub(crate) struct RefusedActual {
    pub(crate) explanation: Option<Explanation>,
    /// Taken when logged: an error's response mapper may run more than once.
    pub(crate) log_line: Cell<Option<Box<str>>>,
}

impl std::fmt::Debug for RefusedActual {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefusedActual")
            .field("explanation", &self.explanation)
            .finish_non_exhaustive()
    }
}

impl ActualHeaders {
    /// The fields for the handler's answer to a preflight handed to it because
    /// `automatic_options` is off (flask-cors's `@cross_origin(automatic_options=False)`; rs/cors
    /// calls it "options passthrough"): the same fields as the middleware's own answer, decided
    /// again once the handler has answered.
    pub(crate) fn for_handed_preflight(handle: PolicyHandle) -> Option<Self> {
        let policy = handle.policy()?;
        Some(ActualHeaders {
            allow_origin: None,
            credentials: policy.credentials,
            vary: policy.vary,
            automatic_options: false,
            handed_preflight: true,
            policy: Some(handle),
            refused: None,
        })
    }

    /// The `Allow` value when this is a plain `OPTIONS` the middleware answers if no handler
    /// does.
    #[inline]
    pub(crate) fn automatic_allow(&self) -> Option<HeaderValue> {
        if !self.automatic_options {
            return None;
        }
        self.policy.as_ref()?.policy()?.automatic_options.clone()
    }

    /// Logs the refusal's line kept for later, once: no inner policy decided the request.
    #[inline]
    pub(crate) fn log_refusal(&self) {
        if let Some(refused) = &self.refused {
            log_lines::kept(&refused.log_line.take());
        }
    }

    /// Writes the fields; `head` is the request's, when there is one (an error rendered
    /// further out has none). For an answer that may be rendered more than once.
    pub(crate) fn apply(&self, headers: &mut HeaderMap, head: Option<&RequestHead>) {
        self.write(self.allow_origin.clone(), headers, head);
    }

    /// The same, for the one answer a handler gave: the granted origin's value moves into it.
    #[inline]
    pub(crate) fn apply_once(mut self, headers: &mut HeaderMap, head: Option<&RequestHead>) {
        let allow_origin = self.allow_origin.take();
        self.write(allow_origin, headers, head);
    }

    fn write(
        &self,
        allow_origin: Option<HeaderValue>,
        headers: &mut HeaderMap,
        head: Option<&RequestHead>,
    ) {
        if self.handed_preflight {
            let policy = self.policy.as_ref().and_then(PolicyHandle::policy);
            if let Some((policy, head)) = policy.zip(head) {
                handed_preflight_fields(policy, head, headers);
            }
        } else if let Some(origin) = allow_origin {
            // A handler that set `Access-Control-Allow-Origin` itself answered CORS: as
            // flask-cors and Spring let it, its explicit answer wins, whole.
            if headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
                log_lines::handler_answered_cors();
            } else {
                headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                self.grant(&mut Fields::of_handlers_answer(headers));
            }
        } else if let Some(explanation) = self.refused.as_ref().and_then(|r| r.explanation.as_ref())
        {
            explanation.write(headers);
        }
        if self.vary {
            // Also beside a handler's own answer, which may depend on the Origin as well.
            append_vary_origin(headers);
        }
    }

    /// The fields that go with a granted `Access-Control-Allow-Origin`.
    fn grant(&self, fields: &mut Fields<'_>) {
        if self.credentials {
            write_credentials(fields);
        }
        let policy = self.policy.as_ref().and_then(PolicyHandle::policy);
        if let Some(expose) = policy.and_then(|p| p.expose_headers.as_ref()) {
            fields.set(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
    }
}

/// The preflight fields for the handler's answer to a preflight handed to it: the same pure
/// decision as when the preflight came in, on the same request, and the same fields as the
/// middleware's own answer, unless the handler answered CORS itself.
#[cold]
fn handed_preflight_fields(policy: &Policy, head: &RequestHead, headers: &mut HeaderMap) {
    if headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        log_lines::handler_answered_cors();
        return;
    }
    if let Decision::Preflight(result) = decide(policy, &RequestView::new(head)) {
        write_preflight_answer(policy, &result, &mut Fields::of_handlers_answer(headers));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;
    use crate::CorsOptions;
    use actix_web::test::TestRequest;

    fn compiled(options: CorsOptions) -> Rc<CompiledCors> {
        Rc::new(validate::compile(&options, None).unwrap().cors)
    }

    fn names(headers: &HeaderMap) -> Vec<String> {
        let mut names: Vec<String> = headers.keys().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn preflight_answers() {
        let cors = compiled(CorsOptions {
            origins: Some(vec!["https://a.com".into()]),
            supports_credentials: true,
            max_age: Some(600),
            ..CorsOptions::default()
        });
        let policy = cors.top.as_ref().unwrap();
        let req = TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .insert_header(("origin", "https://a.com"))
            .insert_header(("access-control-request-method", "PUT"))
            .insert_header(("access-control-request-headers", "x-token"))
            .to_http_request();
        let Decision::Preflight(result) = decide(policy, &RequestView::new(req.head())) else {
            panic!("not a preflight")
        };
        let res = preflight_response(policy, &result);
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            names(res.headers()),
            [
                "access-control-allow-credentials",
                "access-control-allow-headers",
                "access-control-allow-methods",
                "access-control-allow-origin",
                "access-control-max-age",
                "vary"
            ]
        );
    }

    /// Each kind of refused preflight, answered: (request headers, then the fields wanted).
    #[test]
    fn refused_preflight_answers_name_what_failed() {
        let listed = |explain| CorsOptions {
            origins: Some(vec!["https://a.com".into()]),
            methods: vec!["GET".into(), "PUT".into()],
            allow_headers: vec!["X-Token".into(), "Content-Type".into()],
            supports_credentials: true,
            max_age: Some(600),
            explain,
            ..CorsOptions::default()
        };
        type Fields = &'static [(&'static str, &'static str)];
        /// Explain mode on, the request's fields, the answer's fields.
        type Case<'a> = (bool, &'a [(&'a str, &'a str)], Fields);
        // Longer than the 4096 bytes read, naming only allowed headers.
        let oversized = "x-token,".repeat(600);
        let cases: &[Case<'_>] = &[
            // The method is refused: the origin's grant and the policy's own lists.
            (
                false,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "DELETE"),
                ],
                &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-headers", "content-type, x-token"),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-origin", "https://a.com"),
                    ("vary", "Origin"),
                ],
            ),
            // A header is refused: the method granted, the list of headers, never the refused one.
            (
                false,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", "x-token,x-other"),
                ],
                &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-headers", "content-type, x-token"),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-origin", "https://a.com"),
                    ("vary", "Origin"),
                ],
            ),
            // Private network access is refused: everything granted but that.
            (
                false,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", "x-token"),
                    ("access-control-request-private-network", "true"),
                ],
                &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-headers", "x-token"),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-origin", "https://a.com"),
                    ("vary", "Origin"),
                ],
            ),
            // Private network access refused, no header asked for: none answered.
            (
                false,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-private-network", "true"),
                ],
                &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-origin", "https://a.com"),
                    ("vary", "Origin"),
                ],
            ),
            // What no browser sends (an oversized or malformed list, a malformed method) gets
            // no grant: the policy's lists might let it pass.
            (
                false,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", &oversized),
                ],
                &[("vary", "Origin")],
            ),
            (
                false,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "PU T"),
                ],
                &[("vary", "Origin")],
            ),
            // The origin is refused: nothing that grants.
            (
                false,
                &[
                    ("origin", "https://b.com"),
                    ("access-control-request-method", "PUT"),
                ],
                &[("vary", "Origin")],
            ),
            (
                true,
                &[
                    ("origin", "https://b.com"),
                    ("access-control-request-method", "PUT"),
                ],
                &[
                    ("access-control-allow-origin", "origin-not-allowed"),
                    (
                        "cors-refusal",
                        "origins: origin \"https://b.com\" is not allowed",
                    ),
                    ("vary", "Origin"),
                ],
            ),
            (
                true,
                &[
                    ("origin", "https://a.com"),
                    ("access-control-request-method", "DELETE"),
                ],
                &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-headers", "content-type, x-token"),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-origin", "https://a.com"),
                    (
                        "cors-refusal",
                        "methods: method \"DELETE\" is not allowed (allowed: GET, PUT)",
                    ),
                    ("vary", "Origin"),
                ],
            ),
        ];
        for (explain, request, want) in cases {
            let cors = compiled(listed(*explain));
            let policy = cors.top.as_ref().unwrap();
            let mut req = TestRequest::default().method(actix_web::http::Method::OPTIONS);
            for field in request.iter() {
                req = req.insert_header(*field);
            }
            let req = req.to_http_request();
            let Decision::Preflight(result) = decide(policy, &RequestView::new(req.head())) else {
                panic!("not a preflight: {request:?}")
            };
            assert!(result.is_err(), "{request:?}");
            let res = preflight_response(policy, &result);
            assert_eq!(res.status(), StatusCode::NO_CONTENT, "{request:?}");
            let mut got: Vec<(String, String)> = res
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
            got.sort();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            assert_eq!(got, want, "explain {explain}, {request:?}");
        }
    }

    #[test]
    fn actual_headers_keep_a_handlers_own_answer() {
        let stamp = ActualHeaders {
            allow_origin: Some(HeaderValue::from_static("https://a.com")),
            policy: None,
            credentials: true,
            vary: true,
            automatic_options: false,
            handed_preflight: false,
            refused: None,
        };
        let mut headers = HeaderMap::new();
        stamp.apply(&mut headers, None);
        assert_eq!(
            names(&headers),
            [
                "access-control-allow-credentials",
                "access-control-allow-origin",
                "vary"
            ]
        );
        let mut own = HeaderMap::new();
        own.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("https://own.example"),
        );
        stamp.apply(&mut own, None);
        assert_eq!(names(&own), ["access-control-allow-origin", "vary"]);
        assert_eq!(
            own.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "https://own.example"
        );
    }
}
