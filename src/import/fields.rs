//! The fields read from labels and sections: title, date, summary and severity, each with
//! where it was found, and the parts of the document they make redundant.

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;

use super::doc::{Doc, Kind};
use super::extract::{Context, Found, quote};
use super::meta::{self, Field};
use super::severity;

const TITLE_LABELS: &[&str] = &["title", "incident title", "incident name", "name of incident"];
const DATE_LABELS: &[&str] = &[
    "date",
    "incident date",
    "date of incident",
    "date of the incident",
    "start date",
    "start date time",
    "start time",
    "started",
    "started at",
    "when",
    "occurred",
    "incident start",
];
const SEVERITY_LABELS: &[&str] = &[
    "severity",
    "sev",
    "incident severity",
    "severity level",
    "priority",
    "incident priority",
    "impact level",
    "level",
];
const SUMMARY_HEADINGS: &[&str] = &[
    "summary",
    "tl dr",
    "tldr",
    "executive summary",
    "overview",
    "issue summary",
    "incident summary",
    "summary of impact",
    "brief description",
    "description",
    "what happened",
];

/// Whether a heading names a section of a postmortem rather than the incident.
fn is_section_name(text: &str) -> bool {
    let name = meta::normalise(text);
    const SECTIONS: &[&str] = &[
        "timeline",
        "impact",
        "root cause",
        "root causes",
        "action items",
        "background",
        "lessons learned",
        "resolution",
        "detection",
        "trigger",
    ];
    SUMMARY_HEADINGS.contains(&name.as_str()) || SECTIONS.contains(&name.as_str())
}

fn field<'a>(fields: &'a [Field], labels: &[&str]) -> Option<&'a Field> {
    labels.iter().find_map(|label| fields.iter().find(|f| f.label == *label))
}

/// The title; the part it came from goes into `lifted`.
pub fn title(
    doc: &Doc,
    fields: &[Field],
    page_title: Option<String>,
    path: &Path,
    at: &dyn Fn(usize) -> String,
    lifted: &mut Vec<Range<usize>>,
) -> Found<String> {
    // A leading heading: only quotes, comments and the like may come before it.
    let leading = doc.blocks.iter().find(|b| b.kind != Kind::Other);
    if let Some(first) = leading.filter(|b| b.kind == Kind::Heading(1) && !b.text.is_empty()) {
        lifted.push(first.range.clone());
        return Found { value: first.text.clone(), from: format!("the first heading{}", at(first.line)) };
    }
    // An HTML export (it has a `<title>`) puts breadcrumbs and page chrome before its `<h1>`.
    let first_heading = doc.blocks.iter().find(|b| matches!(b.kind, Kind::Heading(_)));
    let named = |b: &&super::doc::Block| !b.text.is_empty() && !is_section_name(&b.text);
    if let Some(h1) = first_heading.filter(|b| b.kind == Kind::Heading(1) && named(b) && page_title.is_some())
    {
        lifted.push(h1.range.clone());
        return Found { value: h1.text.clone(), from: "the page's first heading".to_owned() };
    }
    if let Some(found) = field(fields, TITLE_LABELS) {
        lifted.extend(found.range.clone());
        return Found {
            value: found.value.clone(),
            from: format!("{}{}", quote(&found.written), at(found.line)),
        };
    }
    // A document whose headings start at level 2 names itself with the first one.
    let no_h1 = !doc.blocks.iter().any(|b| b.kind == Kind::Heading(1));
    if let Some(h2) = leading.filter(|b| b.kind == Kind::Heading(2) && named(b) && no_h1) {
        lifted.push(h2.range.clone());
        return Found { value: h2.text.clone(), from: format!("the first heading{}", at(h2.line)) };
    }
    // A document without headings that opens with a short line of its own names itself with it.
    let no_headings = !doc.blocks.iter().any(|b| matches!(b.kind, Kind::Heading(_)));
    let opening = leading.filter(|b| {
        b.kind == Kind::Paragraph
            && !b.text.contains('\n')
            && b.text.len() <= 100
            && meta::split_labelled(&b.text).is_none()
    });
    if let Some(line) = opening.filter(|_| no_headings && page_title.is_none()) {
        lifted.push(line.range.clone());
        return Found { value: line.text.clone(), from: format!("the first line{}", at(line.line)) };
    }
    if let Some(page_title) = page_title {
        return Found { value: page_title, from: "the page's <title>".to_owned() };
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " ")).unwrap_or_default();
    Found { value: stem.trim().to_owned(), from: "the file name".to_owned() }
}

