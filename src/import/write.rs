//! The imported retro as text: front matter in the order of `hindsight new`'s template, the
//! source recorded on its first line, every inferred value with a trailing `# inferred from …`
//! comment, and values that could not be read left empty.

use std::fmt::Write as _;

use super::extract::{Draft, Found};
use super::timeline::MOMENTS;
use crate::yaml::scalar;

/// The comment that records a retro's source, and how re-imports recognise it.
pub const IMPORTED_FROM: &str = "# imported from ";

/// What the writer needs besides the draft.
pub struct Header<'a> {
    /// The source path as recorded.
    pub source: &'a str,
    /// The id.
    pub id: &'a str,
    /// `draft`, `in-review` or `published`.
    pub status: &'a str,
}

/// The retro file's text.
pub fn render(draft: &Draft, header: &Header<'_>) -> String {
    let mut out = String::with_capacity(draft.body.len() + 2048);
    out.push_str("---\n");
    line(&mut out, &format!("{IMPORTED_FROM}{}", one_line(header.source)), None);
    line(&mut out, &format!("id: {}", header.id), None);
    line(&mut out, &format!("title: {}", scalar(&draft.title.value)), Some(&draft.title.from));
    let date = draft.date.as_ref();
    let date_line = format!("date: {}", date.map(|d| d.value.to_string()).unwrap_or_default());
    line(&mut out, date_line.trim_end(), date.map(|d| d.from.as_str()));
    inferred(
        &mut out,
        "severity",
        draft.severity.as_ref().map(|s| scalar(&s.value)),
        draft.severity.as_ref(),
    );
    line(&mut out, &format!("status: {}", header.status), None);
    line(&mut out, "kind: incident", None);
    let summary = draft.summary.as_ref().map_or_else(|| "\"\"".to_owned(), |s| quoted(&s.value));
    line(&mut out, &format!("summary: {summary}"), draft.summary.as_ref().map(|s| s.from.as_str()));
    for key in ["services", "failure_modes", "contributing_factors"] {
        let found = draft.labels.get(key);
        let list = found.map_or_else(|| "[]".to_owned(), |f| flow(&f.value));
        line(&mut out, &format!("{key}: {list}"), found.map(|f| f.from.as_str()));
    }
    let trigger = draft.labels.get("trigger");
    let trigger_line =
        format!("trigger: {}", trigger.and_then(|t| t.value.first()).map(|t| scalar(t)).unwrap_or_default());
    line(&mut out, trigger_line.trim_end(), trigger.map(|t| t.from.as_str()));
    line(&mut out, "detection:", None);
    timeline(&mut out, draft);
    for empty in [
        "authors: []",
        "incident_commander:",
        "facilitator:",
        "review_date:",
        "related: []",
        "tags: []",
        "links: []",
    ] {
        line(&mut out, empty, None);
    }
    action_items(&mut out, draft);
    out.push_str("---\n\n");
    out.push_str(&draft.body);
    out
}

/// `timeline:` with each moment found, or left empty with why.
fn timeline(out: &mut String, draft: &Draft) {
    out.push_str("timeline:\n");
    for (key, moment) in MOMENTS.iter().zip(&draft.timeline.moments) {
        let Some(moment) = moment else {
            line(out, &format!("  {key}:"), None);
            continue;
        };
        let from = super::extract::quote(&moment.written);
        match &moment.value {
            Some(value) => line(out, &format!("  {key}: \"{value}\""), Some(&format!("{from}{}", moment.at))),
            None => line(
                out,
                &format!("  {key}:"),
                Some(&format!("not inferred: {from}{} has no UTC offset", moment.at)),
            ),
        }
    }
}

fn inferred(out: &mut String, key: &str, value: Option<String>, found: Option<&Found<String>>) {
    line(out, format!("{key}: {}", value.unwrap_or_default()).trim_end(), found.map(|f| f.from.as_str()));
}

/// Writes one line, with `# inferred from …` when it was inferred.
fn line(out: &mut String, text: &str, from: Option<&str>) {
    out.push_str(text);
    if let Some(from) = from {
        let comment = one_line(from);
        if comment.starts_with("not inferred") {
            let _ = write!(out, "  # {comment}");
        } else {
            let _ = write!(out, "  # inferred from {comment}");
        }
    }
    out.push('\n');
}

/// Text safe for a comment: one line, no control characters.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn flow(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| scalar(i)).collect::<Vec<_>>().join(", "))
}

/// Always double-quoted, so a summary never turns into another YAML type.
fn quoted(text: &str) -> String {
    let plain = scalar(text);
    // Plain text holds no `"`, but a backslash would start an escape inside quotes.
    if plain.starts_with('"') { plain } else { format!("\"{}\"", plain.replace('\\', "\\\\")) }
}

fn action_items(out: &mut String, draft: &Draft) {
    let Some(actions) = draft.actions.as_ref().filter(|a| !a.items.is_empty()) else {
        line(out, "action_items: []", None);
        return;
    };
    line(out, "action_items:", Some(&actions.from));
    for action in &actions.items {
        let _ = writeln!(out, "  - title: {}", scalar(&action.title));
        let fields = [
            ("owner", &action.owner),
            ("due", &action.due),
            ("status", &action.status),
            ("type", &action.kind),
            ("priority", &action.priority),
            ("tracking", &action.tracking),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                let _ = writeln!(out, "    {key}: {}", scalar(value));
            }
        }
    }
}
