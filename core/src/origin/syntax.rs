//! The syntax of a serialized origin (the Fetch standard's "serialization of an origin", as
//! browsers send it in `Origin`): lowercase scheme and host, no path, no default port,
//! canonical IP literals. A fast path for host-name origins, checked against a thorough parser.

use std::net::Ipv6Addr;

/// Longest origin we look at: a 64-byte scheme, `://`, a 253-byte host and `:65535`.
const MAX_ORIGIN_LEN: usize = 64 + 3 + 253 + 6;
const MAX_SCHEME_LEN: usize = 64;
const MAX_HOST_LEN: usize = 253;

/// Why a string is not a serialized origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxError {
    Empty,
    TooLong,
    MissingScheme,
    InvalidScheme,
    Uppercase,
    HasPath,
    HasUserinfo,
    InvalidHost,
    TrailingDot,
    NonAscii,
    NonCanonicalIp,
    InvalidPort,
    DefaultPort,
}

impl SyntaxError {
    /// The reason in words, for logs and configuration errors.
    pub fn describe(self) -> &'static str {
        match self {
            SyntaxError::Empty => "it is empty",
            SyntaxError::TooLong => "it is longer than any origin can be",
            SyntaxError::MissingScheme => "it has no scheme (such as https://)",
            SyntaxError::InvalidScheme => "its scheme is not valid",
            SyntaxError::Uppercase => "it has uppercase letters, which browsers never send",
            SyntaxError::HasPath => "it has a path, a trailing slash, a query or a fragment",
            SyntaxError::HasUserinfo => "it has user information before the host",
            SyntaxError::InvalidHost => "its host is not a valid host name or IP address",
            SyntaxError::TrailingDot => "its host ends with a dot",
            SyntaxError::NonAscii => "its host has non-ASCII characters",
            SyntaxError::NonCanonicalIp => "its IP address is not in the form browsers send",
            SyntaxError::InvalidPort => "its port is not a number from 1 to 65535",
            SyntaxError::DefaultPort => "it names the scheme's default port, which browsers omit",
        }
    }
}

/// What kind of host an origin has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    Domain,
    Ipv4,
    Ipv6,
}

/// A syntactically valid serialized origin, borrowed from the bytes it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// The whole origin, as sent.
    pub full: &'a str,
    pub scheme: &'a str,
    /// The host without brackets for IPv6.
    pub host: &'a str,
    pub host_kind: HostKind,
    pub port: Option<u16>,
}

impl Origin<'_> {
    /// Whether a browser treats this origin as potentially trustworthy for credentials:
    /// https (or wss), or a loopback host (RFC 6761 `localhost`, 127.0.0.0/8, `::1`).
    #[inline]
    pub fn is_secure(&self) -> bool {
        self.scheme == "https" || self.scheme == "wss" || self.is_loopback()
    }

    #[inline]
    pub fn is_loopback(&self) -> bool {
        match self.host_kind {
            HostKind::Domain => self.host == "localhost" || self.host.ends_with(".localhost"),
            HostKind::Ipv4 => self.host.starts_with("127."),
            HostKind::Ipv6 => self.host == "::1",
        }
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
}

fn is_label_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

/// Parses a serialized origin (`scheme://host[:port]`), refusing every form a browser never
/// sends. Never allocates, and reads at most `MAX_ORIGIN_LEN` bytes.
///
/// The common shape (a host name, maybe a port) is recognised in one tight pass; anything
/// else (IP literals, and every malformed value) goes through `parse_slowly`, which also
/// says what is wrong.
#[inline]
pub fn parse(bytes: &[u8]) -> Result<Origin<'_>, SyntaxError> {
    match parse_host_name_origin(bytes) {
        Some(origin) => Ok(origin),
        None => parse_slowly(bytes),
    }
}

