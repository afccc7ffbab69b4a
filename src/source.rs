//! [`PolicySource`]: where a `Cors` was written, for the lines that name a policy (start-up
//! errors and refusals). Recorded once when the `Cors` is started, with `#[track_caller]`, so
//! that nothing is looked up per request.

use std::fmt;
use std::panic::Location;
use std::sync::Arc;

/// Where a `Cors` was written: the file and line that started it, and for a route attribute's
/// policy, its handler, methods and path.
#[derive(Debug, Clone, Default)]
pub(crate) struct PolicySource {
    /// The call to `Cors::default()`, `cross_origin()` or `Cors::from_options` that started it.
    pub(crate) built_at: Option<&'static Location<'static>>,
    /// A route attribute's handler, methods and path: ``handler `items` (GET /items)``.
    pub(crate) route: Option<Arc<str>>,
}

impl PolicySource {
    /// The caller of the `#[track_caller]` function this is called from.
    #[track_caller]
    pub(crate) fn here() -> Self {
        PolicySource {
            built_at: Some(Location::caller()),
            route: None,
        }
    }

    /// ` (built at src/main.rs:12)`, or nothing.
    pub(crate) fn built_at(&self) -> BuiltAt<'_> {
        BuiltAt(self.built_at)
    }
}

/// See [`PolicySource::built_at`].
pub(crate) struct BuiltAt<'a>(Option<&'a Location<'static>>);

impl fmt::Display for BuiltAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(at) => write!(f, " (built at {}:{})", at.file(), at.line()),
            None => Ok(()),
        }
    }
}

/// `the CORS policy of handler `items` (GET /items) (built at src/api.rs:30)` or `the CORS
/// policy (built at src/main.rs:12)`: the subject of a start-up error.
impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.route {
            Some(route) => write!(f, "the CORS policy of {route}{}", self.built_at()),
            None => write!(f, "the CORS policy{}", self.built_at()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_line_that_started_it() {
        let source = PolicySource::here();
        let text = source.to_string();
        assert!(
            text.starts_with("the CORS policy (built at src/source.rs:"),
            "{text}"
        );
        let route = PolicySource {
            route: Some("handler `items` (GET /items)".into()),
            ..source
        };
        assert!(route
            .to_string()
            .starts_with("the CORS policy of handler `items` (GET /items) (built at src/"));
        assert_eq!(PolicySource::default().to_string(), "the CORS policy");
    }
}
