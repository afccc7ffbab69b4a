//! Shared by the `demo` example and the browser tests: servers on ephemeral loopback ports that
//! stop when dropped, and headless Chromium loading a page that writes its results as JSON into
//! `<pre id="results">`.
#![allow(dead_code)]

use std::fs::File;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
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

/// The Chromium binary: `$CHROMIUM`, or the first of the usual names found on `PATH`.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// What one page run produced.
pub struct PageRun {
    /// The JSON the page wrote into `<pre id="results">`.
    pub results: serde_json::Value,
    /// Chromium's console lines (stderr with `--enable-logging=stderr`) that mention CORS.
    pub console: Vec<String>,
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// Loads `url` in headless Chromium with a fresh profile and returns the page's results.
/// Chromium is killed if it runs longer than `timeout`.
pub fn run_page(
    chromium: &std::path::Path,
    url: &str,
    timeout: Duration,
) -> Result<PageRun, String> {
    let n = RUNS.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "actix-cross-origin-browser-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let out_path = dir.join("dom.html");
    let err_path = dir.join("stderr.txt");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).map_err(|e| e.to_string())?)
        .stderr(File::create(&err_path).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", chromium.display()))?;
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = std::fs::remove_dir_all(&dir);
                return Err(format!("chromium did not finish {url} within {timeout:?}"));
            }
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let dom = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let console: Vec<String> = stderr
        .lines()
        .filter(|l| l.contains("CORS") || l.contains("Access-Control"))
        // Drop the page URL Chromium appends; it repeats the whole query string.
        .map(|l| l.split("\", source: ").next().unwrap_or(l).to_owned())
        .collect();
    let results = extract_results(&dom).ok_or_else(|| {
        format!(
            "the page wrote no results; console:\n{}\nDOM:\n{}",
            console.join("\n"),
            dom.chars().take(2000).collect::<String>()
        )
    })?;
    Ok(PageRun { results, console })
}

/// Parses the JSON between `<pre id="results">` and `</pre>`.
pub fn extract_results(dom: &str) -> Option<serde_json::Value> {
    let start = dom.find("<pre id=\"results\">")? + "<pre id=\"results\">".len();
    let end = start + dom[start..].find("</pre>")?;
    // The page escapes <, > and & as \u003c etc., so DOM serialization leaves the JSON intact.
    serde_json::from_str(&dom[start..end]).ok()
}

/// The script that runs `cases` (a JSON array of `{name, url, init, read}`) one after the
/// other and writes `{name: {ok, status, body, header}}` into `<pre id="results">`.
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
function publish(out) {
  document.getElementById('results').textContent =
    JSON.stringify(out).replace(/[<>&]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  document.title = 'DONE';
}
"#;
