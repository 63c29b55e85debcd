//! Real-browser tests: headless Debian chromium driven by playwright-core (tests/browser/),
//! against the built sample library served from a sub-path by a plain static server.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::{NOW, build_site};

/// A child process killed when the test ends, however it ends.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `dir` over HTTP on loopback with Python's static server; returns it and its port.
pub fn serve(dir: &Path) -> (Server, u16) {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let child = Command::new("python3")
        .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 runs a static server");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the static server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, port)
}

/// The folder of the browser scripts, once chromium and playwright-core are known to be there.
pub fn browser_tools() -> &'static Path {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser"));
    assert!(
        Path::new("/usr/bin/chromium").is_file() && dir.join("node_modules/playwright-core").is_dir(),
        "the browser tests need Debian's chromium and tests/browser/node_modules: run .ci/test, which installs both"
    );
    dir
}

/// Runs a playwright script from tests/browser and asserts it reports its check as passed.
pub fn run_browser_script(tools: &Path, script: &str, args: &[&str]) {
    let run = Command::new("node").arg(script).args(args).current_dir(tools).output().expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success() && stdout.contains("1 passed, 0 failed"), "{stdout}\n{stderr}");
}

#[test]
fn static_search_page_finds_filters_and_opens_results_from_a_sub_path() {
    let tools = browser_tools();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("www/postmortems");
    let root = env!("CARGO_MANIFEST_DIR");
    let build = build_site(Path::new(root), &out, NOW, &[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let (_server, port) = serve(&dir.path().join("www"));
    run_browser_script(tools, "search.mjs", &[&format!("http://127.0.0.1:{port}/postmortems/")]);
}

#[test]
fn serve_reloads_the_page_and_shows_errors_in_an_overlay() {
    let tools = browser_tools();
    let served = crate::serve::serve("library");
    let site = served.site.to_str().expect("utf-8");
    run_browser_script(tools, "reload.mjs", &[&format!("http://127.0.0.1:{}/", served.port), site]);
}
