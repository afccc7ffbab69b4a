//! A CORS allow-list that changes without a restart: `cargo run --features serde --example reload`.
//!
//! The policy lives in a JSON file, read as `CorsOptions` (the store; `--store PATH`, or
//! `reload-cors.json` in the system's temporary directory). A background task reloads it when
//! the file changes and puts it in force with `Cors::reconfigure`; an invalid file is refused
//! and the policy in force stays. `POST /admin/origins` with an origin as its body (from
//! curl: browsers are refused) adds that origin to the file.
//!
//! `cargo run --features serde --example reload -- --check` runs a page from
//! http://127.0.0.1:8091 in headless Chromium (`--browser firefox|webkit|all` for another engine
//! or all three): its call to the API is refused, the origin is added through the admin route,
//! and the same call is then allowed, without a restart.

#[path = "support/browser.rs"]
mod browser;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use actix_cross_origin::{Cors, CorsOptions};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

const API: &str = "127.0.0.1:8090";
const FRONT_END: &str = "http://127.0.0.1:8091";

fn read_store(path: &Path) -> Result<CorsOptions, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Adds `origin` to the store's `origins`, writing a new file in place of the old one.
fn add_to_store(path: &Path, origin: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut store: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let origins = store["origins"]
        .as_array_mut()
        .ok_or("the store has no origins list")?;
    if !origins.iter().any(|o| o == origin) {
        origins.push(origin.into());
    }
    let fresh = path.with_extension("json.new");
    std::fs::write(&fresh, store.to_string()).map_err(|e| e.to_string())?;
    std::fs::rename(&fresh, path).map_err(|e| e.to_string())
}

/// Reloads the policy whenever the store's file changes (checked every 200 ms).
fn watch_store(cors: Cors, path: PathBuf) {
    actix_web::rt::spawn(async move {
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let mut seen: Option<SystemTime> = modified(&path);
        let mut tick = actix_web::rt::time::interval(Duration::from_millis(200));
        loop {
            tick.tick().await;
            let now = modified(&path);
            if now == seen {
                continue;
            }
            seen = now;
            match read_store(&path) {
                // Validated fully; a refused policy is logged and the one in force stays.
                Ok(options) => drop(cors.reconfigure(options)),
                Err(e) => log::error!("the store cannot be read, the policy in force stays: {e}"),
            }
        }
    });
}

/// `POST /admin/origins`: adds the body's origin to the store. Requests from browser pages
/// (with an `Origin`) are refused: this is for operators, not for sites.
async fn add_origin(req: HttpRequest, body: String, store: web::Data<PathBuf>) -> HttpResponse {
    if req.headers().contains_key("origin") {
        return HttpResponse::Forbidden().body("the admin route is not for browser pages");
    }
    let origin = body.trim();
    match add_to_store(&store, origin) {
        Ok(()) => {
            HttpResponse::Accepted().body(format!("{origin} added; in force within a moment\n"))
        }
        Err(e) => HttpResponse::InternalServerError().body(e),
    }
}

fn start_api(cors: Cors, store: PathBuf) -> browser::ServerGuard {
    browser::ServerGuard::start(move || {
        watch_store(cors.clone(), store.clone());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(cors.clone())
                .app_data(web::Data::new(store.clone()))
                .route("/api/data", web::get().to(|| async { "data" }))
                .route("/admin/origins", web::post().to(add_origin))
        })
        .workers(2)
        .bind(API)?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    })
}

fn start_front_end(inbox: browser::Inbox) -> browser::ServerGuard {
    let page = format!(
        "<!doctype html><html><body><script>{}\nrunCases([{{name: 'data', url: 'http://{API}/api/data'}}]).then(postResults);</script></body></html>",
        browser::RUNNER_JS
    );
    browser::ServerGuard::start(move || {
        let server = HttpServer::new(move || {
            let page = page.clone();
            App::new().configure(|c| inbox.mount(c)).route(
                "/",
                web::get().to(move || {
                    let page = page.clone();
                    async move { HttpResponse::Ok().content_type("text/html").body(page) }
                }),
            )
        })
        .workers(1)
        .bind(FRONT_END.trim_start_matches("http://"))?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    })
}

/// Sends `POST /admin/origins` as an operator would (curl, no Origin).
fn admin_add(origin: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(API).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "POST /admin/origins HTTP/1.1\r\nHost: {API}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{origin}",
        origin.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    Ok(answer.lines().next().unwrap_or_default().to_owned())
}

/// Whether the page could read the API's answer in `engine`.
fn page_reads(
    engine: browser::Engine,
    binary: &Path,
    inbox: &browser::Inbox,
) -> Result<bool, String> {
    let url = format!("{FRONT_END}/");
    let timeout = Duration::from_secs(60);
    let run = browser::open_page(engine, binary, &url, inbox, timeout, Default::default())?;
    let data = &run.results["data"];
    Ok(data["ok"] == true && data["body"] == "data")
}

/// Refused, added through the admin route, then allowed: in each engine asked for, each from a
/// fresh store.
fn check(store: PathBuf, args: &[String]) -> Result<(), String> {
    let engines = browser::engines_from_args(args)?;
    let inbox = browser::Inbox::default();
    let _front = start_front_end(inbox.clone());
    for (engine, binary) in engines {
        println!("== {}", engine.name());
        check_in(engine, &binary, &inbox, &store)?;
    }
    Ok(())
}

fn check_in(
    engine: browser::Engine,
    binary: &Path,
    inbox: &browser::Inbox,
    store: &Path,
) -> Result<(), String> {
    std::fs::write(
        store,
        r#"{"origins": ["https://app.example.com"], "max_age": 0}"#,
    )
    .map_err(|e| e.to_string())?;
    let cors = Cors::from_options(read_store(store)?).map_err(|e| e.to_string())?;
    let _api = start_api(cors.clone(), store.to_owned());

    let step = |ok: bool, what: &str| {
        println!("{} {what}", if ok { "ok  " } else { "FAIL" });
        if ok {
            Ok(())
        } else {
            Err(format!("failed in {}: {what}", engine.name()))
        }
    };
    step(
        !page_reads(engine, binary, inbox)?,
        "the page's origin is refused before it is added",
    )?;
    let status = admin_add(FRONT_END)?;
    step(
        status.contains("202"),
        &format!("the admin route adds it ({status})"),
    )?;
    // Bounded wait for the store's watcher to put the new policy in force.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !cors
        .options()
        .origins
        .unwrap_or_default()
        .iter()
        .any(|o| o == FRONT_END)
    {
        if Instant::now() > deadline {
            return Err("the new origin was not in force within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    step(
        page_reads(engine, binary, inbox)?,
        "the same call is allowed, without a restart",
    )
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().collect();
    let store = args
        .iter()
        .position(|a| a == "--store")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("reload-cors.json"));
    if args.iter().any(|a| a == "--check") {
        if let Err(e) = check(store, &args) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    if !store.exists() {
        let first = r#"{"origins": ["http://localhost:3000"]}"#;
        std::fs::write(&store, first).unwrap_or_else(|e| panic!("{}: {e}", store.display()));
    }
    let cors = read_store(&store)
        .and_then(|o| Cors::from_options(o).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    let _api = start_api(cors, store.clone());
    println!("API on http://{API}, policy from {}", store.display());
    println!("  add an origin:  curl -X POST http://{API}/admin/origins -d https://new.example");
    println!(
        "  or edit {} ; the change is in force within 200 ms",
        store.display()
    );
    loop {
        std::thread::park();
    }
}
