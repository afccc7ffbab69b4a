//! The one place for test helpers: a real actix `App` with real routing, request builders,
//! what to read in a response, log capture, and the shared tables (`hostile_input`) and
//! oracle (`oracle`). Each test binary takes it with `mod support;`.
#![allow(dead_code)]

pub mod fetch_check;
pub mod hostile_input;
pub mod oracle;

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_cross_origin::Cors;
use actix_http::Request;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{error, test, web, App, Error, HttpResponse};
use log::{Level, Log, Metadata, Record};

pub use fetch_check::{Answer, Asked};

/// Counts how often handlers ran, to prove a preflight never reaches them.
#[derive(Clone, Default)]
pub struct Hits(Arc<AtomicUsize>);

impl Hits {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
    pub fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// An authentication-style middleware: no `Authorization` header, no entry (401 as an `Err`).
pub async fn require_token(
    req: actix_web::dev::ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        next.call(req).await
    } else {
        Err(error::ErrorUnauthorized("missing token"))
    }
}

/// What an `App` under construction wraps, for functions that add routes to any App.
pub trait AppEntry:
    actix_web::dev::ServiceFactory<
    actix_web::dev::ServiceRequest,
    Config = (),
    Error = Error,
    InitError = (),
>
{
}
impl<T> AppEntry for T where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = Error,
        InitError = (),
    >
{
}

/// A real `App` and its routing, as a service: what every helper below calls.
pub trait TestApp<B>: Service<Request, Response = ServiceResponse<B>, Error = Error> {}
impl<S, B> TestApp<B> for S where S: Service<Request, Response = ServiceResponse<B>, Error = Error> {}

/// The API every app-wide test runs against, wrapped in `cors` at the App level.
pub async fn api(cors: Cors, hits: &Hits) -> impl TestApp<EitherBody<BoxBody>> + use<> {
    test::init_service(routes(App::new(), hits).wrap(cors)).await
}

/// Sends a `TestRequest` through `app`.
pub async fn call<B>(app: &impl TestApp<B>, req: test::TestRequest) -> ServiceResponse<B> {
    test::call_service(app, req.to_request()).await
}

/// Like [`call`], but an `Err` from the service is rendered as the HTTP server would render it
/// (response mappers included), so its headers can be checked.
pub async fn call_rendered<B: MessageBody + 'static>(
    app: &impl TestApp<B>,
    req: test::TestRequest,
) -> ServiceResponse<BoxBody> {
    match app.call(req.to_request()).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => ServiceResponse::new(
            test::TestRequest::default().to_http_request(),
            err.error_response(),
        ),
    }
}

/// The routes of the test API: handlers that count their calls, error and status routes, a
/// route with its own OPTIONS handler, and a scope behind an authentication middleware.
pub fn routes<T: AppEntry>(app: App<T>, hits: &Hits) -> App<T> {
    let h = || hits.clone();
    let (h1, h2, h3, h4) = (h(), h(), h(), h());
    app.route(
        "/items",
        web::get().to(move || {
            h1.hit();
            async { "items" }
        }),
    )
    .route(
        "/items",
        web::put().to(move || {
            h2.hit();
            async { "saved" }
        }),
    )
    .route(
        "/vary",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header((header::VARY, "Accept-Encoding"))
                .finish()
        }),
    )
    .route(
        "/vary-origin",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header((header::VARY, "origin"))
                .finish()
        }),
    )
    .route(
        "/acao",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header((
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    "https://handler.example",
                ))
                .finish()
        }),
    )
    .route(
        "/fail",
        web::get().to(move || {
            h3.hit();
            async { Err::<HttpResponse, _>(error::ErrorInternalServerError("boom")) }
        }),
    )
    .route(
        "/teapot",
        web::get().to(|| async { HttpResponse::build(StatusCode::IM_A_TEAPOT).finish() }),
    )
    .route(
        "/options-handler",
        web::route().method(Method::OPTIONS).to(move || {
            h4.hit();
            async { HttpResponse::Ok().body("own options") }
        }),
    )
    .service(
        web::scope("/auth")
            .wrap(from_fn(require_token))
            .route("/me", web::get().to(|| async { "me" })),
    )
}

pub fn get(path: &str, origin: Option<&str>) -> test::TestRequest {
    let mut req = test::TestRequest::get().uri(path);
    if let Some(o) = origin {
        req = req.insert_header((header::ORIGIN, o));
    }
    req
}

pub fn preflight(
    path: &str,
    origin: &str,
    method: &str,
    headers: Option<&str>,
) -> test::TestRequest {
    let mut req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method));
    if let Some(h) = headers {
        req = req.insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, h));
    }
    req
}

