//! What users write: [`CorsOptions`], with flask-cors's option names, and its per-path
//! [`ResourceOptions`].

use crate::error::ConfigError;
use crate::problems;

/// The methods allowed when `methods` is left out, as in flask-cors.
pub(crate) const DEFAULT_METHODS: &[&str] =
    &["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"];

/// A CORS policy as plain data, with flask-cors's option names.
///
/// Build one in code, read it from a file with serde (feature `serde`; unknown keys are
/// refused), or from the environment with [`CorsOptions::from_env`]; then turn it into the
/// middleware with [`Cors::from_options`](crate::Cors::from_options), which validates it.
/// With serde it is also `Serialize`: [`Cors::options`](crate::Cors::options) written as JSON
/// reads back to the same options (options left out stay out), so an admin route can show the
/// policy in force.
///
/// Lists given as one string are split at commas, so `"GET, POST"` and `["GET", "POST"]` mean
/// the same.
///
/// ```
/// use actix_cross_origin::{Cors, CorsOptions};
///
/// let options = CorsOptions {
///     origins: Some(vec!["https://app.example.com".into()]),
///     supports_credentials: true,
///     max_age: Some(600),
///     ..CorsOptions::default()
/// };
/// let cors = Cors::from_options(options).expect("valid policy");
/// # drop(cors);
/// ```
///
/// With the `serde` feature, the same policy from JSON:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use actix_cross_origin::CorsOptions;
///
/// let options: CorsOptions = serde_json::from_str(r#"{
///     "origins": "https://app.example.com",
///     "supports_credentials": true,
///     "max_age": 600
/// }"#).unwrap();
/// assert_eq!(options.origins, Some(vec!["https://app.example.com".to_string()]));
/// assert!(serde_json::from_str::<CorsOptions>(r#"{"origin": "x"}"#).is_err());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CorsOptions {
    /// Allowed origins: `["*"]` for any origin, exact origins such as
    /// `https://app.example.com`, or patterns `https://*.example.com` (one or more labels, not
    /// the apex) and `http://localhost:*` (any port, including none). `[]` allows none by list.
    ///
    /// An entry written as a regex (with `\`, `^`, `$`, `(` or `[`, or a quantifier and no
    /// scheme) is one, as in flask-cors, and is treated as in `origin_regexes`.
    ///
    /// `None` (left out) means `"*"`, except when `origin_regexes` or a predicate is given:
    /// then only those decide.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::opt_list"))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub origins: Option<Vec<String>>,
    /// Regexes each matched against the whole origin (they are anchored at both ends for you).
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::list"))]
    pub origin_regexes: Vec<String>,
    /// Methods a preflight may ask for; `["*"]` allows any. Default: GET, HEAD, POST, OPTIONS,
    /// PUT, PATCH, DELETE.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::list"))]
    pub methods: Vec<String>,
    /// Request headers a preflight may ask for, case-insensitive; `["*"]` (the default) allows
    /// any, and the preflight answer then names exactly the headers asked for.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::list"))]
    pub allow_headers: Vec<String>,
    /// Response headers the page may read, sent as `Access-Control-Expose-Headers`.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::list"))]
    pub expose_headers: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`, letting pages send cookies. Requires an
    /// explicit list of origins.
    pub supports_credentials: bool,
    /// Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`), at most 86400.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub max_age: Option<u64>,
    /// With any origin allowed, answer `*` instead of echoing the request's origin.
    pub send_wildcard: bool,
    /// Add `Vary: Origin` to responses whose CORS headers depend on the origin. Default: true.
    pub vary_header: bool,
    /// Answer requests without an `Origin` (or with an empty one) with the
    /// `Access-Control-Allow-Origin` that does not depend on one: `*` when any origin is
    /// allowed without credentials, or the one listed origin. Default: true.
    pub always_send: bool,
    /// Answer preflights in the middleware, and a plain `OPTIONS` that no handler answers
    /// with 200 and an `Allow` header, instead of 404 or 405. Off, both go to the route's
    /// handlers, and a granted preflight's CORS fields are added to the handler's answer.
    /// Default: true.
    pub automatic_options: bool,
    /// Answer `Access-Control-Request-Private-Network: true` with
    /// `Access-Control-Allow-Private-Network: true`. Default: false.
    pub allow_private_network: bool,
    /// Allow plain-http origins (other than loopback) together with credentials. Anyone on the
    /// network path can then act as that origin with the user's cookies. Default: false.
    pub dangerously_allow_insecure_origins: bool,
    /// Explain mode, for development: a refused request is answered with the option that
    /// refused it and why, in a `CORS-Refusal` field; a refused origin also gets an
    /// `Access-Control-Allow-Origin` value that names the refusal (such as
    /// `origin-not-allowed`), which can never grant, so that the browser's console prints it.
    /// It shows callers what the policy allows, so a warning is logged while it is on.
    /// Default: false.
    pub explain: bool,
    /// Per-path policies, tried in order; the first whose `path` glob matches decides. When
    /// non-empty, a path no entry matches gets no CORS at all, as in flask-cors.
    ///
    /// With serde, `resources` may also be written as flask-cors writes it, an object keyed by
    /// path (`{"/api/*": {"origins": "..."}, "*": {}}`); its entries are then tried in
    /// flask-cors's order: paths without `*` first, then the ones with more `/`, then the
    /// longer ones, ties in the order written.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::resources"))]
    pub resources: Vec<ResourceOptions>,
}

