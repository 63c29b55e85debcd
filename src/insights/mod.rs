//! Insights: what the library says as a whole, computed once per build from the published
//! retros and the build date. One module per analysis; rendering lives in `pages` and `svg`.
//!
//! Which retros count where (the pages say so too):
//! - failure patterns (heat map, factors and triggers, repeats, facet summaries) count incidents
//!   and near misses, both real failures; game days are left out, their failure was injected;
//! - durations count incidents only: a near miss had no impact to end, and a game day's clock
//!   is set by the exercise;
//! - incidents per month show incidents by severity, and near misses and game days apart;
//! - follow-through counts every action item of every published retro, whatever its kind.

pub mod actions;
pub mod cooccurrence;
pub mod durations;
pub mod heatmap;
pub mod monthly;
pub mod repeats;
pub mod stats;
pub mod summary;

use chrono::{Datelike, NaiveDate};

use crate::library::Library;
use crate::model::{Kind, Retro};

/// Everything the dashboards show, computed from one library.
#[derive(Debug)]
pub struct Insights<'a> {
    /// The severities, in display order.
    pub severities: Severities,
    /// Follow-through on action items.
    pub actions: actions::Actions<'a>,
    /// Failure mode × service counts.
    pub heatmap: heatmap::HeatMap,
    /// Contributing factors ranked, with the failure modes they come with.
    pub factors: cooccurrence::Ranking,
    /// Triggers ranked, with the failure modes they come with.
    pub triggers: cooccurrence::Ranking,
    /// Incidents per month by severity; near misses and game days apart.
    pub monthly: monthly::Monthly,
    /// Time to detect and to resolve, per service.
    pub durations: durations::Durations,
    /// Retros that repeat a service and failure mode within the window.
    pub repeats: Vec<repeats::Repeat>,
}

/// Runs every analysis over `library`.
pub fn compute(library: &Library) -> Insights<'_> {
    let severities = Severities::new(library);
    let heatmap = heatmap::build(library, &severities);
    let factors = cooccurrence::rank(library, &heatmap, |r| &r.contributing_factors);
    let triggers = cooccurrence::rank(library, &heatmap, |r| r.trigger.as_slice());
    Insights {
        actions: actions::build(library, &severities),
        monthly: monthly::build(library, &severities),
        durations: durations::build(library),
        repeats: repeats::find(library),
        heatmap,
        factors,
        triggers,
        severities,
    }
}

/// Whether a retro counts in failure patterns: incidents and near misses, not game days.
pub fn is_failure(retro: &Retro) -> bool {
    retro.kind != Kind::GameDay
}

/// Whether a retro's durations count: incidents only.
pub fn counts_durations(retro: &Retro) -> bool {
    retro.kind == Kind::Incident
}

/// The severities of a library in display order: the taxonomy's, most severe first, then any
/// others a retro uses (possible without a taxonomy file), by name.
#[derive(Debug, Clone)]
pub struct Severities {
    names: Vec<String>,
}

impl Severities {
    /// The severities of `library`.
    pub fn new(library: &Library) -> Self {
        let mut names: Vec<String> = library.taxonomy.severities.iter().map(|t| t.name.clone()).collect();
        let mut extra: Vec<&String> =
            library.retros.iter().map(|r| &r.severity).filter(|s| !names.contains(s)).collect();
        extra.sort_unstable();
        extra.dedup();
        names.extend(extra.into_iter().cloned());
        Severities { names }
    }

    /// The names, in display order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The position of `name` (every retro's severity has one).
    pub fn index(&self, name: &str) -> usize {
        self.names.iter().position(|n| n == name).unwrap_or(self.names.len().saturating_sub(1))
    }
}

/// A count per severity, in [`Severities`] order.
pub type BySeverity = Vec<usize>;

/// How many of `retros` have each severity.
pub fn count_by_severity<'r>(
    severities: &Severities,
    retros: impl IntoIterator<Item = &'r Retro>,
) -> BySeverity {
    let mut counts = vec![0; severities.len()];
    for retro in retros {
        counts[severities.index(&retro.severity)] += 1;
    }
    counts
}

/// Retros that happened on `today`'s month and day in earlier years, newest first. On 28
/// February of a common year, 29 February counts too, so leap-day incidents are not forgotten.
pub fn on_this_day(library: &Library, today: NaiveDate) -> Vec<usize> {
    let leap_day_too = today.month() == 2 && today.day() == 28 && !today.leap_year();
    (0..library.retros.len())
        .filter(|&i| {
            let date = library.retros[i].date;
            let same_day = date.month() == today.month() && date.day() == today.day();
            let leap = leap_day_too && date.month() == 2 && date.day() == 29;
            date.year() < today.year() && (same_day || leap)
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{library, retro};

    #[test]
    fn on_this_day_takes_earlier_years_and_leap_days_on_28_february() {
        let lib = library(
            vec![
                retro("A", "2023-03-01", "SEV2", "api", "m"),
                retro("B", "2024-02-29", "SEV2", "api", "m"),
                retro("C", "2024-02-28", "SEV2", "api", "m"),
                retro("D", "2025-02-28", "SEV2", "api", "m"),
            ],
            "2025-02-28",
        );
        let ids: Vec<&str> =
            super::on_this_day(&lib, lib.today).iter().map(|&i| lib.retros[i].id.as_str()).collect();
        assert_eq!(ids, ["B", "C"], "this year's own retro is not an anniversary");
    }
}
