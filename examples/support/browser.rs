//! Shared by the examples' `--check` and the browser tests: servers on ephemeral loopback ports
//! that stop when dropped, and the three browser engines (Chromium, Firefox, WebKit), each
//! launched on a page that posts its results back to its own origin.
//!
//! One method for every engine, with no WebDriver: start the engine on the page with a fresh
//! profile, in a process group of its own; the page runs its fetches and posts one JSON object
//! to `/__results` on its own server; the group is killed as soon as it arrives.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs::File;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use actix_web::dev::{Server, ServerHandle};

/// A server running on its own thread; stopped (and joined) when dropped, even on panic.
pub struct ServerGuard {
    pub addr: SocketAddr,
    handle: ServerHandle,
    thread: Option<thread::JoinHandle<()>>,
}

impl ServerGuard {
    /// Runs `start` inside a fresh actix system on a new thread. `start` binds the server
    /// (on 127.0.0.1) and returns it, not yet awaited, with its address.
    pub fn start<F>(start: F) -> ServerGuard
    where
        F: FnOnce() -> std::io::Result<(Server, SocketAddr)> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        let thread = thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match start() {
                    Ok((server, addr)) => {
                        let _ = tx.send(Ok((addr, server.handle())));
                        let _ = server.await;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                    }
                }
            });
        });
        let (addr, handle) = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(started)) => started,
            Ok(Err(e)) => panic!("server did not start: {e}"),
            Err(_) => panic!("server did not start within 30 s"),
        };
        ServerGuard {
            addr,
            handle,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let stop = self.handle.stop(false);
        // A system of its own: the guard may be dropped outside any runtime.
        actix_web::rt::System::new().block_on(stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A browser engine the checks run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// `chromium`, `firefox`, `webkit`, or a comma-separated list of them; `all` is the three.
    pub fn parse_list(list: &str) -> Result<Vec<Engine>, String> {
        if list.trim() == "all" {
            return Ok(Engine::ALL.to_vec());
        }
        list.split(',')
            .map(|name| {
                Engine::ALL
                    .into_iter()
                    .find(|e| e.name() == name.trim())
                    .ok_or_else(|| {
                        format!("unknown browser {name:?}: use chromium, firefox, webkit or all")
                    })
            })
            .collect()
    }

    /// Whether the engine can be switched to `RunOptions::strict_authorization`.
    pub fn has_strict_authorization(self) -> bool {
        self != Engine::WebKit
    }

    /// The engine's name and the Debian packages that bring it, for a message about a
    /// missing engine.
    pub fn install_hint(self) -> String {
        let packages = match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox-esr",
            Engine::WebKit => "webkit2gtk-driver xvfb xauth",
        };
        format!("{} (apt-get install {packages})", self.name())
    }

    /// The engine's binary: `$CHROMIUM`, `$FIREFOX` or `$MINIBROWSER`, or the usual one on this
    /// system. WebKit's MiniBrowser has no headless mode, so it also needs Xvfb.
    pub fn find(self) -> Option<PathBuf> {
        let from_env = |var: &str| std::env::var_os(var).map(PathBuf::from);
        match self {
            Engine::Chromium => {
                from_env("CHROMIUM").or_else(|| on_path(&["chromium", "chromium-browser"]))
            }
            Engine::Firefox => from_env("FIREFOX").or_else(|| on_path(&["firefox-esr", "firefox"])),
            Engine::WebKit => {
                on_path(&["Xvfb"])?;
                from_env("MINIBROWSER").or_else(|| {
                    ["x86_64-linux-gnu", "aarch64-linux-gnu"]
                        .iter()
                        .map(|a| PathBuf::from(format!("/usr/lib/{a}/webkit2gtk-4.1/MiniBrowser")))
                        .find(|p| p.is_file())
                })
            }
        }
    }
}

