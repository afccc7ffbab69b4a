//! Lints for origin regexes, run once at start-up: regexes that compile but let an attacker's
//! origin through. Each finding carries what the fix needs; the user text is in `problems`.
//!
//! The lints read the regex as a flat run of tokens, without building its syntax tree: they
//! look for the few shapes that are known holes, and say nothing about the rest.

use crate::origin::is_public_suffix;

/// A known hole in an origin regex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finding {
    /// A `.` that matches any character where a literal dot was meant (`api.example.com`
    /// admits `apiXexample.com`); holds the regex with those dots escaped.
    UnescapedDot(String),
    /// A wildcard directly before a host label (`.*example\.com` admits
    /// `evilexample.com`): an attacker's registrable domain can end with yours. Holds the regex
    /// with the wildcard replaced by whole labels.
    CrossesLabel(String),
    /// A wildcard directly before a public suffix (`.*\.com`): any site under it matches.
    /// Holds the suffix.
    SpansPublicSuffix(String),
}

/// The regex with every finding fixed at once, when each can be fixed and the result has none
/// left, so that a suggested fix is accepted as it is.
pub(crate) fn repaired(re: &str) -> Option<String> {
    let mut fixed = re.to_owned();
    // A dot fix and a label fix at most, each once.
    for _ in 0..3 {
        match lint(&fixed).into_iter().next() {
            None if fixed == re => return None,
            None => return Some(fixed),
            Some(Finding::UnescapedDot(next) | Finding::CrossesLabel(next)) => fixed = next,
            Some(Finding::SpansPublicSuffix(_)) => return None,
        }
    }
    None
}

/// The lints for one regex (not anchored: it is matched against the whole origin).
pub(crate) fn lint(re: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let dots_fixed = unescaped_dots(re);
    // The other lints read the regex as meant, its dots escaped, so that one mistake is
    // reported once.
    let re = dots_fixed.as_deref().unwrap_or(re).to_owned();
    if let Some(fixed) = dots_fixed.clone() {
        found.push(Finding::UnescapedDot(fixed));
    }
    let re = re.as_str();
    let tokens = tokens(re);
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != Kind::Wild {
            continue;
        }
        // The wildcard with its quantifier, if any.
        let end = match tokens.get(i + 1) {
            Some(Token {
                kind: Kind::Quantifier,
                span,
            }) => span.1,
            _ => token.span.1,
        };
        let (host, complete) = literal_host_after(&tokens, i + 1);
        if let Some(suffix) = host.strip_prefix('.') {
            if complete && !suffix.is_empty() && is_public_suffix(suffix) {
                found.push(Finding::SpansPublicSuffix(suffix.to_owned()));
            }
            continue;
        }
        if !host.starts_with(is_label_char) {
            continue;
        }
        // The label the wildcard runs into is registrable when what follows its first dot is
        // a public suffix (or there is no dot at all); a label further left is a subdomain of
        // a domain the attacker does not own.
        let registrable = match host.split_once('.') {
            Some((_, rest)) => !complete || is_public_suffix(rest),
            None => true,
        };
        if registrable {
            let fixed = format!(r"{}([a-z0-9-]+\.)*{}", &re[..token.span.0], &re[end..]);
            found.push(Finding::CrossesLabel(fixed));
        }
    }
    found
}

fn is_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A character matched literally (`a`, `\.`).
    Literal(char),
    /// An atom that matches several characters, one of them a host label character (`.`,
    /// `[^.]`, `[a-z]`, `\w`).
    Wild,
    /// Any other atom (`\s`, `[./]`).
    Other,
    /// `*`, `+`, `?`, `{n,m}` (with a lazy or possessive mark).
    Quantifier,
    Open,
    Close,
    Alternation,
    Anchor,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    /// Byte range in the regex.
    span: (usize, usize),
}

