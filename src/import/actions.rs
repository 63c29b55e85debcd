//! Action items: a table under Action items / Follow-ups / Corrective actions with columns
//! recognised by name, or a (task) list. Statuses, types and priorities are mapped onto the
//! retro format's values; whatever cannot be mapped keeps the table in the body.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use super::doc::{Block, Doc, Kind};

/// One action item as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Action {
    /// What will be done.
    pub title: String,
    /// Who.
    pub owner: Option<String>,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    /// open | in-progress | blocked | done | wont-do.
    pub status: Option<String>,
    /// prevent | mitigate | detect | process | other.
    pub kind: Option<String>,
    /// p0 … p3.
    pub priority: Option<String>,
    /// Ticket key or link.
    pub tracking: Option<String>,
}

/// The action items and where they were.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    /// The items.
    pub items: Vec<Action>,
    /// "the table under \"Action items\" (line 40)".
    pub from: String,
    /// Bytes to drop from the body: set only when every cell was represented.
    pub lifted: Option<Range<usize>>,
    /// Cells that could not be read.
    pub warnings: Vec<String>,
}

/// Column names by field, compared with the start of the normalised header.
const COLUMNS: &[(&str, &[&str])] = &[
    ("title", &["action item", "action", "task", "item", "description", "what", "follow up", "remediation"]),
    ("owner", &["owner", "who", "assignee", "assigned", "responsible"]),
    ("due", &["due", "deadline", "target", "eta", "by when"]),
    ("status", &["status", "state", "done"]),
    ("type", &["type", "kind", "category"]),
    ("priority", &["priority", "prio", "pri", "severity"]),
    ("tracking", &["bug", "ticket", "tracking", "issue", "jira", "link", "tracker"]),
];

static TICKET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9]+-\d+\b").expect("valid regex"));
static MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s|\()@([\w.-]+)").expect("valid regex"));
static DUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:due|by|deadline)[:\s]+([^,;)]+)").expect("valid regex"));

/// Reads the first action-item section.
pub fn read(doc: &Doc) -> Option<Actions> {
    let heading =
        doc.blocks.iter().position(|b| matches!(b.kind, Kind::Heading(_)) && is_actions_heading(&b.text))?;
    let end = doc.section_end(heading);
    let title = &doc.blocks[heading].text;
    let section = &doc.blocks[heading + 1..end];
    let mut actions = match section.iter().find(|b| b.kind == Kind::Table && title_column(b).is_some()) {
        Some(table) => from_table(table, &format!("the table under \"{title}\"{}", doc.at(table.line))),
        None => {
            let list = section.iter().find(|b| b.kind == Kind::List && !b.items.is_empty())?;
            from_list(list, &format!("the list under \"{title}\"{}", doc.at(list.line)))
        }
    };
    // A section that held only the items goes with them, heading and all.
    if section.len() == 1
        && let Some(lifted) = &mut actions.lifted
    {
        lifted.start = doc.blocks[heading].range.start;
    }
    Some(actions)
}

fn is_actions_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "action item",
        "follow-up",
        "follow up",
        "followup",
        "corrective",
        "remediation",
        "next steps",
        "preventive",
        "preventative",
        "todo",
        "to do",
        "actions",
        "recommendations",
        "improvements",
        "lessons and actions",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn column_of(header: &str) -> Option<&'static str> {
    let header = super::meta::normalise(header);
    COLUMNS.iter().find(|(_, names)| names.iter().any(|n| header.starts_with(n))).map(|(field, _)| *field)
}

fn title_column(table: &Block) -> Option<usize> {
    table.rows.first()?.iter().position(|h| column_of(h) == Some("title"))
}

fn from_table(table: &Block, from: &str) -> Actions {
    let header = table.rows.first().cloned().unwrap_or_default();
    let columns: Vec<Option<&str>> = header.iter().map(|h| column_of(h)).collect();
    let mut actions = Actions { from: from.to_owned(), ..Actions::default() };
    let mut complete = columns.iter().all(Option::is_some);
    for row in table.rows.iter().skip(1) {
        let mut action = Action::default();
        for (cell, column) in row.iter().zip(&columns) {
            let cell = cell.trim();
            if cell.is_empty() || matches!(cell, "-" | "—" | "n/a" | "N/A" | "TBD" | "?") {
                continue;
            }
            let ok = match column {
                Some("title") => set(&mut action.title, cell),
                Some("owner") => Some(action.owner.insert(cell.trim_start_matches('@').to_owned())).is_some(),
                Some("due") => dates::find_date(cell).map(|d| action.due = Some(d.to_string())).is_some(),
                Some("status") => status(cell).map(|s| action.status = Some(s.to_owned())).is_some(),
                Some("type") => kind(cell).map(|k| action.kind = Some(k.to_owned())).is_some(),
                Some("priority") => priority(cell).map(|p| action.priority = Some(p.to_owned())).is_some(),
                Some("tracking") => Some(action.tracking.insert(cell.to_owned())).is_some(),
                _ => false,
            };
            if !ok {
                complete = false;
                actions.warnings.push(format!(
                    "action items: cannot read {cell:?} as {}; the table stays in the body",
                    column.unwrap_or("any known column")
                ));
            }
        }
        if action.title.is_empty() {
            complete &= row.iter().all(|c| c.trim().is_empty());
            continue;
        }
        actions.items.push(action);
    }
    actions.lifted = complete.then(|| table.range.clone());
    actions
}

fn set(slot: &mut String, value: &str) -> bool {
    *slot = value.to_owned();
    true
}

