//! The classic CORS attack classes, table-driven: each row a configuration, the origins an
//! attacker would send, and the legitimate ones beside them. Either the configuration is
//! refused at start-up, or no attacking origin is granted (on the actual request nor on the
//! preflight) while every legitimate one still is.

mod support;

use actix_cross_origin::{Cors, ProblemKind};
use actix_web::http::header::HeaderValue;
use actix_web::http::StatusCode;
use support::*;

enum Outcome {
    Refused(ProblemKind),
    Guarded {
        attacks: &'static [&'static [u8]],
        legit: &'static [&'static str],
    },
}
use Outcome::*;

fn rows() -> Vec<(&'static str, Cors, Outcome)> {
    let o = |l: &[&str]| Cors::default().origins(l.iter().copied());
    let re = |l: &[&str]| Cors::default().origin_regexes(l.iter().copied());
    vec![
        (
            "reflection of any origin with credentials",
            Cors::default().supports_credentials(true),
            Refused(ProblemKind::CredentialsWithAnyOrigin),
        ),
        (
            "* with credentials",
            o(&["*"]).supports_credentials(true),
            Refused(ProblemKind::CredentialsWithAnyOrigin),
        ),
        (
            "null trusted",
            o(&["null"]),
            Refused(ProblemKind::NullOrigin),
        ),
        (
            "null through a regex",
            re(&["null", r"https://app\.example\.com"]).supports_credentials(true),
            Guarded {
                attacks: &[b"null"],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "null through a predicate",
            Cors::default().allow_origin_fn(|_, _| true),
            Guarded {
                attacks: &[b"null"],
                legit: &["https://anything.example"],
            },
        ),
        (
            "suffix matching",
            o(&["https://example.com"]),
            Guarded {
                attacks: &[b"https://evilexample.com", b"https://notexample.com"],
                legit: &["https://example.com"],
            },
        ),
        (
            "prefix matching",
            o(&["https://example.com"]),
            Guarded {
                attacks: &[
                    b"https://example.com.evil.net",
                    b"https://example.com-evil.net",
                ],
                legit: &["https://example.com"],
            },
        ),
        (
            "host boundary",
            o(&["https://example.com"]),
            Guarded {
                attacks: &[b"https://example.computer", b"https://example.co"],
                legit: &["https://example.com"],
            },
        ),
        (
            "subdomain pattern boundary",
            o(&["https://*.example.com"]),
            Guarded {
                attacks: &[
                    b"https://evilexample.com",
                    b"https://a.example.com.evil.io",
                    b"https://example.com",
                    b"https://.example.com",
                ],
                legit: &["https://a.example.com", "https://a.b.example.com"],
            },
        ),
        (
            "unescaped dot in a regex",
            re(&["https://www.example.com"]),
            Refused(ProblemKind::UnescapedDotInRegex),
        ),
        (
            "regex wildcard running into the registrable label",
            re(&[r"^https://.*example\.com$"]),
            Refused(ProblemKind::RegexCrossesLabel),
        ),
        (
            "the same in origins, as flask-cors users write it",
            o(&[r"https://[^.]*example\.com"]),
            Refused(ProblemKind::RegexCrossesLabel),
        ),
        (
            "regex wildcard over a public suffix",
            re(&[r"https://.+\.com"]),
            Refused(ProblemKind::PublicSuffixPattern),
        ),
        (
            "\"any origin\" written as a regex",
            o(&[".*"]),
            Refused(ProblemKind::RegexMatchesWildcard),
        ),
        (
            "regex matching whole labels",
            o(&[r"^https://([a-z0-9-]+\.)*example\.com$"]),
            Guarded {
                attacks: &[
                    b"https://evilexample.com",
                    b"https://example.com.evil.io",
                    b"https://a.example.com.evil.io",
                ],
                legit: &["https://example.com", "https://a.example.com"],
            },
        ),
        (
            "escaped regex",
            re(&[r"https://www\.example\.com"]),
            Guarded {
                attacks: &[b"https://wwwXexample.com", b"https://www.exampleXcom"],
                legit: &["https://www.example.com"],
            },
        ),
        (
            "unanchored regex",
            re(&[r"https://[a-z]+\.example\.com"]),
            Guarded {
                attacks: &[
                    b"https://a.example.com.evil.io",
                    b"https://evil.io?https://a.example.com",
                ],
                legit: &["https://a.example.com"],
            },
        ),
        (
            "top-level alternation",
            re(&[r"https://a\.example\.com|https://b\.example\.com"]),
            Guarded {
                attacks: &[
                    b"https://b.example.com.evil.io",
                    b"https://evil.iohttps://a.example.com",
                ],
                legit: &["https://a.example.com", "https://b.example.com"],
            },
        ),
        (
            "case-insensitive regex",
            re(&[r"(?i)https://app\.example\.com"]),
            Guarded {
                attacks: &[b"https://APP.example.com", b"HTTPS://app.example.com"],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "scheme downgrade",
            o(&["https://app.example.com"]).supports_credentials(true),
            Guarded {
                attacks: &[b"http://app.example.com", b"ws://app.example.com"],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "plain http with credentials",
            o(&["http://app.example.com"]).supports_credentials(true),
            Refused(ProblemKind::InsecureOriginWithCredentials),
        ),
        (
            "plain http through a regex with credentials",
            re(&[r"https?://app\.example\.com"]).supports_credentials(true),
            Guarded {
                attacks: &[b"http://app.example.com"],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "port confusion",
            o(&["https://app.example.com", "http://localhost:*"]),
            Guarded {
                attacks: &[
                    b"https://app.example.com:8443",
                    b"http://localhost.evil.io:3000",
                    b"http://localhost:0",
                    b"http://localhost:65536",
                ],
                legit: &[
                    "https://app.example.com",
                    "http://localhost:3000",
                    "http://localhost",
                ],
            },
        ),
        (
            "explicit default port in the configuration",
            o(&["https://app.example.com:443"]),
            Refused(ProblemKind::DefaultPort),
        ),
        (
            "explicit default port in the request",
            o(&["https://app.example.com"]),
            Guarded {
                attacks: &[b"https://app.example.com:443"],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "uppercase in the configuration",
            o(&["https://App.example.com"]),
            Refused(ProblemKind::UppercaseOrigin),
        ),
        (
            "uppercase in the request",
            o(&["https://app.example.com"]),
            Guarded {
                attacks: &[b"https://APP.EXAMPLE.COM", b"https://App.example.com"],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "trailing slash in the configuration",
            o(&["https://app.example.com/"]),
            Refused(ProblemKind::OriginWithPath),
        ),
        (
            "trailing slash and dot in the request",
            o(&["https://app.example.com"]),
            Guarded {
                attacks: &[b"https://app.example.com/", b"https://app.example.com."],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "path, userinfo, query, fragment",
            o(&["https://*.example.com"]),
            Guarded {
                attacks: &[
                    b"https://a.example.com/x",
                    b"https://evil.io@a.example.com",
                    b"https://a.example.com@evil.io",
                    b"https://evil.io?.example.com",
                    b"https://evil.io#.example.com",
                ],
                legit: &["https://a.example.com"],
            },
        ),
        (
            "whitespace",
            o(&["https://app.example.com"]),
            Guarded {
                attacks: &[
                    b" https://app.example.com",
                    b"https://app.example.com ",
                    b"https://app.example.com\t",
                ],
                legit: &["https://app.example.com"],
            },
        ),
        (
            "IDN in the configuration",
            o(&["https://b\u{fc}cher.example"]),
            Refused(ProblemKind::NonAsciiHost),
        ),
        (
            "IDN versus punycode",
            o(&["https://xn--bcher-kva.example"]),
            Guarded {
                attacks: &[b"https://b\xc3\xbccher.example"],
                legit: &["https://xn--bcher-kva.example"],
            },
        ),
        (
            "IP aliases",
            o(&["http://127.0.0.1:3000"]),
            Guarded {
                attacks: &[
                    b"http://127.1:3000",
                    b"http://2130706433:3000",
                    b"http://0x7f.0.0.1:3000",
                    b"http://[::ffff:127.0.0.1]:3000",
                    b"http://[::ffff:7f00:1]:3000",
                    b"http://127.000.000.001:3000",
                ],
                legit: &["http://127.0.0.1:3000"],
            },
        ),
        (
            "IP alias in the configuration",
            o(&["http://127.1:3000"]),
            Refused(ProblemKind::NonCanonicalIp),
        ),
        (
            "public-suffix wildcard",
            o(&["https://*.com"]),
            Refused(ProblemKind::PublicSuffixPattern),
        ),
        (
            "public-suffix wildcard, two labels",
            o(&["https://*.github.io"]),
            Refused(ProblemKind::PublicSuffixPattern),
        ),
        (
            "implicit apex",
            o(&["https://*.example.com"]),
            Guarded {
                attacks: &[b"https://example.com"],
                legit: &["https://www.example.com"],
            },
        ),
        (
            "list in one string",
            o(&["https://a.example.com, https://b.example.com"]),
            Refused(ProblemKind::InvalidOrigin),
        ),
        (
            "* inside a list",
            o(&["https://a.example.com", "*"]),
            Refused(ProblemKind::WildcardInList),
        ),
        (
            "several origins in one header",
            o(&["https://a.example.com", "https://b.example.com"]),
            Guarded {
                attacks: &[
                    b"https://a.example.com https://b.example.com",
                    b"https://a.example.com,https://b.example.com",
                ],
                legit: &["https://a.example.com", "https://b.example.com"],
            },
        ),
    ]
}

#[actix_rt::test]
async fn every_attack_class_is_refused_or_guarded() {
    for (name, cors, outcome) in rows() {
        match outcome {
            Refused(kind) => {
                let err = cors
                    .try_build()
                    .err()
                    .unwrap_or_else(|| panic!("{name}: configuration accepted"));
                assert!(
                    err.problems().iter().any(|p| p.kind() == kind),
                    "{name}: {err}"
                );
            }
            Guarded { attacks, legit } => {
                let explaining = api(
                    cors.clone().explain(true).try_build().unwrap(),
                    &Hits::default(),
                )
                .await;
                let cors = cors.try_build().unwrap_or_else(|e| panic!("{name}: {e}"));
                let app = api(cors, &Hits::default()).await;
                for attack in attacks {
                    let show = String::from_utf8_lossy(attack);
                    let value = HeaderValue::from_bytes(attack).unwrap();
                    let res = call(
                        &app,
                        get("/items", None).insert_header(("origin", value.clone())),
                    )
                    .await;
                    assert_eq!(
                        acao(&res),
                        None,
                        "{name}: actual request from {show:?} granted"
                    );
                    let req = || {
                        preflight("/items", "https://placeholder.example", "PUT", None)
                            .insert_header(("origin", value.clone()))
                    };
                    let res = call(&app, req()).await;
                    assert_refused_preflight(
                        &res,
                        ORIGIN_REFUSED,
                        &format!("{name}: preflight from {show:?}"),
                    );
                    // Explain mode names the refusal with a token that can never grant.
                    let res = call(&explaining, req()).await;
                    let token = acao(&res).unwrap_or_default();
                    assert!(token.starts_with("origin-"), "{name}: {token:?}");
                    let refusal = one(&res, "cors-refusal").unwrap_or_default();
                    assert!(refusal.starts_with("origins: "), "{name}: {refusal:?}");
                    assert_refused_preflight(
                        &res,
                        &[
                            ("access-control-allow-origin", &token),
                            ("cors-refusal", &refusal),
                            ("vary", "Origin"),
                        ],
                        &format!("{name}: preflight from {show:?}, explained"),
                    );
                }
                for origin in legit {
                    let res = call(&app, get("/items", Some(origin))).await;
                    assert_eq!(
                        acao(&res).as_deref(),
                        Some(*origin),
                        "{name}: {origin} refused"
                    );
                    let res = call(&app, preflight("/items", origin, "PUT", None)).await;
                    assert_eq!(
                        res.status(),
                        StatusCode::NO_CONTENT,
                        "{name}: preflight from {origin}"
                    );
                    assert!(
                        preflight_passes(&res, origin, "PUT", None, false),
                        "{name}: preflight from {origin} refused by the browser"
                    );
                }
            }
        }
    }
}