/// The engines an example's `--check` runs in: `--browser chromium|firefox|webkit|all` (or a
/// comma-separated list) from `args`, Chromium without it; each with its binary. A missing
/// engine is an error that names the packages to install.
pub fn engines_from_args(args: &[String]) -> Result<Vec<(Engine, PathBuf)>, String> {
    let list = match args.iter().position(|a| a == "--browser") {
        Some(i) => args
            .get(i + 1)
            .ok_or("--browser needs chromium, firefox, webkit or all")?
            .as_str(),
        None => "chromium",
    };
    Engine::parse_list(list)?
        .into_iter()
        .map(|engine| {
            let binary = engine
                .find()
                .ok_or_else(|| format!("not installed: {}", engine.install_hint()))?;
            Ok((engine, binary))
        })
        .collect()
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .find_map(|dir| names.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
}

/// Where pages post their results (`POST /__results?run=<id>`), for the run waiting on them.
/// A page server mounts it with `App::new().configure(|c| inbox.mount(c))`.
#[derive(Clone, Default)]
pub struct Inbox(Arc<Mutex<HashMap<String, String>>>);

impl Inbox {
    /// Adds the `/__results` route, and the inbox it posts to, to a page server's App.
    pub fn mount(&self, app: &mut actix_web::web::ServiceConfig) {
        use actix_web::web;
        app.app_data(web::Data::new(self.clone()))
            .route("/__results", web::post().to(Inbox::receive));
    }

    async fn receive(
        inbox: actix_web::web::Data<Inbox>,
        query: actix_web::web::Query<HashMap<String, String>>,
        body: String,
    ) -> actix_web::HttpResponse {
        if let Some(run) = query.get("run") {
            let mut posted = inbox.0.lock().unwrap_or_else(|e| e.into_inner());
            posted.insert(run.clone(), body);
        }
        actix_web::HttpResponse::NoContent().finish()
    }

    fn take(&self, run: &str) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(run)
    }
}

/// The page's side: `runCases(cases)` runs `cases` (a JSON array of `{name, url, init, read}`)
/// one after the other into `{name: {ok, status, body, header}}`; `postResults(out)` posts that
/// to the page's own origin, for the run named in the page's `run` query parameter (a person
/// opening the page has none, and nothing is posted).
pub const RUNNER_JS: &str = r#"
async function runCases(cases) {
  const out = {};
  for (const c of cases) {
    try {
      const r = await fetch(c.url, c.init || {});
      const body = await r.text();
      out[c.name] = { ok: true, status: r.status, body: body, header: c.read ? r.headers.get(c.read) : null };
    } catch (e) {
      out[c.name] = { ok: false, error: String(e) };
    }
  }
  return out;
}
function postResults(out) {
  const run = new URLSearchParams(location.search).get('run');
  if (run === null) return Promise.resolve();
  return fetch('/__results?run=' + encodeURIComponent(run), { method: 'POST', body: JSON.stringify(out) });
}
"#;

/// Options for one page run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// The Fetch standard's strict reading of `Access-Control-Allow-Headers: *` (it does not
    /// cover `Authorization`), where the engine has a switch for it (Chromium and Firefox).
    pub strict_authorization: bool,
}

