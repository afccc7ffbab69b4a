//! Browser verdicts in your own tests: a model of the browser's CORS checks, run against any
//! actix service in-process, so that `cargo test` answers "would the browser allow this?"
//! without a browser.
//!
//! [`Browser`] is a page on one origin; [`Browser::fetch`] runs a [`Fetch`] against what
//! [`actix_web::test::init_service`] returns, with this crate's middleware, another CORS
//! middleware, or CORS fields written by hand. The [`Outcome`] says whether the page can read
//! the answer, whether a preflight went, and if refused, [why](Outcome::reason) and what each
//! engine's [console](Outcome::console) prints.
//!
//! ```
//! use actix_cross_origin::test::{Browser, Engine, Fetch};
//! use actix_cross_origin::Cors;
//! use actix_web::{test, web, App};
//!
//! # actix_rt::System::new().block_on(async {
//! let cors = Cors::default()
//!     .origins(["https://app.example"])
//!     .methods(["GET", "PUT"])
//!     .allow_headers(["x-token"])
//!     .supports_credentials(true)
//!     .try_build()
//!     .unwrap();
//! let app = test::init_service(
//!     App::new().wrap(cors).route("/x", web::put().to(|| async { "saved" })),
//! )
//! .await;
//!
//! let browser = Browser::new("https://app.example");
//! let outcome = browser
//!     .fetch(&app, Fetch::new("PUT", "/x").header("X-Token", "1").credentials(true))
//!     .await;
//! assert!(outcome.is_allowed(), "{outcome}");
//! assert!(outcome.preflighted());
//! assert_eq!(outcome.text(), "saved");
//!
//! // A header the policy does not list: the preflight fails, and the PUT is never sent.
//! let outcome = browser.fetch(&app, Fetch::new("PUT", "/x").header("X-Debug", "1")).await;
//! assert!(!outcome.is_allowed());
//! assert_eq!(
//!     outcome.reason().unwrap().to_string(),
//!     "request header X-Debug is not allowed by the preflight's Access-Control-Allow-Headers"
//! );
//! assert!(outcome.console(Engine::Chromium).unwrap().ends_with(
//!     "Request header field x-debug is not allowed by Access-Control-Allow-Headers in preflight response."
//! ));
//! # });
//! ```
//!
//! # What the model does
//!
//! It follows the Fetch standard (<https://fetch.spec.whatwg.org/>):
//!
//! 1. Whether a preflight is needed (§4.1 Main fetch, §4.4 HTTP fetch): a method other than
//!    GET, HEAD and POST, or a CORS-unsafe request header (§2.2.2: any header but `Accept`,
//!    `Accept-Language`, `Content-Language`, `Content-Type` with a form's three types, and a
//!    simple `Range`, each within 128 bytes and free of unsafe bytes, and 1024 bytes in all),
//!    unless this browser's preflight cache covers it.
//! 2. The preflight (§4.8): `OPTIONS` with `Origin`, `Access-Control-Request-Method` and
//!    `Access-Control-Request-Headers` (lowercased, sorted, joined by `,`), no cookies. It
//!    passes with an ok status (200 to 299), the CORS check, and the method and every unsafe
//!    header allowed; `*` is a wildcard only without credentials, and never covers
//!    `Authorization`. A passing preflight fills the cache (§4.9) for its
//!    `Access-Control-Max-Age`, 5 s without one, at most the cap (7200 s unless
//!    [`Browser::max_age_cap`] says otherwise).
//! 3. The request, and the CORS check of its answer (§4.10): exactly one
//!    `Access-Control-Allow-Origin`, byte-equal to the origin or `*` without credentials, and
//!    `Access-Control-Allow-Credentials: true` with credentials. The page reads the
//!    CORS-safelisted response headers and the exposed ones (§2.2.6 CORS filtered response;
//!    `*` only without credentials).
//!
//! # Where the engines differ
//!
//! - `Access-Control-Allow-Headers: *` lets `Authorization` through in Chromium, Firefox and
//!   WebKit by default, against the standard (whatwg/fetch#1919); the model refuses it, says
//!   so in the reason ([`Refusal::engines_allow_by_default`]), and reads `*` as the engines do
//!   with [`Browser::wildcard_covers_authorization`].
//! - The preflight cache's cap is 7200 s in Chromium, 86400 s in Firefox and 600 s in WebKit
//!   ([`Engine::max_age_cap`]).
//! - Chromium reports a failing preflight's CORS fields before its status; WebKit and Firefox
//!   report the status first. [`Outcome::console`] words each engine's line.
//!
//! # Not modelled
//!
//! Redirects are not followed (a 3xx answer is the outcome); no-cors and same-origin modes,
//! Private Network Access and the HTTP cache are left out. The cookie jar keeps name and
//! value by host, sends cookies back to their host, and cross-site only with `SameSite=None`.
//!
//! The project's browser suite runs every one of its cases through this model and through
//! Chromium, Firefox and WebKit, and fails on any disagreement. The guide,
//! `docs/testing-your-policy.md`, has a complete test.

/// The guide's complete example (`docs/testing-your-policy.md`), compiled with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/testing-your-policy.md")]
struct TestingYourPolicyGuide;

mod browser;
mod cache;
mod check;
mod console;
mod cookies;
mod fetch;
mod outcome;
mod preflight;
mod refusal;
mod safelist;

pub use browser::Browser;
pub use console::Engine;
pub use fetch::Fetch;
pub use outcome::{Exchange, Outcome};
pub use refusal::{CorsFailure, Refusal};
