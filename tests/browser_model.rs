//! The browser model (`actix_cross_origin::test`) through real actix Apps: wrapped by this
//! crate (app-wide, scope, `#[cross_origin]` route), wrapped by actix-cors, and handlers that
//! write CORS fields by hand, right and wrong.

use std::time::Duration;

use actix_cross_origin::test::{Browser, CorsFailure, Engine, Fetch, Refusal};
use actix_cross_origin::{cross_origin, Cors};
use actix_web::http::{header, Method};
use actix_web::{get, test, web, App, HttpRequest, HttpResponse};

const APP: &str = "https://app.example";
const EVIL: &str = "https://evil.example";

fn policy() -> Cors {
    Cors::default()
        .origins([APP])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-token"])
        .expose_headers(["X-Public"])
        .supports_credentials(true)
        .try_build()
        .expect("valid policy")
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/data",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("X-Public", "p"))
                .insert_header(("X-Secret", "s"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body("data")
        }),
    )
    .route("/item", web::put().to(|| async { "put ok" }))
    .route("/item", web::delete().to(|| async { "deleted" }))
    .route("/json", web::post().to(|body: String| async move { body }))
    .route(
        "/login",
        web::post().to(|| async {
            HttpResponse::Ok()
                .insert_header((header::SET_COOKIE, "session=abc; Path=/; SameSite=Lax"))
                .body("logged in")
        }),
    )
    .route(
        "/me",
        web::get().to(|req: HttpRequest| async move {
            let cookie = req.headers().get(header::COOKIE).cloned();
            let cookie = cookie.and_then(|c| c.to_str().ok().map(str::to_owned));
            HttpResponse::Ok().body(cookie.unwrap_or_else(|| "none".into()))
        }),
    );
}

