//! The server the load and throughput scripts drive:
//! `cargo run --release --example load_server -- <port> [bare|bare-headers|actix-cors]`.
//!
//! Serves the same small API on 127.0.0.1:<port>, wrapped in an App-wide policy and a
//! per-scope one; with `bare`, with no middleware at all; with `actix-cors`, with the same
//! policies in actix-cors, for comparison; with `bare-headers`, with no middleware but a
//! handler that writes the same CORS header fields itself. `GET /__rss` answers its resident memory in kB.
//! With `RECONFIGURE_MS=<n>` in the environment, the App-wide policy changes every n ms.

use actix_cross_origin::{cross_origin, Cors};
use actix_web::{web, App, HttpResponse, HttpServer};

/// With `bare-headers`, the bare App writes the three CORS header fields itself: the cost of
/// the bytes alone, without any middleware.
static WRITE_HEADERS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

async fn items() -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if WRITE_HEADERS.load(std::sync::atomic::Ordering::Relaxed) {
        // Ready-made names and static values: the cheapest way to write these fields.
        use actix_web::http::header::{self, HeaderValue};
        res.insert_header((
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("https://app.example.com"),
        ))
        .insert_header((
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        ))
        .insert_header((header::VARY, HeaderValue::from_static("Origin")));
    }
    res.body("[\"apple\",\"pear\"]")
}

async fn rss() -> HttpResponse {
    // VmRSS from /proc/self/status, in kB; 0 where /proc is missing.
    let kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .unwrap_or_else(|| "0".into());
    HttpResponse::Ok().body(kb)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8090);
    let mode = args.next().unwrap_or_default();
    let bare = mode == "bare" || mode == "bare-headers";
    WRITE_HEADERS.store(mode == "bare-headers", std::sync::atomic::Ordering::Relaxed);
    let workers: usize = std::env::var("WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1);

    let app_wide = Cors::default()
        .origins(["http://127.0.0.1:3000", "https://app.example.com"])
        .supports_credentials(true)
        .allow_headers(["content-type", "x-token"])
        .max_age(600)
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));
    let partner = cross_origin()
        .origins(["https://partner.example"])
        .methods(["GET", "PUT"])
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Ok(ms) = std::env::var("RECONFIGURE_MS") {
        reconfigure_forever(app_wide.clone(), ms.parse().unwrap_or(100));
    }

    // Two separate apps, so that the bare one carries no trace of the middleware at all.
    let server = if mode == "actix-cors" {
        // For comparison: the same policies with actix-cors.
        HttpServer::new(|| {
            let app_wide = actix_cors::Cors::default()
                .allowed_origin("http://127.0.0.1:3000")
                .allowed_origin("https://app.example.com")
                .supports_credentials()
                .allowed_methods(["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"])
                .allowed_headers(["content-type", "x-token"])
                .max_age(600);
            let partner = actix_cors::Cors::default()
                .allowed_origin("https://partner.example")
                .allowed_methods(["GET", "PUT"]);
            routes(App::new(), web::scope("/partner").wrap(partner)).wrap(app_wide)
        })
        .workers(workers)
        .bind(("127.0.0.1", port))?
        .run()
    } else if bare {
        HttpServer::new(|| routes(App::new(), web::scope("/partner")))
            .workers(workers)
            .bind(("127.0.0.1", port))?
            .run()
    } else {
        HttpServer::new(move || {
            routes(App::new(), web::scope("/partner").wrap(partner.clone())).wrap(app_wide.clone())
        })
        .workers(workers)
        .bind(("127.0.0.1", port))?
        .run()
    };
    server.await
}

/// With `RECONFIGURE_MS=<n>`, switches the App-wide policy every n ms between its own options
/// and the same with one more origin, for as long as the server runs (the soak script's
/// reconfiguration mode).
fn reconfigure_forever(cors: Cors, every_ms: u64) {
    let base = cors.options();
    let mut more = base.clone();
    let added = more.add_origin("https://added-at-runtime.example");
    assert_eq!(
        added,
        actix_cross_origin::OriginAdded::Added,
        "the policy lists its origins"
    );
    std::thread::spawn(move || {
        for i in 0u64.. {
            std::thread::sleep(std::time::Duration::from_millis(every_ms));
            let next = if i % 2 == 0 { &more } else { &base };
            cors.reconfigure(next.clone()).expect("valid policies");
        }
    });
}

/// The API: the same routes with or without the policies.
fn routes<T, S, B>(app: App<T>, partner: actix_web::Scope<S>) -> App<T>
where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = actix_web::Error,
        InitError = (),
    >,
    S: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        > + 'static,
    B: actix_web::body::MessageBody + 'static,
{
    app.service(
        partner
            .route("/feed", web::get().to(|| async { "feed" }))
            .route("/feed", web::put().to(|| async { "saved" })),
    )
    .route("/api/items", web::get().to(items))
    .route("/api/items", web::put().to(|| async { "saved" }))
    .route("/__rss", web::get().to(rss))
}
