use actix_cross_origin::cross_origin;
use actix_web::get;

#[cross_origin(origin_regexes = [r"https://(pr-[0-9]+\.example\.com", r"https://[a-z]+.example.com"])]
#[get("/preview")]
async fn preview() -> &'static str {
    "preview"
}

fn main() {}