#[actix_rt::test]
async fn app_wide_policy() {
    let app = test::init_service(App::new().wrap(policy()).configure(routes)).await;
    let browser = Browser::new(APP);

    let simple = browser.fetch(&app, Fetch::new("GET", "/data")).await;
    assert!(simple.is_allowed(), "{simple}");
    assert!(!simple.preflighted());
    assert_eq!(simple.text(), "data");
    assert_eq!(simple.header("x-public").as_deref(), Some("p"));
    assert_eq!(simple.header("x-secret"), None, "not exposed");
    assert_eq!(
        simple.header("cache-control").as_deref(),
        Some("no-store"),
        "safelisted"
    );
    assert_eq!(simple.header("content-length").as_deref(), Some("4"));
    assert_eq!(simple.requests().len(), 1);

    let json = Fetch::new("POST", "/json")
        .header("Content-Type", "application/json")
        .body(r#"{"a":1}"#);
    let outcome = browser.fetch(&app, json.clone()).await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert!(
        outcome.preflighted(),
        "application/json is not a form's type"
    );
    let preflight = &outcome.requests()[0];
    assert!(preflight.is_preflight());
    assert!(preflight.request_headers().contains(&(
        "Access-Control-Request-Headers".into(),
        "content-type".into()
    )));
    assert_eq!(outcome.text(), r#"{"a":1}"#);
    // Cached for 5 s (no Max-Age), then asked again.
    assert!(!browser.fetch(&app, json.clone()).await.preflighted());
    browser.advance(Duration::from_secs(4));
    assert!(!browser.fetch(&app, json.clone()).await.preflighted());
    browser.advance(Duration::from_secs(1));
    assert!(browser.fetch(&app, json).await.preflighted());

    let form = Fetch::new("POST", "/json").header("Content-Type", "text/plain;charset=UTF-8");
    assert!(!browser.fetch(&app, form).await.preflighted());

    let put = Fetch::new("PUT", "/item")
        .header("X-Token", "t")
        .credentials(true);
    let outcome = browser.fetch(&app, put).await;
    assert!(outcome.is_allowed() && outcome.preflighted(), "{outcome}");
    assert_eq!(outcome.text(), "put ok");

    let delete = browser.fetch(&app, Fetch::new("DELETE", "/item")).await;
    assert_eq!(
        delete.reason(),
        Some(&Refusal::Method {
            method: "DELETE".into()
        })
    );
    assert_eq!(delete.requests().len(), 1, "the DELETE was never sent");

    let header = browser
        .fetch(&app, Fetch::new("GET", "/data").header("X-Debug", "1"))
        .await;
    assert_eq!(
        header.reason(),
        Some(&Refusal::Header {
            name: "X-Debug".into(),
            wildcard: false,
            credentials: false
        })
    );

    let evil = Browser::new(EVIL);
    let outcome = evil.fetch(&app, Fetch::new("GET", "/data")).await;
    assert_eq!(
        outcome.reason(),
        Some(&Refusal::Response {
            status: 200,
            cors: CorsFailure::MissingAllowOrigin
        })
    );
    assert_eq!(
        outcome.requests().len(),
        1,
        "a simple request is sent; only its answer is hidden"
    );
    assert_eq!(outcome.status(), None);
    assert!(outcome.body().is_empty() && outcome.headers().is_empty());
    let outcome = evil.fetch(&app, Fetch::new("PUT", "/item")).await;
    assert!(matches!(
        outcome.reason(),
        Some(Refusal::Preflight {
            cors: Some(CorsFailure::MissingAllowOrigin),
            ..
        })
    ));
    assert_eq!(
        outcome.console(Engine::WebKit).unwrap(),
        "CONSOLE SECURITY ERROR Origin https://evil.example is not allowed by Access-Control-Allow-Origin. Status code: 204"
    );
}

#[actix_rt::test]
async fn cookies_go_with_credentials_only() {
    let app = test::init_service(App::new().wrap(policy()).configure(routes)).await;
    let browser = Browser::new(APP).server("https://app.example:8443");
    let login = browser
        .fetch(&app, Fetch::new("POST", "/login").credentials(true))
        .await;
    assert!(login.is_allowed(), "{login}");
    assert_eq!(login.header("set-cookie"), None, "never readable");
    let me = browser
        .fetch(&app, Fetch::new("GET", "/me").credentials(true))
        .await;
    assert_eq!(me.text(), "session=abc", "{me}");
    let me = browser.fetch(&app, Fetch::new("GET", "/me")).await;
    assert!(!me.is_allowed() || me.text() == "none", "{me}");
    assert!(!me.requests()[0]
        .request_headers()
        .iter()
        .any(|(n, _)| n == "Cookie"));
}

#[actix_rt::test]
async fn scope_and_route_policies() {
    #[cross_origin(origins = ["https://partner.example"], allow_headers = ["x-token"])]
    #[get("/attr")]
    async fn attr() -> &'static str {
        "attr get"
    }
    let inner = actix_cross_origin::cross_origin().origins(["https://partner.example"]);
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/partner")
                    .wrap(inner)
                    .route("/item", web::put().to(|| async { "partner put" })),
            )
            .service(attr)
            .wrap(policy())
            .configure(routes),
    )
    .await;
    let partner = Browser::new("https://partner.example");
    let app_page = Browser::new(APP);
    let put = || Fetch::new("PUT", "/partner/item");
    let token_get = || Fetch::new("GET", "/attr").header("X-Token", "t");
    let outcome = partner.fetch(&app, put()).await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert_eq!(outcome.text(), "partner put");
    assert!(
        !app_page.fetch(&app, put()).await.is_allowed(),
        "the scope's policy decides"
    );
    let outcome = partner.fetch(&app, token_get()).await;
    assert!(outcome.is_allowed() && outcome.preflighted(), "{outcome}");
    assert!(!app_page.fetch(&app, token_get()).await.is_allowed());
}

