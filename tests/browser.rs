//! End to end in headless Chromium: pages on two real origins call an actix API wrapped in the
//! middleware, and every outcome is asserted from the page's results and from the API
//! server's own request log.
//!
//! Page A is served from `http://127.0.0.1:<port>` (the App policy's origin); page C from
//! `http://localhost:<port>` (another origin, and another site). Without Chromium the tests
//! print why and pass, unless `REQUIRE_BROWSER=1` (as in CI), where a missing browser fails.

#[path = "../examples/support/browser.rs"]
mod browser;

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_cross_origin::{cross_origin, Cors, ResourceOptions};
use actix_web::dev::Service;
use actix_web::http::header;
use actix_web::{get, route, web, App, HttpRequest, HttpResponse, HttpServer};
use browser::{run_page, ServerGuard, RUNNER_JS};
use serde_json::{json, Value};

/// One request as the API server saw it, before any middleware.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    origin: String,
    cookie: bool,
}

type Log = Arc<Mutex<Vec<Seen>>>;

#[route(
    "/route/item",
    method = "GET",
    method = "PUT",
    method = "OPTIONS",
    wrap = "cross_origin().origins([\"http://localhost:*\"])"
)]
async fn route_item() -> &'static str {
    "route put"
}

/// flask-cors's `@cross_origin()` on a route, under an App-level policy that differs.
#[cross_origin(origins = ["http://localhost:*"], allow_headers = ["x-token"])]
#[get("/attr/item")]
async fn attr_item() -> &'static str {
    "attr get"
}

fn api_app_policy(origin_a: &str) -> Cors {
    let entry = |path: &str| ResourceOptions {
        path: path.into(),
        ..ResourceOptions::default()
    };
    Cors::default()
        .origins([origin_a])
        .supports_credentials(true)
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-token"])
        .expose_headers(["X-Public"])
        .resources([
            ResourceOptions {
                max_age: Some(600),
                ..entry("/age600/*")
            },
            ResourceOptions {
                max_age: Some(0),
                ..entry("/age0/*")
            },
            ResourceOptions {
                origins: Some(vec!["http://127.0.0.1:*".into()]),
                ..entry("/pattern/*")
            },
            ResourceOptions {
                origin_regexes: Some(vec![r"http://localhost:[0-9]+".into()]),
                ..entry("/regex/*")
            },
            entry("/*"),
        ])
        .try_build()
        .expect("valid test policy")
}

fn start_api(origin_a: String, log: Log) -> ServerGuard {
    ServerGuard::start(move || {
        let server = HttpServer::new(move || {
            let log = log.clone();
            let inner = cross_origin().origins(["http://localhost:*"]);
            App::new()
                .service(
                    web::scope("/partner")
                        .wrap(inner.clone())
                        .route("/item", web::put().to(|| async { "partner put" })),
                )
                .service(
                    web::resource("/res/item")
                        .wrap(inner)
                        .route(web::put().to(|| async { "res put" })),
                )
                .service(route_item)
                .service(attr_item)
                .route(
                    "/api/data",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .insert_header(("X-Public", "p"))
                            .insert_header(("X-Secret", "s"))
                            .body("data")
                    }),
                )
                .route(
                    "/api/json",
                    web::post().to(|body: String| async move { body }),
                )
                .route("/api/item", web::put().to(|| async { "put ok" }))
                .route("/api/item", web::delete().to(|| async { "deleted" }))
                .route("/api/header-ok", web::get().to(|| async { "header ok" }))
                .route("/api/header-bad", web::get().to(|| async { "header bad" }))
                .route(
                    "/login",
                    web::post().to(|| async {
                        HttpResponse::Ok()
                            .insert_header((
                                header::SET_COOKIE,
                                "session=abc; Path=/; SameSite=Lax",
                            ))
                            .body("logged in")
                    }),
                )
                .route(
                    "/me",
                    web::get().to(|req: HttpRequest| async move {
                        let cookie = req
                            .headers()
                            .get(header::COOKIE)
                            .and_then(|c| c.to_str().ok())
                            .unwrap_or("none")
                            .to_owned();
                        HttpResponse::Ok().body(cookie)
                    }),
                )
                .route(
                    "/err404",
                    web::get().to(|| async { HttpResponse::NotFound().body("missing") }),
                )
                .route(
                    "/err500",
                    web::get().to(|| async {
                        Err::<HttpResponse, _>(actix_web::error::ErrorInternalServerError("boom"))
                    }),
                )
                .route("/age600/x", web::get().to(|| async { "cached" }))
                .route("/age0/x", web::get().to(|| async { "uncached" }))
                .route("/pattern/x", web::get().to(|| async { "pattern" }))
                .route("/regex/x", web::get().to(|| async { "regex" }))
                .wrap(api_app_policy(&origin_a))
                .wrap_fn(move |req, srv| {
                    let h = req.headers();
                    log.lock().unwrap().push(Seen {
                        method: req.method().to_string(),
                        path: req.path().to_owned(),
                        origin: h
                            .get(header::ORIGIN)
                            .and_then(|o| o.to_str().ok())
                            .unwrap_or("")
                            .to_owned(),
                        cookie: h.contains_key(header::COOKIE),
                    });
                    srv.call(req)
                })
        })
        .workers(1)
        .bind(("127.0.0.1", 0))?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    })
}

