//! Configuration errors: every problem found at once, each with its fix.

use std::fmt;

/// What kind of mistake a [`ConfigProblem`] describes.
///
/// Match on it to handle a problem programmatically; the [`Display`](fmt::Display) text of the
/// problem is meant for people.
///
/// ```
/// use actix_cross_origin::{Cors, ProblemKind};
///
/// let err = Cors::default().origins(["null"]).try_build().unwrap_err();
/// assert_eq!(err.problems()[0].kind(), ProblemKind::NullOrigin);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// Credentials together with "any origin" (`"*"`, `send_wildcard`, or the default `"*"`).
    CredentialsWithAnyOrigin,
    /// `"*"` mixed with other entries in `origins`.
    WildcardInList,
    /// The `null` origin, which any attacker can produce from a sandboxed frame.
    NullOrigin,
    /// An origin or pattern that is not `scheme://host[:port]`.
    InvalidOrigin,
    /// An origin with a path, a trailing slash, a query or a fragment.
    OriginWithPath,
    /// An origin without `scheme://`.
    MissingScheme,
    /// Uppercase letters in an origin; browsers always send lowercase.
    UppercaseOrigin,
    /// An explicit default port (`:443` on https, `:80` on http); browsers never send it.
    DefaultPort,
    /// An IP address in a form browsers never send (`127.1`, an uncompressed IPv6 address).
    NonCanonicalIp,
    /// A non-ASCII host; browsers send the punycode (`xn--`) form.
    NonAsciiHost,
    /// A `*.` pattern over a public suffix such as `com` or `github.io`.
    PublicSuffixPattern,
    /// A plain-http (or other insecure) origin together with credentials.
    InsecureOriginWithCredentials,
    /// A regex that does not compile.
    InvalidRegex,
    /// A regex with a `.` that matches any character where a literal dot was meant.
    UnescapedDotInRegex,
    /// A regex with a wildcard directly before a host label (`.*example\.com`), which admits
    /// an attacker's domain that ends with yours (`evilexample.com`).
    RegexCrossesLabel,
    /// A regex that matches the text `*`, written where "any origin" was meant.
    RegexMatchesWildcard,
    /// A method that is not an HTTP token.
    InvalidMethod,
    /// CONNECT, TRACE or TRACK, which browsers never allow in CORS.
    ForbiddenMethod,
    /// A header name that is not an HTTP token.
    InvalidHeaderName,
    /// A header name a page can never set or read (cookie, host, set-cookie, ...).
    ForbiddenHeaderName,
    /// `"*"` in `expose_headers` together with credentials, where browsers read it literally.
    WildcardExposeWithCredentials,
    /// `max_age` above 86400 seconds.
    MaxAgeTooLarge,
    /// A `resources` path that is not a valid glob.
    InvalidResourcePath,
    /// An environment variable whose value cannot be read.
    InvalidEnvValue,
}

/// One problem found in a configuration, with the option it concerns and how to fix it.
///
/// ```
/// use actix_cross_origin::Cors;
///
/// let err = Cors::default().origins(["https://app.example.com/"]).try_build().unwrap_err();
/// let problem = &err.problems()[0];
/// assert_eq!(problem.option(), "origins");
/// assert_eq!(problem.value(), Some("https://app.example.com/"));
/// assert!(problem.fix().contains("\"https://app.example.com\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    option: String,
    value: Option<String>,
    kind: ProblemKind,
    message: String,
    fix: String,
    suggestion: Option<String>,
}

impl ConfigProblem {
    pub(crate) fn new(
        option: impl Into<String>,
        value: Option<&str>,
        kind: ProblemKind,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        ConfigProblem {
            option: option.into(),
            value: value.map(str::to_owned),
            kind,
            message: message.into(),
            fix: fix.into(),
            suggestion: None,
        }
    }

    /// The same problem with another fix.
    pub(crate) fn with_fix(mut self, fix: String) -> Self {
        self.fix = fix;
        self
    }

    /// The same problem, whose fix is to write `value` instead.
    pub(crate) fn suggesting(mut self, value: String) -> Self {
        self.suggestion = Some(value);
        self
    }

