//! Every configuration refused at start-up, with the fix it names; and what is accepted.

use actix_cross_origin::{ConfigError, Cors, CorsOptions, ProblemKind, ResourceOptions};
use actix_web::dev::Transform;
use actix_web::test as actix_test;

fn err(cors: Cors) -> ConfigError {
    match cors.try_build() {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(e) => e,
    }
}

/// Each row: the configuration, the kind of the (single) problem, the option named, and a
/// piece of text the fix must contain.
#[test]
fn every_refused_configuration_names_its_fix() {
    let o = |list: &[&str]| Cors::default().origins(list.iter().copied());
    let creds = |list: &[&str]| o(list).supports_credentials(true);
    let rows: Vec<(Cors, ProblemKind, &str, &str)> = vec![
        (
            Cors::default().supports_credentials(true),
            ProblemKind::CredentialsWithAnyOrigin,
            "supports_credentials",
            "list the origins",
        ),
        (
            creds(&["*"]),
            ProblemKind::CredentialsWithAnyOrigin,
            "supports_credentials",
            "list the origins",
        ),
        (
            creds(&["https://a.com"]).send_wildcard(true),
            ProblemKind::CredentialsWithAnyOrigin,
            "send_wildcard",
            "list the origins",
        ),
        (
            o(&["*", "https://a.com"]),
            ProblemKind::WildcardInList,
            "origins",
            "either \"*\" alone",
        ),
        (
            o(&["null"]),
            ProblemKind::NullOrigin,
            "origins",
            "remove \"null\"",
        ),
        (
            o(&["https://a.com/"]),
            ProblemKind::OriginWithPath,
            "origins",
            "\"https://a.com\"",
        ),
        (
            o(&["https://a.com/app"]),
            ProblemKind::OriginWithPath,
            "origins",
            "\"https://a.com\"",
        ),
        (
            o(&["a.com"]),
            ProblemKind::MissingScheme,
            "origins",
            "\"https://a.com\"",
        ),
        (
            o(&["https://App.Example.com"]),
            ProblemKind::UppercaseOrigin,
            "origins",
            "\"https://app.example.com\"",
        ),
        (
            o(&["https://a.com:443"]),
            ProblemKind::DefaultPort,
            "origins",
            "\"https://a.com\"",
        ),
        (
            o(&["http://a.com:80"]),
            ProblemKind::DefaultPort,
            "origins",
            "\"http://a.com\"",
        ),
        (
            o(&["http://[0:0:0:0:0:0:0:1]:8080"]),
            ProblemKind::NonCanonicalIp,
            "origins",
            "[::1]",
        ),
        (
            o(&["http://127.1"]),
            ProblemKind::NonCanonicalIp,
            "origins",
            "four decimal numbers",
        ),
        (
            o(&["https://résumé.example"]),
            ProblemKind::NonAsciiHost,
            "origins",
            "punycode",
        ),
        (
            o(&["https://a.com."]),
            ProblemKind::InvalidOrigin,
            "origins",
            "\"https://a.com\"",
        ),
        (
            o(&["https://a.com, https://b.com"]),
            ProblemKind::InvalidOrigin,
            "origins",
            "separate entries",
        ),
        (
            o(&["https://user@a.com"]),
            ProblemKind::InvalidOrigin,
            "origins",
            "scheme://host",
        ),
        (
            o(&["https://a.*.com"]),
            ProblemKind::InvalidOrigin,
            "origins",
            "https://*.example.com",
        ),
        (
            o(&["file://"]),
            ProblemKind::InvalidOrigin,
            "origins",
            "scheme://host",
        ),
        (
            o(&["https://*.127.0.0.1"]),
            ProblemKind::InvalidOrigin,
            "origins",
            "without \"*.\"",
        ),
        (
            o(&["https://*.com"]),
            ProblemKind::PublicSuffixPattern,
            "origins",
            "your own domain",
        ),
        (
            o(&["https://*.github.io"]),
            ProblemKind::PublicSuffixPattern,
            "origins",
            "your own domain",
        ),
        (
            o(&["https://*.co.uk:*"]),
            ProblemKind::PublicSuffixPattern,
            "origins",
            "your own domain",
        ),
        (
            creds(&["http://app.example.com"]),
            ProblemKind::InsecureOriginWithCredentials,
            "origins",
            "\"https://app.example.com\"",
        ),
        (
            creds(&["http://*.example.com"]),
            ProblemKind::InsecureOriginWithCredentials,
            "origins",
            "dangerously_allow_insecure_origins",
        ),
        (
            Cors::default().origin_regexes(["https://(a"]),
            ProblemKind::InvalidRegex,
            "origin_regexes",
            "regex syntax",
        ),
        (
            Cors::default().origin_regexes([r"https://(?!evil)\w+\.com"]),
            ProblemKind::InvalidRegex,
            "origin_regexes",
            "look-around",
        ),
        (
            Cors::default().origin_regexes([r"https://.*\.example.com"]),
            ProblemKind::UnescapedDotInRegex,
            "origin_regexes",
            r#""https://.*\\.example\\.com""#,
        ),
        (
            Cors::default().origin_regexes([r"^https://.*example\.com$"]),
            ProblemKind::RegexCrossesLabel,
            "origin_regexes",
            r#""^https://([a-z0-9-]+\\.)*example\\.com$""#,
        ),
        (
            // flask-cors reads regexes in `origins`; so do we, with the same lints.
            o(&[r"https://\w+example\.com"]),
            ProblemKind::RegexCrossesLabel,
            "origins",
            "https://*.example.com",
        ),
        (
            Cors::default().origin_regexes([r"https://.+\.com"]),
            ProblemKind::PublicSuffixPattern,
            "origin_regexes",
            "name your own domain",
        ),
        (
            Cors::default().origin_regexes([r"(https://app\.example\.com|\*)"]),
            ProblemKind::RegexMatchesWildcard,
            "origin_regexes",
            "origins = [\"*\"]",
        ),
        (
            o(&["^.*$"]),
            ProblemKind::RegexMatchesWildcard,
            "origins",
            "origins = [\"*\"]",
        ),
        (
            Cors::default().methods(["GE T"]),
            ProblemKind::InvalidMethod,
            "methods",
            "separate entries",
        ),
        (
            Cors::default().methods(["CONNECT"]),
            ProblemKind::ForbiddenMethod,
            "methods",
            "remove",
        ),
        (
            Cors::default().methods(["trace"]),
            ProblemKind::ForbiddenMethod,
            "methods",
            "remove",
        ),
        (
            Cors::default().methods(["TRACK"]),
            ProblemKind::ForbiddenMethod,
            "methods",
            "remove",
        ),
        (
            Cors::default().methods(["*", "GET"]),
            ProblemKind::WildcardInList,
            "methods",
            "alone",
        ),
        (
            Cors::default().allow_headers(["x token"]),
            ProblemKind::InvalidHeaderName,
            "allow_headers",
            "X-Token",
        ),
        (
            Cors::default().allow_headers(["Cookie"]),
            ProblemKind::ForbiddenHeaderName,
            "allow_headers",
            "remove",
        ),
        (
            Cors::default().allow_headers(["host"]),
            ProblemKind::ForbiddenHeaderName,
            "allow_headers",
            "remove",
        ),
        (
            Cors::default().allow_headers(["Sec-Fetch-Mode"]),
            ProblemKind::ForbiddenHeaderName,
            "allow_headers",
            "remove",
        ),
        (
            Cors::default().allow_headers(["Proxy-Authorization"]),
            ProblemKind::ForbiddenHeaderName,
            "allow_headers",
            "remove",
        ),
        (
            Cors::default().allow_headers(["*", "x-a"]),
            ProblemKind::WildcardInList,
            "allow_headers",
            "alone",
        ),
        (
            Cors::default().expose_headers(["Set-Cookie"]),
            ProblemKind::ForbiddenHeaderName,
            "expose_headers",
            "remove",
        ),
        (
            Cors::default().expose_headers(["x y"]),
            ProblemKind::InvalidHeaderName,
            "expose_headers",
            "X-Total-Count",
        ),
        (
            creds(&["https://a.com"]).expose_headers(["*"]),
            ProblemKind::WildcardExposeWithCredentials,
            "expose_headers",
            "list the response headers",
        ),
        (
            Cors::default().max_age(86_401),
            ProblemKind::MaxAgeTooLarge,
            "max_age",
            "at most 86400",
        ),
        (
            Cors::default().resources([ResourceOptions {
                path: "api/*".into(),
                ..Default::default()
            }]),
            ProblemKind::InvalidResourcePath,
            "resources[0].path",
            "/api/*",
        ),
        (
            Cors::default().resources([ResourceOptions {
                path: "/api/*".into(),
                supports_credentials: Some(true),
                ..Default::default()
            }]),
            ProblemKind::CredentialsWithAnyOrigin,
            "resources[0].supports_credentials",
            "list the origins",
        ),
    ];
    for (cors, kind, option, fix) in rows {
        let debug = format!("{cors:?}");
        let e = err(cors);
        assert_eq!(e.problems().len(), 1, "{debug}: {e}");
        let p = &e.problems()[0];
        assert_eq!(p.kind(), kind, "{debug}: {e}");
        assert_eq!(p.option(), option, "{debug}: {e}");
        assert!(
            p.fix().contains(fix),
            "{debug}: fix {:?} lacks {fix:?}",
            p.fix()
        );
        // The text shown at start-up carries the option, the value and the fix.
        let text = e.to_string();
        assert!(text.contains(option) && text.contains(p.fix()), "{text}");
    }
}

