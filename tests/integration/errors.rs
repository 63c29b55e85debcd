//! Every validation error and warning: its rule, its `file:line:col`, and its exact text.

use crate::support::{NOW, build_fixture, fixture, hindsight, linked_retros, read};

fn check_errors_fixture() -> crate::support::Run {
    let root = fixture("errors");
    hindsight(&["--root", root.to_str().expect("utf-8"), "check", "--now", NOW])
}

#[test]
fn every_error_names_its_file_line_and_column() {
    let run = check_errors_fixture();
    assert_eq!(run.code, 1, "check exits 1 on errors");
    let expected = [
        ("H004 yaml-syntax", "content/yaml-syntax.md:2:8"),
        ("H002 missing-field", "content/missing-field.md:1:1"),
        ("H003 wrong-type", "content/wrong-type.md:6:3"),
        ("H001 unknown-taxonomy-value", "content/unknown-taxonomy-value.md:7:30"),
        ("H006 timestamp-without-offset", "content/timestamp-without-offset.md:8:12"),
        ("H007 timeline-out-of-order", "content/timeline-out-of-order.md:10:13"),
        ("H005 invalid-date", "content/impossible-date.md:3:7"),
        ("H008 duplicate-id", "content/duplicate-id-b.md:2:5"),
        ("H009 unknown-related", "content/unknown-related.md:8:17"),
        ("H010 unsafe-id", "content/unsafe-id.md:2:5"),
        ("H010 unsafe-id", "content/bad-id-name/-leading-dash.md:1:1"),
        ("H011 not-utf8", "content/not-utf8.md:4:13"),
        ("H012 empty-file", "content/empty.md"),
        ("H013 no-front-matter", "content/no-front-matter.md:1:1"),
        ("H013 no-front-matter", "content/only-dashes.md:1:1"),
        ("H014 invalid-value", "content/invalid-value.md:5:9"),
        ("H101 missing-summary", "content/warnings.md:1:1"),
        ("H105 unknown-key", "content/warnings.md:7:1"),
        ("H102 done-without-completed", "content/warnings.md:10:13"),
        ("H103 wont-do-without-note", "content/warnings.md:12:13"),
        ("H104 no-action-items", "content/no-action-items.md:1:1"),
    ];
    let blocks: Vec<&str> = run.stderr.split("\n\n").collect();
    for (code, position) in expected {
        assert!(
            blocks.iter().any(|block| block.contains(&format!("[{code}]")) && block.contains(position)),
            "no {code} at {position} in:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("did you mean \"retry-storm\"?"));
    assert!(run.stderr.contains("did you mean `incident_commander`?"));
    assert!(
        run.stderr.contains("duplicate id \"dup-1\": content/duplicate-id-a.md uses it too"),
        "names both files"
    );
    assert!(
        run.stderr.ends_with("Checked 20 retros: 16 with errors, 16 errors, 5 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn error_text_is_stable() {
    insta::assert_snapshot!(check_errors_fixture().stderr);
}

#[test]
fn one_bad_retro_does_not_stop_the_others() {
    let (_dir, out, run) = build_fixture("errors", &[]);
    assert_eq!(run.code, 0, "without --strict the build reports and goes on: {}", run.stderr);
    assert!(run.stderr.contains("Built 4 retros (16 skipped"), "{}", run.stderr);
    let all = linked_retros(&read(&out, "retros/index.html"));
    assert_eq!(all, ["DUP-1", "good", "no-action-items", "warnings"]);
}

#[test]
fn strict_build_refuses_on_any_finding() {
    let (_dir, out, run) = build_fixture("errors", &["--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("Not published (--strict): 16 errors, 5 warnings"), "{}", run.stderr);
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_missing_taxonomy_accepts_everything_with_one_warning() {
    let (dir, site) = crate::support::copy_fixture("library");
    let root = site.to_str().expect("utf-8");
    let warnings = |run: &crate::support::Run| run.stderr.matches("\nwarning[").count();
    let with_taxonomy = hindsight(&["--root", root, "check", "--now", NOW]);
    std::fs::remove_file(site.join("taxonomy.yaml")).expect("rm");
    let run = hindsight(&["--root", root, "check", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("H106 no-taxonomy").count(), 1, "{}", run.stderr);
    assert_eq!(warnings(&run), warnings(&with_taxonomy) + 1, "only H106 is new: {}", run.stderr);
    drop(dir);
}

#[test]
fn a_broken_taxonomy_stops_the_build_with_its_position() {
    let (_dir, site) = crate::support::copy_fixture("library");
    std::fs::write(
        site.join("taxonomy.yaml"),
        "services:\n  - name: api\n    team: nobody\nteams: [team-a]\n",
    )
    .expect("write");
    let run = hindsight(&["--root", site.to_str().expect("utf-8"), "build", "--now", NOW]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("taxonomy.yaml:3:11"), "{}", run.stderr);
    assert!(run.stderr.contains("service \"api\" names unknown team \"nobody\""), "{}", run.stderr);
}

#[test]
fn a_search_index_that_cannot_be_written_is_a_warning_and_the_site_is_published() {
    let (dir, site) = crate::support::copy_fixture("library");
    // A file where the index's folder would go: its folder cannot be made, root or not.
    std::fs::write(site.join(".hindsight"), "not a folder").expect("write");
    let out = dir.path().join("out");
    let run = crate::support::build_site(&site, &out, NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[H112 index-not-written]"), "{}", run.stderr);
    assert!(run.stderr.contains(".hindsight/index"), "{}", run.stderr);
    assert!(run.stderr.contains("`hindsight search` builds it when it runs"), "{}", run.stderr);
    assert!(read(&out, "index.html").contains("<html"), "the site is published");
    assert!(out.join("pagefind/pagefind.js").exists(), "with its static search");
}