#[actix_rt::test]
async fn apps_wrapped_by_actix_cors() {
    let cors = actix_cors::Cors::default()
        .allowed_origin(APP)
        .allowed_methods(["GET", "PUT"])
        .allowed_header("x-token")
        .expose_headers(["X-Public"])
        .supports_credentials()
        .max_age(600);
    let app = test::init_service(App::new().wrap(cors).configure(routes)).await;
    let browser = Browser::new(APP);
    let outcome = browser
        .fetch(
            &app,
            Fetch::new("PUT", "/item")
                .header("X-Token", "t")
                .credentials(true),
        )
        .await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert_eq!(outcome.text(), "put ok");
    browser.advance(Duration::from_secs(599));
    let again = Fetch::new("PUT", "/item")
        .header("X-Token", "t")
        .credentials(true);
    assert!(
        !browser.fetch(&app, again.clone()).await.preflighted(),
        "Max-Age 600"
    );
    browser.advance(Duration::from_secs(1));
    assert!(browser.fetch(&app, again).await.preflighted());

    let data = browser
        .fetch(&app, Fetch::new("GET", "/data").credentials(true))
        .await;
    assert_eq!(data.header("x-public").as_deref(), Some("p"), "{data}");

    // actix-cors refuses a method with an error, which the server answers 400.
    let delete = browser.fetch(&app, Fetch::new("DELETE", "/item")).await;
    assert!(
        matches!(
            delete.reason(),
            Some(Refusal::Preflight { status: 400, .. })
        ),
        "{delete}"
    );
    assert_eq!(
        delete.console(Engine::WebKit).unwrap(),
        "CONSOLE SECURITY ERROR Preflight response is not successful. Status code: 400"
    );
    let evil = Browser::new(EVIL)
        .fetch(&app, Fetch::new("GET", "/data"))
        .await;
    assert!(!evil.is_allowed(), "{evil}");
}

/// A server whose CORS fields are written by hand from query parameters: `acao` (repeatable;
/// `origin` echoes the request's), `acac`, `acam`, `acah`, `aceh`, `max_age`, and `status`
/// for the preflight's status.
async fn hand_written(req: HttpRequest) -> HttpResponse {
    let query = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .unwrap_or("");
    let preflight = req.method() == Method::OPTIONS;
    let status = query
        .iter()
        .find(|(k, _)| k == "status" && preflight)
        .and_then(|(_, v)| v.parse().ok())
        .and_then(|s| actix_web::http::StatusCode::from_u16(s).ok())
        .unwrap_or(actix_web::http::StatusCode::OK);
    let mut answer = HttpResponse::build(status);
    for (key, value) in &query {
        let value = if value == "origin" {
            origin
        } else {
            value.as_str()
        };
        let name = match key.as_str() {
            "acao" => "access-control-allow-origin",
            "acac" => "access-control-allow-credentials",
            "acam" if preflight => "access-control-allow-methods",
            "acah" if preflight => "access-control-allow-headers",
            "max_age" if preflight => "access-control-max-age",
            "aceh" => "access-control-expose-headers",
            _ => continue,
        };
        answer.append_header((name, value));
    }
    answer.insert_header(("X-Public", "p")).body("by hand")
}