/// What one page run produced.
pub struct PageRun {
    /// The JSON object the page posted.
    pub results: serde_json::Value,
    /// The engine's console lines about CORS (Chromium's stderr, WebKit's stdout; Firefox
    /// prints none).
    pub console: Vec<String>,
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// One engine at a time, whatever the number of test threads: two browsers at once on a small
/// machine make each slower than both in turn.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Loads `url` in `engine` (whose binary is `binary`) with a fresh profile, in a process group
/// of its own, and returns what the page posted to `inbox`, which the page's server mounts.
/// `run=<id>` is added to the URL for the page to post with; the group is killed as soon as the
/// results arrive, or after `timeout`.
pub fn open_page(
    engine: Engine,
    binary: &Path,
    url: &str,
    inbox: &Inbox,
    timeout: Duration,
    options: RunOptions,
) -> Result<PageRun, String> {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let n = RUNS.fetch_add(1, Ordering::SeqCst);
    let run = format!("{}-{n}", std::process::id());
    let url = format!(
        "{url}{}run={run}",
        if url.contains('?') { '&' } else { '?' }
    );
    let dir = std::env::temp_dir().join(format!("actix-cross-origin-{}-{run}", engine.name()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tmp")).map_err(|e| e.to_string())?;
    let posted = Launched::start(engine, binary, &url, options, &dir)
        .map(|mut launched| launched.wait_for(inbox, &run, timeout));
    // Read after the browser is gone (`Launched` kills it when dropped).
    let output = std::fs::read_to_string(dir.join("output.txt")).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let console = output
        .lines()
        .filter(|l| l.contains("CORS") || l.contains("Access-Control") || l.contains("SECURITY"))
        // Chromium appends the page's URL, which repeats the whole query string.
        .map(|l| l.split("\", source: ").next().unwrap_or(l).to_owned())
        .collect();
    let body = posted?.ok_or_else(|| {
        let last: Vec<&str> = output.lines().rev().take(30).collect();
        format!(
            "{} posted no results for {url} within {timeout:?}; its last output:\n{}",
            engine.name(),
            last.into_iter().rev().collect::<Vec<_>>().join("\n")
        )
    })?;
    let results = serde_json::from_str(&body).map_err(|e| format!("results: {e}: {body}"))?;
    Ok(PageRun { results, console })
}

/// A browser running on a page, and WebKit's X server; both process groups are killed when
/// it is dropped, even on panic.
struct Launched {
    browser: Child,
    xvfb: Option<Child>,
}

impl Launched {
    /// Starts `engine` on `url`, with its profile, temporary files and output in `dir`.
    fn start(
        engine: Engine,
        binary: &Path,
        url: &str,
        options: RunOptions,
        dir: &Path,
    ) -> Result<Launched, String> {
        let mut cmd = Command::new(binary);
        // Killed browsers leave temporary folders behind: keep them in the run's own.
        cmd.env("TMPDIR", dir.join("tmp")).env("HOME", dir);
        let xvfb = match engine {
            Engine::Chromium => {
                chromium_args(&mut cmd, dir, options);
                None
            }
            Engine::Firefox => {
                firefox_args(&mut cmd, dir, options)?;
                None
            }
            Engine::WebKit => {
                let (server, display) = start_xvfb(dir)?;
                cmd.arg("--enable-write-console-messages-to-stdout=true")
                    .env("DISPLAY", display);
                Some(server)
            }
        };
        let log = File::create(dir.join("output.txt")).map_err(|e| e.to_string())?;
        let spawned = cmd
            .arg(url)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .process_group(0)
            .spawn();
        match spawned {
            Ok(browser) => Ok(Launched { browser, xvfb }),
            Err(e) => {
                if let Some(mut x) = xvfb {
                    stop_group(&mut x);
                }
                Err(format!("cannot start {}: {e}", binary.display()))
            }
        }
    }

    /// What the page posted for `run`, once it arrives; `None` if the browser exits first or
    /// `timeout` passes.
    fn wait_for(&mut self, inbox: &Inbox, run: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(body) = inbox.take(run) {
                return Some(body);
            }
            if Instant::now() > deadline || matches!(self.browser.try_wait(), Ok(Some(_))) {
                return inbox.take(run);
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        stop_group(&mut self.browser);
        if let Some(x) = &mut self.xvfb {
            stop_group(x);
        }
    }
}

fn chromium_args(cmd: &mut Command, dir: &Path, options: RunOptions) {
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--disable-breakpad",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    if options.strict_authorization {
        cmd.arg("--enable-features=CorsNonWildcardRequestHeadersSupport");
    }
}

fn firefox_args(cmd: &mut Command, dir: &Path, options: RunOptions) -> Result<(), String> {
    let profile = dir.join("profile");
    std::fs::create_dir_all(&profile).map_err(|e| e.to_string())?;
    let mut prefs = FIREFOX_PREFS.to_owned();
    if options.strict_authorization {
        prefs.push_str(
            "user_pref(\"network.cors_preflight.authorization_covered_by_wildcard\", false);\n",
        );
    }
    std::fs::write(profile.join("user.js"), prefs).map_err(|e| e.to_string())?;
    cmd.args(["--headless", "--no-remote", "--profile"])
        .arg(&profile)
        .env("MOZ_CRASHREPORTER_DISABLE", "1")
        .env("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1");
    Ok(())
}

/// Kills every process in the child's group (all the browser started) and reaps the child.
/// `pkill -g` rather than `kill -- -<pgid>`: procps's `kill` reads a negative number that is
/// also a signal number as the signal, and `kill -KILL -<n>` can end in `kill(-1)`, which
/// kills every process of the user.
fn stop_group(child: &mut Child) {
    let _ = Command::new("pkill")
        .args(["-KILL", "-g", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// An X server of the run's own for MiniBrowser, which has no headless mode. Xvfb picks a free
/// display itself and writes its number to the descriptor given by `-displayfd` (here its
/// stdout), so parallel runs never race for one.
fn start_xvfb(dir: &Path) -> Result<(Child, String), String> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
        ])
        .env("TMPDIR", dir.join("tmp"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let stdout = child.stdout.take().ok_or("Xvfb has no stdout")?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        use std::io::BufRead;
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(line) if line.trim().parse::<u32>().is_ok() => Ok((child, format!(":{}", line.trim()))),
        _ => {
            stop_group(&mut child);
            Err("Xvfb did not start a display within 10 s".into())
        }
    }
}

/// A quiet Firefox that talks to loopback only (see docs/testing.md).
const FIREFOX_PREFS: &str = r#"user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.page", 0);
user_pref("browser.aboutwelcome.enabled", false);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.server", "");
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("app.normandy.enabled", false);
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("network.prefetch-next", false);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.trr.mode", 5);
user_pref("network.http.http3.enable", false);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.proxy.no_proxies_on", "127.0.0.1,localhost");
user_pref("network.proxy.allow_hijacking_localhost", false);
"#;
