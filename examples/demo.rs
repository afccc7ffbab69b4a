//! See CORS work in a browser: `cargo run --example demo --features test-util`.
//!
//! Starts an API on http://127.0.0.1:8080 and a front end on http://127.0.0.1:8081. Open the
//! front end: its page makes cross-origin calls to the API (allowed, refused by origin, by
//! method, by header, and with credentials) and shows each as a row with its outcome and, for
//! refusals, what your browser's console says and what the API logged.
//!
//! A page cannot read why the browser refused a call: `fetch` only rejects. So the front end
//! asks the browser model (`actix_cross_origin::test`, feature `test-util`) what the console
//! of the page's engine says for that call, running it against the same API in-process; the
//! browser suite proves the model's lines equal the engines' own, and `--check` checks each
//! row's line against the console of the engine it ran in.
//!
//! `cargo run --example demo --features test-util -- --check` runs the same page in headless
//! Chromium, prints the rows, and exits with 1 unless every outcome is the expected one.
//! `--browser firefox`, `--browser webkit` or `--browser all` runs it in another engine, or in
//! all three in turn.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/session.rs"]
mod session;

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use actix_cross_origin::test::{Browser, Engine, Fetch};
use actix_cross_origin::{cross_origin, Cors};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use log::{Level, Log, Metadata, Record};
use serde_json::json;

const API: &str = "http://127.0.0.1:8080";
const FRONT_END: &str = "http://127.0.0.1:8081";

/// One call the page makes.
struct Call {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: Option<&'static str>,
    credentials: bool,
    expect: &'static str,
}

const CALLS: &[Call] = &[
    Call {
        name: "simple GET",
        method: "GET",
        path: "/api/items",
        headers: &[],
        body: None,
        credentials: false,
        expect: "allowed",
    },
    Call {
        name: "JSON PUT (preflighted)",
        method: "PUT",
        path: "/api/items",
        headers: &[("Content-Type", "application/json")],
        body: Some(r#"{"name":"pear"}"#),
        credentials: false,
        expect: "allowed",
    },
    Call {
        name: "GET with X-Token (preflighted)",
        method: "GET",
        path: "/api/items",
        headers: &[("X-Token", "secret")],
        body: None,
        credentials: false,
        expect: "allowed",
    },
    Call {
        name: "PUT to /partner/feed: origin not allowed",
        method: "PUT",
        path: "/partner/feed",
        headers: &[],
        body: None,
        credentials: false,
        expect: "refused",
    },
    Call {
        name: "DELETE: method not allowed",
        method: "DELETE",
        path: "/api/items",
        headers: &[],
        body: None,
        credentials: false,
        expect: "refused",
    },
    Call {
        name: "GET with X-Debug: header not allowed",
        method: "GET",
        path: "/api/items",
        headers: &[("X-Debug", "1")],
        body: None,
        credentials: false,
        expect: "refused",
    },
    Call {
        name: "log in (credentials)",
        method: "POST",
        path: "/api/login",
        headers: &[],
        body: None,
        credentials: true,
        expect: "allowed",
    },
    Call {
        name: "who am I (credentials, cookie sent)",
        method: "GET",
        path: "/api/me",
        headers: &[],
        body: None,
        credentials: true,
        expect: "allowed",
    },
];

impl Call {
    /// The page's `fetch(url, init)`, as JSON for the runner.
    fn page_case(&self, n: usize) -> serde_json::Value {
        let mut init = json!({"method": self.method, "headers": {}});
        for (name, value) in self.headers {
            init["headers"][*name] = json!(value);
        }
        if let Some(body) = self.body {
            init["body"] = json!(body);
        }
        if self.credentials {
            init["credentials"] = json!("include");
        }
        json!({"n": n, "name": self.name, "url": format!("{API}{}", self.path), "init": init, "expect": self.expect})
    }

    /// The same call for the browser model.
    fn fetch(&self) -> Fetch {
        let mut fetch = Fetch::new(self.method, self.path).credentials(self.credentials);
        for (name, value) in self.headers {
            fetch = fetch.header(*name, *value);
        }
        match self.body {
            Some(body) => fetch.body(body),
            None => fetch,
        }
    }
}

/// Prints log lines and keeps the last refusals, so the page can show why a call failed.
struct DemoLog {
    refusals: Mutex<VecDeque<String>>,
}

thread_local! {
    /// The browser model is running the API in-process on this thread: its lines are not the
    /// API's.
    static MODEL_RUNNING: Cell<bool> = const { Cell::new(false) };
}

impl Log for DemoLog {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        (m.level() <= Level::Info || m.target() == "actix_cross_origin")
            && !MODEL_RUNNING.with(Cell::get)
    }
    fn log(&self, r: &Record<'_>) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let line = r.args().to_string();
        eprintln!("[{} {}] {line}", r.level(), r.target());
        if r.target() == "actix_cross_origin" && r.level() == Level::Debug {
            let mut q = self.refusals.lock().unwrap_or_else(|e| e.into_inner());
            if q.len() == 20 {
                q.pop_front();
            }
            q.push_back(line);
        }
    }
    fn flush(&self) {}
}

