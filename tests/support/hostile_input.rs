//! Hostile header values, each with a name: the rows of the hostile-input tests, and the fuzz
//! target's seeds (`tests/fuzz_seeds.rs` writes them from these tables).
#![allow(dead_code)]

/// Origin values no browser sends; none of them may be granted.
pub fn origins() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = [
        ("null", &b"null"[..]),
        ("space", b" "),
        ("trailing-space", b"https://app.example.com "),
        ("leading-space", b" https://app.example.com"),
        ("trailing-tab", b"https://app.example.com\t"),
        ("uppercase-host", b"https://APP.example.com"),
        ("uppercase-scheme", b"HTTPS://app.example.com"),
        ("trailing-slash", b"https://app.example.com/"),
        ("trailing-dot", b"https://app.example.com."),
        ("default-port", b"https://app.example.com:443"),
        ("port-zero", b"https://app.example.com:0"),
        ("port-too-big", b"https://app.example.com:65536"),
        ("query", b"https://app.example.com?x"),
        ("fragment", b"https://app.example.com#x"),
        ("userinfo", b"https://user@app.example.com"),
        ("userinfo-trick", b"https://app.example.com@evil.io"),
        ("fragment-trick", b"https://evil.io#.example.org"),
        ("suffix-added", b"https://app.example.com.evil.io"),
        ("prefix-added", b"https://evilapp.example.com"),
        ("pattern-apex", b"https://example.org"),
        ("empty-label", b"https://.example.org"),
        ("double-dot", b"https://a..example.org"),
        ("localhost-suffix", b"http://localhost.evil.io"),
        ("localhost-bad-port", b"http://localhost:99999"),
        ("regex-suffix-added", b"https://abc.example.net.evil.io"),
        ("punycode", b"https://xn--80ak6aa92e.example.com"),
        ("utf8-lookalike", b"https://\xd0\xb0pp.example.com"),
        ("obs-text", b"https://app.example.com\xff"),
        ("ipv4-mapped", b"https://[::ffff:127.0.0.1]"),
        ("unclosed-ipv6", b"https://[::1"),
        (
            "two-in-one",
            b"https://app.example.com, https://app.example.com",
        ),
        ("star", b"*"),
        ("file", b"file://"),
        ("no-host", b"https://"),
        ("no-scheme", b"://"),
    ]
    .iter()
    .map(|(name, bytes)| (*name, bytes.to_vec()))
    .collect();
    let long_host = format!("https://{}.example.org", "a".repeat(8 * 1024));
    v.push(("8-kib-host", long_host.into_bytes()));
    v.push(("8-kib-garbage", vec![b'a'; 8 * 1024]));
    v
}

/// `Access-Control-Request-Method` values no preflight may be granted with.
pub fn request_methods() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("empty", b""),
        ("space", b" "),
        ("lowercase", b"put"),
        ("obs-text", b"P\xffT"),
        ("two-in-one", b"PUT, GET"),
        ("connect", b"CONNECT"),
        ("trace", b"TRACE"),
    ]
}

/// `Access-Control-Request-Headers` values no preflight may be granted with.
pub fn request_headers() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("obs-text", b"x-token,\xff".to_vec()),
        ("not-a-token", b"x-token;x".to_vec()),
        ("forbidden-name", b"x-token,cookie".to_vec()),
        ("quoted", b"\"x-token\"".to_vec()),
        ("megabyte-of-commas", ", ".repeat(512 * 1024).into_bytes()),
    ]
}