/// One pass over `scheme://host.name[:port]` with a lowercase host name; `None` for anything
/// else, valid or not.
#[inline]
fn parse_host_name_origin(b: &[u8]) -> Option<Origin<'_>> {
    if b.len() > MAX_ORIGIN_LEN || !b.first()?.is_ascii_lowercase() {
        return None;
    }
    let scheme_end = b.iter().position(|&c| !is_scheme_byte(c))?;
    if scheme_end > MAX_SCHEME_LEN || b.get(scheme_end..scheme_end + 3)? != b"://" {
        return None;
    }
    let host_start = scheme_end + 3;
    let rest = &b[host_start..];
    let host_len = rest.iter().position(|&c| c == b':').unwrap_or(rest.len());
    if !is_host_name(&rest[..host_len]) {
        return None;
    }
    let port = match rest.get(host_len + 1..) {
        None => None,
        Some(digits) => Some(fast_port(digits)?),
    };
    // Every byte seen is ASCII, so this conversion cannot fail.
    let full = std::str::from_utf8(b).ok()?;
    let scheme = &full[..scheme_end];
    if port.is_some() && default_port(scheme) == port {
        return None;
    }
    Some(Origin {
        full,
        scheme,
        host: &full[host_start..host_start + host_len],
        host_kind: HostKind::Domain,
        port,
    })
}

/// Labels of 1 to 63 bytes of `[a-z0-9_-]`, not starting or ending with a hyphen, the last one
/// not all digits (that would make an IPv4 address), 253 bytes at most.
#[inline]
fn is_host_name(host: &[u8]) -> bool {
    if host.is_empty() || host.len() > MAX_HOST_LEN {
        return false;
    }
    let mut label_start = 0;
    let mut label_all_digits = true;
    for (i, &c) in host.iter().enumerate() {
        match HOST_BYTE[c as usize] {
            LETTER => label_all_digits = false,
            DIGIT => {}
            HYPHEN if i != label_start => label_all_digits = false,
            DOT if i != label_start && i - label_start <= 63 && host[i - 1] != b'-' => {
                label_start = i + 1;
                label_all_digits = true;
            }
            _ => return false,
        }
    }
    label_start != host.len()
        && host.len() - label_start <= 63
        && host[host.len() - 1] != b'-'
        && !label_all_digits
}

/// A port of 1 to 5 digits, no leading zero, at most 65535.
#[inline]
fn fast_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || digits[0] == b'0' {
        return None;
    }
    let mut n: u32 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(d - b'0');
    }
    u16::try_from(n).ok()
}

const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const HYPHEN: u8 = 3;
const DOT: u8 = 4;

/// The class of each byte in a host name, for the fast path.
static HOST_BYTE: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = if b.is_ascii_lowercase() || b == b'_' {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'-' {
            HYPHEN
        } else if b == b'.' {
            DOT
        } else {
            OTHER
        };
        c += 1;
    }
    table
};

/// The thorough parser: accepts IP literals and explains every refusal.
fn parse_slowly(bytes: &[u8]) -> Result<Origin<'_>, SyntaxError> {
    if bytes.is_empty() {
        return Err(SyntaxError::Empty);
    }
    if bytes.len() > MAX_ORIGIN_LEN {
        return Err(SyntaxError::TooLong);
    }
    if !bytes.is_ascii() {
        return Err(SyntaxError::NonAscii);
    }
    // ASCII was checked just above, so this cannot fail; stay total anyway.
    let full = std::str::from_utf8(bytes).map_err(|_| SyntaxError::NonAscii)?;
    let sep = full.find("://").ok_or(SyntaxError::MissingScheme)?;
    let scheme = &full[..sep];
    check_scheme(scheme)?;
    let rest = &full[sep + 3..];
    check_authority_only(rest)?;
    let (host, host_kind, port_str) = split_host_port(rest)?;
    let port = match port_str {
        None => None,
        Some(p) => {
            let port = parse_port(p)?;
            if default_port(scheme) == Some(port) {
                return Err(SyntaxError::DefaultPort);
            }
            Some(port)
        }
    };
    Ok(Origin {
        full,
        scheme,
        host,
        host_kind,
        port,
    })
}

