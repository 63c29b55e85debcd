//! Review rules: what a reviewer asks of a valid retro, as of a date. Overdue and undated
//! urgent action items, incidents without detection or resolution times, reviews left open.
//!
//! They run in `hindsight check` only: they are about follow-up and completeness, not about
//! whether a page can be built, and an overdue item must not make yesterday's build fail today.
//! [`missing_labels`] (H111) compares the retros with each other, so it runs over the library.

pub mod missing_labels;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::{Level, Lints};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionItem, Priority, Retro, Status};
use crate::yaml::{self, Part};

/// How long a retro may stay `in-review`, in days, before H110 reports it.
pub const REVIEW_DAYS: i64 = 14;

/// How many of the taxonomy's most severe severities need `detected` and `resolved` (H109).
const SEVERE_RANKS: usize = 2;

/// One finding before it is placed in its file: the position is looked up only when needed.
struct Finding {
    code: Code,
    dotted: String,
    part: Part,
    message: String,
    help: String,
}

/// Runs every review rule over `retros` (which passed validation) as of `now`, at the levels
/// of `lints`.
pub fn review(retros: &[Retro], now: NaiveDate, lints: &Lints) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = retros
        .par_iter()
        .flat_map_iter(|retro| {
            let mut findings = findings(retro, now);
            // Placing is the costly part, so allowed findings are dropped before it.
            findings.retain(|finding| lints.level(finding.code) != Some(Level::Allow));
            place(retro, findings)
        })
        .collect();
    lints.apply(&mut found);
    found
}

fn findings(retro: &Retro, now: NaiveDate) -> Vec<Finding> {
    let mut found = Vec::new();
    for (index, item) in retro.action_items.iter().enumerate() {
        action_item(item, index, now, &mut found);
    }
    if retro.status != Status::Draft && retro.severity_rank < SEVERE_RANKS {
        detected_and_resolved(retro, &mut found);
    }
    if retro.status == Status::InReview {
        stale_review(retro, now, &mut found);
    }
    found
}

/// H107 and H108. Drafts are checked too: an action item is a commitment wherever it is written.
fn action_item(item: &ActionItem, index: usize, now: NaiveDate, found: &mut Vec<Finding>) {
    if !item.status.is_open() {
        return;
    }
    match item.due {
        Some(due) if item.is_overdue(now) => found.push(Finding {
            code: Code::OverdueActionItem,
            dotted: format!("action_items.{index}.due"),
            part: Part::Value,
            message: format!(
                "action item \"{}\" is overdue: it was due on {due}, {} before {now}",
                item.title,
                days((now - due).num_days())
            ),
            help: "finish it (`status: done`, `completed:`), agree a new `due` date, or set `status: wont-do` with a `note`"
                .to_owned(),
        }),
        Some(_) => {}
        None if matches!(item.priority, Some(Priority::P0 | Priority::P1)) => {
            let priority = item.priority.map_or("", Priority::as_str);
            found.push(Finding {
                code: Code::UrgentWithoutDue,
                dotted: format!("action_items.{index}.priority"),
                part: Part::Value,
                message: format!("{priority} action item \"{}\" has no `due` date", item.title),
                help: "add `due: YYYY-MM-DD` so it is clear when it is late, or lower the priority".to_owned(),
            });
        }
        None => {}
    }
}

/// H109: without both moments, time to detect and time to resolve are unknown.
fn detected_and_resolved(retro: &Retro, found: &mut Vec<Finding>) {
    let missing: Vec<&str> = [("detected", retro.timeline.detected), ("resolved", retro.timeline.resolved)]
        .into_iter()
        .filter(|(_, moment)| moment.is_none())
        .map(|(key, _)| key)
        .collect();
    if missing.is_empty() {
        return;
    }
    let named: Vec<String> = missing.iter().map(|key| format!("`timeline.{key}`")).collect();
    let keys: Vec<String> = missing.iter().map(|key| format!("`{key}:`")).collect();
    found.push(Finding {
        code: Code::MissingDetectedOrResolved,
        dotted: "timeline".to_owned(),
        part: Part::Key,
        message: format!("{} retro without {}", retro.severity, named.join(" and ")),
        help: format!(
            "add {} under `timeline:` (RFC 3339 with an offset, e.g. \"{}T14:09:00Z\") so time to detect and time to resolve can be measured",
            keys.join(" and "),
            retro.date
        ),
    });
}

