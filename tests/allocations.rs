//! The middleware adds no heap allocation to actual requests, and a preflight costs no more
//! allocations than the App itself needs to answer a plain request. Counted, not timed: a
//! counting global allocator around real `App` calls.

use actix_cross_origin::Cors;
use actix_web::body::{BoxBody, EitherBody};
use actix_web::http::header::HeaderValue;
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
mod support;
use counting_alloc::allocations;
use support::TestApp;

const ROUNDS: usize = 50;

/// A request as the HTTP/1 decoder hands it over: its header values are slices of a shared,
/// reference-counted buffer, so copying one never allocates.
fn request(method: Method, headers: &[(&'static str, &'static str)]) -> TestRequest {
    let mut req = TestRequest::default().method(method).uri("/items");
    for (name, value) in headers {
        req = req.insert_header((*name, shared(value)));
    }
    req
}

fn shared(value: &str) -> HeaderValue {
    let v = HeaderValue::from_str(value).unwrap();
    // The first clone turns the owned buffer into a shared one, as the decoder's buffer is.
    drop(v.clone());
    v
}

/// Allocations per call of `app` on requests made by `make`, after warming up. Requests are
/// built before counting; only the call and the response's drop are counted.
async fn per_call<B>(app: &impl TestApp<B>, make: impl Fn() -> TestRequest) -> f64 {
    for _ in 0..5 {
        let _ = app.call(make().to_request()).await.unwrap();
    }
    let requests: Vec<_> = (0..ROUNDS).map(|_| make().to_request()).collect();
    let before = allocations();
    for req in requests {
        let res = app.call(req).await.unwrap();
        drop(res);
    }
    (allocations() - before) as f64 / ROUNDS as f64
}

async fn items() -> HttpResponse {
    HttpResponse::Ok().body("items")
}

/// The App every case runs against, without middleware.
async fn bare_app() -> impl TestApp<BoxBody> {
    test::init_service(App::new().route("/items", web::get().to(items))).await
}

/// The same App wrapped in `cors`.
async fn app(cors: Cors) -> impl TestApp<EitherBody<BoxBody>> {
    test::init_service(App::new().route("/items", web::get().to(items)).wrap(cors)).await
}

fn thousand_origins() -> Vec<String> {
    (0..1000)
        .map(|i| format!("https://{i:03}.example.com"))
        .collect()
}

#[actix_rt::test]
async fn the_middleware_adds_no_allocation_to_actual_requests() {
    let bare = bare_app().await;
    let allowed = || request(Method::GET, &[("origin", "https://app.example.com")]);
    let baseline = per_call(&bare, allowed).await;

    type Case = (&'static str, Cors, fn() -> TestRequest);
    let cases: Vec<Case> = vec![
        (
            "allowed, one origin, credentials",
            Cors::default()
                .origins(["https://app.example.com"])
                .supports_credentials(true)
                .expose_headers(["X-Total"]),
            || request(Method::GET, &[("origin", "https://app.example.com")]),
        ),
        (
            "denied",
            Cors::default()
                .origins(["https://app.example.com"])
                .supports_credentials(true),
            || request(Method::GET, &[("origin", "https://evil.example")]),
        ),
        (
            "without Origin",
            Cors::default()
                .origins(["https://app.example.com"])
                .supports_credentials(true),
            || request(Method::GET, &[]),
        ),
        ("any origin, reflected", Cors::default(), || {
            request(Method::GET, &[("origin", "https://anyone.example")])
        }),
        (
            "1,000 origins, the last one",
            Cors::default().origins(thousand_origins()),
            || request(Method::GET, &[("origin", "https://999.example.com")]),
        ),
        (
            "subdomain pattern",
            Cors::default().origins(["https://*.example.com"]),
            || request(Method::GET, &[("origin", "https://a.b.example.com")]),
        ),
        (
            "full-match regex",
            Cors::default().origin_regexes([r"https://[a-z]+\.example\.com"]),
            || request(Method::GET, &[("origin", "https://app.example.com")]),
        ),
        (
            "plain OPTIONS answered automatically",
            Cors::default(),
            || request(Method::OPTIONS, &[("origin", "https://app.example.com")]),
        ),
    ];
    let mut report = Vec::new();
    for (name, cors, make) in cases {
        let app = app(cors).await;
        let with = per_call(&app, make).await;
        let without = per_call(&bare, make).await;
        report.push(format!(
            "{name}: {with} with the middleware, {without} without"
        ));
        // For the plain OPTIONS, the App's 404 is replaced by a 200 with an Allow header,
        // which costs no more than the 404 did.
        assert!(
            with <= without,
            "{name}: the middleware allocated ({with} > {without})"
        );
    }
    println!("baseline {baseline}\n{}", report.join("\n"));
}

#[actix_rt::test]
async fn a_preflight_costs_no_more_than_the_app_answering_a_request() {
    let bare = bare_app().await;
    let simple = || request(Method::GET, &[]);
    let app_answer = per_call(&bare, simple).await;

    let cors = Cors::default()
        .origins(["https://app.example.com"])
        .supports_credentials(true)
        .methods(["GET", "PUT"])
        .allow_headers(["content-type", "x-token"])
        .max_age(600);
    let app = app(cors).await;
    let allowed = || {
        request(
            Method::OPTIONS,
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type,x-token"),
            ],
        )
    };
    let denied = || {
        request(
            Method::OPTIONS,
            &[
                ("origin", "https://evil.example"),
                ("access-control-request-method", "PUT"),
            ],
        )
    };
    let granted = per_call(&app, allowed).await;
    let refused = per_call(&app, denied).await;
    println!("App answering a GET: {app_answer}; preflight granted: {granted}; refused: {refused}");
    assert!(
        granted <= app_answer,
        "granted preflight: {granted} > {app_answer}"
    );
    assert!(
        refused <= app_answer,
        "refused preflight: {refused} > {app_answer}"
    );
}

