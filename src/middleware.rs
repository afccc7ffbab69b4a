//! The actix layer: picks the policy for the routed path, extracts a [`RequestView`], asks
//! [`decide`], and applies the answer; and, when `Cors` layers nest, lets the innermost decide.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_service::{Service, Transform};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{RequestHead, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse};

use crate::cors::Cors;
use crate::decision::{
    decide, AllowOrigin, Decision, PreflightGrant, Refusal, RequestView, ALLOW_PRIVATE_NETWORK,
};
use crate::headers::{append_vary_origin, Escaped};
use crate::nesting::{Decided, Layer};
use crate::policy::{CompiledCors, Policy, PolicyIndex};

const LOG_TARGET: &str = "actix_cross_origin";

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(match self.compiled() {
            Ok(cors) => Ok(CorsMiddleware {
                service,
                // This worker's own copy: its response futures hold it without atomic
                // reference counts, which workers would otherwise contend for.
                cors: Rc::new(CompiledCors::clone(cors)),
                layer: Layer::register(),
            }),
            Err(e) => {
                log::error!(target: LOG_TARGET, "{e}");
                Err(())
            }
        })
    }
}

/// The running middleware [`Cors`] turns into; not used directly.
///
/// ```
/// use actix_cross_origin::{Cors, CorsMiddleware};
/// use actix_web::{dev::Service, test, web, App};
///
/// # actix_rt::System::new().block_on(async {
/// let app = test::init_service(App::new().wrap(Cors::default()).route("/", web::get().to(|| async { "ok" }))).await;
/// let res = app.call(test::TestRequest::get().uri("/").insert_header(("Origin", "https://a.example")).to_request()).await.unwrap();
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://a.example");
/// # });
/// # fn is_middleware<S>(_: &CorsMiddleware<S>) {}
/// ```
pub struct CorsMiddleware<S> {
    service: S,
    /// The compiled policies, this worker's own copy, so that a response future can hold them
    /// without an atomic increment.
    cors: Rc<CompiledCors>,
    layer: Rc<Layer>,
}

/// A response future's way back to its policy, for the values it only sometimes needs
/// (exposed headers, the `Allow` of an automatic `OPTIONS` answer).
#[derive(Clone)]
struct PolicyHandle {
    cors: Rc<CompiledCors>,
    index: PolicyIndex,
}

impl PolicyHandle {
    fn policy(&self) -> Option<&Policy> {
        self.cors.policy(self.index)
    }
}

/// Headers stamped on an actual response, owned so they outlive the request's borrow.
///
/// Kept small: the response future carries it, and a future that fits in a few words is moved
/// without a call to `memcpy`.
#[derive(Clone)]
struct OwnedStamp {
    allow_origin: Option<HeaderValue>,
    /// Set when the policy exposes headers or the request is a plain `OPTIONS`.
    policy: Option<PolicyHandle>,
    credentials: bool,
    vary: bool,
    /// An outer layer may look at this response: mark it as decided.
    mark: bool,
    /// A plain `OPTIONS` no handler answers is answered `200` with `Allow`.
    automatic_options: bool,
    /// A granted preflight handed to the handler (`automatic_options` off): its other fields
    /// are decided again from the request when the handler has answered, rather than carried.
    handed_preflight: bool,
}

impl OwnedStamp {
    /// Stamps `res`; `head` is the request's, when there is one (an error rendered further
    /// out has none).
    fn apply(&self, headers: &mut HeaderMap, head: Option<&RequestHead>) {
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
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
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

/// Puts back the `Access-Control-Allow-Origin` a handler set itself, which the stamp's insert
/// replaced: as flask-cors and Spring let it, the handler's explicit answer wins, whole.
#[cold]
fn keep_handlers_answer(headers: &mut HeaderMap, mut earlier: impl Iterator<Item = HeaderValue>) {
    if let Some(first) = earlier.next() {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, first);
    }
    for more in earlier {
        headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, more);
    }
    log::debug!(
        target: LOG_TARGET,
        "the response already has Access-Control-Allow-Origin: its CORS fields are left as the handler set them"
    );
}

/// The preflight fields for the handler's answer to a preflight handed to it: the same pure
/// decision as when the preflight came in, on the same request.
#[cold]
fn handed_preflight_fields(policy: &Policy, head: &RequestHead, headers: &mut HeaderMap) {
    if let Decision::Preflight(Ok(grant)) = decide(policy, &RequestView::new(head)) {
        preflight_fields(policy, &grant, headers);
    }
}

/// Builds the answer to a preflight: 204 with the CORS headers, or 403 without them.
fn preflight_response(
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
        grant_headers(policy, grant, headers);
    }
    if policy.vary {
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    res
}

