//! The cost of CORS per request: an actix `App` with no middleware, with actix-cors, and with
//! actix-cross-origin, side by side, on the same requests.
//!
//! `cargo bench` runs every case under criterion, then prints a table: ns/op for each subject,
//! the overhead over the bare App (with minus without), that overhead as a share of
//! actix-cors's, and heap allocations per request (counted by a counting allocator).

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};
use criterion::{BatchSize, Criterion};
use futures_util::FutureExt;

#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations;

const APP_ORIGIN: &str = "https://app.example.com";

/// The request of a case, built the same way for every subject.
///
/// Header values are made the way the HTTP/1 decoder makes them: slices of a shared,
/// reference-counted buffer, so that copying one costs an atomic increment and no allocation
/// (a `from_static` value would make copies free and flatter a middleware that copies).
#[derive(Clone, Copy)]
enum Req {
    Get(Option<&'static str>),
    Preflight {
        origin: &'static str,
        headers: &'static str,
    },
}

/// A header value backed by a shared buffer, as a decoded request's are.
fn shared(value: &str) -> HeaderValue {
    let v = HeaderValue::from_str(value).expect("a valid header value");
    // The first clone turns the owned buffer into a shared one.
    drop(v.clone());
    v
}

impl Req {
    fn build(self) -> TestRequest {
        let mut req = TestRequest::default().uri("/items");
        match self {
            Req::Get(origin) => {
                if let Some(o) = origin {
                    req = req.insert_header(("origin", shared(o)));
                }
            }
            Req::Preflight { origin, headers } => {
                req = req
                    .method(Method::OPTIONS)
                    .insert_header(("origin", HeaderValue::from_static(origin)))
                    .insert_header((
                        "access-control-request-method",
                        HeaderValue::from_static("PUT"),
                    ))
                    .insert_header((
                        "access-control-request-headers",
                        HeaderValue::from_static(headers),
                    ));
            }
        }
        req
    }
}

/// What the middleware is configured with in a case.
#[derive(Clone, Copy)]
enum Policy {
    OneOrigin,
    ThousandOrigins,
    TenThousandOrigins,
    Subdomain,
    ThousandSubdomains,
    Regex,
    HundredRegexes,
}

fn thousand_origins() -> Vec<String> {
    listed_origins(1000)
}

fn listed_origins(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://{i:03}.example.com"))
        .collect()
}

fn hundred_regexes() -> Vec<String> {
    (0..100)
        .map(|i| format!(r"https://[a-z]+\.tenant{i}\.example\.com"))
        .collect()
}

fn ours(policy: Policy) -> actix_cross_origin::Cors {
    let base = actix_cross_origin::Cors::default()
        .supports_credentials(true)
        .methods(["GET", "PUT"])
        .allow_headers(["content-type", "x-token"]);
    let cors = match policy {
        Policy::OneOrigin => base.origins([APP_ORIGIN]),
        Policy::ThousandOrigins => base.origins(thousand_origins()),
        Policy::TenThousandOrigins => base.origins(listed_origins(10_000)),
        Policy::Subdomain => base.origins(["https://*.example.com"]),
        Policy::ThousandSubdomains => {
            base.origins((0..1000).map(|i| format!("https://*.d{i}.example.com")))
        }
        Policy::Regex => base.origin_regexes([r"https://[a-z]+\.example\.com"]),
        Policy::HundredRegexes => base.origin_regexes(hundred_regexes()),
    };
    cors.try_build().expect("valid bench policy")
}

fn theirs(policy: Policy) -> actix_cors::Cors {
    let base = actix_cors::Cors::default()
        .supports_credentials()
        .allowed_methods(["GET", "PUT"])
        .allowed_headers(["content-type", "x-token"]);
    match policy {
        Policy::OneOrigin => base.allowed_origin(APP_ORIGIN),
        Policy::ThousandOrigins => thousand_origins()
            .iter()
            .fold(base, |c, o| c.allowed_origin(o)),
        Policy::TenThousandOrigins => listed_origins(10_000)
            .iter()
            .fold(base, |c, o| c.allowed_origin(o)),
        // actix-cors has no patterns; its users write a function (as its own example does).
        Policy::Subdomain => base.allowed_origin_fn(|o, _| {
            o.as_bytes().starts_with(b"https://") && o.as_bytes().ends_with(b".example.com")
        }),
        Policy::ThousandSubdomains => {
            let suffixes: Vec<String> = (0..1000).map(|i| format!(".d{i}.example.com")).collect();
            base.allowed_origin_fn(move |o, _| {
                let o = o.as_bytes();
                o.starts_with(b"https://") && suffixes.iter().any(|s| o.ends_with(s.as_bytes()))
            })
        }
        Policy::Regex => {
            let re = regex::Regex::new(r"^https://[a-z]+\.example\.com$").unwrap();
            base.allowed_origin_fn(move |o, _| o.to_str().is_ok_and(|o| re.is_match(o)))
        }
        Policy::HundredRegexes => {
            let wrapped: Vec<String> = hundred_regexes().iter().map(|r| format!("^{r}$")).collect();
            let set = regex::RegexSet::new(wrapped).unwrap();
            base.allowed_origin_fn(move |o, _| o.to_str().is_ok_and(|o| set.is_match(o)))
        }
    }
}

/// The least any CORS middleware must do to give a case's answer, with no decision at all: it
/// writes the header fields our answer carries (captured from it once), cloning each value
/// per request; for a preflight it answers 204 with them instead of calling the App. What
/// this costs over the bare App is actix-web's price for those fields, paid by every
/// middleware, and it bounds from below what any CORS layer can add.
mod floor {
    use std::future::{ready, Ready};
    use std::rc::Rc;

