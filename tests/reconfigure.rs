//! `Cors::reconfigure` under load: a real `HttpServer` on 127.0.0.1 with 2 workers and
//! kept-alive connections, while another thread switches between two policies hundreds of
//! times. Every response is wholly one policy's, none is a 5xx or lost, and after the last
//! change every worker follows it. Plus the log lines a change writes.

#[path = "../examples/support/browser.rs"]
mod browser;
mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use actix_cross_origin::{Cors, CorsOptions};
use actix_web::{web, App, HttpServer};
use browser::ServerGuard;
use support::logged;

const ORIGIN: &str = "http://127.0.0.1:9999";
const CONNECTIONS: usize = 4;
const CHANGES: usize = 300;

/// Policy A and policy B grant the same origin but differ in two fields, so that a response
/// mixing them (A's exposed header with B's credentials, say) would show.
fn policy(b: bool) -> CorsOptions {
    CorsOptions {
        origins: Some(vec![ORIGIN.into()]),
        expose_headers: vec![if b { "X-B" } else { "X-A" }.into()],
        supports_credentials: b,
        ..CorsOptions::default()
    }
}

/// Which policy a response is wholly from, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Seen {
    A,
    B,
    Mixed,
}

struct Answer {
    status: u16,
    seen: Seen,
    worker: String,
}