#[actix_rt::test]
async fn a_megabyte_of_request_headers_costs_nothing_in_proportion() {
    let cors = Cors::default().origins(["https://app.example.com"]);
    let app = app(cors).await;
    static MEGABYTE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let preflight = |headers: &'static str| {
        request(
            Method::OPTIONS,
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", headers),
            ],
        )
    };
    let normal = || preflight("content-type");
    let hostile = || preflight(MEGABYTE.get_or_init(|| ", ".repeat(512 * 1024)));
    let n = per_call(&app, normal).await;
    let h = per_call(&app, hostile).await;
    println!("normal preflight {n}, 1 MiB Access-Control-Request-Headers {h}");
    assert!(h <= n, "{h} > {n}");
}

#[actix_rt::test]
async fn nested_policies_add_no_allocation_either() {
    use actix_cross_origin::cross_origin;
    let bare = test::init_service(App::new().service(web::scope("/partner").route(
        "/items",
        web::get().to(|| async { HttpResponse::Ok().body("items") }),
    )))
    .await;
    let nested = test::init_service(
        App::new()
            .service(
                web::scope("/partner")
                    .wrap(cross_origin().origins(["https://partner.example"]))
                    .route(
                        "/items",
                        web::get().to(|| async { HttpResponse::Ok().body("items") }),
                    ),
            )
            .wrap(Cors::default().origins(["https://app.example.com"])),
    )
    .await;
    let partner =
        || request(Method::GET, &[("origin", "https://partner.example")]).uri("/partner/items");
    let refused =
        || request(Method::GET, &[("origin", "https://app.example.com")]).uri("/partner/items");
    for (name, make) in [
        ("granted by the scope", partner as fn() -> TestRequest),
        ("refused by the scope", refused),
    ] {
        let without = per_call(&bare, make).await;
        let with = per_call(&nested, make).await;
        println!("{name}: {with} with two nested policies, {without} without");
        assert!(with <= without, "{name}: {with} > {without}");
    }
}

#[actix_rt::test]
async fn a_reconfigured_cors_adds_no_allocation_either() {
    let cors = Cors::default()
        .origins(["https://app.example.com"])
        .try_build()
        .unwrap();
    let app = app(cors.clone()).await;
    let bare = bare_app().await;
    let from = |origin: &'static str| move || request(Method::GET, &[("origin", origin)]);
    // Changed before and while the App runs: after each worker's first request under the new
    // policy (which copies it), requests allocate no more than without the middleware.
    for origins in [
        &["https://b.example"][..],
        &["https://b.example", "https://c.example"],
    ] {
        let mut options = cors.options();
        options.origins = Some(origins.iter().map(|o| o.to_string()).collect());
        cors.reconfigure(options).unwrap();
        let with = per_call(&app, from("https://b.example")).await;
        let without = per_call(&bare, from("https://b.example")).await;
        assert!(with <= without, "reconfigured: {with} > {without}");
        let res = support::call(&app, from("https://b.example")()).await;
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            "https://b.example"
        );
    }
}
