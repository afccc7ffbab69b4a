use actix_cross_origin::cross_origin;
use actix_web::get;

#[get("/feed")]
#[cross_origin]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
