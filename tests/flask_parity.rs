//! Parity with the real flask-cors, measured: every (configuration, request) pair of
//! `tests/parity/flask_cors.json` (made by `scripts/flask-parity.sh` from flask-cors itself) is
//! replayed through an actix `App` built from the same options, read as `CorsOptions` from JSON,
//! and both answers are read as a browser would read them.
//!
//! A pair passes when both answers conclude the same (readable or not, by the Fetch standard's
//! CORS, method, header and private-network checks) and grant the same fields
//! (`Access-Control-Allow-Origin`, `-Allow-Credentials`, `-Max-Age`, the exposed set, and whether
//! `Vary` lists `Origin`), or when a deliberate deviation of `tests/parity/deviations.rs`
//! explains the difference. Anything else fails the test.

#[path = "parity/deviations.rs"]
mod deviations;
#[path = "support/fetch_check.rs"]
mod fetch_check;

use std::collections::{BTreeMap, BTreeSet};

use actix_cross_origin::{ConfigError, Cors, CorsOptions};
use actix_web::http::{header::HeaderValue, Method};
use actix_web::middleware::Condition;
use actix_web::{error, test as actix_test, web, HttpResponse};
use serde_json::Value;

use deviations::{Deviation, Pair, DEVIATIONS};

/// One request of the fixture.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub origin: Option<String>,
    pub acrm: Option<String>,
    pub acrh: Option<String>,
    pub private_network: bool,
    /// The page asked for credentials (`credentials: "include"`).
    pub credentials: bool,
}

impl Req {
    fn from_json(v: &Value) -> Req {
        let s = |i: usize| v[i].as_str().map(str::to_owned);
        Req {
            method: s(0).expect("method"),
            path: s(1).expect("path"),
            origin: s(2),
            acrm: s(3),
            acrh: s(4),
            private_network: v[5] == 1,
            credentials: v[6] == 1,
        }
    }

    /// The Origin a browser would have sent; an empty one is none.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref().filter(|o| !o.is_empty())
    }

    /// A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.origin().is_some() && self.acrm.is_some()
    }
}

/// A response: its status and its CORS fields and Vary, names lowercased, without their
/// `access-control-` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub status: u16,
    pub fields: Vec<(String, String)>,
}

impl Seen {
    fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A field's values split at commas, trimmed, empty items dropped.
    fn list(&self, name: &str) -> Vec<String> {
        self.all(name)
            .iter()
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// What a browser concludes from an answer, and the fields that grant something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `None` for a request without Origin, which no browser sends.
    pub readable: Option<bool>,
    /// The granted fields; compared only where the browser reads them (or no browser is
    /// involved).
    pub granted: Option<Granted>,
    pub vary_origin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub allow_origin: Vec<String>,
    pub credentials: bool,
    /// Only for a preflight (with or without Origin).
    pub max_age: Option<String>,
    /// Only for an actual request.
    pub exposed: BTreeSet<String>,
}

impl fetch_check::Answer for Seen {
    fn status(&self) -> u16 {
        self.status
    }
    fn values(&self, name: &str) -> Vec<String> {
        let kept = name.strip_prefix("access-control-").unwrap_or(name);
        self.all(kept).into_iter().map(str::to_owned).collect()
    }
}

impl Req {
    /// What the page asked for, as the browser checks read it.
    fn asked(&self) -> fetch_check::Asked<'_> {
        fetch_check::Asked {
            origin: self.origin().unwrap_or_default(),
            method: self.acrm.as_deref().unwrap_or_default(),
            headers: self.acrh.as_deref().unwrap_or_default(),
            credentials: self.credentials,
            private_network: self.private_network,
        }
    }
}

/// The Fetch standard's CORS check (section 4.9), shared with the other tests.
fn cors_check(req: &Req, seen: &Seen) -> bool {
    fetch_check::cors_check(seen, req.origin().unwrap_or_default(), req.credentials)
}

/// The CORS-preflight fetch's checks (section 4.8), shared with the other tests.
pub fn preflight_passes(req: &Req, seen: &Seen) -> bool {
    fetch_check::preflight_passes(seen, &req.asked())
}

pub fn conclude(req: &Req, seen: &Seen) -> Outcome {
    let readable = req.origin().map(|_| {
        if req.is_preflight() {
            preflight_passes(req, seen)
        } else {
            cors_check(req, seen)
        }
    });
    let preflight_like = req.method == "OPTIONS" && req.acrm.is_some();
    let granted = (readable != Some(false)).then(|| Granted {
        allow_origin: seen
            .all("allow-origin")
            .iter()
            .map(|s| s.to_string())
            .collect(),
        credentials: seen.all("allow-credentials") == ["true"],
        max_age: preflight_like
            .then(|| seen.all("max-age").first().map(|s| s.to_string()))
            .flatten(),
        exposed: if preflight_like {
            BTreeSet::new()
        } else {
            seen.list("expose-headers")
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect()
        },
    });
    let vary_origin = seen
        .list("vary")
        .iter()
        .any(|t| t.eq_ignore_ascii_case("origin"));
    Outcome {
        readable,
        granted,
        vary_origin,
    }
}

