//! The timeline: a Timeline section written as a table, a list or lines, each row starting with
//! a time or a date-time. The zone is stated once ("all times UTC") or on a row; markers such
//! as OUTAGE BEGINS, "detected", "mitigated" and OUTAGE ENDS give `started` … `resolved`.
//! The rows stay in the body as written.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime};

use super::dates::{self, Stamp};
use super::doc::{Doc, Kind};
use super::meta::Field;

/// The moments of `timeline:`, in order.
pub const MOMENTS: [&str; 5] = ["started", "detected", "acknowledged", "mitigated", "resolved"];

/// Words that mark each moment, strongest first; the capitalised markers of the Google SRE
/// template come first of all.
const MARKERS: [&[&str]; 5] = [
    &[
        "outage begins",
        "incident begins",
        "impact begins",
        "impact started",
        "impact starts",
        "start of impact",
        "outage started",
        "outage starts",
        "incident started",
        "began",
    ],
    &["detected", "alert fired", "alerted", "paged", "page fired", "first alert", "noticed", "reported by"],
    &["acknowledged", "acked", "ack'd", "incident declared", "declared an incident", "declared incident"],
    &[
        "mitigated",
        "mitigation applied",
        "impact ends",
        "impact ended",
        "service restored",
        "recovered",
        "recovery",
    ],
    &[
        "resolved",
        "outage ends",
        "incident ends",
        "incident closed",
        "all clear",
        "fully recovered",
        "back to normal",
    ],
];

/// Labels of fields that give a moment directly (the Michael Kehoe and cloud-book templates).
const FIELD_LABELS: [&[&str]; 5] = [
    &["start time", "start date time", "started", "started at", "impact start", "outage start"],
    &["detection time", "detected", "detected at", "time detected"],
    &["acknowledged", "acknowledged at", "ack time"],
    &["mitigation time", "mitigated", "mitigated at", "time mitigated"],
    &["resolution time", "end date time", "end time", "resolved", "resolved at", "ended", "outage end"],
];

/// A moment found: its timestamp (RFC 3339, or `None` when the zone is unknown) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    /// RFC 3339 with the offset, when the zone is known.
    pub value: Option<String>,
    /// The row as written, for the comment.
    pub written: String,
    /// " (line N)", or nothing.
    pub at: String,
}

/// What the timeline gave.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// started, detected, acknowledged, mitigated, resolved.
    pub moments: [Option<Moment>; 5],
    /// How many timestamped rows the section has.
    pub rows: usize,
    /// The date of the first row that gives one, the row, and " (line N)".
    pub first_date: Option<(NaiveDate, String, String)>,
    /// Problems worth telling.
    pub warnings: Vec<String>,
}

/// One timestamped row.
struct Row {
    stamp: Stamp,
    text: String,
    written: String,
    at: String,
}

/// Reads the Timeline section of `doc` (and moment fields), dating time-only rows by `date`.
pub fn read(doc: &Doc, fields: &[Field], date: Option<NaiveDate>) -> Timeline {
    let mut timeline = Timeline::default();
    let Some(heading) =
        doc.blocks.iter().position(|b| matches!(b.kind, Kind::Heading(_)) && is_timeline_heading(&b.text))
    else {
        from_fields(doc, fields, date, &mut timeline);
        if timeline.moments.iter().flatten().any(|m| m.value.is_none()) {
            timeline.warnings.push(
                "the timeline fields state no UTC offset; moments are left empty: fill `timeline:` by hand"
                    .to_owned(),
            );
        }
        return timeline;
    };
    let (rows, zone_text) = section_rows(doc, heading);
    timeline.rows = rows.len();
    let zone = dates::stated_offset(&zone_text).map(|(offset, _)| offset);
    let section_date = dates::find_date(&zone_text);
    place(&rows, zone, section_date.or(date), &mut timeline);
    // Moments given as fields with their zone replace rows that had none.
    for moment in &mut timeline.moments {
        if moment.as_ref().is_some_and(|m| m.value.is_none()) {
            *moment = None;
        }
    }
    let unplaced = place_copy(&rows, zone, section_date.or(date));
    from_fields(doc, fields, date, &mut timeline);
    let missing =
        unplaced.iter().zip(&mut timeline.moments).filter(|(row, moment)| row.is_some() && moment.is_none());
    let mut left_empty = false;
    for (row, moment) in missing {
        *moment = row.clone();
        left_empty = true;
    }
    if left_empty {
        let named = dates::daylight_zone(&zone_text)
            .map(|z| format!(" ({z} has daylight saving, so its offset depends on the day)"))
            .unwrap_or_default();
        timeline.warnings.push(format!(
            "the timeline states no UTC offset{named}; moments are left empty: write e.g. \"Timeline (all times UTC)\" and import again, or fill `timeline:` by hand"
        ));
    }
    timeline
}

