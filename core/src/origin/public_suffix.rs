//! Public suffixes: where a wildcard would admit sites anyone can register.

/// Public suffixes under which a `*.` pattern would admit sites run by strangers.
///
/// Every single-label suffix (`com`, `io`, `dev`, ...) is refused by rule; this list adds the
/// multi-label public suffixes most often seen in CORS configurations. It is a safety net, not
/// the whole Public Suffix List.
const MULTI_LABEL_PUBLIC_SUFFIXES: &[&str] = &[
    "ac.uk",
    "amazonaws.com",
    "appspot.com",
    "azurewebsites.net",
    "blogspot.com",
    "cloudfront.net",
    "co.in",
    "co.jp",
    "co.nz",
    "co.uk",
    "co.za",
    "com.au",
    "com.br",
    "com.cn",
    "com.mx",
    "com.tr",
    "firebaseapp.com",
    "fly.dev",
    "github.io",
    "gitlab.io",
    "gov.uk",
    "herokuapp.com",
    "netlify.app",
    "ngrok.io",
    "onrender.com",
    "org.uk",
    "pages.dev",
    "vercel.app",
    "web.app",
    "workers.dev",
];

/// Whether `*.suffix` would span a public suffix.
pub(crate) fn is_public_suffix(suffix: &str) -> bool {
    (!suffix.contains('.') && suffix != "localhost")
        || MULTI_LABEL_PUBLIC_SUFFIXES.contains(&suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_suffixes() {
        assert!(is_public_suffix("com"));
        assert!(is_public_suffix("github.io"));
        assert!(is_public_suffix("co.uk"));
        assert!(!is_public_suffix("example.com"));
        assert!(!is_public_suffix("localhost"));
    }
}
