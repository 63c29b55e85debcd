//! Running the binary on fixtures and reading what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of `hindsight` printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The fixed build date of every test, so "overdue" is stable.
pub const NOW: &str = "2026-11-24";

/// Runs `hindsight` with `args`.
pub fn hindsight(args: &[&str]) -> Run {
    hindsight_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs `hindsight` with `args` in the working directory `dir`.
pub fn hindsight_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the hindsight binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The path of a fixture folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A copy of a fixture in a fresh temporary folder (as `<tmp>/site`).
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    copy_tree(&fixture(name), &site);
    (dir, site)
}

/// Copies a folder recursively (regular files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Builds the site at `site` into `out`, dated `now`, with `extra` arguments.
pub fn build_site(site: &Path, out: &Path, now: &str, extra: &[&str]) -> Run {
    let (site, out) = (site.to_str().expect("utf-8 path"), out.to_str().expect("utf-8 path"));
    let mut args = vec!["--root", site, "build", "--now", now, "--output", out];
    args.extend_from_slice(extra);
    hindsight(&args)
}

/// Builds a fixture into `<tmp>/out`, returning the temp dir, the output folder and the run.
pub fn build_fixture(name: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Run) {
    let (dir, site) = copy_fixture(name);
    build_copy(dir, &site, extra)
}

/// Builds a copied fixture at `site`, inside `dir`, into `<dir>/out`.
fn build_copy(dir: tempfile::TempDir, site: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Run) {
    let out = dir.path().join("out");
    let run = build_site(site, &out, NOW, extra);
    (dir, out, run)
}

/// Builds a fixture into `<tmp>/out` after adding `text` to the end of its file `relative`,
/// and checks that the build succeeded; returns the temp dir, the output folder and the run.
pub fn build_fixture_appended(name: &str, relative: &str, text: &str) -> (tempfile::TempDir, PathBuf, Run) {
    let (dir, site) = copy_fixture(name);
    let file = site.join(relative);
    let before = std::fs::read_to_string(&file).expect("fixture file");
    std::fs::write(&file, format!("{before}{text}")).expect("write fixture file");
    let (dir, out, run) = build_copy(dir, &site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, out, run)
}

/// Reads an output file as text.
pub fn read(out: &Path, relative: &str) -> String {
    std::fs::read_to_string(out.join(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
}

/// The ids of the retros a list page links to, in page order (from `retros/<id>.html` links).
pub fn linked_retros(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("retros/") {
        rest = &rest[start + "retros/".len()..];
        let Some(end) = rest.find(".html\"") else {
            break;
        };
        let id = &rest[..end];
        if id != "index" && !id.contains(['/', '"', '<']) {
            ids.push(id.to_owned());
        }
        rest = &rest[end..];
    }
    ids
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("inside").to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// The text of an HTML fragment: tags dropped, whitespace collapsed, common entities decoded.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    text.replace("&amp;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of `html` from the element with `id="{id}"` to the end of its `<section>`.
pub fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no id {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// The build of a fixture with no extra arguments, made once per test run and shared by every
/// test that only reads it (a test that changes the site or the output builds its own copy).
/// It lives under the test target's scratch folder and is rebuilt from scratch on each run.
pub fn shared_build(name: &str) -> (PathBuf, &'static Run) {
    static BUILT: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, &'static (PathBuf, Run)>>,
    > = std::sync::OnceLock::new();
    let mut built =
        BUILT.get_or_init(Default::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = built.entry(name.to_owned()).or_insert_with(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-builds").join(name);
        let _ = std::fs::remove_dir_all(&scratch);
        let site = scratch.join("site");
        copy_tree(&fixture(name), &site);
        let out = scratch.join("out");
        let run = build_site(&site, &out, NOW, &[]);
        Box::leak(Box::new((out, run)))
    });
    (entry.0.clone(), &entry.1)
}
