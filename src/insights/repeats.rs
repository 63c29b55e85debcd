//! Repeat incidents: an incident or near miss that shares a service and a failure mode with an
//! earlier one at most [`WINDOW_DAYS`] before it, by their `date`, paired with the latest such
//! earlier retro. Each pair is listed once, with every service and failure mode the two share.
//!
//! Only the latest earlier retro counts, for each service and failure mode: five retros in a row
//! make four pairs, one per step, where every pair within the window made ten. The list then
//! grows with the retros; every pair grew with their square and, at 100,000 retros, made
//! 2.4 million pairs on 11,777 pages that no reader could use.

use std::collections::{BTreeSet, HashMap};

use super::heatmap::dedup;
use super::is_failure;
use crate::library::Library;

/// The most days between two retros for the second to count as a repeat (inclusive).
pub const WINDOW_DAYS: i64 = 90;

/// A retro with the same service and failure mode as the latest earlier one, close together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The older retro (index into `Library::retros`).
    pub earlier: usize,
    /// The newer retro.
    pub later: usize,
    /// Days between their dates.
    pub days: i64,
    /// The services they share, by name.
    pub services: Vec<String>,
    /// The failure modes they share, by name.
    pub modes: Vec<String>,
}

/// Every repeat of `library`, newest later retro first.
pub fn find(library: &Library) -> Vec<Repeat> {
    let retros = &library.retros;
    // Library order is newest first, so each bucket is too.
    let mut buckets: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (index, retro) in retros.iter().enumerate().filter(|(_, r)| is_failure(r)) {
        for service in dedup(&retro.services) {
            for mode in dedup(&retro.failure_modes) {
                buckets.entry((service, mode)).or_default().push(index);
            }
        }
    }
    // Each retro of a bucket is paired with the next older one, the latest before it.
    // (later, earlier) sorts by the later retro's index, which is newest first; then the earlier one's.
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for bucket in buckets.values() {
        for step in bucket.windows(2) {
            let (later, earlier) = (step[0], step[1]);
            if (retros[later].date - retros[earlier].date).num_days() <= WINDOW_DAYS {
                pairs.insert((later, earlier));
            }
        }
    }
    pairs
        .into_iter()
        .map(|(later, earlier)| {
            let (newer, older) = (&retros[later], &retros[earlier]);
            Repeat {
                earlier,
                later,
                days: (newer.date - older.date).num_days(),
                services: shared(&newer.services, &older.services),
                modes: shared(&newer.failure_modes, &older.failure_modes),
            }
        })
        .collect()
}

/// The names in both lists, sorted, each once.
fn shared(one: &[String], other: &[String]) -> Vec<String> {
    let other: BTreeSet<&str> = other.iter().map(String::as_str).collect();
    let one: BTreeSet<&str> = one.iter().map(String::as_str).collect();
    one.intersection(&other).map(|&name| name.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{library, retro};
    use crate::library::Library;
    use crate::model::Kind;

    /// Each repeat as (earlier id, later id, days, shared services).
    fn found(lib: &Library) -> Vec<(String, String, i64, Vec<String>)> {
        super::find(lib)
            .into_iter()
            .map(|r| (lib.retros[r.earlier].id.clone(), lib.retros[r.later].id.clone(), r.days, r.services))
            .collect()
    }

    #[test]
    fn each_retro_in_a_row_of_repeats_is_paired_with_the_latest_before_it() {
        let mut first_both = retro("A", "2024-01-01", "SEV2", "api", "retry");
        first_both.services.push("db".into());
        let lib = library(
            vec![
                first_both,
                retro("B", "2024-02-01", "SEV2", "api", "retry"),
                retro("C", "2024-03-01", "SEV2", "api", "retry"),
                retro("D", "2024-03-02", "SEV3", "db", "retry"),
                retro("E", "2024-04-01", "SEV2", "api", "retry"),
            ],
            "2025-01-01",
        );
        let found = found(&lib);
        // Not C after A, E after B or E after A: each step of a row once, so the list grows
        // with the retros, not with their square.
        assert_eq!(
            found,
            [
                ("C".into(), "E".into(), 31, vec!["api".into()]),
                ("A".into(), "D".into(), 61, vec!["db".into()]),
                ("B".into(), "C".into(), 29, vec!["api".into()]),
                ("A".into(), "B".into(), 31, vec!["api".into()]),
            ]
        );
    }

    #[test]
    fn pairs_within_ninety_days_sharing_a_service_and_a_mode_are_listed_once() {
        let mut both = retro("B", "2024-03-31", "SEV2", "api", "retry");
        both.services.push("db".into());
        let mut game_day = retro("G", "2024-04-01", "SEV2", "api", "retry");
        game_day.kind = Kind::GameDay;
        let lib = library(
            vec![
                retro("A", "2024-01-01", "SEV2", "api", "retry"),
                both,
                retro("C", "2024-04-01", "SEV2", "db", "retry"),
                retro("D", "2024-07-01", "SEV2", "api", "dns"),
                retro("E", "2024-01-02", "SEV2", "web", "retry"),
                game_day,
            ],
            "2025-01-01",
        );
        let found = found(&lib);
        assert_eq!(
            found,
            [
                ("B".into(), "C".into(), 1, vec!["db".into()]),
                ("A".into(), "B".into(), 90, vec!["api".into()]),
            ]
        );
    }
}
