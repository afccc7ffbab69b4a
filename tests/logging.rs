//! What the middleware logs: one debug line per refusal with its reason and the request's
//! bytes escaped; warnings at start-up for risky settings; the error when it cannot start.

mod support;

use actix_cross_origin::Cors;
use actix_web::dev::Transform;
use actix_web::http::header::HeaderValue;
use log::Level;
use support::*;

/// The lines logged at `level`.
fn lines_at(logs: &[(Level, String)], level: Level) -> Vec<&str> {
    logs.iter()
        .filter(|(l, _)| *l == level)
        .map(|(_, s)| s.as_str())
        .collect()
}

#[actix_rt::test]
async fn each_refusal_logs_one_debug_line_with_its_reason() {
    let cases: Vec<(actix_web::test::TestRequest, &str)> = vec![
        (preflight("/items", "https://evil.example", "PUT", None), "origin \"https://evil.example\" is not allowed"),
        (preflight("/items", "null", "PUT", None), "origin \"null\" is never allowed"),
        (preflight("/items", "https://a.com/", "PUT", None), "is malformed: it has a path"),
        (preflight("/items", "https://a.com", "DELETE", None), "method \"DELETE\" is not allowed"),
        (preflight("/items", "https://a.com", "PUT", Some("x-other")), "header \"x-other\" is not allowed"),
        (preflight("/items", "https://a.com", "PUT", Some("a b")), "\"a b\" is not a header name"),
        (
            preflight("/items", "https://a.com", "PUT", Some(&", ".repeat(3000))),
            "Access-Control-Request-Headers is 6000 bytes",
        ),
        (get("/items", Some("https://evil.example")), "no Access-Control-Allow-Origin for GET request: origin \"https://evil.example\" is not allowed"),
    ];
    for (req, want) in cases {
        let logs = logged(async {
            let cors = Cors::default()
                .origins(["https://a.com"])
                .methods(["PUT"])
                .allow_headers(["x-token"]);
            let app = api(cors, &Hits::default()).await;
            let _ = call(&app, req).await;
        })
        .await;
        let lines = lines_at(&logs, Level::Debug);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains(want), "{:?} lacks {want:?}", lines[0]);
        assert!(lines[0].contains("path \"/items\""), "{}", lines[0]);
    }
}

#[actix_rt::test]
async fn granted_requests_log_nothing() {
    let logs = logged(async {
        let app = api(Cors::default().origins(["https://a.com"]), &Hits::default()).await;
        let _ = call(&app, get("/items", Some("https://a.com"))).await;
        let _ = call(&app, get("/items", None)).await;
        let _ = call(&app, preflight("/items", "https://a.com", "PUT", None)).await;
    })
    .await;
    assert_eq!(lines_at(&logs, Level::Debug), Vec::<&str>::new());
}

#[actix_rt::test]
async fn request_bytes_cannot_forge_log_lines() {
    let logs = logged(async {
        let app = api(Cors::default().origins(["https://a.com"]), &Hits::default()).await;
        let origin = HeaderValue::from_bytes(b"https://x\xff\"\t.example").unwrap();
        let req = actix_web::test::TestRequest::get()
            .uri("/x%0D%0A2024-01-01%20CRITICAL%20forged")
            .insert_header(("origin", origin));
        let _ = call(&app, req).await;
    })
    .await;
    let lines = lines_at(&logs, Level::Debug);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = lines[0];
    assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
    assert!(
        line.contains(r#"origin "https://x\xff\"\x09.example" is malformed"#),
        "{line}"
    );
    // actix decodes %0D%0A in the routed path; the log line shows the bytes escaped.
    assert!(
        line.contains(
            r#"; path "/x\x0d\x0a2024-01-01 CRITICAL forged"; decided by the App's Cors"#
        ),
        "{line}"
    );
}

#[actix_rt::test]
async fn risky_settings_warn_once_at_start_up() {
    let logs = logged(async {
        let cors = Cors::default()
            .origins(Vec::<String>::new())
            .max_age(10_000)
            .allow_private_network(true)
            .methods(["GET", "patch"]);
        let cors = cors.try_build().unwrap();
        for _ in 0..3 {
            let _ = cors.new_transform(actix_web::test::ok_service()).await;
        }
    })
    .await;
    let warnings = lines_at(&logs, Level::Warn);
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    for want in [
        "allows no origin",
        "Chromium's cap",
        "allow_private_network",
        "\"patch\" is matched case-sensitively",
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(want)),
            "no warning with {want:?}: {warnings:?}"
        );
    }
}

