//! Contributing factors and triggers ranked by how many incidents and near misses name them,
//! each with the failure modes it comes with: "missing-circuit-breaker appears in 7 of the 9
//! retry-storm retros".

use std::collections::HashMap;

use super::heatmap::{HeatMap, dedup};
use super::is_failure;
use crate::library::Library;
use crate::model::Retro;

/// How many failure modes each ranked value lists.
pub const MODES_PER_VALUE: usize = 3;

/// A factor or trigger and where it appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// The factor or trigger.
    pub name: String,
    /// Incidents and near misses naming it.
    pub retros: usize,
    /// The failure modes it appears with most, with how often.
    pub with_modes: Vec<Together>,
}

/// A value appearing in `together` of the `mode_total` retros of failure mode `mode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Together {
    /// The failure mode.
    pub mode: String,
    /// Retros with both.
    pub together: usize,
    /// Retros with the failure mode.
    pub mode_total: usize,
}

/// Values ranked by use.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    /// Incidents and near misses looked at.
    pub of: usize,
    /// Most used first, ties by name.
    pub entries: Vec<Ranked>,
}

/// Ranks the values `values_of` gives each incident and near miss, with their failure modes.
pub fn rank(library: &Library, heatmap: &HeatMap, values_of: impl Fn(&Retro) -> &[String]) -> Ranking {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut pairs: HashMap<(&str, &str), usize> = HashMap::new();
    let failures = library.retros.iter().filter(|r| is_failure(r));
    for retro in failures.clone() {
        for value in dedup(values_of(retro)) {
            *counts.entry(value).or_insert(0) += 1;
            for mode in dedup(&retro.failure_modes) {
                *pairs.entry((value, mode)).or_insert(0) += 1;
            }
        }
    }
    let mode_total: HashMap<&str, usize> = heatmap.modes.iter().map(|l| (l.name.as_str(), l.total)).collect();
    let mut with: HashMap<&str, Vec<Together>> = HashMap::new();
    for ((value, mode), together) in pairs {
        let mode_total = mode_total.get(mode).copied().unwrap_or(together);
        with.entry(value).or_default().push(Together { mode: mode.to_owned(), together, mode_total });
    }
    let mut entries: Vec<Ranked> = counts
        .into_iter()
        .map(|(name, retros)| {
            let mut with_modes = with.remove(name).unwrap_or_default();
            // Most retros together first; then the larger share of the mode's retros.
            with_modes.sort_by(|a, b| {
                b.together
                    .cmp(&a.together)
                    .then_with(|| (b.together * a.mode_total).cmp(&(a.together * b.mode_total)))
                    .then_with(|| a.mode.cmp(&b.mode))
            });
            with_modes.truncate(MODES_PER_VALUE);
            Ranked { name: name.to_owned(), retros, with_modes }
        })
        .collect();
    entries.sort_by(|a, b| b.retros.cmp(&a.retros).then_with(|| a.name.cmp(&b.name)));
    Ranking { of: failures.count(), entries }
}

/// The `limit` values `values_of` gives most often among `retros` (indices into the library),
/// counting incidents and near misses only, with their counts; most first, ties by name.
pub fn top_values<'a>(
    library: &'a Library,
    retros: &[usize],
    values_of: impl Fn(&'a Retro) -> &'a [String],
    limit: usize,
) -> Vec<(&'a str, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for retro in retros.iter().map(|&i| &library.retros[i]).filter(|r| is_failure(r)) {
        for value in dedup(values_of(retro)) {
            *counts.entry(value).or_insert(0) += 1;
        }
    }
    let mut top: Vec<(&str, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    top.truncate(limit);
    top
}
