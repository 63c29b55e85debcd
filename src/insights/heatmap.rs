//! Failure mode × service: how many incidents and near misses each pair has, and of which
//! severities. A retro with two services and two failure modes counts in four cells.

use std::collections::HashMap;

use super::{BySeverity, Severities, is_failure};
use crate::library::Library;

/// One row or column: a failure mode or a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its name.
    pub name: String,
    /// Retros with it (each counted once, however many cells it is in).
    pub total: usize,
}

/// One failure mode × service pair.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Indices into `Library::retros`, newest first.
    pub retros: Vec<usize>,
    /// How many of them have each severity.
    pub by_severity: BySeverity,
}

/// The counts, rows by failure mode and columns by service, busiest first.
#[derive(Debug, Clone, Default)]
pub struct HeatMap {
    /// Failure modes with at least one retro, most retros first (ties by name).
    pub modes: Vec<Line>,
    /// Services with at least one retro, most retros first (ties by name).
    pub services: Vec<Line>,
    /// Row-major: `cells[mode * services.len() + service]`.
    cells: Vec<Cell>,
    /// The largest cell count.
    pub max: usize,
    /// Retros counted.
    pub retros: usize,
}

impl HeatMap {
    /// The cell of mode `row` and service `column`.
    pub fn cell(&self, row: usize, column: usize) -> &Cell {
        &self.cells[row * self.services.len() + column]
    }
}

/// Counts the incidents and near misses of `library` per failure mode and service.
pub fn build(library: &Library, severities: &Severities) -> HeatMap {
    let failures: Vec<usize> =
        (0..library.retros.len()).filter(|&i| is_failure(&library.retros[i])).collect();
    let modes = lines(failures.iter().map(|&i| &library.retros[i].failure_modes));
    let services = lines(failures.iter().map(|&i| &library.retros[i].services));
    let mode_at: HashMap<&str, usize> = modes.iter().enumerate().map(|(i, l)| (l.name.as_str(), i)).collect();
    let service_at: HashMap<&str, usize> =
        services.iter().enumerate().map(|(i, l)| (l.name.as_str(), i)).collect();
    let mut cells = vec![
        Cell { retros: Vec::new(), by_severity: vec![0; severities.len()] };
        modes.len() * services.len()
    ];
    for &index in &failures {
        let retro = &library.retros[index];
        let severity = severities.index(&retro.severity);
        for mode in dedup(&retro.failure_modes) {
            for service in dedup(&retro.services) {
                let cell = &mut cells[mode_at[mode] * services.len() + service_at[service]];
                cell.retros.push(index);
                cell.by_severity[severity] += 1;
            }
        }
    }
    let max = cells.iter().map(|c| c.retros.len()).max().unwrap_or(0);
    HeatMap { modes, services, cells, max, retros: failures.len() }
}

/// Every name in `lists` with how many lists have it, most first, ties by name.
fn lines<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<Line> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for list in lists {
        for name in dedup(list) {
            *counts.entry(name).or_insert(0) += 1;
        }
    }
    let mut lines: Vec<Line> =
        counts.into_iter().map(|(name, total)| Line { name: name.to_owned(), total }).collect();
    lines.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    lines
}

/// The distinct names of a list, in order: a retro listing a value twice counts it once.
pub fn dedup(list: &[String]) -> impl Iterator<Item = &str> {
    list.iter().enumerate().filter(move |(i, name)| !list[..*i].contains(name)).map(|(_, name)| name.as_str())
}
