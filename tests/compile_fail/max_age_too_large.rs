use actix_cross_origin::cross_origin;
use actix_web::get;

#[cross_origin(origins = "https://partner.example", max_age = 86_401)]
#[get("/feed")]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