static LOGGER: DemoLog = DemoLog {
    refusals: Mutex::new(VecDeque::new()),
};

/// The API's last refusal reason (what the middleware logged at debug level).
async fn why() -> HttpResponse {
    let last = LOGGER
        .refusals
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .back()
        .cloned()
        .unwrap_or_default();
    HttpResponse::Ok().content_type("text/plain").body(last)
}

/// The engine a page runs in, from its `User-Agent`.
fn engine_of(req: &HttpRequest) -> Engine {
    let agent = req
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if agent.contains("Firefox/") {
        Engine::Firefox
    } else if agent.contains("Chrome/") || agent.contains("Chromium/") {
        Engine::Chromium
    } else if agent.contains("AppleWebKit/") {
        Engine::WebKit
    } else {
        Engine::Chromium
    }
}

/// What the console of the page's engine says for call `n`: the browser model runs the same
/// call against the same API, in-process.
async fn browser_says(req: HttpRequest, n: web::Path<usize>) -> HttpResponse {
    let Some(call) = CALLS.get(n.into_inner()) else {
        return HttpResponse::NotFound().finish();
    };
    MODEL_RUNNING.with(|m| m.set(true));
    let said = match api_policy() {
        Ok(policy) => {
            let app =
                actix_web::test::init_service(App::new().configure(api_routes).wrap(policy)).await;
            let browser = Browser::new(FRONT_END).server(API);
            let outcome = browser.fetch(&app, call.fetch()).await;
            outcome.console(engine_of(&req)).unwrap_or_default()
        }
        Err(e) => e.to_string(),
    };
    MODEL_RUNNING.with(|m| m.set(false));
    HttpResponse::Ok().content_type("text/plain").body(said)
}

