//! The output folder: atomic replacement, refusal of dangerous targets, nothing written
//! outside it, and nothing executable in it.

use crate::support::{NOW, build_site, copy_fixture, files_under, hindsight, read, shared_build};

#[test]
fn hostile_strings_are_inert_everywhere() {
    let (out, run) = shared_build("library");
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in files_under(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out, &file);
        for tag in tags(&html) {
            let tag = tag.to_lowercase();
            if tag.starts_with("script") {
                let ours = THEME_SCRIPTS.iter().any(|script| tag.contains(script));
                assert!(ours, "a script that is not the theme's own: <{tag}> in {file}");
                continue;
            }
            if tag.starts_with("svg") {
                assert!(
                    tag.starts_with(THEME_CHART),
                    "an SVG that is not one of the theme's charts: <{tag}> in {file}"
                );
                continue;
            }
            for bad in ["iframe", "object", "embed", "foreignobject"] {
                assert!(!tag.starts_with(bad), "<{tag}> in {file}");
            }
            assert!(!tag.contains("javascript:"), "<{tag}> in {file}");
            assert!(!tag.contains("position"), "<{tag}> in {file}");
            let handler =
                tag.split_whitespace().skip(1).any(|attr| attr.starts_with("on") && attr.contains('='));
            assert!(!handler, "event handler in <{tag}> in {file}");
        }
    }
    let page = read(&out, "retros/XSS-1.html");
    assert!(
        page.contains("<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Hostile title</h1>"),
        "title is escaped text"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(&#39;summary&#39;)&gt; hostile summary"));
    assert!(
        page.contains("<li>&lt;i&gt;click&lt;/i&gt;</li>"),
        "a javascript: link is shown as text, unlinked"
    );
    assert!(
        page.contains("<a rel=\"noopener noreferrer\">link</a>"),
        "the raw link keeps its text, loses its href and handler"
    );
}

/// The only scripts a built page may load: the theme's own, from its assets folder.
const THEME_SCRIPTS: [&str; 3] =
    ["assets/site.js\" defer", "type=\"module\" src=\"../assets/search.js\"", "assets/actions.js\" defer"];

/// How the charts drawn at build time open; any other `<svg>` came from content.
const THEME_CHART: &str = "svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"";

/// The inside of every tag in `html` (`a href="x"` for `<a href="x">`). Escaped text holds
/// `&lt;`, never `<`, so every `<` followed by a letter opens a real element.
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect()
}

#[test]
fn ids_and_tags_cannot_write_outside_the_output() {
    let (dir, site) = copy_fixture("library");
    std::fs::write(
        site.join("content/escape.md"),
        "---\nid: \"../../escaped\"\ntitle: x\ndate: 2024-01-01\nseverity: SEV1\nservices: [api]\nfailure_modes: [retry-storm]\n---\n",
    )
    .expect("write");
    let before = files_under(dir.path());
    let out = dir.path().join("out");
    let run = build_site(&site, &out, NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("content/escape.md:2:5"), "{}", run.stderr);
    // Besides the output, a build writes only the search index cache the format puts there.
    let after: Vec<String> = files_under(dir.path())
        .into_iter()
        .filter(|f| !f.starts_with("out/") && !f.starts_with("site/.hindsight/index/"))
        .filter(|f| !before.contains(f))
        .collect();
    assert!(after.is_empty(), "written outside the output: {after:?}");
    assert!(out.join("tags/evil.html").is_file(), "a `../../evil` tag becomes a plain slug");
    assert!(out.join("tags/unicode-tag.html").is_file());
}

