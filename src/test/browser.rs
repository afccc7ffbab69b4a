//! The model's browser: one page's origin, its preflight cache, its cookies and its clock, and
//! the fetch algorithm that ties them together (Fetch §4.1 Main fetch, §4.4 HTTP fetch).

use std::cell::{Cell, RefCell};
use std::time::Duration;

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode, Uri};
use actix_web::web::Bytes;

use super::cache::{Key, PreflightCache};
use super::check::{cors_check, token_list};
use super::console::Engine;
use super::cookies::CookieJar;
use super::fetch::{split_target, Fetch};
use super::outcome::{Exchange, Outcome};
use super::preflight::{self, Asked};
use super::refusal::Refusal;
use super::safelist::{
    is_forbidden_request_field, is_forbidden_response_header, is_safelisted_method,
    is_safelisted_response_header, is_token, normalize_method, unsafe_request_header_names,
};

/// A page in a browser, as far as CORS goes: it runs `fetch()` against an actix service
/// in-process and applies the browser's checks by the Fetch standard. No browser and no
/// network are needed.
///
/// It keeps what a browser keeps between fetches: a preflight cache (on a clock of its own,
/// moved by [`advance`](Browser::advance)) and the cookies answers set with credentials. Use
/// one `Browser` per page origin, as a browser keeps one cache per origin.
///
/// ```
/// use actix_cross_origin::{test::{Browser, Fetch}, Cors};
/// use actix_web::{test, web, App};
///
/// # actix_rt::System::new().block_on(async {
/// let cors = Cors::default()
///     .origins(["https://app.example"])
///     .allow_headers(["x-token"])
///     .supports_credentials(true)
///     .try_build()
///     .unwrap();
/// let app = test::init_service(
///     App::new().wrap(cors).route("/x", web::put().to(|| async { "saved" })),
/// )
/// .await;
///
/// let browser = Browser::new("https://app.example");
/// let outcome = browser
///     .fetch(&app, Fetch::new("PUT", "/x").header("X-Token", "1").credentials(true))
///     .await;
/// assert!(outcome.is_allowed(), "{outcome}");
/// assert!(outcome.preflighted());
///
/// let evil = Browser::new("https://evil.example");
/// let outcome = evil.fetch(&app, Fetch::new("PUT", "/x")).await;
/// assert!(!outcome.is_allowed());
/// assert_eq!(outcome.requests().len(), 1, "only the preflight went");
/// # });
/// ```
#[derive(Debug)]
pub struct Browser {
    origin: String,
    server: String,
    max_age_cap: Duration,
    wildcard_covers_authorization: bool,
    now: Cell<Duration>,
    cache: RefCell<PreflightCache>,
    cookies: RefCell<CookieJar>,
}

impl Browser {
    /// A page on `origin` (a serialized origin, `scheme://host[:port]`, as its `Origin` field
    /// carries it), calling a server on `http://localhost:8080` (what actix's test requests
    /// default to; see [`server`](Browser::server)).
    ///
    /// ```
    /// use actix_cross_origin::test::Browser;
    ///
    /// let browser = Browser::new("https://app.example");
    /// # let _ = browser;
    /// ```
    pub fn new(origin: impl Into<String>) -> Browser {
        let origin: String = origin.into();
        Browser {
            origin: origin.trim_end_matches('/').to_owned(),
            server: "http://localhost:8080".to_owned(),
            max_age_cap: Engine::Chromium.max_age_cap(),
            wildcard_covers_authorization: false,
            now: Cell::new(Duration::ZERO),
            cache: RefCell::new(PreflightCache::default()),
            cookies: RefCell::new(CookieJar::default()),
        }
    }

    /// The origin of the server the service stands for, which paths given to
    /// [`Fetch::new`] are resolved against. A page on the same origin makes same-origin
    /// requests, with no CORS checks.
    ///
    /// ```
    /// use actix_cross_origin::test::Browser;
    ///
    /// let browser = Browser::new("https://app.example").server("https://api.example");
    /// # let _ = browser;
    /// ```
    pub fn server(mut self, origin: impl Into<String>) -> Browser {
        let origin: String = origin.into();
        self.server = origin.trim_end_matches('/').to_owned();
        self
    }

    /// The longest a preflight's answer is cached, whatever its `Access-Control-Max-Age`
    /// says: 7200 s (Chromium's) unless set. The Fetch standard leaves the limit to the
    /// browser; [`Engine::max_age_cap`] gives each engine's.
    ///
    /// ```
    /// use actix_cross_origin::test::{Browser, Engine};
    ///
    /// let browser = Browser::new("https://app.example").max_age_cap(Engine::WebKit.max_age_cap());
    /// # let _ = browser;
    /// ```
    pub fn max_age_cap(mut self, cap: Duration) -> Browser {
        self.max_age_cap = cap;
        self
    }