#[actix_rt::test]
async fn fields_written_by_hand() {
    let app = test::init_service(App::new().default_service(web::to(hand_written))).await;
    let browser = Browser::new(APP);
    let get = |query: &str| Fetch::new("GET", format!("/x?{query}"));
    let mismatch = |v: &str| CorsFailure::AllowOriginMismatch { value: v.into() };
    let response = |cors| Some(Refusal::Response { status: 200, cors });

    // (fetch, want refusal)
    let cases = [
        (get("acao=*"), None),
        (get("acao=origin"), None),
        (
            get("acao=*").credentials(true),
            response(CorsFailure::WildcardOriginWithCredentials),
        ),
        (
            get("acao=*&acac=true").credentials(true),
            response(CorsFailure::WildcardOriginWithCredentials),
        ),
        (
            get("acao=origin").credentials(true),
            response(CorsFailure::AllowCredentialsNotTrue { value: None }),
        ),
        (
            get("acao=origin&acac=TRUE").credentials(true),
            response(CorsFailure::AllowCredentialsNotTrue {
                value: Some("TRUE".into()),
            }),
        ),
        (get("acao=origin&acac=true").credentials(true), None),
        (
            get("acao=origin&acao=origin"),
            response(mismatch("https://app.example, https://app.example")),
        ),
        (
            get("acao=https://app.example/"),
            response(mismatch("https://app.example/")),
        ),
        (get("acao=null"), response(mismatch("null"))),
        (get(""), response(CorsFailure::MissingAllowOrigin)),
        // Preflights.
        (
            Fetch::new("PUT", "/x?acao=origin&acam=PUT&status=403"),
            Some(Refusal::Preflight {
                status: 403,
                cors: None,
            }),
        ),
        (
            Fetch::new("PUT", "/x?acam=PUT&status=500"),
            Some(Refusal::Preflight {
                status: 500,
                cors: Some(CorsFailure::MissingAllowOrigin),
            }),
        ),
        (
            Fetch::new("PUT", "/x?acao=origin&acam=PUT&status=204"),
            None,
        ),
        (Fetch::new("PUT", "/x?acao=origin&acam=*"), None),
        (
            Fetch::new("PUT", "/x?acao=origin&acam=*&acac=true").credentials(true),
            Some(Refusal::Method {
                method: "PUT".into(),
            }),
        ),
        (
            Fetch::new("PUT", "/x?acao=origin&acam=PUT%20GET"),
            Some(Refusal::InvalidAllowMethods {
                value: "PUT GET".into(),
            }),
        ),
        (get("acao=origin&acah=*").header("X-Token", "t"), None),
        (
            get("acao=origin&acah=*&acac=true")
                .header("X-Token", "t")
                .credentials(true),
            Some(Refusal::Header {
                name: "X-Token".into(),
                wildcard: true,
                credentials: true,
            }),
        ),
        (
            get("acao=origin&acah=*").header("Authorization", "Bearer t"),
            Some(Refusal::Header {
                name: "Authorization".into(),
                wildcard: true,
                credentials: false,
            }),
        ),
        (
            get("acao=origin&acah=*,authorization").header("Authorization", "Bearer t"),
            None,
        ),
    ];
    for (fetch, want) in cases {
        let outcome = browser.fetch(&app, fetch.clone()).await;
        assert_eq!(outcome.reason(), want.as_ref(), "{fetch:?}\n{outcome}");
        if want.is_none() {
            assert_eq!(outcome.text(), "by hand");
        }
    }

    // The engines' default reading lets Authorization through under `*`.
    let star = get("acao=origin&acah=*").header("Authorization", "Bearer t");
    let refused = browser.fetch(&app, star.clone()).await;
    assert!(refused.reason().unwrap().engines_allow_by_default());
    assert!(refused
        .reason()
        .unwrap()
        .to_string()
        .contains("whatwg/fetch#1919"));
    let engines = Browser::new(APP).wildcard_covers_authorization(true);
    assert!(engines.fetch(&app, star).await.is_allowed());

    // Exposed headers: `*` only without credentials.
    let all = browser
        .fetch(&app, get("acao=origin&acac=true&aceh=*"))
        .await;
    assert_eq!(all.header("x-public").as_deref(), Some("p"));
    let literal = browser
        .fetch(&app, get("acao=origin&acac=true&aceh=*").credentials(true))
        .await;
    assert!(literal.is_allowed(), "{literal}");
    assert_eq!(literal.header("x-public"), None);
}

#[actix_rt::test]
async fn the_preflight_cache() {
    let app = test::init_service(App::new().default_service(web::to(hand_written))).await;
    let browser = Browser::new(APP);
    let put = |query: &str| Fetch::new("PUT", format!("/x?{query}"));
    for (query, cached_for) in [
        ("acao=origin&acam=PUT&max_age=0", 0),
        ("acao=origin&acam=PUT", 5),
        ("acao=origin&acam=PUT&max_age=600", 600),
        ("acao=origin&acam=PUT&max_age=86400", 7200),
        ("acao=origin&acam=PUT&max_age=junk", 5),
    ] {
        assert!(
            browser.fetch(&app, put(query)).await.preflighted(),
            "{query}"
        );
        if cached_for > 0 {
            browser.advance(Duration::from_secs(cached_for - 1));
            assert!(
                !browser.fetch(&app, put(query)).await.preflighted(),
                "{query}"
            );
            browser.advance(Duration::from_secs(1));
        }
        assert!(
            browser.fetch(&app, put(query)).await.preflighted(),
            "{query} after {cached_for} s"
        );
    }
    // WebKit's cap.
    let webkit = Browser::new(APP).max_age_cap(Engine::WebKit.max_age_cap());
    let query = "acao=origin&acam=PUT&max_age=86400";
    assert!(webkit.fetch(&app, put(query)).await.preflighted());
    webkit.advance(Duration::from_secs(600));
    assert!(webkit.fetch(&app, put(query)).await.preflighted());

    // A cached method does not cover a new header; a failed request clears the URL's entries.
    let query = "acao=origin&acam=PUT&acah=x-token&max_age=600";
    assert!(browser.fetch(&app, put(query)).await.preflighted());
    assert!(!browser
        .fetch(&app, put(query).header("X-Token", "t"))
        .await
        .preflighted());
    assert!(browser
        .fetch(&app, put(query).header("X-Other", "t"))
        .await
        .preflighted());
    assert!(
        browser.fetch(&app, put(query)).await.preflighted(),
        "cleared by the failure"
    );
    // Each origin has its own entries.
    let other = Browser::new("https://other.example");
    assert!(other.fetch(&app, put(query)).await.preflighted());
}

