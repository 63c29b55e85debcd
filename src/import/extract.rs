//! Reading one postmortem: title, date, summary, severity, labels, timeline and action items,
//! each with where it was found, and the body that is left.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::actions::{self, Actions};
use super::doc::{self, Doc};
use super::fields::{date, severity, summary, title};
use super::html;
use super::labels::{DIMENSIONS, Matcher};
use super::meta::{self, Field};
use super::source::{Format, Source};
use super::timeline::{self, Timeline};
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
/// Reads `source`; an HTML page with no text once scripts and styles are dropped is refused.
pub fn read(source: &Source, context: &Context<'_>) -> Result<Draft, String> {
    let (markdown, page_title) = markdown_of(source)?;
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
    let labels = labels(context.matcher, &label_heading(&title.value, &fields), summary_text, &doc.text);
    let mut body = body(&doc, &lifted);
    if let Some(kept) = foreign.and_then(unmapped_entries) {
        body = format!(
            "Front matter of the original file that has no place in a retro:\n\n```yaml\n{kept}```\n\n{body}"
        );
    }
    Ok(Draft { title, date, summary, severity, labels, timeline, actions, body, warnings })
}

/// The source as Markdown, with an HTML page's `<title>`; a page with no text is refused.
fn markdown_of(source: &Source) -> Result<(String, Option<String>), String> {
    match source.format {
        Format::Html => {
            let converted = html::to_markdown(&source.text);
            if converted.markdown.trim().is_empty() {
                return Err(
                    "the page has no text once scripts and styles are dropped; nothing to import".to_owned()
                );
            }
            Ok((converted.markdown, converted.title))
        }
        Format::Text => Ok((doc::mark_text_headings(&source.text), None)),
        Format::Markdown => Ok((source.text.clone(), None)),
    }
}

/// The title with the values of label fields (`Services: payments-api` and the like), which
/// weigh as much as the title when labels are matched.
fn label_heading(title: &str, fields: &[Field]) -> String {
    let named: Vec<&str> = fields
        .iter()
        .filter(|f| LABEL_FIELDS.contains(&f.label.as_str()))
        .map(|f| f.value.as_str())
        .collect();
    format!("{title}\n{}", named.join("\n"))
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

/// `"text"`, shortened and on one line, for a comment.
pub fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = one_line.chars().take(60).collect();
    let ellipsis = if short.len() < one_line.len() { "…" } else { "" };
    format!("\"{}{ellipsis}\"", short.replace('"', "'"))
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
