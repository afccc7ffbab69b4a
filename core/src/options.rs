//! What users write: [`CorsOptions`], with flask-cors's option names, and its per-path
//! [`ResourceOptions`], both generated from [`for_each_option!`](crate::for_each_option), the one
//! declaration of every option.

use crate::error::ConfigError;
use crate::problems;

/// The methods allowed when `methods` is left out, as in flask-cors.
pub const DEFAULT_METHODS: &[&str] = &["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"];

/// Calls the macro `$callback` with the one declaration of every option but `resources`: its
/// docs, its name (flask-cors's), its kind and its default, one per line as
/// `/// docs` `name: kind = default;`.
///
/// The kinds are `flag` (`bool`), `list` (`Vec<String>`), `optional_list`
/// (`Option<Vec<String>>`, left out means something of its own) and `seconds` (`Option<u64>`).
/// Everything that names each option is generated from it: the fields of [`CorsOptions`] and
/// [`ResourceOptions`] with `merged_over`, the `CORS_*` keys of [`CorsOptions::from_vars`], the
/// names the `#[cross_origin]` attribute accepts ([`OPTIONS`]), and in the runtime the check
/// that `Cors` has a builder method per option and the change line of a reconfiguration.
/// Adding an option is adding a line here; whatever must handle it by hand then fails to
/// compile until it does.
///
/// ```
/// macro_rules! names {
///     ($($(#[$doc:meta])* $name:ident: $kind:ident = $default:expr;)*) => {
///         const NAMES: &[&str] = &[$(stringify!($name)),*];
///     };
/// }
/// actix_cross_origin_core::for_each_option!(names);
/// assert_eq!(NAMES[0], "origins");
/// assert!(NAMES.contains(&"max_age"));
/// ```
#[macro_export]
macro_rules! for_each_option {
    ($callback:path) => {
        $callback! {
            /// Allowed origins: `["*"]` for any origin, exact origins such as
            /// `https://app.example.com`, or patterns `https://*.example.com` (one or more labels, not
            /// the apex) and `http://localhost:*` (any port, including none). `[]` allows none by list.
            ///
            /// An entry written as a regex (with `\`, `^`, `$`, `(` or `[`, or a quantifier and no
            /// scheme) is one, as in flask-cors, and is treated as in `origin_regexes`.
            ///
            /// `None` (left out) means `"*"`, except when `origin_regexes` or a predicate is given:
            /// then only those decide.
            origins: optional_list = ::core::option::Option::None;
            /// Regexes each matched against the whole origin (they are anchored at both ends for you).
            origin_regexes: list = ::std::vec::Vec::new();
            /// Methods a preflight may ask for; `["*"]` allows any. Default: GET, HEAD, POST, OPTIONS,
            /// PUT, PATCH, DELETE.
            methods: list = $crate::DEFAULT_METHODS.iter().map(|m| (*m).to_owned()).collect();
            /// Request headers a preflight may ask for, case-insensitive; `["*"]` (the default) allows
            /// any, and the preflight answer then names exactly the headers asked for.
            allow_headers: list = ::std::vec!["*".to_owned()];
            /// Response headers the page may read, sent as `Access-Control-Expose-Headers`.
            expose_headers: list = ::std::vec::Vec::new();
            /// Send `Access-Control-Allow-Credentials: true`, letting pages send cookies. Requires an
            /// explicit list of origins.
            supports_credentials: flag = false;
            /// Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`), at most 86400.
            max_age: seconds = ::core::option::Option::None;
            /// With any origin allowed, answer `*` instead of echoing the request's origin.
            send_wildcard: flag = false;
            /// Add `Vary: Origin` to responses whose CORS headers depend on the origin. Default: true.
            vary_header: flag = true;
            /// Answer requests without an `Origin` (or with an empty one) with the
            /// `Access-Control-Allow-Origin` that does not depend on one: `*` when any origin is
            /// allowed without credentials, or the one listed origin. Default: true.
            always_send: flag = true;
            /// Answer preflights in the middleware, and a plain `OPTIONS` that no handler answers
            /// with 200 and an `Allow` header, instead of 404 or 405. Off, both go to the route's
            /// handlers, and a granted preflight's CORS fields are added to the handler's answer.
            /// Default: true.
            automatic_options: flag = true;
            /// Answer `Access-Control-Request-Private-Network: true` with
            /// `Access-Control-Allow-Private-Network: true`. Default: false.
            allow_private_network: flag = false;
            /// Allow plain-http origins (other than loopback) together with credentials. Anyone on the
            /// network path can then act as that origin with the user's cookies. Default: false.
            dangerously_allow_insecure_origins: flag = false;
            /// Explain mode, for development: a refused request is answered with the option that
            /// refused it and why, in a `CORS-Refusal` field; a refused origin also gets an
            /// `Access-Control-Allow-Origin` value that names the refusal (such as
            /// `origin-not-allowed`), which can never grant, so that the browser's console prints it.
            /// It shows callers what the policy allows, so a warning is logged while it is on.
            /// Default: false.
            explain: flag = false;
        }
    };
}

