//! `hindsight serve`: every kind of change reaches the served pages over HTTP, errors keep the
//! last good version with a diagnostic, noise is ignored, the result equals a full build, and
//! only the built site is served.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NOW, build_site, copy_fixture, files_under, linked_retros};

/// A running `hindsight serve` on a copy of a fixture, killed when dropped.
pub struct Served {
    child: Child,
    pub port: u16,
    pub site: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the dev server on a copy of `fixture` and waits until it answers.
pub fn serve(fixture: &str) -> Served {
    let (dir, site) = copy_fixture(fixture);
    serve_site(dir, site)
}

/// Starts the dev server on the site at `site` (inside `dir`, kept until the server stops).
pub fn serve_site(dir: tempfile::TempDir, site: PathBuf) -> Served {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["--root", site.to_str().expect("utf-8"), "serve", "--now", NOW, "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let served = Served { child, port, site, _dir: dir };
    wait_for(|| TcpStream::connect(("127.0.0.1", port)).is_ok(), "the server to listen");
    served
}

/// What an HTTP request answered.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends a raw HTTP/1.0 request (so the server closes the connection when done).
pub fn request(port: u16, method: &str, path: &str) -> Answer {
    send(port, method, path, &[])
}

/// [`request`] with a body (sent with its `Content-Length` when not empty).
pub fn send(port: u16, method: &str, path: &str, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let length = if body.is_empty() { String::new() } else { format!("Content-Length: {}\r\n", body.len()) };
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: localhost\r\n{length}\r\n").expect("send");
    stream.write_all(body).expect("send body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").map_or(raw.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head, body: raw[split..].to_vec() }
}

pub fn get(port: u16, path: &str) -> Answer {
    request(port, "GET", path)
}

/// Polls `condition` for up to 20 s.
pub fn wait_for(mut condition: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn generation(port: u16) -> u64 {
    let status: serde_json::Value =
        serde_json::from_slice(&get(port, "/__hindsight/status").body).expect("status JSON");
    status["generation"].as_u64().expect("generation")
}

fn edit(site: &Path, file: &str, from: &str, to: &str) {
    let path = site.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_body_edit_shows_on_the_retro_page() {
    let s = serve("library");
    edit(&s.site, "content/2024/alpha.md", "Checkout failed.", "Checkout failed loudly, BODY-EDIT-1.");
    wait_for(|| get(s.port, "/retros/ALPHA-1.html").text().contains("BODY-EDIT-1"), "the body edit");
}

#[test]
fn a_front_matter_edit_updates_the_retro_and_its_lists() {
    let s = serve("library");
    edit(
        &s.site,
        "content/2024/alpha.md",
        "title: \"Alpha: API retry storm\"",
        "title: \"Alpha renamed storm\"",
    );
    wait_for(
        || get(s.port, "/retros/ALPHA-1.html").text().contains("<h1>Alpha renamed storm</h1>"),
        "the new title",
    );
    assert!(get(s.port, "/failure-modes/retry-storm.html").text().contains("Alpha renamed storm"));
    edit(&s.site, "content/2024/alpha.md", "failure_modes: [retry-storm]", "failure_modes: [dns-failure]");
    wait_for(
        || {
            linked_retros(&get(s.port, "/failure-modes/dns-failure.html").text())
                .contains(&"ALPHA-1".to_owned())
        },
        "the facet move",
    );
    assert!(
        !linked_retros(&get(s.port, "/failure-modes/retry-storm.html").text())
            .contains(&"ALPHA-1".to_owned())
    );
}

#[test]
fn added_deleted_and_renamed_files_appear_and_disappear_everywhere() {
    let s = serve("library");
    let new = "---\nid: NEW-1\ntitle: Newly added\ndate: 2024-08-01\nseverity: SEV3\nsummary: s\nservices: [web]\nfailure_modes: [dns-failure]\naction_items: [{title: x}]\n---\nBody.\n";
    std::fs::write(s.site.join("content/2024/new.md"), new).expect("write");
    wait_for(|| get(s.port, "/retros/NEW-1.html").status == 200, "the new retro");
    assert!(linked_retros(&get(s.port, "/retros/index.html").text()).contains(&"NEW-1".to_owned()));
    std::fs::remove_file(s.site.join("content/2024/new.md")).expect("rm");
    wait_for(|| get(s.port, "/retros/NEW-1.html").status == 404, "the deleted retro to go");
    assert!(!get(s.port, "/services/web.html").text().contains("NEW-1"));
    // GAMMA-1 has an explicit id, so a rename keeps it; CRLF-1 too. Rename the draft-free beta
    // after dropping its id so the id follows the file name.
    edit(&s.site, "content/2024/beta.md", "id: BETA-1\n", "");
    wait_for(|| get(s.port, "/retros/beta.html").status == 200, "the id from the file name");
    std::fs::rename(s.site.join("content/2024/beta.md"), s.site.join("content/2024/beta-renamed.md"))
        .expect("mv");
    wait_for(|| get(s.port, "/retros/beta-renamed.html").status == 200, "the renamed retro");
    assert_eq!(get(s.port, "/retros/beta.html").status, 404);
}

#[test]
fn a_taxonomy_change_rebuilds_everything() {
    let s = serve("library");
    edit(&s.site, "taxonomy.yaml", "Clients retry in lockstep.", "Clients retry together, TAXONOMY-EDIT.");
    wait_for(
        || get(s.port, "/failure-modes/retry-storm.html").text().contains("TAXONOMY-EDIT"),
        "the taxonomy edit",
    );
    assert!(get(s.port, "/failure-modes/index.html").text().contains("TAXONOMY-EDIT"));
}

#[test]
fn a_taxonomy_change_revalidates_unchanged_retros() {
    let s = serve("library");
    edit(&s.site, "taxonomy.yaml", "  - name: dns-failure\n", "  - name: dns-outage\n");
    wait_for(
        || get(s.port, "/__hindsight/status").text().contains("unknown failure mode \\\"dns-failure\\\""),
        "the new error",
    );
}

#[test]
fn editor_noise_does_not_rebuild() {
    let s = serve("library");
    let before = generation(s.port);
    for noise in [
        "content/2024/.alpha.md.swp",
        "content/2024/alpha.md~",
        "content/2024/.#alpha.md",
        "content/2024/4913",
    ] {
        std::fs::write(s.site.join(noise), "x").expect("write noise");
    }
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(generation(s.port), before, "temp files caused a rebuild");
}

#[test]
fn a_broken_retro_keeps_its_last_good_version_and_reports_where() {
    let s = serve("library");
    edit(&s.site, "content/2024/alpha.md", "severity: SEV1", "severity: SEV9");
    wait_for(
        || get(s.port, "/__hindsight/status").text().contains("content/2024/alpha.md:5:11"),
        "the error",
    );
    let status = get(s.port, "/__hindsight/status").text();
    assert!(status.contains("unknown severity \\\"SEV9\\\"") && status.contains("H001"), "{status}");
    assert!(
        get(s.port, "/retros/ALPHA-1.html").text().contains("<h1>Alpha: API retry storm</h1>"),
        "last good version"
    );
    edit(&s.site, "content/2024/alpha.md", "severity: SEV9", "severity: SEV1");
    wait_for(|| get(s.port, "/__hindsight/status").text().contains("\"errors\":[]"), "the fix");
}

#[test]
fn a_broken_template_keeps_the_site_and_names_the_template() {
    let s = serve("library");
    std::fs::create_dir_all(s.site.join("themes/default/templates")).expect("mkdir");
    std::fs::write(
        s.site.join("themes/default/templates/retro.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.x.y }}{% endblock content %}",
    )
    .expect("write");
    wait_for(|| get(s.port, "/__hindsight/status").text().contains("retro.html"), "the template error");
    assert!(
        get(s.port, "/retros/ALPHA-1.html").text().contains("Alpha: API retry storm"),
        "the old site stays"
    );
}

#[test]
fn after_changes_the_served_site_equals_a_full_build() {
    let s = serve("library");
    edit(&s.site, "content/2024/alpha.md", "Checkout failed.", "Checkout failed, EQUAL-1.");
    edit(
        &s.site,
        "content/2023/gamma.md",
        "title: \"Gamma: worker memory leak\"",
        "title: \"Gamma: EQUAL-2\"",
    );
    std::fs::remove_file(s.site.join("content/2023/bom-crlf.md")).expect("rm");
    wait_for(
        || {
            get(s.port, "/retros/GAMMA-1.html").text().contains("EQUAL-2")
                && get(s.port, "/retros/CRLF-1.html").status == 404
                && get(s.port, "/retros/ALPHA-1.html").text().contains("EQUAL-1")
        },
        "the changes",
    );
    std::thread::sleep(Duration::from_millis(500));
    let out = s.site.parent().expect("tmp").join("full");
    let built = build_site(&s.site, &out, NOW, &[]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    for file in files_under(&out) {
        let served = get(s.port, &format!("/{file}"));
        assert_eq!(served.status, 200, "{file}");
        let mut body = served.body;
        if file.ends_with(".html") {
            let text = String::from_utf8_lossy(&body).into_owned();
            let start = text.find("<script>window.__hindsightGeneration").expect("injected script");
            let end = text[start..].find("</body>").expect("end") + start;
            body = format!("{}{}", &text[..start], &text[end..]).into_bytes();
        }
        assert!(body == std::fs::read(out.join(&file)).expect("read"), "{file} differs from a full build");
    }
}

#[test]
fn only_the_built_site_is_served_with_the_right_headers() {
    let s = serve("library");
    for path in
        ["/../Cargo.toml", "/%2e%2e/taxonomy.yaml", "/retros/..%2f..%2ftaxonomy.yaml", "/..\\taxonomy.yaml"]
    {
        let status = get(s.port, path).status;
        assert!(status == 400 || status == 404, "{path}: {status}");
    }
    assert_eq!(get(s.port, "/taxonomy.yaml").status, 404);
    assert_eq!(request(s.port, "POST", "/").status, 405);
    assert_eq!(request(s.port, "DELETE", "/index.html").status, 405);
    let head = request(s.port, "HEAD", "/index.html");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let page = get(s.port, "/");
    assert!(
        page.head.contains("Content-Type: text/html; charset=utf-8")
            && page.head.contains("Cache-Control: no-store"),
        "{}",
        page.head
    );
    assert!(get(s.port, "/assets/style.css").head.contains("Content-Type: text/css"));
    assert!(get(s.port, "/pagefind/pagefind.js").head.contains("Content-Type: text/javascript"));
    let missing = get(s.port, "/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
}

#[test]
fn the_search_api_answers_from_the_index() {
    let s = serve("library");
    let answer = get(s.port, "/api/search?q=ECONNRESET&limit=5");
    assert_eq!(answer.status, 200);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("json");
    assert_eq!(json["results"][0]["id"], "ALPHA-1");
    let filtered: serde_json::Value =
        serde_json::from_slice(&get(s.port, "/api/search?q=pool&service=db").body).expect("json");
    assert_eq!(filtered["total"], 1);
    assert_eq!(get(s.port, "/api/search?q=title:(").status, 400);
}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let (out, _run) = crate::support::shared_build("library");
    for file in files_under(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(&file)).expect("read");
        assert!(!html.contains("__hindsight"), "{file}");
    }
}
