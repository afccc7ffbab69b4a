//! [`Cors`]: the fluent builder users write, validated once into a shared compiled policy.

use std::fmt;
use std::sync::{Arc, OnceLock};

use actix_web::dev::RequestHead;

use actix_cross_origin_core::{ConfigError, CorsOptions, ResourceOptions};

use crate::log_lines;
use crate::origin::OriginPredicate;
use crate::policy::CompiledCors;
use crate::reconfigure::{self, Live, Snapshot};
use crate::source::PolicySource;
use crate::validate;

/// The CORS middleware and its builder; the counterpart of flask-cors's `CORS(app)`.
///
/// `Cors::default()` behaves like `CORS(app)` with no options: any origin is allowed (echoed
/// back, with `Vary: Origin`), with the default methods and any request header, and without
/// credentials. Each builder method is named after the [`CorsOptions`] field it sets.
///
/// Building never panics. Call [`try_build`](Cors::try_build) in `main` to get every
/// configuration problem as a [`ConfigError`]; a `Cors` that was never validated is validated
/// when actix starts it, and an invalid one then logs the error and stops the server from
/// starting.
///
/// `Cors` is `Clone + Send + Sync`; clones share one compiled policy, so build it once and clone
/// it into the `HttpServer::new` closure.
///
/// ```no_run
/// use actix_cross_origin::Cors;
/// use actix_web::{web, App, HttpServer};
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     let cors = Cors::default()
///         .origins(["https://app.example.com"])
///         .supports_credentials(true)
///         .max_age(600)
///         .try_build()
///         .expect("valid CORS policy");
///
///     HttpServer::new(move || {
///         App::new()
///             .wrap(cors.clone())
///             .route("/api/items", web::get().to(|| async { "[]" }))
///     })
///     .bind(("127.0.0.1", 8080))?
///     .run()
///     .await
/// }
/// ```
#[derive(Clone)]
pub struct Cors {
    state: Arc<BuilderState>,
}

/// What a `Cors` holds: the options, the predicate, and the policies they compile to, once.
#[derive(Clone)]
struct BuilderState {
    options: CorsOptions,
    predicate: Option<OriginPredicate>,
    /// The policies in force, validated once and shared by every clone; changed by
    /// [`Cors::reconfigure`].
    compiled: OnceLock<Result<Arc<Live>, ConfigError>>,
    /// Where the policy was written, for its start-up error and refusal lines.
    source: PolicySource,
}

/// The flask `@cross_origin()` counterpart: a [`Cors`] meant for a scope, a resource or a
/// route, with the same options. On a single route, the attribute of the same name
/// (`#[cross_origin(...)]` above `#[get(...)]`) does the same and answers the route's
/// preflights.
///
/// ```
/// use actix_cross_origin::cross_origin;
/// use actix_web::{web, App};
///
/// let app = App::new().service(
///     web::scope("/partner")
///         .wrap(cross_origin().origins(["https://partner.example.com"]))
///         .route("/feed", web::get().to(|| async { "feed" })),
/// );
/// # drop(app);
/// ```
#[track_caller]
pub fn cross_origin() -> Cors {
    Cors::default()
}

impl Default for Cors {
    #[track_caller]
    fn default() -> Self {
        Cors::new(CorsOptions::default(), None)
    }
}

impl fmt::Debug for Cors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cors")
            .field("options", &self.options())
            .field("allow_origin_fn", &self.state.predicate.is_some())
            .finish()
    }
}

/// Builder methods that each set one boolean option of the same name.
macro_rules! flags {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(self, on: bool) -> Self {
                self.edit(|o| o.$name = on)
            }
        )*
    };
}

/// Builder methods that each set one list option of the same name.
macro_rules! lists {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<I, S>(self, list: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                let list = list.into_iter().map(Into::into).collect();
                self.edit(|o| o.$name = list)
            }
        )*
    };
}

/// The argument a builder method of each kind of option takes.
macro_rules! builder_argument {
    (flag) => {
        true
    };
    (list) => {
        [""; 0]
    };
    (optional_list) => {
        [""; 0]
    };
    (seconds) => {
        0
    };
}

