use actix_cross_origin::cross_origin;
use actix_web::get;

#[cross_origin(max_age = "ten minutes", supports_credentials = "yes")]
#[get("/feed")]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