/// A preflight answer kept as data, for an error's response mapper, which may run more than
/// once and so cannot hand out one response.
struct PreflightAnswer {
    status: StatusCode,
    headers: HeaderMap,
    mark: bool,
}

impl PreflightAnswer {
    fn of(res: &HttpResponse, mark: bool) -> Self {
        PreflightAnswer {
            status: res.status(),
            headers: res.headers().clone(),
            mark,
        }
    }

    fn render(&self) -> HttpResponse {
        let mut res = HttpResponse::with_body(self.status, BoxBody::new(()));
        *res.headers_mut() = self.headers.clone();
        if self.mark {
            res.extensions_mut().insert(Decided);
        }
        res
    }
}

fn grant_headers(policy: &Policy, grant: &PreflightGrant<'_>, headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        grant.allow_origin.to_value(),
    );
    if policy.credentials {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    preflight_fields(policy, grant, headers);
}

/// The fields only a preflight's answer carries.
fn preflight_fields(policy: &Policy, grant: &PreflightGrant<'_>, headers: &mut HeaderMap) {
    let methods = policy
        .allow_methods
        .clone()
        .unwrap_or_else(|| grant.method.clone());
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, methods);
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

/// The stamp for a preflight handed to the handler because `automatic_options` is off
/// (flask-cors's `@cross_origin(automatic_options=False)`; rs/cors calls it "options
/// passthrough"): the handler's answer keeps its status and gets the preflight's CORS fields
/// when the preflight is granted, only `Vary` when it is refused.
fn handed_preflight(
    handle: PolicyHandle,
    result: &Result<PreflightGrant<'_>, Refusal<'_>>,
    mark: bool,
) -> Option<OwnedStamp> {
    let policy = handle.policy()?;
    Some(OwnedStamp {
        allow_origin: result.as_ref().ok().map(|g| g.allow_origin.to_value()),
        credentials: policy.credentials,
        vary: policy.vary,
        mark,
        automatic_options: false,
        handed_preflight: true,
        policy: Some(handle),
    })
}

/// The debug line for a refused preflight, with the request's bytes escaped.
struct RefusedPreflight<'a>(&'a Refusal<'a>, &'a str);

impl std::fmt::Display for RefusedPreflight<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "preflight refused with 403: {}; path {}",
            self.0,
            Escaped(self.1.as_bytes())
        )
    }
}

/// Whether an actual request must have been preceded by a preflight (a method browsers do not
/// send without one, or a body type a form cannot send).
fn needed_preflight(req: &ServiceRequest) -> bool {
    let simple_method = matches!(*req.method(), Method::GET | Method::HEAD | Method::POST);
    let simple_type = req.headers().get(header::CONTENT_TYPE).is_none_or(|ct| {
        let ct = ct.as_bytes();
        let essence = ct.split(|&b| b == b';').next().unwrap_or(ct);
        let essence = essence.trim_ascii();
        [
            &b"application/x-www-form-urlencoded"[..],
            b"multipart/form-data",
            b"text/plain",
        ]
        .iter()
        .any(|t| essence.eq_ignore_ascii_case(t))
    });
    !(simple_method && simple_type)
}

impl<S> CorsMiddleware<S> {
    /// Warns once when this layer serves requests that needed a preflight it never saw: the
    /// preflights went elsewhere (typically a method guard of `#[get(wrap = ...)]` hides them,
    /// and an outer `Cors` answers them with its own policy).
    fn warn_if_preflights_unreachable(&self, req: &ServiceRequest) {
        let layer = &self.layer;
        if layer.saw_preflight.get() || layer.warned_unreachable.get() || !needed_preflight(req) {
            return;
        }
        layer.warned_unreachable.set(true);
        log::warn!(
            target: LOG_TARGET,
            "the CORS policy around {} receives {} requests that need a preflight, but no preflight has reached it on this worker: an outer Cors answers them with its own policy. \
             Let the route accept OPTIONS, e.g. #[route(\"...\", method = \"{}\", method = \"OPTIONS\", wrap = \"...\")], or wrap its web::resource or web::scope instead",
            Escaped(req.match_pattern().as_deref().unwrap_or(req.path()).as_bytes()),
            req.method(),
            req.method(),
        );
    }
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future, B>;

