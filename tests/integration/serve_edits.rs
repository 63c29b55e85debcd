//! The dev server's incremental rebuilds: after every kind of edit (front matter, body, an
//! added, removed or renamed file, a file that turns invalid and valid again), once the server
//! is idle, the served site equals a full build of the same files.

use std::path::Path;

use crate::serve::{Served, get, serve, wait_for};
use crate::support::{NOW, build_site, files_under};

fn status(port: u16) -> serde_json::Value {
    serde_json::from_slice(&get(port, "/__hindsight/status").body).expect("status JSON")
}

fn generation(port: u16) -> u64 {
    status(port)["generation"].as_u64().expect("generation")
}

/// Edits `file`, replacing `from` by `to`, and waits until the change is served and every
/// rebuild and search build after it is done.
fn edit_and_settle(s: &Served, file: &str, from: &str, to: &str) {
    let before = generation(s.port);
    let path = s.site.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    settle(s, before, &format!("{file}: {from} -> {to}"));
}

/// Waits for a new generation, then for the server to be idle (a rebuild counts itself busy
/// before it publishes, and its search build before it ends, so idle means all done).
fn settle(s: &Served, before: u64, what: &str) {
    wait_for(|| generation(s.port) > before, what);
    wait_for(|| status(s.port)["busy"] == false, "the rebuild to finish");
}

/// Builds the same files and compares every file of the build with the served one.
fn assert_served_equals_build(s: &Served, step: &str) {
    let out = s.site.parent().expect("tmp").join(format!("full-{step}"));
    let built = build_site(&s.site, &out, NOW, &[]);
    assert_eq!(built.code, 0, "{step}: {}", built.stderr);
    for file in files_under(&out) {
        let served = get(s.port, &format!("/{file}"));
        assert_eq!(served.status, 200, "{step}: {file}");
        assert!(
            without_live_reload(&file, served.body) == read(&out, &file),
            "{step}: {file} differs from a full build"
        );
    }
}

fn read(out: &Path, file: &str) -> Vec<u8> {
    std::fs::read(out.join(file)).expect("read")
}

/// The served bytes without the injected live-reload script.
fn without_live_reload(file: &str, body: Vec<u8>) -> Vec<u8> {
    if !file.ends_with(".html") {
        return body;
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let start = text.find("<script>window.__hindsightGeneration").expect("injected script");
    let end = text[start..].find("</body>").expect("end") + start;
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

#[test]
fn every_kind_of_edit_ends_equal_to_a_full_build() {
    let s = serve("library");
    let alpha = "content/2024/alpha.md";
    edit_and_settle(&s, alpha, "title: \"Alpha: API retry storm\"", "title: \"Alpha: EDITED title\"");
    assert!(get(s.port, "/retros/ALPHA-1.html").text().contains("<h1>Alpha: EDITED title</h1>"));
    assert_served_equals_build(&s, "title");
    edit_and_settle(&s, alpha, "failure_modes: [retry-storm]", "failure_modes: [dns-failure, memory-leak]");
    assert_served_equals_build(&s, "failure-mode");
    edit_and_settle(&s, alpha, "severity: SEV1", "severity: SEV3");
    assert_served_equals_build(&s, "severity");
    edit_and_settle(&s, alpha, "date: 2024-01-10", "date: 2023-01-02");
    assert_served_equals_build(&s, "date");
    edit_and_settle(&s, alpha, "Checkout failed.", "Checkout failed, BODY-EDIT.");
    assert!(get(s.port, "/retros/ALPHA-1.html").text().contains("BODY-EDIT"));
    assert_served_equals_build(&s, "body");

    let before = generation(s.port);
    let new = "---\nid: NEW-1\ntitle: Newly added\ndate: 2024-08-01\nseverity: SEV3\nsummary: s\nservices: [web]\nfailure_modes: [dns-failure]\naction_items: [{title: x}]\n---\nBody.\n";
    std::fs::write(s.site.join("content/2024/new.md"), new).expect("write");
    settle(&s, before, "the added file");
    assert_served_equals_build(&s, "added");
    let before = generation(s.port);
    std::fs::remove_file(s.site.join("content/2024/new.md")).expect("rm");
    settle(&s, before, "the removed file");
    assert_eq!(get(s.port, "/retros/NEW-1.html").status, 404);
    assert_served_equals_build(&s, "removed");

    let gamma = s.site.join("content/2023/gamma.md");
    let valid = std::fs::read_to_string(&gamma).expect("read");
    std::fs::write(&gamma, valid.replacen("severity: SEV", "severity: XSEV", 1)).expect("write");
    wait_for(|| status(s.port)["errors"].to_string().contains("content/2023/gamma.md"), "the error");
    wait_for(|| status(s.port)["busy"] == false, "the rebuild to finish");
    let before = generation(s.port);
    std::fs::write(
        &gamma,
        valid.replacen("title: \"Gamma: worker memory leak\"", "title: \"Gamma: valid again\"", 1),
    )
    .expect("write");
    settle(&s, before, "the fixed file");
    assert_eq!(status(s.port)["errors"], serde_json::json!([]));
    assert_served_equals_build(&s, "valid-again");
}
