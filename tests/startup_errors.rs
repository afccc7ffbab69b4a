//! An invalid policy stops the server from starting, and says why on stderr even in a program
//! that installed no logger: every problem, its fix, and where the policy was built. Each case
//! runs this test binary again as a child, so that its stderr can be read as a user sees it.

use std::process::Command;

use actix_cross_origin::{cross_origin, Cors};
use actix_web::middleware::Condition;
use actix_web::{web, App, HttpServer};

/// Set in the child: which server to start.
const CHILD: &str = "STARTUP_ERRORS_CHILD";

/// In the child: starts a server whose policy is invalid where `case` says, and checks that
/// actix refuses to start it.
fn start_invalid_server(case: &str) {
    let case = case.to_owned();
    let app = case == "app";
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let app_policy = Cors::default().origins(["https://Partner.example.com:443/", "null"]);
            let case = case.clone();
            App::new()
                .configure(move |c| match case.as_str() {
                    "scope" => {
                        c.service(
                            web::scope("/partner")
                                .wrap(cross_origin().origins(["https://Partner.example.com:443/"]))
                                .route("/x", web::get().to(|| async { "x" })),
                        );
                    }
                    "resource" => {
                        c.service(
                            web::resource("/feed")
                                .wrap(cross_origin().methods(["TRACE"]))
                                .route(web::get().to(|| async { "feed" })),
                        );
                    }
                    _ => {}
                })
                .wrap(Condition::new(app, app_policy))
        })
        .workers(2)
        .bind(("127.0.0.1", 0))
        .expect("bind");
        let started = server.run().await;
        let e = started.expect_err("an invalid policy must stop the server");
        eprintln!("server error: {e}");
    });
}

/// Runs the child for `case` and returns its stderr.
fn child_stderr(case: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, case)
        .env_remove("RUST_LOG")
        .output()
        .expect("run the child");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "child failed: {stderr}");
    stderr
}

/// Not a test of its own: the server the other tests start as a child process, which runs
/// only when they ask for it.
#[test]
#[ignore = "started by the other tests of this file as a child process"]
fn child() {
    if let Ok(case) = std::env::var(CHILD) {
        start_invalid_server(&case);
    }
}

#[test]
fn an_invalid_app_policy_reaches_stderr_without_a_logger() {
    let stderr = child_stderr("app");
    let line = "error: the CORS policy (built at tests/startup_errors.rs:";
    assert!(stderr.contains(line), "{stderr}");
    assert_eq!(stderr.matches(line).count(), 1, "reported once: {stderr}");
    assert!(
        stderr.contains("invalid CORS configuration (2 problems)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("write it in lowercase, without a path and without the default port: \"https://partner.example.com\""),
        "{stderr}"
    );
    assert!(stderr.contains("remove \"null\""), "{stderr}");
    assert!(stderr.contains("server error: "), "{stderr}");
}

#[test]
fn an_invalid_scope_policy_reaches_stderr_without_a_logger() {
    let stderr = child_stderr("scope");
    assert!(
        stderr.contains("error: the CORS policy (built at tests/startup_errors.rs:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"https://partner.example.com\""),
        "{stderr}"
    );
}

// A route attribute's invalid literal options never get this far: they are compile errors at
// the literal (tests/compile_fail/), found by the same rules.

#[test]
fn an_invalid_resource_policy_reaches_stderr_without_a_logger() {
    let stderr = child_stderr("resource");
    assert!(
        stderr.contains("error: the CORS policy (built at tests/startup_errors.rs:"),
        "{stderr}"
    );
    assert!(stderr.contains("methods: \"TRACE\""), "{stderr}");
    assert!(stderr.contains("fix: remove \"TRACE\""), "{stderr}");
}
