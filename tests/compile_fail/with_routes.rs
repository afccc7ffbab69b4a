use actix_cross_origin::cross_origin;
use actix_web::routes;

#[cross_origin]
#[routes]
#[get("/a")]
#[post("/b")]
async fn both() -> &'static str {
    "both"
}

fn main() {}
