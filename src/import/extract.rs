//! Reading one postmortem: title, date, summary, severity, labels, timeline and action items,
//! each with where it was found, and the body that is left.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;

use super::actions::{self, Actions};
use super::doc::{self, Doc, Kind};
use super::labels::{DIMENSIONS, Matcher};
use super::meta::{self, Field};
use super::source::{Format, Source};
use super::timeline::{self, Timeline};
use super::{html, severity};
use crate::taxonomy::{Dimension, Taxonomy};

/// A value and where it came from: `"Date: March 5, 2024" (line 3)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// The value.
    pub value: T,
    /// Where it was read, for the `# inferred from …` comment.
    pub from: String,
}

/// Everything read from one source.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The title (always: at worst the file name).
    pub title: Found<String>,
    /// The incident's date.
    pub date: Option<Found<NaiveDate>>,
    /// The stakeholder summary.
    pub summary: Option<Found<String>>,
    /// The taxonomy severity.
    pub severity: Option<Found<String>>,
    /// Labels per dimension (services, failure modes, factors, trigger).
    pub labels: BTreeMap<&'static str, Found<Vec<String>>>,
    /// The timeline's moments.
    pub timeline: Timeline,
    /// Action items.
    pub actions: Option<Actions>,
    /// What is left of the document.
    pub body: String,
    /// What the reader could not settle.
    pub warnings: Vec<String>,
}

/// What reading needs from the library.
pub struct Context<'a> {
    /// The vocabulary.
    pub taxonomy: &'a Taxonomy,
    /// `import.severity_map`.
    pub severity_map: &'a BTreeMap<String, String>,
    /// Term matcher over the taxonomy.
    pub matcher: &'a Matcher,
}

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
const LABEL_FIELDS: &[&str] = &[
    "services",
    "service",
    "affected services",
    "systems affected",
    "components",
    "failure mode",
    "failure modes",
    "root cause",
    "trigger",
    "category",
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

/// Reads `source`; an HTML page with no text once scripts and styles are dropped is refused.
pub fn read(source: &Source, context: &Context<'_>) -> Result<Draft, String> {
    let (markdown, page_title) = match source.format {
        Format::Html => {
            let converted = html::to_markdown(&source.text);
            if converted.markdown.trim().is_empty() {
                return Err(
                    "the page has no text once scripts and styles are dropped; nothing to import".to_owned()
                );
            }
            (converted.markdown, converted.title)
        }
        Format::Text => (doc::mark_text_headings(&source.text), None),
        Format::Markdown => (source.text.clone(), None),
    };
    let (mut fields, rest, foreign) = meta::front_matter(&markdown);
    // Lines are counted in the source file, front matter included; a converted page has none.
    let first_line = markdown[..markdown.len() - rest.len()].matches('\n').count() + 1;
    let doc = Doc::parse_from(rest.to_owned(), (source.format != Format::Html).then_some(first_line));
    fields.extend(meta::fields(&doc));
    let at = |line: usize| doc.at(line);
    let mut lifted: Vec<Range<usize>> = Vec::new();
    let mut warnings = Vec::new();

    let title = title(&doc, &fields, page_title, &source.path, &at, &mut lifted);
    let date = date(&fields, &title.value, &at, &mut lifted);
    let summary = summary(&doc, &fields, &at, &mut lifted);
    let severity = severity(&doc, &fields, &title.value, context, &at, &mut lifted, &mut warnings);
    // Rows that give only a time are dated by the date, else by one the summary or name gives.
    let summary_date = summary.as_ref().and_then(|s| super::dates::find_date(&s.value));
    let name = source.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name_date = super::dates::find_date(&name);
    let timeline =
        timeline::read(&doc, &fields, date.as_ref().map(|d| d.value).or(summary_date).or(name_date));
    let date = date
        .or_else(|| {
            let (day, written, place) = timeline.first_date.clone()?;
            Some(Found { value: day, from: format!("the first timeline row {}{place}", quote(&written)) })
        })
        .or_else(|| Some(Found { value: summary_date?, from: "the summary".to_owned() }))
        .or_else(|| Some(Found { value: name_date?, from: format!("the file name {}", quote(&name)) }));
    if date.is_none() {
        warnings.push("no date found: fill in `date:` (YYYY-MM-DD); the id's year is this year's".to_owned());
    }
    warnings.extend(timeline.warnings.iter().cloned());
    let actions = actions::read(&doc);
    if let Some(actions) = &actions {
        warnings.extend(actions.warnings.iter().cloned());
        lifted.extend(actions.lifted.clone());
    }
    let summary_text = summary.as_ref().map_or("", |s| s.value.as_str());
    // `Services: payments-api` and the like weigh as much as the title.
    let named: Vec<&str> = fields
        .iter()
        .filter(|f| LABEL_FIELDS.contains(&f.label.as_str()))
        .map(|f| f.value.as_str())
        .collect();
    let heading = format!("{}\n{}", title.value, named.join("\n"));
    let labels = labels(context.matcher, &heading, summary_text, &doc.text);
    let mut body = body(&doc, &lifted);
    if let Some(kept) = foreign.and_then(unmapped_entries) {
        body = format!(
            "Front matter of the original file that has no place in a retro:\n\n```yaml\n{kept}```\n\n{body}"
        );
    }
    Ok(Draft { title, date, summary, severity, labels, timeline, actions, body, warnings })
}

/// Front-matter keys of other tools that import reads into the retro's own fields.
const MAPPED_KEYS: &[&str] =
    &["title", "date", "start time", "started", "start date", "severity", "sev", "priority", "summary"];

/// The entries of a foreign front matter whose keys import does not map, as written.
fn unmapped_entries(yaml: &str) -> Option<String> {
    let mut kept = String::new();
    let mut keep = false;
    for line in yaml.lines() {
        if !line.starts_with([' ', '\t', '-']) {
            let key = line.split(':').next().unwrap_or_default();
            keep = !MAPPED_KEYS.contains(&meta::normalise(key).as_str());
        }
        if keep {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    (!kept.trim().is_empty()).then_some(kept)
}

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

/// `"text"`, shortened and on one line, for a comment.
pub fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = one_line.chars().take(60).collect();
    let ellipsis = if short.len() < one_line.len() { "…" } else { "" };
    format!("\"{}{ellipsis}\"", short.replace('"', "'"))
}

fn field<'a>(fields: &'a [Field], labels: &[&str]) -> Option<&'a Field> {
    labels.iter().find_map(|label| fields.iter().find(|f| f.label == *label))
}

