use actix_cross_origin::cross_origin;
use actix_web::route;

#[cross_origin(origins = ["https://partner.example"], methods = ["GET", "TRACE"])]
#[route("/feed", method = "GET", method = "POST")]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
