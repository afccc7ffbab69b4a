//! The actix layer: extracts a [`RequestView`], asks [`decide`], and applies the answer.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_service::{Service, Transform};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse};

use crate::cors::Cors;
use crate::decision::{
    decide, AllowOrigin, Decision, PreflightGrant, RequestView, ALLOW_PRIVATE_NETWORK,
};
use crate::headers::{append_vary_origin, Escaped};
use crate::policy::{CompiledCors, Policy};

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
                cors: Arc::clone(cors),
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
    cors: Arc<CompiledCors>,
}

/// Headers stamped on an actual response, owned so they outlive the request's borrow.
#[derive(Clone)]
struct OwnedStamp {
    allow_origin: Option<HeaderValue>,
    credentials: bool,
    expose_headers: Option<HeaderValue>,
    vary: bool,
}

impl OwnedStamp {
    fn apply(&self, headers: &mut HeaderMap) {
        if let Some(origin) = &self.allow_origin {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            if self.credentials {
                headers.insert(
                    header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
            if let Some(expose) = &self.expose_headers {
                headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
        }
        if self.vary {
            append_vary_origin(headers);
        }
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
        let path = req.match_info().as_str();
        let Some(policy) = self.cors.policy_for(path) else {
            // No policy governs this path: leave the request and its response alone.
            return CorsFuture::pass(self.service.call(req), None, None);
        };
        let view = RequestView::new(req.head());
        match decide(policy, &view) {
            Decision::Preflight(result) => {
                let response = match result {
                    Ok(grant) => preflight_response(policy, &grant),
                    Err(refusal) => {
                        log::debug!(
                            target: LOG_TARGET,
                            "preflight refused with 403: {refusal}; path {}",
                            Escaped(path.as_bytes())
                        );
                        let mut res = HttpResponse::build(StatusCode::FORBIDDEN);
                        if policy.vary {
                            res.insert_header((header::VARY, HeaderValue::from_static("Origin")));
                        }
                        res.finish()
                    }
                };
                CorsFuture::ready(req.into_response(response.map_into_right_body()))
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
                let owned = OwnedStamp {
                    allow_origin: stamp.allow_origin.map(AllowOrigin::to_value),
                    credentials: policy.credentials,
                    expose_headers: policy.expose_headers.clone(),
                    vary: stamp.vary,
                };
                let allow = automatic_options.then(|| policy.allow.clone());
                CorsFuture::pass(self.service.call(req), Some(owned), allow)
            }
        }
    }
}

fn preflight_response(policy: &Policy, grant: &PreflightGrant<'_>) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::NO_CONTENT);
    res.insert_header((
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        grant.allow_origin.to_value(),
    ));
    if policy.credentials {
        res.insert_header((
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        ));
    }
    let methods = policy
        .allow_methods
        .clone()
        .unwrap_or_else(|| grant.method.clone());
    res.insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, methods));
    if let Some(lines) = grant.request_headers {
        // Echo the names asked for, line by line: a browser joins field lines with commas, so
        // nothing needs to be joined (or allocated) here.
        for line in lines {
            res.append_header((header::ACCESS_CONTROL_ALLOW_HEADERS, line.clone()));
        }
    }
    if let Some(max_age) = &policy.max_age {
        res.insert_header((header::ACCESS_CONTROL_MAX_AGE, max_age.clone()));
    }
    if grant.private_network {
        res.insert_header((ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true")));
    }
    if policy.vary {
        res.insert_header((header::VARY, HeaderValue::from_static("Origin")));
    }
    res.finish()
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
        /// `Allow` value for an automatic `OPTIONS` answer.
        automatic_options: Option<HeaderValue>,
    },
    Done,
}

impl<F, B> CorsFuture<F, B> {
    fn ready(res: ServiceResponse<EitherBody<B>>) -> Self {
        CorsFuture {
            state: State::Ready(Some(res)),
        }
    }

    fn pass(fut: F, stamp: Option<OwnedStamp>, automatic_options: Option<HeaderValue>) -> Self {
        CorsFuture {
            state: State::Pass {
                fut,
                stamp,
                automatic_options,
            },
        }
    }
}

impl<F, B> Future for CorsFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `fut` is structurally pinned: it is only ever accessed through the pinned
        // reference made below and is never moved out of `state`; `state` is replaced only
        // after `fut` has completed, which drops it in place. Nothing else is pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let output = match &mut this.state {
            State::Ready(res) => match res.take() {
                Some(res) => Ok(res),
                None => Err(actix_web::error::ErrorInternalServerError(
                    "CORS response polled after completion",
                )),
            },
            State::Pass {
                fut,
                stamp,
                automatic_options,
            } => {
                // SAFETY: see above; `fut` is not moved while pinned.
                let fut = unsafe { Pin::new_unchecked(fut) };
                let result = match fut.poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                finish(result, stamp.take(), automatic_options.take())
            }
            State::Done => Err(actix_web::error::ErrorInternalServerError(
                "CORS response polled after completion",
            )),
        };
        this.state = State::Done;
        Poll::Ready(output)
    }
}

fn finish<B: MessageBody>(
    result: Result<ServiceResponse<B>, Error>,
    stamp: Option<OwnedStamp>,
    automatic_options: Option<HeaderValue>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let res = match result {
        Ok(res) => res,
        Err(mut err) => {
            // An inner middleware failed; the error becomes a response further out. Stamp that
            // response too, so browser code can read the error.
            if let Some(stamp) = stamp {
                err.add_response_mapper(move |mut res| {
                    stamp.apply(res.headers_mut());
                    res
                });
            }
            return Err(err);
        }
    };
    let mut res = match automatic_options {
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
        stamp.apply(res.headers_mut());
    }
    Ok(res)
}