/// The literal host text that follows token `from` (group openings skipped), and whether it
/// reaches the end of the host (`:`, `/`, the end of the regex or of a branch).
fn literal_host_after(tokens: &[Token], from: usize) -> (String, bool) {
    let mut rest = tokens[from.min(tokens.len())..].iter().peekable();
    if rest.peek().is_some_and(|t| t.kind == Kind::Quantifier) {
        rest.next();
    }
    while rest.peek().is_some_and(|t| t.kind == Kind::Open) {
        rest.next();
    }
    let mut host = String::new();
    while let Some(token) = rest.next() {
        match token.kind {
            Kind::Literal(':' | '/') => return (host, true),
            // A quantified literal may or may not be there: the host is not known from here.
            Kind::Literal(_) if rest.peek().is_some_and(|t| t.kind == Kind::Quantifier) => {
                return (host, false)
            }
            Kind::Literal(c) => host.push(c),
            Kind::Close | Kind::Alternation | Kind::Anchor => return (host, true),
            _ => return (host, false),
        }
    }
    (host, true)
}

fn tokens(re: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = re.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let kind = match c {
            '\\' => match chars.next() {
                Some((_, 'w' | 'd' | 'S' | 'D')) => Kind::Wild,
                Some((_, 'p' | 'P' | 'x' | 'u' | 'U')) => {
                    // A class or code point, perhaps in braces: treat it as a wildcard.
                    if chars.peek().is_some_and(|(_, c)| *c == '{') {
                        for (_, c) in chars.by_ref() {
                            if c == '}' {
                                break;
                            }
                        }
                    }
                    Kind::Wild
                }
                Some((_, 'b' | 'B' | 'A' | 'z')) => Kind::Anchor,
                Some((_, 's' | 'W')) => Kind::Other,
                Some((_, c)) => Kind::Literal(c),
                None => Kind::Other,
            },
            '.' => Kind::Wild,
            '[' => class(&mut chars),
            '*' | '+' | '?' => {
                if chars.peek().is_some_and(|(_, c)| matches!(c, '?' | '+')) {
                    chars.next();
                }
                Kind::Quantifier
            }
            '{' => {
                for (_, c) in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
                if chars.peek().is_some_and(|(_, c)| *c == '?') {
                    chars.next();
                }
                Kind::Quantifier
            }
            '(' => group(&mut chars),
            ')' => Kind::Close,
            '|' => Kind::Alternation,
            '^' | '$' => Kind::Anchor,
            c => Kind::Literal(c),
        };
        let end = chars.peek().map_or(re.len(), |(i, _)| *i);
        out.push(Token {
            kind,
            span: (start, end),
        });
    }
    out
}

