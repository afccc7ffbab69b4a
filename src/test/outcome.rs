//! What the page sees of a fetch, and what went over the wire on the way.

use std::fmt;

use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;

use super::console::{self, Context, Engine};
use super::refusal::Refusal;

/// One request the model's browser sent, and the answer it got.
///
/// ```
/// use actix_cross_origin::test::{Browser, Fetch};
/// use actix_web::{test, web, App};
///
/// # actix_rt::System::new().block_on(async {
/// let app = test::init_service(App::new().route("/x", web::put().to(|| async { "ok" }))).await;
/// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("PUT", "/x")).await;
/// let preflight = &outcome.requests()[0];
/// assert!(preflight.is_preflight());
/// assert_eq!(preflight.method(), "OPTIONS");
/// assert_eq!(preflight.status(), 404); // no CORS on this App: the route has no OPTIONS
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Exchange {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) request_headers: Vec<(String, String)>,
    pub(crate) status: u16,
    pub(crate) response_headers: HeaderMap,
    pub(crate) preflight: bool,
}

impl Exchange {
    /// The request's method.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(outcome.requests()[0].method(), "GET");
    /// # });
    /// ```
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The request's URL: the server's origin and the path.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(outcome.requests()[0].url(), "http://localhost:8080/x");
    /// # });
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The request's header fields as the browser sent them, in order: the page's, then
    /// `Origin` and `Cookie`; a preflight's are `Accept`, `Origin`,
    /// `Access-Control-Request-Method` and `Access-Control-Request-Headers`.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// let origin = outcome.requests()[0].request_headers().iter().find(|(n, _)| n == "Origin");
    /// assert_eq!(origin.map(|(_, v)| v.as_str()), Some("https://app.example"));
    /// # });
    /// ```
    pub fn request_headers(&self) -> &[(String, String)] {
        &self.request_headers
    }

    /// The answer's status.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(outcome.requests()[0].status(), 200); // sent and answered, yet blocked
    /// # });
    /// ```
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every field of the answer, readable or not.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert!(!outcome.requests()[0].response_headers().contains_key("access-control-allow-origin"));
    /// # });
    /// ```
    pub fn response_headers(&self) -> &HeaderMap {
        &self.response_headers
    }

    /// Whether this is a CORS preflight (an `OPTIONS` the browser sent by itself).
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert!(!outcome.requests()[0].is_preflight());
    /// # });
    /// ```
    pub fn is_preflight(&self) -> bool {
        self.preflight
    }
}

/// What a page's `fetch()` gets, by the model of the browser's CORS checks: a readable
/// response, or a rejection with its [`reason`](Outcome::reason). `Display` tells the whole
/// story, every request sent and every answer, for an assertion's message.
///
/// ```
/// use actix_cross_origin::{test::{Browser, Fetch}, Cors};
/// use actix_web::{test, web, App};
///
/// # actix_rt::System::new().block_on(async {
/// let cors = Cors::default().origins(["https://app.example"]).try_build().unwrap();
/// let app = test::init_service(
///     App::new().wrap(cors).route("/x", web::put().to(|| async { "saved" })),
/// )
/// .await;
/// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("PUT", "/x")).await;
/// assert!(outcome.is_allowed(), "{outcome}");
/// assert!(outcome.preflighted());
/// assert_eq!(outcome.text(), "saved");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Outcome {
    pub(crate) origin: String,
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) credentials: bool,
    pub(crate) refusal: Option<Refusal>,
    pub(crate) preflighted: bool,
    pub(crate) status: Option<StatusCode>,
    pub(crate) readable: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) exchanges: Vec<Exchange>,
}

impl Outcome {
    /// Whether the page can read the response: `fetch()` resolves. The status may still be an
    /// error (a readable 404 is allowed).
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert!(!outcome.is_allowed()); // no Access-Control-Allow-Origin
    /// # });
    /// ```
    pub fn is_allowed(&self) -> bool {
        self.refusal.is_none()
    }

    /// Whether a preflight was sent for this fetch; `false` when none was needed or when this
    /// [`Browser`](super::Browser)'s preflight cache answered.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let browser = Browser::new("https://app.example");
    /// assert!(!browser.fetch(&app, Fetch::new("GET", "/x")).await.preflighted());
    /// assert!(browser.fetch(&app, Fetch::new("GET", "/x").header("X-Token", "t")).await.preflighted());
    /// # });
    /// ```
    pub fn preflighted(&self) -> bool {
        self.preflighted
    }

