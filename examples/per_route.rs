//! A policy on one route, like flask-cors's `@cross_origin()`: `cargo run --example per_route`.
//!
//! A route policy answers its own preflights only if OPTIONS reaches it. `#[route]` with
//! `method = "OPTIONS"` among its methods, or `web::resource(..).wrap(..)`, does that;
//! `#[get(wrap = ..)]` does not (its method guard hides OPTIONS), so prefer the forms below.

use actix_cross_origin::{cross_origin, Cors};
use actix_web::{route, web, App, HttpResponse, HttpServer};

/// The route's policy: only the reporting site may call it, with PUT.
#[route(
    "/reports",
    method = "GET",
    method = "PUT",
    method = "OPTIONS",
    wrap = "cross_origin().origins([\"https://reports.example\"]).methods([\"GET\", \"PUT\"])"
)]
async fn reports() -> HttpResponse {
    HttpResponse::Ok().body("reports")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    let app_wide = Cors::default()
        .origins(["http://localhost:3000"])
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));

    println!("Per-route CORS on http://127.0.0.1:8080");
    println!("  /reports  https://reports.example (the route's own policy, #[route] with OPTIONS)");
    println!("  /orders   https://orders.example (web::resource(..).wrap(cross_origin()))");
    println!("  /items    http://localhost:3000 (App-wide policy)");
    println!("  curl -i -X OPTIONS http://127.0.0.1:8080/reports -H 'Origin: https://reports.example' -H 'Access-Control-Request-Method: PUT'");

    HttpServer::new(move || {
        App::new()
            .service(reports)
            .service(
                web::resource("/orders")
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
