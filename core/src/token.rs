//! The token rule of HTTP (RFC 9110 §5.6.2), which methods and header names follow: in the
//! options, and on every request.

/// Whether `b` may appear in an HTTP token (RFC 9110 §5.6.2).
#[inline]
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Whether `s` is a non-empty HTTP token. Called, not inlined, on the request path, as it was
/// before it moved here: inlined, its loop costs a preflight about 50 more instructions.
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}