fn page_html() -> String {
    format!(
        r#"<!doctype html><html><head><title>running</title></head><body><pre id="results"></pre>
<script>{RUNNER_JS}
const params = new URLSearchParams(location.search);
const api = params.get('api');
const cases = JSON.parse(params.get('cases'));
for (const c of cases) c.url = api + c.path;
runCases(cases).then(publish);
</script></body></html>"#
    )
}

/// A front end serving the runner page on an ephemeral loopback port; pages are loaded from
/// it as `127.0.0.1` or as `localhost`, two different origins.
fn start_page() -> ServerGuard {
    ServerGuard::start(move || {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let server = HttpServer::new(|| {
            App::new().default_service(web::to(|| async {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(page_html())
            }))
        })
        .workers(1)
        .listen(listener)?;
        Ok((server.run(), addr))
    })
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Harness {
    chromium: PathBuf,
    page_a: ServerGuard,
    page_c: ServerGuard,
    api: ServerGuard,
    log: Log,
}

enum Page {
    /// `http://127.0.0.1:<port>`: the App policy's origin.
    A,
    /// `http://localhost:<port>`: another origin, allowed only by the inner policies.
    C,
}

impl Harness {
    fn new(test: &str) -> Option<Harness> {
        let Some(chromium) = browser::chromium() else {
            if std::env::var_os("REQUIRE_BROWSER").is_some_and(|v| v == "1") {
                panic!(
                    "REQUIRE_BROWSER=1 but no Chromium found (set CHROMIUM or install chromium)"
                );
            }
            // Written straight to stderr, past the test harness's capture, so it is seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipping browser test {test}: no Chromium found (install chromium or set CHROMIUM)"
            );
            return None;
        };
        let page_a = start_page();
        let page_c = start_page();
        let log = Log::default();
        let api = start_api(format!("http://127.0.0.1:{}", page_a.port()), log.clone());
        Some(Harness {
            chromium,
            page_a,
            page_c,
            api,
            log,
        })
    }

    fn origin(&self, page: &Page) -> String {
        match page {
            Page::A => format!("http://127.0.0.1:{}", self.page_a.port()),
            Page::C => format!("http://localhost:{}", self.page_c.port()),
        }
    }

    /// Runs `cases` from `page`; returns the results by case name and the console lines.
    fn run(&self, page: Page, cases: Value) -> (Value, Vec<String>) {
        let api = format!("http://127.0.0.1:{}", self.api.port());
        let url = format!(
            "{}/run?api={}&cases={}",
            self.origin(&page),
            percent_encode(&api),
            percent_encode(&cases.to_string())
        );
        match run_page(&self.chromium, &url, Duration::from_secs(60)) {
            Ok(run) => (run.results, run.console),
            Err(e) => panic!("{e}"),
        }
    }

    fn seen(&self, method: &str, path: &str) -> Vec<Seen> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .cloned()
            .collect()
    }
}

fn case(name: &str, path: &str, init: Value) -> Value {
    json!({"name": name, "path": path, "init": init})
}

/// Checks one result; collects a readable failure instead of stopping at the first.
struct Check<'a> {
    results: &'a Value,
    console: &'a [String],
    failures: Vec<String>,
}

impl<'a> Check<'a> {
    fn new(results: &'a Value, console: &'a [String]) -> Self {
        Check {
            results,
            console,
            failures: Vec::new(),
        }
    }

    fn get(&self, name: &str) -> &Value {
        &self.results[name]
    }

    fn readable(&mut self, name: &str, status: u64, body: Option<&str>) {
        let r = self.get(name).clone();
        let ok = r["ok"] == json!(true)
            && r["status"] == json!(status)
            && body.is_none_or(|b| r["body"] == json!(b));
        if !ok {
            self.failures
                .push(format!("{name}: want readable {status} {body:?}, got {r}"));
        }
    }

