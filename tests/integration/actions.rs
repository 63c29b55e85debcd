//! Follow-through: every action item as of the pinned build date, SLA per severity, the owner
//! and team pages, and `actions.csv`, on the `insights` fixture (figures worked out by hand in
//! its retros: SEV1 has a 15-day SLA, SEV2 30 days, SEV3 none).

use std::collections::HashMap;
use std::path::Path;

use crate::support::{build_fixture, linked_retros, plain_text, read, section, shared_build};

#[test]
fn the_dashboard_counts_overdue_past_sla_and_missing_due_dates() {
    let (out, run) = shared_build("insights");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&out, "actions/index.html");
    assert!(html.contains("<h1>Follow-through <span class=\"muted\">as of 2026-11-24</span></h1>"));
    let stats = plain_text(&html[html.find("<dl class=\"stats\">").expect("stats")..]);
    assert!(
        stats.starts_with(
            "Unfinished 6 Open 4 In progress 1 Blocked 1 Overdue 2 Past SLA 3 p0/p1 without due date 2 Done 8 Won't do 1"
        ),
        "{stats}"
    );
}

#[test]
fn closure_within_sla_and_median_days_to_done_per_severity() {
    let (out, _run) = shared_build("insights");
    let table = plain_text(section(&read(&out, "actions/index.html"), "sla"));
    // severity, SLA, items, unfinished, past SLA, closed within SLA (within of judged),
    // median days to done (n), done, won't do.
    for row in [
        "SEV1 15 5 1 1 67% (2 of 3) 9 (n = 2) 3 1",
        "SEV2 30 5 2 2 40% (2 of 5) 10 (n = 3) 3 0",
        "SEV3 none 5 3 0 — 15 (n = 2) 2 0",
        "All 15 6 3 50% (4 of 8) 10 (n = 7) 8 1",
    ] {
        assert!(table.contains(row), "{row} in {table}");
    }
}

#[test]
fn unfinished_items_come_most_urgent_first_with_their_flags() {
    let (out, _run) = shared_build("insights");
    let html = read(&out, "actions/index.html");
    let list = section(&html, "unfinished");
    // Overdue first (by due date), then past SLA, then p0/p1 without a due date, then the rest.
    assert_eq!(linked_retros(list), ["A01", "N01", "A02", "A03", "W01", "A04"]);
    assert!(list.contains("data-status=\"open\" data-flags=\"overdue past-sla\" data-priority=\"p0\""));
    assert!(list.contains("data-status=\"in-progress\" data-flags=\"past-sla no-due\""));
    assert!(list.contains("Done when: =SUM(A1) is not a formula"), "the success criterion is shown");
    assert!(list.contains("<a href=\"https://tracker.example/browse/API-2\" rel=\"noopener noreferrer\">"));
    let closed = read(&out, "actions/closed.html");
    assert_eq!(closed.matches("<tr data-status=").count(), 9, "8 done and 1 wont-do");
    assert!(closed.contains("<span class=\"chip status status-wont-do\">wont-do</span>"));
}

#[test]
fn owner_and_team_pages_filter_without_javascript() {
    let (out, _run) = shared_build("insights");
    let rows = |page: &str| {
        let html = read(&out, page);
        html.matches("<tr data-status=").count()
    };
    assert_eq!(rows("actions/owners/ben.html"), 4);
    assert_eq!(rows("actions/owners/ana.html"), 4);
    assert_eq!(rows("actions/owners/none.html"), 3, "items without an owner have a page too");
    assert_eq!(rows("actions/teams/team-a.html"), 13);
    assert_eq!(rows("actions/teams/team-b.html"), 4, "A03 has services of both teams");
    let ben = plain_text(&read(&out, "actions/owners/ben.html"));
    assert!(ben.contains("Owner: Ben as of 2026-11-24"), "{ben}");
    assert!(ben.contains("4 action items: 2 open, 0 in progress, 0 blocked, 2 done, 0 won't do. 2 overdue."));
    let index = read(&out, "actions/index.html");
    assert!(index.contains("<a href=\"../actions/owners/none.html\">No owner</a>"));
    assert!(index.contains("<a href=\"../actions/teams/team-b.html\">team-b</a>"));
    // The live filter is there, hidden until the theme's script shows it.
    assert!(index.contains("<form class=\"filters\" data-filters hidden>"));
    assert!(index.contains("<script src=\"../assets/actions.js\" defer></script>"));
}

/// `actions.csv` as one map per row, header to value.
fn csv_rows(out: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(out.join("actions.csv")).expect("actions.csv");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| headers.iter().map(str::to_owned).zip(r.expect("row").iter().map(str::to_owned)).collect())
        .collect()
}

#[test]
fn actions_csv_has_every_item_with_its_computed_fields() {
    let (out, _run) = shared_build("insights");
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 15);
    let item = |retro: &str, id: &str| {
        rows.iter().find(|r| r["retro_id"] == retro && r["item_id"] == id).expect("the item's row")
    };
    let late = item("A01", "AI-2");
    for (column, value) in [
        ("as_of", "2026-11-24"),
        ("retro_url", "retros/A01.html"),
        ("severity", "SEV1"),
        ("teams", "team-a"),
        ("owner", "Ben"),
        ("status", "open"),
        ("priority", "p0"),
        ("due", "2026-02-01"),
        ("overdue", "yes"),
        ("sla_days", "15"),
        ("sla_deadline", "2026-01-20"),
        ("past_sla", "yes"),
        ("closed_within_sla", "no"),
        ("days_open", "323"),
        ("days_to_complete", ""),
        ("tracking_url", "https://tracker.example/browse/API-2"),
    ] {
        assert_eq!(late[column], value, "{column}");
    }
    let done = item("A01", "AI-1");
    assert_eq!((done["closed_within_sla"].as_str(), done["days_to_complete"].as_str()), ("yes", "10"));
    assert_eq!(done["metric"], "Breaker opens within 5 s in the load test");
    assert_eq!(
        done["tracking_url"], "https://tracker.example/browse/API-1",
        "ticket keys link through tracker_url"
    );
    assert_eq!(item("A02", "AI-1")["closed_within_sla"], "no", "done 8 days after the deadline");
    assert_eq!(item("A02", "AI-2")["missing_due_date"], "yes");
    assert_eq!(item("A03", "AI-2")["teams"], "team-a; team-b");
    assert_eq!(item("A04", "AI-1")["metric"], "'=SUM(A1) is not a formula", "formulas are defused");
    assert_eq!(item("D01", "AI-2")["closed_within_sla"], "", "done without a date: not judged");
    assert_eq!(item("A01", "AI-3")["status"], "wont-do");
}

#[test]
fn restricted_items_count_only_when_included() {
    let (out, _run) = shared_build("insights");
    assert!(!read(&out, "actions.csv").contains("R01"));
    let (_dir, out, _run) = build_fixture("insights", &["--include-restricted"]);
    assert!(csv_rows(&out).iter().any(|r| r["retro_id"] == "R01"));
    let stats = plain_text(&read(&out, "actions/index.html"));
    assert!(stats.contains("Overdue 3 Past SLA 4"), "{stats}");
}
