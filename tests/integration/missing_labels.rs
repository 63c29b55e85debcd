//! H111 likely-missing-label: a failure mode the retros most like a retro (by text) share and it
//! lacks, reported by `check` at the `failure_modes:` key, never by `build`.

use crate::support::{NOW, copy_fixture, hindsight};

/// `check` on a copy of the missing-label fixture after `edit` changes its files.
fn check_after(edit: impl Fn(&std::path::Path)) -> crate::support::Run {
    let (_dir, site) = copy_fixture("missing-label");
    edit(&site);
    hindsight(&["--root", site.to_str().expect("utf-8"), "check", "--now", NOW])
}

fn replace_in(site: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = site.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has {from:?}");
    std::fs::write(&path, text.replace(from, to)).expect("write");
}

#[test]
fn five_retros_alike_in_text_suggest_their_failure_mode_at_the_key() {
    let run = check_after(|_| {});
    assert_eq!(run.code, 0, "a warning: {}", run.stderr);
    assert_eq!(run.stderr.matches("H111").count(), 1, "only the subject lacks it: {}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[H111 likely-missing-label]: failure mode \"retry-storm\" may be missing: the retros most like this one have it\n  ┌─ content/subject.md:8:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("8 │ failure_modes: [dependency-outage]\n  │ ^^^^^^^^^^^^^\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "= help: 5 of the 5 most similar retros have failure mode \"retry-storm\" (R-1, R-3, R-5, R-4, R-2): add it to `failure_modes` if it applies"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn three_of_five_or_a_level_of_allow_is_not_enough() {
    let three = check_after(|site| {
        for file in ["content/r-4.md", "content/r-5.md"] {
            replace_in(site, file, "failure_modes: [retry-storm]", "failure_modes: [memory-leak]");
        }
    });
    assert!(!three.stderr.contains("H111"), "{}", three.stderr);
    let allowed = check_after(|site| {
        std::fs::write(site.join("hindsight.yaml"), "lint:\n  likely-missing-label: allow\n").expect("write");
    });
    assert!(!allowed.stderr.contains("H111"), "{}", allowed.stderr);
    let denied = check_after(|site| {
        std::fs::write(site.join("hindsight.yaml"), "lint:\n  H111: deny\n").expect("write")
    });
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(denied.stderr.contains("error[H111 likely-missing-label]"), "{}", denied.stderr);
}

#[test]
fn a_key_that_is_absent_is_pointed_at_the_opening_line() {
    let run = check_after(|site| {
        replace_in(site, "content/subject.md", "contributing_factors: [missing-circuit-breaker]\n", "");
    });
    assert!(
        run.stderr.contains(
            "warning[H111 likely-missing-label]: contributing factor \"missing-circuit-breaker\" may be missing: the retros most like this one have it\n  ┌─ content/subject.md:1:1\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn build_never_reports_it() {
    let (_dir, site) = copy_fixture("missing-label");
    let out = site.join("public");
    let run = hindsight(&[
        "--root",
        site.to_str().expect("utf-8"),
        "build",
        "--output",
        out.to_str().expect("utf-8"),
        "--verbose",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("retros/SUBJECT-1.html").is_file(), "it built");
    assert!(!run.stderr.contains("H111") && !run.stdout.contains("H111"), "{}{}", run.stdout, run.stderr);
}
