use actix_cross_origin::cross_origin;
use actix_web::get;

#[cross_origin(origin = "https://partner.example")]
#[get("/feed")]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