    actix_service::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        // A layer built before another may sit inside it: mark what it decides, so that the
        // outer layer leaves its answer alone (see `nesting`).
        let nested = self.layer.claimed.get();
        let defers = self.layer.has_inner;
        let path = req.match_info().as_str();
        let Some((index, policy)) = self.cors.policy_for(path) else {
            // No policy governs this path: leave the request and its response alone.
            return CorsFuture::pass(self.service.call(req), None, defers);
        };
        let view = RequestView::new(req.head());
        match decide(policy, &view) {
            Decision::Preflight(result) if !policy.automatic_options => {
                self.layer.saw_preflight.set(true);
                if let Err(refusal) = &result {
                    log::debug!(target: LOG_TARGET, "{}", RefusedPreflight(refusal, path));
                }
                let handle = PolicyHandle {
                    cors: Rc::clone(&self.cors),
                    index,
                };
                let stamp = handed_preflight(handle, &result, nested);
                CorsFuture::pass(self.service.call(req), stamp, defers)
            }
            Decision::Preflight(result) => {
                self.layer.saw_preflight.set(true);
                let answer = preflight_response(policy, &result);
                // Routing has matched a resource when nothing of the path is left: no inner
                // layer can follow, so answer here rather than reach the handler.
                let leaf = req.match_info().unprocessed().is_empty();
                if defers && !leaf {
                    // The refusal borrows the request, which routing takes: keep the line.
                    let log_line = match &result {
                        Err(refusal) if log::log_enabled!(target: LOG_TARGET, log::Level::Debug) => {
                            Some(RefusedPreflight(refusal, path).to_string().into_boxed_str())
                        }
                        _ => None,
                    };
                    return CorsFuture::deferred(self.service.call(req), answer, nested, log_line);
                }
                if let Err(refusal) = &result {
                    log::debug!(target: LOG_TARGET, "{}", RefusedPreflight(refusal, path));
                }
                if nested {
                    mark_decided(req.request());
                }
                CorsFuture::ready(req.into_response(answer.map_into_right_body()))
            }
            Decision::Actual {
                stamp,
                refusal,
                automatic_options,
            } => {
                if let Some(refusal) = refusal {
                    log::debug!(
                        target: LOG_TARGET,
                        "no Access-Control-Allow-Origin for {} request: {refusal}; path {}",
                        view.method,
                        Escaped(path.as_bytes())
                    );
                }
                if nested && !view.origin.is_empty() {
                    self.warn_if_preflights_unreachable(&req);
                }
                let needs_policy = automatic_options
                    || (stamp.allow_origin.is_some() && policy.expose_headers.is_some());
                let owned = OwnedStamp {
                    allow_origin: stamp.allow_origin.map(AllowOrigin::to_value),
                    policy: needs_policy.then(|| PolicyHandle {
                        cors: Rc::clone(&self.cors),
                        index,
                    }),
                    credentials: policy.credentials,
                    vary: stamp.vary,
                    mark: nested,
                    automatic_options,
                    handed_preflight: false,
                };
                CorsFuture::pass(self.service.call(req), Some(owned), defers)
            }
        }
    }
}

/// The response future of [`CorsMiddleware`]; not used directly.
///
/// A named future (not a boxed one), so the middleware adds no allocation per request.
///
/// ```
/// use actix_cross_origin::CorsFuture;
/// fn named<F, B>(_: CorsFuture<F, B>) {}
/// ```
pub struct CorsFuture<F, B> {
    state: State<F, B>,
}

enum State<F, B> {
    /// A preflight answered here.
    Ready(Option<ServiceResponse<EitherBody<B>>>),
    /// The inner service's future; the stamp is applied to what it returns.
    Pass {
        fut: F,
        stamp: Option<OwnedStamp>,
        /// An inner layer may have decided already; if it did, leave its answer alone.
        defers: bool,
    },
    /// A preflight routed onward to an inner policy; answered here if none took it.
    Deferred {
        fut: F,
        answer: Option<HttpResponse>,
        mark: bool,
        log_line: Option<Box<str>>,
    },
    Done,
}

impl<F, B> CorsFuture<F, B> {
    fn ready(res: ServiceResponse<EitherBody<B>>) -> Self {
        CorsFuture {
            state: State::Ready(Some(res)),
        }
    }

    fn pass(fut: F, stamp: Option<OwnedStamp>, defers: bool) -> Self {
        CorsFuture {
            state: State::Pass { fut, stamp, defers },
        }
    }

    fn deferred(fut: F, answer: HttpResponse, mark: bool, log_line: Option<Box<str>>) -> Self {
        CorsFuture {
            state: State::Deferred {
                fut,
                answer: Some(answer),
                mark,
                log_line,
            },
        }
    }
}

fn polled_after_completion() -> Error {
    actix_web::error::ErrorInternalServerError("CORS response polled after completion")
}

