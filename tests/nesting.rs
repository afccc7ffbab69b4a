//! Nested policies through real routing: the innermost policy alone decides, for the
//! preflight and the actual request alike; one Access-Control-Allow-Origin, one Vary token.

mod support;

use actix_cross_origin::{cross_origin, Cors};
use actix_web::body::{BoxBody, EitherBody};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::test::TestRequest;
use actix_web::{test, web, App, HttpResponse};
use support::*;

const APP: &str = "https://app.example";
const PARTNER: &str = "https://partner.example";
const RES: &str = "https://res.example";
const ROUTE: &str = "https://route.example";
const DEEP: &str = "https://deep.example";
const MIDDLE: &str = "https://middle.example";

fn app_policy() -> Cors {
    Cors::default()
        .origins([APP])
        .methods(["GET", "PUT"])
        .max_age(100)
}

#[actix_web::route(
    "/macro-route",
    method = "GET",
    method = "PUT",
    method = "OPTIONS",
    wrap = "actix_cross_origin::cross_origin().origins([\"https://route.example\"]).max_age(300)"
)]
async fn macro_route(hits: web::Data<Hits>) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("macro-route")
}

#[actix_web::put(
    "/macro-put",
    wrap = "actix_cross_origin::cross_origin().origins([\"https://route.example\"]).max_age(300)"
)]
async fn macro_put() -> &'static str {
    "macro-put"
}

/// The App of the nesting tests: an App-level policy around scope, resource and route
/// policies, nested up to three deep.
async fn nested_app(hits: Hits) -> impl TestApp<EitherBody<BoxBody>> {
    let h = hits.clone();
    test::init_service(
        App::new()
            .app_data(web::Data::new(hits.clone()))
            .service(
                web::scope("/partner")
                    .wrap(
                        cross_origin()
                            .origins([PARTNER])
                            .methods(["PUT", "DELETE"])
                            .max_age(200),
                    )
                    .route("/feed", web::get().to(|| async { "feed" }))
                    .route("/feed", web::put().to(|| async { "feed saved" })),
            )
            .service(
                web::resource("/thing")
                    .wrap(cross_origin().origins([RES]).max_age(250))
                    .to(move || {
                        h.hit();
                        async { "thing" }
                    }),
            )
            .service(macro_route)
            .service(macro_put)
            .service(
                web::scope("/a").service(
                    web::scope("/b").service(
                        web::resource("/c")
                            .wrap(cross_origin().origins([DEEP]).max_age(400))
                            .route(web::get().to(|| async { "deep" })),
                    ),
                ),
            )
            .service(
                web::scope("/l")
                    .wrap(cross_origin().origins([MIDDLE]).max_age(500))
                    .service(
                        web::resource("/inner")
                            .wrap(cross_origin().origins([DEEP]).max_age(400))
                            .route(web::get().to(|| async { "inner" })),
                    )
                    .route("/other", web::get().to(|| async { "other" })),
            )
            .route("/items", web::get().to(|| async { "items" }))
            .default_service(web::to(|| async {
                HttpResponse::NotFound().body("no such page")
            }))
            .wrap(app_policy()),
    )
    .await
}

/// Sends a preflight and an actual request from `origin` to `path`; returns what decided.
async fn verdict<B>(app: &impl TestApp<B>, path: &str, origin: &str) -> Verdict {
    let pre = call(app, preflight(path, origin, "PUT", Some("content-type"))).await;
    assert!(
        all(&pre, "access-control-allow-origin").len() <= 1,
        "{path}: two ACAO"
    );
    assert!(vary_origin_count(&pre) <= 1, "{path}: Vary twice");
    let pre_status = pre.status().as_u16();
    let pre_acao = acao(&pre);
    let max_age = one(&pre, "access-control-max-age");
    let passes = preflight_passes(&pre, origin, "PUT", Some("content-type"), false);
    let act = call(app, get(path, Some(origin))).await;
    let act_acao = acao(&act);
    assert_eq!(vary_origin_count(&act), 1, "{path}: Vary");
    (pre_status, pre_acao, max_age, passes, act_acao)
}

