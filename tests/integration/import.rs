//! `hindsight import`: postmortems from other templates, HTML exports and text become draft
//! retros with exact values; bad files are reported and skipped; a second run and a dry run
//! write nothing; nothing lands outside `--into`; the result builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{NOW, build_site, copy_tree, fixture, hindsight_in};

/// The fixture library with the fixture postmortems copied into `<site>/old`.
fn site_with_sources() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let site = dir.path().join("site");
    copy_tree(&fixture("import/site"), &site);
    copy_tree(&fixture("import/sources"), &site.join("old"));
    (dir, site)
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).expect("read")))
        .collect()
}

fn import(site: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["import", "old", "--now", NOW];
    args.extend_from_slice(extra);
    hindsight_in(site, &args)
}

fn imported(site: &Path, id: &str) -> String {
    std::fs::read_to_string(site.join("content/imported").join(format!("{id}.md"))).expect("imported file")
}

/// The front-matter lines of a retro that start with `key:` (indented keys included).
fn line<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key} in\n{text}"))
}

#[test]
fn each_form_is_read_into_exact_values() {
    let (_dir, site) = site_with_sources();
    let run = import(&site, &[]);
    assert_eq!(run.code, 1, "bad sources make the exit code 1: {}", run.stderr);

    let sre = imported(&site, "INC-2023-009");
    assert!(sre.starts_with("---\n# imported from old/google-sre-style.md\nid: INC-2023-009\n"), "{sre}");
    for (key, expected) in [
        (
            "title",
            "title: \"Postmortem: Orders database connection pool exhausted\"  # inferred from the first heading (line 1)",
        ),
        ("date", "date: 2023-08-22  # inferred from \"**Date:** 2023-08-22\" (line 3)"),
        ("severity", "severity: SEV2  # inferred from \"**Severity:** SEV2\" (line 6)"),
        ("status", "status: draft"),
        (
            "services",
            "services: [checkout-api, orders-db]  # inferred from words in the text: checkout-api (title, body ×2); orders-db (summary, body)",
        ),
        (
            "started",
            "  started: \"2023-08-22T12:03:00Z\"  # inferred from \"12:03 OUTAGE BEGINS — p99 latency above 10 s\" (line 37)",
        ),
        (
            "detected",
            "  detected: \"2023-08-22T12:07:00Z\"  # inferred from \"12:07 pool-saturation page fires, on-call paged\" (line 38)",
        ),
        (
            "mitigated",
            "  mitigated: \"2023-08-22T12:31:00Z\"  # inferred from \"12:31 rollback to 7.2, impact ends\" (line 39)",
        ),
        (
            "resolved",
            "  resolved: \"2023-08-22T12:50:00Z\"  # inferred from \"12:50 OUTAGE ENDS — all pods recycled\" (line 40)",
        ),
        ("action_items", "action_items:  # inferred from the table under \"Action Items\" (line 26)"),
    ] {
        assert_eq!(line(&sre, key), expected);
    }
    assert!(
        line(&sre, "summary")
            .starts_with("summary: \"Checkout timed out for 47 minutes because an ORM upgrade")
    );
    assert!(sre.contains(
        "  - title: Release connections before remote calls\n    owner: arjun\n    status: done\n    type: prevent\n    tracking: CHK-771\n"
    ), "{sre}");
    // Lifted parts leave the body; the timeline stays as written.
    let body = sre.split("\n---\n").nth(1).expect("body");
    assert!(
        !body.contains("**Date:**") && !body.contains("## Summary") && !body.contains("| Action Item |"),
        "{body}"
    );
    assert!(body.contains("**Authors:** Mia Chen") && body.contains("* 12:03 OUTAGE BEGINS"), "{body}");

    let pagerduty = imported(&site, "INC-2024-009");
    assert_eq!(
        line(&pagerduty, "title"),
        "title: Notification worker OOM kills delayed order emails  # inferred from \"title: Notification worker OOM kills delayed order emails\""
    );
    assert_eq!(line(&pagerduty, "severity"), "severity: SEV2  # inferred from \"severity: P2\"");
    assert_eq!(
        line(&pagerduty, "failure_modes"),
        "failure_modes: [memory-leak]  # inferred from words in the text: memory-leak (summary, body)"
    );
    assert_eq!(
        line(&pagerduty, "acknowledged"),
        "  acknowledged: \"2024-02-12T07:15:00Z\"  # inferred from \"07:15 | Incident acknowledged by Sara\" (line 37)"
    );
    assert!(pagerduty.contains("  - title: \"Alert on worker restarts @ken due 2024-03-01\"\n    owner: ken\n    due: 2024-03-01\n    status: open\n"), "{pagerduty}");

    let wiki = imported(&site, "INC-2025-007");
    assert_eq!(
        line(&wiki, "title"),
        "title: Feature flag enabled 3-D Secure for every card  # inferred from the page's first heading"
    );
    assert_eq!(line(&wiki, "date"), "date: 2025-11-02  # inferred from \"Incident date: November 2, 2025\"");
    assert_eq!(
        line(&wiki, "severity"),
        "severity: SEV2  # inferred from \"Severity: Customer impacting\"",
        "import.severity_map applies"
    );
    assert_eq!(
        line(&wiki, "mitigated"),
        "  mitigated: \"2025-11-02T15:44:00Z\"  # inferred from \"15:44 | Flag turned off, mitigated\""
    );
    assert!(wiki.contains("  - title: Turn the flag off and add a percentage check\n    status: done\n  - title: Stage flag rollouts through a canary cohort\n    status: open\n"), "{wiki}");
    assert!(
        !wiki.contains("alert(") && !wiki.contains("tracking pixel") && !wiki.contains("font-family"),
        "{wiki}"
    );
    assert!(
        wiki.contains("```json\n{\"flag\": \"3ds-challenge\", \"percent\": 5}\n```"),
        "code is kept: {wiki}"
    );

    let text = imported(&site, "INC-2024-010");
    assert_eq!(line(&text, "date"), "date: 2024-03-05  # inferred from \"Date: 5 Mar 2024\" (line 3)");
    assert_eq!(
        line(&text, "started"),
        "  started: \"2024-03-05T14:05:00+01:00\"  # inferred from \"14:05 primary processor error rate rises; outage begins\" (line 11)"
    );

    let kehoe = imported(&site, "INC-2024-011");
    assert_eq!(
        line(&kehoe, "severity"),
        "severity: SEV2  # inferred from \"Incident Severity: Sev 2\" (line 8)"
    );
    assert_eq!(
        line(&kehoe, "resolved"),
        "  resolved: \"2024-06-18T14:20:00Z\"  # inferred from \"Resolution Time: 2024-06-18 14:20 UTC\" (line 19)"
    );
    assert!(
        kehoe.contains("    due: 2024-07-15\n    type: prevent\n    priority: p1\n    tracking: NET-301\n"),
        "{kehoe}"
    );
    assert!(!kehoe.contains("### Action Items & Followups"), "a section fully lifted goes, heading and all");

    let pacific = imported(&site, "INC-2023-010");
    assert_eq!(line(&pacific, "date"), "date: 2023-10-03  # inferred from the summary");
    assert_eq!(
        line(&pacific, "started"),
        "  started:  # not inferred: \"09:12 certificate expires, OUTAGE BEGINS\" (line 12) has no UTC offset"
    );
    assert!(
        pacific
            .contains("\n  resolved:  # not inferred: \"10:05 OUTAGE ENDS\" (line 15) has no UTC offset\n"),
        "{pacific}"
    );
    // What a retro has no field for is kept, not dropped.
    assert!(pagerduty.contains("---\n\nFront matter of the original file that has no place in a retro:\n\n```yaml\nowner: messaging\n```\n"), "{pagerduty}");
}

