//! Per-scope and per-path policies: `cargo run --example per_scope`.
//!
//! The App-wide policy admits the web front end; the `/partner` scope has its own policy for a
//! partner's site, and `resources` opens `/public/*` to everyone. The innermost policy decides,
//! for the browser's preflight as much as for the request itself.

use actix_cross_origin::{cross_origin, Cors, ResourceOptions};
use actix_web::{web, App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    let app_wide = Cors::default()
        .origins(["http://localhost:3000"])
        .max_age(600)
        .resources([
            ResourceOptions {
                path: "/public/*".into(),
                origins: Some(vec!["*".into()]),
                ..ResourceOptions::default()
            },
            // Every other path keeps the top-level origins.
            ResourceOptions {
                path: "/*".into(),
                ..ResourceOptions::default()
            },
        ])
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));
    let partner = cross_origin()
        .origins(["https://partner.example"])
        .methods(["GET", "PUT"])
        .supports_credentials(true)
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));

    println!("Per-scope CORS on http://127.0.0.1:8080");
    println!("  /api/*      http://localhost:3000 (App-wide policy)");
    println!("  /public/*   any origin (a resources entry)");
    println!("  /partner/*  https://partner.example, with credentials (the scope's own policy)");
    println!("Try a preflight from the partner, then the same from the front end (refused):");
    println!("  curl -i -X OPTIONS http://127.0.0.1:8080/partner/orders -H 'Origin: https://partner.example' -H 'Access-Control-Request-Method: PUT'");
    println!("  curl -i -X OPTIONS http://127.0.0.1:8080/partner/orders -H 'Origin: http://localhost:3000' -H 'Access-Control-Request-Method: PUT'");

    HttpServer::new(move || {
        App::new()
            .service(
                web::scope("/partner")
                    .wrap(partner.clone())
                    .route("/orders", web::get().to(|| async { "[]" }))
                    .route("/orders", web::put().to(|| async { "saved" })),
            )
            .route("/api/items", web::get().to(|| async { "[]" }))
            .route("/public/status", web::get().to(|| async { "ok" }))
            .wrap(app_wide.clone())
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
