use actix_cross_origin::cross_origin;
use actix_web::get;

#[cross_origin(origins = "*", supports_credentials = true)]
#[get("/account")]
async fn account() -> &'static str {
    "account"
}

fn main() {}
