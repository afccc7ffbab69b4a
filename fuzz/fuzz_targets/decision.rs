//! Arbitrary method, path, Origin and Access-Control-Request-* bytes through a real `App`
//! wrapped in two policies: no panic, and an Access-Control-Allow-Origin that is absent, `*`
//! for the policy without credentials, or byte-equal to a granted Origin.
#![no_main]

use actix_cross_origin::{cross_origin, Cors};
use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, Error};
use futures_util::FutureExt;
use libfuzzer_sys::fuzz_target;

type Response = ServiceResponse<EitherBody<BoxBody>>;

thread_local! {
    // Leaked: dropping an actix system in a thread-local destructor at exit would panic.
    static APP: &'static dyn Fn(TestRequest) -> Result<Response, Error> = {
        let sys = actix_web::rt::System::new();
        let app = sys.block_on(test::init_service(
            App::new()
                .service(
                    web::scope("/public")
                        .wrap(cross_origin().send_wildcard(true))
                        .route("/x", web::get().to(|| async { "public" })),
                )
                .route("/api/x", web::get().to(|| async { "api" }))
                .wrap(oracle::app_policy(Cors::default())),
        ));
        Box::leak(Box::new(move |req: TestRequest| {
            let _keep = &sys;
            app.call(req.to_request()).now_or_never().expect("answers at once")
        }))
    };
}

#[path = "../../tests/support/oracle.rs"]
mod oracle;
use oracle::{app_policy_grants, ANSWER_WITHOUT_ORIGIN};

fuzz_target!(|data: &[u8]| {
    // Fields separated by 0xff 0x00: method, path, then header values.
    let mut fields = data.split(|&b| b == 0).map(|f| f.strip_suffix(&[0xff]).unwrap_or(f));
    let method = fields.next().unwrap_or(b"GET");
    let path = fields.next().unwrap_or(b"/api/x");
    let Ok(method) = Method::from_bytes(if method.is_empty() { b"GET" } else { method }) else { return };
    let Ok(path) = std::str::from_utf8(path) else { return };
    if !path.starts_with('/') || path.parse::<actix_web::http::Uri>().is_err() {
        return;
    }
    let mut req = TestRequest::default().method(method).uri(path);
    let mut origins = Vec::new();
    for (i, value) in fields.take(6).enumerate() {
        let Ok(value) = HeaderValue::from_bytes(value) else { continue };
        let name = ["origin", "access-control-request-method", "access-control-request-headers", "origin",
            "access-control-request-headers", "access-control-request-private-network"][i];
        if name == "origin" {
            origins.push(value.clone());
        }
        req = req.append_header((name, value));
    }
    let Ok(res) = APP.with(|app| app(req)) else { return };
    let acao: Vec<_> = res.headers().get_all("access-control-allow-origin").collect();
    assert!(acao.len() <= 1, "two Access-Control-Allow-Origin fields");
    let Some(acao) = acao.first() else { return };
    if acao.as_bytes() == b"*" {
        let path = res.request().path();
        assert!(path == "/public" || path.starts_with("/public/"), "* outside the wildcard scope");
        assert!(!res.headers().contains_key("access-control-allow-credentials"));
        return;
    }
    if origins.is_empty() || (origins.len() == 1 && origins[0].is_empty()) {
        // No Origin: the policy's one static answer, never an empty or echoed value.
        assert_eq!(acao.as_bytes(), ANSWER_WITHOUT_ORIGIN, "answer without Origin");
        return;
    }
    assert_eq!(origins.len(), 1, "granted with {} Origin fields", origins.len());
    assert_eq!(*acao, &origins[0], "Access-Control-Allow-Origin is not the request's Origin");
    assert!(app_policy_grants(acao.as_bytes()), "granted an origin the policy does not allow: {acao:?}");
});