    /// Why the browser refused, `None` when it allowed: the step that failed and the field,
    /// method or header at fault. Its `Display` is a sentence for an assertion's message.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch, Refusal, CorsFailure};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(
    ///     outcome.reason(),
    ///     Some(&Refusal::Response { status: 200, cors: CorsFailure::MissingAllowOrigin })
    /// );
    /// # });
    /// ```
    pub fn reason(&self) -> Option<&Refusal> {
        self.refusal.as_ref()
    }

    /// The line `engine` prints in its console for the refusal (`None` when allowed, or when
    /// `fetch()` throws before sending anything). Chromium's and WebKit's lines are the ones
    /// those engines print; Firefox's follow its message strings.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Engine, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(
    ///     outcome.console(Engine::Chromium).unwrap(),
    ///     "Access to fetch at 'http://localhost:8080/x' from origin 'https://app.example' has been \
    ///      blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the \
    ///      requested resource."
    /// );
    /// # });
    /// ```
    pub fn console(&self, engine: Engine) -> Option<String> {
        let refusal = self.refusal.as_ref()?;
        let cx = Context {
            url: &self.url,
            origin: &self.origin,
        };
        console::line(engine, refusal, &cx)
    }

    /// The response's status as the page reads it; `None` when refused.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(outcome.status(), None);
    /// # });
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// A response header as `response.headers.get(name)` returns it: `None` unless the page
    /// may read it (a CORS-safelisted response-header, or one the answer exposes with
    /// `Access-Control-Expose-Headers`), and every value joined by `, `.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App, HttpResponse};
    /// # actix_rt::System::new().block_on(async {
    /// let app = test::init_service(App::new().route("/x", web::get().to(|| async {
    ///     HttpResponse::Ok()
    ///         .insert_header(("Access-Control-Allow-Origin", "*"))
    ///         .insert_header(("Access-Control-Expose-Headers", "X-Total"))
    ///         .insert_header(("X-Total", "3"))
    ///         .insert_header(("X-Secret", "s"))
    ///         .body("[]")
    /// }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(outcome.header("x-total").as_deref(), Some("3"));
    /// assert_eq!(outcome.header("X-Secret"), None);
    /// # });
    /// ```
    pub fn header(&self, name: &str) -> Option<String> {
        super::check::get(&self.readable, name).map(|v| super::check::text(&v))
    }

    /// Every response header the page may read (empty when refused).
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert!(outcome.headers().is_empty());
    /// # });
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.readable
    }

    /// The response's body as the page reads it (empty when refused).
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert!(outcome.body().is_empty());
    /// # });
    /// ```
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as `response.text()` reads it: UTF-8, with any invalid bytes replaced.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("GET", "/x")).await;
    /// assert_eq!(outcome.text(), "");
    /// # });
    /// ```
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Every request the browser sent for this fetch, in order: the preflight if one went,
    /// then the request itself if it went.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// # actix_rt::System::new().block_on(async {
    /// # let app = test::init_service(App::new().route("/x", web::get().to(|| async { "ok" }))).await;
    /// let outcome = Browser::new("https://app.example").fetch(&app, Fetch::new("DELETE", "/x")).await;
    /// // The preflight failed, so the DELETE was never sent.
    /// assert_eq!(outcome.requests().len(), 1);
    /// # });
    /// ```
    pub fn requests(&self) -> &[Exchange] {
        &self.exchanges
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = if self.credentials {
            " with credentials"
        } else {
            ""
        };
        write!(
            f,
            "{} {} from {}{credentials}: ",
            self.method, self.url, self.origin
        )?;
        match (&self.refusal, self.status) {
            (Some(refusal), _) => write!(f, "blocked: {refusal}")?,
            (None, Some(status)) => write!(f, "allowed, {status}")?,
            (None, None) => f.write_str("allowed")?,
        }
        if self.preflighted {
            f.write_str(" (after a preflight)")?;
        }
        for exchange in &self.exchanges {
            write!(f, "\n  > {} {}", exchange.method, exchange.url)?;
            for (name, value) in &exchange.request_headers {
                write!(f, "\n  >   {name}: {value}")?;
            }
            write!(f, "\n  < {}", exchange.status)?;
            for (name, value) in &exchange.response_headers {
                write!(
                    f,
                    "\n  <   {name}: {}",
                    String::from_utf8_lossy(value.as_bytes())
                )?;
            }
        }
        Ok(())
    }
}