    /// Reads `Access-Control-Allow-Headers: *` as Chromium, Firefox and WebKit do by default:
    /// it covers `Authorization` too (without credentials). The Fetch standard says it never
    /// does (§4.8 step 7.6, whatwg/fetch#1919), and so does the model unless this is set; an
    /// answer that lists `authorization` by name passes under both readings.
    ///
    /// ```
    /// use actix_cross_origin::test::Browser;
    ///
    /// let as_engines_ship = Browser::new("https://app.example").wildcard_covers_authorization(true);
    /// # let _ = as_engines_ship;
    /// ```
    pub fn wildcard_covers_authorization(mut self, covers: bool) -> Browser {
        self.wildcard_covers_authorization = covers;
        self
    }

    /// Moves this browser's clock on: preflight cache entries older than their max-age are
    /// gone. Nothing sleeps.
    ///
    /// ```
    /// # use actix_cross_origin::test::{Browser, Fetch};
    /// # use actix_web::{test, web, App};
    /// use std::time::Duration;
    /// # actix_rt::System::new().block_on(async {
    /// # let cors = actix_cross_origin::Cors::default().origins(["https://app.example"]).try_build().unwrap();
    /// # let app = test::init_service(App::new().wrap(cors).route("/x", web::put().to(|| async { "ok" }))).await;
    /// let browser = Browser::new("https://app.example");
    /// assert!(browser.fetch(&app, Fetch::new("PUT", "/x")).await.preflighted());
    /// assert!(!browser.fetch(&app, Fetch::new("PUT", "/x")).await.preflighted());
    /// browser.advance(Duration::from_secs(5)); // no Max-Age: cached for 5 s
    /// assert!(browser.fetch(&app, Fetch::new("PUT", "/x")).await.preflighted());
    /// # });
    /// ```
    pub fn advance(&self, by: Duration) {
        self.now.set(self.now.get().saturating_add(by));
    }

