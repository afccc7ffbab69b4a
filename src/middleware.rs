//! The actix glue: picks the policy for the routed path, takes a [`RequestView`] of the
//! request, asks [`decide`], and follows the decision in one of two named steps:
//! [`answer_preflight`](CorsMiddleware::answer_preflight) or
//! [`forward_actual`](CorsMiddleware::forward_actual). The fields are written by `answer`, the
//! response future is `future`'s, and nesting follows the rule in `nesting`.

use std::cell::Cell;
use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_service::{Service, Transform};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{Error, HttpResponse};

use crate::answer::{preflight_response, ActualHeaders, PolicyHandle, RefusedActual};
use crate::cors::Cors;
use crate::decision::{
    decide, Actual, AllowOrigin, Decision, PreflightResult, Refusal, RequestView,
};
use crate::explain::Explanation;
use crate::fetch;
use crate::future::CorsFuture;
use crate::log_lines::{self, DecidedBy};
use crate::nesting::{Nesting, Place};
use crate::policy::{CompiledCors, Policy, PolicyIndex};
use crate::reconfigure::WorkerCopy;
use crate::source::PolicySource;

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
        ready(match self.live() {
            Ok(live) => Ok(CorsMiddleware {
                service,
                // This worker's own copy: its response futures hold it without atomic
                // reference counts, which workers would otherwise contend for.
                policies: WorkerCopy::new(Arc::clone(live)),
                place: Place::register(),
                source: self.source().clone(),
            }),
            Err(e) => {
                self.report_invalid(e);
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
    /// The policies in force, this worker's own copy, so that a response future can hold them
    /// without an atomic increment.
    policies: WorkerCopy,
    place: Rc<Place>,
    /// Where the `Cors` was written, for refusal lines.
    source: PolicySource,
}

impl<S> std::fmt::Debug for CorsMiddleware<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorsMiddleware")
            .field("policies", &self.policies)
            .field("place", &self.place)
            .finish_non_exhaustive()
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
        let nesting = self.place.on_request(req.request());
        // The policies this request is decided by, whole, even if they change meanwhile.
        let cors = self.policies.current();
        let Some((index, policy)) = cors.policy_for(|| req.match_info().as_str()) else {
            // No policy governs this path: leave the request and its response alone.
            return CorsFuture::pass(self.service.call(req), None, nesting);
        };
        // Each step reads what it needs while the decision borrows the request, then hands the
        // request on.
        match decide(policy, &RequestView::new(req.head())) {
            Decision::Preflight(result) if policy.automatic_options.is_some() => {
                let onward = self.route_preflight(&req, policy, &result, nesting);
                self.answer_preflight(preflight_response(policy, &result), req, onward, nesting)
            }
            Decision::Preflight(result) => {
                let headers = self.hand_preflight(&req, (&cors, index), policy, &result);
                CorsFuture::pass(self.service.call(req), headers, nesting)
            }
            Decision::Actual(actual) => {
                let headers = self.forward_actual(&req, (&cors, index), policy, actual, nesting);
                CorsFuture::pass(self.service.call(req), Some(headers), nesting)
            }
        }
    }
}

/// A preflight routed onward to inner policies first, with the line to log if none of them
/// answers it.
struct RouteOnward(Option<Box<str>>);

