//! `actions.csv`: every action item of every published retro with what the build date makes of
//! it, one row per item, in library order (newest retro first). Columns are in README.md.

use super::FeedError;
use crate::format::iso_date;
use crate::insights::actions::{Actions, Item};
use crate::library::Library;
use crate::output::Sink;
use crate::{urls, views};

/// The header row.
const COLUMNS: [&str; 28] = [
    "as_of",
    "retro_id",
    "retro_title",
    "retro_url",
    "retro_date",
    "severity",
    "kind",
    "teams",
    "item_id",
    "title",
    "owner",
    "status",
    "priority",
    "type",
    "due",
    "completed",
    "tracking",
    "metric",
    "note",
    "overdue",
    "sla_days",
    "sla_deadline",
    "past_sla",
    "closed_within_sla",
    "days_open",
    "days_to_complete",
    "missing_due_date",
    "tracking_url",
];

/// Writes `actions.csv`.
pub fn write(library: &Library, actions: &Actions<'_>, sink: &dyn Sink) -> Result<(), FeedError> {
    let encode = |e: csv::Error| FeedError::Encode { file: urls::ACTIONS_CSV, message: e.to_string() };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(encode)?;
    for item in &actions.items {
        writer.write_record(row(library, item)).map_err(encode)?;
    }
    let bytes = writer.into_inner().map_err(|e| encode(e.into_error().into()))?;
    sink.write(urls::ACTIONS_CSV, &bytes)?;
    Ok(())
}

fn row(library: &Library, item: &Item<'_>) -> [String; 28] {
    let retro = &library.retros[item.retro];
    let a = item.item;
    let text = |value: Option<&str>| value.map(inert).unwrap_or_default();
    let flag = |on: bool| if on { "yes" } else { "no" }.to_owned();
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let tracking_url = views::ActionView::new(a, library).tracking.and_then(|t| t.url).unwrap_or_default();
    [
        iso_date(library.today),
        retro.id.clone(),
        inert(&retro.title),
        urls::retro(&retro.id),
        iso_date(retro.date),
        inert(&retro.severity),
        retro.kind.as_str().to_owned(),
        inert(&retro.teams.join("; ")),
        text(a.id.as_deref()),
        inert(&a.title),
        text(a.owner.as_deref()),
        a.status.as_str().to_owned(),
        a.priority.map(|p| p.as_str()).unwrap_or_default().to_owned(),
        a.kind.map(|k| k.as_str()).unwrap_or_default().to_owned(),
        a.due.map(iso_date).unwrap_or_default(),
        a.completed.map(iso_date).unwrap_or_default(),
        text(a.tracking.as_deref()),
        text(a.metric.as_deref()),
        text(a.note.as_deref()),
        flag(item.overdue),
        item.sla_days.map(|d| d.to_string()).unwrap_or_default(),
        item.sla_deadline.map(iso_date).unwrap_or_default(),
        flag(item.past_sla),
        item.within_sla.map(flag).unwrap_or_default(),
        number(item.days_open),
        number(item.days_to_complete),
        flag(item.missing_due),
        inert(&tracking_url),
    ]
}

/// Free text as a spreadsheet will not run it: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is a formula to Excel and LibreOffice, so it gets a leading `'` (OWASP's
/// advice for CSV injection). `retros.json` keeps the text as written.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused() {
        assert_eq!(super::inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::inert("-1 retries"), "'-1 retries");
        assert_eq!(super::inert("Add a breaker"), "Add a breaker");
    }
}