#[actix_rt::test]
async fn what_fetch_does_before_sending() {
    let app = test::init_service(App::new().default_service(web::to(hand_written))).await;
    let browser = Browser::new(APP);
    let trace = browser.fetch(&app, Fetch::new("TRACE", "/x")).await;
    assert!(
        matches!(trace.reason(), Some(Refusal::InvalidRequest { .. })),
        "{trace}"
    );
    assert!(trace.requests().is_empty());
    assert_eq!(trace.console(Engine::Chromium), None);
    let relative = browser.fetch(&app, Fetch::new("GET", "x")).await;
    assert!(matches!(
        relative.reason(),
        Some(Refusal::InvalidRequest { .. })
    ));
    let bad_value = browser
        .fetch(&app, Fetch::new("GET", "/x").header("X-A", "a\nb"))
        .await;
    assert!(matches!(
        bad_value.reason(),
        Some(Refusal::InvalidRequest { .. })
    ));
    // Forbidden headers are dropped: no preflight, no Cookie from the page.
    let cookie = browser
        .fetch(
            &app,
            Fetch::new("GET", "/x?acao=*")
                .header("Cookie", "a=b")
                .header("Sec-Fetch-Mode", "no-cors"),
        )
        .await;
    assert!(cookie.is_allowed() && !cookie.preflighted(), "{cookie}");
    assert!(!cookie.requests()[0]
        .request_headers()
        .iter()
        .any(|(n, _)| n == "Cookie"));
    // `patch` is sent as written, and is not `PATCH`.
    let patch = browser
        .fetch(&app, Fetch::new("patch", "/x?acao=origin&acam=PATCH"))
        .await;
    assert_eq!(
        patch.reason(),
        Some(&Refusal::Method {
            method: "patch".into()
        })
    );
    // Same origin: no CORS at all.
    let same = Browser::new("http://localhost:8080")
        .fetch(&app, Fetch::new("PUT", "/x"))
        .await;
    assert!(same.is_allowed() && !same.preflighted(), "{same}");
    assert_eq!(same.header("x-public").as_deref(), Some("p"));
    // Another server's URL.
    let other = browser
        .fetch(&app, Fetch::new("GET", "https://cdn.example/x?acao=*"))
        .await;
    assert_eq!(other.requests()[0].url(), "https://cdn.example/x?acao=*");
    assert!(other.is_allowed());
}

