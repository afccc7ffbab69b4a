//! App-wide CORS through a real actix `App` with real routing: every option, every refusal
//! reason, Vary in all its cases, and error responses.

mod support;

use actix_cross_origin::{Cors, CorsOptions, ResourceOptions};
use actix_web::http::{header, Method, StatusCode};
use actix_web::test::TestRequest;
use support::*;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

fn listed() -> Cors {
    Cors::default().origins([APP])
}

#[actix_rt::test]
async fn default_reflects_any_origin_like_flask_cors() {
    let hits = Hits::default();
    let app = api(Cors::default(), &hits).await;
    let res = call(&app, get("/items", Some(EVIL))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(acao(&res).as_deref(), Some(EVIL));
    assert_eq!(vary_origin_count(&res), 1);
    assert_eq!(one(&res, "access-control-allow-credentials"), None);

    let res = call(
        &app,
        preflight("/items", EVIL, "PUT", Some("content-type,x-anything")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(EVIL));
    assert_eq!(
        one(&res, "access-control-allow-methods").as_deref(),
        Some("GET, HEAD, POST, OPTIONS, PUT, PATCH, DELETE")
    );
    assert_eq!(
        one(&res, "access-control-allow-headers").as_deref(),
        Some("content-type,x-anything")
    );
    assert_eq!(one(&res, "access-control-max-age"), None);
    assert_eq!(hits.get(), 1, "the preflight must not reach the handler");
}

#[actix_rt::test]
async fn listed_origin_granted_others_refused_but_handler_runs() {
    let hits = Hits::default();
    let app = api(listed(), &hits).await;
    let res = call(&app, get("/items", Some(APP))).await;
    assert_eq!(acao(&res).as_deref(), Some(APP));
    assert_eq!(vary_origin_count(&res), 1);

    // CORS is not authorization: the handler runs, the browser is just not told it may read.
    let res = call(&app, get("/items", Some(EVIL))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!has_cors_headers(&res));
    assert_eq!(vary_origin_count(&res), 1);
    assert_eq!(hits.get(), 2);
}

/// An answer's fields, as `assert_cors_fields` compares them.
type Fields<'a> = &'a [(&'a str, &'a str)];

/// A case of a table: its name, the request, and the fields its answer carries.
type Case<'a> = (&'a str, TestRequest, Vec<(&'a str, &'a str)>);

/// What a preflight refused for its method, a header or private network access is answered
/// by `refusing()`: the origin's grant and the policy's own lists, never what was refused.
const GRANT_AND_LISTS: Fields<'static> = &[
    ("access-control-allow-origin", APP),
    ("access-control-allow-methods", "GET, PUT"),
    ("access-control-allow-headers", "content-type, x-token"),
    ("vary", "Origin"),
];

fn refusing() -> Cors {
    listed()
        .methods(["GET", "PUT"])
        .allow_headers(["Content-Type", "X-Token"])
}

#[actix_rt::test]
async fn preflight_refusals_are_204_that_no_browser_passes_and_never_reach_the_handler() {
    let hits = Hits::default();
    let app = api(refusing(), &hits).await;
    let pna = ("access-control-request-private-network", "true");
    let refused: [(&str, TestRequest, Fields<'_>); 13] = [
        // The origin: nothing that grants.
        (
            "not listed",
            preflight("/items", EVIL, "PUT", None),
            ORIGIN_REFUSED,
        ),
        (
            "null",
            preflight("/items", "null", "PUT", None),
            ORIGIN_REFUSED,
        ),
        (
            "malformed",
            preflight("/items", "https://app.example.com/", "PUT", None),
            ORIGIN_REFUSED,
        ),
        (
            "two Origin fields",
            preflight("/items", APP, "PUT", None).append_header((header::ORIGIN, APP)),
            ORIGIN_REFUSED,
        ),
        // The method: the origin's grant and the policy's lists.
        (
            "method not listed",
            preflight("/items", APP, "DELETE", None),
            GRANT_AND_LISTS,
        ),
        (
            "method in lowercase",
            preflight("/items", APP, "put", None),
            GRANT_AND_LISTS,
        ),
        // What no browser sends gets no grant, since the lists might let it pass.
        (
            "method malformed",
            preflight("/items", APP, "PU T", None),
            ORIGIN_REFUSED,
        ),
        (
            "two methods",
            preflight("/items", APP, "PUT", None)
                .append_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")),
            ORIGIN_REFUSED,
        ),
        // A header: the same, never the refused name.
        (
            "header not listed",
            preflight("/items", APP, "PUT", Some("x-other")),
            GRANT_AND_LISTS,
        ),
        (
            "one header of two not listed",
            preflight("/items", APP, "PUT", Some("content-type,x-other")),
            GRANT_AND_LISTS,
        ),
        (
            "header malformed",
            preflight("/items", APP, "PUT", Some("x(token")),
            ORIGIN_REFUSED,
        ),
        (
            "headers too long",
            preflight("/items", APP, "PUT", Some(&"x-token,".repeat(600))),
            ORIGIN_REFUSED,
        ),
        // Private network access: what a grant answers but that (no header was asked for, so
        // none is answered).
        (
            "private network",
            preflight("/items", APP, "PUT", None).insert_header(pna),
            &[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET, PUT"),
                ("vary", "Origin"),
            ],
        ),
    ];
    for (case, req, want) in refused {
        let res = call(&app, req).await;
        assert_refused_preflight(&res, want, case);
    }
    assert_eq!(hits.get(), 0, "no handler ran");

    // Too long, yet naming no header at all: no grant either, so no browser could pass it.
    let res = call(
        &app,
        preflight("/items", APP, "PUT", Some(&",".repeat(5000))),
    )
    .await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "5000 commas");

    // Private network access refused with headers asked for: those, granted, are echoed.
    let res = call(
        &app,
        preflight("/items", APP, "PUT", Some("x-token")).insert_header(pna),
    )
    .await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "GET, PUT"),
            ("access-control-allow-headers", "x-token"),
            ("vary", "Origin"),
        ],
        "private network, x-token",
    );
    assert_eq!(hits.get(), 0, "no handler ran");

    let res = call(
        &app,
        preflight("/items", APP, "PUT", Some("X-Token, content-type")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        one(&res, "access-control-allow-methods").as_deref(),
        Some("GET, PUT")
    );
    assert_eq!(
        one(&res, "access-control-allow-headers").as_deref(),
        Some("X-Token, content-type")
    );
}