impl Default for CorsOptions {
    fn default() -> Self {
        CorsOptions {
            origins: None,
            origin_regexes: Vec::new(),
            methods: DEFAULT_METHODS.iter().map(|m| (*m).to_owned()).collect(),
            allow_headers: vec!["*".to_owned()],
            expose_headers: Vec::new(),
            supports_credentials: false,
            max_age: None,
            send_wildcard: false,
            vary_header: true,
            always_send: true,
            automatic_options: true,
            allow_private_network: false,
            dangerously_allow_insecure_origins: false,
            explain: false,
            resources: Vec::new(),
        }
    }
}

/// One entry of [`CorsOptions::resources`]: a path glob and the options that differ there.
///
/// `*` in `path` matches any run of characters, `/` included, and the glob must match the whole
/// path: `/api/*` matches `/api/x/y` but neither `/api` nor `/apiary`. The path matched is the
/// one actix routes on, compared case-sensitively. Every option left out (`None`) takes the
/// top-level value.
///
/// ```
/// use actix_cross_origin::{CorsOptions, ResourceOptions};
///
/// let options = CorsOptions {
///     resources: vec![ResourceOptions {
///         path: "/api/*".into(),
///         origins: Some(vec!["https://app.example.com".into()]),
///         ..ResourceOptions::default()
///     }],
///     ..CorsOptions::default()
/// };
/// # drop(options);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct ResourceOptions {
    /// The path glob, starting with `/`.
    pub path: String,
    /// See [`CorsOptions::origins`].
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::opt_list"))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub origins: Option<Vec<String>>,
    /// See [`CorsOptions::origin_regexes`].
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::opt_list"))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub origin_regexes: Option<Vec<String>>,
    /// See [`CorsOptions::methods`].
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::opt_list"))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub methods: Option<Vec<String>>,
    /// See [`CorsOptions::allow_headers`].
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::opt_list"))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub allow_headers: Option<Vec<String>>,
    /// See [`CorsOptions::expose_headers`].
    #[cfg_attr(feature = "serde", serde(deserialize_with = "de::opt_list"))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub expose_headers: Option<Vec<String>>,
    /// See [`CorsOptions::supports_credentials`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub supports_credentials: Option<bool>,
    /// See [`CorsOptions::max_age`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub max_age: Option<u64>,
    /// See [`CorsOptions::send_wildcard`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub send_wildcard: Option<bool>,
    /// See [`CorsOptions::vary_header`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub vary_header: Option<bool>,
    /// See [`CorsOptions::always_send`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub always_send: Option<bool>,
    /// See [`CorsOptions::automatic_options`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub automatic_options: Option<bool>,
    /// See [`CorsOptions::allow_private_network`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub allow_private_network: Option<bool>,
    /// See [`CorsOptions::dangerously_allow_insecure_origins`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub dangerously_allow_insecure_origins: Option<bool>,
    /// See [`CorsOptions::explain`].
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub explain: Option<bool>,
}

impl ResourceOptions {
    /// The top-level options with this entry's values put over them (`resources` cleared).
    pub(crate) fn merged_over(&self, top: &CorsOptions) -> CorsOptions {
        fn pick<T: Clone>(own: &Option<T>, top: &T) -> T {
            own.clone().unwrap_or_else(|| top.clone())
        }
        // An entry that names its own regexes but no origins means "only the regexes", as at
        // the top level; it must not inherit the top level's origins.
        let origins = match (&self.origins, &self.origin_regexes) {
            (Some(o), _) => Some(o.clone()),
            (None, Some(_)) => None,
            (None, None) => top.origins.clone(),
        };
        CorsOptions {
            origins,
            origin_regexes: pick(&self.origin_regexes, &top.origin_regexes),
            methods: pick(&self.methods, &top.methods),
            allow_headers: pick(&self.allow_headers, &top.allow_headers),
            expose_headers: pick(&self.expose_headers, &top.expose_headers),
            supports_credentials: pick(&self.supports_credentials, &top.supports_credentials),
            max_age: self.max_age.or(top.max_age),
            send_wildcard: pick(&self.send_wildcard, &top.send_wildcard),
            vary_header: pick(&self.vary_header, &top.vary_header),
            always_send: pick(&self.always_send, &top.always_send),
            automatic_options: pick(&self.automatic_options, &top.automatic_options),
            allow_private_network: pick(&self.allow_private_network, &top.allow_private_network),
            dangerously_allow_insecure_origins: pick(
                &self.dangerously_allow_insecure_origins,
                &top.dangerously_allow_insecure_origins,
            ),
            explain: pick(&self.explain, &top.explain),
            resources: Vec::new(),
        }
    }
}