/// The date from labels and the title.
pub fn date(
    fields: &[Field],
    title: &str,
    at: &dyn Fn(usize) -> String,
    lifted: &mut Vec<Range<usize>>,
) -> Option<Found<NaiveDate>> {
    for label in DATE_LABELS {
        for found in fields.iter().filter(|f| f.label == *label) {
            if let Some(day) = super::dates::find_date(&found.value) {
                // A `Date:` line is represented by `date:`; a start time also says the hour.
                if found.label == "date" {
                    lifted.extend(found.range.clone());
                }
                return Some(Found {
                    value: day,
                    from: format!("{}{}", quote(&found.written), at(found.line)),
                });
            }
        }
    }
    let day = super::dates::find_date(title)?;
    Some(Found { value: day, from: "the title".to_owned() })
}

/// The summary.
pub fn summary(
    doc: &Doc,
    fields: &[Field],
    at: &dyn Fn(usize) -> String,
    lifted: &mut Vec<Range<usize>>,
) -> Option<Found<String>> {
    let is_metadata = |text: &str| text.lines().all(|line| meta::split_labelled(line).is_some());
    for (index, block) in doc.blocks.iter().enumerate() {
        let Kind::Heading(_) = block.kind else { continue };
        let name = meta::normalise(&block.text);
        if !SUMMARY_HEADINGS.iter().any(|h| name == *h || name.starts_with(&format!("{h} "))) {
            continue;
        }
        let end = doc.section_end(index);
        let section = &doc.blocks[index + 1..end];
        let Some(paragraph) = section.iter().find(|b| b.kind == Kind::Paragraph && !is_metadata(&b.text))
        else {
            continue;
        };
        if section.len() == 1 {
            lifted.push(block.range.start..paragraph.range.end);
        }
        let value = paragraph.text.split_whitespace().collect::<Vec<_>>().join(" ");
        return Some(Found {
            value,
            from: format!("the first paragraph under \"{}\"{}", block.text, at(paragraph.line)),
        });
    }
    if let Some(found) =
        field(fields, &["summary", "tl dr", "tldr", "description"]).filter(|f| f.value.len() > 20)
    {
        lifted.extend(found.range.clone());
        return Some(Found {
            value: found.value.clone(),
            from: format!("{}{}", quote(&found.written), at(found.line)),
        });
    }
    let paragraph = doc
        .blocks
        .iter()
        .skip(1)
        .find(|b| b.kind == Kind::Paragraph && !is_metadata(&b.text) && b.text.len() > 40)?;
    let value = paragraph.text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(Found { value, from: format!("the first paragraph{}", at(paragraph.line)) })
}

#[allow(clippy::too_many_arguments, reason = "one call site; the pieces are what a severity is read from")]
/// The severity, mapped onto the taxonomy.
pub fn severity(
    doc: &Doc,
    fields: &[Field],
    title: &str,
    context: &Context<'_>,
    at: &dyn Fn(usize) -> String,
    lifted: &mut Vec<Range<usize>>,
    warnings: &mut Vec<String>,
) -> Option<Found<String>> {
    let map = |written: &str| severity::map(written, context.taxonomy, context.severity_map);
    for label in SEVERITY_LABELS {
        if let Some(found) = fields.iter().find(|f| f.label == *label) {
            match map(&found.value) {
                Some(name) => {
                    lifted.extend(found.range.clone());
                    return Some(Found { value: name, from: format!("{}{}", quote(&found.written), at(found.line)) });
                }
                None => warnings.push(format!(
                    "severity {:?} is not one of the taxonomy's; add it to `import.severity_map` in hindsight.yaml, or fill in `severity:`",
                    found.value
                )),
            }
        }
    }
    let head: String = std::iter::once(title)
        .chain(doc.blocks.iter().take(4).map(|b| b.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let written = severity::inline(&head)?;
    let name = map(&written)?;
    Some(Found { value: name, from: format!("{} in the text", quote(&written)) })
}