/// The timestamped rows of the Timeline section under `heading` (a table, a list or lines),
/// and the text that may state its time zone (the heading, table headers, lone paragraphs).
fn section_rows(doc: &Doc, heading: usize) -> (Vec<Row>, String) {
    let end = doc.section_end(heading);
    let mut zone_text = doc.blocks[heading].text.clone();
    let mut rows = Vec::new();
    for block in &doc.blocks[heading + 1..end] {
        match block.kind {
            Kind::Table => {
                if let Some(header) = block.rows.first() {
                    zone_text.push(' ');
                    zone_text.push_str(&header.join(" "));
                }
                for (row, line) in block.rows.iter().zip(&block.row_lines).skip(1) {
                    // `| 2024-03-05 | 14:02 | … |`: date and time in separate columns.
                    let joined = row.join(" ");
                    push_row(&mut rows, &joined, &row.join(" | "), doc.at(*line));
                }
            }
            Kind::List => {
                for item in &block.items {
                    push_row(&mut rows, &item.text, &item.text, doc.at(item.line));
                }
            }
            Kind::Paragraph => {
                let before = rows.len();
                for (offset, line) in block.text.lines().enumerate() {
                    push_row(&mut rows, line, line, doc.at(block.line + offset));
                }
                if rows.len() == before {
                    // "All times UTC." or "2024-03-05 (all times UTC)" before the rows.
                    zone_text.push(' ');
                    zone_text.push_str(&block.text);
                }
            }
            _ => {}
        }
    }
    (rows, zone_text)
}

/// The moments the rows mark, as [`place`] finds them, without touching `timeline`.
fn place_copy(rows: &[Row], zone: Option<FixedOffset>, date: Option<NaiveDate>) -> [Option<Moment>; 5] {
    let mut scratch = Timeline::default();
    place(rows, zone, date, &mut scratch);
    scratch.moments
}

fn is_timeline_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["timeline", "chronology", "chain of events", "sequence of events", "time line"]
        .iter()
        .any(|w| lower.contains(w))
}

fn push_row(rows: &mut Vec<Row>, text: &str, written: &str, at: String) {
    let text = text.trim().trim_start_matches(['*', '_', '[', '(', '`']);
    if let Some(stamp) = dates::leading_stamp(text) {
        let rest = text[stamp.len..].trim_start_matches(|c: char| !c.is_alphanumeric()).to_owned();
        rows.push(Row { stamp, text: rest, written: written.trim().to_owned(), at });
    }
}

/// Dates every row (a row's own date, else the last one seen, else `date`; past midnight when
/// the time goes backwards) and picks the moments.
fn place(rows: &[Row], zone: Option<FixedOffset>, date: Option<NaiveDate>, timeline: &mut Timeline) {
    let mut current = date;
    let mut last: Option<NaiveDateTime> = None;
    for row in rows {
        let own = row.stamp.date.or_else(|| {
            let (month, day) = row.stamp.month_day?;
            NaiveDate::from_ymd_opt(current.or(date)?.year(), month, day)
        });
        if let Some(own) = own {
            current = Some(own);
            if timeline.first_date.is_none() {
                timeline.first_date = Some((own, row.written.clone(), row.at.clone()));
            }
        }
        let Some(day) = current else { continue };
        let mut moment = day.and_time(row.stamp.time);
        if own.is_none() && last.is_some_and(|l| moment + Duration::hours(1) < l) {
            moment += Duration::days(1);
            current = Some(moment.date());
        }
        last = Some(moment);
        let Some(index) = marker(&row.text) else { continue };
        if timeline.moments[index].is_some() {
            continue;
        }
        let value = row.stamp.offset.or(zone).and_then(|offset| moment.and_local_timezone(offset).single());
        timeline.moments[index] =
            Some(Moment { value: value.map(rfc3339), written: row.written.clone(), at: row.at.clone() });
    }
}

