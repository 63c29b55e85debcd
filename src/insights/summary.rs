//! The short summary at the top of a service or failure-mode page: counts by kind and
//! severity, first and last date, median durations with n, and the factors seen most often.

use chrono::NaiveDate;

use super::durations::{self, Measure};
use super::stats::Spread;
use super::{Severities, count_by_severity, is_failure};
use crate::library::Library;
use crate::model::Kind;

/// How many contributing factors a summary names.
pub const TOP_FACTORS: usize = 3;

/// What a set of retros (one facet value's) adds up to.
#[derive(Debug, Clone, Default)]
pub struct Summary<'a> {
    /// Incidents.
    pub incidents: usize,
    /// Near misses.
    pub near_misses: usize,
    /// Game days.
    pub game_days: usize,
    /// Incidents and near misses per severity, in severity order, zeros left out.
    pub by_severity: Vec<(&'a str, usize)>,
    /// The oldest retro's date.
    pub first: Option<NaiveDate>,
    /// The newest retro's date.
    pub last: Option<NaiveDate>,
    /// Time to detect over the incidents.
    pub detect: Spread,
    /// Time to resolve over the incidents.
    pub resolve: Spread,
    /// The contributing factors most incidents and near misses name, with how many.
    pub factors: Vec<(&'a str, usize)>,
}

impl Summary<'_> {
    /// Incidents and near misses: what `by_severity` and `factors` count.
    pub fn failures(&self) -> usize {
        self.incidents + self.near_misses
    }
}

/// Summarises `retros` (indices into `library`).
pub fn summarise<'a>(library: &'a Library, severities: &'a Severities, retros: &[usize]) -> Summary<'a> {
    let all = || retros.iter().map(|&i| &library.retros[i]);
    let count = |kind| all().filter(|r| r.kind == kind).count();
    let by_severity = count_by_severity(severities, all().filter(|r| is_failure(r)));
    Summary {
        incidents: count(Kind::Incident),
        near_misses: count(Kind::NearMiss),
        game_days: count(Kind::GameDay),
        by_severity: severities
            .names()
            .iter()
            .zip(by_severity)
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| (name.as_str(), n))
            .collect(),
        first: all().map(|r| r.date).min(),
        last: all().map(|r| r.date).max(),
        detect: durations::spread_of(library, retros, Measure::Detect),
        resolve: durations::spread_of(library, retros, Measure::Resolve),
        factors: super::cooccurrence::top_values(library, retros, |r| &r.contributing_factors, TOP_FACTORS),
    }
}