#[actix_rt::test]
async fn errors_and_hostile_bytes_never_panic() {
    let app = test::init_service(
        App::new()
            .route(
                "/err",
                web::get().to(|| async {
                    Err::<HttpResponse, _>(actix_web::error::ErrorInternalServerError("boom"))
                }),
            )
            .route(
                "/bytes",
                web::route().to(|| async {
                    let mut answer = HttpResponse::Ok();
                    for (name, value) in [
                        (
                            "access-control-allow-origin",
                            &b"https://app.example\xff"[..],
                        ),
                        ("access-control-allow-methods", b"\xfe, PUT"),
                        ("access-control-expose-headers", b"\x80"),
                        ("access-control-max-age", b"\xff"),
                        ("set-cookie", b"\xff=\xff"),
                    ] {
                        answer
                            .append_header((name, header::HeaderValue::from_bytes(value).unwrap()));
                    }
                    answer.body(vec![0xff, 0xfe])
                }),
            )
            .wrap(
                actix_web::middleware::DefaultHeaders::new()
                    .add(("Access-Control-Allow-Origin", "*")),
            ),
    )
    .await;
    let browser = Browser::new(APP);
    let err = browser.fetch(&app, Fetch::new("GET", "/err")).await;
    assert!(err.is_allowed(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    for method in ["GET", "PUT"] {
        let outcome = browser
            .fetch(&app, Fetch::new(method, "/bytes").credentials(true))
            .await;
        assert!(!outcome.is_allowed());
        for engine in [Engine::Chromium, Engine::Firefox, Engine::WebKit] {
            assert!(outcome.console(engine).is_some());
        }
        let _ = outcome.to_string();
    }
}

/// For any CORS fields and status an answer carries, the model never panics, and it allows a
/// response only when the Fetch standard's CORS check holds on it. (`std`'s `test`: the
/// `test` in scope is actix-web's.)
#[std::prelude::v1::test]
fn any_answer_bytes() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let value = prop_oneof![
        3 => prop_oneof![
            Just(b"*".to_vec()),
            Just(APP.as_bytes().to_vec()),
            Just(b"true".to_vec()),
            Just(b"PUT, x-token".to_vec()),
            Just(b"600".to_vec()),
        ],
        2 => proptest::collection::vec(
            any::<u8>().prop_filter("a field's bytes", |b| !matches!(b, 0 | b'\r' | b'\n')),
            0..24,
        ),
    ];
    let name = prop_oneof![
        Just("access-control-allow-origin"),
        Just("access-control-allow-credentials"),
        Just("access-control-allow-methods"),
        Just("access-control-allow-headers"),
        Just("access-control-expose-headers"),
        Just("access-control-max-age"),
        Just("set-cookie"),
    ];
    let answer = (
        proptest::collection::vec((name, value), 0..6),
        prop_oneof![Just(200u16), Just(204), Just(403), 100u16..600],
        any::<bool>(),
        prop_oneof![Just("GET"), Just("PUT"), Just("post"), Just("PATCH")],
        proptest::option::of(prop_oneof![
            Just("X-Token"),
            Just("Authorization"),
            Just("Accept")
        ]),
    );
    let mut runner = TestRunner::new(Config {
        cases: 256,
        ..Config::default()
    });
    runner
        .run(&answer, |(fields, status, credentials, method, header)| {
            let fields: Vec<(&'static str, header::HeaderValue)> = fields
                .into_iter()
                .filter_map(|(n, v)| header::HeaderValue::from_bytes(&v).ok().map(|v| (n, v)))
                .collect();
            let outcome = actix_rt::System::new().block_on(async {
                let fields = fields.clone();
                let app = test::init_service(App::new().default_service(web::to(move || {
                    let fields = fields.clone();
                    async move {
                        let status = actix_web::http::StatusCode::from_u16(status)
                            .unwrap_or(actix_web::http::StatusCode::OK);
                        let mut answer = HttpResponse::build(status);
                        for (name, value) in fields {
                            answer.append_header((name, value));
                        }
                        answer.body("any")
                    }
                })))
                .await;
                let mut fetch = Fetch::new(method, "/any").credentials(credentials);
                if let Some(name) = header {
                    fetch = fetch.header(name, "v");
                }
                Browser::new(APP).fetch(&app, fetch).await
            });
            let _ = outcome.to_string();
            if outcome.is_allowed() {
                let acao: Vec<&[u8]> = fields
                    .iter()
                    .filter(|(n, _)| *n == "access-control-allow-origin")
                    .map(|(_, v)| v.as_bytes())
                    .collect();
                let granted = acao == [APP.as_bytes()] || (!credentials && acao == [b"*"]);
                prop_assert!(granted, "{outcome}");
                let acac: Vec<&[u8]> = fields
                    .iter()
                    .filter(|(n, _)| *n == "access-control-allow-credentials")
                    .map(|(_, v)| v.as_bytes())
                    .collect();
                prop_assert!(!credentials || acac == [b"true"], "{outcome}");
                prop_assert_eq!(outcome.header("set-cookie"), None);
            } else {
                prop_assert!(outcome.status().is_none() && outcome.body().is_empty());
            }
            Ok(())
        })
        .unwrap();
}