/// No path, query, fragment or userinfo after the scheme; userinfo is reported first when it
/// comes before a path.
fn check_authority_only(rest: &str) -> Result<(), SyntaxError> {
    let authority = rest.find(['/', '?', '#']).map_or(rest, |i| &rest[..i]);
    if authority.contains('@') {
        return Err(SyntaxError::HasUserinfo);
    }
    if authority.len() < rest.len() {
        return Err(SyntaxError::HasPath);
    }
    Ok(())
}

fn check_scheme(scheme: &str) -> Result<(), SyntaxError> {
    let b = scheme.as_bytes();
    if b.is_empty() || b.len() > MAX_SCHEME_LEN {
        return Err(SyntaxError::InvalidScheme);
    }
    if b.iter().any(u8::is_ascii_uppercase) {
        return Err(SyntaxError::Uppercase);
    }
    if !b[0].is_ascii_lowercase() || !b.iter().all(|&c| is_scheme_byte(c)) {
        return Err(SyntaxError::InvalidScheme);
    }
    Ok(())
}

/// Splits `host[:port]`, validating the host. The port string is returned unparsed.
fn split_host_port(rest: &str) -> Result<(&str, HostKind, Option<&str>), SyntaxError> {
    if let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']').ok_or(SyntaxError::InvalidHost)?;
        let addr = &inner[..close];
        let after = &inner[close + 1..];
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(SyntaxError::InvalidHost)?),
        };
        check_ipv6(addr)?;
        return Ok((addr, HostKind::Ipv6, port));
    }
    let (host, port) = match rest.rfind(':') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let kind = check_host(host)?;
    Ok((host, kind, port))
}

fn parse_port(p: &str) -> Result<u16, SyntaxError> {
    let b = p.as_bytes();
    if b.is_empty() || b.len() > 5 || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return Err(SyntaxError::InvalidPort);
    }
    let n: u32 = p.parse().map_err(|_| SyntaxError::InvalidPort)?;
    u16::try_from(n).map_err(|_| SyntaxError::InvalidPort)
}

/// Validates a host name or dotted-quad IPv4 address as the URL standard serializes it.
fn check_host(host: &str) -> Result<HostKind, SyntaxError> {
    let b = host.as_bytes();
    if b.is_empty() || b.len() > MAX_HOST_LEN {
        return Err(SyntaxError::InvalidHost);
    }
    if b.iter().any(u8::is_ascii_uppercase) {
        return Err(SyntaxError::Uppercase);
    }
    if b.last() == Some(&b'.') {
        return Err(SyntaxError::TrailingDot);
    }
    // The URL standard parses a host whose last label is numeric as IPv4 and serializes it as a
    // dotted quad; any other numeric form (`127.1`, `0x7f.1`) never reaches a server as such.
    let last = host.rsplit('.').next().unwrap_or(host);
    let last_is_numeric =
        last.bytes().all(|c| c.is_ascii_digit()) || (last.len() > 1 && last.starts_with("0x"));
    if last_is_numeric {
        return if is_canonical_ipv4(host) {
            Ok(HostKind::Ipv4)
        } else {
            Err(SyntaxError::NonCanonicalIp)
        };
    }
    for label in host.split('.') {
        let lb = label.as_bytes();
        if lb.is_empty()
            || lb.len() > 63
            || !lb.iter().all(|&c| is_label_byte(c))
            || lb[0] == b'-'
            || lb[lb.len() - 1] == b'-'
        {
            return Err(SyntaxError::InvalidHost);
        }
    }
    Ok(HostKind::Domain)
}

fn is_canonical_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let b = part.as_bytes();
        if parts > 4
            || b.is_empty()
            || b.len() > 3
            || !b.iter().all(u8::is_ascii_digit)
            || (b.len() > 1 && b[0] == b'0')
            || part.parse::<u16>().map_or(true, |n| n > 255)
        {
            return false;
        }
    }
    parts == 4
}