    /// Runs `fetch` from this page against `service`, whatever wraps it (this crate's
    /// middleware, another, or handlers writing CORS fields by hand): the preflight when one
    /// is needed and not cached, its checks, the request, and the CORS check of its answer.
    /// `service` is what [`actix_web::test::init_service`] returns; an error it returns is
    /// answered as the server would answer it (`ResponseError::error_response`).
    ///
    /// ```
    /// use actix_cross_origin::test::{Browser, Fetch};
    /// use actix_web::{test, web, App, HttpResponse};
    ///
    /// # actix_rt::System::new().block_on(async {
    /// // CORS fields written by hand: `*` with credentials never works.
    /// let app = test::init_service(App::new().route("/x", web::get().to(|| async {
    ///     HttpResponse::Ok()
    ///         .insert_header(("Access-Control-Allow-Origin", "*"))
    ///         .insert_header(("Access-Control-Allow-Credentials", "true"))
    ///         .body("x")
    /// }))).await;
    /// let browser = Browser::new("https://app.example");
    /// assert!(browser.fetch(&app, Fetch::new("GET", "/x")).await.is_allowed());
    /// assert!(!browser.fetch(&app, Fetch::new("GET", "/x").credentials(true)).await.is_allowed());
    /// # });
    /// ```
    pub async fn fetch<S, B>(&self, service: &S, fetch: Fetch) -> Outcome
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let mut outcome = Outcome {
            origin: self.origin.clone(),
            method: fetch.method.clone(),
            url: fetch.target.clone(),
            credentials: fetch.credentials,
            refusal: None,
            preflighted: false,
            status: None,
            readable: HeaderMap::new(),
            body: Bytes::new(),
            exchanges: Vec::new(),
        };
        let request = match Prepared::new(&fetch, &self.server) {
            Ok(request) => request,
            Err(reason) => {
                outcome.refusal = Some(Refusal::InvalidRequest { reason });
                return outcome;
            }
        };
        outcome.method = request.method.clone();
        outcome.url = request.url();
        if request.server == self.origin {
            self.same_origin(service, &request, &mut outcome).await;
        } else {
            self.cross_origin(service, &request, &mut outcome).await;
        }
        outcome
    }

    /// A same-origin request: no CORS check, every header readable, cookies sent (fetch's
    /// default credentials mode is "same-origin"). `Origin` goes only with methods other than
    /// GET and HEAD (§3.2 "append a request `Origin` header").
    async fn same_origin<S, B>(&self, service: &S, request: &Prepared, outcome: &mut Outcome)
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let with_origin = !matches!(request.method.as_str(), "GET" | "HEAD");
        let answer = self
            .send_request(service, request, with_origin, true, outcome)
            .await;
        outcome.status = Some(answer.status);
        outcome.readable = answer.headers;
        outcome.readable.remove("set-cookie");
        outcome.readable.remove("set-cookie2");
        outcome.body = answer.body;
    }

    /// §4.1 Main fetch for a cross-origin request in "cors" mode: a preflight when the
    /// request is not simple and the cache does not cover it (§4.4 HTTP fetch step 4.1), then
    /// the request and the CORS check of its answer. A failure after a preflight was needed
    /// clears the cache entries for the URL (§4.1 step 12, "clear cache entries").
    async fn cross_origin<S, B>(&self, service: &S, request: &Prepared, outcome: &mut Outcome)
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let credentials = request.credentials;
        let url = request.url();
        let key = Key {
            origin: &self.origin,
            url: &url,
            credentials,
        };
        let unsafe_names = unsafe_request_header_names(&request.headers);
        let safelisted_method = is_safelisted_method(request.method.as_bytes());
        let with_preflight = !safelisted_method || !unsafe_names.is_empty();
        if with_preflight && self.preflight_needed(key, &request.method, &unsafe_names) {
            outcome.preflighted = true;
            if let Err(refusal) = self
                .preflight(service, request, &unsafe_names, outcome)
                .await
            {
                self.cache.borrow_mut().clear(&self.origin, &url);
                outcome.refusal = Some(refusal);
                return;
            }
        }
        // Set-Cookie is processed before the CORS check, for requests with credentials.
        let answer = self
            .send_request(service, request, true, credentials, outcome)
            .await;
        if let Err(cors) = cors_check(&answer.headers, &self.origin, credentials) {
            if with_preflight {
                self.cache.borrow_mut().clear(&self.origin, &url);
            }
            outcome.refusal = Some(Refusal::Response {
                status: answer.status.as_u16(),
                cors,
            });
            return;
        }
        outcome.status = Some(answer.status);
        outcome.readable = readable_headers(&answer.headers, credentials);
        outcome.body = answer.body;
    }

    /// §4.8 CORS-preflight fetch: sends the preflight, checks its answer, and caches what it
    /// allows.
    async fn preflight<S, B>(
        &self,
        service: &S,
        request: &Prepared,
        unsafe_names: &[String],
        outcome: &mut Outcome,
    ) -> Result<(), Refusal>
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let asked = Asked {
            origin: &self.origin,
            method: &request.method,
            headers: &request.headers,
            unsafe_names,
            credentials: request.credentials,
            wildcard_covers_authorization: self.wildcard_covers_authorization,
        };
        let fields = preflight::request_fields(&asked);
        let exchanges = &mut outcome.exchanges;
        let answer = send(service, request, "OPTIONS", fields, true, exchanges).await;
        let status = answer.status.as_u16();
        let grant = preflight::check_answer(status, &answer.headers, &asked, self.max_age_cap)?;
        let url = request.url();
        let key = Key {
            origin: &self.origin,
            url: &url,
            credentials: request.credentials,
        };
        let now = self.now.get();
        let mut cache = self.cache.borrow_mut();
        cache.store(key, &grant.methods, &grant.header_names, grant.max_age, now);
        Ok(())
    }

    /// §4.4 HTTP fetch step 4.1: a method that is not safelisted and not cached, or an unsafe
    /// header name that is not cached.
    fn preflight_needed(&self, key: Key<'_>, method: &str, unsafe_names: &[String]) -> bool {
        let cache = self.cache.borrow();
        let now = self.now.get();
        (!is_safelisted_method(method.as_bytes()) && !cache.has_method(key, method, now))
            || unsafe_names
                .iter()
                .any(|name| !cache.has_header(key, name, now, self.wildcard_covers_authorization))
    }

    /// Sends the request itself (not a preflight): the page's fields, `Origin` when
    /// `with_origin`, and with `cookies` the jar's cookies, whose answer's `Set-Cookie` is then
    /// stored.
    async fn send_request<S, B>(
        &self,
        service: &S,
        request: &Prepared,
        with_origin: bool,
        cookies: bool,
        outcome: &mut Outcome,
    ) -> Answer
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let mut fields = request.headers.clone();
        if with_origin {
            fields.push(("Origin".to_owned(), self.origin.clone()));
        }
        if cookies {
            if let Some(cookie) = self.cookies.borrow().header(&request.server, &self.origin) {
                fields.push(("Cookie".to_owned(), cookie));
            }
        }
        let method = &request.method;
        let answer = send(
            service,
            request,
            method,
            fields,
            false,
            &mut outcome.exchanges,
        )
        .await;
        if cookies {
            let mut jar = self.cookies.borrow_mut();
            jar.store(&request.server, &answer.headers);
        }
        answer
    }
}

