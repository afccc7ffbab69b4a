//! [`CorsFuture`]: the middleware's response future, a named (unboxed) future so that the
//! middleware adds no allocation per request, pinned safely with `pin-project-lite`.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::{Error, HttpRequest, HttpResponse};
use pin_project_lite::pin_project;

use crate::answer::{automatic_options_response, ActualHeaders, PreflightAnswer};
use crate::log_lines;
use crate::nesting::Nesting;

pin_project! {
    /// The response future of [`CorsMiddleware`](crate::CorsMiddleware); not used directly.
    ///
    /// ```
    /// use actix_cross_origin::CorsFuture;
    /// fn named<F, B>(_: CorsFuture<F, B>) {}
    /// ```
    pub struct CorsFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        /// A preflight answered here.
        Ready { res: Option<ServiceResponse<EitherBody<B>>> },
        /// The inner service's future; the CORS fields are written on what it returns.
        Pass {
            #[pin]
            fut: F,
            headers: Option<ActualHeaders>,
            nesting: Nesting,
        },
        /// A preflight routed onward to inner policies; answered here if none took it.
        Deferred {
            #[pin]
            fut: F,
            answer: Option<HttpResponse>,
            nesting: Nesting,
            log_line: Option<Box<str>>,
        },
        Done,
    }
}

impl<F, B> std::fmt::Debug for CorsFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorsFuture").finish_non_exhaustive()
    }
}

impl<F, B> CorsFuture<F, B> {
    pub(crate) fn ready(res: ServiceResponse<EitherBody<B>>) -> Self {
        CorsFuture {
            state: State::Ready { res: Some(res) },
        }
    }

    pub(crate) fn pass(fut: F, headers: Option<ActualHeaders>, nesting: Nesting) -> Self {
        CorsFuture {
            state: State::Pass {
                fut,
                headers,
                nesting,
            },
        }
    }

    pub(crate) fn deferred(
        fut: F,
        answer: HttpResponse,
        nesting: Nesting,
        log_line: Option<Box<str>>,
    ) -> Self {
        CorsFuture {
            state: State::Deferred {
                fut,
                answer: Some(answer),
                nesting,
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
        let mut state = self.project().state;
        let output = match state.as_mut().project() {
            StateProj::Ready { res } => res.take().ok_or_else(polled_after_completion),
            StateProj::Pass {
                fut,
                headers,
                nesting,
            } => finish_pass(ready!(fut.poll(cx)), headers.take(), *nesting),
            StateProj::Deferred {
                fut,
                answer,
                nesting,
                log_line,
            } => {
                let result = ready!(fut.poll(cx));
                match answer.take() {
                    Some(answer) => finish_deferred(result, answer, *nesting, log_line.take()),
                    None => Err(polled_after_completion()),
                }
            }
            StateProj::Done => Err(polled_after_completion()),
        };
        state.set(State::Done);
        Poll::Ready(output)
    }
}

/// The handler (or an inner layer) has answered: write the CORS fields on its answer, unless
/// an inner policy decided it; answer a plain `OPTIONS` nobody answered.
fn finish_pass<B: MessageBody>(
    result: Result<ServiceResponse<B>, Error>,
    headers: Option<ActualHeaders>,
    nesting: Nesting,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let res = match result {
        Ok(res) => res,
        Err(err) => return Err(stamp_error(err, headers, nesting)),
    };
    let headers = match headers {
        Some(headers) if !nesting.decided_inside(&res) => headers,
        _ => return Ok(res.map_into_left_body()),
    };
    let unanswered = matches!(
        res.status(),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    );
    let mut res = match headers.automatic_allow().filter(|_| unanswered) {
        // No handler answers this plain OPTIONS: answer it as flask-cors would.
        Some(allow) => {
            let (req, _) = res.into_parts();
            ServiceResponse::new(req, automatic_options_response(allow).map_into_right_body())
        }
        None => res.map_into_left_body(),
    };
    headers.log_refusal();
    // Only a preflight handed to the handler reads the request again.
    let req = headers.handed_preflight.then(|| res.request().clone());
    headers.apply_once(res.headers_mut(), req.as_ref().map(HttpRequest::head));
    nesting.mark_decided(res.request());
    Ok(res)
}

/// An inner middleware failed; the error becomes a response further out. Write the CORS
/// fields on that response too, so the page can read the error.
fn stamp_error(mut err: Error, headers: Option<ActualHeaders>, nesting: Nesting) -> Error {
    if let Some(headers) = headers {
        err.add_response_mapper(move |mut res| {
            if !nesting.error_decided_inside(&res) {
                headers.log_refusal();
                headers.apply(res.headers_mut(), None);
                nesting.mark_error_decided(&mut res);
            }
            res
        });
    }
    err
}

/// A preflight routed onward has come back: keep an inner policy's answer, or answer it here.
fn finish_deferred<B: MessageBody>(
    result: Result<ServiceResponse<B>, Error>,
    answer: HttpResponse,
    nesting: Nesting,
    log_line: Option<Box<str>>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    match result {
        Ok(res) if nesting.decided_inside(&res) => Ok(res.map_into_left_body()),
        Ok(res) => {
            // No inner policy answered (no route, no OPTIONS route, or a handler that is not
            // a policy's): this layer's answer replaces whatever came back.
            log_lines::kept(&log_line);
            let (req, _) = res.into_parts();
            nesting.mark_decided(&req);
            Ok(ServiceResponse::new(req, answer.map_into_right_body()))
        }
        Err(mut err) => {
            // Something inside (authentication, say) refused the preflight before any inner
            // policy saw it; a preflight never carries credentials, so answer it here.
            let answer = PreflightAnswer::of(&answer);
            err.add_response_mapper(move |res| {
                if nesting.error_decided_inside(&res) {
                    return res;
                }
                log_lines::kept(&log_line);
                let mut res = answer.render();
                nesting.mark_error_decided(&mut res);
                res
            });
            Err(err)
        }
    }
}
