//! Repeat incidents: two incidents or near misses that share a service and a failure mode and
//! happened within [`WINDOW_DAYS`] of each other, by their `date`. Each pair is listed once,
//! with every service and failure mode the two share within the window.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::heatmap::dedup;
use super::is_failure;
use crate::library::Library;

/// The most days between two retros for the second to count as a repeat (inclusive).
pub const WINDOW_DAYS: i64 = 90;

/// A pair of retros with the same service and failure mode close together.
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

/// The services and failure modes a pair shares, each set by name.
type Shared<'a> = (BTreeSet<&'a str>, BTreeSet<&'a str>);

/// Every repeat pair of `library`, newest later retro first.
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
    let mut pairs: BTreeMap<(usize, usize), Shared<'_>> = BTreeMap::new();
    for ((service, mode), bucket) in &buckets {
        for (position, &later) in bucket.iter().enumerate() {
            let later_date = retros[later].date;
            for &earlier in &bucket[position + 1..] {
                if (later_date - retros[earlier].date).num_days() > WINDOW_DAYS {
                    break;
                }
                let shared = pairs.entry((later, earlier)).or_default();
                shared.0.insert(service);
                shared.1.insert(mode);
            }
        }
    }
    // Keys sort by the later retro's index, which is newest first; then the earlier one's.
    pairs
        .into_iter()
        .map(|((later, earlier), (services, modes))| Repeat {
            earlier,
            later,
            days: (retros[later].date - retros[earlier].date).num_days(),
            services: services.into_iter().map(str::to_owned).collect(),
            modes: modes.into_iter().map(str::to_owned).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{library, retro};
    use crate::model::Kind;

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
        let found: Vec<(String, String, i64, Vec<String>)> = super::find(&lib)
            .into_iter()
            .map(|r| (lib.retros[r.earlier].id.clone(), lib.retros[r.later].id.clone(), r.days, r.services))
            .collect();
        assert_eq!(
            found,
            [
                ("B".into(), "C".into(), 1, vec!["db".into()]),
                ("A".into(), "B".into(), 90, vec!["api".into()]),
            ]
        );
    }
}
