//! The CORS-preflight fetch (Fetch §4.8): the `OPTIONS` request a browser sends before a
//! request that is not simple, and the checks its answer must pass.

use std::time::Duration;

use actix_web::http::header::HeaderMap;

use super::check::{cors_check, max_age, token_list};
use super::refusal::Refusal;
use super::safelist::{is_non_wildcard_request_header, is_safelisted_method};

/// §4.8 step 7.9: the max-age of a preflight without a valid `Access-Control-Max-Age`.
pub(crate) const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5);

/// What the page asked a preflight for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asked<'a> {
    pub(crate) origin: &'a str,
    pub(crate) method: &'a str,
    /// Every header the page set, as written, in order.
    pub(crate) headers: &'a [(String, String)],
    /// The CORS-unsafe request-header names (lowercase, sorted, unique).
    pub(crate) unsafe_names: &'a [String],
    pub(crate) credentials: bool,
    /// The engines' default reading: `Access-Control-Allow-Headers: *` covers `Authorization`.
    pub(crate) wildcard_covers_authorization: bool,
}

/// §4.8 steps 2 to 5: the preflight's fields, in order, as the browser sends them. No cookie
/// and no header the page set: only what the preflight asks about.
pub(crate) fn request_fields(asked: &Asked<'_>) -> Vec<(String, String)> {
    let mut fields = vec![
        ("Accept".to_owned(), "*/*".to_owned()),
        ("Origin".to_owned(), asked.origin.to_owned()),
        (
            "Access-Control-Request-Method".to_owned(),
            asked.method.to_owned(),
        ),
    ];
    if !asked.unsafe_names.is_empty() {
        // Joined by "," without a space: §4.8 step 5 "intentionally does not use combine".
        fields.push((
            "Access-Control-Request-Headers".to_owned(),
            asked.unsafe_names.join(","),
        ));
    }
    fields
}

/// What a passing preflight allows, for the cache (§4.8 steps 7.8 to 7.15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    pub(crate) methods: Vec<String>,
    pub(crate) header_names: Vec<String>,
    pub(crate) max_age: Duration,
}

/// §4.8 step 7: the preflight's answer passes the CORS check with an ok status, its lists
/// parse, and they allow the method and every unsafe header. `max_age_cap` is the imposed
/// limit of step 7.10.
pub(crate) fn check_answer(
    status: u16,
    headers: &HeaderMap,
    asked: &Asked<'_>,
    max_age_cap: Duration,
) -> Result<Grant, Refusal> {
    let cors = cors_check(headers, asked.origin, asked.credentials).err();
    if cors.is_some() || !(200..300).contains(&status) {
        return Err(Refusal::Preflight { status, cors });
    }
    let methods = token_list(headers, "access-control-allow-methods")
        .map_err(|value| Refusal::InvalidAllowMethods { value })?
        .unwrap_or_default();
    let header_names = token_list(headers, "access-control-allow-headers")
        .map_err(|value| Refusal::InvalidAllowHeaders { value })?
        .unwrap_or_default();
    check_method(&methods, asked)?;
    check_headers(&header_names, asked)?;
    let max_age = max_age(headers).map_or(DEFAULT_MAX_AGE, Duration::from_secs);
    Ok(Grant {
        methods,
        header_names,
        max_age: max_age.min(max_age_cap),
    })
}

/// §4.8 step 7.5: the method is listed (byte for byte), safelisted, or covered by `*` without
/// credentials.
fn check_method(methods: &[String], asked: &Asked<'_>) -> Result<(), Refusal> {
    let wildcard = !asked.credentials && methods.iter().any(|m| m == "*");
    if methods.iter().any(|m| m == asked.method)
        || is_safelisted_method(asked.method.as_bytes())
        || wildcard
    {
        return Ok(());
    }
    Err(Refusal::Method {
        method: asked.method.to_owned(),
    })
}