/// Every option of the declaration has a builder method of its own name, written below with
/// its example: one without is a compile error here.
macro_rules! every_option_has_a_builder_method {
    ($($(#[$doc:meta])* $name:ident: $kind:ident = $default:expr;)*) => {
        #[allow(dead_code)]
        fn every_option_has_a_builder_method(cors: &Cors) {
            $(let _: Cors = cors.clone().$name(builder_argument!($kind));)*
        }
    };
}

actix_cross_origin_core::for_each_option!(every_option_has_a_builder_method);

impl Cors {
    /// Records where it was started: the caller of the public function that called this.
    #[track_caller]
    fn new(options: CorsOptions, predicate: Option<OriginPredicate>) -> Self {
        Cors {
            state: Arc::new(BuilderState {
                options,
                predicate,
                compiled: OnceLock::new(),
                source: PolicySource::here(),
            }),
        }
    }

    /// Builds the middleware from plain options, validating them at once.
    ///
    /// ```
    /// use actix_cross_origin::{Cors, CorsOptions};
    ///
    /// let ok = Cors::from_options(CorsOptions {
    ///     origins: Some(vec!["https://app.example.com".into()]),
    ///     ..CorsOptions::default()
    /// });
    /// assert!(ok.is_ok());
    ///
    /// let bad = Cors::from_options(CorsOptions {
    ///     supports_credentials: true,
    ///     ..CorsOptions::default()
    /// });
    /// assert!(bad.is_err());
    /// ```
    #[track_caller]
    pub fn from_options(options: CorsOptions) -> Result<Cors, ConfigError> {
        Cors::new(options, None).try_build()
    }

    /// Validates the configuration once and returns the middleware, or every problem found.
    ///
    /// Warnings about risky but valid settings are logged (`log::warn!`) at this point.
    ///
    /// ```
    /// use actix_cross_origin::Cors;
    ///
    /// let err = Cors::default()
    ///     .origins(["https://app.example.com/", "null"])
    ///     .try_build()
    ///     .unwrap_err();
    /// assert_eq!(err.problems().len(), 2);
    /// ```
    pub fn try_build(self) -> Result<Cors, ConfigError> {
        match self.live() {
            Ok(_) => Ok(self),
            Err(e) => Err(e.clone()),
        }
    }

    /// The options now in force: the ones it was built from, or the last ones
    /// [`reconfigure`](Cors::reconfigure) accepted. `cors.reconfigure(cors.options())` changes
    /// nothing.
    ///
    /// ```
    /// use actix_cross_origin::Cors;
    ///
    /// let cors = Cors::default().max_age(600);
    /// assert_eq!(cors.options().max_age, Some(600));
    /// ```
    pub fn options(&self) -> CorsOptions {
        match self.state.compiled.get() {
            Some(Ok(live)) => live.snapshot().options.clone(),
            _ => self.state.options.clone(),
        }
    }

    /// Changes the policy while the server runs: validates `options` fully, and on success
    /// every clone of this `Cors`, on every worker, decides the requests that start after the
    /// call by the new policy; requests already in flight finish under the one they started
    /// with. On error nothing changes. A `Cors` built with
    /// [`allow_origin_fn`](Cors::allow_origin_fn) keeps its predicate; `resources` are replaced
    /// with the rest.
    ///
    /// Each worker takes the new policy at its next request; no request takes a lock or
    /// allocates but that first one. Each change logs one `info` line (which options changed,
    /// with counts, never the origins themselves); a refused one logs its [`ConfigError`].
    ///
    /// ```
    /// use actix_cross_origin::Cors;
    /// use actix_web::{test, web, App};
    ///
    /// # actix_rt::System::new().block_on(async {
    /// let cors = Cors::default().origins(["https://a.example"]).try_build().unwrap();
    /// let app = test::init_service(App::new().wrap(cors.clone()).route("/", web::get().to(|| async { "ok" }))).await;
    /// let from_b = || test::TestRequest::get().uri("/").insert_header(("Origin", "https://b.example")).to_request();
    /// let res = test::call_service(&app, from_b()).await;
    /// assert!(res.headers().get("access-control-allow-origin").is_none());
    ///
    /// let mut options = cors.options();
    /// assert_eq!(options.add_origin("https://b.example"), actix_cross_origin::OriginAdded::Added);
    /// cors.reconfigure(options).unwrap();
    /// let res = test::call_service(&app, from_b()).await;
    /// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://b.example");
    ///
    /// let mut bad = cors.options();
    /// bad.supports_credentials = true;
    /// bad.origins = None;
    /// assert!(cors.reconfigure(bad).is_err());
    /// assert_eq!(cors.options().origins.unwrap().len(), 2, "nothing changed");
    /// # });
    /// ```
    pub fn reconfigure(&self, options: CorsOptions) -> Result<(), ConfigError> {
        let live = self.live().as_ref().map_err(Clone::clone)?;
        let snapshot = match self.validate(&options) {
            Ok(policies) => Arc::new(Snapshot { options, policies }),
            Err(e) => {
                log_lines::reconfiguration_refused(&e);
                return Err(e);
            }
        };
        // Against the options this very change replaced, so that two changes at once each
        // log their own difference.
        let (replaced, generation) = live.replace(Arc::clone(&snapshot));
        let changes = reconfigure::changes(&replaced.options, &snapshot.options);
        log_lines::reconfigured(generation, &changes);
        Ok(())
    }

    /// A route attribute's policy, whose start-up error and refusal lines name its handler.
    #[track_caller]
    pub(crate) fn for_route(options: CorsOptions, route: String) -> Cors {
        let mut cors = Cors::new(options, None);
        Arc::make_mut(&mut cors.state).source.route = Some(route.into());
        cors
    }

    /// Where the policy was written.
    pub(crate) fn source(&self) -> &PolicySource {
        &self.state.source
    }

    /// Reports an invalid policy that actix is starting.
    pub(crate) fn report_invalid(&self, e: &ConfigError) {
        log_lines::invalid_policy(e, self.source());
    }

    /// The policies in force: validated once (shared by all clones), with the start-up
    /// warnings logged then.
    pub(crate) fn live(&self) -> &Result<Arc<Live>, ConfigError> {
        self.state.compiled.get_or_init(|| {
            let options = self.state.options.clone();
            let policies = self.validate(&options)?;
            Ok(Arc::new(Live::new(Snapshot { options, policies })))
        })
    }

    /// Validates `options` with this `Cors`'s predicate, logging the warnings.
    fn validate(&self, options: &CorsOptions) -> Result<CompiledCors, ConfigError> {
        let validated = validate::compile(options, self.state.predicate.as_ref())?;
        for warning in &validated.warnings {
            log_lines::warning(warning);
        }
        Ok(validated.cors)
    }

    /// Changes the options (starting from those in force); a changed `Cors` is a new policy,
    /// validated anew and no longer changed with the clones it came from.
    fn edit(mut self, change: impl FnOnce(&mut CorsOptions)) -> Self {
        let options = self.options();
        let state = Arc::make_mut(&mut self.state);
        state.options = options;
        state.compiled = OnceLock::new();
        change(&mut state.options);
        self
    }

    /// Sets the allowed origins (flask-cors `origins`): exact origins, `"*"`, or patterns
    /// `https://*.example.com` and `http://localhost:*`.
    ///
    /// ```
    /// use actix_cross_origin::Cors;
    ///
    /// let cors = Cors::default()
    ///     .origins(["https://app.example.com", "https://*.preview.example.com", "http://localhost:*"])
    ///     .try_build()
    ///     .unwrap();
    /// # drop(cors);
    /// ```
    pub fn origins<I, S>(self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = origins.into_iter().map(Into::into).collect();
        self.edit(|o| o.origins = Some(list))
    }

    lists! {
        /// Sets regexes matched against the whole origin (flask-cors regex `origins`, but anchored).
        /// Regexes that admit look-alike hosts (`.*example\.com`, an unescaped `.`, a wildcard over
        /// a public suffix, one matching `*`) are refused with their fix.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default()
        ///     .origin_regexes([r"https://pr-[0-9]+\.preview\.example\.com"])
        ///     .try_build()
        ///     .unwrap();
        /// # drop(cors);
        /// assert!(Cors::default().origin_regexes([r"https://app.example.com"]).try_build().is_err());
        /// ```
        origin_regexes;

        /// Sets the methods a preflight may ask for (flask-cors `methods`); `"*"` allows any.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default().methods(["GET", "PUT"]).try_build().unwrap();
        /// # drop(cors);
        /// ```
        methods;

        /// Sets the request headers a preflight may ask for (flask-cors `allow_headers`),
        /// case-insensitive; `"*"` allows any.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default().allow_headers(["Content-Type", "X-Token"]).try_build().unwrap();
        /// # drop(cors);
        /// ```
        allow_headers;

        /// Sets the response headers pages may read (flask-cors `expose_headers`).
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default().expose_headers(["X-Total-Count"]).try_build().unwrap();
        /// # drop(cors);
        /// ```
        expose_headers;
    }

    /// Decides origins with a predicate, after the list, patterns and regexes did not match.
    ///
    /// The predicate sees only syntactically valid origins, never `null`; with credentials on,
    /// it cannot grant an origin that is neither https nor loopback (unless
    /// [`dangerously_allow_insecure_origins`](Cors::dangerously_allow_insecure_origins)).
    /// When it is set and `origins` is left out, only the predicate (and regexes) decide.
    ///
    /// ```
    /// use actix_cross_origin::Cors;
    ///
    /// let cors = Cors::default()
    ///     .allow_origin_fn(|origin, _head| origin.ends_with(".internal.example.com"))
    ///     .try_build()
    ///     .unwrap();
    /// # drop(cors);
    /// ```
    pub fn allow_origin_fn<F>(mut self, predicate: F) -> Self
    where
        F: Fn(&str, &RequestHead) -> bool + Send + Sync + 'static,
    {
        let state = Arc::make_mut(&mut self.state);
        state.compiled = OnceLock::new();
        state.predicate = Some(Arc::new(predicate));
        self
    }

    flags! {
        /// Lets pages send cookies and other credentials (flask-cors `supports_credentials`).
        /// Requires explicit origins.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// assert!(Cors::default().supports_credentials(true).try_build().is_err());
        /// assert!(Cors::default()
        ///     .origins(["https://app.example.com"])
        ///     .supports_credentials(true)
        ///     .try_build()
        ///     .is_ok());
        /// ```
        supports_credentials;

        /// With any origin allowed, answers `*` instead of echoing the origin (flask-cors
        /// `send_wildcard`).
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default().send_wildcard(true).try_build().unwrap();
        /// # drop(cors);
        /// ```
        send_wildcard;

        /// Turns `Vary: Origin` on or off (flask-cors `vary_header`; on by default).
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default().vary_header(false).try_build().unwrap();
        /// # drop(cors);
        /// ```
        vary_header;

        /// Sends `Access-Control-Allow-Origin` to requests without an `Origin`, or with an empty
        /// one (flask-cors `always_send`; on by default). Only a value that does not depend on the
        /// origin is sent then: `*` when any origin is allowed without credentials, or the origin
        /// itself when exactly one is listed. An empty `Origin` is never echoed.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        /// use actix_web::{test, web, App};
        ///
        /// # actix_rt::System::new().block_on(async {
        /// let cors = Cors::default().origins(["https://app.example.com"]);
        /// let app = test::init_service(App::new().wrap(cors).route("/", web::get().to(|| async { "ok" }))).await;
        /// let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
        /// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
        ///
        /// let quiet = Cors::default().origins(["https://app.example.com"]).always_send(false);
        /// let app = test::init_service(App::new().wrap(quiet).route("/", web::get().to(|| async { "ok" }))).await;
        /// let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
        /// assert!(!res.headers().contains_key("access-control-allow-origin"));
        /// # });
        /// ```
        always_send;

        /// Answers preflights in the middleware, and a plain `OPTIONS` that no handler answers
        /// with 200 and `Allow` (flask-cors `automatic_options`; on by default).
        ///
        /// Off, both go to the route's own handlers (flask-cors's
        /// `@cross_origin(automatic_options=False)`): a granted preflight's CORS fields are added to
        /// the handler's answer, whose status is kept; a refused one gets none.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        /// use actix_web::{http::Method, test, web, App, HttpResponse};
        ///
        /// # actix_rt::System::new().block_on(async {
        /// let cors = Cors::default().origins(["https://app.example.com"]).automatic_options(false);
        /// let app = test::init_service(App::new().wrap(cors).route(
        ///     "/items",
        ///     web::route().method(Method::OPTIONS).to(|| async { HttpResponse::Ok().body("mine") }),
        /// ))
        /// .await;
        /// let preflight = test::TestRequest::default()
        ///     .method(Method::OPTIONS)
        ///     .uri("/items")
        ///     .insert_header(("Origin", "https://app.example.com"))
        ///     .insert_header(("Access-Control-Request-Method", "PUT"))
        ///     .to_request();
        /// let res = test::call_service(&app, preflight).await;
        /// assert_eq!(res.status(), 200);
        /// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
        /// assert_eq!(test::read_body(res).await, "mine");
        /// # });
        /// ```
        automatic_options;

        /// Answers Private Network Access preflights (flask-cors `allow_private_network`; off by
        /// default).
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let cors = Cors::default()
        ///     .origins(["https://app.example.com"])
        ///     .allow_private_network(true)
        ///     .try_build()
        ///     .unwrap();
        /// # drop(cors);
        /// ```
        allow_private_network;

        /// Allows plain-http origins (other than loopback) together with credentials. Anyone on the
        /// network path can then act as such an origin with the user's cookies.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        ///
        /// let plain = Cors::default().origins(["http://intranet.example"]).supports_credentials(true);
        /// assert!(plain.clone().try_build().is_err());
        /// assert!(plain.dangerously_allow_insecure_origins(true).try_build().is_ok());
        /// ```
        dangerously_allow_insecure_origins;

        /// Explain mode, for development (off by default): a refused request is answered with
        /// the option that refused it, in a `CORS-Refusal` field, and a refused origin with an
        /// `Access-Control-Allow-Origin` value that names the refusal and can never grant, so
        /// that the browser's console prints it. A warning is logged while it is on, since it
        /// shows callers what the policy allows. See docs/refusals.md.
        ///
        /// ```
        /// use actix_cross_origin::Cors;
        /// use actix_web::{test, web, App};
        ///
        /// # actix_rt::System::new().block_on(async {
        /// let cors = Cors::default().origins(["https://app.example.com"]).explain(true);
        /// let app = test::init_service(App::new().wrap(cors).route("/", web::get().to(|| async { "ok" }))).await;
        /// let req = test::TestRequest::get().uri("/").insert_header(("Origin", "https://evil.example")).to_request();
        /// let res = test::call_service(&app, req).await;
        /// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "origin-not-allowed");
        /// assert_eq!(
        ///     res.headers().get("cors-refusal").unwrap(),
        ///     "origins: origin \"https://evil.example\" is not allowed"
        /// );
        /// # });
        /// ```
        explain;
    }

    /// Sets how many seconds browsers may cache a preflight answer (flask-cors `max_age`),
    /// at most 86400. `0` asks browsers not to cache it.
    ///
    /// ```
    /// use actix_cross_origin::Cors;
    ///
    /// assert!(Cors::default().max_age(600).try_build().is_ok());
    /// assert!(Cors::default().max_age(86_401).try_build().is_err());
    /// ```
    pub fn max_age(self, seconds: u64) -> Self {
        self.edit(|o| o.max_age = Some(seconds))
    }

    /// Sets per-path policies (flask-cors `resources`), tried in order; the first matching
    /// path glob decides, and a path no entry matches gets no CORS headers.
    ///
    /// ```
    /// use actix_cross_origin::{Cors, ResourceOptions};
    ///
    /// let cors = Cors::default()
    ///     .resources([
    ///         ResourceOptions {
    ///             path: "/api/*".into(),
    ///             origins: Some(vec!["https://app.example.com".into()]),
    ///             ..ResourceOptions::default()
    ///         },
    ///         ResourceOptions { path: "/public/*".into(), ..ResourceOptions::default() },
    ///     ])
    ///     .try_build()
    ///     .unwrap();
    /// # drop(cors);
    /// ```
    pub fn resources<I>(self, resources: I) -> Self
    where
        I: IntoIterator<Item = ResourceOptions>,
    {
        let list = resources.into_iter().collect();
        self.edit(|o| o.resources = list)
    }
}