/// What an option's value is, as [`for_each_option!`](crate::for_each_option) declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `true` or `false`.
    Flag,
    /// A list of strings (one string is split at commas).
    List,
    /// The same, for an option whose absence means something of its own (`origins`).
    OptionalList,
    /// A whole number of seconds.
    Seconds,
}

/// A value for one option, read from a source that names options by name (the environment,
/// the route attribute's literals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// For a [`OptionKind::Flag`].
    Flag(bool),
    /// For a [`OptionKind::List`] or an [`OptionKind::OptionalList`].
    List(Vec<String>),
    /// For a [`OptionKind::Seconds`].
    Seconds(u64),
}

/// The field types an [`OptionValue`] is put into.
pub trait FromOptionValue: Sized {
    /// The field's value, or the value given back when it is of another kind.
    fn from_value(value: OptionValue) -> Result<Self, OptionValue>;
}

impl FromOptionValue for bool {
    fn from_value(value: OptionValue) -> Result<Self, OptionValue> {
        match value {
            OptionValue::Flag(on) => Ok(on),
            other => Err(other),
        }
    }
}

impl FromOptionValue for Vec<String> {
    fn from_value(value: OptionValue) -> Result<Self, OptionValue> {
        match value {
            OptionValue::List(list) => Ok(list),
            other => Err(other),
        }
    }
}

impl FromOptionValue for Option<Vec<String>> {
    fn from_value(value: OptionValue) -> Result<Self, OptionValue> {
        Vec::from_value(value).map(Some)
    }
}

impl FromOptionValue for Option<u64> {
    fn from_value(value: OptionValue) -> Result<Self, OptionValue> {
        match value {
            OptionValue::Seconds(n) => Ok(Some(n)),
            other => Err(other),
        }
    }
}

/// The type of a `CorsOptions` field of each kind.
macro_rules! field_type {
    (flag) => { bool };
    (list) => { Vec<String> };
    (optional_list) => { Option<Vec<String>> };
    (seconds) => { Option<u64> };
}

/// The type of a `ResourceOptions` field of each kind: left out, it takes the top level's.
macro_rules! resource_type {
    (flag) => { Option<bool> };
    (list) => { Option<Vec<String>> };
    (optional_list) => { Option<Vec<String>> };
    (seconds) => { Option<u64> };
}

/// A resource entry's own value, or the top level's.
macro_rules! inherited {
    (flag, $own:expr, $top:expr) => {
        $own.unwrap_or($top)
    };
    (list, $own:expr, $top:expr) => {
        $own.clone().unwrap_or_else(|| $top.clone())
    };
    (optional_list, $own:expr, $top:expr) => {
        $own.clone().or_else(|| $top.clone())
    };
    (seconds, $own:expr, $top:expr) => {
        $own.or($top)
    };
}

macro_rules! option_kind {
    (flag) => {
        OptionKind::Flag
    };
    (list) => {
        OptionKind::List
    };
    (optional_list) => {
        OptionKind::OptionalList
    };
    (seconds) => {
        OptionKind::Seconds
    };
}

