//! `#[cross_origin]` above every actix route macro, through real Apps: the route answers its
//! own preflights with its own policy, with or without an App-level `Cors`, two methods on
//! one path each with theirs, and the handler never runs for a preflight.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_cross_origin::{cross_origin, Cors};
use actix_web::body::{BoxBody, EitherBody};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{delete, get, head, patch, post, put, route, web, App, HttpResponse, Responder};
use futures_util::FutureExt;
use support::*;

const PARTNER: &str = "https://partner.example";
const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

/// Handler runs, counted across the tests of this file (each test reads its own handlers).
static FEED_RUNS: AtomicUsize = AtomicUsize::new(0);

#[cross_origin(origins = ["https://partner.example"], allow_headers = ["x-token"], max_age = 600)]
#[get("/partner/feed")]
async fn feed() -> impl Responder {
    FEED_RUNS.fetch_add(1, Ordering::SeqCst);
    "feed"
}

#[cross_origin]
#[post("/upload")]
async fn upload() -> impl Responder {
    "uploaded"
}

#[cross_origin(origins = "https://partner.example", max_age = 1)]
#[put("/put")]
async fn put_route() -> impl Responder {
    "put"
}

#[cross_origin(origins = "https://partner.example", max_age = 2)]
#[delete("/delete")]
async fn delete_route() -> impl Responder {
    "deleted"
}

#[cross_origin(origins = "https://partner.example", max_age = 3)]
#[patch("/patch")]
async fn patch_route() -> impl Responder {
    "patched"
}

#[cross_origin(origins = "https://partner.example", max_age = 4)]
#[head("/head")]
async fn head_route() -> impl Responder {
    HttpResponse::Ok()
}

#[cross_origin(origins = "https://partner.example", max_age = 5)]
#[route("/both", method = "GET", method = "PUT")]
async fn both_route() -> impl Responder {
    "both"
}

/// Two routes on one path, each with its own policy.
#[cross_origin(origins = ["https://reader.example"], max_age = 10)]
#[get("/items")]
async fn items_get() -> impl Responder {
    "items"
}

#[cross_origin(origins = ["https://writer.example"], max_age = 20, supports_credentials = true)]
#[post("/items")]
async fn items_post() -> impl Responder {
    "created"
}

static EXPLAINED_RUNS: AtomicUsize = AtomicUsize::new(0);

/// Explain mode set in the attribute.
#[cross_origin(origins = "https://partner.example", allow_headers = ["x-token"], explain = true)]
#[get("/explained")]
async fn explained() -> impl Responder {
    EXPLAINED_RUNS.fetch_add(1, Ordering::SeqCst);
    "explained"
}

fn only_with_token(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head().headers().contains_key("x-tenant")
}

/// The route macro's own arguments keep working: name, guard, wrap.
#[cross_origin(origins = "https://partner.example")]
#[get(
    "/tenant",
    name = "tenant_route",
    guard = "only_with_token",
    wrap = "actix_web::middleware::DefaultHeaders::new().add((\"x-wrapped\", \"yes\"))"
)]
async fn tenant() -> impl Responder {
    "tenant"
}

/// Every route above.
fn with_routes<T: AppEntry>(app: App<T>) -> App<T> {
    app.service(feed)
        .service(upload)
        .service(put_route)
        .service(delete_route)
        .service(patch_route)
        .service(head_route)
        .service(both_route)
        .service(items_get)
        .service(items_post)
        .service(tenant)
}

/// The routes alone.
async fn routes_alone() -> impl TestApp<BoxBody> {
    test::init_service(with_routes(App::new())).await
}

/// The routes under an App-level policy of their own.
async fn routes_under(app_policy: Cors) -> impl TestApp<EitherBody<BoxBody>> {
    test::init_service(with_routes(App::new()).wrap(app_policy)).await
}

/// ACAO at most once and `Origin` once in Vary, on every answer a route policy gives.
fn once_each<B>(res: &actix_web::dev::ServiceResponse<B>) {
    assert!(all(res, "access-control-allow-origin").len() <= 1);
    assert_eq!(vary_origin_count(res), 1, "{:?}", res.headers());
}

