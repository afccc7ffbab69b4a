//! The path a `resources` glob is matched against: the request's path with its dot segments
//! removed (RFC 3986 §5.2.4), as a browser sends it and as a proxy in front may normalize it.
//! Matching the raw path would let `/public/../private/data` take `/public/*`'s policy while
//! a normalizing proxy or file server serves `/private/data` (the class of CVE-2020-25032).
//!
//! Browsers never send dot segments, so the common path is borrowed as it is; only a path
//! that has them is rewritten, into a new string.

use std::borrow::Cow;

/// `path` without `.` and `..` segments.
pub(crate) fn without_dot_segments(path: &str) -> Cow<'_, str> {
    if !path.split('/').any(is_dot_segment) {
        return Cow::Borrowed(path);
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut segments = path.split('/').peekable();
    // An absolute path starts with an empty segment before its first `/`.
    let absolute = path.starts_with('/');
    if absolute {
        segments.next();
    }
    let mut trailing_slash = false;
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        match segment {
            "." => trailing_slash = last,
            ".." => {
                kept.pop();
                trailing_slash = last;
            }
            other => {
                kept.push(other);
                trailing_slash = false;
            }
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &kept {
        if absolute || !out.is_empty() {
            out.push('/');
        }
        out.push_str(segment);
    }
    if trailing_slash || (absolute && kept.is_empty()) {
        out.push('/');
    }
    Cow::Owned(out)
}

fn is_dot_segment(segment: &str) -> bool {
    segment == "." || segment == ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_are_removed_as_rfc_3986_says() {
        let cases = [
            ("/public/status", "/public/status"),
            ("/public/../private/data", "/private/data"),
            ("/public/./status", "/public/status"),
            ("/a/b/c/./../../g", "/a/g"),
            ("/../../x", "/x"),
            ("/a/..", "/"),
            ("/a/.", "/a/"),
            ("/a/b/..", "/a/"),
            ("/", "/"),
            ("/..", "/"),
            ("/a..b/.c/..d", "/a..b/.c/..d"),
            ("/a//../b", "/a/b"),
        ];
        for (path, want) in cases {
            assert_eq!(without_dot_segments(path), want, "{path}");
        }
        assert!(matches!(
            without_dot_segments("/api/items"),
            Cow::Borrowed(_)
        ));
    }
}