fn from_list(list: &Block, from: &str) -> Actions {
    let mut actions = Actions { from: from.to_owned(), ..Actions::default() };
    let mut complete = true;
    for item in &list.items {
        let mut text = item.text.trim().to_owned();
        let mut checked = item.checked;
        // Plain-text and Google Docs checkboxes.
        for (mark, done) in [
            ("☐", false),
            ("☑", true),
            ("☒", true),
            ("✅", true),
            ("✔", true),
            ("[ ]", false),
            ("[x]", true),
            ("[X]", true),
        ] {
            if let Some(rest) = text.strip_prefix(mark) {
                checked = Some(done);
                text = rest.trim().to_owned();
            }
        }
        let mut action = Action {
            status: checked.map(|done| if done { "done" } else { "open" }.to_owned()),
            ..Action::default()
        };
        if text.contains('\n') {
            complete = false;
        }
        let first = text.lines().next().unwrap_or_default();
        action.owner = MENTION.captures(first).map(|c| c[1].trim_end_matches('.').to_owned());
        action.tracking = TICKET.find(first).map(|m| m.as_str().to_owned());
        action.due = DUE.captures(first).and_then(|c| dates::find_date(&c[1])).map(|d| d.to_string());
        action.title = first.to_owned();
        if action.title.is_empty() {
            continue;
        }
        actions.items.push(action);
    }
    actions.lifted = complete.then(|| list.range.clone());
    actions
}

/// An action item's status as the retro format writes it.
pub fn status(text: &str) -> Option<&'static str> {
    let lower = text.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    match lower.as_str() {
        "yes" | "y" | "x" | "✓" => return Some("done"),
        "no" | "n" => return Some("open"),
        _ => {}
    }
    if has(&["won't", "wont", "will not", "cancel", "declined", "obsolete", "not doing", "rejected"]) {
        Some("wont-do")
    } else if has(&["block", "waiting", "on hold"]) {
        Some("blocked")
    } else if has(&["progress", "wip", "ongoing", "started", "doing", "in review"]) {
        Some("in-progress")
    } else if has(&["done", "complete", "closed", "fixed", "resolved", "finished", "shipped", "merged", "✅"])
    {
        Some("done")
    } else if has(&["open", "todo", "to do", "not started", "planned", "new", "pending", "backlog"]) {
        Some("open")
    } else {
        None
    }
}

fn kind(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    [
        ("prevent", "prevent"),
        ("mitigat", "mitigate"),
        ("detect", "detect"),
        ("monitor", "detect"),
        ("alert", "detect"),
        ("process", "process"),
        ("repair", "other"),
        ("investigat", "other"),
        ("other", "other"),
    ]
    .iter()
    .find(|(stem, _)| lower.contains(stem))
    .map(|(_, kind)| *kind)
}

fn priority(text: &str) -> Option<&'static str> {
    let lower = super::severity::normalise(text);
    match lower.as_str() {
        "p0" | "0" | "critical" | "urgent" | "highest" => Some("p0"),
        "p1" | "1" | "high" => Some("p1"),
        "p2" | "2" | "medium" | "normal" | "moderate" => Some("p2"),
        "p3" | "3" | "p4" | "4" | "low" | "lowest" => Some("p3"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_with_named_columns() {
        let doc = Doc::parse(
            "## Action Items & Followups\n\n| Action Item | Type | Who | Priority | Bug # | Due Date | Status |\n|---|---|---|---|---|---|---|\n| Add pool alert | Detect | @ana | P1 | OPS-12 | 2024-04-01 | Done |\n| Load test | Prevention | Raj | medium | | March 30, 2024 | in progress |\n"
                .to_owned(),
        );
        let actions = read(&doc).unwrap();
        assert_eq!(actions.items.len(), 2);
        assert_eq!(
            actions.items[0],
            Action {
                title: "Add pool alert".into(),
                owner: Some("ana".into()),
                due: Some("2024-04-01".into()),
                status: Some("done".into()),
                kind: Some("detect".into()),
                priority: Some("p1".into()),
                tracking: Some("OPS-12".into()),
            }
        );
        assert_eq!(
            (actions.items[1].kind.as_deref(), actions.items[1].due.as_deref()),
            (Some("prevent"), Some("2024-03-30"))
        );
        assert!(actions.lifted.is_some(), "{:?}", actions.warnings);
        assert_eq!(actions.from, "the table under \"Action Items & Followups\" (line 3)");
    }

    #[test]
    fn task_lists_and_unknown_cells() {
        let doc = Doc::parse(
            "## Follow-ups\n\n- [x] Rotate keys @sam\n- [ ] Add canary OPS-7 due 2024-05-01\n".to_owned(),
        );
        let actions = read(&doc).unwrap();
        let read: Vec<(&str, Option<&str>, Option<&str>)> =
            actions.items.iter().map(|a| (a.title.as_str(), a.status.as_deref(), a.due.as_deref())).collect();
        assert_eq!(
            read,
            [
                ("Rotate keys @sam", Some("done"), None),
                ("Add canary OPS-7 due 2024-05-01", Some("open"), Some("2024-05-01"))
            ]
        );
        assert_eq!(actions.items[0].owner.as_deref(), Some("sam"));
        let doc = Doc::parse("## Action items\n\n| Task | Mood |\n|---|---|\n| Fix | happy |\n".to_owned());
        assert!(read_lifted(&doc).is_none(), "an unknown column keeps the table");
    }

    fn read_lifted(doc: &Doc) -> Option<Range<usize>> {
        read(doc).and_then(|a| a.lifted)
    }
}