/// `CorsOptions`, `ResourceOptions` and everything else in this file that names each option.
macro_rules! options {
    ($($(#[$doc:meta])* $name:ident: $kind:ident = $default:expr;)*) => {
        /// A CORS policy as plain data, with flask-cors's option names.
        ///
        /// Build one in code, read it from a file with serde (feature `serde`; unknown keys are
        /// refused), or from the environment with [`CorsOptions::from_env`]; then turn it into
        /// the middleware with [`Cors::from_options`](struct.Cors.html#method.from_options),
        /// which validates it. With serde it is also `Serialize`:
        /// [`Cors::options`](struct.Cors.html#method.options) written as JSON reads back to the
        /// same options (options left out stay out), so an admin route can show the policy in
        /// force.
        ///
        /// Lists given as one string are split at commas, so `"GET, POST"` and `["GET", "POST"]`
        /// mean the same.
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
            $(
                $(#[$doc])*
                #[cfg_attr(feature = "serde", serde(deserialize_with = "de::field"))]
                #[cfg_attr(feature = "serde", serde(skip_serializing_if = "de::left_out"))]
                pub $name: field_type!($kind),
            )*
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
                    $($name: $default,)*
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
            $(
                #[doc = concat!("See [`CorsOptions::", stringify!($name), "`].")]
                #[cfg_attr(feature = "serde", serde(deserialize_with = "de::field"))]
                #[cfg_attr(feature = "serde", serde(skip_serializing_if = "de::left_out"))]
                pub $name: resource_type!($kind),
            )*
        }

        impl ResourceOptions {
            /// The top-level options with this entry's values put over them (`resources` cleared).
            pub(crate) fn merged_over(&self, top: &CorsOptions) -> CorsOptions {
                let merged = CorsOptions {
                    $($name: inherited!($kind, self.$name, top.$name),)*
                    resources: Vec::new(),
                };
                // An entry that names its own regexes but no origins means "only the regexes", as
                // at the top level; it must not inherit the top level's origins.
                let origins = match (&self.origins, &self.origin_regexes) {
                    (None, Some(_)) => None,
                    _ => merged.origins,
                };
                CorsOptions { origins, ..merged }
            }
        }

        /// Every option's name and kind, in the order declared (`resources` aside): the options
        /// the `#[cross_origin]` attribute accepts, and the `CORS_*` keys.
        ///
        /// ```
        /// use actix_cross_origin_core::OPTIONS;
        ///
        /// assert_eq!(OPTIONS[0].0, "origins");
        /// assert!(OPTIONS.iter().any(|(name, _)| *name == "explain"));
        /// ```
        pub const OPTIONS: &[(&str, OptionKind)] = &[$((stringify!($name), option_kind!($kind)),)*];

        impl CorsOptions {
            /// Sets the option named `name` (one of [`OPTIONS`]); gives the value back when no
            /// option of that name and kind exists.
            #[doc(hidden)]
            pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionValue> {
                $(
                    if name == stringify!($name) {
                        self.$name = FromOptionValue::from_value(value)?;
                        return Ok(());
                    }
                )*
                Err(value)
            }
        }
    };
}

crate::for_each_option!(options);

/// Splits a comma-separated list, trimming spaces and dropping empty items.
#[doc(hidden)]
pub fn split_list(s: &str) -> Vec<String> {
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
    /// made at runtime needs ([`Cors::reconfigure`](struct.Cors.html#method.reconfigure)). Unlike
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
    /// Each option but `resources` has a key: `CORS_` and its name in uppercase, such as
    /// `CORS_ORIGINS`, `CORS_SUPPORTS_CREDENTIALS` or `CORS_MAX_AGE`. Lists are comma-separated,
    /// flags `true`/`false` (`1`/`0`, `yes`/`no`, `on`/`off`), `CORS_MAX_AGE` a number of
    /// seconds. Keys that are not set keep their defaults. See [`CorsOptions::from_vars`] for
    /// the rules.
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
            let Some(name) = key.strip_prefix("CORS_") else {
                continue;
            };
            // `CORS_` and the option's name in uppercase, for every option.
            let option = OPTIONS
                .iter()
                .find(|(option, _)| option.to_ascii_uppercase() == name);
            let Some(&(option, kind)) = option else {
                found.push(match name {
                    "RESOURCES" => problems::env_resources(key, value),
                    _ => problems::env_unknown_key(key, value),
                });
                continue;
            };
            let value = match kind {
                OptionKind::List | OptionKind::OptionalList => OptionValue::List(split_list(value)),
                OptionKind::Flag => match parse_bool(value) {
                    Some(on) => OptionValue::Flag(on),
                    None => {
                        found.push(problems::env_not_a_boolean(key, value));
                        continue;
                    }
                },
                OptionKind::Seconds => match value.trim().parse::<u64>() {
                    Ok(n) => OptionValue::Seconds(n),
                    Err(_) => {
                        found.push(problems::env_not_seconds(key, value));
                        continue;
                    }
                },
            };
            // Of the kind OPTIONS declares, so always set.
            let _ = o.set(option, value);
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
    use serde::Deserialize;
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

    /// How a field of each kind is read and when it is left out of what is written.
    pub(super) trait Field: Sized {
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
        fn left_out(&self) -> bool;
    }

    impl Field for bool {
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            bool::deserialize(d)
        }
        fn left_out(&self) -> bool {
            false
        }
    }

    impl Field for Vec<String> {
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ListVisitor)
        }
        fn left_out(&self) -> bool {
            false
        }
    }

    impl Field for Option<Vec<String>> {
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ListVisitor).map(Some)
        }
        fn left_out(&self) -> bool {
            self.is_none()
        }
    }

    impl Field for Option<bool> {
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Option::<bool>::deserialize(d)
        }
        fn left_out(&self) -> bool {
            self.is_none()
        }
    }

    impl Field for Option<u64> {
        fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Option::<u64>::deserialize(d)
        }
        fn left_out(&self) -> bool {
            self.is_none()
        }
    }

    /// Reads an option's field, whatever its kind.
    pub(super) fn field<'de, D: Deserializer<'de>, T: Field>(d: D) -> Result<T, D::Error> {
        T::read(d)
    }

    /// Whether an option's field is left out of what is written (an option left out).
    pub(super) fn left_out<T: Field>(value: &T) -> bool {
        value.left_out()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value of `kind` that no option has by default.
    fn changed(kind: OptionKind, default: &CorsOptions, name: &str) -> (String, OptionValue) {
        let mut flipped = default.clone();
        let on = flipped.set(name, OptionValue::Flag(true)).is_ok() && flipped != *default;
        match kind {
            OptionKind::Flag if on => ("true".into(), OptionValue::Flag(true)),
            OptionKind::Flag => ("false".into(), OptionValue::Flag(false)),
            OptionKind::List | OptionKind::OptionalList => (
                "x-made-up".into(),
                OptionValue::List(vec!["x-made-up".into()]),
            ),
            OptionKind::Seconds => ("7".into(), OptionValue::Seconds(7)),
        }
    }

    #[test]
    fn every_declared_option_is_set_by_name_and_by_its_environment_key() {
        let default = CorsOptions::default();
        for &(name, kind) in OPTIONS {
            let (text, value) = changed(kind, &default, name);
            let mut by_name = default.clone();
            assert_eq!(by_name.set(name, value), Ok(()), "{name}");
            assert_ne!(by_name, default, "{name} was set");
            let key = format!("CORS_{}", name.to_ascii_uppercase());
            let by_env = CorsOptions::from_vars([(key.as_str(), text.as_str())]).unwrap();
            assert_eq!(by_env, by_name, "{key}");
        }
        assert!(CorsOptions::default()
            .set("resources", OptionValue::List(vec![]))
            .is_err());
        assert!(
            CorsOptions::from_vars([("CORS_origins", "x")]).is_err(),
            "keys are uppercase"
        );
    }

    #[test]
    fn a_resource_entry_inherits_every_option_it_leaves_out() {
        let top = CorsOptions {
            max_age: Some(5),
            supports_credentials: true,
            origins: Some(vec!["https://a.example".into()]),
            ..CorsOptions::default()
        };
        assert_eq!(ResourceOptions::default().merged_over(&top), top);
        let own = ResourceOptions {
            max_age: Some(9),
            origin_regexes: Some(vec![r"https://b\.example".into()]),
            ..ResourceOptions::default()
        };
        let merged = own.merged_over(&top);
        assert_eq!(merged.max_age, Some(9));
        assert!(merged.supports_credentials);
        assert_eq!(
            merged.origins, None,
            "regexes without origins: only the regexes"
        );
    }
}
