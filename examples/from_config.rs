//! A CORS policy read from a JSON file: `cargo run --features serde --example from_config`.
//!
//! Reads `examples/cors.json` (or the file named as the first argument) into `CorsOptions`,
//! validates it, and serves http://127.0.0.1:8080. With `--check` it only validates the file
//! and exits: 0 when valid, 1 with every problem and its fix when not.

use actix_cross_origin::{Cors, CorsOptions};
use actix_web::{web, App, HttpServer};

fn load(path: &str) -> Result<Cors, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let options: CorsOptions = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    Cors::from_options(options).map_err(|e| format!("{path}: {e}"))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check_only = args.iter().any(|a| a == "--check");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("examples/cors.json", String::as_str);

    let cors = match load(path) {
        Ok(cors) => cors,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if check_only {
        println!("{path}: valid CORS policy");
        return Ok(());
    }
    println!("Serving http://127.0.0.1:8080 with the CORS policy from {path}");
    HttpServer::new(move || {
        App::new()
            .wrap(cors.clone())
            .route("/api/items", web::get().to(|| async { "[]" }))
            .route("/public/status", web::get().to(|| async { "ok" }))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
