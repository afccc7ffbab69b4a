use actix_cross_origin::cross_origin;
use actix_web::get;

#[cross_origin(origins = ["https://partner.example", "https://App.example.com:443/"])]
#[get("/feed")]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