fn title(
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
    if let Some(page_title) = page_title {
        return Found { value: page_title, from: "the page's <title>".to_owned() };
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " ")).unwrap_or_default();
    Found { value: stem.trim().to_owned(), from: "the file name".to_owned() }
}

fn date(
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

fn summary(
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
fn severity(
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

fn labels(
    matcher: &Matcher,
    title: &str,
    summary: &str,
    body: &str,
) -> BTreeMap<&'static str, Found<Vec<String>>> {
    let mut labels = BTreeMap::new();
    for dimension in DIMENSIONS {
        let found = matcher.find(dimension, title, summary, body);
        if found.is_empty() {
            continue;
        }
        let from = found
            .iter()
            .map(|m| format!("{} ({})", m.name, m.places.join(", ")))
            .collect::<Vec<_>>()
            .join("; ");
        let names = found.into_iter().map(|m| m.name).collect();
        labels.insert(key(dimension), Found { value: names, from: format!("words in the text: {from}") });
    }
    labels
}

/// The front-matter key of a label dimension.
pub fn key(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Service => "services",
        Dimension::FailureMode => "failure_modes",
        Dimension::Factor => "contributing_factors",
        _ => "trigger",
    }
}

/// The document without the lifted ranges, and without the blank lines they leave.
fn body(doc: &Doc, lifted: &[Range<usize>]) -> String {
    let mut ranges: Vec<Range<usize>> = lifted.to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(doc.text.len());
    let mut at = 0;
    for range in ranges {
        if range.start >= at {
            out.push_str(&doc.text[at..range.start]);
            at = range.end;
        } else {
            at = at.max(range.end);
        }
    }
    out.push_str(&doc.text[at.min(doc.text.len())..]);
    let mut collapsed = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.trim().lines() {
        blank = if line.trim().is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            collapsed.push_str(line.trim_end());
            collapsed.push('\n');
        }
    }
    collapsed
}
