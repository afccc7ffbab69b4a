//! CORS middleware for actix-web 4, in the spirit of flask-cors, secure by default.
//!
//! `App::new().wrap(Cors::default())` is flask-cors's `CORS(app)`; [`cross_origin()`] on a
//! scope or resource is `@cross_origin()`. A fluent builder ([`Cors`]) and plain options with
//! flask-cors's names ([`CorsOptions`], serde-readable with the `serde` feature) configure it.
//!
//! ```
//! use actix_cross_origin::Cors;
//! use actix_web::{test, web, App};
//!
//! # actix_rt::System::new().block_on(async {
//! let cors = Cors::default()
//!     .origins(["https://app.example.com"])
//!     .supports_credentials(true)
//!     .try_build()
//!     .expect("valid CORS policy");
//!
//! let app = test::init_service(
//!     App::new()
//!         .wrap(cors.clone())
//!         .route("/api/items", web::put().to(|| async { "saved" })),
//! )
//! .await;
//!
//! // The browser's preflight is answered by the middleware.
//! let preflight = test::TestRequest::default()
//!     .method(actix_web::http::Method::OPTIONS)
//!     .uri("/api/items")
//!     .insert_header(("Origin", "https://app.example.com"))
//!     .insert_header(("Access-Control-Request-Method", "PUT"))
//!     .to_request();
//! let res = test::call_service(&app, preflight).await;
//! assert_eq!(res.status(), 204);
//! assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
//! assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");
//!
//! // Another origin's preflight is refused: 204 with no CORS header, so the browser stops.
//! let evil = test::TestRequest::default()
//!     .method(actix_web::http::Method::OPTIONS)
//!     .uri("/api/items")
//!     .insert_header(("Origin", "https://evil.example"))
//!     .insert_header(("Access-Control-Request-Method", "PUT"))
//!     .to_request();
//! let res = test::call_service(&app, evil).await;
//! assert_eq!(res.status(), 204);
//! assert!(!res.headers().contains_key("access-control-allow-origin"));
//! # });
//! ```
//!
//! # What it refuses
//!
//! Configurations that would open a hole are a [`ConfigError`] at start-up, listing every
//! problem with its fix: credentials with any origin, `null`, origins a browser never sends
//! (a path, a trailing slash, uppercase, a default port), patterns over public suffixes,
//! regexes with unescaped dots, forbidden methods and headers, plain-http origins with
//! credentials. Origins are matched byte for byte; regexes must match the whole origin.
//! See `docs/security.md`.
//!
//! # How it decides
//!
//! - A request without `Origin` (or with an empty one) is not a CORS request; with
//!   `always_send` it still gets the `Access-Control-Allow-Origin` that does not depend on an
//!   origin: `*` when any origin is allowed without credentials, or the one listed origin.
//! - `OPTIONS` with `Origin` and `Access-Control-Request-Method` is a preflight, answered by
//!   the middleware itself with 204: granted, with the CORS headers; refused for its method or
//!   a header, with the origin's grant and the policy's own lists, so that the browser names
//!   what failed; refused for its origin, without them. The handler never runs for a
//!   preflight, unless `automatic_options` is off: then the route's `OPTIONS` handler answers
//!   it and the same fields are added.
//! - Anything else with `Origin` is an actual request: the handler always runs (CORS is not
//!   authorization), and the response, errors included, gets the CORS headers when the origin
//!   is granted. `Vary: Origin` is added whenever the answer depends on the origin. A handler
//!   that sets `Access-Control-Allow-Origin` itself keeps its answer whole.
//!
//! Every refusal is logged at `debug` level under the target `actix_cross_origin`, with the
//! reason and the request's bytes escaped.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(rust_2018_idioms, missing_debug_implementations)]

mod answer;
mod cors;
mod decision;
mod explain;
mod fast_hash;
mod future;
mod headers;
mod log_lines;
mod methods;
mod middleware;
mod nesting;
mod origin;
mod path;
mod policy;
mod reconfigure;
mod route;
mod source;
mod validate;

pub use crate::cors::{cross_origin, Cors};
pub use crate::route::MethodsOrPreflight;