impl<F, B> Future for CorsFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `fut` is structurally pinned: it is only ever accessed through the pinned
        // references made below and is never moved out of `state`; `state` is replaced only
        // after `fut` has completed, which drops it in place. Nothing else is pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let output = match &mut this.state {
            State::Ready(res) => res.take().ok_or_else(polled_after_completion),
            State::Pass { fut, stamp, defers } => {
                // SAFETY: see above; `fut` is not moved while pinned.
                let result = match unsafe { Pin::new_unchecked(fut) }.poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                finish_pass(result, stamp.take(), *defers)
            }
            State::Deferred {
                fut,
                answer,
                mark,
                log_line,
            } => {
                // SAFETY: see above; `fut` is not moved while pinned.
                let result = match unsafe { Pin::new_unchecked(fut) }.poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                match answer.take() {
                    Some(answer) => finish_deferred(result, answer, *mark, log_line.take()),
                    None => Err(polled_after_completion()),
                }
            }
            State::Done => Err(polled_after_completion()),
        };
        this.state = State::Done;
        Poll::Ready(output)
    }
}

/// Marks a request as decided by this layer. The mark lives in the request's extensions,
/// which actix pools with their capacity, so it costs no allocation once the pool is warm.
fn mark_decided(req: &actix_web::HttpRequest) {
    req.extensions_mut().insert(Decided);
}

/// Whether an inner layer decided the response to this request.
fn decided_inside<B>(res: &ServiceResponse<B>) -> bool {
    res.request().extensions().contains::<Decided>()
}

/// The same for a response rendered from an error, which carries no request: an inner
/// layer's response mapper marks the response itself.
fn error_decided_inside<B>(res: &HttpResponse<B>) -> bool {
    res.extensions().contains::<Decided>()
}

fn finish_pass<B: MessageBody>(
    result: Result<ServiceResponse<B>, Error>,
    stamp: Option<OwnedStamp>,
    defers: bool,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let res = match result {
        Ok(res) => res,
        Err(mut err) => {
            // An inner middleware failed; the error becomes a response further out. Stamp that
            // response too, so browser code can read the error.
            if let Some(stamp) = stamp {
                err.add_response_mapper(move |mut res| {
                    if !(defers && error_decided_inside(&res)) {
                        stamp.apply(res.headers_mut(), None);
                        if stamp.mark {
                            res.extensions_mut().insert(Decided);
                        }
                    }
                    res
                });
            }
            return Err(err);
        }
    };
    if defers && decided_inside(&res) {
        return Ok(res.map_into_left_body());
    }
    let allow = stamp
        .as_ref()
        .filter(|s| s.automatic_options)
        .and_then(|s| Some(s.policy.as_ref()?.policy()?.allow.clone()));
    let mut res = match allow {
        Some(allow)
            if matches!(
                res.status(),
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
            ) =>
        {
            // No handler answers this plain OPTIONS: answer it as flask-cors would.
            let (req, _) = res.into_parts();
            let answer = HttpResponse::Ok()
                .insert_header((header::ALLOW, allow))
                .finish();
            ServiceResponse::new(req, answer.map_into_right_body())
        }
        _ => res.map_into_left_body(),
    };
    if let Some(stamp) = &stamp {
        // Only a preflight handed to the handler reads the request again.
        let req = stamp.handed_preflight.then(|| res.request().clone());
        stamp.apply(res.headers_mut(), req.as_ref().map(HttpRequest::head));
        if stamp.mark {
            mark_decided(res.request());
        }
    }
    Ok(res)
}

fn finish_deferred<B: MessageBody>(
    result: Result<ServiceResponse<B>, Error>,
    answer: HttpResponse,
    mark: bool,
    log_line: Option<Box<str>>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    match result {
        Ok(res) if decided_inside(&res) => Ok(res.map_into_left_body()),
        Ok(res) => {
            // No inner policy answered (no route, no OPTIONS route, or a handler that is not
            // a policy's): this layer's answer replaces whatever came back.
            if let Some(line) = &log_line {
                log::debug!(target: LOG_TARGET, "{line}");
            }
            let (req, _) = res.into_parts();
            if mark {
                mark_decided(&req);
            }
            Ok(ServiceResponse::new(req, answer.map_into_right_body()))
        }
        Err(mut err) => {
            // Something inside (authentication, say) refused the preflight before any inner
            // policy saw it; a preflight never carries credentials, so answer it here.
            let answer = PreflightAnswer::of(&answer, mark);
            err.add_response_mapper(move |res| {
                if error_decided_inside(&res) {
                    return res;
                }
                if let Some(line) = &log_line {
                    log::debug!(target: LOG_TARGET, "{line}");
                }
                answer.render()
            });
            Err(err)
        }
    }
}
