//! Hostile input, one row each: the documented decision (not CORS, refused, refused with the
//! origin's grant kept, or allowed), no panic, no 5xx, for every refusal exactly one debug
//! line with the request's bytes escaped (nothing but printable ASCII in it), and for every
//! refused preflight its exact answer.

mod support;

use actix_cross_origin::Cors;
use actix_web::http::header::HeaderValue;
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use log::Level;
use support::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    NotCors,
    /// Refused for its origin: nothing that grants.
    Refused,
    /// A preflight refused for its method or a header: the origin's grant and the policy's
    /// lists, which a browser fails on the method or the header.
    RefusedKeepingOrigin,
    Allowed,
}
use Want::*;

fn policy() -> Cors {
    Cors::default()
        .origins([
            "https://app.example.com",
            "https://*.example.org",
            "http://[::1]:3000",
            "http://localhost:*",
        ])
        .allow_headers(["content-type", "x-token"])
        .supports_credentials(true)
}

fn with_origin(method: Method, path: &str, origin: &[u8]) -> TestRequest {
    TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("origin", HeaderValue::from_bytes(origin).unwrap()))
}

fn pre(origin: &[u8], acrm: &[u8], acrh: Option<&[u8]>) -> TestRequest {
    let mut req = with_origin(Method::OPTIONS, "/items", origin).insert_header((
        "access-control-request-method",
        HeaderValue::from_bytes(acrm).unwrap(),
    ));
    if let Some(h) = acrh {
        req = req.insert_header((
            "access-control-request-headers",
            HeaderValue::from_bytes(h).unwrap(),
        ));
    }
    req
}

fn act(origin: &[u8]) -> TestRequest {
    with_origin(Method::GET, "/items", origin)
}

const APP: &[u8] = b"https://app.example.com";

/// The answer to a preflight from `APP` refused for its method or a header.
const GRANT_AND_LISTS: &[(&str, &str)] = &[
    ("access-control-allow-origin", "https://app.example.com"),
    ("access-control-allow-credentials", "true"),
    (
        "access-control-allow-methods",
        "GET, HEAD, POST, OPTIONS, PUT, PATCH, DELETE",
    ),
    ("access-control-allow-headers", "content-type, x-token"),
    ("vary", "Origin"),
];

fn rows() -> Vec<(&'static str, TestRequest, Want)> {
    let eight_kib = format!("https://{}.example.org", "a".repeat(8 * 1024));
    let megabyte = ",".repeat(1 << 20);
    let mut many_lines = pre(APP, b"PUT", Some(b"content-type"));
    for _ in 0..100 {
        many_lines = many_lines.append_header(("access-control-request-headers", "x-token"));
    }
    vec![
        ("no Origin", TestRequest::get().uri("/items"), NotCors),
        (
            "obs-text in Origin",
            act(b"https://app.example.com\xff"),
            Refused,
        ),
        (
            "non-UTF-8 Origin",
            act(b"https://\xc3\x28.example.org"),
            Refused,
        ),
        (
            "obs-text in Origin, preflight",
            pre(b"https://\x80.example.org", b"PUT", None),
            Refused,
        ),
        (
            "obs-text in Access-Control-Request-Method",
            pre(APP, b"P\xd9T", None),
            Refused,
        ),
        (
            "obs-text in Access-Control-Request-Headers",
            pre(APP, b"PUT", Some(b"x-token,\xfe\xff")),
            Refused,
        ),
        (
            "two Origin headers",
            act(APP).append_header(("origin", "https://app.example.com")),
            Refused,
        ),
        (
            "two Origin headers, preflight",
            pre(APP, b"PUT", None).append_header(("origin", "https://evil.example")),
            Refused,
        ),
        ("an 8 KiB Origin", act(eight_kib.as_bytes()), Refused),
        ("null", act(b"null"), Refused),
        ("userinfo", act(b"https://user:pw@app.example.com"), Refused),
        ("path", act(b"https://app.example.com/x"), Refused),
        ("query", act(b"https://app.example.com?x=1"), Refused),
        ("fragment", act(b"https://app.example.com#x"), Refused),
        ("trailing dot", act(b"https://app.example.com."), Refused),
        ("uppercase", act(b"https://App.Example.com"), Refused),
        (
            "IDN as UTF-8",
            act("https://b\u{fc}cher.example.org".as_bytes()),
            Refused,
        ),
        (
            "IDN as punycode (matches *.example.org)",
            act(b"https://xn--bcher-kva.example.org"),
            Allowed,
        ),
        ("IPv6 literal (listed)", act(b"http://[::1]:3000"), Allowed),
        (
            "IPv6 literal, uncompressed",
            act(b"http://[0:0:0:0:0:0:0:1]:3000"),
            Refused,
        ),
        (
            "IPv4-mapped IPv6",
            act(b"http://[::ffff:127.0.0.1]:3000"),
            Refused,
        ),
        ("spaces", act(b"https://app.example.com "), Refused),
        ("space inside", act(b"https://app. example.com"), Refused),
        ("port 0", act(b"http://localhost:0"), Refused),
        ("port 65536", act(b"http://localhost:65536"), Refused),
        (
            "any port (pattern)",
            act(b"http://localhost:65535"),
            Allowed,
        ),
        (
            "empty Access-Control-Request-Method",
            pre(APP, b"", None),
            Refused,
        ),
        (
            "lowercase Access-Control-Request-Method",
            pre(APP, b"put", None),
            RefusedKeepingOrigin,
        ),
        (
            "unknown Access-Control-Request-Method",
            pre(APP, b"BREW", None),
            RefusedKeepingOrigin,
        ),
        (
            "Access-Control-Request-Headers over many lines",
            many_lines,
            Allowed,
        ),
        (
            "empty elements in Access-Control-Request-Headers",
            pre(APP, b"PUT", Some(b",, x-token ,,content-type,")),
            Allowed,
        ),
        (
            "a megabyte of commas",
            pre(APP, b"PUT", Some(megabyte.as_bytes())),
            Refused,
        ),
        (
            "path with %0d%0a, refused origin",
            with_origin(Method::GET, "/x%0d%0aforged", b"https://evil.example"),
            Refused,
        ),
        (
            "path with %0d%0a, allowed origin",
            with_origin(Method::GET, "/x%0d%0aforged", APP),
            Allowed,
        ),
        (
            "path with ..",
            with_origin(Method::GET, "/a/../items", b"https://evil.example"),
            Refused,
        ),
        (
            "path with %2e%2e",
            with_origin(Method::GET, "/a/%2e%2e/items", APP),
            Allowed,
        ),
        (
            "path with +",
            with_origin(Method::GET, "/a+b", b"https://evil.example"),
            Refused,
        ),
        (
            "path in mixed case",
            with_origin(Method::GET, "/ITEMS", APP),
            Allowed,
        ),
    ]
}