#[test]
fn every_problem_is_listed_at_once() {
    let e = err(Cors::default()
        .origins(["https://a.com/", "null", "http://b.com"])
        .supports_credentials(true)
        .methods(["TRACE", "GET"])
        .allow_headers(["cookie"])
        .max_age(100_000)
        .origin_regexes(["("]));
    let kinds: Vec<_> = e.problems().iter().map(|p| p.kind()).collect();
    assert_eq!(
        kinds,
        [
            ProblemKind::OriginWithPath,
            ProblemKind::NullOrigin,
            ProblemKind::InsecureOriginWithCredentials,
            ProblemKind::InvalidRegex,
            ProblemKind::ForbiddenMethod,
            ProblemKind::ForbiddenHeaderName,
            ProblemKind::MaxAgeTooLarge,
        ]
    );
    let text = e.to_string();
    assert!(
        text.starts_with("invalid CORS configuration (7 problems)"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 8);
}

#[test]
fn valid_configurations_are_accepted() {
    let ok = [
        Cors::default(),
        Cors::default().origins([
            "https://app.example.com",
            "https://*.example.com",
            "http://localhost:*",
        ]),
        Cors::default().origins(["https://*.example.com:*", "https://api.example.com:8443"]),
        Cors::default().origins([
            "http://[::1]:3000",
            "http://127.0.0.1:3000",
            "chrome-extension://abcdefgh",
        ]),
        Cors::default().origins(["*"]).send_wildcard(true),
        Cors::default().origins(Vec::<String>::new()),
        Cors::default()
            .origins([
                "https://a.com",
                "http://localhost:3000",
                "http://127.0.0.1:8080",
                "http://[::1]:8080",
            ])
            .supports_credentials(true),
        Cors::default().origin_regexes([
            r"https://[a-z0-9-]+\.example\.com",
            r"https://.*\.example\.org",
        ]),
        Cors::default()
            .origin_regexes([r"https://.+\.example\.com"])
            .supports_credentials(true),
        Cors::default().origin_regexes([
            r"^https://([a-z0-9-]+\.)*example\.com$",
            r"https://.*-preview\.example\.com",
            r"http://localhost:.*",
        ]),
        Cors::default().origins([
            r"https://[a-z0-9-]+\.example\.com",
            "https://a.com",
            "http://[::1]:8080",
        ]),
        Cors::default()
            .allow_origin_fn(|_, _| true)
            .supports_credentials(true),
        Cors::default().methods(
            ["GET", "put", "PROPFIND", "*"]
                .into_iter()
                .filter(|m| *m != "*"),
        ),
        Cors::default().methods(["*"]),
        Cors::default().allow_headers(["Authorization", "Content-Type"]),
        Cors::default().expose_headers(["*"]),
        Cors::default().max_age(0),
        Cors::default().max_age(86_400),
        Cors::default()
            .origins(["http://intranet.example"])
            .supports_credentials(true)
            .dangerously_allow_insecure_origins(true),
    ];
    for cors in ok {
        let debug = format!("{cors:?}");
        if let Err(e) = cors.try_build() {
            panic!("{debug} refused: {e}");
        }
    }
}

#[test]
fn from_options_validates() {
    let e = Cors::from_options(CorsOptions {
        origins: Some(vec!["https://a.com:443".into()]),
        ..CorsOptions::default()
    })
    .unwrap_err();
    assert_eq!(e.problems()[0].kind(), ProblemKind::DefaultPort);
    assert_eq!(e.problems()[0].value(), Some("https://a.com:443"));
    assert!(e.problems()[0].message().contains("default port"));
}

#[actix_rt::test]
async fn an_invalid_cors_refuses_to_start_instead_of_panicking() {
    let cors = Cors::default().origins(["null"]);
    let started = cors.new_transform(actix_test::ok_service()).await;
    assert!(started.is_err());
    let started = Cors::default()
        .new_transform(actix_test::ok_service())
        .await;
    assert!(started.is_ok());
}

#[test]
fn changing_a_built_cors_validates_it_again() {
    let good = Cors::default()
        .origins(["https://a.com"])
        .try_build()
        .unwrap();
    let bad = good.clone().supports_credentials(true).origins(["*"]);
    assert!(bad.try_build().is_err());
    assert!(
        good.try_build().is_ok(),
        "the clone's change did not leak into the original"
    );
}

/// Every fix that names a value to write instead is accepted as it is: the value, put in its
/// place, is refused for nothing (one start-up to mend each entry, not one per mistake).
#[test]
fn every_suggested_fix_is_accepted() {
    let origins = [
        "https://App.example.com:443/",
        "https://App.example.com",
        "https://app.example.com/",
        "https://app.example.com/app?x#y",
        "http://api.example.com:80",
        "HTTPS://*.Example.com:443/",
        "app.example.com",
        "App.example.com:8443/",
        "https://app.example.com.:8443/",
        "http://[0:0:0:0:0:0:0:1]:8080/",
        "http://localhost:*/",
        "http://Intranet.example",
    ];
    let regexes = [
        r"https://api.example.com",
        r"https://.*example\.com",
        r"https://.*example.com",
        r"https://[a-z]+.example.com",
    ];
    let globs = ["api/*", "items"];
    let mut options = Vec::new();
    for origin in origins {
        for credentials in [false, true] {
            options.push(CorsOptions {
                origins: Some(vec![origin.into(), "https://ok.example.com".into()]),
                supports_credentials: credentials,
                ..CorsOptions::default()
            });
        }
    }
    for re in regexes {
        options.push(CorsOptions {
            origins: Some(vec![]),
            origin_regexes: vec![re.into()],
            ..CorsOptions::default()
        });
    }
    for glob in globs {
        options.push(CorsOptions {
            resources: vec![ResourceOptions {
                path: glob.into(),
                ..ResourceOptions::default()
            }],
            ..CorsOptions::default()
        });
    }
    let mut suggested = 0;
    for mut o in options {
        let e = Cors::from_options(o.clone()).unwrap_err();
        let mut any = false;
        for p in e.problems() {
            let (Some(value), Some(fix)) = (p.value(), p.suggestion()) else {
                continue;
            };
            any = true;
            assert!(p.fix().contains(&format!("{fix:?}")), "{p}");
            let replace = |list: &mut Vec<String>| {
                for v in list.iter_mut().filter(|v| *v == value) {
                    *v = fix.to_owned();
                }
            };
            match p.option() {
                "origins" => replace(o.origins.as_mut().unwrap()),
                "origin_regexes" => replace(&mut o.origin_regexes),
                "resources[0].path" => o.resources[0].path = fix.to_owned(),
                other => panic!("a suggestion for {other}: {p}"),
            }
            suggested += 1;
        }
        assert!(any, "no suggestion for {e}");
        if let Err(again) = Cors::from_options(o.clone()) {
            panic!("the suggested fixes are refused again: {o:?}\n{again}");
        }
    }
    assert!(suggested >= 30, "only {suggested} suggestions checked");
}

/// The fix for an entry with several mistakes repairs all of them at once.
#[test]
fn one_fix_for_every_mistake_in_an_entry() {
    let e = err(Cors::default().origins(["https://App.example.com:443/"]));
    assert_eq!(e.problems().len(), 1, "{e}");
    let p = &e.problems()[0];
    assert_eq!(p.suggestion(), Some("https://app.example.com"));
    assert_eq!(
        p.fix(),
        "write it in lowercase, without a path and without the default port: \"https://app.example.com\""
    );
}