/// Builds the App of the fixture's Flask app, in its mode, and replays `requests` through it.
async fn replay(mode: &str, cors: Cors, requests: &[&Req]) -> Vec<Seen> {
    let app_wide = mode == "app";
    let per_route = || Condition::new(!app_wide, cors.clone());
    let own = |name: &'static str, value: &'static str| {
        move || async move { HttpResponse::Ok().insert_header((name, value)).body("own") }
    };
    let app = actix_test::init_service(
        actix_web::App::new()
            .wrap(Condition::new(app_wide, cors.clone()))
            .service(
                web::resource("/api/items")
                    .wrap(per_route())
                    .route(web::get().to(|| async { "ok" }))
                    .route(web::post().to(|| async { "ok" }))
                    .route(web::put().to(|| async { "ok" }))
                    .route(web::delete().to(|| async { "ok" }))
                    .route(web::patch().to(|| async { "ok" })),
            )
            .service(web::resource("/api/error").wrap(per_route()).route(
                web::get().to(|| async {
                    Err::<HttpResponse, _>(error::ErrorInternalServerError("boom"))
                }),
            ))
            .service(web::resource("/api/abort").wrap(per_route()).route(
                web::get().to(|| async { Err::<HttpResponse, _>(error::ErrorBadRequest("no")) }),
            ))
            .service(
                web::resource("/api/own-acao").wrap(per_route()).route(
                    web::get().to(own("access-control-allow-origin", "https://own.example")),
                ),
            )
            .service(
                web::resource("/api/own-vary")
                    .wrap(per_route())
                    .route(web::get().to(own("vary", "Accept-Encoding"))),
            )
            .service(
                web::resource("/api/options")
                    .wrap(per_route())
                    .route(web::get().to(|| async { "own options" }))
                    .route(
                        web::route()
                            .method(Method::OPTIONS)
                            .to(|| async { "own options" }),
                    ),
            )
            .service(
                web::resource("/apidocs")
                    .wrap(per_route())
                    .route(web::get().to(|| async { "plain" })),
            )
            .service(
                web::resource("/other")
                    .wrap(per_route())
                    .route(web::get().to(|| async { "plain" })),
            ),
    )
    .await;
    let mut seen = Vec::with_capacity(requests.len());
    for req in requests {
        let method = Method::from_bytes(req.method.as_bytes()).expect("method");
        let mut r = actix_test::TestRequest::default()
            .method(method)
            .uri(&req.path);
        let headers = [
            ("origin", &req.origin),
            ("access-control-request-method", &req.acrm),
            ("access-control-request-headers", &req.acrh),
        ];
        for (name, value) in headers {
            if let Some(v) = value {
                r = r.insert_header((name, HeaderValue::from_str(v).expect("header value")));
            }
        }
        if req.private_network {
            r = r.insert_header(("access-control-request-private-network", "true"));
        }
        let res = actix_test::call_service(&app, r.to_request()).await;
        let fields = res
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                let name = name.as_str();
                let kept = name
                    .strip_prefix("access-control-")
                    .or((name == "vary").then_some(name))?;
                Some((
                    kept.to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                ))
            })
            .collect();
        seen.push(Seen {
            status: res.status().as_u16(),
            fields,
        });
    }
    seen
}

/// How a pair came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Same,
    Deliberate(&'static str),
    Unexplained,
}

