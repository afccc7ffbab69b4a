use actix_cross_origin::cross_origin;
use actix_web::post;

#[cross_origin(
    origins = ["https://app.example.com", "null", "http://intranet.example"],
    supports_credentials = true,
    allow_headers = ["Content-Type", "Cookie"],
    expose_headers = "*",
    max_age = 100000
)]
#[post("/upload")]
async fn upload() -> &'static str {
    "uploaded"
}

fn main() {}
