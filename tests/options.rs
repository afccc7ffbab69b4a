//! `CorsOptions` from data: serde (feature `serde`) and the environment.

use actix_cross_origin::{Cors, CorsOptions, ProblemKind, ResourceOptions};

#[test]
fn from_vars_reads_flask_cors_keys() {
    let o = CorsOptions::from_vars([
        (
            "CORS_ORIGINS",
            "https://a.example.com,https://b.example.com",
        ),
        ("CORS_ORIGIN_REGEXES", r"https://pr-[0-9]+\.example\.org"),
        ("CORS_METHODS", "GET, PUT"),
        ("CORS_ALLOW_HEADERS", "Content-Type, X-Token"),
        ("CORS_EXPOSE_HEADERS", "X-Total-Count"),
        ("CORS_SUPPORTS_CREDENTIALS", "True"),
        ("CORS_MAX_AGE", "600"),
        ("CORS_SEND_WILDCARD", "false"),
        ("CORS_VARY_HEADER", "1"),
        ("CORS_ALWAYS_SEND", "no"),
        ("CORS_AUTOMATIC_OPTIONS", "off"),
        ("CORS_ALLOW_PRIVATE_NETWORK", "yes"),
        ("CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS", "false"),
        ("CORS_EXPLAIN", "on"),
        ("HOME", "/root"),
    ])
    .unwrap();
    let want = CorsOptions {
        origins: Some(vec![
            "https://a.example.com".into(),
            "https://b.example.com".into(),
        ]),
        origin_regexes: vec![r"https://pr-[0-9]+\.example\.org".into()],
        methods: vec!["GET".into(), "PUT".into()],
        allow_headers: vec!["Content-Type".into(), "X-Token".into()],
        expose_headers: vec!["X-Total-Count".into()],
        supports_credentials: true,
        max_age: Some(600),
        send_wildcard: false,
        vary_header: true,
        always_send: false,
        automatic_options: false,
        allow_private_network: true,
        dangerously_allow_insecure_origins: false,
        explain: true,
        resources: vec![],
    };
    assert_eq!(o, want);
    assert!(Cors::from_options(o).is_ok());
}

#[test]
fn from_vars_refuses_what_it_cannot_read() {
    let e = CorsOptions::from_vars([
        ("CORS_SUPPORTS_CREDENTIALS", "maybe"),
        ("CORS_MAX_AGE", "-1"),
        ("CORS_RESOURCES", "{}"),
        ("CORS_ORIGNS", "https://typo.example"),
    ])
    .unwrap_err();
    let options: Vec<_> = e.problems().iter().map(|p| p.option()).collect();
    assert_eq!(
        options,
        [
            "CORS_SUPPORTS_CREDENTIALS",
            "CORS_MAX_AGE",
            "CORS_RESOURCES",
            "CORS_ORIGNS"
        ]
    );
    assert!(e
        .problems()
        .iter()
        .all(|p| p.kind() == ProblemKind::InvalidEnvValue));
}

#[test]
fn from_env_reads_the_process_environment() {
    // Only this test in this binary touches the environment.
    std::env::set_var("CORS_MAX_AGE", "42");
    let o = CorsOptions::from_env().unwrap();
    std::env::remove_var("CORS_MAX_AGE");
    assert_eq!(o.max_age, Some(42));
}

#[test]
fn resource_entries_inherit_what_they_leave_out() {
    let cors = Cors::default()
        .origins(["https://a.example.com"])
        .max_age(60)
        .resources([ResourceOptions {
            path: "/api/*".into(),
            origin_regexes: Some(vec![r"https://[a-z]+\.example\.org".into()]),
            ..ResourceOptions::default()
        }]);
    assert!(cors.try_build().is_ok());
}

#[cfg(feature = "serde")]
mod serde_options {
    use super::*;

