use actix_cross_origin::cross_origin;

#[cross_origin(origins = ["https://partner.example"])]
async fn feed() -> &'static str {
    "feed"
}

fn main() {}