#[test]
fn the_report_lists_each_source_then_the_check_findings() {
    let (_dir, site) = site_with_sources();
    let run = import(&site, &[]);
    let rows: Vec<&str> = run.stdout.lines().take_while(|l| l.starts_with('|')).collect();
    assert_eq!(rows[0], "| source | id | found | missing | warnings |");
    assert_eq!(rows.len(), 15, "{}", run.stdout);
    for expected in [
        "| old/bad/empty.md | skipped | | | the file is empty; nothing to import |",
        "| old/bad/screenshot.md | skipped | | | a binary file (it holds NUL bytes), not a text document; skipped |",
        "| old/bad/latin1.txt | skipped | | | not valid UTF-8 (first invalid byte on line 3); re-save it as UTF-8 and import it again |",
        "| old/bad/only-scripts.html | skipped | | | the page has no text once scripts and styles are dropped; nothing to import |",
        "| old/google-sre-style.md | INC-2023-009 | title, date, summary, severity, services, trigger, timeline, action_items | failure_modes, contributing_factors |  |",
    ] {
        assert!(rows.contains(&expected), "missing {expected:?} in\n{}", run.stdout);
    }
    assert!(run.stdout.contains("What `hindsight check` says about the new files:"), "{}", run.stdout);
    assert!(run.stdout.contains(
        "error[H002 missing-field]: missing required field `failure_modes`\n  ┌─ content/imported/INC-2023-009.md:1:1"
    ), "{}", run.stdout);
    assert!(run.stdout.contains("warning[H107 overdue-action-item]: action item \"Alert on worker restarts @ken due 2024-03-01\" is overdue"), "{}", run.stdout);
    assert!(run.stdout.ends_with("Imported 8 of 13 sources into content/imported (5 skipped); the new files have 10 errors and 5 warnings to resolve\n"), "{}", run.stdout);
}