/// flask-cors's `@cross_origin()` on an actix-web route: written above the route macro
/// (`#[get]`, `#[post]`, `#[put]`, `#[delete]`, `#[patch]`, `#[head]`, `#[route]`), the route
/// answers its own CORS preflights with its own policy, with or without an App-level
/// [`Cors`], and decides its actual requests too. Two routes on one path each answer the
/// preflights for their own methods. The handler never runs for a preflight.
///
/// The arguments are flask-cors's option names (every [`CorsOptions`] field but `resources`)
/// with literal values: a string or a list of strings, `true`/`false`, or a number of seconds.
/// A misplaced attribute, an unknown option or a value of the wrong type is a compile error,
/// and so is a policy that [`Cors::try_build`] would refuse: the options are checked at compile
/// time by the same rules, and each [`ConfigProblem`] is an error at the literal it is about,
/// with its fix, every one at once. Its warnings are logged at start-up.
///
/// ```compile_fail
/// use actix_cross_origin::cross_origin;
/// use actix_web::{get, Responder};
///
/// // error: origins: "https://App.example.com:443/": is not an origin: [...]; fix: write it
/// // in lowercase, without a path and without the default port: "https://app.example.com"
/// #[cross_origin(origins = ["https://App.example.com:443/"])]
/// #[get("/feed")]
/// async fn feed() -> impl Responder { "feed" }
/// ```
///
/// ```
/// use actix_cross_origin::cross_origin;
/// use actix_web::{get, post, test, App, Responder};
///
/// #[cross_origin(origins = ["https://partner.example"], allow_headers = ["x-token"], max_age = 600)]
/// #[get("/partner/feed")]
/// async fn feed() -> impl Responder { "feed" }
///
/// #[cross_origin] // flask-cors's defaults, like @cross_origin()
/// #[post("/upload")]
/// async fn upload() -> impl Responder { "ok" }
///
/// # actix_rt::System::new().block_on(async {
/// let app = test::init_service(App::new().service(feed).service(upload)).await;
/// let preflight = test::TestRequest::default()
///     .method(actix_web::http::Method::OPTIONS)
///     .uri("/partner/feed")
///     .insert_header(("Origin", "https://partner.example"))
///     .insert_header(("Access-Control-Request-Method", "GET"))
///     .insert_header(("Access-Control-Request-Headers", "x-token"))
///     .to_request();
/// let res = test::call_service(&app, preflight).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-max-age").unwrap(), "600");
/// # });
/// ```
#[cfg(feature = "macros")]
pub use actix_cross_origin_macros::cross_origin;

/// What the `#[cross_origin]` attribute's expansion calls; not part of the API.
#[doc(hidden)]
pub mod __private {
    use actix_web::guard::{Guard, GuardContext};
    use actix_web::http::Method;

    use crate::{Cors, CorsOptions};

    /// The policy of one route, named by its handler, methods and path for the start-up error.
    #[track_caller]
    pub fn route_policy(
        mut options: CorsOptions,
        methods_given: bool,
        handler: &str,
        path: &str,
        methods: &[Method],
    ) -> Cors {
        let methods: Vec<&str> = methods.iter().map(Method::as_str).collect();
        if !methods_given {
            // As the attribute checked them at compile time.
            actix_cross_origin_core::route_methods(&mut options, &methods);
        }
        Cors::for_route(
            options,
            format!("handler `{handler}` ({} {path})", methods.join(", ")),
        )
    }

    /// The route's own method guard (without `OPTIONS`, so that a plain `OPTIONS` is answered
    /// by the policy rather than by the handler).
    pub fn methods_guard<const N: usize>(methods: [Method; N]) -> impl Guard {
        move |ctx: &GuardContext<'_>| methods.contains(&ctx.head().method)
    }
}
pub use crate::future::CorsFuture;
pub use crate::middleware::CorsMiddleware;
pub use actix_cross_origin_core::{
    ConfigError, ConfigProblem, CorsOptions, OriginAdded, ProblemKind, ResourceOptions,
};

/// The Fetch standard's tables, shared with the configuration rules.
use actix_cross_origin_core::fetch;

#[cfg(feature = "test-util")]
pub mod test;
