//! A toy cookie session shared by the `credentials` and `demo` examples: `POST /login` sets a
//! cookie, `GET /me` reads it back.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

/// Sets the session cookie.
pub async fn login() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::SET_COOKIE,
            "session=demo-user; Path=/; HttpOnly; SameSite=Lax",
        ))
        .body("logged in")
}

/// Answers with the session cookie's user, or 401 without it.
pub async fn me(req: HttpRequest) -> HttpResponse {
    let session = req
        .headers()
        .get(header::COOKIE)
        .and_then(|c| c.to_str().ok())
        .and_then(|c| {
            c.split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix("session="))
        });
    match session {
        Some(user) => HttpResponse::Ok().body(format!("hello, {user}")),
        None => HttpResponse::Unauthorized().body("no session cookie"),
    }
}
