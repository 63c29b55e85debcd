//! `retros.json`: every published retro's front matter, plus its URL, derived durations and
//! similar incidents. The schema is documented in README.md; `schema` changes when a field's
//! meaning does.

use serde::Serialize;

use super::FeedError;
use crate::format::iso_date;
use crate::library::Library;
use crate::model::{ActionItem, Impact, Link, Retro};
use crate::output::Sink;
use crate::similar::{SimilarIncidents, Suggestion};
use crate::urls;

/// The version of the document's shape.
const SCHEMA: u32 = 1;

#[derive(Debug, Serialize)]
struct Document<'a> {
    schema: u32,
    as_of: String,
    retros: Vec<RetroJson<'a>>,
}

#[derive(Debug, Serialize)]
struct RetroJson<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    date: String,
    severity: &'a str,
    status: &'static str,
    kind: &'static str,
    summary: Option<&'a str>,
    services: &'a [String],
    failure_modes: &'a [String],
    contributing_factors: &'a [String],
    trigger: Option<&'a str>,
    detection: Option<&'static str>,
    impact: Option<&'a Impact>,
    timeline: Timeline,
    teams: &'a [String],
    authors: &'a [String],
    incident_commander: Option<&'a str>,
    facilitator: Option<&'a str>,
    review_date: Option<String>,
    /// Published retros related in either direction (never an unpublished id).
    related: Vec<&'a str>,
    tags: &'a [String],
    links: &'a [Link],
    visibility: &'static str,
    action_items: Vec<ItemJson<'a>>,
    durations: Durations,
    similar: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct Timeline {
    started: Option<String>,
    detected: Option<String>,
    acknowledged: Option<String>,
    mitigated: Option<String>,
    resolved: Option<String>,
}

/// Minutes from `started`, when both moments are known.
#[derive(Debug, Serialize)]
struct Durations {
    detect_minutes: Option<i64>,
    acknowledge_minutes: Option<i64>,
    mitigate_minutes: Option<i64>,
    resolve_minutes: Option<i64>,
}

#[derive(Debug, Serialize)]
struct ItemJson<'a> {
    id: Option<&'a str>,
    title: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    status: &'static str,
    #[serde(rename = "type")]
    kind: Option<&'static str>,
    priority: Option<&'static str>,
    tracking: Option<&'a str>,
    metric: Option<&'a str>,
    completed: Option<String>,
    note: Option<&'a str>,
}

impl<'a> ItemJson<'a> {
    fn new(item: &'a ActionItem) -> Self {
        ItemJson {
            id: item.id.as_deref(),
            title: &item.title,
            owner: item.owner.as_deref(),
            due: item.due.map(iso_date),
            status: item.status.as_str(),
            kind: item.kind.map(|k| k.as_str()),
            priority: item.priority.map(|p| p.as_str()),
            tracking: item.tracking.as_deref(),
            metric: item.metric.as_deref(),
            completed: item.completed.map(iso_date),
            note: item.note.as_deref(),
        }
    }
}

impl<'a> RetroJson<'a> {
    fn new(library: &'a Library, index: usize, similar: &[Suggestion]) -> Self {
        let retro: &'a Retro = &library.retros[index];
        let t = &retro.timeline;
        let moment = |at: Option<chrono::DateTime<chrono::FixedOffset>>| at.map(|at| at.to_rfc3339());
        RetroJson {
            id: &retro.id,
            url: urls::retro(&retro.id),
            title: &retro.title,
            date: iso_date(retro.date),
            severity: &retro.severity,
            status: retro.status.as_str(),
            kind: retro.kind.as_str(),
            summary: retro.summary.as_deref(),
            services: &retro.services,
            failure_modes: &retro.failure_modes,
            contributing_factors: &retro.contributing_factors,
            trigger: retro.trigger.as_deref(),
            detection: retro.detection.map(|d| d.as_str()),
            impact: retro.impact.as_ref(),
            timeline: Timeline {
                started: moment(t.started),
                detected: moment(t.detected),
                acknowledged: moment(t.acknowledged),
                mitigated: moment(t.mitigated),
                resolved: moment(t.resolved),
            },
            teams: &retro.teams,
            authors: &retro.authors,
            incident_commander: retro.incident_commander.as_deref(),
            facilitator: retro.facilitator.as_deref(),
            review_date: retro.review_date.map(iso_date),
            related: library.related(index).iter().map(|&i| library.retros[i].id.as_str()).collect(),
            tags: &retro.tags,
            links: &retro.links,
            visibility: retro.visibility.as_str(),
            action_items: retro.action_items.iter().map(ItemJson::new).collect(),
            durations: Durations {
                detect_minutes: t.minutes_to(t.detected),
                acknowledge_minutes: t.minutes_to(t.acknowledged),
                mitigate_minutes: t.minutes_to(t.mitigated),
                resolve_minutes: t.minutes_to(t.resolved),
            },
            similar: similar.iter().map(|s| library.retros[s.index].id.as_str()).collect(),
        }
    }
}

/// Writes `retros.json`, newest retro first, compact: indentation would add nearly half
/// again to its size (36 MB instead of 25 MB at 10,000 generated retros).
pub fn write(library: &Library, similar: &SimilarIncidents, sink: &dyn Sink) -> Result<(), FeedError> {
    let document = Document {
        schema: SCHEMA,
        as_of: iso_date(library.today),
        retros: (0..library.retros.len()).map(|i| RetroJson::new(library, i, similar.of(i))).collect(),
    };
    let bytes = serde_json::to_vec(&document)
        .map_err(|e| FeedError::Encode { file: urls::RETROS_JSON, message: e.to_string() })?;
    sink.write(urls::RETROS_JSON, &bytes)?;
    Ok(())
}