    fn blocked(&mut self, name: &str) {
        let r = self.get(name).clone();
        if r["ok"] != json!(false) {
            self.failures.push(format!("{name}: want blocked, got {r}"));
        }
    }

    fn header(&mut self, name: &str, want: Value) {
        let r = self.get(name).clone();
        if r["header"] != want {
            self.failures
                .push(format!("{name}: want header {want}, got {r}"));
        }
    }

    fn fact(&mut self, what: &str, ok: bool) {
        if !ok {
            self.failures.push(what.to_owned());
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{}\n\nresults: {}\n\nChromium console:\n{}",
            self.failures.join("\n"),
            self.results,
            self.console.join("\n")
        );
    }
}

#[test]
fn app_wide_simple_and_preflighted_requests() {
    let Some(h) = Harness::new("app_wide_simple_and_preflighted_requests") else {
        return;
    };
    let json_post = json!({"method": "POST", "headers": {"Content-Type": "application/json"}, "body": "{\"a\":1}"});
    let (a, console) = h.run(
        Page::A,
        json!([
            case("simple_get", "/api/data", json!({})),
            case("json_post", "/api/json", json_post),
            case(
                "custom_header",
                "/api/header-ok",
                json!({"headers": {"X-Token": "t"}})
            ),
            case("put", "/api/item", json!({"method": "PUT"})),
            case(
                "header_not_allowed",
                "/api/header-bad",
                json!({"headers": {"X-Forbidden": "f"}})
            ),
            case(
                "method_not_allowed",
                "/api/item",
                json!({"method": "DELETE"})
            ),
        ]),
    );
    let mut c = Check::new(&a, &console);
    c.readable("simple_get", 200, Some("data"));
    c.readable("json_post", 200, Some("{\"a\":1}"));
    c.readable("custom_header", 200, Some("header ok"));
    c.readable("put", 200, Some("put ok"));
    c.blocked("header_not_allowed");
    c.blocked("method_not_allowed");
    // The server's log agrees: preflights came, and refused ones were never followed.
    c.fact(
        "no preflight for the simple GET",
        h.seen("OPTIONS", "/api/data").is_empty(),
    );
    c.fact(
        "one preflight for the JSON POST",
        h.seen("OPTIONS", "/api/json").len() == 1,
    );
    c.fact(
        "the JSON POST arrived",
        h.seen("POST", "/api/json").len() == 1,
    );
    c.fact(
        "the header preflight came",
        h.seen("OPTIONS", "/api/header-bad").len() == 1,
    );
    c.fact(
        "the refused header's request never came",
        h.seen("GET", "/api/header-bad").is_empty(),
    );
    c.fact(
        "the refused DELETE never came",
        h.seen("DELETE", "/api/item").is_empty(),
    );
    c.finish();

    let (other, console) = h.run(
        Page::C,
        json!([
            case("simple_get", "/api/data", json!({})),
            case("put", "/api/item", json!({"method": "PUT"})),
        ]),
    );
    let mut c = Check::new(&other, &console);
    c.blocked("simple_get");
    c.blocked("put");
    let origin_c = h.origin(&Page::C);
    // A simple request is sent (only its response is hidden); a refused preflight stops the PUT.
    c.fact(
        "the simple GET from the other origin reached the server",
        h.seen("GET", "/api/data")
            .iter()
            .any(|s| s.origin == origin_c),
    );
    c.fact(
        "the PUT from the other origin never came",
        !h.seen("PUT", "/api/item")
            .iter()
            .any(|s| s.origin == origin_c),
    );
    c.finish();
}

#[test]
fn credentials_errors_and_exposed_headers() {
    let Some(h) = Harness::new("credentials_errors_and_exposed_headers") else {
        return;
    };
    let creds = |method: &str| json!({"method": method, "credentials": "include"});
    let mut expose_public = case("expose_public", "/api/data", json!({}));
    expose_public["read"] = json!("X-Public");
    let mut expose_secret = case("expose_secret", "/api/data", json!({}));
    expose_secret["read"] = json!("X-Secret");
    let (a, console) = h.run(
        Page::A,
        json!([
            case("login", "/login", creds("POST")),
            case("me", "/me", creds("GET")),
            case("err404", "/err404", creds("GET")),
            case("err500", "/err500", creds("GET")),
            expose_public,
            expose_secret,
        ]),
    );
    let mut c = Check::new(&a, &console);
    c.readable("login", 200, Some("logged in"));
    c.readable("me", 200, Some("session=abc"));
    c.readable("err404", 404, Some("missing"));
    c.readable("err500", 500, None);
    c.header("expose_public", json!("p"));
    c.header("expose_secret", Value::Null);
    c.fact(
        "the cookie arrived with the credentialed GET",
        h.seen("GET", "/me").iter().any(|s| s.cookie),
    );
    c.fact("the login arrived", h.seen("POST", "/login").len() == 1);
    c.fact(
        "the 404 request arrived",
        h.seen("GET", "/err404").len() == 1,
    );
    c.fact(
        "the 500 request arrived",
        h.seen("GET", "/err500").len() == 1,
    );
    c.finish();

    let (other, console) = h.run(Page::C, json!([case("me", "/me", creds("GET"))]));
    let mut c = Check::new(&other, &console);
    c.blocked("me");
    c.finish();
}