#[actix_rt::test]
async fn every_route_macro_answers_its_own_preflights() {
    every_route_macro_answers_under(routes_alone().await).await;
    let app_policy = Cors::default().origins([APP]).max_age(99);
    every_route_macro_answers_under(routes_under(app_policy).await).await;
}

async fn every_route_macro_answers_under<B>(app: impl TestApp<B>) {
    {
        let cases = [
            ("/partner/feed", "GET", "600"),
            ("/put", "PUT", "1"),
            ("/delete", "DELETE", "2"),
            ("/patch", "PATCH", "3"),
            ("/head", "HEAD", "4"),
            ("/both", "GET", "5"),
            ("/both", "PUT", "5"),
        ];
        for (path, method, max_age) in cases {
            let res = call(&app, preflight(path, PARTNER, method, None)).await;
            assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path} {method}");
            assert_eq!(acao(&res).as_deref(), Some(PARTNER), "{path} {method}");
            // Without `methods`, the route's own methods and OPTIONS, never flask-cors's seven.
            let own = if path == "/both" {
                "GET, PUT, OPTIONS".to_owned()
            } else {
                format!("{method}, OPTIONS")
            };
            assert_eq!(
                one(&res, "access-control-allow-methods").as_deref(),
                Some(own.as_str()),
                "{path} {method}"
            );
            assert_eq!(
                one(&res, "access-control-max-age").as_deref(),
                Some(max_age)
            );
            once_each(&res);
            // The App-level origin is not the route's: the route's policy decides.
            let res = call(&app, preflight(path, APP, method, None)).await;
            assert_refused_preflight(&res, ORIGIN_REFUSED, &format!("{path} {method}"));
        }
        // flask-cors's defaults, like @cross_origin(): any origin, echoed.
        let res = call(
            &app,
            preflight("/upload", EVIL, "POST", Some("content-type")),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(acao(&res).as_deref(), Some(EVIL));
        once_each(&res);
    }
}

#[actix_rt::test]
async fn actual_requests_get_the_routes_policy() {
    let app = routes_under(Cors::default().origins([APP])).await;
    let res = call(&app, get("/partner/feed", Some(PARTNER))).await;
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    once_each(&res);
    let res = call(&app, get("/partner/feed", Some(APP))).await;
    assert_eq!(acao(&res), None, "the route's policy, not the App's");
    once_each(&res);
    let res = call(
        &app,
        TestRequest::put()
            .uri("/put")
            .insert_header(("Origin", PARTNER)),
    )
    .await;
    assert_eq!(test::read_body(res).await, "put");
}