/// Splits a comma-separated list, trimming spaces and dropping empty items.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What [`CorsOptions::add_origin`] did. A policy that already allows any origin is left as it
/// is: adding one origin to it would narrow it to that origin.
///
/// ```
/// use actix_cross_origin::{CorsOptions, OriginAdded};
///
/// let mut any = CorsOptions::default();
/// assert_eq!(any.add_origin("https://b.example"), OriginAdded::AnyOriginAlready);
/// assert_eq!(any.origins, None, "still any origin");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "an origin is not added to a policy that already allows any origin"]
pub enum OriginAdded {
    /// The origin was added to the list.
    Added,
    /// The list already had it; nothing changed.
    AlreadyListed,
    /// The policy allows any origin (`origins` left out without regexes, or `"*"`); nothing
    /// changed. To allow only listed origins, set `origins` to the list itself.
    AnyOriginAlready,
}

impl CorsOptions {
    /// Adds one origin to the allowed origins, keeping what they already allow, as a change
    /// made at runtime needs ([`Cors::reconfigure`](crate::Cors::reconfigure)). Unlike
    /// `options.origins.get_or_insert_with(Vec::new).push(..)`, it never turns a policy that
    /// allows any origin into one that allows only this one.
    ///
    /// ```
    /// use actix_cross_origin::{CorsOptions, OriginAdded};
    ///
    /// let mut listed = CorsOptions {
    ///     origins: Some(vec!["https://a.example".into()]),
    ///     ..CorsOptions::default()
    /// };
    /// assert_eq!(listed.add_origin("https://b.example"), OriginAdded::Added);
    /// assert_eq!(listed.add_origin("https://b.example"), OriginAdded::AlreadyListed);
    /// assert_eq!(listed.origins.unwrap(), ["https://a.example", "https://b.example"]);
    ///
    /// // Only regexes: the origin is listed beside them.
    /// let mut regexes = CorsOptions {
    ///     origin_regexes: vec![r"https://[a-z]+\.example\.org".into()],
    ///     ..CorsOptions::default()
    /// };
    /// assert_eq!(regexes.add_origin("https://b.example"), OriginAdded::Added);
    /// ```
    pub fn add_origin(&mut self, origin: impl Into<String>) -> OriginAdded {
        let origin = origin.into();
        let any = match &self.origins {
            None => self.origin_regexes.is_empty(),
            Some(list) => list.iter().any(|o| o == "*"),
        };
        if any {
            return OriginAdded::AnyOriginAlready;
        }
        let list = self.origins.get_or_insert_with(Vec::new);
        if list.contains(&origin) {
            return OriginAdded::AlreadyListed;
        }
        list.push(origin);
        OriginAdded::Added
    }
    /// Reads flask-cors's configuration keys from the process environment.
    ///
    /// Keys: `CORS_ORIGINS`, `CORS_ORIGIN_REGEXES`, `CORS_METHODS`, `CORS_ALLOW_HEADERS`,
    /// `CORS_EXPOSE_HEADERS` (comma-separated lists), `CORS_SUPPORTS_CREDENTIALS`,
    /// `CORS_SEND_WILDCARD`, `CORS_VARY_HEADER`, `CORS_ALWAYS_SEND`, `CORS_AUTOMATIC_OPTIONS`,
    /// `CORS_ALLOW_PRIVATE_NETWORK`, `CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS` (`true`/`false`,
    /// `1`/`0`, `yes`/`no`), `CORS_MAX_AGE` (seconds). Keys that are not set keep their
    /// defaults. See [`CorsOptions::from_vars`] for the rules.
    ///
    /// ```no_run
    /// use actix_cross_origin::{Cors, CorsOptions};
    ///
    /// // CORS_ORIGINS=https://app.example.com CORS_SUPPORTS_CREDENTIALS=true ./server
    /// let cors = Cors::from_options(CorsOptions::from_env()?)?;
    /// # Ok::<(), actix_cross_origin::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<CorsOptions, ConfigError> {
        CorsOptions::from_vars(std::env::vars())
    }

    /// Reads flask-cors's configuration keys from any list of `(key, value)` pairs, the way
    /// [`CorsOptions::from_env`] reads the environment.
    ///
    /// Keys not starting with `CORS_` are ignored. `CORS_RESOURCES` and unknown `CORS_` keys
    /// are refused rather than ignored, so that a typo never leaves a policy silently open or
    /// closed; set per-path policies in code or in a configuration file instead. Every bad
    /// value is reported at once.
    ///
    /// ```
    /// use actix_cross_origin::CorsOptions;
    ///
    /// let options = CorsOptions::from_vars([
    ///     ("CORS_ORIGINS", "https://a.example.com, https://b.example.com"),
    ///     ("CORS_SUPPORTS_CREDENTIALS", "true"),
    ///     ("CORS_MAX_AGE", "600"),
    ///     ("PATH", "/usr/bin"),
    /// ])
    /// .unwrap();
    /// assert_eq!(options.origins.unwrap().len(), 2);
    /// assert!(options.supports_credentials);
    /// assert_eq!(options.max_age, Some(600));
    ///
    /// let err = CorsOptions::from_vars([("CORS_MAX_AGE", "ten"), ("CORS_ORIGIN", "x")]).unwrap_err();
    /// assert_eq!(err.problems().len(), 2);
    /// ```
    pub fn from_vars<I, K, V>(vars: I) -> Result<CorsOptions, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut o = CorsOptions::default();
        let mut found = Vec::new();
        for (key, value) in vars {
            let (key, value) = (key.as_ref(), value.as_ref());
            if !key.starts_with("CORS_") {
                continue;
            }
            let mut flag = |target: &mut bool| match parse_bool(value) {
                Some(b) => *target = b,
                None => found.push(problems::env_not_a_boolean(key, value)),
            };
            match key {
                "CORS_ORIGINS" => o.origins = Some(split_list(value)),
                "CORS_ORIGIN_REGEXES" => o.origin_regexes = split_list(value),
                "CORS_METHODS" => o.methods = split_list(value),
                "CORS_ALLOW_HEADERS" => o.allow_headers = split_list(value),
                "CORS_EXPOSE_HEADERS" => o.expose_headers = split_list(value),
                "CORS_SUPPORTS_CREDENTIALS" => flag(&mut o.supports_credentials),
                "CORS_SEND_WILDCARD" => flag(&mut o.send_wildcard),
                "CORS_VARY_HEADER" => flag(&mut o.vary_header),
                "CORS_ALWAYS_SEND" => flag(&mut o.always_send),
                "CORS_AUTOMATIC_OPTIONS" => flag(&mut o.automatic_options),
                "CORS_ALLOW_PRIVATE_NETWORK" => flag(&mut o.allow_private_network),
                "CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS" => {
                    flag(&mut o.dangerously_allow_insecure_origins)
                }
                "CORS_EXPLAIN" => flag(&mut o.explain),
                "CORS_MAX_AGE" => match value.trim().parse::<u64>() {
                    Ok(n) => o.max_age = Some(n),
                    Err(_) => found.push(problems::env_not_seconds(key, value)),
                },
                "CORS_RESOURCES" => found.push(problems::env_resources(key, value)),
                _ => found.push(problems::env_unknown_key(key, value)),
            }
        }
        if found.is_empty() {
            Ok(o)
        } else {
            Err(ConfigError::new(found))
        }
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(feature = "serde")]
mod de {
    //! A list may be written as one string (split at commas) or as a list of strings;
    //! `resources` as a list or as flask-cors's object keyed by path.
    use serde::de::{Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    struct ListVisitor;

    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(super::split_list(v))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }

