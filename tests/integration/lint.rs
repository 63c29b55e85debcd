//! `lint:` in hindsight.yaml: allow, warn and deny apply to every rule, in `build` and `check`.

use crate::support::{NOW, build_fixture, copy_fixture, hindsight, linked_retros, read};

#[test]
fn build_honours_allow_warn_and_deny() {
    let (_dir, out, run) = build_fixture("lint", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("H101"), "allowed findings are dropped: {}", run.stderr);
    assert!(run.stderr.contains("warning[H001 unknown-taxonomy-value]: unknown severity \"SEV9\""));
    assert!(run.stderr.contains("warning[H001 unknown-taxonomy-value]: unknown service \"legacy-api\""));
    assert!(run.stderr.contains("warning[H009 unknown-related]: related retro \"GONE-1\" does not exist"));
    assert!(run.stderr.contains("error[H104 no-action-items]"), "{}", run.stderr);
    assert!(run.stderr.contains("Built 2 retros (1 skipped, 3 warnings)"), "{}", run.stderr);
    let all = linked_retros(&read(&out, "retros/index.html"));
    assert_eq!(all, ["unknown-values", "no-summary"], "the denied retro is skipped, the warned one built");
    assert!(out.join("services/legacy-api.html").is_file(), "a warned unknown value gets its page");
}

#[test]
fn unknown_rules_and_relaxed_parse_errors_are_refused_with_their_position() {
    let (_dir, site) = copy_fixture("lint");
    let root = site.to_str().expect("utf-8");
    std::fs::write(site.join("hindsight.yaml"), "lint:\n  no-action-item: deny\n").expect("write");
    let run = hindsight(&["--root", root, "check", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`lint:` names unknown rule `no-action-item`"), "{}", run.stderr);
    assert!(run.stderr.contains("hindsight.yaml:2:3"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `no-action-items`?"), "{}", run.stderr);
    std::fs::write(site.join("hindsight.yaml"), "lint:\n  missing-field: warn\n").expect("write");
    let run = hindsight(&["--root", root, "build", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("rule H002 missing-field cannot be set to `warn`"), "{}", run.stderr);
    std::fs::write(site.join("hindsight.yaml"), "lint:\n  missing-summary: loud\n").expect("write");
    let run = hindsight(&["--root", root, "check", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown variant `loud`, expected one of `allow`, `warn`, `deny`"),
        "{}",
        run.stderr
    );
}