#[actix_rt::test]
async fn two_methods_on_one_path_each_answer_with_their_own_policy() {
    let app = routes_under(Cors::default().origins([APP])).await;
    let res = call(
        &app,
        preflight("/items", "https://reader.example", "GET", None),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-max-age").as_deref(), Some("10"));
    let res = call(
        &app,
        preflight("/items", "https://writer.example", "POST", None),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-max-age").as_deref(), Some("20"));
    assert_eq!(
        one(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    // Each route's origin is refused by the other's policy.
    let res = call(
        &app,
        preflight("/items", "https://writer.example", "GET", None),
    )
    .await;
    assert_refused_preflight(
        &res,
        ORIGIN_REFUSED,
        "the reader's policy refuses the writer",
    );
    let res = call(
        &app,
        preflight("/items", "https://reader.example", "POST", None),
    )
    .await;
    assert_refused_preflight(
        &res,
        ORIGIN_REFUSED,
        "the writer's policy refuses the reader",
    );
    // And the actual requests reach their handlers.
    let res = call(
        &app,
        TestRequest::post()
            .uri("/items")
            .insert_header(("Origin", "https://writer.example")),
    )
    .await;
    assert_eq!(acao(&res).as_deref(), Some("https://writer.example"));
    assert_eq!(test::read_body(res).await, "created");
}

#[actix_rt::test]
async fn the_handler_never_runs_for_a_preflight_and_plain_options_is_answered() {
    let app = routes_alone().await;
    let before = FEED_RUNS.load(Ordering::SeqCst);
    let res = call(
        &app,
        preflight("/partner/feed", PARTNER, "GET", Some("x-token")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(preflight_passes(
        &res,
        PARTNER,
        "GET",
        Some("x-token"),
        false
    ));
    let res = call(
        &app,
        preflight("/partner/feed", EVIL, "GET", Some("x-token")),
    )
    .await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "an origin the route does not allow");
    let res = call(
        &app,
        preflight("/partner/feed", PARTNER, "GET", Some("x-other")),
    )
    .await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", PARTNER),
            ("access-control-allow-methods", "GET, OPTIONS"),
            ("access-control-allow-headers", "x-token"),
            ("vary", "Origin"),
        ],
        "a header the route does not allow",
    );
    let plain = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/partner/feed")
        .insert_header(("Origin", PARTNER));
    let res = call(&app, plain).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(one(&res, "allow").as_deref(), Some("GET, OPTIONS"));
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    once_each(&res);
    assert_eq!(
        FEED_RUNS.load(Ordering::SeqCst),
        before,
        "the handler ran for an OPTIONS"
    );
    let res = call(&app, get("/partner/feed", Some(PARTNER))).await;
    assert_eq!(test::read_body(res).await, "feed");
    assert_eq!(FEED_RUNS.load(Ordering::SeqCst), before + 1);
}

#[actix_rt::test]
async fn a_preflight_for_a_method_the_route_lacks_is_not_its_business() {
    // PUT is not /partner/feed's method: no route takes the preflight, and without an
    // App-level policy nothing answers it (a 404, which the browser refuses).
    let app = routes_alone().await;
    let res = call(&app, preflight("/partner/feed", PARTNER, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!has_cors_headers(&res));
    // With an App-level policy, that policy answers it.
    let app = routes_under(Cors::default().origins([APP])).await;
    let res = call(&app, preflight("/partner/feed", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(APP));
}

#[actix_rt::test]
async fn the_route_macros_own_arguments_still_work() {
    let app = routes_alone().await;
    let with_tenant = |req: TestRequest| req.insert_header(("x-tenant", "t1"));
    let res = call(&app, with_tenant(get("/tenant", Some(PARTNER)))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(one(&res, "x-wrapped").as_deref(), Some("yes"));
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    // The guard still applies to the actual request; the preflight (which a browser sends
    // without the page's headers) is answered by the route's policy all the same.
    let res = call(&app, get("/tenant", Some(PARTNER))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = call(
        &app,
        with_tenant(preflight("/tenant", PARTNER, "GET", None)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

/// The attribute's literal options are checked at compile time (tests/compile_fail/); what
/// only start-up can find (such as regexes too large to compile together) is reported with the
/// route's handler and path, as the attribute's expansion builds its policy.
#[actix_rt::test]
async fn an_invalid_route_policy_stops_start_up_naming_its_handler_and_path() {
    let options = actix_cross_origin::CorsOptions {
        supports_credentials: true,
        ..Default::default()
    };
    let policy = actix_cross_origin::__private::route_policy(
        options,
        false,
        "insecure",
        "/insecure",
        &[Method::GET],
    );
    let lines = logged(async {
        let started = std::panic::AssertUnwindSafe(test::init_service(
            App::new().service(
                web::resource("/insecure")
                    .wrap(policy)
                    .route(web::get().to(|| async { "never served" })),
            ),
        ))
        .catch_unwind()
        .await;
        assert!(
            started.is_err(),
            "the App started with credentials for any origin"
        );
    })
    .await;
    let error = lines
        .iter()
        .find(|(level, _)| *level == log::Level::Error)
        .map(|(_, line)| line.as_str())
        .unwrap_or_default();
    assert!(
        error.contains("handler `insecure` (GET /insecure)"),
        "{lines:?}"
    );
    assert!(error.contains("supports_credentials"), "{error}");
}

#[actix_rt::test]
async fn without_macros_a_resource_guard_does_the_same() {
    let hits = Hits::default();
    let h = hits.clone();
    let app = test::init_service(
        App::new()
            .service(
                web::resource("/feed")
                    .guard(actix_cross_origin::MethodsOrPreflight::new([Method::GET]))
                    .wrap(cross_origin().origins([PARTNER]))
                    .route(web::get().to(move || {
                        h.hit();
                        async { "feed" }
                    })),
            )
            .wrap(Cors::default().origins([APP])),
    )
    .await;
    let res = call(&app, preflight("/feed", PARTNER, "GET", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    let res = call(&app, get("/feed", Some(PARTNER))).await;
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    assert_eq!(hits.get(), 1, "only the actual request ran the handler");
}

#[actix_rt::test]
async fn a_deferred_preflight_runs_an_any_method_handler_and_the_outer_policy_answers() {
    // The documented limit: an App-level policy with inner policies routes a preflight onward;
    // a handler that takes every method (here `web::resource(..).to(..)`) then runs for it,
    // and its answer is replaced by the App-level policy's.
    let hits = Hits::default();
    let h = hits.clone();
    let app = test::init_service(
        App::new()
            .service(feed)
            .service(web::resource("/anything").to(move || {
                h.hit();
                async { "ran" }
            }))
            .wrap(Cors::default().origins([APP])),
    )
    .await;
    let res = call(&app, preflight("/anything", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    assert_eq!(
        hits.get(),
        1,
        "the any-method handler ran for the routed preflight"
    );
}

#[actix_rt::test]
async fn explain_in_the_attribute_names_the_routes_refusals() {
    let app = test::init_service(with_routes(App::new()).service(explained)).await;
    let res = call(&app, preflight("/explained", EVIL, "GET", None)).await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", "origin-not-allowed"),
            (
                "cors-refusal",
                "origins: origin \"https://evil.example\" is not allowed",
            ),
            ("vary", "Origin"),
        ],
        "an origin the route does not allow",
    );
    let res = call(
        &app,
        preflight("/explained", PARTNER, "GET", Some("x-other")),
    )
    .await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", PARTNER),
            ("access-control-allow-methods", "GET, OPTIONS"),
            ("access-control-allow-headers", "x-token"),
            (
                "cors-refusal",
                "allow_headers: header \"x-other\" is not allowed (allowed: x-token)",
            ),
            ("vary", "Origin"),
        ],
        "a header the route does not allow",
    );
    assert_eq!(EXPLAINED_RUNS.load(Ordering::SeqCst), 0, "no handler ran");
    // A route without explain says nothing more.
    let res = call(&app, preflight("/partner/feed", EVIL, "GET", None)).await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "the feed route, explain off");
    // Granted: the same answer as without explain.
    let res = call(
        &app,
        preflight("/explained", PARTNER, "GET", Some("x-token")),
    )
    .await;
    assert!(preflight_passes(
        &res,
        PARTNER,
        "GET",
        Some("x-token"),
        false
    ));
    assert_eq!(one(&res, "cors-refusal"), None);
}

/// A route attribute without `methods` advertises the route's own methods: in a preflight's
/// answer, in a refused preflight's, and in a plain `OPTIONS`'s `Allow`; a method the route
/// does not serve is refused, as it is a 404 or 405 for the request itself.
#[actix_rt::test]
async fn a_route_advertises_its_own_methods() {
    let app = routes_alone().await;
    // A header the route does not allow: the route's methods, never flask-cors's seven.
    let res = call(
        &app,
        preflight("/partner/feed", PARTNER, "GET", Some("x-other")),
    )
    .await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", PARTNER),
            ("access-control-allow-methods", "GET, OPTIONS"),
            ("access-control-allow-headers", "x-token"),
            ("vary", "Origin"),
        ],
        "a header on a GET route",
    );
    // A preflight for a method the route does not serve never reaches its policy (the
    // resource's guard), as the request itself would not: routing answers it.
    let res = call(&app, preflight("/partner/feed", PARTNER, "DELETE", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    for (path, allow) in [
        ("/partner/feed", "GET, OPTIONS"),
        ("/put", "PUT, OPTIONS"),
        ("/both", "GET, PUT, OPTIONS"),
    ] {
        let plain = TestRequest::default()
            .method(Method::OPTIONS)
            .uri(path)
            .insert_header(("Origin", PARTNER));
        let res = call(&app, plain).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(one(&res, "allow").as_deref(), Some(allow), "{path}");
    }
    let delete = get("/partner/feed", Some(PARTNER)).method(Method::DELETE);
    let res = call(&app, delete).await;
    assert!(res.status().is_client_error(), "{}", res.status());
}