    use actix_web::body::{EitherBody, MessageBody};
    use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
    use actix_web::http::header::{HeaderName, HeaderValue};
    use actix_web::{Error, HttpResponse};
    use futures_util::future::Either;
    use futures_util::FutureExt;

    type Fields = Rc<Vec<(HeaderName, HeaderValue)>>;

    #[derive(Clone)]
    pub struct Floor {
        pub fields: Fields,
        pub answer_here: bool,
    }

    pub struct FloorService<S> {
        service: S,
        floor: Floor,
    }

    impl<S, B> Transform<S, ServiceRequest> for Floor
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
        S::Future: Unpin,
        B: MessageBody + 'static,
    {
        type Response = ServiceResponse<EitherBody<B>>;
        type Error = Error;
        type Transform = FloorService<S>;
        type InitError = ();
        type Future = Ready<Result<FloorService<S>, ()>>;

        fn new_transform(&self, service: S) -> Self::Future {
            ready(Ok(FloorService {
                service,
                floor: self.clone(),
            }))
        }
    }

    pub struct Stamped<F> {
        fut: F,
        fields: Fields,
    }

    impl<F, B> std::future::Future for Stamped<F>
    where
        F: std::future::Future<Output = Result<ServiceResponse<B>, Error>> + Unpin,
    {
        type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

        fn poll(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Self::Output> {
            let res = std::task::ready!(self.fut.poll_unpin(cx))?;
            let mut res = res.map_into_left_body();
            let headers = res.headers_mut();
            for (name, value) in self.fields.iter() {
                headers.insert(name.clone(), value.clone());
            }
            std::task::Poll::Ready(Ok(res))
        }
    }

    impl<S, B> Service<ServiceRequest> for FloorService<S>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
        S::Future: Unpin,
    {
        type Response = ServiceResponse<EitherBody<B>>;
        type Error = Error;
        type Future =
            Either<Stamped<S::Future>, Ready<Result<ServiceResponse<EitherBody<B>>, Error>>>;

        actix_web::dev::forward_ready!(service);

        fn call(&self, req: ServiceRequest) -> Self::Future {
            if self.floor.answer_here {
                let mut res = HttpResponse::NoContent().finish();
                for (name, value) in self.floor.fields.iter() {
                    res.headers_mut().insert(name.clone(), value.clone());
                }
                return Either::Right(ready(Ok(req.into_response(res).map_into_right_body())));
            }
            Either::Left(Stamped {
                fut: self.service.call(req),
                fields: Rc::clone(&self.floor.fields),
            })
        }
    }
}

struct Case {
    name: &'static str,
    policy: Policy,
    req: Req,
}

fn cases() -> Vec<Case> {
    let megabyte: &'static str = Box::leak(", ".repeat(512 * 1024).into_boxed_str());
    let c = |name, policy, req| Case { name, policy, req };
    vec![
        c(
            "actual allowed (1 origin, credentials)",
            Policy::OneOrigin,
            Req::Get(Some(APP_ORIGIN)),
        ),
        c(
            "actual denied",
            Policy::OneOrigin,
            Req::Get(Some("https://evil.example")),
        ),
        c("actual without Origin", Policy::OneOrigin, Req::Get(None)),
        c(
            "actual allowed, 1000 origins (last)",
            Policy::ThousandOrigins,
            Req::Get(Some("https://999.example.com")),
        ),
        c(
            "actual allowed, subdomain pattern",
            Policy::Subdomain,
            Req::Get(Some("https://a.b.example.com")),
        ),
        c(
            "actual allowed, 1000 subdomain patterns (last)",
            Policy::ThousandSubdomains,
            Req::Get(Some("https://a.d999.example.com")),
        ),
        c(
            "actual allowed, full-match regex",
            Policy::Regex,
            Req::Get(Some(APP_ORIGIN)),
        ),
        c(
            "actual allowed, 100 regexes (last)",
            Policy::HundredRegexes,
            Req::Get(Some("https://a.tenant99.example.com")),
        ),
        c(
            "preflight allowed",
            Policy::OneOrigin,
            Req::Preflight {
                origin: APP_ORIGIN,
                headers: "content-type,x-token",
            },
        ),
        c(
            "preflight denied (origin)",
            Policy::OneOrigin,
            Req::Preflight {
                origin: "https://evil.example",
                headers: "content-type,x-token",
            },
        ),
        c(
            "preflight, 1 MiB Access-Control-Request-Headers",
            Policy::OneOrigin,
            Req::Preflight {
                origin: APP_ORIGIN,
                headers: megabyte,
            },
        ),
        // Last, so that the other cases keep their `CORS_PROFILE` numbers.
        c(
            "actual allowed, 10000 origins (last)",
            Policy::TenThousandOrigins,
            Req::Get(Some("https://9999.example.com")),
        ),
    ]
}

async fn items() -> HttpResponse {
    HttpResponse::Ok().body("items")
}

/// Runs one call to completion; every service here answers without waiting, so no executor
/// is needed and none adds to the cost. Never inlined, so that a profiler can count exactly
/// the instructions spent inside it (`--toggle-collect=middleware::call`).
#[inline(never)]
fn call<S, R, B>(app: &S, req: R) -> ServiceResponse<B>
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    app.call(req)
        .now_or_never()
        .expect("the App answers at once")
        .expect("the App answers without error")
}

/// One subject's figures for one case.
#[derive(Clone, Copy, Default)]
struct Figures {
    ns: f64,
    allocations: f64,
    status: u16,
}

/// Mean ns and allocations per call over pre-built requests: the median of 7 batches.
fn measure<S, R, B>(app: &S, make: impl Fn() -> R) -> Figures
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    const BATCH: usize = 2_000;
    let status = call(app, make()).status().as_u16();
    for _ in 0..BATCH {
        drop(call(app, make()));
    }
    let mut ns = Vec::new();
    let mut per_call = 0.0;
    for _ in 0..7 {
        let requests: Vec<R> = (0..BATCH).map(|_| make()).collect();
        let before = allocations();
        let start = std::time::Instant::now();
        for req in requests {
            drop(call(app, req));
        }
        ns.push(start.elapsed().as_nanos() as f64 / BATCH as f64);
        per_call = (allocations() - before) as f64 / BATCH as f64;
    }
    ns.sort_by(f64::total_cmp);
    Figures {
        ns: ns[3],
        allocations: per_call,
        status,
    }
}