    #[test]
    fn json_with_flask_cors_names() {
        let o: CorsOptions = serde_json::from_str(
            r#"{
                "origins": ["https://a.example.com", "https://*.example.org"],
                "methods": "GET, PUT",
                "allow_headers": "*",
                "expose_headers": ["X-Total-Count"],
                "supports_credentials": true,
                "max_age": 600,
                "send_wildcard": false,
                "vary_header": true,
                "always_send": true,
                "automatic_options": true,
                "allow_private_network": false,
                "dangerously_allow_insecure_origins": false,
                "explain": false,
                "resources": [
                    {"path": "/api/*", "origins": "https://api-client.example.com", "max_age": 5, "explain": true},
                    {"path": "/public/*", "origins": []}
                ]
            }"#,
        )
        .unwrap();
        assert_eq!(o.methods, ["GET", "PUT"]);
        assert_eq!(o.allow_headers, ["*"]);
        assert_eq!(o.resources.len(), 2);
        assert_eq!(
            o.resources[0].origins.as_deref(),
            Some(&["https://api-client.example.com".to_string()][..])
        );
        assert_eq!(o.resources[1].origins.as_deref(), Some(&[][..]));
        assert!(!o.explain);
        assert_eq!(o.resources[0].explain, Some(true));
        assert_eq!(o.resources[1].explain, None);
        assert!(Cors::from_options(o).is_ok());
    }

    /// The options in force round-trip through JSON, so an admin route can show them and a
    /// file can keep them.
    #[test]
    fn options_round_trip_through_json() {
        let cors = Cors::default()
            .origins(["https://a.example.com", "http://localhost:*"])
            .origin_regexes([r"https://pr-[0-9]+\.example\.org"])
            .methods(["GET", "PUT"])
            .allow_headers(["x-token"])
            .expose_headers(["X-Total-Count"])
            .supports_credentials(true)
            .max_age(600)
            .explain(true)
            .resources([
                ResourceOptions {
                    path: "/public/*".into(),
                    origins: Some(vec!["*".into()]),
                    supports_credentials: Some(false),
                    ..ResourceOptions::default()
                },
                ResourceOptions {
                    path: "/*".into(),
                    ..ResourceOptions::default()
                },
            ])
            .try_build()
            .unwrap();
        for options in [cors.options(), CorsOptions::default()] {
            let json = serde_json::to_string(&options).unwrap();
            let back: CorsOptions = serde_json::from_str(&json).unwrap();
            assert_eq!(back, options, "{json}");
            assert!(Cors::from_options(back).is_ok());
        }
        let json = serde_json::to_value(cors.options()).unwrap();
        assert_eq!(json["origins"][1], "http://localhost:*");
        assert_eq!(json["resources"][0]["path"], "/public/*");
        assert!(
            json["resources"][1].get("origins").is_none(),
            "options an entry leaves out stay out"
        );
        assert!(serde_json::to_value(CorsOptions::default())
            .unwrap()
            .get("origins")
            .is_none());
    }

    #[test]
    fn resources_keyed_by_path_like_flask_cors() {
        // flask-cors's dict form, in the order a user might write it: tried most specific
        // first, as flask-cors sorts a dict.
        let o: CorsOptions = serde_json::from_str(
            r#"{"resources": {
                "*": {"origins": "https://any.example"},
                "/api/*": {"origins": "https://api.example"},
                "/api/v1/*": {"origins": "https://v1.example"},
                "/api/items": {"origins": "https://items.example"},
                "/x/*": {}
            }}"#,
        )
        .unwrap();
        let order: Vec<&str> = o.resources.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(order, ["/api/items", "/api/v1/*", "/api/*", "/x/*", "*"]);
        assert!(Cors::from_options(o).is_ok());
        // A path in the key and another in the entry is a contradiction.
        let bad = r#"{"resources": {"/api/*": {"path": "/other/*"}}}"#;
        let err = serde_json::from_str::<CorsOptions>(bad).unwrap_err();
        assert!(err.to_string().contains("leave \"path\" out"), "{err}");
    }

    #[test]
    fn left_out_keys_take_defaults() {
        let o: CorsOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(o, CorsOptions::default());
        let o: CorsOptions = serde_json::from_str(r#"{"origins": "*"}"#).unwrap();
        assert_eq!(o.origins.as_deref(), Some(&["*".to_string()][..]));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        for bad in [
            r#"{"origin": "https://a.com"}"#,
            r#"{"intercept_exceptions": true}"#,
            r#"{"resources": [{"path": "/x", "resources": []}]}"#,
            r#"{"max_age": "600"}"#,
            r#"{"origins": 5}"#,
            r#"{"supports_credentials": "yes"}"#,
        ] {
            assert!(serde_json::from_str::<CorsOptions>(bad).is_err(), "{bad}");
        }
    }
}