#[test]
fn a_second_run_changes_nothing_and_says_so() {
    let (_dir, site) = site_with_sources();
    import(&site, &[]);
    let before = snapshot(&site);
    let again = import(&site, &[]);
    assert_eq!(snapshot(&site), before, "nothing written or changed");
    assert!(
        again.stdout.contains(
            "| old/google-sre-style.md | skipped | | | already imported as content/imported/INC-2023-009.md |"
        ),
        "{}",
        again.stdout
    );
    assert!(again.stdout.ends_with("Imported 0 of 13 sources into content/imported (13 skipped); the new files have 0 errors and 0 warnings to resolve\n"), "{}", again.stdout);
    // The same source given by another path is still the same source.
    let by_file =
        hindsight_in(&site.join("old"), &["--root", "..", "import", "google-sre-style.md", "--now", NOW]);
    assert!(
        by_file.stdout.contains("already imported as content/imported/INC-2023-009.md"),
        "{}",
        by_file.stdout
    );
    assert_eq!(snapshot(&site), before);
}

#[test]
fn a_dry_run_writes_nothing_and_prints_the_same_report() {
    let (_dir, site) = site_with_sources();
    let before = snapshot(&site);
    let dry = import(&site, &["--dry-run"]);
    assert_eq!(snapshot(&site), before, "a dry run writes nothing");
    let real = import(&site, &[]);
    let (dry_report, _) = dry.stdout.rsplit_once("\n\n").expect("closing line");
    let (real_report, _) = real.stdout.rsplit_once("\n\n").expect("closing line");
    assert_eq!(dry_report, real_report);
    assert!(dry.stdout.ends_with("; nothing was written (--dry-run)\n"), "{}", dry.stdout);
}

#[test]
fn a_library_built_from_an_import_serves() {
    let (dir, site) = site_with_sources();
    let run = import(&site, &["--status", "published"]);
    assert!(run.stdout.contains("INC-2024-009"), "{}", run.stdout);
    let served = crate::serve::serve_site(dir, site);
    crate::serve::wait_for(
        || crate::serve::get(served.port, "/retros/INC-2024-009.html").status == 200,
        "the imported retro to be served",
    );
    let page = crate::serve::get(served.port, "/retros/INC-2024-009.html").text();
    assert!(page.contains("Notification worker OOM kills delayed order emails"), "{page}");
}

#[test]
fn a_library_built_from_an_import_builds() {
    let (dir, site) = site_with_sources();
    import(&site, &["--status", "published"]);
    let out = dir.path().join("out");
    let run = build_site(&site, &out, NOW, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Complete imports are pages; incomplete ones are reported and skipped, as any retro is.
    let page = std::fs::read_to_string(out.join("retros/INC-2024-009.html")).expect("imported retro page");
    assert!(page.contains("Notification worker OOM kills delayed order emails"));
    assert!(run.stderr.contains("content/imported/INC-2023-008.md"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn nothing_is_written_outside_into_or_through_links() {
    let (dir, site) = site_with_sources();
    let outside = dir.path().join("outside.md");
    std::fs::write(&outside, "mine").expect("write");
    let into = dir.path().join("elsewhere");
    std::fs::create_dir(&into).expect("mkdir");
    // A link where the first new file would go: it is taken, never written through.
    std::os::unix::fs::symlink(&outside, into.join("INC-2023-007.md")).expect("link");
    let before = snapshot(&site);
    let into_arg = into.to_str().expect("utf-8");
    let run = hindsight_in(
        &site,
        &["import", "old/google-sre-style.md", "old/templates", "--into", into_arg, "--now", NOW],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "mine");
    assert_eq!(snapshot(&site), before, "nothing written in the site");
    let mut written: Vec<String> = std::fs::read_dir(&into)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // The link stays, still pointing outside; the five sources got the next five ids.
    assert_eq!(std::fs::read_link(into.join("INC-2023-007.md")).expect("link"), outside);
    assert_eq!(
        written,
        [
            "INC-2023-007.md",
            "INC-2023-008.md",
            "INC-2023-009.md",
            "INC-2023-010.md",
            "INC-2023-011.md",
            "INC-2024-009.md"
        ]
    );
}

#[test]
fn an_unknown_severity_in_the_map_is_refused_naming_the_file() {
    let (_dir, site) = site_with_sources();
    let config = site.join("hindsight.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(&config, text.replace("\"P2\": SEV2", "\"P2\": SEV9")).expect("write");
    let run = import(&site, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("hindsight.yaml: import.severity_map maps \"P2\" to \"SEV9\", which is not a severity in taxonomy.yaml"), "{}", run.stderr);
    assert!(!site.join("content/imported").exists());
}