/// Every value of a header, in order.
pub fn all<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    res.headers()
        .get_all(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

/// The single value of a header, or `None`; fails the test if the header appears twice.
pub fn one<B>(res: &ServiceResponse<B>, name: &str) -> Option<String> {
    let values = all(res, name);
    assert!(
        values.len() <= 1,
        "{name} appears {} times: {values:?}",
        values.len()
    );
    values.into_iter().next()
}

pub fn acao<B>(res: &ServiceResponse<B>) -> Option<String> {
    one(res, "access-control-allow-origin")
}

/// Whether any `Access-Control-Allow-*` (or Expose/Max-Age) header is present.
pub fn has_cors_headers<B>(res: &ServiceResponse<B>) -> bool {
    res.headers()
        .keys()
        .any(|k| k.as_str().starts_with("access-control-"))
}

/// How many times `Origin` is listed across all `Vary` fields.
pub fn vary_origin_count<B>(res: &ServiceResponse<B>) -> usize {
    all(res, "vary")
        .iter()
        .flat_map(|v| {
            v.split(',')
                .map(|t| t.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .filter(|t| t == "origin")
        .count()
}

impl<B> Answer for ServiceResponse<B> {
    fn status(&self) -> u16 {
        ServiceResponse::status(self).as_u16()
    }
    fn values(&self, name: &str) -> Vec<String> {
        all(self, name)
    }
}

/// Whether a browser passes `res` as the answer to a preflight from `origin` naming `method`
/// and `request_headers`, in the credentials mode `credentials` (Fetch §4.8; see
/// [`fetch_check`]).
pub fn preflight_passes<B>(
    res: &ServiceResponse<B>,
    origin: &str,
    method: &str,
    request_headers: Option<&str>,
    credentials: bool,
) -> bool {
    fetch_check::preflight_passes(
        res,
        &Asked {
            origin,
            method,
            headers: request_headers.unwrap_or_default(),
            credentials,
            private_network: false,
        },
    )
}

/// The request `res` answers, as the browser that sent it saw it: its Origin, and for a
/// preflight its method, headers (every line joined) and whether it asked for private network
/// access. `None` without an Origin.
fn asked_by<B>(res: &ServiceResponse<B>, f: impl FnOnce(Asked<'_>) -> bool) -> Option<bool> {
    let head = res.request().headers();
    let text = |name: &str| {
        head.get_all(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect::<Vec<_>>()
    };
    let origin = text("origin").join(", ");
    if origin.is_empty() {
        return None;
    }
    let method = text("access-control-request-method").join(", ");
    let headers = text("access-control-request-headers").join(",");
    let private_network = text("access-control-request-private-network") == ["true"];
    Some(f(Asked {
        origin: &origin,
        method: &method,
        headers: &headers,
        credentials: false,
        private_network,
    }))
}

/// Whether the request `res` answers is a CORS preflight (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`).
pub fn is_preflight<B>(res: &ServiceResponse<B>) -> bool {
    let req = res.request();
    req.method() == Method::OPTIONS
        && req.headers().contains_key(header::ORIGIN)
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// Whether the page that sent the request `res` answers may go on (a preflight: the actual
/// request is sent; an actual request: the page reads the answer), in the credentials mode
/// `credentials`. False without an Origin: no browser is involved.
pub fn browser_passes<B>(res: &ServiceResponse<B>, credentials: bool) -> bool {
    let preflight = is_preflight(res);
    asked_by(res, |asked| {
        let asked = Asked {
            credentials,
            ..asked
        };
        if preflight {
            fetch_check::preflight_passes(res, &asked)
        } else {
            fetch_check::cors_check(res, asked.origin, credentials)
        }
    })
    .unwrap_or(false)
}

/// An answer's CORS fields (`Access-Control-*`), `Vary` and `CORS-Refusal`, each value on its
/// own, sorted: what a refusal's answer is compared with whole.
pub fn cors_fields<B>(res: &ServiceResponse<B>) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            name.starts_with("access-control-") || name == "vary" || name == "cors-refusal"
        })
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    fields.sort();
    fields
}

/// Asserts that `res` carries exactly the fields `want` (see [`cors_fields`]; any order).
#[track_caller]
pub fn assert_cors_fields<B>(res: &ServiceResponse<B>, want: &[(&str, &str)], context: &str) {
    let mut want: Vec<(String, String)> = want
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    want.sort();
    assert_eq!(cors_fields(res), want, "{context}");
}

/// Asserts that `res` is the middleware's answer to a refused preflight: `204 No Content`,
/// exactly the fields `want` (see [`cors_fields`]; any order), and an answer every browser
/// refuses, with credentials or without.
#[track_caller]
pub fn assert_refused_preflight<B>(res: &ServiceResponse<B>, want: &[(&str, &str)], context: &str) {
    assert!(is_preflight(res), "{context}: not a preflight");
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "{context}");
    assert_cors_fields(res, want, context);
    for credentials in [false, true] {
        assert!(
            !browser_passes(res, credentials),
            "{context}: a browser passes it (credentials {credentials})"
        );
    }
}

/// The fields of a preflight refused for its origin: nothing that grants, only `Vary: Origin`
/// when the policy varies.
pub const ORIGIN_REFUSED: &[(&str, &str)] = &[("vary", "Origin")];

/// Collects this crate's log records per thread: each test runs on its own thread with its own
/// single-threaded runtime, so tests running in parallel never see each other's lines.
struct Capture;

thread_local! {
    static LINES: RefCell<Vec<(Level, String)>> = const { RefCell::new(Vec::new()) };
}

impl Log for Capture {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.target().starts_with("actix_cross_origin")
    }
    fn log(&self, r: &Record<'_>) {
        if self.enabled(r.metadata()) {
            LINES.with(|l| l.borrow_mut().push((r.level(), r.args().to_string())));
        }
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

/// Runs `f` and returns what it logged on this thread.
pub async fn logged<F: std::future::Future<Output = ()>>(f: F) -> Vec<(Level, String)> {
    let _ = log::set_logger(&CAPTURE);
    log::set_max_level(log::LevelFilter::Trace);
    LINES.with(|l| l.borrow_mut().clear());
    f.await;
    LINES.with(|l| std::mem::take(&mut *l.borrow_mut()))
}
