//! `hindsight check`: the review rules, the three output formats (exact snapshots), exit codes,
//! checking only some files, and `--explain`.

use crate::support::{NOW, Run, copy_fixture, fixture, hindsight, hindsight_in};

/// Runs `check` on a fixture from inside it (`--root .`), so paths in every format are stable.
fn check(name: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--root", ".", "check", "--now", NOW];
    args.extend_from_slice(extra);
    hindsight_in(&fixture(name), &args)
}

#[test]
fn every_review_rule_points_at_its_line() {
    let run = check("review", &[]);
    assert_eq!(run.code, 0, "warnings alone pass: {}", run.stderr);
    let expected = [
        ("warning[H107 overdue-action-item]", "content/draft.md:10:45"),
        ("warning[H109 missing-detected-or-resolved]", "content/missing-detected-or-resolved.md:9:1"),
        ("warning[H107 overdue-action-item]", "content/overdue-action-item.md:12:10"),
        ("warning[H108 p0-p1-without-due]", "content/p0-p1-without-due.md:11:15"),
        ("warning[H110 stale-in-review]", "content/stale-in-review.md:6:9"),
    ];
    let blocks: Vec<&str> = run.stderr.split("\n\n").filter(|b| b.contains('[')).collect();
    assert_eq!(blocks.len(), expected.len(), "{}", run.stderr);
    for (block, (code, position)) in blocks.iter().zip(expected) {
        assert!(block.starts_with(code) && block.contains(position), "want {code} at {position}:\n{block}");
    }
    assert!(!run.stderr.contains("clean.md"), "a complete retro has no findings");
    assert!(
        run.stderr.ends_with("Checked 6 retros: 0 with errors, 0 errors, 5 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn review_rules_depend_on_the_date() {
    let early = hindsight_in(&fixture("review"), &["--root", ".", "check", "--now", "2026-11-01"]);
    assert!(!early.stderr.contains("H107") && !early.stderr.contains("H110"), "{}", early.stderr);
    let epoch = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["--root", ".", "check", "--format", "json"])
        .current_dir(fixture("review"))
        .env("SOURCE_DATE_EPOCH", "1795478400") // 2026-11-24, midnight UTC
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&epoch.stdout).expect("JSON");
    assert_eq!(json["warnings"], 5, "SOURCE_DATE_EPOCH is the date without --now");
}

#[test]
fn human_output_is_stable() {
    insta::assert_snapshot!(check("review", &[]).stderr);
}