/// §2.2.6 CORS filtered response: the CORS-safelisted response-header names, and those the
/// answer exposes (the CORS-exposed header-name list of §4.1 Main fetch: `*` exposes all only
/// without credentials); never `Set-Cookie`.
fn readable_headers(headers: &HeaderMap, credentials: bool) -> HeaderMap {
    let exposed = token_list(headers, "access-control-expose-headers")
        .ok()
        .flatten()
        .unwrap_or_default();
    let all = !credentials && exposed.iter().any(|e| e == "*");
    let mut readable = HeaderMap::new();
    for (name, value) in headers {
        let name_str = name.as_str();
        let allowed = is_safelisted_response_header(name_str)
            || all
            || exposed.iter().any(|e| e.eq_ignore_ascii_case(name_str));
        if allowed && !is_forbidden_response_header(name_str) {
            readable.append(name.clone(), value.clone());
        }
    }
    readable
}

/// A fetch checked as `fetch()` checks it before sending anything.
struct Prepared {
    method: String,
    server: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    credentials: bool,
}

impl Prepared {
    fn new(fetch: &Fetch, server: &str) -> Result<Prepared, String> {
        let method = normalize_method(&fetch.method)
            .map_err(|why| format!("method {:?} {why}", fetch.method))?;
        let (server, path) = split_target(&fetch.target, server)?;
        // Checked here: `TestRequest::uri` would panic on it.
        path.parse::<Uri>()
            .map_err(|_| format!("{path:?} is not a valid URL path"))?;
        let mut headers = Vec::new();
        for (name, value) in &fetch.headers {
            if !is_token(name) {
                return Err(format!("{name:?} is not a valid header name"));
            }
            if value.bytes().any(|b| matches!(b, 0 | b'\r' | b'\n')) {
                return Err(format!("{value:?} is not a valid value for {name}"));
            }
            if !is_forbidden_request_field(name, value) {
                headers.push((name.clone(), value.clone()));
            }
        }
        // A body without a type of the page's gets the type of a string body.
        if fetch.body.is_some()
            && !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            headers.push((
                "Content-Type".to_owned(),
                "text/plain;charset=UTF-8".to_owned(),
            ));
        }
        Ok(Prepared {
            method,
            server,
            path,
            headers,
            body: fetch.body.clone().unwrap_or_default(),
            credentials: fetch.credentials,
        })
    }

    fn url(&self) -> String {
        format!("{}{}", self.server, self.path)
    }
}

/// An answer as the browser received it.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Sends one request to the service and records it with its answer. What the service returns
/// as an error is answered as the server would (`ResponseError::error_response`); a body that
/// fails midway reads as empty.
async fn send<S, B>(
    service: &S,
    request: &Prepared,
    method: &str,
    fields: Vec<(String, String)>,
    preflight: bool,
    exchanges: &mut Vec<Exchange>,
) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut test = actix_web::test::TestRequest::default()
        .method(Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET))
        .uri(&request.path)
        .insert_header(("host", authority(&request.server)));
    for (name, value) in &fields {
        // Checked by `Prepared::new`; a field that still fails to convert is left out.
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            test = test.append_header((n, v));
        }
    }
    if !preflight && !request.body.is_empty() {
        test = test.set_payload(request.body.clone());
    }
    let answer = match service.call(test.to_request()).await {
        Ok(response) => {
            let response = response.into_parts().1;
            let (head, body) = response.into_parts();
            read(head.status(), head.headers().clone(), body).await
        }
        Err(error) => {
            let response = error.error_response();
            let status = response.status();
            let headers = response.headers().clone();
            read(status, headers, response.into_body()).await
        }
    };
    exchanges.push(Exchange {
        method: method.to_owned(),
        url: request.url(),
        request_headers: fields,
        status: answer.status.as_u16(),
        response_headers: answer.headers.clone(),
        preflight,
    });
    answer
}

/// Reads the body whole; a sized body gets the `Content-Length` the server would add.
async fn read<B: MessageBody>(status: StatusCode, mut headers: HeaderMap, body: B) -> Answer {
    if let BodySize::Sized(len) = body.size() {
        if !headers.contains_key("content-length")
            && status != StatusCode::NO_CONTENT
            && !status.is_informational()
        {
            headers.insert(
                HeaderName::from_static("content-length"),
                HeaderValue::from(len),
            );
        }
    }
    let body = actix_web::body::to_bytes(body).await.unwrap_or_default();
    Answer {
        status,
        headers,
        body,
    }
}

/// `host[:port]` of a serialized origin.
fn authority(origin: &str) -> &str {
    origin.split_once("://").map_or(origin, |(_, rest)| rest)
}
