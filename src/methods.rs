//! [`AllowedMethods`]: the methods a preflight may ask for, with the
//! `Access-Control-Allow-Methods` value that answers it.

use actix_web::http::header::HeaderValue;

/// Which methods a preflight may ask for, owning the value it is answered with.
#[derive(Debug, Clone)]
pub(crate) enum AllowedMethods {
    /// Any method token; the answer names the method asked for.
    Any,
    /// Exactly these tokens, compared byte for byte, answered with all of them.
    List {
        tokens: Vec<Box<str>>,
        header: HeaderValue,
    },
}

impl AllowedMethods {
    pub(crate) fn contains(&self, method: &[u8]) -> bool {
        match self {
            AllowedMethods::Any => true,
            AllowedMethods::List { tokens, .. } => tokens.iter().any(|m| m.as_bytes() == method),
        }
    }

    /// The whole list, for the answer to a refused preflight; `None` for any method, where no
    /// list can be sent without echoing the request.
    pub(crate) fn full_list(&self) -> Option<&HeaderValue> {
        match self {
            AllowedMethods::Any => None,
            AllowedMethods::List { header, .. } => Some(header).filter(|h| !h.is_empty()),
        }
    }

    /// The `Access-Control-Allow-Methods` value for a preflight that asked for `asked`.
    pub(crate) fn header_for<'a>(&'a self, asked: &'a HeaderValue) -> &'a HeaderValue {
        match self {
            AllowedMethods::Any => asked,
            AllowedMethods::List { header, .. } => header,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_echoes_and_a_list_answers_with_itself() {
        let asked = HeaderValue::from_static("PATCH");
        assert!(AllowedMethods::Any.contains(b"PROPFIND"));
        assert_eq!(AllowedMethods::Any.header_for(&asked), "PATCH");
        let list = AllowedMethods::List {
            tokens: vec!["GET".into(), "PUT".into()],
            header: HeaderValue::from_static("GET, PUT"),
        };
        assert!(list.contains(b"PUT"));
        assert!(!list.contains(b"put"));
        assert!(!list.contains(b"PATCH"));
        assert_eq!(list.header_for(&asked), "GET, PUT");
    }
}
