//! `resources`: the policy applied is always the policy of the handler that answers. Each
//! flask-cors CVE in path matching is a regression test here.

mod support;

use actix_cross_origin::{Cors, ResourceOptions};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::{test, web, App};
use support::*;

const TRUSTED: &str = "https://trusted.example";
const EVIL: &str = "https://evil.example";

fn entry(path: &str, origins: &[&str]) -> ResourceOptions {
    ResourceOptions {
        path: path.into(),
        origins: Some(origins.iter().map(|s| s.to_string()).collect()),
        ..ResourceOptions::default()
    }
}

/// The routes every test here runs against, wrapped in `cors`.
async fn app(cors: Cors) -> impl TestApp<EitherBody<BoxBody>> {
    test::init_service(
        App::new()
            .wrap(cors)
            .route("/api/{tail:.*}", web::get().to(|| async { "api" }))
            .route("/admin", web::get().to(|| async { "admin" }))
            .route("/service+path", web::get().to(|| async { "plus" }))
            .route("/service path", web::get().to(|| async { "space" })),
    )
    .await
}

/// Sends GET `path` with `Origin: origin`; returns (status, body, Access-Control-Allow-Origin).
async fn fetch<B: MessageBody>(
    app: &impl TestApp<B>,
    path: &str,
    origin: &str,
) -> (u16, String, Option<String>) {
    let res = call(app, get(path, Some(origin))).await;
    let status = res.status().as_u16();
    let allow = acao(&res);
    let body = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    (status, body, allow)
}

#[actix_rt::test]
async fn dot_segments_are_removed_before_the_globs_are_matched() {
    // CVE-2020-25032 class: flask-cors gives `/api/../admin` the /api/* policy while the target
    // is /admin. A browser never sends dot segments, and a proxy or file server in front may
    // remove them, so the globs see the path without them (RFC 3986 §5.2.4): /admin's policy,
    // whichever handler actix picks for the raw path.
    let app =
        app(Cors::default().resources([entry("/api/*", &[EVIL]), entry("/*", &[TRUSTED])])).await;
    for path in [
        "/api/../admin",
        "/api/%2e%2e/admin",
        "/api/%2E%2E/admin",
        "/api/./../admin",
    ] {
        let (_, _, allow) = fetch(&app, path, EVIL).await;
        assert_eq!(allow, None, "{path} is /admin, not under /api/*");
        let (_, _, allow) = fetch(&app, path, TRUSTED).await;
        assert_eq!(
            allow.as_deref(),
            Some(TRUSTED),
            "{path} gets /admin's policy"
        );
    }
    // An encoded slash is not a segment boundary: `..%2fadmin` is one segment under /api/.
    let (status, body, allow) = fetch(&app, "/api/..%2fadmin", EVIL).await;
    assert_eq!((status, body.as_str()), (200, "api"));
    assert_eq!(allow.as_deref(), Some(EVIL));
    let (_, body, allow) = fetch(&app, "/admin", EVIL).await;
    assert_eq!((body.as_str(), allow), ("admin", None));
    let (_, body, allow) = fetch(&app, "/admin", TRUSTED).await;
    assert_eq!((body.as_str(), allow.as_deref()), ("admin", Some(TRUSTED)));
    // The issue's own example.
    let app = app_with_public(
        Cors::default().resources([entry("/public/*", &["*"]), entry("/*", &[TRUSTED])]),
    )
    .await;
    let (_, _, allow) = fetch(&app, "/public/../private/data", EVIL).await;
    assert_eq!(
        allow, None,
        "/public/../private/data is not under /public/*"
    );
    let (_, _, allow) = fetch(&app, "/public/status", EVIL).await;
    assert_eq!(allow.as_deref(), Some(EVIL));
}

async fn app_with_public(cors: Cors) -> impl TestApp<EitherBody<BoxBody>> {
    test::init_service(
        App::new()
            .wrap(cors)
            .route("/public/{tail:.*}", web::get().to(|| async { "public" }))
            .route("/private/data", web::get().to(|| async { "private" })),
    )
    .await
}

#[actix_rt::test]
async fn paths_are_matched_case_sensitively() {
    // CVE-2024-6866: `/API/admin` must not get the /api/* policy.
    let app = app(Cors::default().resources([entry("/api/*", &["*"])])).await;
    let (status, _, allow) = fetch(&app, "/API/admin", EVIL).await;
    assert_eq!((status, allow), (404, None));
    let (_, _, allow) = fetch(&app, "/api/admin", EVIL).await;
    assert_eq!(allow.as_deref(), Some(EVIL));
}

