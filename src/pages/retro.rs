//! The retro page: summary first, metadata, durations, action items, related, body.

use serde::Serialize;

use super::{ListRow, PageError, Rows};
use crate::facets::{Facet, FacetIndex};
use crate::format::{human_minutes, thousands};
use crate::library::Library;
use crate::markdown::{RenderedBody, TocEntry};
use crate::model::{Impact, Link, Retro};
use crate::similar::Suggestion;
use crate::views::{self, ActionView, Chip, RetroRow};

/// Everything the retro template shows.
#[derive(Debug, Serialize)]
pub struct RetroPage<'a> {
    /// The list-row fields (id, title, date, severity, summary, …).
    pub retro: RetroRow<'a>,
    /// The severity's description from the taxonomy.
    pub severity_description: Option<&'a str>,
    /// Severity page link.
    pub severity_url: Option<String>,
    /// Shown as a banner.
    pub in_review: bool,
    /// Services with their pages.
    pub services: Vec<Chip<'a>>,
    /// Teams with their pages.
    pub teams: Vec<Chip<'a>>,
    /// Failure modes.
    pub failure_modes: Vec<Chip<'a>>,
    /// Contributing factors.
    pub factors: Vec<Chip<'a>>,
    /// Trigger.
    pub trigger: Vec<Chip<'a>>,
    /// Tags.
    pub tags: Vec<Chip<'a>>,
    /// Detection.
    pub detection: Option<&'static str>,
    /// Impact.
    pub impact: Option<&'a Impact>,
    /// `users_affected` with thousands separators.
    pub users_affected: Option<String>,
    /// Durations from `started`.
    pub durations: Vec<DurationView>,
    /// The raw moments.
    pub timeline: Vec<Moment>,
    /// People.
    pub authors: &'a [String],
    /// Incident commander.
    pub incident_commander: Option<&'a str>,
    /// Facilitator.
    pub facilitator: Option<&'a str>,
    /// Review date.
    pub review_date: Option<String>,
    /// Follow-ups.
    pub action_items: Vec<ActionView<'a>>,
    /// How many are open past their due date.
    pub overdue_count: usize,
    /// Related retros, both directions.
    pub related: Vec<ListRow<'a>>,
    /// Similar incidents, with why.
    pub similar: Vec<SimilarRow<'a>>,
    /// Links with a safe URL.
    pub links: Vec<LinkRow<'a>>,
    /// The body.
    pub body_html: &'a str,
    /// Its outline.
    pub toc: &'a [TocEntry],
    /// Older neighbour by date.
    pub previous: Option<RetroRow<'a>>,
    /// Newer neighbour by date.
    pub next: Option<RetroRow<'a>>,
    /// The source file, for "edit this retro".
    pub source: String,
}

/// A similar incident and the reasons it is suggested.
#[derive(Debug, Serialize)]
pub struct SimilarRow<'a> {
    /// The other retro.
    pub retro: RetroRow<'a>,
    /// "same failure mode: retry-storm · same service: checkout-api · shared phrases: \"connection pool\"".
    pub why: String,
}

/// A measured duration.
#[derive(Debug, Serialize)]
pub struct DurationView {
    /// "Time to detect".
    pub label: &'static str,
    /// "from started to detected".
    pub definition: &'static str,
    /// Minutes.
    pub minutes: i64,
    /// "1 h 23 min".
    pub human: String,
}

/// A timeline moment.
#[derive(Debug, Serialize)]
pub struct Moment {
    /// started, detected, …
    pub name: &'static str,
    /// RFC 3339 as written (normalised).
    pub at: String,
}

/// A link from front matter.
#[derive(Debug, Serialize)]
pub struct LinkRow<'a> {
    /// Text.
    pub title: &'a str,
    /// URL if its scheme is safe.
    pub url: Option<&'a str>,
}

const DURATIONS: [(&str, &str, &str); 4] = [
    ("detected", "Time to detect", "from started to detected"),
    ("acknowledged", "Time to acknowledge", "from started to acknowledged"),
    ("mitigated", "Time to mitigate", "from started to mitigated (customer impact ends)"),
    ("resolved", "Time to resolve", "from started to resolved (back to normal)"),
];

impl<'a> RetroPage<'a> {
    /// Builds the page view for retro `index`.
    pub fn new(
        library: &'a Library,
        facets: &'a [FacetIndex],
        index: usize,
        body: &'a RenderedBody,
        similar: &[Suggestion],
        rows: &Rows<'a, '_>,
    ) -> Result<Self, PageError> {
        let retro = &library.retros[index];
        let facet = |f: Facet| &facets[Facet::ALL.iter().position(|x| *x == f).unwrap_or(0)];
        let severity_term = library.taxonomy.severities.iter().find(|t| t.name == retro.severity);
        let action_items: Vec<ActionView<'a>> =
            retro.action_items.iter().map(|item| ActionView::new(item, library)).collect();
        Ok(RetroPage {
            retro: RetroRow::new(retro),
            severity_description: severity_term.and_then(|t| t.description.as_deref()),
            severity_url: facet(Facet::Severity).url_of(&retro.severity),
            in_review: retro.status == crate::model::Status::InReview,
            services: views::chips(facet(Facet::Service), &retro.services),
            teams: views::chips(facet(Facet::Team), &retro.teams),
            failure_modes: views::chips(facet(Facet::FailureMode), &retro.failure_modes),
            factors: views::chips(facet(Facet::Factor), &retro.contributing_factors),
            trigger: views::chips(facet(Facet::Trigger), retro.trigger.as_slice()),
            tags: views::chips(facet(Facet::Tag), &retro.tags),
            detection: retro.detection.map(|d| d.as_str()),
            impact: retro.impact.as_ref(),
            users_affected: retro.impact.as_ref().and_then(|i| i.users_affected).map(thousands),
            durations: durations(retro),
            timeline: retro
                .timeline
                .steps()
                .into_iter()
                .filter_map(|(name, at)| Some(Moment { name, at: at?.to_rfc3339() }))
                .collect(),
            authors: &retro.authors,
            incident_commander: retro.incident_commander.as_deref(),
            facilitator: retro.facilitator.as_deref(),
            review_date: retro.review_date.map(crate::format::iso_date),
            overdue_count: action_items.iter().filter(|a| a.overdue).count(),
            action_items,
            related: rows.of(library.related(index).iter().copied())?,
            similar: similar
                .iter()
                .map(|s| SimilarRow {
                    retro: RetroRow::new(&library.retros[s.index]),
                    why: s.reasons.join(" · "),
                })
                .collect(),
            links: retro.links.iter().map(link_row).collect(),
            body_html: &body.html,
            toc: &body.toc,
            previous: library.older(index).map(RetroRow::new),
            next: library.newer(index).map(RetroRow::new),
            source: retro.source.display().to_string(),
        })
    }
}

fn link_row(link: &Link) -> LinkRow<'_> {
    LinkRow { title: &link.title, url: views::safe_url(&link.url) }
}

fn durations(retro: &Retro) -> Vec<DurationView> {
    let t = &retro.timeline;
    let moments = [t.detected, t.acknowledged, t.mitigated, t.resolved];
    DURATIONS
        .iter()
        .zip(moments)
        .filter_map(|(&(_, label, definition), moment)| {
            let minutes = t.minutes_to(moment)?;
            Some(DurationView { label, definition, minutes, human: human_minutes(minutes) })
        })
        .collect()
}
