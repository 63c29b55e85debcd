//! Time to detect and time to resolve, per service, as every incident's value (for a strip
//! plot) and their n, median and p90. Incidents only; a retro with two services counts in both.
//!
//! There is deliberately no library-wide mean ("MTTR"): durations are skewed and fuzzy, and a
//! single number over a few dozen incidents hides more than it shows.

use std::collections::BTreeMap;

use super::counts_durations;
use super::heatmap::dedup;
use super::stats::Spread;
use crate::library::Library;
use crate::model::Retro;

/// A duration measured from `started`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// From started to detected.
    Detect,
    /// From started to resolved.
    Resolve,
}

impl Measure {
    /// Both, in reading order.
    pub const ALL: [Measure; 2] = [Measure::Detect, Measure::Resolve];

    /// "Time to detect".
    pub fn label(self) -> &'static str {
        match self {
            Measure::Detect => "Time to detect",
            Measure::Resolve => "Time to resolve",
        }
    }

    /// What it measures.
    pub fn definition(self) -> &'static str {
        match self {
            Measure::Detect => "from started to detected: how long the failure went unnoticed",
            Measure::Resolve => "from started to resolved: until the system was back to normal",
        }
    }

    /// Minutes from `started` for `retro`, when both moments are known.
    pub fn minutes(self, retro: &Retro) -> Option<i64> {
        let t = &retro.timeline;
        t.minutes_to(match self {
            Measure::Detect => t.detected,
            Measure::Resolve => t.resolved,
        })
    }
}

/// One measure's values for one service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    /// Minutes, ascending.
    pub minutes: Vec<i64>,
    /// Their n, median and p90.
    pub spread: Spread,
}

impl Samples {
    fn from(mut minutes: Vec<i64>) -> Self {
        minutes.sort_unstable();
        let spread = Spread::of_sorted(&minutes);
        Samples { minutes, spread }
    }
}

/// Both measures for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDurations {
    /// The service.
    pub service: String,
    /// Time to detect.
    pub detect: Samples,
    /// Time to resolve.
    pub resolve: Samples,
}

impl ServiceDurations {
    /// The samples of `measure`.
    pub fn samples(&self, measure: Measure) -> &Samples {
        match measure {
            Measure::Detect => &self.detect,
            Measure::Resolve => &self.resolve,
        }
    }
}

/// Durations of every service with at least one timed incident, by name (not ranked).
#[derive(Debug, Clone, Default)]
pub struct Durations {
    /// Per service, alphabetical.
    pub services: Vec<ServiceDurations>,
    /// Incidents with at least one of the two measures.
    pub incidents: usize,
    /// Near misses and game days left out.
    pub left_out: usize,
}

impl Durations {
    /// The longest duration of `measure` across services.
    pub fn max(&self, measure: Measure) -> Option<i64> {
        self.services.iter().filter_map(|s| s.samples(measure).minutes.last().copied()).max()
    }
}

/// Collects the durations of the incidents of `library` per service.
pub fn build(library: &Library) -> Durations {
    let mut per_service: BTreeMap<&str, [Vec<i64>; 2]> = BTreeMap::new();
    let mut incidents = 0;
    for retro in library.retros.iter().filter(|r| counts_durations(r)) {
        let values = Measure::ALL.map(|m| m.minutes(retro));
        if values.iter().all(Option::is_none) {
            continue;
        }
        incidents += 1;
        for service in dedup(&retro.services) {
            let entry = per_service.entry(service).or_default();
            for (list, value) in entry.iter_mut().zip(values) {
                list.extend(value);
            }
        }
    }
    let services = per_service
        .into_iter()
        .map(|(service, [detect, resolve])| ServiceDurations {
            service: service.to_owned(),
            detect: Samples::from(detect),
            resolve: Samples::from(resolve),
        })
        .collect();
    let left_out = library.retros.iter().filter(|r| !counts_durations(r)).count();
    Durations { services, incidents, left_out }
}

/// n and median of `measure` over the incidents among `retros` (indices into the library).
pub fn spread_of(library: &Library, retros: &[usize], measure: Measure) -> Spread {
    let values = retros
        .iter()
        .map(|&i| &library.retros[i])
        .filter(|r| counts_durations(r))
        .filter_map(|r| measure.minutes(r))
        .collect();
    Spread::of(values)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, library, retro};
    use super::Measure;
    use crate::model::Kind;

    #[test]
    fn incidents_count_per_service_and_near_misses_do_not() {
        let mut a = retro("A", "2024-01-01", "SEV2", "api", "m");
        a.services.push("db".into());
        a.timeline.started = Some(at("2024-01-01T10:00:00Z"));
        a.timeline.detected = Some(at("2024-01-01T10:05:00+00:00"));
        a.timeline.resolved = Some(at("2024-01-01T13:00:00+02:00"));
        let mut near = a.clone();
        near.id = "N".into();
        near.kind = Kind::NearMiss;
        let lib = library(vec![a, near, retro("U", "2024-01-02", "SEV2", "api", "m")], "2024-02-01");
        let durations = super::build(&lib);
        assert_eq!((durations.incidents, durations.left_out), (1, 1), "U has no timeline; N is a near miss");
        let names: Vec<&str> = durations.services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(names, ["api", "db"]);
        assert_eq!(durations.services[0].detect.minutes, [5]);
        assert_eq!(durations.services[1].resolve.minutes, [60], "offsets are honoured");
        assert_eq!(durations.max(Measure::Resolve), Some(60));
    }
}
