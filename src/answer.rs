//! Writing answers: every CORS response field the middleware sends is written here, from a
//! [`Decision`](crate::decision::Decision) and its policy.

use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use crate::decision::{decide, Decision, PreflightGrant, Refusal, RequestView};
use crate::headers::append_vary_origin;
use crate::log_lines::handler_answered_cors;
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

/// The answer to a preflight the middleware answers itself: 204 with the CORS fields, or 403
/// with none (the Fetch standard's advice, §3.2.3).
pub(crate) fn preflight_response(
    policy: &Policy,
    result: &Result<PreflightGrant<'_>, Refusal<'_>>,
) -> HttpResponse {
    let status = match result {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::FORBIDDEN,
    };
    let mut res = HttpResponse::with_body(status, BoxBody::new(()));
    let headers = res.headers_mut();
    if let Ok(grant) = result {
        write_origin(headers, grant.allow_origin.to_value(), policy.credentials);
        write_preflight_fields(policy, grant, headers);
    }
    if policy.vary {
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    res
}

/// `Access-Control-Allow-Origin`, and `-Allow-Credentials` when the policy sends credentials.
fn write_origin(headers: &mut HeaderMap, origin: HeaderValue, credentials: bool) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if credentials {
        write_credentials(headers);
    }
}

fn write_credentials(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
}

/// The fields only a preflight's answer carries.
fn write_preflight_fields(policy: &Policy, grant: &PreflightGrant<'_>, headers: &mut HeaderMap) {
    let methods = policy.methods.header_for(grant.method);
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, methods.clone());
    if let Some(lines) = grant.request_headers {
        // Echo the names asked for, line by line: a browser joins field lines with commas, so
        // nothing needs to be joined (or allocated) here.
        for line in lines {
            headers.append(header::ACCESS_CONTROL_ALLOW_HEADERS, line.clone());
        }
    }
    if let Some(max_age) = &policy.max_age {
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, max_age.clone());
    }
    if grant.private_network {
        headers.insert(ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true"));
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
#[derive(Debug, Clone)]
pub(crate) struct ActualHeaders {
    pub(crate) allow_origin: Option<HeaderValue>,
    /// Set when the policy exposes headers, for a plain `OPTIONS`, or for a handed preflight.
    pub(crate) policy: Option<PolicyHandle>,
    pub(crate) credentials: bool,
    pub(crate) vary: bool,
    /// A plain `OPTIONS` no handler answers is answered `200` with `Allow`.
    pub(crate) automatic_options: bool,
    /// A granted preflight handed to the handler (`automatic_options` off): its other fields
    /// are decided again from the request when the handler has answered, rather than carried.
    pub(crate) handed_preflight: bool,
}

impl ActualHeaders {
    /// The fields for the handler's answer to a preflight handed to it because
    /// `automatic_options` is off (flask-cors's `@cross_origin(automatic_options=False)`; rs/cors
    /// calls it "options passthrough"): the preflight's fields when it is granted, only `Vary`
    /// when it is refused.
    pub(crate) fn for_handed_preflight(
        handle: PolicyHandle,
        result: &Result<PreflightGrant<'_>, Refusal<'_>>,
    ) -> Option<Self> {
        let policy = handle.policy()?;
        Some(ActualHeaders {
            allow_origin: result.as_ref().ok().map(|g| g.allow_origin.to_value()),
            credentials: policy.credentials,
            vary: policy.vary,
            automatic_options: false,
            handed_preflight: true,
            policy: Some(handle),
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

    /// Writes the fields; `head` is the request's, when there is one (an error rendered
    /// further out has none).
    pub(crate) fn apply(&self, headers: &mut HeaderMap, head: Option<&RequestHead>) {
        if let Some(origin) = &self.allow_origin {
            // Inserting tells whether the handler had answered CORS itself, at no extra lookup.
            let earlier = headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            if earlier.is_empty() {
                self.grant(headers, head);
            } else {
                keep_handlers_answer(headers, earlier);
            }
        }
        if self.vary {
            // Also beside a handler's own answer, which may depend on the Origin as well.
            append_vary_origin(headers);
        }
    }

    /// The fields that go with a granted `Access-Control-Allow-Origin`.
    fn grant(&self, headers: &mut HeaderMap, head: Option<&RequestHead>) {
        if self.credentials {
            write_credentials(headers);
        }
        let Some(policy) = self.policy.as_ref().and_then(PolicyHandle::policy) else {
            return;
        };
        if !self.handed_preflight {
            if let Some(expose) = &policy.expose_headers {
                headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
        } else if let Some(head) = head {
            handed_preflight_fields(policy, head, headers);
        }
    }
}

/// Puts back the `Access-Control-Allow-Origin` a handler set itself, which the insert
/// replaced: as flask-cors and Spring let it, the handler's explicit answer wins, whole.
#[cold]
fn keep_handlers_answer(headers: &mut HeaderMap, mut earlier: impl Iterator<Item = HeaderValue>) {
    if let Some(first) = earlier.next() {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, first);
    }
    for more in earlier {
        headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, more);
    }
    handler_answered_cors();
}

/// The preflight fields for the handler's answer to a preflight handed to it: the same pure
/// decision as when the preflight came in, on the same request.
#[cold]
fn handed_preflight_fields(policy: &Policy, head: &RequestHead, headers: &mut HeaderMap) {
    if let Decision::Preflight(Ok(grant)) = decide(policy, &RequestView::new(head)) {
        write_preflight_fields(policy, &grant, headers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::CorsOptions;
    use crate::validate;
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
        let refused = preflight_response(policy, &Err(Refusal::OriginRepeated));
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!(names(refused.headers()), ["vary"]);
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
