//! A policy on one route, like flask-cors's `@cross_origin()`: `cargo run --example per_route`.
//!
//! `#[cross_origin]` above a route macro gives the route its own policy, which answers the
//! route's preflights itself, under an App-wide policy that differs. Without macros,
//! `MethodsOrPreflight` on a `web::resource` does the same.

use actix_cross_origin::{cross_origin, Cors, MethodsOrPreflight};
use actix_web::http::Method;
use actix_web::{get, put, web, App, HttpResponse, HttpServer, Responder};

/// Only the reporting site may read the reports.
#[cross_origin(origins = ["https://reports.example"], max_age = 600)]
#[get("/reports")]
async fn reports() -> impl Responder {
    HttpResponse::Ok().body("reports")
}

/// ... and only it may replace them, sending its token.
#[cross_origin(origins = ["https://reports.example"], allow_headers = ["x-token"])]
#[put("/reports")]
async fn replace_reports() -> impl Responder {
    HttpResponse::Ok().body("replaced")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    let app_wide = Cors::default()
        .origins(["http://localhost:3000"])
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));

    println!("Per-route CORS on http://127.0.0.1:8080");
    println!("  /reports  https://reports.example (#[cross_origin] on #[get] and #[put])");
    println!("  /orders   https://orders.example (web::resource with MethodsOrPreflight)");
    println!("  /items    http://localhost:3000 (App-wide policy)");
    println!("  curl -i -X OPTIONS http://127.0.0.1:8080/reports -H 'Origin: https://reports.example' -H 'Access-Control-Request-Method: PUT'");

    HttpServer::new(move || {
        App::new()
            .service(reports)
            .service(replace_reports)
            .service(
                web::resource("/orders")
                    .guard(MethodsOrPreflight::new([Method::GET, Method::POST]))
                    .wrap(cross_origin().origins(["https://orders.example"]))
                    .route(web::get().to(|| async { "[]" }))
                    .route(web::post().to(|| async { "created" })),
            )
            .route("/items", web::get().to(|| async { "[]" }))
            .wrap(app_wide.clone())
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
