//! Property tests through a real `App`: for arbitrary header bytes the middleware never
//! panics; Access-Control-Allow-Origin is absent, `*` (only where no credentials), or
//! byte-equal to the request's Origin; and an origin is granted only if the policy lists or
//! matches it (checked against an oracle written without the library's code).

#[path = "support/oracle.rs"]
mod oracle;

use actix_cross_origin::{cross_origin, Cors};
use actix_web::http::header::HeaderValue;
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Header bytes: anything an HTTP/1 parser lets through (no CR, LF or NUL), plus shapes close
/// to real origins so that grants are exercised too.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    let near_origin = (
        prop_oneof![4 => Just("https://"), 2 => Just("http://"), 1 => Just("HTTPS://"), 1 => Just("https:/"), 1 => Just("")],
        prop_oneof![
            4 => proptest::collection::vec("[a-z]{1,5}", 1..3).prop_map(|l| l.join(".")),
            1 => "[a-z0-9_.-]{0,6}",
        ],
        prop_oneof![
            3 => Just(".example.org"),
            2 => Just(".example.net"),
            1 => Just(".example.org.evil.io"),
            1 => Just("example.org"),
            1 => Just(""),
        ],
        prop_oneof![6 => Just(""), 1 => Just(":443"), 1 => Just(":8080"), 1 => Just(":0"), 1 => Just(":65536"), 1 => Just("/"), 1 => Just(".")],
    )
        .prop_map(|(s, labels, suffix, tail)| format!("{s}{labels}{suffix}{tail}").into_bytes());
    let exact = prop_oneof![
        Just(b"https://app.example.com".to_vec()),
        Just(b"http://localhost:5173".to_vec()),
        Just(b"http://localhost".to_vec()),
        Just(b"http://localhost:80".to_vec()),
        Just(b"null".to_vec()),
    ];
    let raw = proptest::collection::vec(
        any::<u8>().prop_filter("no CR/LF/NUL", |b| !matches!(b, b'\r' | b'\n' | 0)),
        0..48,
    );
    prop_oneof![3 => near_origin, 1 => exact, 2 => raw]
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::GET),
        Just(Method::OPTIONS),
        Just(Method::PUT),
        Just(Method::POST)
    ]
}

static GRANTED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn allow_origin_is_absent_star_or_the_requests_origin() {
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    });
    let input = (
        method(),
        any::<bool>(),
        header_bytes(),
        proptest::option::weighted(0.1, header_bytes()),
        proptest::option::of(header_bytes()),
        proptest::option::of(header_bytes()),
    );
    let result = runner.run(
        &input,
        |(method, public, origin, second_origin, acrm, acrh)| {
            let Ok(origin_value) = HeaderValue::from_bytes(&origin) else {
                return Ok(());
            };
            let path = if public { "/public/x" } else { "/api/x" };
            let mut req = TestRequest::default()
                .method(method)
                .uri(path)
                .insert_header(("origin", origin_value.clone()));
            let mut origins = 1;
            if let Some(Ok(v)) = second_origin.map(|o| HeaderValue::from_bytes(&o)) {
                req = req.append_header(("origin", v));
                origins += 1;
            }
            if let Some(Ok(v)) = acrm.map(|m| HeaderValue::from_bytes(&m)) {
                req = req.insert_header(("access-control-request-method", v));
            }
            if let Some(Ok(v)) = acrh.map(|h| HeaderValue::from_bytes(&h)) {
                req = req.insert_header(("access-control-request-headers", v));
            }
            let (status, acao, credentials) = actix_web::rt::System::new().block_on(async move {
                let app = test::init_service(
                    App::new()
                        .service(
                            web::scope("/public")
                                .wrap(cross_origin().send_wildcard(true))
                                .route("/x", web::to(|| async { "public" })),
                        )
                        .route("/api/x", web::to(|| async { "api" }))
                        .wrap(oracle::app_policy(Cors::default())),
                )
                .await;
                let res = test::call_service(&app, req.to_request()).await;
                let acao: Vec<Vec<u8>> = res
                    .headers()
                    .get_all("access-control-allow-origin")
                    .map(|v| v.as_bytes().to_vec())
                    .collect();
                (
                    res.status().as_u16(),
                    acao,
                    res.headers()
                        .contains_key("access-control-allow-credentials"),
                )
            });
            prop_assert!(status < 500, "status {status}");
            prop_assert!(acao.len() <= 1, "{} ACAO fields", acao.len());
            if let Some(acao) = acao.first() {
                if acao == b"*" {
                    prop_assert!(public, "* outside the scope without credentials");
                    prop_assert!(!credentials);
                } else if origin.is_empty() && origins == 1 {
                    // An empty Origin is no Origin: the policy's static answer.
                    prop_assert_eq!(&acao[..], oracle::ANSWER_WITHOUT_ORIGIN);
                } else {
                    prop_assert_eq!(origins, 1, "granted with two Origin fields");
                    prop_assert_eq!(acao, &origin, "ACAO is not the request's Origin");
                    prop_assert!(!public, "the public scope only ever sends *");
                    prop_assert!(
                        oracle::app_policy_grants(acao),
                        "granted {:?}",
                        String::from_utf8_lossy(acao)
                    );
                    GRANTED.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generator reaches grants, so the checks on them ran.
    assert!(
        GRANTED.load(Ordering::Relaxed) >= 10,
        "only {} grants",
        GRANTED.load(Ordering::Relaxed)
    );
}

/// The grants the generator should reach, so the property above is not vacuous.
#[test]
fn the_oracle_agrees_on_known_origins() {
    for granted in [
        "https://app.example.com",
        "https://a.example.org",
        "http://localhost:5173",
        "https://abc.example.net",
    ] {
        assert!(oracle::app_policy_grants(granted.as_bytes()), "{granted}");
    }
    for refused in [
        "https://example.org",
        "https://a.example.org.evil.io",
        "http://app.example.com",
        "https://a1.example.net",
        "null",
    ] {
        assert!(!oracle::app_policy_grants(refused.as_bytes()), "{refused}");
    }
}
