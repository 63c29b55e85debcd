//! `hindsight init` and `hindsight new`: a library and a retro in one command each, nothing
//! overwritten, values checked against the taxonomy before anything is written.

use std::path::{Path, PathBuf};

use crate::support::{NOW, copy_tree, files_under, hindsight, hindsight_in};

/// A copy of the repository's sample library (`content/`, `hindsight.yaml`, `taxonomy.yaml`).
fn sample_library() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let site = dir.path().join("site");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&here.join("content"), &site.join("content"));
    for file in ["hindsight.yaml", "taxonomy.yaml"] {
        std::fs::copy(here.join(file), site.join(file)).expect("copy");
    }
    (dir, site)
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn init_then_build_and_check_work() {
    let dir = tempfile::tempdir().expect("tmp");
    let lib = dir.path().join("lib");
    let run = hindsight(&["init", utf8(&lib), "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_under(&lib),
        [".gitignore", "content/2026/INC-2026-001.md", "hindsight.yaml", "taxonomy.yaml"]
    );
    let gitignore = std::fs::read_to_string(lib.join(".gitignore")).expect("read");
    assert!(gitignore.contains("/public/\n") && gitignore.contains("/.hindsight/\n"), "{gitignore}");
    let check = hindsight(&["--root", utf8(&lib), "check", "--now", NOW, "--deny-warnings"]);
    assert_eq!(check.code, 0, "the example is clean: {}", check.stderr);
    assert_eq!(check.stderr, "Checked 1 retros: 0 with errors, 0 errors, 0 warnings\n");
    let build = hindsight_in(&lib, &["build", "--strict", "--now", NOW]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.starts_with("Built 1 retros (0 skipped)"), "{}", build.stderr);
    assert!(lib.join("public/retros/INC-2026-001.html").is_file());
    assert!(lib.join("public/failure-modes/failover-failure.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("notes.md"), "mine").expect("write");
    let run = hindsight(&["init", utf8(dir.path())]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not empty (it holds notes.md); `--force` adds the missing files"),
        "{}",
        run.stderr
    );
    assert_eq!(files_under(dir.path()), ["notes.md"], "nothing written");
}

#[test]
fn init_accepts_a_fresh_repository() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    let run = hindsight_in(dir.path(), &["init", "--now", NOW]);
    assert_eq!(run.code, 0, "version-control metadata does not count: {}", run.stderr);
    assert!(dir.path().join("hindsight.yaml").is_file());
}

#[test]
fn init_force_adds_what_is_missing_and_keeps_everything_else() {
    let (_dir, site) = sample_library();
    std::fs::write(site.join(".gitignore"), "target\npublic\n").expect("write");
    let before = std::fs::read(site.join("taxonomy.yaml")).expect("read");
    let run = hindsight(&["init", utf8(&site), "--force", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("taxonomy.yaml  (exists: kept as it is)"), "{}", run.stderr);
    assert_eq!(std::fs::read(site.join("taxonomy.yaml")).expect("read"), before);
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).expect("read"),
        "target\npublic\n# hindsight\n/.hindsight/\n",
        "only the missing line is appended"
    );
    assert!(!site.join("content/2026/INC-2026-002.md").exists() && !run.stderr.contains("example"));
    assert_eq!(
        std::fs::read_dir(site.join("content/2026")).expect("ls").count(),
        1,
        "no example in a library"
    );
}

#[test]
fn new_follows_the_library_id_pattern_and_passes_check() {
    let (_dir, site) = sample_library();
    let run = hindsight_in(
        &site,
        &[
            "new",
            "Checkout: 50% of \"orders\" failed",
            "--severity",
            "SEV2",
            "--service",
            "checkout-api",
            "--service",
            "payments-api",
            "--failure-mode",
            "retry-storm",
            "--now",
            NOW,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "content/2026/INC-2026-002.md\n", "the path, for an editor");
    assert_eq!(run.stderr, "", "nothing left to fill in that check would refuse");
    let text = std::fs::read_to_string(site.join("content/2026/INC-2026-002.md")).expect("read");
    assert!(
        text.starts_with(
            "---\nid: INC-2026-002\ntitle: \"Checkout: 50% of \\\"orders\\\" failed\"\ndate: 2026-11-24"
        ),
        "{text}"
    );
    assert!(
        text.contains("services: [checkout-api, payments-api]\nfailure_modes: [retry-storm]\n"),
        "{text}"
    );
    for section in [
        "## Impact",
        "## Monitoring and detection",
        "## Communication timeline",
        "## Contributing factors",
        "## Technical analysis",
        "### What went well",
        "### What went wrong",
        "### Where we got lucky",
        "## Follow-up actions",
        "## Narrative",
    ] {
        assert!(text.contains(&format!("\n{section}\n\n<!-- ")), "{section} with its guidance");
    }
    let check =
        hindsight_in(&site, &["check", "--now", NOW, "--deny-warnings", "content/2026/INC-2026-002.md"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // A retro dated in another year starts that year's sequence, or continues it.
    let older = hindsight_in(&site, &["new", "Older", "--now", "2025-12-30"]);
    assert_eq!(older.stdout, "content/2025/INC-2025-007.md\n");
    assert!(older.stderr.contains("Fill in severity, services, failure_modes"), "{}", older.stderr);
}

#[test]
fn new_in_an_empty_library_starts_at_one() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(hindsight_in(dir.path(), &["init", "--now", NOW]).code, 0);
    std::fs::remove_file(dir.path().join("content/2026/INC-2026-001.md")).expect("rm");
    let run = hindsight_in(dir.path(), &["new", "First", "--now", "2027-01-02"]);
    assert_eq!(run.stdout, "content/2027/INC-2027-001.md\n", "{}", run.stderr);
}

#[test]
fn new_checks_values_against_the_taxonomy_before_writing() {
    let (_dir, site) = sample_library();
    let before = files_under(&site);
    let run = hindsight_in(
        &site,
        &["new", "x", "--severity", "SEV5", "--service", "checkout-apii", "--failure-mode", "retry-storm"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--service \"checkout-apii\": unknown service; did you mean \"checkout-api\"?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--severity \"SEV5\": unknown severity"), "{}", run.stderr);
    assert!(!run.stderr.contains("retry-storm"), "valid values are not reported");
    assert_eq!(files_under(&site), before, "nothing written");
    let empty = hindsight_in(&site, &["new", "  "]);
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("the title is empty"), "{}", empty.stderr);
}

#[test]
fn new_refuses_a_folder_that_is_not_a_library() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = hindsight_in(dir.path(), &["new", "x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a hindsight library"), "{}", run.stderr);
    assert!(files_under(dir.path()).is_empty());
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let (_dir, site) = sample_library();
    std::fs::create_dir_all(site.join("templates")).expect("mkdir");
    std::fs::write(
        site.join("templates/retro.md"),
        "---\nid: {{ id }}\ntitle: {{ title | yaml }}\ndate: {{ date }}\nseverity: {{ severity | yaml }}\nservices: {{ services | yaml }}\nfailure_modes: {{ failure_modes | yaml }}\nstatus: draft\n---\n\n# {{ title }} ({{ year }})\n",
    )
    .expect("write");
    let run = hindsight_in(
        &site,
        &[
            "new",
            "Ours",
            "--severity",
            "SEV3",
            "--service",
            "orders-db",
            "--failure-mode",
            "dns-failure",
            "--now",
            NOW,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(site.join("content/2026/INC-2026-002.md")).expect("read");
    assert_eq!(
        text,
        "---\nid: INC-2026-002\ntitle: Ours\ndate: 2026-11-24\nseverity: SEV3\nservices: [orders-db]\nfailure_modes: [dns-failure]\nstatus: draft\n---\n\n# Ours (2026)\n"
    );
    std::fs::write(site.join("templates/retro.md"), "---\ntitle: {{ title }\n---\n").expect("write");
    let broken = hindsight_in(&site, &["new", "Broken", "--now", NOW]);
    assert_eq!(broken.code, 2);
    assert!(
        broken.stderr.contains("error[H015 invalid-site-file]")
            && broken.stderr.contains("templates/retro.md"),
        "{}",
        broken.stderr
    );
    std::fs::write(site.join("templates/retro.md"), "---\ntitle: {{ title }}\n---\n").expect("write");
    let unquoted = hindsight_in(&site, &["new", "a: b: c", "--now", NOW]);
    assert_eq!(unquoted.code, 2, "a template whose output is not valid YAML is refused: {}", unquoted.stderr);
    assert!(unquoted.stderr.contains("the rendered front matter is not valid"), "{}", unquoted.stderr);
    assert!(!site.join("content/2026/INC-2026-003.md").exists());
}
