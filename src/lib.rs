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
//! // Another origin's preflight is refused with 403 and no CORS headers.
//! let evil = test::TestRequest::default()
//!     .method(actix_web::http::Method::OPTIONS)
//!     .uri("/api/items")
//!     .insert_header(("Origin", "https://evil.example"))
//!     .insert_header(("Access-Control-Request-Method", "PUT"))
//!     .to_request();
//! let res = test::call_service(&app, evil).await;
//! assert_eq!(res.status(), 403);
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
//!   the middleware itself: 204 with the CORS headers, or 403 without them. The handler never
//!   runs for a preflight, unless `automatic_options` is off: then the route's `OPTIONS`
//!   handler answers it and a granted preflight's fields are added.
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
mod error;
mod fast_hash;
mod fetch;
mod future;
mod headers;
mod log_lines;
mod methods;
mod middleware;
mod nesting;
mod options;
mod origin;
mod policy;
mod problems;
mod regex_lint;
mod validate;

pub use crate::cors::{cross_origin, Cors};
pub use crate::error::{ConfigError, ConfigProblem, ProblemKind};
pub use crate::future::CorsFuture;
pub use crate::middleware::CorsMiddleware;
pub use crate::options::{CorsOptions, ResourceOptions};