/// Accepts an IPv6 address only in the URL standard's serialization: lowercase hex, no leading
/// zeros, the longest run of two or more zero pieces compressed, no embedded IPv4.
fn check_ipv6(addr: &str) -> Result<(), SyntaxError> {
    if addr.len() > 39 || addr.is_empty() {
        return Err(SyntaxError::InvalidHost);
    }
    if addr.bytes().any(|c| c.is_ascii_uppercase()) {
        return Err(SyntaxError::Uppercase);
    }
    let ip: Ipv6Addr = addr.parse().map_err(|_| SyntaxError::InvalidHost)?;
    let mut buf = [0u8; 39];
    let canonical = serialize_ipv6(&ip, &mut buf);
    if canonical == addr {
        Ok(())
    } else {
        Err(SyntaxError::NonCanonicalIp)
    }
}

/// The first longest run of zero pieces of length 2 or more, as (start, length); a start of
/// `usize::MAX` when there is none (the URL standard's IPv6 serializer, step 2).
fn longest_zero_run(pieces: &[u16; 8]) -> (usize, usize) {
    let (mut best_start, mut best_len) = (usize::MAX, 1);
    let mut i = 0;
    while i < 8 {
        if pieces[i] != 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < 8 && pieces[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best_start, best_len) = (start, i - start);
        }
    }
    (best_start, best_len)
}

/// The URL standard's IPv6 serializer, writing into a stack buffer.
fn serialize_ipv6<'b>(ip: &Ipv6Addr, buf: &'b mut [u8; 39]) -> &'b str {
    let pieces = ip.segments();
    let (best_start, best_len) = longest_zero_run(&pieces);
    let mut n = 0;
    let mut push = |c: u8, n: &mut usize| {
        buf[*n] = c;
        *n += 1;
    };
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            if i == 0 {
                push(b':', &mut n);
            }
            push(b':', &mut n);
            i += best_len;
            continue;
        }
        let piece = pieces[i];
        let mut started = false;
        for shift in [12u32, 8, 4, 0] {
            let nib = ((piece >> shift) & 0xf) as u8;
            if nib != 0 || started || shift == 0 {
                started = true;
                push(b"0123456789abcdef"[nib as usize], &mut n);
            }
        }
        if i != 7 {
            push(b':', &mut n);
        }
        i += 1;
    }
    std::str::from_utf8(&buf[..n]).unwrap_or("")
}