    struct ResourcesVisitor;

    impl<'de> Visitor<'de> for ResourcesVisitor {
        type Value = Vec<super::ResourceOptions>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of resources, or an object keyed by path")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = seq.next_element()? {
                out.push(entry);
            }
            Ok(out)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<super::ResourceOptions> = Vec::new();
            while let Some((path, mut entry)) =
                map.next_entry::<String, super::ResourceOptions>()?
            {
                if !entry.path.is_empty() && entry.path != path {
                    return Err(A::Error::custom(format!(
                        "resource {path:?} also names the path {:?}; leave \"path\" out when resources are keyed by path",
                        entry.path
                    )));
                }
                entry.path = path;
                out.push(entry);
            }
            // flask-cors's order for a dict (its fix of CVE-2024-6839): the most specific
            // first. A stable sort keeps the written order among equals.
            out.sort_by_key(|e| {
                let p = &e.path;
                (
                    p.contains('*'),
                    std::cmp::Reverse(p.matches('/').count()),
                    std::cmp::Reverse(p.len()),
                )
            });
            Ok(out)
        }
    }

    pub(super) fn resources<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<super::ResourceOptions>, D::Error> {
        d.deserialize_any(ResourcesVisitor)
    }

    pub(super) fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(ListVisitor)
    }

    pub(super) fn opt_list<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<String>>, D::Error> {
        d.deserialize_any(ListVisitor).map(Some)
    }
}