#[actix_rt::test]
async fn plus_stays_plus() {
    // CVE-2024-6844: `/service+path` must not get the policy of `/service path`.
    let app = app(Cors::default().resources([
        entry("/service+path", &["http://foo.com"]),
        entry("/service path", &["http://bar.com"]),
    ]))
    .await;
    let (_, body, allow) = fetch(&app, "/service+path", "http://bar.com").await;
    assert_eq!((body.as_str(), allow), ("plus", None));
    let (_, body, allow) = fetch(&app, "/service+path", "http://foo.com").await;
    assert_eq!(
        (body.as_str(), allow.as_deref()),
        ("plus", Some("http://foo.com"))
    );
    let (_, body, allow) = fetch(&app, "/service%20path", "http://bar.com").await;
    assert_eq!(
        (body.as_str(), allow.as_deref()),
        ("space", Some("http://bar.com"))
    );
    // An encoded plus is not decoded by actix's router, nor by the glob match.
    let (status, _, allow) = fetch(&app, "/service%2Bpath", "http://foo.com").await;
    assert_eq!((status, allow), (404, None));
}

#[actix_rt::test]
async fn no_double_decoding() {
    // flask-cors decodes twice: `/%2561pi/x` matches `/api/*` there.
    let app = app(Cors::default().resources([entry("/api/*", &["*"])])).await;
    let (status, _, allow) = fetch(&app, "/%2561pi/x", EVIL).await;
    assert_eq!((status, allow), (404, None));
}

#[actix_rt::test]
async fn order_is_the_users() {
    // CVE-2024-6839: a longer but broader pattern must not take precedence over the specific
    // one written first.
    let app =
        app(Cors::default().resources([entry("/api/*", &[TRUSTED]), entry("/*.json", &["*"])]))
            .await;
    let (_, _, allow) = fetch(&app, "/api/users.json", EVIL).await;
    assert_eq!(allow, None);
    let (_, _, allow) = fetch(&app, "/api/users.json", TRUSTED).await;
    assert_eq!(allow.as_deref(), Some(TRUSTED));
}

#[actix_rt::test]
async fn the_glob_is_anchored_at_both_ends() {
    let app = test::init_service(
        App::new()
            .wrap(Cors::default().resources([entry("/api/*", &["*"])]))
            .route("/api", web::get().to(|| async { "bare" }))
            .route("/apiary", web::get().to(|| async { "bees" }))
            .route("/api/x/y", web::get().to(|| async { "deep" })),
    )
    .await;
    for (path, granted) in [("/api", false), ("/apiary", false), ("/api/x/y", true)] {
        let (status, _, allow) = fetch(&app, path, EVIL).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(allow.is_some(), granted, "{path}");
    }
}

#[actix_rt::test]
async fn each_resource_stamps_its_own_exposed_headers_and_allow() {
    let cors = Cors::default()
        .resources([
            ResourceOptions {
                expose_headers: Some(vec!["x-api-total".into()]),
                methods: Some(vec!["GET".into()]),
                ..entry("/api/*", &[TRUSTED])
            },
            ResourceOptions {
                expose_headers: Some(vec!["x-admin-audit".into()]),
                methods: Some(vec!["GET".into(), "DELETE".into()]),
                ..entry("/admin", &[TRUSTED])
            },
        ])
        .try_build()
        .unwrap();
    let app = app(cors).await;
    for (path, exposed) in [("/api/items", "x-api-total"), ("/admin", "x-admin-audit")] {
        let res = call(&app, get(path, Some(TRUSTED))).await;
        assert_eq!(
            res.headers().get("access-control-expose-headers").unwrap(),
            exposed,
            "{path}"
        );
        // Refused origins get no exposed headers.
        let res = call(&app, get(path, Some(EVIL))).await;
        assert!(
            res.headers().get("access-control-expose-headers").is_none(),
            "{path}"
        );
    }
    // A plain OPTIONS no handler answers gets its own resource's Allow.
    for (path, allow) in [("/api/items", "GET"), ("/admin", "GET, DELETE")] {
        let res = call(
            &app,
            test::TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri(path)
                .insert_header(("Origin", TRUSTED)),
        )
        .await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert_eq!(res.headers().get("allow").unwrap(), allow, "{path}");
    }
}

#[actix_rt::test]
async fn a_star_glob_matches_every_path_as_in_flask_cors() {
    // flask-cors users write resources={r"*": {...}} as well as r"/*".
    let app =
        app(Cors::default().resources([entry("/api/*", &[EVIL]), entry("*", &[TRUSTED])])).await;
    for path in ["/admin", "/service+path", "/"] {
        let (_, _, allow) = fetch(&app, path, TRUSTED).await;
        assert_eq!(allow.as_deref(), Some(TRUSTED), "{path}");
    }
    let (_, _, allow) = fetch(&app, "/api/x", EVIL).await;
    assert_eq!(allow.as_deref(), Some(EVIL));
    // A glob that starts with neither / nor * can never match a routed path: refused.
    let err = Cors::default()
        .resources([entry("api/*", &[TRUSTED])])
        .try_build()
        .unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert!(err.problems()[0].fix().contains("\"/api/*\""), "{err}");
}