/// The canonical form of an IPv6 address, for configuration error messages.
pub fn canonical_ipv6(addr: &str) -> Option<String> {
    let ip: Ipv6Addr = addr.to_ascii_lowercase().parse().ok()?;
    let mut buf = [0u8; 39];
    Some(serialize_ipv6(&ip, &mut buf).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_browser_origins() {
        let cases = [
            ("https://example.com", "https", "example.com", None),
            ("http://localhost:8080", "http", "localhost", Some(8080)),
            ("http://127.0.0.1:3000", "http", "127.0.0.1", Some(3000)),
            ("http://[::1]:3000", "http", "::1", Some(3000)),
            ("https://[2001:db8::1]", "https", "2001:db8::1", None),
            (
                "chrome-extension://abcdef",
                "chrome-extension",
                "abcdef",
                None,
            ),
            ("https://a_b.example.com", "https", "a_b.example.com", None),
            (
                "https://xn--rsum-bpad.example",
                "https",
                "xn--rsum-bpad.example",
                None,
            ),
        ];
        for (text, scheme, host, port) in cases {
            let o = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!((o.scheme, o.host, o.port), (scheme, host, port), "{text}");
            assert_eq!(o.full, text);
        }
    }

    #[test]
    fn refuses_forms_browsers_never_send() {
        use SyntaxError::*;
        let long = format!("https://{}.com", "a".repeat(400));
        let cases: &[(&str, SyntaxError)] = &[
            ("", Empty),
            (&long, TooLong),
            ("example.com", MissingScheme),
            ("HTTPS://example.com", Uppercase),
            ("https://Example.com", Uppercase),
            ("https://example.com/", HasPath),
            ("https://example.com/x", HasPath),
            ("https://example.com?q", HasPath),
            ("https://example.com#f", HasPath),
            ("https://user@example.com", HasUserinfo),
            ("https://user@example.com/", HasUserinfo),
            ("https://example.com.", TrailingDot),
            ("https://example..com", InvalidHost),
            ("https://-a.example.com", InvalidHost),
            ("https://exa mple.com", InvalidHost),
            ("https://example.com:", InvalidPort),
            ("https://example.com:0", InvalidPort),
            ("https://example.com:65536", InvalidPort),
            ("https://example.com:08080", InvalidPort),
            ("https://example.com:443", DefaultPort),
            ("http://example.com:80", DefaultPort),
            ("http://127.1", NonCanonicalIp),
            ("http://127.000.0.1", NonCanonicalIp),
            ("http://0x7f.0.0.1", NonCanonicalIp),
            ("http://256.0.0.1", NonCanonicalIp),
            ("http://[0:0:0:0:0:0:0:1]", NonCanonicalIp),
            ("http://[::ffff:127.0.0.1]", NonCanonicalIp),
            ("http://[::1%eth0]", InvalidHost),
            ("http://[::1", InvalidHost),
            ("http://[::1]x", InvalidHost),
            ("https://résumé.com", NonAscii),
            ("1https://example.com", InvalidScheme),
            ("://example.com", InvalidScheme),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text.as_bytes()), Err(*want), "{text}");
        }
        assert_eq!(parse(b"https://\xffexample.com"), Err(NonAscii));
    }

    /// The fast path may only accept what the thorough parser accepts, with the same result.
    #[test]
    fn fast_path_agrees_with_the_thorough_parser() {
        let alphabet: &[u8] = b"ahst:/.-_09A@[]?#1x ";
        let seeds: &[&[u8]] = &[
            b"https://a.example.com",
            b"http://localhost:8080",
            b"https://a-b.c_d.example:443",
            b"http://1.2.3.4",
            b"ws://x.y:0",
        ];
        // A small deterministic generator: no dependency, same cases every run.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted = 0;
        for round in 0..20_000 {
            let mut input = seeds[round % seeds.len()].to_vec();
            for _ in 0..(next() % 4) {
                let at = (next() as usize) % (input.len() + 1);
                let c = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 if at < input.len() => input[at] = c,
                    1 if at < input.len() => {
                        input.remove(at);
                    }
                    _ => input.insert(at, c),
                }
            }
            if let Some(fast) = parse_host_name_origin(&input) {
                accepted += 1;
                assert_eq!(
                    Ok(fast),
                    parse_slowly(&input),
                    "{}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
        assert!(accepted > 1_000, "the fast path was exercised: {accepted}");
    }

    #[test]
    fn ipv6_serializer_follows_the_url_standard() {
        for (input, want) in [
            ("0:0:0:0:0:0:0:1", "::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:0db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            ("::ffff:127.0.0.1", "::ffff:7f00:1"),
            ("1:0:0:0:0:0:0:0", "1::"),
            ("::", "::"),
        ] {
            assert_eq!(canonical_ipv6(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn loopback_and_secure() {
        let secure = |s: &str| parse(s.as_bytes()).unwrap().is_secure();
        assert!(secure("https://example.com"));
        assert!(secure("http://localhost:3000"));
        assert!(secure("http://app.localhost"));
        assert!(secure("http://127.0.0.2"));
        assert!(secure("http://[::1]"));
        assert!(!secure("http://example.com"));
        assert!(!secure("http://localhost.evil.com"));
        assert!(!secure("http://128.0.0.1"));
    }
}