    /// The option the problem is in, such as `origins` or `resources[1].methods`.
    ///
    /// ```
    /// # use actix_cross_origin::Cors;
    /// let err = Cors::default().methods(["TRACE"]).try_build().unwrap_err();
    /// assert_eq!(err.problems()[0].option(), "methods");
    /// ```
    pub fn option(&self) -> &str {
        &self.option
    }

    /// The offending value as written, when the problem is about one value.
    ///
    /// ```
    /// # use actix_cross_origin::Cors;
    /// let err = Cors::default().methods(["TRACE"]).try_build().unwrap_err();
    /// assert_eq!(err.problems()[0].value(), Some("TRACE"));
    /// ```
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// What kind of problem this is.
    ///
    /// ```
    /// # use actix_cross_origin::{Cors, ProblemKind};
    /// let err = Cors::default().max_age(100_000).try_build().unwrap_err();
    /// assert_eq!(err.problems()[0].kind(), ProblemKind::MaxAgeTooLarge);
    /// ```
    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// What is wrong, in words.
    ///
    /// ```
    /// # use actix_cross_origin::Cors;
    /// let err = Cors::default().max_age(100_000).try_build().unwrap_err();
    /// assert!(err.problems()[0].message().contains("86400"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to fix it, in words.
    ///
    /// ```
    /// # use actix_cross_origin::Cors;
    /// let err = Cors::default().supports_credentials(true).try_build().unwrap_err();
    /// assert!(err.problems()[0].fix().contains("list the origins"));
    /// ```
    pub fn fix(&self) -> &str {
        &self.fix
    }

    /// The value to write instead of [`value`](ConfigProblem::value), when the fix is one: the
    /// offending value with every problem it has fixed at once, accepted as it is.
    ///
    /// ```
    /// # use actix_cross_origin::Cors;
    /// let err = Cors::default().origins(["https://App.example.com:443/"]).try_build().unwrap_err();
    /// let fixed = err.problems()[0].suggestion().unwrap();
    /// assert_eq!(fixed, "https://app.example.com");
    /// assert!(Cors::default().origins([fixed]).try_build().is_ok());
    /// ```
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.option)?;
        if let Some(value) = &self.value {
            write!(f, "{value:?}: ")?;
        }
        write!(f, "{}; fix: {}", self.message, self.fix)
    }
}

/// A CORS configuration that was refused, with every problem found in it.
///
/// Returned by [`Cors::try_build`](struct.Cors.html#method.try_build),
/// [`Cors::from_options`](struct.Cors.html#method.from_options) and
/// [`CorsOptions::from_env`](crate::CorsOptions::from_env). Its [`Display`](fmt::Display) text
/// lists all problems, one per line, each with its fix, so one start-up shows everything to mend.
///
/// ```
/// use actix_cross_origin::Cors;
///
/// let err = Cors::default()
///     .origins(["https://App.example.com", "http://api.example.com:80"])
///     .methods(["TRACE"])
///     .try_build()
///     .unwrap_err();
/// assert_eq!(err.problems().len(), 3);
/// let text = err.to_string();
/// assert!(text.starts_with("invalid CORS configuration (3 problems)"));
/// assert!(text.contains("https://app.example.com"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    problems: Vec<ConfigProblem>,
}

impl ConfigError {
    #[doc(hidden)]
    pub fn new(problems: Vec<ConfigProblem>) -> Self {
        debug_assert!(!problems.is_empty());
        ConfigError { problems }
    }

    /// Every problem found, in the order of the options.
    ///
    /// ```
    /// # use actix_cross_origin::Cors;
    /// let err = Cors::default().origins(["null"]).try_build().unwrap_err();
    /// assert_eq!(err.problems().len(), 1);
    /// ```
    pub fn problems(&self) -> &[ConfigProblem] {
        &self.problems
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "invalid CORS configuration ({n} problem{})",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, problem) in self.problems.iter().enumerate() {
            write!(f, "\n  {}. {problem}", i + 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