#[test]
fn a_failing_build_leaves_the_previous_output() {
    let (dir, site) = copy_fixture("library");
    let out = dir.path().join("out");
    let build = |extra: &[&str]| build_site(&site, &out, NOW, extra);
    assert_eq!(build(&[]).code, 0);
    let snapshot: Vec<(String, Vec<u8>)> = contents(&out);

    // A template error fails the build after rendering has started.
    std::fs::create_dir_all(site.join("themes/default/templates")).expect("mkdir");
    std::fs::write(
        site.join("themes/default/templates/retro.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.nope.deeper }}{% endblock content %}",
    )
    .expect("write");
    let failed = build(&[]);
    assert_ne!(failed.code, 0);
    assert!(failed.stderr.contains("retro.html"), "names the template: {}", failed.stderr);
    // A strict build with a warning refuses to publish.
    std::fs::remove_file(site.join("themes/default/templates/retro.html")).expect("rm");
    std::fs::write(site.join("content/warn.md"), "---\ntitle: w\ndate: 2024-01-01\nseverity: SEV1\nservices: [api]\nfailure_modes: [retry-storm]\n---\n").expect("write");
    assert_eq!(build(&["--strict"]).code, 1);

    let now: Vec<(String, Vec<u8>)> = contents(&out);
    assert!(now == snapshot, "the previous output changed");
    let leftovers = staging_leftovers(dir.path());
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

#[test]
fn the_site_root_and_folders_holding_content_are_refused_as_output() {
    let (_dir, site) = copy_fixture("library");
    let root = site.to_str().expect("utf-8");
    for output in [root.to_owned(), format!("{root}/.."), format!("{root}/content/..")] {
        let run = hindsight(&["--root", root, "build", "--now", NOW, "--output", &output]);
        assert_eq!(run.code, 2, "{output}: {}", run.stderr);
        assert!(run.stderr.contains("refusing output folder"), "{}", run.stderr);
    }
    assert!(site.join("content/2024/alpha.md").is_file(), "sources untouched");
}

#[test]
fn an_interrupted_build_is_recovered_on_the_next_one() {
    let (dir, site) = copy_fixture("library");
    let out = dir.path().join("out");
    assert_eq!(build_site(&site, &out, NOW, &[]).code, 0);
    // As if killed between the two renames: the last good output sits under its backup name.
    let backup = dir.path().join(".out.staging-killed.previous");
    std::fs::rename(&out, &backup).expect("mv");
    std::fs::create_dir_all(dir.path().join(".out.staging-junk/retros")).expect("mkdir");
    assert_eq!(build_site(&site, &out, NOW, &[]).code, 0);
    assert!(out.join("index.html").is_file());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("staging")), "{names:?}");
}

/// The staging folders left beside the output in `dir`.
fn staging_leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect()
}

/// Every file under `dir` with its bytes.
fn contents(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).expect("read"))).collect()
}

#[test]
fn a_build_killed_at_any_point_leaves_a_complete_output() {
    let (dir, site) = copy_fixture("library");
    let out = dir.path().join("out");
    let args = |out: &std::path::Path| {
        let (site, out) = (site.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
        ["--root", site, "build", "--now", NOW, "--output", out].map(str::to_owned)
    };
    assert_eq!(build_site(&site, &out, NOW, &[]).code, 0);
    let old = contents(&out);
    // The next build's output differs, so a mix of the two would show.
    let alpha = site.join("content/2024/alpha.md");
    let text = std::fs::read_to_string(&alpha).expect("read");
    std::fs::write(&alpha, text.replace("Checkout failed.", "Checkout failed, KILLED-BUILD."))
        .expect("write");
    let new_out = dir.path().join("expected");
    assert_eq!(build_site(&site, &new_out, NOW, &[]).code, 0);
    let new = contents(&new_out);
    for delay_ms in [0, 15, 40, 80, 120, 200, 300] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .args(args(&out))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if out.exists() {
            let now = contents(&out);
            assert!(
                now == old || now == new,
                "killed after {delay_ms} ms: the output is neither the old nor the new site"
            );
        } else {
            // Killed between the two renames: the previous output waits, whole, under its backup
            // name for the next build to put back.
            let backups: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
                .expect("ls")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".previous"))
                .collect();
            assert_eq!(backups.len(), 1, "killed after {delay_ms} ms: no output and no backup of it");
            let kept = contents(&backups[0]);
            assert!(kept == old || kept == new, "killed after {delay_ms} ms: the backup is not a whole site");
        }
    }
    // The next build recovers whatever a kill left behind and publishes the new site.
    let last = build_site(&site, &out, NOW, &[]);
    assert_eq!(last.code, 0, "{}", last.stderr);
    assert!(contents(&out) == new);
    let leftovers = staging_leftovers(dir.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