const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>actix-cross-origin demo</title>
<style>
 body { font: 15px system-ui, sans-serif; margin: 2em; color: #222 }
 table { border-collapse: collapse } td, th { padding: .4em .8em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top }
 .pass { color: #0a6b2d } .fail { color: #b00020 } code { background: #f4f4f4; padding: 0 .2em } .why { font-size: 13px }
</style></head>
<body>
<h1>actix-cross-origin demo</h1>
<p>This page is served from <code>{{FRONT_END}}</code> and calls the API on <code>{{API}}</code>, another origin.
The API allows this origin for <code>/api/*</code> (GET, POST, PUT; headers Content-Type and X-Token;
credentials), and only <code>https://partner.example</code> for <code>/partner/*</code>.
A refused call rejects with no reason; the reason is in your browser's console, shown here beside each refused call.</p>
<table><thead><tr><th>call</th><th>expected</th><th>outcome</th><th>your browser's console says</th><th>the API logged</th></tr></thead><tbody id="rows"></tbody></table>
<script>
{{RUNNER_JS}}
const cases = {{CASES}};
(async () => {
  const out = {};
  const rows = document.getElementById('rows');
  for (const c of cases) {
    const r = (await runCases([c]))[c.name];
    let reason = "", said = "";
    if (!r.ok) {
      try { reason = await (await fetch("{{API}}/api/why")).text(); } catch (e) { reason = String(e); }
      try { said = await (await fetch("/browser-says/" + c.n)).text(); } catch (e) { said = String(e); }
    }
    const outcome = r.ok ? "allowed: " + r.status + " " + r.body.slice(0, 40) : "refused";
    const pass = (r.ok ? "allowed" : "refused") === c.expect;
    out[c.name] = {n: c.n, url: c.url, expect: c.expect, outcome: r.ok ? "allowed" : "refused", status: r.status || null, reason: reason, said: said, pass: pass};
    const tr = document.createElement('tr');
    for (const [text, cls] of [[c.name, ""], [c.expect, ""], [outcome, pass ? "pass" : "fail"], [said, "why"], [reason || (r.ok ? "" : "(no reason logged)"), "why"]]) {
      const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td);
    }
    rows.appendChild(tr);
  }
  await postResults(out);
})();
</script></body></html>"#;

fn page() -> String {
    let cases: Vec<serde_json::Value> = CALLS
        .iter()
        .enumerate()
        .map(|(n, c)| c.page_case(n))
        .collect();
    PAGE.replace("{{RUNNER_JS}}", browser::RUNNER_JS)
        .replace("{{CASES}}", &serde_json::Value::Array(cases).to_string())
        .replace("{{FRONT_END}}", FRONT_END)
        .replace("{{API}}", API)
}

/// The API's policy: this front end, for `/api/*`'s methods and headers, with credentials.
fn api_policy() -> Result<Cors, actix_cross_origin::ConfigError> {
    Cors::default()
        .origins([FRONT_END])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["Content-Type", "X-Token"])
        .supports_credentials(true)
        .try_build()
}

/// The API's routes, with a scope of its own for a partner.
fn api_routes(config: &mut web::ServiceConfig) {
    config
        .service(
            web::scope("/partner")
                .wrap(cross_origin().origins(["https://partner.example"]))
                .route("/feed", web::put().to(|| async { "saved" })),
        )
        .service(
            web::scope("/api")
                .route("/items", web::get().to(|| async { r#"["apple","pear"]"# }))
                .route("/items", web::put().to(|| async { "saved" }))
                .route("/items", web::delete().to(|| async { "deleted" }))
                .route("/login", web::post().to(session::login))
                .route("/me", web::get().to(session::me))
                .route("/why", web::get().to(why)),
        );
}

/// The API on 8080 and the front end on 8081; the front end also takes the page's results
/// for `--check` into `inbox`.
fn start_servers(inbox: browser::Inbox) -> (browser::ServerGuard, browser::ServerGuard) {
    let api = browser::ServerGuard::start(|| {
        let cors = api_policy().map_err(std::io::Error::other)?;
        let server = HttpServer::new(move || App::new().configure(api_routes).wrap(cors.clone()))
            .bind(("127.0.0.1", 8080))?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    });
    let front = browser::ServerGuard::start(move || {
        let server = HttpServer::new(move || {
            App::new()
                .configure(|c| inbox.mount(c))
                .route("/browser-says/{n}", web::get().to(browser_says))
                .route(
                    "/",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type("text/html; charset=utf-8")
                            .body(page())
                    }),
                )
        })
        .bind(("127.0.0.1", 8081))?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    });
    (api, front)
}

/// Runs the page in each engine asked for; prints one line a row; 1 unless all pass.
fn check(args: &[String]) -> i32 {
    let engines = match browser::engines_from_args(args) {
        Ok(engines) => engines,
        Err(e) => {
            eprintln!("--check: {e}");
            return 1;
        }
    };
    let inbox = browser::Inbox::default();
    let (_api, _front) = start_servers(inbox.clone());
    let mut failed = 0;
    for (engine, binary) in engines {
        println!("== {}", engine.name());
        let url = format!("{FRONT_END}/");
        let timeout = Duration::from_secs(60);
        let options = browser::RunOptions::default();
        match browser::open_page(engine, &binary, &url, &inbox, timeout, options) {
            Ok(run) => failed += check_rows(&run, engine),
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
        }
    }
    i32::from(failed > 0)
}

/// Prints the page's rows, in the page's order; returns how many failed. A refused row must
/// show the reason the API logged and what the browser's console says, and in Chromium and
/// WebKit that must be the line the engine really printed for it.
fn check_rows(run: &browser::PageRun, engine: browser::Engine) -> usize {
    let Some(rows) = run.results.as_object() else {
        eprintln!("the page posted no rows");
        return 1;
    };
    let mut rows: Vec<_> = rows.iter().collect();
    rows.sort_by_key(|(_, row)| row["n"].as_u64());
    let mut failed = 0;
    let mut refusals = 0;
    for (name, row) in &rows {
        let pass = row["pass"] == serde_json::json!(true);
        let refused = row["outcome"] == "refused";
        let logged = row["reason"].as_str().unwrap_or("");
        let shown = row["said"].as_str().unwrap_or("");
        let printed = refused
            .then(|| browser_reason(run, engine, row["url"].as_str().unwrap_or(""), refusals))
            .flatten();
        refusals += usize::from(refused);
        let true_to_the_engine = match (&printed, engine) {
            (_, browser::Engine::Firefox) => true,
            (Some(printed), _) => shown.ends_with(printed.as_str()),
            (None, _) => false,
        };
        let explained = !refused || (!logged.is_empty() && !shown.is_empty() && true_to_the_engine);
        if !(pass && explained) {
            failed += 1;
        }
        println!(
            "{} {name}: {} (expected {})",
            if pass && explained { "ok  " } else { "FAIL" },
            row["outcome"].as_str().unwrap_or("?"),
            row["expect"].as_str().unwrap_or("?"),
        );
        if refused {
            println!("       the page shows: {shown}");
            match &printed {
                Some(printed) => println!("       {} printed: {printed}", engine.name()),
                None => println!(
                    "       ({} prints its console only to its devtools)",
                    engine.name()
                ),
            }
            println!("       the API logged: {logged}");
        }
    }
    if rows.len() != CALLS.len() {
        eprintln!("expected {} rows, got {}", CALLS.len(), rows.len());
        failed += 1;
    }
    if failed > 0 {
        eprintln!("console:\n{}", run.console.join("\n"));
    }
    failed
}

/// The console line `engine` printed for the `nth` refused call, to `url`: each engine prints
/// one line a refusal, in order (Chromium's names the URL, which is checked); Firefox writes its console only to
/// WebDriver BiDi.
fn browser_reason(
    run: &browser::PageRun,
    engine: browser::Engine,
    url: &str,
    nth: usize,
) -> Option<String> {
    match engine {
        browser::Engine::Chromium => {
            let line = run
                .console
                .iter()
                .filter(|l| l.contains("blocked by CORS policy: "))
                .nth(nth)
                .filter(|l| l.contains(&format!("Access to fetch at '{url}'")))?;
            let reason = line.split("blocked by CORS policy: ").nth(1)?;
            Some(reason.to_owned())
        }
        browser::Engine::WebKit => run
            .console
            .iter()
            .filter_map(|l| l.split("CONSOLE SECURITY ERROR ").nth(1))
            .nth(nth)
            .map(str::to_owned),
        browser::Engine::Firefox => None,
    }
}

fn main() {
    log::set_logger(&LOGGER).expect("the only logger");
    log::set_max_level(log::LevelFilter::Debug);
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--check") {
        std::process::exit(check(&args));
    }
    let servers = start_servers(browser::Inbox::default());
    if let Err(e) = until_stopped(|| {
        println!("API on {API}, front end on {FRONT_END}");
        println!("Open {FRONT_END}/ in a browser; press Ctrl-C to stop.");
    }) {
        eprintln!("cannot wait for Ctrl-C: {e}");
    }
    // Dropping the guards stops both servers and waits for them.
    drop(servers);
    println!("stopped");
}

/// Calls `ready`, then waits for Ctrl-C (SIGINT) or SIGTERM. The handlers are in place before
/// `ready` says to press Ctrl-C, so no signal can come too early (a program started in the
/// background of a script even starts with SIGINT ignored until a handler is set).
fn until_stopped(ready: impl FnOnce()) -> std::io::Result<()> {
    use actix_web::rt::signal::unix::{signal, SignalKind};
    actix_web::rt::System::new().block_on(async {
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        ready();
        let stop =
            futures_util::future::select(Box::pin(interrupt.recv()), Box::pin(terminate.recv()));
        stop.await;
        Ok(())
    })
}