/// Which moment a row marks, if any: a moment's own marker (the first of its words, e.g.
/// "resolved") wins over another moment's synonym ("recovered" means mitigated).
fn marker(text: &str) -> Option<usize> {
    let lower = text.to_lowercase();
    let has = |w: &&str| {
        lower.match_indices(*w).any(|(at, _)| {
            let before = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = lower[at + w.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            before && after
        })
    };
    MARKERS
        .iter()
        .position(|words| words.first().is_some_and(&has))
        .or_else(|| MARKERS.iter().position(|words| words.iter().any(has)))
}

fn rfc3339(moment: DateTime<FixedOffset>) -> String {
    if moment.offset().local_minus_utc() == 0 {
        moment.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        moment.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Moments given as fields (`Start Time: 2024-03-05 14:02 UTC`) fill what the rows did not.
fn from_fields(doc: &Doc, fields: &[Field], date: Option<NaiveDate>, timeline: &mut Timeline) {
    for (index, labels) in FIELD_LABELS.iter().enumerate() {
        if timeline.moments[index].is_some() {
            continue;
        }
        let Some((field, stamp)) = fields
            .iter()
            .filter(|f| labels.contains(&f.label.as_str()))
            .find_map(|f| dates::leading_stamp(&f.value).map(|s| (f, s)))
        else {
            continue;
        };
        let Some(day) = stamp.date.or(date) else { continue };
        let value =
            stamp.offset.and_then(|offset| day.and_time(stamp.time).and_local_timezone(offset).single());
        timeline.moments[index] = Some(Moment {
            value: value.map(rfc3339),
            written: field.written.clone(),
            at: doc.at(field.line),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(markdown: &str) -> Vec<Option<String>> {
        let doc = Doc::parse(markdown.to_owned());
        let date = NaiveDate::from_ymd_opt(2024, 3, 5);
        read(&doc, &[], date).moments.into_iter().map(|m| m.and_then(|m| m.value)).collect()
    }

    #[test]
    fn list_rows_with_a_stated_zone_and_midnight() {
        let found = moments(
            "## Timeline (all times UTC)\n\n- 23:10 Deploy of v2 starts\n- 23:14 OUTAGE BEGINS: errors rise\n- 23:20 On-call paged\n- 00:05 Rollback done, impact ends\n- 00:40 OUTAGE ENDS\n",
        );
        assert_eq!(
            found,
            [
                Some("2024-03-05T23:14:00Z".to_owned()),
                Some("2024-03-05T23:20:00Z".to_owned()),
                None,
                Some("2024-03-06T00:05:00Z".to_owned()),
                Some("2024-03-06T00:40:00Z".to_owned()),
            ]
        );
    }

    #[test]
    fn table_rows_with_offset_in_the_header() {
        let found = moments(
            "## Timeline\n\n| Time (UTC+1) | Event |\n|---|---|\n| 2024-03-07 09:00 | Alert fired for latency |\n| 09:30 | Mitigated by failover |\n",
        );
        assert_eq!(found[1].as_deref(), Some("2024-03-07T09:00:00+01:00"));
        assert_eq!(found[3].as_deref(), Some("2024-03-07T09:30:00+01:00"));
    }

    #[test]
    fn without_a_zone_moments_are_found_but_left_empty() {
        let doc = Doc::parse("## Timeline\n\n14:00 detected by a customer\n".to_owned());
        let timeline = read(&doc, &[], NaiveDate::from_ymd_opt(2024, 3, 5));
        let detected = timeline.moments[1].clone().unwrap();
        assert_eq!((detected.value, detected.at.as_str()), (None, " (line 3)"));
        assert!(timeline.warnings[0].contains("no UTC offset"), "{:?}", timeline.warnings);
    }
}