/// §4.8 steps 7.6 and 7.7: `Authorization` must be listed by name; every other unsafe name
/// must be listed or covered by `*` without credentials. The refusal names the first name
/// that fails in sorted order, spelled as the page wrote it.
fn check_headers(allowed: &[String], asked: &Asked<'_>) -> Result<(), Refusal> {
    let listed = |name: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(name));
    let star = allowed.iter().any(|a| a == "*");
    let covered_by_star = |name: &str| {
        star && !asked.credentials
            && (asked.wildcard_covers_authorization || !is_non_wildcard_request_header(name))
    };
    for name in asked.unsafe_names {
        if !listed(name) && !covered_by_star(name) {
            let written = asked
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map_or_else(|| name.clone(), |(n, _)| n.clone());
            return Err(Refusal::Header {
                name: written,
                wildcard: star,
                credentials: asked.credentials,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test::refusal::CorsFailure;
    use actix_web::http::header::{HeaderName, HeaderValue};

    const ORIGIN: &str = "https://app.example";
    const CAP: Duration = Duration::from_secs(7200);

    fn answer(fields: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in fields {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn asked<'a>(
        method: &'a str,
        headers: &'a [(String, String)],
        unsafe_names: &'a [String],
        credentials: bool,
    ) -> Asked<'a> {
        Asked {
            origin: ORIGIN,
            method,
            headers,
            unsafe_names,
            credentials,
            wildcard_covers_authorization: false,
        }
    }

    #[test]
    fn the_preflight_request() {
        let headers = vec![("X-Token".to_owned(), "1".to_owned())];
        let names = vec!["authorization".to_owned(), "x-token".to_owned()];
        let fields = request_fields(&asked("PUT", &headers, &names, true));
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("Accept", "*/*"),
                ("Origin", ORIGIN),
                ("Access-Control-Request-Method", "PUT"),
                ("Access-Control-Request-Headers", "authorization,x-token"),
            ]
        );
        let fields = request_fields(&asked("DELETE", &[], &[], false));
        assert_eq!(
            fields.len(),
            3,
            "no Access-Control-Request-Headers without unsafe names"
        );
    }

    #[test]
    fn the_answer_checks() {
        let acao = ("access-control-allow-origin", ORIGIN);
        let star_origin = ("access-control-allow-origin", "*");
        let acac = ("access-control-allow-credentials", "true");
        let methods = |v| ("access-control-allow-methods", v);
        let headers = |v| ("access-control-allow-headers", v);
        let token = vec![("X-Token".to_owned(), "t".to_owned())];
        let bearer = vec![("Authorization".to_owned(), "Bearer t".to_owned())];
        let token_name = vec!["x-token".to_owned()];
        let auth_name = vec!["authorization".to_owned()];
        let header = |name: &str, wildcard, credentials| {
            Err(Refusal::Header {
                name: name.into(),
                wildcard,
                credentials,
            })
        };
        let method = |m: &str| Err(Refusal::Method { method: m.into() });
        let ok = Ok(());
        // (status, answer, method, headers, unsafe names, credentials, want)
        type Case<'a> = (
            u16,
            Vec<(&'a str, &'a str)>,
            &'a str,
            &'a [(String, String)],
            &'a [String],
            bool,
            Result<(), Refusal>,
        );
        let cases: Vec<Case<'_>> = vec![
            (
                204,
                vec![acao, methods("PUT")],
                "PUT",
                &[],
                &[],
                false,
                ok.clone(),
            ),
            (
                200,
                vec![acao, methods("PUT")],
                "PUT",
                &[],
                &[],
                false,
                ok.clone(),
            ),
            (
                299,
                vec![acao, methods("PUT")],
                "PUT",
                &[],
                &[],
                false,
                ok.clone(),
            ),
            (
                403,
                vec![acao, methods("PUT")],
                "PUT",
                &[],
                &[],
                false,
                Err(Refusal::Preflight {
                    status: 403,
                    cors: None,
                }),
            ),
            (
                500,
                vec![],
                "PUT",
                &[],
                &[],
                false,
                Err(Refusal::Preflight {
                    status: 500,
                    cors: Some(CorsFailure::MissingAllowOrigin),
                }),
            ),
            (
                301,
                vec![acao, methods("PUT")],
                "PUT",
                &[],
                &[],
                false,
                Err(Refusal::Preflight {
                    status: 301,
                    cors: None,
                }),
            ),
            (
                204,
                vec![methods("PUT")],
                "PUT",
                &[],
                &[],
                false,
                Err(Refusal::Preflight {
                    status: 204,
                    cors: Some(CorsFailure::MissingAllowOrigin),
                }),
            ),
            (
                204,
                vec![acao, methods("PUT")],
                "PUT",
                &[],
                &[],
                true,
                Err(Refusal::Preflight {
                    status: 204,
                    cors: Some(CorsFailure::AllowCredentialsNotTrue { value: None }),
                }),
            ),
            (
                204,
                vec![acao, acac, methods("PUT")],
                "PUT",
                &[],
                &[],
                true,
                ok.clone(),
            ),
            (
                204,
                vec![star_origin, acac, methods("PUT")],
                "PUT",
                &[],
                &[],
                true,
                Err(Refusal::Preflight {
                    status: 204,
                    cors: Some(CorsFailure::WildcardOriginWithCredentials),
                }),
            ),
            // Methods.
            (204, vec![acao], "PUT", &[], &[], false, method("PUT")),
            (
                204,
                vec![acao, methods("GET, POST")],
                "DELETE",
                &[],
                &[],
                false,
                method("DELETE"),
            ),
            (
                204,
                vec![acao, methods("put")],
                "PUT",
                &[],
                &[],
                false,
                method("PUT"),
            ),
            (
                204,
                vec![acao, methods("*")],
                "DELETE",
                &[],
                &[],
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, acac, methods("*")],
                "DELETE",
                &[],
                &[],
                true,
                method("DELETE"),
            ),
            (
                204,
                vec![acao, acac, methods("*, DELETE")],
                "DELETE",
                &[],
                &[],
                true,
                ok.clone(),
            ),
            (
                204,
                vec![acao],
                "GET",
                &token,
                &token_name,
                false,
                header("X-Token", false, false),
            ),
            (
                204,
                vec![acao, methods("GET, PUT, GET")],
                "PUT",
                &[],
                &[],
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, methods("PUT GET")],
                "PUT",
                &[],
                &[],
                false,
                Err(Refusal::InvalidAllowMethods {
                    value: "PUT GET".into(),
                }),
            ),
            // Headers.
            (
                204,
                vec![acao, headers("x-token")],
                "GET",
                &token,
                &token_name,
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, headers("X-TOKEN")],
                "GET",
                &token,
                &token_name,
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, headers("x-other")],
                "GET",
                &token,
                &token_name,
                false,
                header("X-Token", false, false),
            ),
            (
                204,
                vec![acao, headers("*")],
                "GET",
                &token,
                &token_name,
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, acac, headers("*")],
                "GET",
                &token,
                &token_name,
                true,
                header("X-Token", true, true),
            ),
            (
                204,
                vec![acao, headers("*")],
                "GET",
                &bearer,
                &auth_name,
                false,
                header("Authorization", true, false),
            ),
            (
                204,
                vec![acao, headers("*, authorization")],
                "GET",
                &bearer,
                &auth_name,
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, headers("Authorization")],
                "GET",
                &bearer,
                &auth_name,
                false,
                ok.clone(),
            ),
            (
                204,
                vec![acao, headers("x-token;")],
                "GET",
                &token,
                &token_name,
                false,
                Err(Refusal::InvalidAllowHeaders {
                    value: "x-token;".into(),
                }),
            ),
        ];
        for (status, fields, m, h, names, credentials, want) in cases {
            let got = check_answer(
                status,
                &answer(&fields),
                &asked(m, h, names, credentials),
                CAP,
            )
            .map(|_| ());
            assert_eq!(
                got, want,
                "{status} {fields:?} {m} {names:?} credentials {credentials}"
            );
        }
    }

    #[test]
    fn the_engines_reading_of_a_wildcard() {
        let bearer = vec![("Authorization".to_owned(), "Bearer t".to_owned())];
        let names = vec!["authorization".to_owned()];
        let mut engines = asked("GET", &bearer, &names, false);
        engines.wildcard_covers_authorization = true;
        let fields = answer(&[
            ("access-control-allow-origin", ORIGIN),
            ("access-control-allow-headers", "*"),
        ]);
        assert!(check_answer(204, &fields, &engines, CAP).is_ok());
        engines.credentials = true;
        let with_acac = answer(&[
            ("access-control-allow-origin", ORIGIN),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-headers", "*"),
        ]);
        assert!(
            check_answer(204, &with_acac, &engines, CAP).is_err(),
            "with credentials `*` is a name"
        );
    }

    #[test]
    fn max_age_defaults_and_caps() {
        let asked = asked("PUT", &[], &[], false);
        for (max_age, want) in [
            (None, 5),
            (Some("600"), 600),
            (Some("0"), 0),
            (Some("86400"), 7200),
            (Some("-1"), 5),
            (Some("ten"), 5),
        ] {
            let mut fields = vec![
                ("access-control-allow-origin", ORIGIN),
                ("access-control-allow-methods", "PUT"),
            ];
            if let Some(v) = max_age {
                fields.push(("access-control-max-age", v));
            }
            let grant = check_answer(204, &answer(&fields), &asked, CAP).unwrap();
            assert_eq!(grant.max_age, Duration::from_secs(want), "{max_age:?}");
            assert_eq!(grant.methods, ["PUT"]);
        }
    }
}