#[test]
fn json_output_is_stable() {
    let run = check("review", &["--format", "json"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn github_output_is_stable() {
    let run = check("review", &["--format", "github"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn every_error_in_json_and_github_output() {
    let json = check("errors", &["--format", "json"]);
    assert_eq!(json.code, 1);
    insta::assert_snapshot!("errors_json", json.stdout);
    let github = check("errors", &["--format", "github"]);
    assert_eq!(github.code, 1);
    insta::assert_snapshot!("errors_github", github.stdout);
    assert_eq!(json.stderr, github.stderr, "the summary line is the same in every format");
    assert!(json.stderr.starts_with("Checked 20 retros"), "only the summary goes to stderr: {}", json.stderr);
}

#[test]
fn json_follows_the_documented_schema() {
    let run = check("errors", &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(
        (json["checked"].as_u64(), json["errors"].as_u64(), json["warnings"].as_u64()),
        (Some(20), Some(16), Some(5))
    );
    let keys = ["file", "line", "column", "end", "severity", "code", "name", "message", "help"];
    for entry in json["diagnostics"].as_array().expect("diagnostics") {
        let object = entry.as_object().expect("object");
        assert_eq!(object.keys().collect::<Vec<_>>().len(), keys.len(), "{entry}");
        for key in keys {
            assert!(object.contains_key(key), "{key} missing in {entry}");
        }
        assert!(matches!(entry["severity"].as_str(), Some("error" | "warning")));
    }
    let empty =
        &json["diagnostics"].as_array().expect("list").iter().find(|d| d["code"] == "H012").expect("H012");
    assert!(empty["line"].is_null() && empty["column"].is_null() && empty["end"].is_null());
}

#[test]
fn github_paths_are_relative_to_the_working_directory() {
    let run = hindsight(&["--root", "tests/fixtures/review", "check", "--now", NOW, "--format", "github"]);
    assert!(
        run.stdout.contains("::warning file=tests/fixtures/review/content/stale-in-review.md,line=6,col=9,"),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_codes_say_clean_findings_or_failure() {
    let (_dir, site) = copy_fixture("review");
    let root = site.to_str().expect("utf-8");
    let run = |extra: &[&str]| {
        let mut args = vec!["--root", root, "check", "--now", NOW];
        args.extend_from_slice(extra);
        hindsight(&args)
    };
    assert_eq!(run(&[]).code, 0, "warnings only");
    assert_eq!(run(&["--deny-warnings"]).code, 1, "warnings denied");
    let clean = site.join("content/clean.md");
    assert_eq!(run(&["--deny-warnings", clean.to_str().expect("utf-8")]).code, 0, "a clean file");
    assert_eq!(run(&["--format", "xml"]).code, 2, "usage error");
    assert_eq!(run(&["--now", "24.11.2026"]).code, 2, "bad date");
    let no_root = hindsight(&["--root", &format!("{root}/nope"), "check"]);
    assert_eq!(no_root.code, 2, "a mistyped root is not an empty library that passes");
    assert!(no_root.stderr.contains("is not a folder"), "{}", no_root.stderr);
    let missing = run(&["content/nope.md"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot check content/nope.md"), "{}", missing.stderr);
    std::fs::write(site.join("content/broken.md"), "---\ntitle: [\n---\n").expect("write");
    assert_eq!(run(&[]).code, 1, "an error");
    std::fs::write(site.join("taxonomy.yaml"), "services: {\n").expect("write");
    let broken = run(&["--format", "json"]);
    assert_eq!(broken.code, 2, "a broken site file");
    let json: serde_json::Value = serde_json::from_str(&broken.stdout).expect("still JSON");
    assert_eq!(json["diagnostics"][0]["code"], "H015");
    assert_eq!(json["diagnostics"][0]["file"], "taxonomy.yaml");
}

#[test]
fn lint_levels_apply_to_review_rules() {
    let (_dir, site) = copy_fixture("review");
    std::fs::write(site.join("hindsight.yaml"), "lint:\n  overdue-action-item: allow\n  H110: deny\n")
        .expect("write");
    let run = hindsight(&["--root", site.to_str().expect("utf-8"), "check", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("H107"), "{}", run.stderr);
    assert!(run.stderr.contains("error[H110 stale-in-review]"), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("Checked 6 retros: 1 with errors, 1 errors, 2 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_limit_the_report_but_ids_resolve_against_the_whole_library() {
    let run = check("review", &["content/overdue-action-item.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("H009"), "its `related: [CLEAN-1]` resolves: {}", run.stderr);
    assert_eq!(run.stderr.matches("warning[").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.ends_with("Checked 1 retros: 0 with errors, 0 errors, 1 warnings\n"),
        "{}",
        run.stderr
    );
    let folder = check("review", &["content", "--format", "github"]);
    assert_eq!(folder.stdout.lines().count(), 5, "a folder selects everything under it");
    let outside = check("review", &["../errors/content/good.md"]);
    assert_eq!(outside.code, 2);
    assert!(outside.stderr.contains("it is not inside the site root"), "{}", outside.stderr);
    let not_a_retro = check("review", &["taxonomy.yaml"]);
    assert_eq!(not_a_retro.code, 2);
    assert!(
        not_a_retro.stderr.contains("retros are Markdown files under content/"),
        "{}",
        not_a_retro.stderr
    );
}

#[test]
fn a_new_file_that_takes_an_existing_id_fails_even_when_it_sorts_first() {
    let (_dir, site) = copy_fixture("review");
    // `a-copy.md` sorts before `clean.md`, so the library keeps it and reports `clean.md`.
    let copy = std::fs::read_to_string(site.join("content/clean.md")).expect("read");
    std::fs::write(site.join("content/a-copy.md"), copy).expect("write");
    let run = hindsight_in(&site, &["--root", ".", "check", "--now", NOW, "content/a-copy.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("duplicate id \"CLEAN-1\": content/a-copy.md uses it too"), "{}", run.stderr);
}

#[test]
fn explain_describes_a_rule_by_code_or_name() {
    let by_code = hindsight(&["check", "--explain", "H108"]);
    assert_eq!(by_code.code, 0);
    assert!(
        by_code.stdout.starts_with("H108 p0-p1-without-due (warning by default)\n"),
        "{}",
        by_code.stdout
    );
    assert!(by_code.stdout.contains("p0-p1-without-due: warn   # allow | warn | deny"), "{}", by_code.stdout);
    let by_name = hindsight(&["check", "--explain", "yaml-syntax"]);
    assert!(by_name.stdout.contains("can only set it to deny"), "{}", by_name.stdout);
    let unknown = hindsight(&["check", "--explain", "overdue-action"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `overdue-action-item`?"), "{}", unknown.stderr);
}

#[test]
fn the_guide_lists_every_rule() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .expect("diagnostics.md");
    for code in hindsight::diagnostic::Code::ALL {
        let row = format!("| {} | {} | {} |", code.code(), code.name(), code.default_severity().as_str());
        assert!(readme.contains(&row), "docs/diagnostics.md has no row starting {row}");
    }
}