/// H110: counted from the review meeting, or from the incident when there was none yet.
fn stale_review(retro: &Retro, now: NaiveDate, found: &mut Vec<Finding>) {
    let since = retro.review_date.map_or(retro.date, |review| review.max(retro.date));
    let elapsed = (now - since).num_days();
    if elapsed <= REVIEW_DAYS {
        return;
    }
    found.push(Finding {
        code: Code::StaleInReview,
        dotted: "status".to_owned(),
        part: Part::Value,
        message: format!("in review for {} (since {since}), more than {REVIEW_DAYS}", days(elapsed)),
        help: "finish the review and set `status: published`, or set `status: draft` while it is reworked"
            .to_owned(),
    });
}

/// "1 day", "7 days".
fn days(count: i64) -> String {
    if count == 1 { "1 day".to_owned() } else { format!("{count} days") }
}

/// Turns findings into diagnostics, placed in the text that was validated (one parse for all).
fn place(retro: &Retro, findings: Vec<Finding>) -> Vec<Diagnostic> {
    if findings.is_empty() {
        return Vec::new();
    }
    let targets: Vec<(yaml::YamlPath, Part)> =
        findings.iter().map(|finding| (yaml::path_from_dotted(&finding.dotted), finding.part)).collect();
    // An absent path (`timeline` not written at all) is placed at the opening `---`.
    let locations = retro.file.locate_all(&targets).into_iter().map(|at| at.unwrap_or(retro.file.opening()));
    findings
        .into_iter()
        .zip(locations)
        .map(|(finding, at)| {
            retro.file.diagnostic(finding.code, finding.message).at(Some(at)).help(finding.help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    fn retro(front_matter: &str) -> Retro {
        let text = format!("---\n{front_matter}---\n");
        let file = crate::content::split("a.md".into(), text).unwrap();
        let checked = crate::validate::validate_file(file, &Taxonomy::permissive(), &Lints::default());
        checked.retro.unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
    }

    fn codes(front_matter: &str, now: &str) -> Vec<Code> {
        let now = NaiveDate::parse_from_str(now, "%Y-%m-%d").unwrap();
        findings(&retro(front_matter), now).into_iter().map(|f| f.code).collect()
    }

    const BASE: &str = "title: t\ndate: 2024-03-01\nservices: [a]\nfailure_modes: [b]\nsummary: s\n";

    #[test]
    fn overdue_is_relative_to_the_date_and_only_for_open_items() {
        let fm = format!(
            "{BASE}severity: SEV3\naction_items:\n  - {{title: a, due: 2024-04-01}}\n  - {{title: b, due: 2024-04-01, status: done, completed: 2024-04-02}}\n"
        );
        assert_eq!(codes(&fm, "2024-04-01"), []);
        assert_eq!(codes(&fm, "2024-04-02"), [Code::OverdueActionItem]);
    }

    #[test]
    fn urgent_items_need_a_due_date_while_open() {
        let fm = format!(
            "{BASE}severity: SEV3\naction_items:\n  - {{title: a, priority: p1}}\n  - {{title: b, priority: p2}}\n  - {{title: c, priority: p0, status: wont-do, note: n}}\n"
        );
        assert_eq!(codes(&fm, "2024-04-01"), [Code::UrgentWithoutDue]);
    }

    #[test]
    fn the_two_most_severe_need_detected_and_resolved_unless_draft() {
        let fm = format!("{BASE}severity: SEV2\naction_items: [{{title: a}}]\n");
        assert_eq!(codes(&fm, "2024-04-01"), [Code::MissingDetectedOrResolved]);
        assert_eq!(codes(&format!("{fm}status: draft\n"), "2024-04-01"), []);
        assert_eq!(codes(&fm.replace("SEV2", "SEV3"), "2024-04-01"), []);
    }

    #[test]
    fn in_review_is_stale_after_fourteen_days_from_the_review() {
        let fm = format!("{BASE}severity: SEV3\nstatus: in-review\nreview_date: 2024-03-10\n");
        assert_eq!(codes(&fm, "2024-03-24"), []);
        assert_eq!(codes(&fm, "2024-03-25"), [Code::StaleInReview]);
    }
}