/// One request on a kept-alive connection, read back whole.
fn get(stream: &mut BufReader<TcpStream>) -> std::io::Result<Answer> {
    let request = format!("GET /items HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ORIGIN}\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes())?;
    let mut status_line = String::new();
    stream.read_line(&mut status_line)?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        stream.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    let field = |name: &str| headers.get(name).map(String::as_str);
    let seen = match (
        field("access-control-allow-origin"),
        field("access-control-expose-headers"),
        field("access-control-allow-credentials"),
    ) {
        (Some(ORIGIN), Some("X-A"), None) => Seen::A,
        (Some(ORIGIN), Some("X-B"), Some("true")) => Seen::B,
        _ => Seen::Mixed,
    };
    Ok(Answer {
        status,
        seen,
        worker: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn connect(addr: SocketAddr) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    BufReader::new(stream)
}

#[test]
fn every_response_is_one_policys_while_it_changes_hundreds_of_times() {
    let cors = Cors::from_options(policy(false)).expect("valid policy");
    let server_cors = cors.clone();
    let server = ServerGuard::start(move || {
        let server = HttpServer::new(move || {
            App::new().wrap(server_cors.clone()).route(
                "/items",
                web::get().to(|| async { format!("{:?}", thread::current().id()) }),
            )
        })
        .workers(2)
        .bind(("127.0.0.1", 0))?;
        let addr = server.addrs()[0];
        Ok((server.run(), addr))
    });
    let addr = server.addr;
    let changing = Arc::new(AtomicBool::new(true));

    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let changing = Arc::clone(&changing);
            thread::spawn(move || {
                let mut stream = connect(addr);
                let mut answers = Vec::new();
                // Bounded: the changes take well under this many requests.
                for _ in 0..20_000 {
                    answers.push(get(&mut stream).expect("an answer on the kept-alive connection"));
                    if !changing.load(Ordering::SeqCst) {
                        break;
                    }
                }
                (stream, answers)
            })
        })
        .collect();
    for i in 1..=CHANGES {
        cors.reconfigure(policy(i.is_multiple_of(2)))
            .expect("a valid policy");
        thread::sleep(Duration::from_micros(500));
    }
    let last_is_b = CHANGES.is_multiple_of(2);
    changing.store(false, Ordering::SeqCst);

    let mut counts: BTreeMap<Seen, usize> = BTreeMap::new();
    let mut workers_after = std::collections::BTreeSet::new();
    let mut requests = 0;
    for client in clients {
        let (mut stream, answers) = client.join().expect("client thread");
        for answer in &answers {
            assert_eq!(answer.status, 200, "a response that was not 200");
            *counts.entry(answer.seen).or_default() += 1;
        }
        requests += answers.len();
        // After the last change, every worker answers by it.
        for _ in 0..5 {
            let answer = get(&mut stream).expect("an answer after the last change");
            assert_eq!(answer.status, 200);
            assert_eq!(answer.seen, if last_is_b { Seen::B } else { Seen::A });
            workers_after.insert(answer.worker);
            requests += 1;
        }
    }
    println!(
        "reconfigure under load: {requests} requests on {CONNECTIONS} connections, {CHANGES} changes; policy A {}, policy B {}, mixed {}",
        counts.get(&Seen::A).unwrap_or(&0),
        counts.get(&Seen::B).unwrap_or(&0),
        counts.get(&Seen::Mixed).unwrap_or(&0)
    );
    assert_eq!(
        counts.get(&Seen::Mixed),
        None,
        "a response mixed two policies"
    );
    assert!(
        counts.contains_key(&Seen::A) && counts.contains_key(&Seen::B),
        "{counts:?}"
    );
    assert_eq!(
        workers_after.len(),
        2,
        "both workers answered after the last change"
    );
    drop(server);
}

#[actix_rt::test]
async fn a_change_logs_what_changed_and_a_refused_one_its_error() {
    let cors = Cors::from_options(policy(false)).unwrap();
    let lines = logged(async {
        let mut more = policy(false);
        more.origins
            .as_mut()
            .unwrap()
            .push("https://secret-customer.example".into());
        more.max_age = Some(600);
        cors.reconfigure(more).unwrap();
        let mut bad = policy(false);
        bad.origins = Some(vec!["null".into()]);
        assert!(cors.reconfigure(bad).is_err());
    })
    .await;
    let info: Vec<_> = lines
        .iter()
        .filter(|(l, _)| *l == log::Level::Info)
        .collect();
    assert_eq!(info.len(), 1, "{lines:?}");
    assert_eq!(
        info[0].1,
        "CORS policy changed (change 1): origins 1 -> 2 entries, max_age None -> Some(600)"
    );
    assert!(!info[0].1.contains("secret"), "no origin in the line");
    let errors: Vec<_> = lines
        .iter()
        .filter(|(l, _)| *l == log::Level::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    assert!(
        errors[0].1.contains("refused") && errors[0].1.contains("null"),
        "{errors:?}"
    );
    assert_eq!(
        cors.options().origins.unwrap().len(),
        2,
        "the refused change changed nothing"
    );
}

#[actix_rt::test]
async fn a_predicate_keeps_deciding_after_a_change() {
    let cors = Cors::default()
        .allow_origin_fn(|origin, _| origin.ends_with(".partner.example"))
        .origins(["https://app.example"])
        .try_build()
        .unwrap();
    let app = actix_web::test::init_service(
        App::new()
            .wrap(cors.clone())
            .route("/items", web::get().to(|| async { "items" })),
    )
    .await;
    let mut options = cors.options();
    options.max_age = Some(60);
    cors.reconfigure(options).unwrap();
    for (origin, granted) in [
        ("https://a.partner.example", true),
        ("https://app.example", true),
        ("https://evil.example", false),
    ] {
        let req = actix_web::test::TestRequest::get()
            .uri("/items")
            .insert_header(("Origin", origin));
        let res = support::call(&app, req).await;
        let allow = res.headers().get("access-control-allow-origin");
        assert_eq!(allow.is_some(), granted, "{origin}");
    }
}

#[test]
fn a_predicate_and_the_clones_follow_every_change() {
    let cors = Cors::default()
        .allow_origin_fn(|origin, _| origin.ends_with(".partner.example"))
        .origins(["https://app.example"])
        .try_build()
        .unwrap();
    let clone = cors.clone();
    let mut options = cors.options();
    options.max_age = Some(60);
    clone.reconfigure(options.clone()).unwrap();
    assert_eq!(cors.options(), options, "a clone's change is every clone's");
    assert!(
        format!("{cors:?}").contains("allow_origin_fn: true"),
        "the predicate is kept"
    );
    // A builder method makes a new policy, starting from the one in force.
    let detached = cors.clone().max_age(5);
    assert_eq!(detached.options().origins, options.origins);
    assert_eq!(
        cors.options().max_age,
        Some(60),
        "the original is unchanged"
    );
}

#[actix_rt::test]
async fn a_request_in_flight_finishes_under_the_policy_it_started_with() {
    use actix_web::dev::Service;
    let cors = Cors::from_options(policy(false)).unwrap();
    let app = actix_web::test::init_service(
        App::new()
            .wrap(cors.clone())
            .route("/items", web::get().to(|| async { "items" })),
    )
    .await;
    let request = || {
        actix_web::test::TestRequest::get()
            .uri("/items")
            .insert_header(("Origin", ORIGIN))
            .to_request()
    };
    // The middleware decides when the call starts; the change comes before its answer.
    let in_flight = app.call(request());
    cors.reconfigure(policy(true)).unwrap();
    let res = in_flight.await.unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("access-control-expose-headers").as_deref(),
        Some("X-A")
    );
    assert_eq!(header("access-control-allow-credentials"), None);
    // The next request is the new policy's.
    let res = app.call(request()).await.unwrap();
    assert_eq!(
        res.headers().get("access-control-expose-headers").unwrap(),
        "X-B"
    );
}

/// Explain mode is turned on and off by a change, through a real App: its fields come and
/// go, the change line names it, and turning it on warns.
#[actix_rt::test]
async fn explain_mode_follows_a_change() {
    let cors = Cors::default()
        .origins(["https://app.example"])
        .try_build()
        .unwrap();
    let app = actix_web::test::init_service(
        App::new()
            .wrap(cors.clone())
            .route("/items", web::get().to(|| async { "items" })),
    )
    .await;
    let refused = || {
        actix_web::test::TestRequest::get()
            .uri("/items")
            .insert_header(("Origin", "https://evil.example"))
    };
    let field = |res: &actix_web::dev::ServiceResponse<_>, name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let res = support::call(&app, refused()).await;
    assert_eq!(field(&res, "access-control-allow-origin"), None);
    assert_eq!(field(&res, "cors-refusal"), None);

    let lines = logged(async {
        let mut on = cors.options();
        on.explain = true;
        cors.reconfigure(on).unwrap();
    })
    .await;
    assert!(
        lines
            .iter()
            .any(|(l, s)| *l == log::Level::Info && s.ends_with("explain false -> true")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(l, s)| *l == log::Level::Warn && s.contains("explain is on")),
        "{lines:?}"
    );
    let res = support::call(&app, refused()).await;
    assert_eq!(
        field(&res, "access-control-allow-origin").as_deref(),
        Some("origin-not-allowed")
    );
    assert_eq!(
        field(&res, "cors-refusal").as_deref(),
        Some("origins: origin \"https://evil.example\" is not allowed")
    );

    let mut off = cors.options();
    off.explain = false;
    cors.reconfigure(off).unwrap();
    let res = support::call(&app, refused()).await;
    assert_eq!(field(&res, "access-control-allow-origin"), None);
    assert_eq!(field(&res, "cors-refusal"), None);
}

/// Two threads changing the policy at once: each change's line is the difference from the
/// options that change replaced, so replaying the lines in order from the first policy
/// explains every one of them.
#[test]
fn concurrent_changes_each_log_their_own_difference() {
    let a = CorsOptions {
        origins: Some(vec!["https://a.example".into()]),
        ..CorsOptions::default()
    };
    let mut b = a.clone();
    assert_eq!(
        b.add_origin("https://b.example"),
        actix_cross_origin::OriginAdded::Added
    );
    let c = CorsOptions {
        max_age: Some(600),
        ..a.clone()
    };
    let cors = Cors::from_options(a.clone()).unwrap();
    let changes_per_thread = 200;
    let threads: Vec<_> = [b.clone(), c.clone()]
        .into_iter()
        .map(|target| {
            let cors = cors.clone();
            thread::spawn(move || {
                actix_web::rt::System::new().block_on(logged(async move {
                    for _ in 0..changes_per_thread {
                        cors.reconfigure(target.clone()).unwrap();
                    }
                }))
            })
        })
        .collect();
    let mut lines: Vec<(u64, String)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .filter(|(level, _)| *level == log::Level::Info)
        .map(|(_, line)| {
            let rest = line.strip_prefix("CORS policy changed (change ").unwrap();
            let (n, what) = rest.split_once("): ").unwrap();
            (n.parse().unwrap(), what.to_owned())
        })
        .collect();
    lines.sort();
    assert_eq!(lines.len(), 2 * changes_per_thread);
    let describe = |old: &CorsOptions, new: &CorsOptions| -> String {
        // What the line says for each step, from its two sides.
        let mut parts = Vec::new();
        let (x, y) = (
            old.origins.as_ref().unwrap().len(),
            new.origins.as_ref().unwrap().len(),
        );
        if x != y {
            parts.push(format!("origins {x} -> {y} entries"));
        }
        if old.max_age != new.max_age {
            parts.push(format!("max_age {:?} -> {:?}", old.max_age, new.max_age));
        }
        if parts.is_empty() {
            "nothing".into()
        } else {
            parts.join(", ")
        }
    };
    let mut in_force = a;
    for (n, what) in &lines {
        let next = [&b, &c]
            .into_iter()
            .find(|candidate| describe(&in_force, candidate) == *what);
        match next {
            Some(next) => in_force = next.clone(),
            None => panic!("change {n} logged {what:?}, which no change from {in_force:?} makes"),
        }
    }
}