#[actix_rt::test]
async fn preflight_for_a_path_without_route_is_answered() {
    let app = api(listed(), &Hits::default()).await;
    let res = call(&app, preflight("/no/such/route", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    // And the actual request's 404 is readable by the page.
    let mut req = get("/no/such/route", Some(APP));
    req = req.method(Method::PUT);
    let res = call(&app, req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(acao(&res).as_deref(), Some(APP));
}

#[actix_rt::test]
async fn preflight_to_a_route_behind_authentication_is_not_a_401() {
    let app = api(listed(), &Hits::default()).await;
    let res = call(
        &app,
        preflight("/auth/me", APP, "GET", Some("authorization")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // The 401 of the actual request, an `Err` from the inner middleware, is readable too.
    let res = call_rendered(&app, get("/auth/me", Some(APP))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    assert_eq!(vary_origin_count(&res), 1);
    let res = call(
        &app,
        get("/auth/me", Some(APP)).insert_header((header::AUTHORIZATION, "Bearer t")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(acao(&res).as_deref(), Some(APP));
}

#[actix_rt::test]
async fn error_responses_carry_the_same_headers() {
    let cors = listed()
        .supports_credentials(true)
        .expose_headers(["X-Request-Id"]);
    let app = api(cors, &Hits::default()).await;
    for path in ["/fail", "/teapot", "/missing"] {
        let res = call(&app, get(path, Some(APP))).await;
        assert!(
            res.status().is_client_error() || res.status().is_server_error(),
            "{path}"
        );
        assert_eq!(acao(&res).as_deref(), Some(APP), "{path}");
        assert_eq!(
            one(&res, "access-control-allow-credentials").as_deref(),
            Some("true"),
            "{path}"
        );
        assert_eq!(
            one(&res, "access-control-expose-headers").as_deref(),
            Some("X-Request-Id"),
            "{path}"
        );
        assert_eq!(vary_origin_count(&res), 1, "{path}");
    }
    // A refused origin gets none of them on errors either.
    let res = call(&app, get("/fail", Some(EVIL))).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!has_cors_headers(&res));
}

#[actix_rt::test]
async fn credentials_are_sent_only_to_granted_origins() {
    let cors = listed().supports_credentials(true);
    let app = api(cors, &Hits::default()).await;
    let res = call(&app, get("/items", Some(APP))).await;
    assert_eq!(
        one(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let res = call(&app, preflight("/items", APP, "PUT", Some("content-type"))).await;
    assert_eq!(
        one(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let res = call(&app, get("/items", Some(EVIL))).await;
    assert_eq!(one(&res, "access-control-allow-credentials"), None);
    assert_eq!(acao(&res), None);
    // Without an Origin, always_send answers the one listed origin, credentials included, as
    // flask-cors does: a cached copy then still works for that origin.
    let res = call(&app, get("/items", None)).await;
    assert_eq!(acao(&res).as_deref(), Some(APP));
    assert_eq!(
        one(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(vary_origin_count(&res), 1);
}

#[actix_rt::test]
async fn expose_headers_only_on_actual_granted_responses() {
    let app = api(
        listed().expose_headers(["X-Total-Count", "X-Page"]),
        &Hits::default(),
    )
    .await;
    let res = call(&app, get("/items", Some(APP))).await;
    assert_eq!(
        one(&res, "access-control-expose-headers").as_deref(),
        Some("X-Total-Count, X-Page")
    );
    let res = call(&app, get("/items", Some(EVIL))).await;
    assert_eq!(one(&res, "access-control-expose-headers"), None);
}

#[actix_rt::test]
async fn max_age_is_sent_on_granted_preflights_including_zero() {
    for (age, want) in [(600, "600"), (0, "0")] {
        let app = api(listed().max_age(age), &Hits::default()).await;
        let res = call(&app, preflight("/items", APP, "PUT", None)).await;
        assert_eq!(one(&res, "access-control-max-age").as_deref(), Some(want));
        let res = call(&app, preflight("/items", EVIL, "PUT", None)).await;
        assert_eq!(one(&res, "access-control-max-age"), None);
        let res = call(&app, get("/items", Some(APP))).await;
        assert_eq!(one(&res, "access-control-max-age"), None);
    }
}

#[actix_rt::test]
async fn send_wildcard_answers_star_without_vary() {
    let app = api(Cors::default().send_wildcard(true), &Hits::default()).await;
    for origin in [Some(APP), Some(EVIL), Some("null"), None] {
        let res = call(&app, get("/items", origin)).await;
        assert_eq!(acao(&res).as_deref(), Some("*"), "{origin:?}");
        assert_eq!(vary_origin_count(&res), 0, "{origin:?}");
    }
    let res = call(&app, preflight("/items", APP, "PUT", None)).await;
    assert_eq!(acao(&res).as_deref(), Some("*"));
}

#[actix_rt::test]
async fn always_send_governs_requests_without_origin() {
    let app = api(Cors::default(), &Hits::default()).await;
    let res = call(&app, get("/items", None)).await;
    assert_eq!(acao(&res).as_deref(), Some("*"));
    assert_eq!(
        vary_origin_count(&res),
        1,
        "a request with an Origin would get another answer"
    );

    let app = api(Cors::default().always_send(false), &Hits::default()).await;
    let res = call(&app, get("/items", None)).await;
    assert_eq!(acao(&res), None);
    assert_eq!(vary_origin_count(&res), 1);

    // One listed origin is sent without an Origin (flask-cors's always_send); the answer
    // still depends on the Origin, so Vary says so.
    let app = api(listed(), &Hits::default()).await;
    for req in [get("/items", None), get("/items", Some(""))] {
        let res = call(&app, req).await;
        assert_eq!(acao(&res).as_deref(), Some(APP));
        assert_eq!(vary_origin_count(&res), 1);
    }
    // Several: one of them would be arbitrary, so none is sent.
    let app = api(
        Cors::default().origins([APP, "https://other.example"]),
        &Hits::default(),
    )
    .await;
    let res = call(&app, get("/items", None)).await;
    assert!(!has_cors_headers(&res));
    assert_eq!(vary_origin_count(&res), 1);
    let app = api(listed().always_send(false), &Hits::default()).await;
    let res = call(&app, get("/items", None)).await;
    assert!(!has_cors_headers(&res));
}

#[actix_rt::test]
async fn vary_in_all_its_cases() {
    let app = api(listed(), &Hits::default()).await;
    // Appended to an existing Vary, never replacing it.
    let res = call(&app, get("/vary", Some(APP))).await;
    assert_eq!(all(&res, "vary"), ["Accept-Encoding", "Origin"]);
    // Not duplicated when the handler already lists it (any case).
    let res = call(&app, get("/vary-origin", Some(APP))).await;
    assert_eq!(all(&res, "vary"), ["origin"]);
    // On refused and non-CORS requests too.
    for origin in [Some(EVIL), None] {
        let res = call(&app, get("/vary", origin)).await;
        assert_eq!(
            all(&res, "vary"),
            ["Accept-Encoding", "Origin"],
            "{origin:?}"
        );
    }
    // On preflights, granted or refused.
    let res = call(&app, preflight("/items", APP, "PUT", None)).await;
    assert_eq!(vary_origin_count(&res), 1);

    // Turned off: never touched.
    let app = api(listed().vary_header(false), &Hits::default()).await;
    let res = call(&app, get("/vary", Some(APP))).await;
    assert_eq!(all(&res, "vary"), ["Accept-Encoding"]);
    let res = call(&app, preflight("/items", APP, "PUT", None)).await;
    assert_eq!(vary_origin_count(&res), 0);
}

#[actix_rt::test]
async fn a_preflight_without_origin_gets_the_answer_always_send_has() {
    // What `curl -X OPTIONS -H 'Access-Control-Request-Method: PUT'` shows, as in flask-cors:
    // the preflight fields with the origin-independent answer.
    let curl = |method: &str| {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/items")
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method.to_owned()))
            .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-token"))
    };
    let hits = Hits::default();
    let app = api(
        Cors::default().max_age(600).allow_private_network(true),
        &hits,
    )
    .await;
    let res = call(
        &app,
        curl("PUT").insert_header(("access-control-request-private-network", "true")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some("*"));
    assert!(one(&res, "access-control-allow-methods").is_some());
    assert_eq!(
        one(&res, "access-control-allow-headers").as_deref(),
        Some("x-token")
    );
    assert_eq!(one(&res, "access-control-max-age").as_deref(), Some("600"));
    assert_eq!(
        one(&res, "access-control-allow-private-network").as_deref(),
        Some("true")
    );
    // One listed origin: that origin; a method not allowed: refused like any preflight.
    let app = api(listed().methods(["PUT"]), &hits.clone()).await;
    let res = call(&app, curl("PUT")).await;
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let res = call(&app, curl("DELETE")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_cors_fields(
        &res,
        &[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "PUT"),
            ("vary", "Origin"),
        ],
        "a method not allowed, without Origin",
    );
    assert!(
        !preflight_passes(&res, APP, "DELETE", Some("x-token"), false),
        "the origin's browser would refuse it"
    );
    // Nothing to answer without an Origin: a plain OPTIONS, answered automatically.
    let app = api(
        Cors::default().origins([APP, "https://other.example"]),
        &hits.clone(),
    )
    .await;
    let res = call(&app, curl("PUT")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(one(&res, "allow").is_some());
    assert!(!has_cors_headers(&res));
    assert_eq!(hits.get(), 0, "no handler ran");
}

#[actix_rt::test]
async fn a_handler_that_answers_cors_itself_wins() {
    // As in flask-cors and Spring: the handler's explicit Access-Control-Allow-Origin is kept,
    // with no CORS field of the policy's added beside it, and the debug log says so where the
    // policy would have granted. Vary still lists Origin once: the handler's answer may depend
    // on it too.
    let app = api(listed().supports_credentials(true), &Hits::default()).await;
    let lines = logged(async {
        for origin in [Some(APP), Some(EVIL), None] {
            let res = call(&app, get("/acao", origin)).await;
            assert_eq!(acao(&res).as_deref(), Some("https://handler.example"));
            assert_eq!(one(&res, "access-control-allow-credentials"), None);
            assert_eq!(vary_origin_count(&res), 1);
        }
    })
    .await;
    let kept = lines
        .iter()
        .filter(|(level, line)| {
            *level == log::Level::Debug && line.contains("already has Access-Control-Allow-Origin")
        })
        .count();
    assert_eq!(kept, 2, "{lines:?}");
}

#[actix_rt::test]
async fn automatic_options_answers_plain_options_nobody_answers() {
    let hits = Hits::default();
    let app = api(listed().methods(["GET", "PUT"]), &hits).await;
    let plain = || TestRequest::default().method(Method::OPTIONS).uri("/items");
    let res = call(&app, plain().insert_header((header::ORIGIN, APP))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(one(&res, "allow").as_deref(), Some("GET, PUT"));
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let res = call(&app, plain()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = call(
        &app,
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/nowhere"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A route's own OPTIONS handler still answers.
    let res = call(
        &app,
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/options-handler"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(actix_web::test::read_body(res).await, "own options");
    assert_eq!(hits.get(), 1);

    let app = api(listed().automatic_options(false), &Hits::default()).await;
    let res = call(&app, plain().insert_header((header::ORIGIN, APP))).await;
    // `App::route` puts the GET guard on the resource, so actix answers 404 here.
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        acao(&res).as_deref(),
        Some(APP),
        "the 404 is still readable"
    );
}

#[actix_rt::test]
async fn automatic_options_off_hands_preflights_to_the_handler() {
    // flask-cors's @cross_origin(automatic_options=False), rs/cors's "options passthrough":
    // the handler answers the preflight, and the middleware adds the preflight's fields.
    let hits = Hits::default();
    let app = api(
        listed()
            .automatic_options(false)
            .methods(["GET", "PUT"])
            .max_age(600),
        &hits,
    )
    .await;
    let res = call(
        &app,
        preflight("/options-handler", APP, "PUT", Some("x-token")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    assert_eq!(
        one(&res, "access-control-allow-methods").as_deref(),
        Some("GET, PUT")
    );
    assert_eq!(
        one(&res, "access-control-allow-headers").as_deref(),
        Some("x-token")
    );
    assert_eq!(one(&res, "access-control-max-age").as_deref(), Some("600"));
    assert_eq!(vary_origin_count(&res), 1);
    assert_eq!(actix_web::test::read_body(res).await, "own options");
    assert_eq!(hits.get(), 1, "the handler answered the preflight");

    // Refused: the handler still answers (status untouched), with the fields the middleware
    // would have answered the refusal with, which no browser passes.
    let cases: [(TestRequest, Fields<'_>); 2] = [
        (
            preflight("/options-handler", EVIL, "PUT", None),
            ORIGIN_REFUSED,
        ),
        (
            preflight("/options-handler", APP, "DELETE", None),
            &[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET, PUT"),
                ("vary", "Origin"),
            ],
        ),
    ];
    for (req, want) in cases {
        let res = call(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_cors_fields(&res, want, "handed to the handler");
        assert!(!browser_passes(&res, false) && !browser_passes(&res, true));
        assert_eq!(actix_web::test::read_body(res).await, "own options");
    }
    assert_eq!(hits.get(), 3);

    // A route without an OPTIONS handler fails the preflight, as routing answers it.
    let res = call(&app, preflight("/items", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(hits.get(), 3);
}

#[actix_rt::test]
async fn star_only_when_an_origin_came_varies_on_origin() {
    // send_wildcard without always_send: `*` is sent only when an Origin came, so whether it
    // is sent depends on the Origin and caches must know.
    let app = api(
        Cors::default().send_wildcard(true).always_send(false),
        &Hits::default(),
    )
    .await;
    let res = call(&app, get("/items", Some(APP))).await;
    assert_eq!(acao(&res).as_deref(), Some("*"));
    assert_eq!(vary_origin_count(&res), 1);
    let res = call(&app, get("/items", None)).await;
    assert_eq!(acao(&res), None);
    assert_eq!(vary_origin_count(&res), 1);
    // With always_send, `*` goes to everyone and nothing varies.
    let app = api(Cors::default().send_wildcard(true), &Hits::default()).await;
    for origin in [Some(APP), None] {
        let res = call(&app, get("/items", origin)).await;
        assert_eq!(acao(&res).as_deref(), Some("*"));
        assert_eq!(vary_origin_count(&res), 0);
    }
}

#[actix_rt::test]
async fn regexes_in_origins_match_whole_labels_only() {
    // A label-crossing regex is refused at start-up; its fix, given in the error, grants the
    // domain and its subdomains and nothing that merely ends with it.
    let err = Cors::default()
        .origins([r"^https://.*example\.com$"])
        .try_build()
        .unwrap_err();
    let fixed = r"^https://([a-z0-9-]+\.)*example\.com$";
    assert!(
        err.problems()[0].fix().contains(&format!("{fixed:?}")),
        "{err}"
    );
    let app = api(Cors::default().origins([fixed]), &Hits::default()).await;
    for (origin, granted) in [
        ("https://example.com", true),
        ("https://a.example.com", true),
        ("https://a.b.example.com", true),
        ("https://evilexample.com", false),
        ("https://example.com.evil.io", false),
        ("http://a.example.com", false),
    ] {
        let res = call(&app, get("/items", Some(origin))).await;
        let want = granted.then_some(origin);
        assert_eq!(acao(&res).as_deref(), want, "{origin}");
        assert_eq!(vary_origin_count(&res), 1);
    }
}

#[actix_rt::test]
async fn private_network_access_is_opt_in() {
    let pna =
        |req: TestRequest| req.insert_header(("access-control-request-private-network", "true"));
    let app = api(listed(), &Hits::default()).await;
    let res = call(&app, pna(preflight("/items", APP, "GET", None))).await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", APP),
            (
                "access-control-allow-methods",
                "GET, HEAD, POST, OPTIONS, PUT, PATCH, DELETE",
            ),
            ("vary", "Origin"),
        ],
        "private network access not allowed",
    );

    let app = api(listed().allow_private_network(true), &Hits::default()).await;
    let res = call(&app, pna(preflight("/items", APP, "GET", None))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        one(&res, "access-control-allow-private-network").as_deref(),
        Some("true")
    );
    // Not sent unless asked for, nor to other origins.
    let res = call(&app, preflight("/items", APP, "GET", None)).await;
    assert_eq!(one(&res, "access-control-allow-private-network"), None);
    let res = call(&app, pna(preflight("/items", EVIL, "GET", None))).await;
    assert_refused_preflight(
        &res,
        ORIGIN_REFUSED,
        "private network from a refused origin",
    );
}

#[actix_rt::test]
async fn patterns_regexes_and_predicate() {
    let cors = Cors::default()
        .origins(["https://*.example.com", "http://localhost:*"])
        .origin_regexes([r"https://pr-[0-9]+\.preview\.example\.org"])
        .allow_origin_fn(|origin, head| {
            origin == "https://partner.example.net" && head.uri.path() != "/teapot"
        });
    let app = api(cors, &Hits::default()).await;
    let granted = [
        "https://a.example.com",
        "https://a.b.example.com",
        "http://localhost",
        "http://localhost:5173",
        "https://pr-42.preview.example.org",
        "https://partner.example.net",
    ];
    for origin in granted {
        let res = call(&app, get("/items", Some(origin))).await;
        assert_eq!(acao(&res).as_deref(), Some(origin));
        let res = call(&app, preflight("/items", origin, "PUT", None)).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
    }
    let refused = [
        "https://example.com",
        "http://a.example.com",
        "https://a.example.com.evil.io",
        "https://aexample.com",
        "http://localhost.evil.io",
        "https://pr-42.preview.example.org.evil.io",
        "https://pr-x.preview.example.org",
        "https://prx42.preview.example.org",
        "https://partner.example.net.evil.io",
        "null",
    ];
    for origin in refused {
        let res = call(&app, get("/items", Some(origin))).await;
        assert_eq!(acao(&res), None, "{origin}");
        let res = call(&app, preflight("/items", origin, "PUT", None)).await;
        assert_refused_preflight(&res, ORIGIN_REFUSED, origin);
    }
    // The predicate sees the request head.
    let res = call(&app, get("/teapot", Some("https://partner.example.net"))).await;
    assert_eq!(acao(&res), None);
}

#[actix_rt::test]
async fn regex_or_predicate_with_credentials_never_grants_plain_http() {
    let cors = Cors::default()
        .origin_regexes([r"https?://[a-z]+\.example\.com"])
        .allow_origin_fn(|o, _| o.starts_with("http://"))
        .supports_credentials(true);
    let app = api(cors, &Hits::default()).await;
    let res = call(&app, get("/items", Some("https://app.example.com"))).await;
    assert_eq!(acao(&res).as_deref(), Some("https://app.example.com"));
    for origin in ["http://app.example.com", "http://anything.example"] {
        let res = call(&app, get("/items", Some(origin))).await;
        assert_eq!(acao(&res), None, "{origin}");
    }
    // Loopback is a secure context, so it may be granted.
    let res = call(&app, get("/items", Some("http://127.0.0.1:3000"))).await;
    assert_eq!(acao(&res).as_deref(), Some("http://127.0.0.1:3000"));

    let cors = Cors::default()
        .allow_origin_fn(|o, _| o.starts_with("http://"))
        .supports_credentials(true)
        .dangerously_allow_insecure_origins(true);
    let app = api(cors, &Hits::default()).await;
    let res = call(&app, get("/items", Some("http://anything.example"))).await;
    assert_eq!(acao(&res).as_deref(), Some("http://anything.example"));
}

#[actix_rt::test]
async fn any_method_echoes_the_method_asked_for() {
    let app = api(listed().methods(["*"]), &Hits::default()).await;
    let res = call(&app, preflight("/items", APP, "PROPFIND", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        one(&res, "access-control-allow-methods").as_deref(),
        Some("PROPFIND")
    );
}

#[actix_rt::test]
async fn empty_origin_list_grants_nothing() {
    let hits = Hits::default();
    let app = api(Cors::default().origins(Vec::<String>::new()), &hits).await;
    let res = call(&app, get("/items", Some(APP))).await;
    assert!(!has_cors_headers(&res));
    let res = call(&app, preflight("/items", APP, "GET", None)).await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "no origin is listed");
    assert_eq!(
        hits.get(),
        1,
        "the actual request ran, the preflight did not"
    );
}

#[actix_rt::test]
async fn resources_pick_the_first_matching_entry_and_leave_other_paths_alone() {
    let cors = Cors::default().max_age(60).resources([
        ResourceOptions {
            path: "/items".into(),
            origins: Some(vec![APP.into()]),
            ..ResourceOptions::default()
        },
        ResourceOptions {
            path: "/*".into(),
            origins: Some(vec![EVIL.into()]),
            max_age: Some(5),
            ..ResourceOptions::default()
        },
    ]);
    let app = api(cors, &Hits::default()).await;
    let res = call(&app, preflight("/items", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        one(&res, "access-control-max-age").as_deref(),
        Some("60"),
        "inherited"
    );
    let res = call(&app, preflight("/items", EVIL, "PUT", None)).await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "the first entry refuses EVIL");
    let res = call(&app, preflight("/vary", EVIL, "GET", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-max-age").as_deref(), Some("5"));

    let only_api = Cors::from_options(CorsOptions {
        resources: vec![ResourceOptions {
            path: "/auth/*".into(),
            ..ResourceOptions::default()
        }],
        ..CorsOptions::default()
    })
    .unwrap();
    let hits = Hits::default();
    let app = api(only_api, &hits).await;
    let res = call(&app, get("/items", Some(APP))).await;
    assert!(!has_cors_headers(&res), "no entry matches /items");
    assert_eq!(vary_origin_count(&res), 0);
    let res = call(
        &app,
        get("/auth/me", Some(APP)).insert_header((header::AUTHORIZATION, "t")),
    )
    .await;
    assert_eq!(acao(&res).as_deref(), Some(APP));
}

#[actix_rt::test]
async fn one_validated_cors_serves_many_apps() {
    let cors = listed().try_build().unwrap();
    for _ in 0..3 {
        let app = api(cors.clone(), &Hits::default()).await;
        let res = call(&app, get("/items", Some(APP))).await;
        assert_eq!(acao(&res).as_deref(), Some(APP));
    }
    fn assert_bounds<T: Clone + Send + Sync + 'static>(_: &T) {}
    assert_bounds(&cors);
}

#[actix_rt::test]
async fn works_on_scopes_and_resources_too() {
    use actix_cross_origin::cross_origin;
    use actix_web::{web, App};
    let app = actix_web::test::init_service(
        App::new()
            .service(
                web::scope("/partner")
                    .wrap(cross_origin().origins(["https://partner.example"]))
                    .route("/feed", web::get().to(|| async { "feed" })),
            )
            .service(
                web::resource("/thing")
                    .wrap(cross_origin().origins([APP]))
                    .route(web::get().to(|| async { "thing" })),
            ),
    )
    .await;
    let res = call(
        &app,
        preflight("/partner/feed", "https://partner.example", "PUT", None),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = call(&app, get("/partner/feed", Some("https://partner.example"))).await;
    assert_eq!(acao(&res).as_deref(), Some("https://partner.example"));
    let res = call(&app, preflight("/thing", APP, "PUT", None)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = call(&app, get("/thing", Some(APP))).await;
    assert_eq!(acao(&res).as_deref(), Some(APP));
}

#[actix_web::get(
    "/macro",
    wrap = "actix_cross_origin::cross_origin().origins([\"https://app.example.com\"])"
)]
async fn macro_route() -> &'static str {
    "macro"
}

#[actix_rt::test]
async fn goes_into_the_route_macros_wrap() {
    let app = actix_web::test::init_service(actix_web::App::new().service(macro_route)).await;
    let res = call(&app, get("/macro", Some(APP))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let res = call(&app, get("/macro", Some(EVIL))).await;
    assert_eq!(acao(&res), None);
}

/// The `CORS-Refusal` field of explain mode, and the `Access-Control-Allow-Origin` tokens it
/// puts on a refused origin, for each kind of refusal.
#[actix_rt::test]
async fn explain_names_each_refusal_in_the_answer() {
    let hits = Hits::default();
    let app = api(refusing().explain(true), &hits).await;
    let pna = ("access-control-request-private-network", "true");
    let with_lists = |refusal: &'static str| {
        let mut fields = GRANT_AND_LISTS.to_vec();
        fields.push(("cors-refusal", refusal));
        fields
    };
    let cases: Vec<Case<'_>> = vec![
        (
            "origin not listed",
            preflight("/items", EVIL, "PUT", None),
            vec![
                ("access-control-allow-origin", "origin-not-allowed"),
                (
                    "cors-refusal",
                    "origins: origin \"https://evil.example\" is not allowed",
                ),
                ("vary", "Origin"),
            ],
        ),
        (
            "null",
            preflight("/items", "null", "PUT", None),
            vec![
                ("access-control-allow-origin", "origin-null-refused"),
                (
                    "cors-refusal",
                    "origins: origin \"null\" is never allowed by a list, pattern, regex or predicate",
                ),
                ("vary", "Origin"),
            ],
        ),
        (
            "two Origin fields",
            preflight("/items", APP, "PUT", None).append_header((header::ORIGIN, APP)),
            vec![
                ("access-control-allow-origin", "origin-repeated"),
                (
                    "cors-refusal",
                    "origins: the request has more than one Origin header",
                ),
                ("vary", "Origin"),
            ],
        ),
        (
            "method not listed",
            preflight("/items", APP, "DELETE", None),
            with_lists("methods: method \"DELETE\" is not allowed (allowed: GET, PUT)"),
        ),
        (
            "header not listed",
            preflight("/items", APP, "PUT", Some("content-type,x-other")),
            with_lists(
                "allow_headers: header \"x-other\" is not allowed (allowed: content-type, x-token)",
            ),
        ),
        (
            "private network",
            preflight("/items", APP, "PUT", None).insert_header(pna),
            vec![
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET, PUT"),
                (
                    "cors-refusal",
                    "allow_private_network: private network access was requested but allow_private_network is off",
                ),
                ("vary", "Origin"),
            ],
        ),
    ];
    for (case, req, want) in cases {
        let res = call(&app, req).await;
        assert_refused_preflight(&res, &want, case);
    }
    assert_eq!(hits.get(), 0, "no handler ran");
}

#[actix_rt::test]
async fn explain_leaves_granted_answers_unchanged() {
    let requests = || {
        [
            preflight("/items", APP, "PUT", Some("x-token")),
            get("/items", Some(APP)),
            get("/items", None),
            get("/fail", Some(APP)),
        ]
    };
    let plain = api(refusing().max_age(60), &Hits::default()).await;
    let explaining = api(refusing().max_age(60).explain(true), &Hits::default()).await;
    for (a, b) in requests().into_iter().zip(requests()) {
        let (a, b) = (call(&plain, a).await, call(&explaining, b).await);
        assert_eq!(a.status(), b.status(), "{:?}", a.request());
        assert_eq!(cors_fields(&a), cors_fields(&b), "{:?}", a.request());
        assert_eq!(one(&b, "cors-refusal"), None);
        if a.request().headers().contains_key(header::ORIGIN) {
            assert!(browser_passes(&b, false), "{:?}", b.request());
        }
    }
}

#[actix_rt::test]
async fn explain_on_a_refused_actual_request_names_it_and_the_handler_runs() {
    let hits = Hits::default();
    let app = api(refusing().supports_credentials(true).explain(true), &hits).await;
    let res = call(&app, get("/items", Some(EVIL))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_cors_fields(
        &res,
        &[
            ("access-control-allow-origin", "origin-not-allowed"),
            (
                "cors-refusal",
                "origins: origin \"https://evil.example\" is not allowed",
            ),
            ("vary", "Origin"),
        ],
        "refused origin",
    );
    assert!(!browser_passes(&res, false) && !browser_passes(&res, true));
    assert_eq!(actix_web::test::read_body(res).await, "items");
    assert_eq!(hits.get(), 1, "CORS is not authorization: the handler ran");

    // An error answer says it too.
    let res = call(&app, get("/fail", Some("null"))).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_cors_fields(
        &res,
        &[
            ("access-control-allow-origin", "origin-null-refused"),
            (
                "cors-refusal",
                "origins: origin \"null\" is never allowed by a list, pattern, regex or predicate",
            ),
            ("vary", "Origin"),
        ],
        "refused origin, error",
    );
    assert_eq!(hits.get(), 2);

    // Without explain mode, the same requests get nothing that names the refusal.
    let quiet = api(refusing().supports_credentials(true), &Hits::default()).await;
    let res = call(&quiet, get("/items", Some(EVIL))).await;
    assert_cors_fields(&res, ORIGIN_REFUSED, "refused origin, explain off");
}

#[actix_rt::test]
async fn explain_set_in_one_resources_entry_explains_that_entry_only() {
    let cors = Cors::default().resources([
        ResourceOptions {
            path: "/items".into(),
            origins: Some(vec![APP.into()]),
            methods: Some(vec!["GET".into(), "PUT".into()]),
            explain: Some(true),
            ..ResourceOptions::default()
        },
        ResourceOptions {
            path: "/*".into(),
            origins: Some(vec![APP.into()]),
            ..ResourceOptions::default()
        },
    ]);
    let hits = Hits::default();
    let app = api(cors, &hits).await;
    let res = call(&app, preflight("/items", EVIL, "PUT", None)).await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", "origin-not-allowed"),
            (
                "cors-refusal",
                "resources[0].origins: origin \"https://evil.example\" is not allowed",
            ),
            ("vary", "Origin"),
        ],
        "the entry that explains",
    );
    let res = call(&app, preflight("/items", APP, "DELETE", None)).await;
    assert_refused_preflight(
        &res,
        &[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "GET, PUT"),
            (
                "cors-refusal",
                "resources[0].methods: method \"DELETE\" is not allowed (allowed: GET, PUT)",
            ),
            ("vary", "Origin"),
        ],
        "the entry that explains, a method",
    );
    let res = call(&app, preflight("/vary", EVIL, "GET", None)).await;
    assert_refused_preflight(&res, ORIGIN_REFUSED, "the entry that does not");
    let res = call(&app, get("/vary", Some(EVIL))).await;
    assert_eq!(one(&res, "cors-refusal"), None);
    assert_eq!(acao(&res), None);
    assert_eq!(hits.get(), 0, "no handler counted ran");

    // CorsOptions::explain, and CORS_EXPLAIN read by CorsOptions::from_vars, set it for all.
    let from_vars = CorsOptions::from_vars([("CORS_ORIGINS", APP), ("CORS_EXPLAIN", "true")]);
    for options in [
        from_vars.unwrap(),
        CorsOptions {
            origins: Some(vec![APP.into()]),
            explain: true,
            ..CorsOptions::default()
        },
    ] {
        let app = api(Cors::from_options(options).unwrap(), &Hits::default()).await;
        let res = call(&app, preflight("/vary", EVIL, "GET", None)).await;
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
            "explain for the whole policy",
        );
    }
}

#[actix_rt::test]
async fn automatic_options_off_hands_a_refused_preflight_to_the_handler_explained() {
    let hits = Hits::default();
    let app = api(
        refusing()
            .automatic_options(false)
            .max_age(600)
            .explain(true),
        &hits,
    )
    .await;
    let cases: [(TestRequest, Fields<'_>); 3] = [
        (
            preflight("/options-handler", EVIL, "PUT", None),
            &[
                ("access-control-allow-origin", "origin-not-allowed"),
                (
                    "cors-refusal",
                    "origins: origin \"https://evil.example\" is not allowed",
                ),
                ("vary", "Origin"),
            ],
        ),
        (
            preflight("/options-handler", APP, "DELETE", None),
            &[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET, PUT"),
                ("access-control-allow-headers", "content-type, x-token"),
                (
                    "cors-refusal",
                    "methods: method \"DELETE\" is not allowed (allowed: GET, PUT)",
                ),
                ("vary", "Origin"),
            ],
        ),
        (
            preflight("/options-handler", APP, "PUT", Some("x-other")),
            &[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET, PUT"),
                ("access-control-allow-headers", "content-type, x-token"),
                (
                    "cors-refusal",
                    "allow_headers: header \"x-other\" is not allowed (allowed: content-type, x-token)",
                ),
                ("vary", "Origin"),
            ],
        ),
    ];
    for (i, (req, want)) in cases.into_iter().enumerate() {
        let res = call(&app, req).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "case {i}: the handler's status"
        );
        assert_cors_fields(&res, want, &format!("case {i}"));
        assert!(
            !browser_passes(&res, false) && !browser_passes(&res, true),
            "case {i}"
        );
        assert_eq!(actix_web::test::read_body(res).await, "own options");
    }
    assert_eq!(hits.get(), 3, "the handler answered each preflight");
    // Granted, the handler's answer gets the grant.
    let res = call(
        &app,
        preflight("/options-handler", APP, "PUT", Some("x-token")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(browser_passes(&res, false));
    assert_eq!(one(&res, "access-control-max-age").as_deref(), Some("600"));
    assert_eq!(one(&res, "cors-refusal"), None);
}

#[actix_rt::test]
async fn explain_names_each_kind_of_refused_origin_with_its_token() {
    let cors = Cors::default()
        .origins(["https://*.example.com"])
        .origin_regexes([r"https?://[a-z]+\.example\.net"])
        .supports_credentials(true)
        .explain(true);
    let hits = Hits::default();
    let app = api(cors, &hits).await;
    let cases = [
        (
            "https://a.example.com/",
            "origin-malformed",
            "origins: origin \"https://a.example.com/\" is malformed: it has a path, a trailing slash, a query or a fragment",
        ),
        (
            "http://abc.example.net",
            "origin-insecure-refused",
            "origins: origin \"http://abc.example.net\" matched a regex or predicate but is not https while credentials are on",
        ),
        (
            "null",
            "origin-null-refused",
            "origins: origin \"null\" is never allowed by a list, pattern, regex or predicate",
        ),
        (
            "https://example.com",
            "origin-not-allowed",
            "origins: origin \"https://example.com\" is not allowed",
        ),
    ];
    for (origin, token, refusal) in cases {
        let want = [
            ("access-control-allow-origin", token),
            ("cors-refusal", refusal),
            ("vary", "Origin"),
        ];
        let res = call(&app, preflight("/items", origin, "PUT", None)).await;
        assert_refused_preflight(&res, &want, origin);
        let res = call(&app, get("/items", Some(origin))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_cors_fields(&res, &want, origin);
        assert!(!browser_passes(&res, false) && !browser_passes(&res, true));
    }
    assert_eq!(
        hits.get(),
        cases.len(),
        "only the actual requests ran the handler"
    );
}