/// After `[`: reads the class to its `]` and says whether it can match a label character.
fn class(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Kind {
    let negated = chars.peek().is_some_and(|(_, c)| *c == '^');
    if negated {
        chars.next();
    }
    let mut label = negated;
    let mut first = true;
    let mut depth = 0;
    while let Some((_, c)) = chars.next() {
        match c {
            ']' if !first && depth == 0 => break,
            ']' if depth > 0 => depth -= 1,
            '[' if chars.peek().is_some_and(|(_, c)| *c == ':') => depth += 1,
            '\\' => match chars.next() {
                Some((_, 'w' | 'd' | 'S' | 'D' | 'p' | 'P' | 'x' | 'u' | 'U')) => label = true,
                Some((_, c)) if is_label_char(c) && !matches!(c, 's' | 'W') => label = true,
                _ => {}
            },
            c if is_label_char(c) => label = true,
            _ => {}
        }
        first = false;
    }
    if label {
        Kind::Wild
    } else {
        Kind::Other
    }
}

/// After `(`: skips a group's flags or name. A bare flag group such as `(?i)` matches nothing.
fn group(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Kind {
    if chars.peek().is_none_or(|(_, c)| *c != '?') {
        return Kind::Open;
    }
    for (_, c) in chars.by_ref() {
        match c {
            ':' | '>' => return Kind::Open,
            ')' => return Kind::Anchor,
            _ => {}
        }
    }
    Kind::Open
}

/// Finds `.` outside escapes and character classes that is not followed by a quantifier:
/// almost always a literal dot written without its backslash (`api.example.com` also matches
/// `apiXexample.com`). Returns the regex with those dots escaped, when there are any.
fn unescaped_dots(re: &str) -> Option<String> {
    let bytes = re.as_bytes();
    let mut out = String::with_capacity(re.len() + 4);
    let (mut i, mut in_class, mut found) = (0, false, false);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' => {
                out.push_str(&re[i..(i + 2).min(re.len())]);
                i += 2;
                continue;
            }
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'.' if !in_class => {
                let quantified = matches!(bytes.get(i + 1), Some(b'*' | b'+' | b'?' | b'{'));
                if !quantified {
                    found = true;
                    out.push_str("\\.");
                    i += 1;
                    continue;
                }
            }
            _ => {}
        }
        // Copy one whole character (regexes may hold non-ASCII text).
        let len = re[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&re[i..i + len]);
        i += len;
    }
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaped_dot_lint() {
        assert_eq!(
            unescaped_dots(r"https://api.example.com").as_deref(),
            Some(r"https://api\.example\.com")
        );
        assert_eq!(unescaped_dots(r"https://api\.example\.com"), None);
        assert_eq!(unescaped_dots(r"https://.*\.example\.com"), None);
        assert_eq!(unescaped_dots(r"https://[a-z.]+\.example\.com"), None);
        assert_eq!(unescaped_dots(r"https://a.+\.com"), None);
        assert_eq!(
            unescaped_dots(r"https://é.x\.com").as_deref(),
            Some(r"https://é\.x\.com")
        );
    }

    #[test]
    fn wildcards_that_run_into_a_registrable_label() {
        let crosses = |re: &str| {
            lint(re)
                .into_iter()
                .find_map(|f| match f {
                    Finding::CrossesLabel(fixed) => Some(fixed),
                    _ => None,
                })
                .unwrap_or_default()
        };
        let refused = [
            (
                r"^https://.*example\.com$",
                r"^https://([a-z0-9-]+\.)*example\.com$",
            ),
            (
                r"https://.+example\.com",
                r"https://([a-z0-9-]+\.)*example\.com",
            ),
            (
                r"https://[^.]*example\.com",
                r"https://([a-z0-9-]+\.)*example\.com",
            ),
            (
                r"https://\w+example\.com",
                r"https://([a-z0-9-]+\.)*example\.com",
            ),
            (
                r"https://.*?example\.com(:\d+)?",
                r"https://([a-z0-9-]+\.)*example\.com(:\d+)?",
            ),
            (
                r"https://.*(example)\.com",
                r"https://([a-z0-9-]+\.)*(example)\.com",
            ),
            (
                r"https://.*example\.co\.uk",
                r"https://([a-z0-9-]+\.)*example\.co\.uk",
            ),
            (
                r"https://[a-z]example\.com",
                r"https://([a-z0-9-]+\.)*example\.com",
            ),
            (r"https://.*localhost", r"https://([a-z0-9-]+\.)*localhost"),
            // The host is not known after the label: assume the worst.
            (
                r"https://.*example\.(com|org)",
                r"https://([a-z0-9-]+\.)*example\.(com|org)",
            ),
        ];
        for (re, fixed) in refused {
            assert_eq!(crosses(re), fixed, "{re}");
        }
        let kept = [
            r"https://.*\.example\.com",
            r"https://.+\.example\.com",
            r"https://[a-z0-9-]+\.example\.com",
            r"https://([a-z0-9-]+\.)*example\.com",
            r"https://pr-[0-9]+\.preview\.example\.com",
            r"https://.*-preview\.example\.com",
            r"http://localhost:.*",
            r"https://example\.com/.*",
            r"https://.*",
            r"(?i)https://app\.example\.com",
        ];
        for re in kept {
            assert_eq!(lint(re), [], "{re}");
        }
    }

    #[test]
    fn wildcards_over_a_public_suffix() {
        for (re, suffix) in [
            (r"https://.*\.com", "com"),
            (r"https://.+\.github\.io", "github.io"),
        ] {
            assert_eq!(
                lint(re),
                [Finding::SpansPublicSuffix(suffix.into())],
                "{re}"
            );
        }
        assert_eq!(lint(r"https://.*\.example\.com"), []);
    }
}
