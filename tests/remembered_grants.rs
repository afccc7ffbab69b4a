//! Origins granted by a pattern or a regex are remembered per thread, so that a returning front
//! end costs one lookup. The memory must never change an answer: not across policies on the
//! same thread, not for a predicate (which sees the whole request), not after a flood.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_cross_origin::{Cors, ResourceOptions};
use actix_web::http::header;
use support::*;

fn allow_origin<B>(res: &actix_web::dev::ServiceResponse<B>) -> Option<&str> {
    res.headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .map(|v| v.to_str().unwrap())
}

/// The `Access-Control-Allow-Origin` that `app` answers to a GET /items from `origin`.
async fn granted<B>(app: &impl TestApp<B>, origin: &str) -> Option<String> {
    let res = call(app, get("/items", Some(origin))).await;
    allow_origin(&res).map(str::to_owned)
}

#[actix_rt::test]
async fn a_grant_by_one_policy_is_never_read_by_another() {
    let hits = Hits::default();
    let wide = api(
        Cors::default()
            .origins(["https://*.example.com"])
            .try_build()
            .unwrap(),
        &hits,
    )
    .await;
    let narrow = api(
        Cors::default()
            .origins(["https://*.api.example.com"])
            .try_build()
            .unwrap(),
        &hits,
    )
    .await;
    let regexes = api(
        Cors::default()
            .origin_regexes([r"https://[a-z]+\.example\.com"])
            .try_build()
            .unwrap(),
        &hits,
    )
    .await;
    for round in 0..3 {
        assert_eq!(
            granted(&wide, "https://app.example.com").await,
            Some("https://app.example.com".into()),
            "round {round}"
        );
        assert_eq!(
            granted(&narrow, "https://app.example.com").await,
            None,
            "round {round}: narrow policy"
        );
        assert_eq!(
            granted(&regexes, "https://app.example.com").await,
            Some("https://app.example.com".into()),
            "round {round}"
        );
        assert_eq!(
            granted(&narrow, "https://app.example.com").await,
            None,
            "round {round}: after the regex grant"
        );
    }
}

#[actix_rt::test]
async fn resources_of_one_cors_keep_their_own_answers() {
    let hits = Hits::default();
    let app = api(
        Cors::default()
            .resources([
                ResourceOptions {
                    path: "/items".into(),
                    origins: Some(vec!["https://*.example.com".into()]),
                    ..ResourceOptions::default()
                },
                ResourceOptions {
                    path: "/*".into(),
                    origins: Some(vec!["https://*.other.example".into()]),
                    ..ResourceOptions::default()
                },
            ])
            .try_build()
            .unwrap(),
        &hits,
    )
    .await;
    for _ in 0..3 {
        assert_eq!(
            granted(&app, "https://app.example.com").await,
            Some("https://app.example.com".into())
        );
        let res = call(&app, get("/vary", Some("https://app.example.com"))).await;
        assert_eq!(
            allow_origin(&res),
            None,
            "/vary is governed by the other resource"
        );
    }
}

#[actix_rt::test]
async fn a_predicate_is_asked_every_time() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    // Grants only the first time it is asked.
    let cors = Cors::default()
        .allow_origin_fn(move |_, _| counter.fetch_add(1, Ordering::SeqCst) == 0)
        .try_build()
        .unwrap();
    let app = api(cors, &Hits::default()).await;
    assert_eq!(
        granted(&app, "https://app.example.com").await,
        Some("https://app.example.com".into())
    );
    assert_eq!(granted(&app, "https://app.example.com").await, None);
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}

#[actix_rt::test]
async fn near_misses_of_a_remembered_origin_stay_refused() {
    let app = api(
        Cors::default()
            .origins(["https://*.example.com"])
            .try_build()
            .unwrap(),
        &Hits::default(),
    )
    .await;
    assert_eq!(
        granted(&app, "https://app.example.com").await,
        Some("https://app.example.com".into())
    );
    for attack in [
        "https://app.example.com.evil.test",
        "https://app.example.co",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://APP.example.com",
        "https://app.example.com/",
    ] {
        assert_eq!(granted(&app, attack).await, None, "{attack}");
    }
    // And the remembered one still works after the near misses.
    assert_eq!(
        granted(&app, "https://app.example.com").await,
        Some("https://app.example.com".into())
    );
}

#[actix_rt::test]
async fn a_flood_of_granted_origins_changes_no_answer() {
    let app = api(
        Cors::default()
            .origins(["https://*.example.com"])
            .try_build()
            .unwrap(),
        &Hits::default(),
    )
    .await;
    for i in 0..500 {
        let origin = format!("https://t{i}.example.com");
        assert_eq!(granted(&app, &origin).await, Some(origin.clone()));
        let refused = format!("https://t{i}.example.org");
        assert_eq!(granted(&app, &refused).await, None, "{refused}");
    }
    assert_eq!(
        granted(&app, "https://t0.example.com").await,
        Some("https://t0.example.com".into())
    );
}
