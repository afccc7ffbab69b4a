//! The form a browser sends of a mistyped `origins` entry, with every repairable mistake fixed
//! at once, so that the fix a start-up error suggests is accepted as it is. Repairing one
//! mistake at a time would suggest `https://App.example.com:443` for
//! `https://App.example.com:443/`, which is refused again, twice.

use super::pattern::{parse, PatternError};
use super::syntax::{canonical_ipv6, SyntaxError};

/// An entry repaired, and what was done to it, in words (`"in lowercase"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repaired {
    pub(crate) entry: String,
    pub(crate) repairs: Vec<&'static str>,
}

/// Each kind of repair at most once, so the loop ends.
const MAX_REPAIRS: usize = 6;

/// The repairs in the order their words are written.
const REPAIRS: [&str; 7] = [
    "with its scheme",
    "with https",
    "in lowercase",
    "without a path",
    "without the default port",
    "without the trailing dot",
    "with the address as browsers write it",
];

/// `entry` as a browser would send it, when every problem it has can be repaired and the
/// result is a valid entry; `None` otherwise. With `https_required` (credentials on, insecure
/// origins not allowed) a plain-http result becomes https, as the credential rule asks.
pub(crate) fn repaired(entry: &str, https_required: bool) -> Option<Repaired> {
    let mut fixed = entry.to_owned();
    let mut repairs = Vec::new();
    for _ in 0..=MAX_REPAIRS {
        let (repair, next) = match parse(&fixed) {
            Ok(p) if https_required && !p.is_secure() => match fixed.strip_prefix("http://") {
                Some(rest) => ("with https", format!("https://{rest}")),
                None => return None,
            },
            Ok(_) if repairs.is_empty() => return None,
            Ok(_) => {
                repairs.sort_by_key(|r| REPAIRS.iter().position(|w| w == r));
                return Some(Repaired {
                    entry: fixed,
                    repairs,
                });
            }
            Err(PatternError::MissingScheme | PatternError::Syntax(SyntaxError::MissingScheme)) => {
                ("with its scheme", format!("https://{fixed}"))
            }
            Err(PatternError::Syntax(e)) => repair_syntax(&fixed, e)?,
            // `http://localhost:*/`: the star is stray only because of the path after it.
            Err(PatternError::StrayStar) if authority_range(&fixed).1 < fixed.len() => {
                repair_syntax(&fixed, SyntaxError::HasPath)?
            }
            Err(_) => return None,
        };
        if repairs.contains(&repair) {
            return None;
        }
        repairs.push(repair);
        fixed = next;
    }
    None
}

fn repair_syntax(entry: &str, e: SyntaxError) -> Option<(&'static str, String)> {
    let authority = authority_range(entry);
    Some(match e {
        SyntaxError::Uppercase => ("in lowercase", entry.to_ascii_lowercase()),
        SyntaxError::HasPath => ("without a path", entry[..authority.1].to_owned()),
        SyntaxError::DefaultPort => {
            let cut = entry[..authority.1].rfind(':')?;
            ("without the default port", entry[..cut].to_owned())
        }
        SyntaxError::TrailingDot => {
            let host_end = port_start(entry, authority);
            let host = entry[authority.0..host_end].trim_end_matches('.');
            let fixed = format!("{}{host}{}", &entry[..authority.0], &entry[host_end..]);
            ("without the trailing dot", fixed)
        }
        SyntaxError::NonCanonicalIp => {
            let (open, close) = (entry.find('[')?, entry.find(']')?);
            let ip = canonical_ipv6(entry.get(open + 1..close)?)?;
            let fixed = format!("{}[{ip}]{}", &entry[..open], &entry[close + 1..]);
            ("with the address as browsers write it", fixed)
        }
        _ => return None,
    })
}

/// Where the authority (host and port) starts and ends.
fn authority_range(entry: &str) -> (usize, usize) {
    let start = entry.find("://").map_or(0, |i| i + 3);
    let end = entry[start..]
        .find(['/', '?', '#'])
        .map_or(entry.len(), |i| start + i);
    (start, end)
}

/// Where the `:port` of the authority starts, or its end when there is none.
fn port_start(entry: &str, (start, end): (usize, usize)) -> usize {
    let authority = &entry[start..end];
    let after_ipv6 = authority.rfind(']').map_or(0, |i| i + 1);
    authority[after_ipv6..]
        .rfind(':')
        .map_or(end, |i| start + after_ipv6 + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mistake_is_repaired_at_once() {
        let cases = [
            (
                "https://App.example.com:443/",
                Some("https://app.example.com"),
            ),
            ("https://App.example.com", Some("https://app.example.com")),
            ("https://app.example.com/", Some("https://app.example.com")),
            ("http://api.example.com:80", Some("http://api.example.com")),
            (
                "HTTPS://*.Example.com:443/x?y",
                Some("https://*.example.com"),
            ),
            ("app.example.com", Some("https://app.example.com")),
            ("App.example.com/", Some("https://app.example.com")),
            (
                "https://app.example.com.:8443/",
                Some("https://app.example.com:8443"),
            ),
            ("http://[0:0:0:0:0:0:0:1]:8080/", Some("http://[::1]:8080")),
            ("http://localhost:*/", Some("http://localhost:*")),
            ("https://app.example.com", None),
            ("null", None),
            ("https://exa mple.com", None),
            ("https://*.com/", None),
        ];
        for (entry, want) in cases {
            let got = repaired(entry, false).map(|r| r.entry);
            assert_eq!(got.as_deref(), want, "{entry}");
            if let Some(fixed) = got {
                assert!(parse(&fixed).is_ok(), "{fixed} is refused again");
            }
        }
        let r = repaired("https://App.example.com:443/", false).unwrap();
        assert_eq!(
            r.repairs,
            ["in lowercase", "without a path", "without the default port"]
        );
        let r = repaired("http://Api.example.com:80", true).unwrap();
        assert_eq!(r.entry, "https://api.example.com");
        assert_eq!(
            repaired("http://localhost:8080/", true).unwrap().entry,
            "http://localhost:8080"
        );
    }
}