#[actix_rt::test]
async fn a_shadowed_resource_entry_warns() {
    use actix_cross_origin::ResourceOptions;
    let logs = logged(async {
        let entry = |p: &str| ResourceOptions {
            path: p.into(),
            ..ResourceOptions::default()
        };
        let _ = Cors::default()
            .resources([entry("/api/*"), entry("/api/v1/*")])
            .try_build()
            .unwrap();
    })
    .await;
    assert!(
        logs.iter().any(|(l, s)| *l == Level::Warn
            && s.contains("resources[1]")
            && s.contains("never used")),
        "{logs:?}"
    );
}

#[actix_rt::test]
async fn an_invalid_policy_logs_its_error_when_actix_starts_it() {
    let logs = logged(async {
        let cors = Cors::default().origins(["https://a.com/"]);
        assert!(cors
            .new_transform(actix_web::test::ok_service())
            .await
            .is_err());
    })
    .await;
    assert!(
        logs.iter().any(|(l, s)| *l == Level::Error
            && s.contains("invalid CORS configuration")
            && s.contains("the CORS policy (built at tests/logging.rs:")
            && s.contains("\"https://a.com\"")),
        "{logs:?}"
    );
}

#[actix_web::put(
    "/hidden",
    wrap = "actix_cross_origin::cross_origin().origins([\"https://route.example\"])"
)]
async fn hidden() -> &'static str {
    "hidden"
}

#[actix_rt::test]
async fn a_route_policy_whose_preflights_go_elsewhere_says_so_once() {
    let logs = logged(async {
        let app = actix_web::test::init_service(
            actix_web::App::new()
                .service(hidden)
                .wrap(Cors::default().origins(["https://app.example"])),
        )
        .await;
        let put =
            || get("/hidden", Some("https://route.example")).method(actix_web::http::Method::PUT);
        let _ = call(&app, put()).await;
        let _ = call(&app, put()).await;
    })
    .await;
    let warnings = lines_at(&logs, Level::Warn);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("\"/hidden\""), "{}", warnings[0]);
    assert!(
        warnings[0].contains("method = \"PUT\", method = \"OPTIONS\""),
        "{}",
        warnings[0]
    );
}

#[actix_rt::test]
async fn a_route_policy_that_answers_its_preflights_does_not_warn() {
    let logs = logged(async {
        let app = actix_web::test::init_service(
            actix_web::App::new()
                .service(
                    actix_web::web::resource("/seen")
                        .wrap(actix_cross_origin::cross_origin().origins(["https://route.example"]))
                        .route(actix_web::web::put().to(|| async { "seen" })),
                )
                .wrap(Cors::default().origins(["https://app.example"])),
        )
        .await;
        let _ = call(
            &app,
            preflight("/seen", "https://route.example", "PUT", None),
        )
        .await;
        let _ = call(
            &app,
            get("/seen", Some("https://route.example")).method(actix_web::http::Method::PUT),
        )
        .await;
    })
    .await;
    assert!(!logs.iter().any(|(l, _)| *l == Level::Warn), "{logs:?}");
}

#[actix_cross_origin::cross_origin(origins = ["https://route.example"])]
#[actix_web::get("/attr")]
async fn attr() -> &'static str {
    "attr"
}

/// An App whose policy allows only `https://app.example.com`, with inner policies that allow
/// any origin (a scope), `https://route.example` (a resource and a route attribute), and
/// resources entries.
async fn nested_app() -> impl TestApp<actix_web::body::EitherBody<actix_web::body::BoxBody>> {
    use actix_cross_origin::{cross_origin, ResourceOptions};
    use actix_web::web;
    let app_policy = Cors::default()
        .origins(["https://app.example.com"])
        .resources([
            ResourceOptions {
                path: "/api/*".into(),
                methods: Some(vec!["GET".into()]),
                ..ResourceOptions::default()
            },
            ResourceOptions {
                path: "/*".into(),
                ..ResourceOptions::default()
            },
        ]);
    actix_web::test::init_service(
        actix_web::App::new()
            .service(
                web::scope("/public")
                    .wrap(cross_origin())
                    .route("/status", web::get().to(|| async { "up" })),
            )
            .service(
                web::resource("/res/item")
                    .wrap(cross_origin().origins(["https://route.example"]))
                    .route(web::put().to(|| async { "res" })),
            )
            .service(attr)
            .route("/api/items", web::get().to(|| async { "items" }))
            .route("/other", web::get().to(|| async { "other" }))
            .wrap(app_policy),
    )
    .await
}

