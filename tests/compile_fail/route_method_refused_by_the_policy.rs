use actix_cross_origin::cross_origin;
use actix_web::trace;

// Without `methods`, the policy allows the route's own methods: TRACE, which no browser may send.
#[cross_origin(origins = "https://partner.example")]
#[trace("/echo")]
async fn echo() -> &'static str {
    "echo"
}

fn main() {}