/// What decided: the preflight's status, ACAO and max-age, whether a browser passes it, and
/// the actual request's ACAO.
type Verdict = (u16, Option<String>, Option<String>, bool, Option<String>);

fn granted(origin: &str, max_age: &str) -> Verdict {
    let origin = Some(origin.to_string());
    (204, origin.clone(), Some(max_age.to_string()), true, origin)
}

/// Refused for its origin: a 204 that grants nothing.
fn refused() -> Verdict {
    (204, None, None, false, None)
}

#[actix_rt::test]
async fn the_innermost_policy_decides_preflight_and_actual_request_alike() {
    let hits = Hits::default();
    let app = nested_app(hits.clone()).await;
    let table: &[(&str, &str, Verdict)] = &[
        // App level only.
        ("/items", APP, granted(APP, "100")),
        ("/items", PARTNER, refused()),
        // Scope.
        ("/partner/feed", PARTNER, granted(PARTNER, "200")),
        ("/partner/feed", APP, refused()),
        // Unrouted path inside the scope: the scope's policy still governs it.
        ("/partner/nothing-here", PARTNER, granted(PARTNER, "200")),
        // Resource with a handler for every method.
        ("/thing", RES, granted(RES, "250")),
        ("/thing", APP, refused()),
        // #[route] with OPTIONS among its methods.
        ("/macro-route", ROUTE, granted(ROUTE, "300")),
        ("/macro-route", APP, refused()),
        // A resource nested three deep, with two policies.
        ("/a/b/c", DEEP, granted(DEEP, "400")),
        ("/a/b/c", APP, refused()),
        // Three policies: innermost, middle, outermost.
        ("/l/inner", DEEP, granted(DEEP, "400")),
        ("/l/inner", MIDDLE, refused()),
        ("/l/inner", APP, refused()),
        ("/l/other", MIDDLE, granted(MIDDLE, "500")),
        ("/l/other", DEEP, refused()),
        // No route at all: the App policy answers, the 404 is readable.
        ("/no/such/path", APP, granted(APP, "100")),
        ("/no/such/path", PARTNER, refused()),
    ];
    for (path, origin, want) in table {
        let got = verdict(&app, path, origin).await;
        assert_eq!(&got, want, "{path} from {origin}");
    }
    assert_eq!(
        hits.get(),
        4,
        "only the actual GETs to /thing and /macro-route ran a handler"
    );
}

