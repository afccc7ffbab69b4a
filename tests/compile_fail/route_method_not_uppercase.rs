use actix_cross_origin::cross_origin;
use actix_web::route;

#[cross_origin(origins = ["https://partner.example"])]
#[route("/feed", method = "get", method = "Brew")]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
