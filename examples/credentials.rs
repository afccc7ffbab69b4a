//! Cookies across origins: `cargo run --example credentials`.
//!
//! The API on http://127.0.0.1:8080 lets pages from the listed origins send credentials.
//! `POST /login` sets a session cookie; `GET /me` reads it. A page calls them with
//! `fetch(url, { credentials: "include" })`. With credentials on, every origin must be
//! listed: `"*"`, a left-out `origins` or a plain-http origin other than loopback is refused at
//! start-up.

use actix_cross_origin::Cors;
use actix_web::{web, App, HttpServer};

#[path = "support/session.rs"]
mod session;
use session::{login, me};

const ADDR: (&str, u16) = ("127.0.0.1", 8080);

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    let cors = Cors::default()
        .origins([
            "http://127.0.0.1:8081",
            "http://localhost:8081",
            "https://app.example.com",
        ])
        .supports_credentials(true)
        .allow_headers(["Content-Type"])
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));

    println!("Credentialed CORS API on http://{}:{}", ADDR.0, ADDR.1);
    println!("  curl -i -X POST http://127.0.0.1:8080/login -H 'Origin: http://127.0.0.1:8081'");
    println!("  curl -i http://127.0.0.1:8080/me -H 'Origin: http://127.0.0.1:8081' -H 'Cookie: session=demo-user'");

    HttpServer::new(move || {
        App::new()
            .wrap(cors.clone())
            .route("/login", web::post().to(login))
            .route("/me", web::get().to(me))
    })
    .bind(ADDR)?
    .run()
    .await
}
