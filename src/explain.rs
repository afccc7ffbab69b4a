//! Explain mode (`explain`): a refusal that says, in its own answer, which option refused what.
//!
//! Two fields, both written only on refusals, and only while the policy's `explain` is on:
//!
//! - For a refused origin, an `Access-Control-Allow-Origin` value that names the refusal. It is
//!   one token, never `*`, `null` or a serialized origin, so no engine can take it for a grant
//!   (the CORS check of Fetch §4.9 compares it byte for byte with the request's origin), and
//!   without spaces, commas or a colon, so that Chromium prints it verbatim as "the invalid
//!   value '...'".
//! - A [`CORS_REFUSAL`] field stating the refusal in words, for curl and the network panel.
//!
//! Writing the words allocates; that is the price of an opt-in development mode, and nothing
//! here runs while `explain` is off.

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::decision::Refusal;
use crate::policy::Policy;

/// `CORS-Refusal`: which option refused what, on every refused answer in explain mode.
pub(crate) const CORS_REFUSAL: HeaderName = HeaderName::from_static("cors-refusal");

/// Explain mode's fields for one refusal, built when it is refused.
#[derive(Debug, Clone)]
pub(crate) struct Explanation {
    allow_origin: Option<HeaderValue>,
    refusal: HeaderValue,
}

impl Explanation {
    pub(crate) fn of(policy: &Policy, refusal: &Refusal<'_>) -> Self {
        Explanation {
            allow_origin: origin_value(refusal),
            refusal: refusal_value(policy, refusal),
        }
    }

    /// Writes the fields on a refused answer; an `Access-Control-Allow-Origin` a handler wrote
    /// itself stays.
    pub(crate) fn write(&self, headers: &mut HeaderMap) {
        if let Some(value) = &self.allow_origin {
            if !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value.clone());
            }
        }
        headers.insert(CORS_REFUSAL, self.refusal.clone());
    }
}

/// The `Access-Control-Allow-Origin` value naming a refusal of the origin; `None` for a
/// refusal of the method, a header or private network access, whose origin is granted.
fn origin_value(refusal: &Refusal<'_>) -> Option<HeaderValue> {
    let token = match refusal {
        // Listed origins are matched without parsing: tell a malformed one apart here.
        Refusal::OriginNotAllowed(o) if crate::origin::parse(o).is_err() => "origin-malformed",
        Refusal::OriginNotAllowed(_) => "origin-not-allowed",
        Refusal::OriginMalformed(..) => "origin-malformed",
        Refusal::OriginRepeated => "origin-repeated",
        Refusal::OriginMissing => "origin-missing",
        Refusal::NullOrigin => "origin-null-refused",
        Refusal::InsecureOrigin(_) => "origin-insecure-refused",
        Refusal::MethodRepeated
        | Refusal::MethodMalformed(_)
        | Refusal::MethodNotAllowed(_)
        | Refusal::HeadersTooLong(_)
        | Refusal::HeaderMalformed(_)
        | Refusal::HeaderNotAllowed(_)
        | Refusal::PrivateNetworkNotAllowed => return None,
    };
    Some(HeaderValue::from_static(token))
}

/// The `CORS-Refusal` value: the option (with its `resources` entry) and the refusal, with the
/// list that was searched when the policy lists methods or headers.
fn refusal_value(policy: &Policy, refusal: &Refusal<'_>) -> HeaderValue {
    let option = policy.entry.option(refusal.option());
    let allowed = match refusal {
        Refusal::MethodNotAllowed(_) => policy.methods.full_list(),
        Refusal::HeaderNotAllowed(_) => policy.allow_headers.full_list(),
        _ => None,
    };
    let text = match allowed.and_then(|list| list.to_str().ok()) {
        Some(list) => format!("{option}: {refusal} (allowed: {list})"),
        None => format!("{option}: {refusal}"),
    };
    // Request bytes are escaped to printable ASCII by `Refusal`'s text, so this never fails;
    // should it, the option alone still says where to look.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(refusal.option()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_values_can_never_grant() {
        let refusals = [
            Refusal::OriginNotAllowed(b"https://a.com"),
            Refusal::OriginMalformed(b"x", crate::origin::SyntaxError::Empty),
            Refusal::OriginRepeated,
            Refusal::OriginMissing,
            Refusal::NullOrigin,
            Refusal::InsecureOrigin(b"http://a.com"),
        ];
        for r in refusals {
            let v = origin_value(&r).expect("an origin refusal");
            let b = v.as_bytes();
            assert!(b != b"*" && b != b"null", "{v:?}");
            assert!(
                !b.iter().any(|c| matches!(c, b' ' | b',' | b':' | b'/')),
                "one token, not an origin: {v:?}"
            );
            assert!(crate::origin::parse(b).is_err(), "{v:?}");
        }
        assert_eq!(origin_value(&Refusal::MethodNotAllowed(b"PUT")), None);
        assert_eq!(origin_value(&Refusal::HeaderNotAllowed(b"x-token")), None);
    }
}