macro_rules! subject {
    ($cors:expr) => {
        test::init_service(App::new().route("/items", web::get().to(items)).wrap($cors)).await
    };
}

/// The floor for a case: the CORS header fields of our answer to its request.
async fn floor_for(case: &Case) -> floor::Floor {
    let ours_app = subject!(ours(case.policy));
    fields_of(&ours_app, case)
}

/// The same for actix-cors's answer: what actix-web charges it for its own fields, where they
/// differ from ours (without an Origin, flask-cors's `always_send` makes us write more).
async fn their_floor_for(case: &Case) -> floor::Floor {
    let theirs_app = subject!(theirs(case.policy));
    fields_of(&theirs_app, case)
}

/// The CORS header fields of a subject's answer to a case's request.
fn fields_of<S, B>(app: &S, case: &Case) -> floor::Floor
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let res = call(app, case.req.build().to_request());
    let fields = res
        .headers()
        .iter()
        .filter(|(name, _)| {
            name.as_str().starts_with("access-control-") || *name == actix_web::http::header::VARY
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    floor::Floor {
        fields: std::rc::Rc::new(fields),
        answer_here: matches!(case.req, Req::Preflight { .. }),
    }
}

/// `CORS_PROFILE=<case number>` runs only actix-cross-origin on that case, many times, for a
/// profiler (`valgrind --tool=callgrind`), and prints nothing else.
fn profile(index: usize) {
    actix_web::rt::System::new().block_on(async {
        let case = cases().into_iter().nth(index).expect("a case number");
        let cors = ours(case.policy);
        let app = subject!(cors.clone());
        if std::env::var_os("CORS_PROFILE_RECONFIGURED").is_some() {
            // Changed once while the App runs (to the same options): every request then also
            // pays what a reconfigurable policy costs after a change.
            cors.reconfigure(cors.options())
                .expect("the same valid options");
            drop(call(&app, case.req.build().to_request()));
        }
        if std::env::var_os("CORS_PROFILE_SIZES").is_some() {
            let bare = test::init_service(App::new().route("/items", web::get().to(items))).await;
            let f1 = bare.call(case.req.build().to_request());
            let f2 = app.call(case.req.build().to_request());
            eprintln!(
                "future sizes: bare {} ours {}",
                std::mem::size_of_val(&f1),
                std::mem::size_of_val(&f2)
            );
        }
        let requests: Vec<_> = (0..20_000).map(|_| case.req.build().to_request()).collect();
        if std::env::var_os("CORS_PROFILE_THEIRS").is_some() {
            let theirs_app = subject!(theirs(case.policy));
            for req in requests {
                drop(call(&theirs_app, req));
            }
            return;
        }
        if std::env::var_os("CORS_PROFILE_THEIR_FLOOR").is_some() {
            let floor_app = subject!(their_floor_for(&case).await);
            for req in requests {
                drop(call(&floor_app, req));
            }
            return;
        }
        if std::env::var_os("CORS_PROFILE_FLOOR").is_some() {
            let floor_app = subject!(floor_for(&case).await);
            for req in requests {
                drop(call(&floor_app, req));
            }
            return;
        }
        if std::env::var_os("CORS_PROFILE_BARE").is_some() {
            let bare = test::init_service(App::new().route("/items", web::get().to(items))).await;
            for req in requests {
                drop(call(&bare, req));
            }
            return;
        }
        for req in requests {
            drop(call(&app, req));
        }
    });
}

fn main() {
    if let Some(index) = std::env::var("CORS_PROFILE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return profile(index);
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(800))
        .sample_size(30)
        .configure_from_args();
    let rows = actix_web::rt::System::new().block_on(async {
        let bare = test::init_service(App::new().route("/items", web::get().to(items))).await;
        let mut rows = Vec::new();
        // `CORS_CASES=<text>` keeps only the cases whose name contains it.
        let only = std::env::var("CORS_CASES").unwrap_or_default();
        for case in cases().into_iter().filter(|c| c.name.contains(&only)) {
            // Built first: `floor_for` builds and drops a `Cors` of its own, which must be gone
            // before ours is built, or ours would take it for a layer nested inside it.
            let floor_app = subject!(floor_for(&case).await);
            let theirs_app = subject!(theirs(case.policy));
            let ours_app = subject!(ours(case.policy));
            let req = case.req;
            let mut group = criterion.benchmark_group(case.name);
            group.bench_function("no middleware", |b| {
                b.iter_batched(
                    || req.build().to_request(),
                    |r| call(&bare, r),
                    BatchSize::SmallInput,
                )
            });
            group.bench_function("header fields only", |b| {
                b.iter_batched(
                    || req.build().to_request(),
                    |r| call(&floor_app, r),
                    BatchSize::SmallInput,
                )
            });
            group.bench_function("actix-cors", |b| {
                b.iter_batched(
                    || req.build().to_request(),
                    |r| call(&theirs_app, r),
                    BatchSize::SmallInput,
                )
            });
            group.bench_function("actix-cross-origin", |b| {
                b.iter_batched(
                    || req.build().to_request(),
                    |r| call(&ours_app, r),
                    BatchSize::SmallInput,
                )
            });
            group.finish();
            let make = || req.build().to_request();
            rows.push((
                case.name,
                measure(&bare, make),
                measure(&floor_app, make),
                measure(&theirs_app, make),
                measure(&ours_app, make),
            ));
        }
        rows
    });
    criterion.final_summary();

    println!();
    println!(
        "| case | no middleware ns | header fields only ns | actix-cors ns | actix-cross-origin ns | overhead: fields only / actix-cors / ours ns | ours / actix-cors | above the fields: actix-cors / ours ns | allocs: none / actix-cors / ours | status: none / actix-cors / ours |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (name, none, fields, theirs, ours) in rows {
        let (of, ot, oo) = (fields.ns - none.ns, theirs.ns - none.ns, ours.ns - none.ns);
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} | {of:.0} / {ot:.0} / {oo:.0} | {} | {:.0} / {:.0} | {} / {} / {} | {} / {} / {} |",
            none.ns,
            fields.ns,
            theirs.ns,
            ours.ns,
            if ot > 0.0 { format!("{:.2}", oo / ot) } else { "n/a".into() },
            ot - of,
            oo - of,
            none.allocations,
            theirs.allocations,
            ours.allocations,
            none.status,
            theirs.status,
            ours.status,
        );
    }
}