#[test]
fn max_age_caches_preflights() {
    let Some(h) = Harness::new("max_age_caches_preflights") else {
        return;
    };
    let token = json!({"headers": {"X-Token": "t"}});
    let (a, console) = h.run(
        Page::A,
        json!([
            case("age600_first", "/age600/x", token.clone()),
            case("age600_second", "/age600/x", token.clone()),
            case("age0_first", "/age0/x", token.clone()),
            case("age0_second", "/age0/x", token),
        ]),
    );
    let mut c = Check::new(&a, &console);
    for name in ["age600_first", "age600_second"] {
        c.readable(name, 200, Some("cached"));
    }
    for name in ["age0_first", "age0_second"] {
        c.readable(name, 200, Some("uncached"));
    }
    let n600 = h.seen("OPTIONS", "/age600/x").len();
    let n0 = h.seen("OPTIONS", "/age0/x").len();
    c.fact(
        &format!("max_age 600: one preflight for two requests, saw {n600}"),
        n600 == 1,
    );
    c.fact(
        &format!("max_age 0: two preflights for two requests, saw {n0}"),
        n0 == 2,
    );
    c.finish();
}

#[test]
fn inner_policies_decide_in_the_browser() {
    let Some(h) = Harness::new("inner_policies_decide_in_the_browser") else {
        return;
    };
    let put = json!({"method": "PUT"});
    // A GET with X-Token is preflighted: the #[cross_origin] route must answer it itself.
    let token_get = json!({"method": "GET", "headers": {"X-Token": "t"}});
    let cases = json!([
        case("scope", "/partner/item", put.clone()),
        case("resource", "/res/item", put.clone()),
        case("route", "/route/item", put.clone()),
        case("attribute", "/attr/item", token_get),
        case("outside", "/api/item", put),
    ]);
    let (a, console) = h.run(Page::A, cases.clone());
    let mut c = Check::new(&a, &console);
    c.blocked("scope");
    c.blocked("resource");
    c.blocked("route");
    c.blocked("attribute");
    c.readable("outside", 200, Some("put ok"));
    c.finish();

    let (other, console) = h.run(Page::C, cases);
    let mut c = Check::new(&other, &console);
    c.readable("scope", 200, Some("partner put"));
    c.readable("resource", 200, Some("res put"));
    c.readable("route", 200, Some("route put"));
    c.readable("attribute", 200, Some("attr get"));
    c.blocked("outside");
    let origin_c = h.origin(&Page::C);
    for path in ["/partner/item", "/res/item", "/route/item"] {
        c.fact(
            &format!("the PUT {path} from page C arrived"),
            h.seen("PUT", path).iter().any(|s| s.origin == origin_c),
        );
    }
    let origin_a = h.origin(&Page::A);
    for path in ["/partner/item", "/res/item", "/route/item"] {
        c.fact(
            &format!("no PUT {path} from page A reached the server"),
            !h.seen("PUT", path).iter().any(|s| s.origin == origin_a),
        );
    }
    c.finish();
}

#[test]
fn patterns_regexes_and_unrouted_paths() {
    let Some(h) = Harness::new("patterns_regexes_and_unrouted_paths") else {
        return;
    };
    let cases = json!([
        case("pattern", "/pattern/x", json!({})),
        case("regex", "/regex/x", json!({})),
        case("no_route", "/nowhere", json!({"method": "PUT"})),
    ]);
    let (a, console) = h.run(Page::A, cases.clone());
    let mut c = Check::new(&a, &console);
    c.readable("pattern", 200, Some("pattern"));
    c.blocked("regex");
    c.readable("no_route", 404, None);
    c.fact(
        "the unrouted preflight came",
        h.seen("OPTIONS", "/nowhere").len() == 1,
    );
    c.finish();

    let (other, console) = h.run(Page::C, cases);
    let mut c = Check::new(&other, &console);
    c.blocked("pattern");
    c.readable("regex", 200, Some("regex"));
    c.finish();
}
