//! The grammar of one `origins` entry, with typed errors: `*`, an exact origin
//! (`https://app.example.com`), subdomains (`https://*.example.com`: one or more labels, never
//! the apex), any port (`http://localhost:*`), or both. What the errors mean to a user, and how
//! to fix them, is `problems`'s business.

use super::public_suffix::is_public_suffix;
use super::syntax::{parse as parse_origin, HostKind, SyntaxError};

/// Which ports a pattern admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortRule {
    /// Only the scheme's default port (no port in the origin).
    Default,
    /// Exactly this port.
    Exact(u16),
    /// Any port, including none.
    Any,
}

impl PortRule {
    #[inline]
    pub fn admits(self, port: Option<u16>) -> bool {
        match self {
            PortRule::Default => port.is_none(),
            PortRule::Exact(p) => port == Some(p),
            PortRule::Any => true,
        }
    }
}

/// A valid `origins` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginPattern {
    /// `*`: any origin.
    Any,
    /// One origin, exactly as browsers send it.
    Exact { origin: String, secure: bool },
    /// `*.` subdomains and/or a `:*` port.
    Wildcard {
        scheme: String,
        host: String,
        subdomains: bool,
        port: PortRule,
        secure: bool,
    },
}

impl OriginPattern {
    /// Whether every origin it admits is https or loopback.
    pub fn is_secure(&self) -> bool {
        match self {
            OriginPattern::Any => false,
            OriginPattern::Exact { secure, .. } | OriginPattern::Wildcard { secure, .. } => *secure,
        }
    }
}

/// Why an entry is not a valid `origins` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// `null`, which any attacker can produce.
    Null,
    /// A comma or whitespace: several origins in one entry. Holds the parts.
    ListSeparator(Vec<String>),
    /// No `scheme://`.
    MissingScheme,
    /// A `*` that is neither a leading `*.` nor a trailing `:*`.
    StrayStar,
    /// `file:` pages send `null`.
    FileScheme,
    /// `*.` before an IP address.
    IpSubdomains,
    /// `*.` over a public suffix; holds the suffix.
    PublicSuffix(String),
    /// The origin under the wildcards is not a serialized origin.
    Syntax(SyntaxError),
}

/// Parses one `origins` entry (not a regex: see `check`).
pub fn parse(entry: &str) -> Result<OriginPattern, PatternError> {
    match entry {
        "*" => return Ok(OriginPattern::Any),
        "null" => return Err(PatternError::Null),
        _ => {}
    }
    if entry.contains(',') || entry.contains(char::is_whitespace) {
        let parts = entry
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        return Err(PatternError::ListSeparator(parts));
    }
    let (scheme, rest) = entry.split_once("://").ok_or(PatternError::MissingScheme)?;
    let (subdomains, rest) = match rest.strip_prefix("*.") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (any_port, rest) = match rest.strip_suffix(":*") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.contains('*') {
        return Err(PatternError::StrayStar);
    }
    let candidate = format!("{scheme}://{rest}");
    let origin = parse_origin(candidate.as_bytes()).map_err(PatternError::Syntax)?;
    if scheme == "file" {
        return Err(PatternError::FileScheme);
    }
    if subdomains && origin.host_kind != HostKind::Domain {
        return Err(PatternError::IpSubdomains);
    }
    if subdomains && is_public_suffix(origin.host) {
        return Err(PatternError::PublicSuffix(origin.host.to_owned()));
    }
    let secure = origin.is_secure();
    if !(subdomains || any_port) {
        return Ok(OriginPattern::Exact {
            origin: origin.full.to_owned(),
            secure,
        });
    }
    let port = match (any_port, origin.port) {
        (true, _) => PortRule::Any,
        (false, Some(port)) => PortRule::Exact(port),
        (false, None) => PortRule::Default,
    };
    Ok(OriginPattern::Wildcard {
        scheme: origin.scheme.to_owned(),
        host: origin.host.to_owned(),
        subdomains,
        port,
        secure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar() {
        let exact = |o: &str, secure| OriginPattern::Exact {
            origin: o.into(),
            secure,
        };
        let wild = |scheme: &str, host: &str, subdomains, port, secure| OriginPattern::Wildcard {
            scheme: scheme.into(),
            host: host.into(),
            subdomains,
            port,
            secure,
        };
        let cases = [
            ("*", Ok(OriginPattern::Any)),
            (
                "https://app.example.com",
                Ok(exact("https://app.example.com", true)),
            ),
            (
                "http://app.example.com",
                Ok(exact("http://app.example.com", false)),
            ),
            (
                "http://127.0.0.1:3000",
                Ok(exact("http://127.0.0.1:3000", true)),
            ),
            (
                "https://*.example.com",
                Ok(wild("https", "example.com", true, PortRule::Default, true)),
            ),
            (
                "https://*.example.com:8443",
                Ok(wild(
                    "https",
                    "example.com",
                    true,
                    PortRule::Exact(8443),
                    true,
                )),
            ),
            (
                "http://localhost:*",
                Ok(wild("http", "localhost", false, PortRule::Any, true)),
            ),
            (
                "http://*.example.com:*",
                Ok(wild("http", "example.com", true, PortRule::Any, false)),
            ),
            ("null", Err(PatternError::Null)),
            (
                "https://a.com, https://b.com",
                Err(PatternError::ListSeparator(vec![
                    "https://a.com".into(),
                    "https://b.com".into(),
                ])),
            ),
            ("app.example.com", Err(PatternError::MissingScheme)),
            ("https://a.*.com", Err(PatternError::StrayStar)),
            ("https://*.*.example.com", Err(PatternError::StrayStar)),
            (
                "file:///etc",
                Err(PatternError::Syntax(SyntaxError::HasPath)),
            ),
            ("file://host", Err(PatternError::FileScheme)),
            ("https://*.127.0.0.1", Err(PatternError::IpSubdomains)),
            (
                "https://*.com",
                Err(PatternError::PublicSuffix("com".into())),
            ),
            (
                "https://*.github.io",
                Err(PatternError::PublicSuffix("github.io".into())),
            ),
            (
                "https://App.example.com",
                Err(PatternError::Syntax(SyntaxError::Uppercase)),
            ),
            (
                "https://a.com/",
                Err(PatternError::Syntax(SyntaxError::HasPath)),
            ),
            (
                "https://a.com:443",
                Err(PatternError::Syntax(SyntaxError::DefaultPort)),
            ),
        ];
        for (entry, want) in cases {
            assert_eq!(parse(entry), want, "{entry}");
        }
    }
}