#[actix_rt::test]
async fn inner_policies_stamp_errors_and_automatic_options_once() {
    let app = nested_app(Hits::default()).await;
    let res = call(&app, get("/partner/nothing-here", Some(PARTNER))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    let res = call(&app, get("/no/such/path", Some(APP))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(acao(&res).as_deref(), Some(APP));

    let plain = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/partner/feed")
        .insert_header(("origin", PARTNER));
    let res = call(&app, plain).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    assert_eq!(one(&res, "allow").as_deref(), Some("PUT, DELETE"));
    assert_eq!(vary_origin_count(&res), 1);
}

#[actix_rt::test]
async fn a_get_macro_route_hides_preflights_and_the_outer_policy_answers_them() {
    // The documented caveat: #[put(wrap = ...)] puts a PUT guard on the resource, so OPTIONS
    // never reaches the route's policy. The outer policy answers with its own origins; the
    // actual request, if a browser sent it, is decided by the route's policy.
    let app = nested_app(Hits::default()).await;
    let res = call(&app, preflight("/macro-put", ROUTE, "PUT", None)).await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "the App policy refuses ROUTE");
    let res = call(&app, preflight("/macro-put", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = call(&app, get("/macro-put", Some(ROUTE)).method(Method::PUT)).await;
    assert_eq!(acao(&res).as_deref(), Some(ROUTE));
}

#[actix_rt::test]
async fn authentication_inside_never_turns_a_preflight_into_a_401() {
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/partner")
                    .wrap(from_fn(require_token))
                    .wrap(cross_origin().origins([PARTNER]))
                    .route("/feed", web::get().to(|| async { "feed" })),
            )
            .route("/items", web::get().to(|| async { "items" }))
            .wrap(from_fn(require_token))
            .wrap(app_policy()),
    )
    .await;
    // Cors outermost, authentication inside it: preflights are answered, by the right policy.
    let res = call_rendered(&app, preflight("/items", APP, "GET", Some("authorization"))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let res = call_rendered(
        &app,
        preflight("/items", PARTNER, "GET", Some("authorization")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_cors_fields(&res, ORIGIN_REFUSED, "the App policy refuses PARTNER");
    for credentials in [false, true] {
        let passes = preflight_passes(&res, PARTNER, "GET", Some("authorization"), credentials);
        assert!(!passes, "a browser passes it (credentials {credentials})");
    }
    // The App-level authentication refuses the preflight before the scope's policy sees it;
    // the App policy, the innermost one reached, answers instead of the 401.
    let res = call_rendered(
        &app,
        preflight("/partner/feed", APP, "GET", Some("authorization")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    // Actual requests: the 401 is readable by the allowed origin, and only once stamped.
    let res = call_rendered(&app, get("/items", Some(APP))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    assert_eq!(vary_origin_count(&res), 1);
    // With a token, the scope's policy decides.
    let res = call_rendered(
        &app,
        get("/partner/feed", Some(PARTNER)).insert_header(("authorization", "Bearer t")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    let res = call_rendered(
        &app,
        get("/partner/feed", Some(APP)).insert_header(("authorization", "Bearer t")),
    )
    .await;
    assert_eq!(acao(&res), None);
    assert_eq!(vary_origin_count(&res), 1);
}

#[actix_rt::test]
async fn an_error_inside_a_nested_policy_is_stamped_by_that_policy_only() {
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/partner")
                    .wrap(from_fn(require_token))
                    .wrap(cross_origin().origins([PARTNER]))
                    .route("/feed", web::get().to(|| async { "feed" })),
            )
            .wrap(
                Cors::default()
                    .origins([APP, PARTNER])
                    .supports_credentials(true),
            ),
    )
    .await;
    // The scope's 401 is stamped by the scope's policy (no credentials), not again by the App's.
    let res = call_rendered(&app, get("/partner/feed", Some(PARTNER))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(acao(&res).as_deref(), Some(PARTNER));
    assert_eq!(one(&res, "access-control-allow-credentials"), None);
    assert_eq!(vary_origin_count(&res), 1);
    let res = call_rendered(&app, get("/partner/feed", Some(APP))).await;
    assert_eq!(
        acao(&res),
        None,
        "the scope's policy refuses APP; the App's must not add it"
    );
}

#[actix_rt::test]
async fn without_inner_policies_preflights_never_reach_a_handler() {
    let hits = Hits::default();
    let h = hits.clone();
    let app = test::init_service(
        App::new()
            .service(web::resource("/any").to(move || {
                h.hit();
                async { "any method" }
            }))
            .wrap(app_policy()),
    )
    .await;
    let res = call(&app, preflight("/any", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = call(&app, preflight("/any", PARTNER, "PUT", None)).await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "a refused origin");
    let res = call(&app, preflight("/any", APP, "DELETE", None)).await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "GET, PUT"),
            ("vary", "Origin"),
        ],
        "a refused method",
    );
    assert_eq!(hits.get(), 0);
}

#[actix_rt::test]
async fn a_nested_policy_refusing_a_method_answers_with_its_own_grant_and_lists() {
    // The scope's policy decides: PARTNER's grant and the scope's methods, with nothing of the
    // App policy's (which would refuse PARTNER) added or taken away.
    let hits = Hits::default();
    let app = nested_app(hits.clone()).await;
    let res = call(&app, preflight("/partner/feed", PARTNER, "PATCH", None)).await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", PARTNER),
            ("access-control-allow-methods", "PUT, DELETE"),
            ("vary", "Origin"),
        ],
        "the scope refuses PATCH",
    );
    let res = call(&app, preflight("/thing", RES, "PATCH", Some("x-a"))).await;
    assert_eq!(
        res.status(),
        StatusCode::NO_CONTENT,
        "the resource allows any"
    );
    assert!(preflight_passes(&res, RES, "PATCH", Some("x-a"), false));
    assert_eq!(hits.get(), 0, "no handler ran");
}