impl<S, B> CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    /// A preflight (Fetch §3.2.2) is answered by the middleware. With inner policies on the way
    /// (and routing not done yet), it is routed onward first; otherwise it is answered now, and
    /// a refusal is logged.
    #[inline]
    fn route_preflight(
        &self,
        req: &ServiceRequest,
        policy: &Policy,
        result: &PreflightResult<'_>,
        nesting: Nesting,
    ) -> Option<RouteOnward> {
        self.place.saw_preflight();
        let refusal = result.as_ref().err().map(|r| &r.refusal);
        // Routing has matched a resource when nothing of the path is left: no inner layer can
        // follow, so answer here rather than reach the handler.
        if nesting.yield_to_inner && !req.match_info().unprocessed().is_empty() {
            let by = self.decided_by(policy);
            let line = refusal.and_then(|r| log_lines::refused_preflight_for_later(req, r, by));
            return Some(RouteOnward(line));
        }
        if let Some(refusal) = refusal {
            log_lines::refused_preflight(req, refusal, self.decided_by(policy));
        }
        None
    }

    /// Sends the middleware's answer to a preflight, now or once inner policies have declined
    /// it.
    #[inline]
    fn answer_preflight(
        &self,
        answer: HttpResponse,
        req: ServiceRequest,
        onward: Option<RouteOnward>,
        nesting: Nesting,
    ) -> CorsFuture<S::Future, B> {
        if let Some(RouteOnward(line)) = onward {
            return CorsFuture::deferred(self.service.call(req), answer, nesting, line);
        }
        nesting.mark_decided(req.request());
        CorsFuture::ready(req.into_response(answer.map_into_right_body()))
    }

    /// A preflight handed to the route's own `OPTIONS` handler, because `automatic_options` is
    /// off: the handler answers, and a granted preflight's fields are added to its answer.
    fn hand_preflight(
        &self,
        req: &ServiceRequest,
        (cors, index): (&Rc<CompiledCors>, PolicyIndex),
        policy: &Policy,
        result: &PreflightResult<'_>,
    ) -> Option<ActualHeaders> {
        self.place.saw_preflight();
        if let Err(refused) = result {
            log_lines::refused_preflight(req, &refused.refusal, self.decided_by(policy));
        }
        ActualHeaders::for_handed_preflight(handle(cors, index))
    }

    /// An actual request (Fetch §3.2.3) always reaches the handler, since CORS decides who may
    /// read the answer, not who may send the request; the answer then gets these fields.
    #[inline]
    fn forward_actual(
        &self,
        req: &ServiceRequest,
        (cors, index): (&Rc<CompiledCors>, PolicyIndex),
        policy: &Policy,
        actual: Actual<'_>,
        nesting: Nesting,
    ) -> ActualHeaders {
        let refused = actual
            .refusal
            .as_ref()
            .and_then(|refusal| self.refused_actual(req, policy, refusal, nesting));
        if nesting.mark && actual.cross_origin {
            self.warn_if_preflights_unreachable(req);
        }
        let allow_origin = actual.allow_origin;
        let needs_policy =
            actual.automatic_options || (allow_origin.is_some() && policy.expose_headers.is_some());
        ActualHeaders {
            allow_origin: allow_origin.map(AllowOrigin::to_value),
            policy: needs_policy.then(|| handle(cors, index)),
            credentials: policy.credentials,
            vary: policy.vary,
            automatic_options: actual.automatic_options,
            handed_preflight: false,
            refused,
        }
    }

    /// A refused actual request's line, logged now, or kept until the answer shows that no
    /// inner policy decided the request instead; and explain mode's fields.
    fn refused_actual(
        &self,
        req: &ServiceRequest,
        policy: &Policy,
        refusal: &Refusal<'_>,
        nesting: Nesting,
    ) -> Option<Box<RefusedActual>> {
        let by = self.decided_by(policy);
        let log_line = if nesting.yield_to_inner {
            log_lines::refused_actual_for_later(req, refusal, by)
        } else {
            log_lines::refused_actual(req, refusal, by);
            None
        };
        let explanation = policy.explain.then(|| Explanation::of(policy, refusal));
        (log_line.is_some() || explanation.is_some()).then(|| {
            Box::new(RefusedActual {
                explanation,
                log_line: Cell::new(log_line),
            })
        })
    }

    /// Which policy decided, for a refusal line.
    fn decided_by<'a>(&'a self, policy: &'a Policy) -> DecidedBy<'a> {
        DecidedBy {
            source: &self.source,
            entry: &policy.entry,
        }
    }

    /// Warns once when this nested layer serves requests that needed a preflight it never saw.
    fn warn_if_preflights_unreachable(&self, req: &ServiceRequest) {
        let content_type = req.headers().get(header::CONTENT_TYPE);
        let method = req.method().as_str().as_bytes();
        if fetch::needs_preflight(method, content_type.map(HeaderValue::as_bytes))
            && self.place.first_sign_of_unreachable_preflights()
        {
            log_lines::preflights_unreachable(req);
        }
    }
}

/// A response future's way back to the policies its request was decided by.
fn handle(cors: &Rc<CompiledCors>, index: PolicyIndex) -> PolicyHandle {
    PolicyHandle {
        cors: Rc::clone(cors),
        index,
    }
}