#[actix_rt::test]
async fn every_hostile_request_gets_its_documented_decision() {
    let mut failures = Vec::new();
    for (name, req, want) in rows() {
        let mut outcome = None;
        let hits = Hits::default();
        let logs = logged(async {
            let app = api(policy(), &hits).await;
            let res = call(&app, req).await;
            let origin = res.request().headers().get("origin").cloned();
            outcome = Some((
                res.status(),
                acao(&res),
                is_preflight(&res),
                origin.is_some_and(|o| acao(&res).is_some_and(|a| a.as_bytes() == o.as_bytes())),
                cors_fields(&res),
                [false, true].map(|credentials| browser_passes(&res, credentials)),
            ));
        })
        .await;
        let (status, allow, preflight, own_origin, fields, passes) = outcome.unwrap();
        let lines: Vec<&str> = logs
            .iter()
            .filter(|(l, _)| *l == Level::Debug)
            .map(|(_, s)| s.as_str())
            .collect();
        let got = match (&allow, lines.len()) {
            (Some(_), 0) => Allowed,
            (Some(_), 1) if preflight && own_origin => RefusedKeepingOrigin,
            (None, 1) => Refused,
            (None, 0) => NotCors,
            _ => {
                failures.push(format!("{name}: ACAO {allow:?} with log lines {lines:?}"));
                continue;
            }
        };
        if got != want {
            failures.push(format!(
                "{name}: want {want:?}, got {got:?} ({status}, {lines:?})"
            ));
        }
        if status.is_server_error() {
            failures.push(format!("{name}: {status}"));
        }
        if got == Allowed && passes != [true, true] {
            failures.push(format!("{name}: allowed, but a browser refuses {fields:?}"));
        }
        if preflight && matches!(got, Refused | RefusedKeepingOrigin) {
            if status != StatusCode::NO_CONTENT {
                failures.push(format!("{name}: refused preflight answered {status}"));
            }
            let want_fields = if got == Refused {
                &[("vary", "Origin")][..]
            } else {
                GRANT_AND_LISTS
            };
            let mut want_fields: Vec<(String, String)> = want_fields
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            want_fields.sort();
            if fields != want_fields {
                failures.push(format!("{name}: refused preflight answered {fields:?}"));
            }
            if passes != [false, false] {
                failures.push(format!("{name}: a browser passes {fields:?}"));
            }
        }
        if preflight && hits.get() != 0 {
            failures.push(format!("{name}: a handler ran for the preflight"));
        }
        for line in &lines {
            if !line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                failures.push(format!("{name}: unescaped bytes in {line:?}"));
            }
            if line.len() > 1200 {
                failures.push(format!("{name}: log line of {} bytes", line.len()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
