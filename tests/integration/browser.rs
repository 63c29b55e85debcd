//! Real-browser tests: headless Debian chromium driven by playwright-core (tests/browser/),
//! against the built sample library served from a sub-path by a plain static server.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::{NOW, build_site};

/// The sub-path the published-site tests serve the sample library under.
const SUB_PATH: &str = "incidents";

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

/// The folder of the browser scripts, once chromium, playwright-core and axe-core are known to be
/// there.
pub fn browser_tools() -> &'static Path {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser"));
    assert!(
        Path::new("/usr/bin/chromium").is_file()
            && dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
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

#[test]
fn every_page_type_fits_a_phone_passes_axe_and_keeps_a_clean_console() {
    let tools = browser_tools();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("www").join(SUB_PATH);
    let build = build_site(&sample_copy(dir.path()), &out, NOW, &[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let (_server, port) = serve(&dir.path().join("www"));
    run_browser_script(tools, "pages.mjs", &[&format!("http://127.0.0.1:{port}/{SUB_PATH}/")]);
}

#[test]
fn nginx_serves_the_library_under_a_sub_path_with_the_documented_block() {
    let tools = browser_tools();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("www").join(SUB_PATH);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/{SUB_PATH}/");
    let build = build_site(&sample_copy(dir.path()), &out, NOW, &["--base-url", &base]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let _nginx = start_nginx(dir.path(), port, &documented_location_block(&out));
    run_browser_script(tools, "published.mjs", &[&base]);
}

/// A copy of the sample library in `dir`: builds of the repository root at the same time would
/// share its search index folder (`.hindsight/`).
fn sample_copy(dir: &Path) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = dir.join("sample");
    crate::support::copy_tree(&root.join("content"), &site.join("content"));
    for file in ["hindsight.yaml", "taxonomy.yaml"] {
        std::fs::copy(root.join(file), site.join(file)).expect("copy a site file");
    }
    site
}

/// A loopback port nothing listens on.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// The nginx `location` block of docs/publishing.md, serving `folder` instead of /srv/www/….
fn documented_location_block(folder: &Path) -> String {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/publishing.md"))
        .expect("publishing.md");
    let block =
        page.split("```nginx\n").nth(1).and_then(|rest| rest.split("```").next()).expect("an nginx block");
    let documented = format!("/srv/www/{SUB_PATH}/");
    assert!(block.contains(&documented) && block.contains(&format!("location /{SUB_PATH}/")), "{block}");
    block.replace(&documented, &format!("{}/", folder.display()))
}

/// Starts Debian's nginx in the foreground on a loopback port, serving `location` with everything
/// it writes under `dir`; it stops when the returned server is dropped.
fn start_nginx(dir: &Path, port: u16, location: &str) -> Server {
    let nginx = Path::new("/usr/sbin/nginx");
    assert!(nginx.is_file(), "this test needs Debian's nginx: run .ci/test, which installs it");
    let state = dir.join("nginx");
    std::fs::create_dir_all(&state).expect("nginx folder");
    let at = |name: &str| state.join(name).display().to_string();
    // One process, no workers: they would drop privileges and lose access to the temp dir.
    let config = format!(
        "daemon off;\nmaster_process off;\npid {pid};\nerror_log {log} warn;\nevents {{}}\n\
         http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n\
         client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};\n\
         uwsgi_temp_path {tmp}; scgi_temp_path {tmp};\n\
         server {{\n    listen 127.0.0.1:{port};\n{location}\n  }}\n}}\n",
        pid = at("nginx.pid"),
        log = at("error.log"),
        tmp = at("tmp"),
    );
    let config_path = state.join("nginx.conf");
    std::fs::write(&config_path, config).expect("nginx.conf");
    let child = Command::new(nginx)
        .arg("-p")
        .arg(&state)
        .arg("-e")
        .arg(at("error.log"))
        .arg("-c")
        .arg(&config_path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nginx starts");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        let log = std::fs::read_to_string(at("error.log")).unwrap_or_default();
        assert!(Instant::now() < deadline, "nginx did not start:\n{log}");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}