/// A policy that yields to an inner one logs nothing for what the inner one decides: the
/// scope's policy grants `https://random.example`, so no line says it was refused.
#[actix_rt::test]
async fn a_policy_that_yields_never_logs_what_an_inner_policy_decides() {
    let logs = logged(async {
        let app = nested_app().await;
        let res = call(&app, get("/public/status", Some("https://random.example"))).await;
        assert_eq!(acao(&res).as_deref(), Some("https://random.example"));
        let res = call(
            &app,
            preflight("/public/status", "https://random.example", "PUT", None),
        )
        .await;
        assert_eq!(acao(&res).as_deref(), Some("https://random.example"));
        let res = call(&app, get("/attr", Some("https://route.example"))).await;
        assert_eq!(acao(&res).as_deref(), Some("https://route.example"));
        let put =
            get("/res/item", Some("https://route.example")).method(actix_web::http::Method::PUT);
        let res = call(&app, put).await;
        assert_eq!(acao(&res).as_deref(), Some("https://route.example"));
    })
    .await;
    assert_eq!(lines_at(&logs, Level::Debug), Vec::<&str>::new());
}

/// Every refusal line names the policy that decided: the App's, a scope's, a resource's, or a
/// route attribute's (its handler), where it was built, and its `resources` entry.
#[actix_rt::test]
async fn every_refusal_line_names_the_policy_that_decided() {
    let here = "tests/logging.rs:";
    let cases: Vec<(actix_web::test::TestRequest, String)> = vec![
        (
            get("/other", Some("https://evil.example")),
            format!("decided by the App's Cors (built at {here}"),
        ),
        (
            get("/api/items", Some("https://evil.example")),
            "resources[0] \"/api/*\"".to_owned(),
        ),
        (
            get("/other", Some("https://evil.example")),
            "resources[1] \"/*\"".to_owned(),
        ),
        (
            preflight("/api/items", "https://app.example.com", "DELETE", None),
            "method \"DELETE\" is not allowed; path \"/api/items\"; decided by the App's Cors"
                .to_owned(),
        ),
        (
            preflight("/res/item", "https://evil.example", "PUT", None),
            format!("decided by the Cors of resource \"/res/item\" (built at {here}"),
        ),
        (
            get("/attr", Some("https://evil.example")),
            "decided by the #[cross_origin] policy of handler `attr` (GET /attr)".to_owned(),
        ),
    ];
    for (req, want) in cases {
        let logs = logged(async {
            let app = nested_app().await;
            let _ = call(&app, req).await;
        })
        .await;
        let lines = lines_at(&logs, Level::Debug);
        assert_eq!(lines.len(), 1, "{want}: {lines:?}");
        assert!(lines[0].contains(&want), "{:?} lacks {want:?}", lines[0]);
    }
}

/// A scope's policy names its scope.
#[actix_rt::test]
async fn a_scope_policy_names_its_scope() {
    use actix_web::web;
    let logs = logged(async {
        let app = actix_web::test::init_service(
            actix_web::App::new().service(
                web::scope("/partner")
                    .wrap(actix_cross_origin::cross_origin().origins(["https://partner.example"]))
                    .route("/feed", web::get().to(|| async { "feed" })),
            ),
        )
        .await;
        let _ = call(&app, get("/partner/feed", Some("https://evil.example"))).await;
    })
    .await;
    let lines = lines_at(&logs, Level::Debug);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("decided by the Cors of scope \"/partner\" (built at tests/logging.rs:"),
        "{}",
        lines[0]
    );
}

/// Explain mode warns at start-up and at each change that turns it on.
#[actix_rt::test]
async fn explain_mode_warns_that_it_shows_the_lists() {
    let logs = logged(async {
        let cors = Cors::default()
            .origins(["https://a.com"])
            .explain(true)
            .try_build()
            .unwrap();
        let mut options = cors.options();
        options.max_age = Some(5);
        cors.reconfigure(options).unwrap();
    })
    .await;
    let warnings = lines_at(&logs, Level::Warn);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("explain is on") && w.contains("policy's lists")),
        "{warnings:?}"
    );
}

/// A duplicated origin is a warning: the copy changes nothing, and may be a typo for another.
#[actix_rt::test]
async fn a_duplicated_origin_warns() {
    let logs = logged(async {
        let _ = Cors::default()
            .origins(["https://a.com", "https://b.com", "https://a.com"])
            .try_build()
            .unwrap();
    })
    .await;
    let warnings = lines_at(&logs, Level::Warn);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("origins lists \"https://a.com\" more than once"),
        "{}",
        warnings[0]
    );
}

/// A change from origins left out (any origin) to a list says so: it narrows the policy.
#[actix_rt::test]
async fn a_change_that_narrows_any_origin_says_so() {
    let cors = Cors::default().try_build().unwrap();
    let logs = logged(async {
        let mut options = cors.options();
        options.origins = Some(vec!["https://a.com".into()]);
        cors.reconfigure(options).unwrap();
    })
    .await;
    assert!(
        logs.iter()
            .any(|(l, s)| *l == Level::Info && s.ends_with("origins left out -> 1 entries")),
        "{logs:?}"
    );
}
