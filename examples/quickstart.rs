//! App-wide CORS on an actix API: `cargo run --example quickstart`.
//!
//! Serves http://127.0.0.1:8080 and prints curl commands that show a preflight and an actual
//! request. Set `RUST_LOG=actix_cross_origin=debug` to see why a request is refused.

use actix_cross_origin::Cors;
use actix_web::{web, App, HttpResponse, HttpServer};

const ADDR: (&str, u16) = ("127.0.0.1", 8080);
const FRONT_END: &str = "http://localhost:3000";

async fn list_items() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("X-Total-Count", "2"))
        .json(["apple", "pear"])
}

async fn save_item(body: String) -> HttpResponse {
    HttpResponse::Created().body(body)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    // Build and validate the policy once; a mistake stops the program here, with its fix.
    let cors = Cors::default()
        .origins([FRONT_END])
        .methods(["GET", "POST", "PUT", "DELETE"])
        .allow_headers(["Content-Type", "Authorization"])
        .expose_headers(["X-Total-Count"])
        .max_age(600)
        .try_build()
        .unwrap_or_else(|e| panic!("{e}"));

    let base = format!("http://{}:{}", ADDR.0, ADDR.1);
    println!("CORS demo API on {base}, allowing the front end {FRONT_END}\n");
    println!("A preflight, as the browser sends it before a JSON PUT:");
    println!(
        "  curl -i -X OPTIONS {base}/api/items -H 'Origin: {FRONT_END}' \\\n    -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'"
    );
    println!("An actual request from the allowed origin:");
    println!("  curl -i {base}/api/items -H 'Origin: {FRONT_END}'");
    println!("The same from another origin (no Access-Control-Allow-Origin in the answer):");
    println!("  curl -i {base}/api/items -H 'Origin: https://evil.example'");

    HttpServer::new(move || {
        App::new()
            .wrap(cors.clone())
            .route("/api/items", web::get().to(list_items))
            .route("/api/items", web::put().to(save_item))
            .route("/api/items", web::post().to(save_item))
    })
    .bind(ADDR)?
    .run()
    .await
}