#[actix_rt::test]
async fn flask_cors_parity() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/parity/flask_cors.json"
    ))
    .expect("tests/parity/flask_cors.json (regenerate with scripts/flask-parity.sh)");
    let fixture: Value = serde_json::from_str(&text).expect("fixture JSON");
    assert_eq!(fixture["flask_cors"], "6.0.5");
    let requests: Vec<Req> = fixture["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(Req::from_json)
        .collect();
    let fields: Vec<(String, String)> = fixture["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f[0].as_str().unwrap().to_owned(),
                f[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let responses: Vec<Seen> = fixture["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Seen {
            status: r[0].as_u64().unwrap() as u16,
            fields: r[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| fields[i.as_u64().unwrap() as usize].clone())
                .collect(),
        })
        .collect();
    let configs = fixture["configs"].as_array().unwrap();

    // Pairs grouped by configuration, in order.
    let mut by_config: BTreeMap<usize, Vec<(usize, Option<usize>)>> = BTreeMap::new();
    for pair in fixture["pairs"].as_array().unwrap() {
        let response = pair[2].as_u64().map(|i| i as usize);
        by_config
            .entry(pair[0].as_u64().unwrap() as usize)
            .or_default()
            .push((pair[1].as_u64().unwrap() as usize, response));
    }

    let mut counts: BTreeMap<Class, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut total = 0;
    for (c, pairs) in &by_config {
        let config = &configs[*c];
        let mode = config["mode"].as_str().unwrap();
        let options = &config["options"];
        let flask_refused = !config["flask_error"].is_null();
        let ours: Result<Cors, ConfigError> =
            serde_json::from_value::<CorsOptions>(options.clone())
                .map_err(|e| panic!("config {c}: {options} is not read as CorsOptions: {e}"))
                .and_then(Cors::from_options);
        let reqs: Vec<&Req> = pairs.iter().map(|(r, _)| &requests[*r]).collect();
        let seen = match &ours {
            Ok(cors) => Some(replay(mode, cors.clone(), &reqs).await),
            Err(_) => None,
        };
        for (i, (r, response)) in pairs.iter().enumerate() {
            total += 1;
            let req = &requests[*r];
            let flask = response.map(|i| &responses[i]);
            let class = match (flask, &ours) {
                (None, Err(_)) => Class::Same,
                (None, Ok(_)) => Class::Unexplained,
                (Some(_), Err(e)) => match deviations::refused(e) {
                    Some(name) => Class::Deliberate(name),
                    None => Class::Unexplained,
                },
                (Some(flask_seen), Ok(_)) => {
                    let ours_seen = &seen.as_ref().unwrap()[i];
                    // Whatever flask-cors does, ours names one origin at most and lists
                    // Origin in Vary once at most.
                    assert!(
                        ours_seen.all("allow-origin").len() <= 1,
                        "{req:?}: {ours_seen:?}"
                    );
                    let varies = ours_seen
                        .list("vary")
                        .iter()
                        .filter(|t| t.eq_ignore_ascii_case("origin"))
                        .count();
                    assert!(varies <= 1, "{req:?}: {ours_seen:?}");
                    let (f, o) = (conclude(req, flask_seen), conclude(req, ours_seen));
                    if f == o {
                        Class::Same
                    } else {
                        let pair = Pair {
                            mode,
                            options,
                            req,
                            flask: &f,
                            ours: &o,
                            flask_seen,
                            ours_seen,
                        };
                        match DEVIATIONS.iter().find(|d: &&Deviation| (d.applies)(&pair)) {
                            Some(d) => Class::Deliberate(d.name),
                            None => Class::Unexplained,
                        }
                    }
                }
            };
            if class == Class::Unexplained && unexplained.len() < 25 {
                let ours_seen = seen.as_ref().map(|s| &s[i]);
                unexplained.push(format!(
                    "config {c} ({mode}) {options}{}\n  request {req:?}\n  flask-cors {flask:?}\n  ours       {:?}",
                    if flask_refused { " (flask-cors refused it)" } else { "" },
                    ours_seen.map_or_else(|| format!("{:?}", ours.as_ref().err()), |s| format!("{s:?}")),
                ));
            }
            *counts.entry(class).or_default() += 1;
        }
    }

    let count = |pred: &dyn Fn(&Class) -> bool| {
        counts
            .iter()
            .filter(|(c, _)| pred(c))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    // A refused configuration grants nothing: stricter by definition.
    let stricter = |name: &str| {
        deviations::by_name(name).map_or(deviations::REFUSED.iter().any(|r| r.1 == name), |d| {
            d.stricter
        })
    };
    println!(
        "flask-cors parity: {total} pairs: {} SAME, {} deliberately STRICTER, {} deliberately different otherwise, {} UNEXPLAINED",
        count(&|c| *c == Class::Same),
        count(&|c| matches!(c, Class::Deliberate(n) if stricter(n))),
        count(&|c| matches!(c, Class::Deliberate(n) if !stricter(n))),
        count(&|c| *c == Class::Unexplained),
    );
    for (class, n) in &counts {
        if let Class::Deliberate(name) = class {
            println!("  {n:5}  {name}");
        }
    }
    assert!(total >= 2000, "only {total} pairs");
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences from flask-cors (first {}):\n{}",
        count(&|c| *c == Class::Unexplained),
        unexplained.len(),
        unexplained.join("\n")
    );
}

#[test]
fn every_deviation_is_in_the_migration_guide() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/flask-cors.md"))
        .unwrap();
    for d in DEVIATIONS {
        assert!(d.reason.len() > 40, "{} needs its reason", d.name);
    }
    for d in DEVIATIONS
        .iter()
        .map(|d| d.name)
        .chain(deviations::REFUSED.iter().map(|r| r.1))
    {
        assert!(
            guide.contains(&format!("`{d}`")),
            "docs/flask-cors.md does not name the deviation `{d}`"
        );
    }
}
