//! Hostile header values, through the test harness and through a real HTTP/1.1 server on
//! 127.0.0.1 fed raw bytes: no panic, a bounded answer, and nothing granted that should not be.

#[path = "../examples/support/browser.rs"]
mod browser;
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use actix_cross_origin::Cors;
use actix_web::http::header::HeaderValue;
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use actix_web::{web, App, HttpServer};
use browser::ServerGuard;
use support::*;

const APP: &str = "https://app.example.com";

fn cors() -> Cors {
    Cors::default()
        .origins([APP, "https://*.example.org", "http://localhost:*"])
        .origin_regexes([r"https://[a-z]+\.example\.net"])
        .allow_headers(["content-type", "x-token"])
        .supports_credentials(true)
}

#[actix_rt::test]
async fn hostile_origins_are_never_granted() {
    let app = api(cors(), &Hits::default()).await;
    for (_, origin) in support::hostile_input::origins() {
        let show = String::from_utf8_lossy(&origin)
            .chars()
            .take(60)
            .collect::<String>();
        let value = HeaderValue::from_bytes(&origin).unwrap();
        let res = call(
            &app,
            TestRequest::get()
                .uri("/items")
                .insert_header(("origin", value.clone())),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{show}");
        assert!(!has_cors_headers(&res), "{show}");
        let req = TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/items")
            .insert_header(("origin", value))
            .insert_header(("access-control-request-method", "PUT"));
        let res = call(&app, req).await;
        assert_refused_preflight(&res, ORIGIN_REFUSED, &show);
    }
}

#[actix_rt::test]
async fn an_empty_origin_is_no_origin_and_is_never_echoed() {
    // `Origin:` with nothing after it is treated as no Origin (as flask-cors does): the answer
    // is the one a request without Origin gets (with always_send, the policy's one listed
    // origin), never an empty Access-Control-Allow-Origin.
    let app = api(cors(), &Hits::default()).await;
    let empty = HeaderValue::from_static("");
    let res = call(
        &app,
        TestRequest::get()
            .uri("/items")
            .insert_header(("origin", empty.clone())),
    )
    .await;
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let res = call(
        &app,
        preflight("/items", APP, "PUT", None).insert_header(("origin", empty.clone())),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(acao(&res).as_deref(), Some(APP));
    let quiet = api(cors().always_send(false), &Hits::default()).await;
    let res = call(
        &quiet,
        TestRequest::get()
            .uri("/items")
            .insert_header(("origin", empty)),
    )
    .await;
    assert!(!has_cors_headers(&res));
}

/// What `cors()` answers a preflight from `APP` refused for its method or a header: the
/// origin's grant and the policy's lists, never the refused method or header.
const GRANT_AND_LISTS: &[(&str, &str)] = &[
    ("access-control-allow-origin", APP),
    ("access-control-allow-credentials", "true"),
    (
        "access-control-allow-methods",
        "GET, HEAD, POST, OPTIONS, PUT, PATCH, DELETE",
    ),
    ("access-control-allow-headers", "content-type, x-token"),
    ("vary", "Origin"),
];

/// Whether `b` is an HTTP token (RFC 9110 §5.6.2), as a browser's method or header name is.
fn is_token(b: &[u8]) -> bool {
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(c))
}

#[actix_rt::test]
async fn hostile_request_method_and_headers_are_refused() {
    let hits = Hits::default();
    let app = api(cors(), &hits).await;
    // A well-formed method or list a browser could send keeps the origin's grant and gets the
    // lists; anything no browser sends gets no grant at all.
    for (name, m) in support::hostile_input::request_methods() {
        let req = preflight("/items", APP, "x", None).insert_header((
            "access-control-request-method",
            HeaderValue::from_bytes(m).unwrap(),
        ));
        let res = call(&app, req).await;
        let want = if is_token(m) {
            GRANT_AND_LISTS
        } else {
            ORIGIN_REFUSED
        };
        assert_refused_preflight(&res, want, name);
    }
    for (name, h) in support::hostile_input::request_headers() {
        let req = preflight("/items", APP, "PUT", None).insert_header((
            "access-control-request-headers",
            HeaderValue::from_bytes(&h).unwrap(),
        ));
        let res = call(&app, req).await;
        let names = h.split(|&c| c == b',').map(|e| e.trim_ascii());
        let well_formed = h.len() <= 4096 && names.filter(|e| !e.is_empty()).all(is_token);
        let want = if well_formed {
            GRANT_AND_LISTS
        } else {
            ORIGIN_REFUSED
        };
        assert_refused_preflight(&res, want, name);
    }
    assert_eq!(hits.get(), 0, "no handler ran");
    // Empty elements and many lines of allowed names are fine.
    let mut req = preflight("/items", APP, "PUT", Some(" , x-token ,,"));
    for _ in 0..20 {
        req = req.append_header(("access-control-request-headers", "content-type"));
    }
    let res = call(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(all(&res, "access-control-allow-headers").len(), 21);
}

/// A real server on an ephemeral loopback port, stopped when dropped.
fn start_server() -> ServerGuard {
    ServerGuard::start(|| {
        let cors = cors().try_build().map_err(std::io::Error::other)?;
        let server = HttpServer::new(move || {
            App::new()
                .wrap(cors.clone())
                .route("/items", web::get().to(|| async { "items" }))
                .route("/api/{tail:.*}", web::get().to(|| async { "api" }))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    })
}

/// Sends raw request bytes and returns the raw response head (status line and headers).
fn send(server: &ServerGuard, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the end of the head, the end of the stream, or the timeout.
    while !out.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    text.split("\r\n\r\n").next().unwrap_or("").to_owned()
}

fn status(head: &str) -> u16 {
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn header_count(head: &str, name: &str) -> usize {
    Raw(head).values(name).len()
}

/// A raw response head, as a browser reads it.
struct Raw<'a>(&'a str);

impl Answer for Raw<'_> {
    fn status(&self) -> u16 {
        status(self.0)
    }
    fn values(&self, name: &str) -> Vec<String> {
        self.0
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }
}

#[test]
fn raw_bytes_through_a_real_server() {
    let server = start_server();
    let req = |extra: &[u8], target: &str, method: &str| {
        let mut r =
            format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                .into_bytes();
        r.extend_from_slice(extra);
        r.extend_from_slice(b"\r\n");
        r
    };
    // Granted, for contrast.
    let head = send(
        &server,
        &req(b"Origin: https://app.example.com\r\n", "/items", "GET"),
    );
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(
        header_count(&head, "access-control-allow-origin"),
        1,
        "{head}"
    );

    let hostile: Vec<(Vec<u8>, &str, &str)> = vec![
        (
            b"Origin: https://app.example.com\xff\r\n".to_vec(),
            "/items",
            "GET",
        ),
        (
            b"Origin: https://\x80\x81.example.org\r\n".to_vec(),
            "/items",
            "GET",
        ),
        (
            b"Origin: https://app.example.com\r\nOrigin: https://app.example.com\r\n".to_vec(),
            "/items",
            "GET",
        ),
        (
            b"Origin: https://app.example.com\r\nOrigin: https://evil.io\r\n".to_vec(),
            "/items",
            "GET",
        ),
        (b"Origin: null\r\n".to_vec(), "/items", "GET"),
        (
            b"Origin: null\r\nAccess-Control-Request-Method: PUT\r\n".to_vec(),
            "/items",
            "OPTIONS",
        ),
        (
            b"Origin: https://evil.io\r\n".to_vec(),
            "/api/%2e%2e/items",
            "GET",
        ),
        (
            b"Origin: https://evil.io\r\n".to_vec(),
            "/api/x%0d%0aforged",
            "GET",
        ),
        (b"Origin: https://evil.io\r\n".to_vec(), "/API/+x", "GET"),
    ];
    for (extra, target, method) in hostile {
        let show = String::from_utf8_lossy(&extra).into_owned();
        let head = send(&server, &req(&extra, target, method));
        let code = status(&head);
        let want = if method == "OPTIONS" { 204 } else { 200 };
        assert!(code == want || code == 404, "{show} {target}: {head}");
        assert_eq!(
            header_count(&head, "access-control-allow-origin"),
            0,
            "{show} {target}: {head}"
        );
    }

    // A hostile method or header from the granted origin: bytes no browser sends, so refused
    // without any grant.
    let refused_after_origin: [(&[u8], Asked<'_>); 2] = [
        (
            b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: P\xffT\r\n",
            Asked {
                origin: APP,
                method: "P\u{fffd}T",
                ..Asked::default()
            },
        ),
        (
            b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-token, \xfe\r\n",
            Asked {
                origin: APP,
                method: "PUT",
                headers: "x-token, \u{fffd}",
                ..Asked::default()
            },
        ),
    ];
    for (extra, asked) in refused_after_origin {
        let show = String::from_utf8_lossy(extra).into_owned();
        let head = send(&server, &req(extra, "/items", "OPTIONS"));
        assert_eq!(status(&head), 204, "{show}: {head}");
        let raw = Raw(&head);
        for field in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-allow-methods",
            "access-control-allow-headers",
            "access-control-max-age",
        ] {
            assert_eq!(header_count(&head, field), 0, "{field}: {head}");
        }
        for credentials in [false, true] {
            let asked = Asked {
                credentials,
                ..asked
            };
            assert!(
                !support::fetch_check::preflight_passes(&raw, &asked),
                "{show}: {head}"
            );
        }
    }

    // A preflight whose Access-Control-Request-Headers is split over many lines.
    let mut extra =
        b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n".to_vec();
    for _ in 0..50 {
        extra.extend_from_slice(b"Access-Control-Request-Headers: x-token,,content-type\r\n");
    }
    let head = send(&server, &req(&extra, "/items", "OPTIONS"));
    assert_eq!(status(&head), 204, "{head}");
    assert_eq!(header_count(&head, "access-control-allow-origin"), 1);

    // The server is still healthy after all of it.
    let head = send(
        &server,
        &req(b"Origin: https://app.example.com\r\n", "/items", "GET"),
    );
    assert_eq!(status(&head), 200, "{head}");
}
