//! Retros per calendar month: incidents by severity, and near misses and game days apart.
//! Every month from the first retro's to the build date's is present, quiet ones included, so
//! a gap in the chart is a real gap.

use chrono::{Datelike, NaiveDate};

use super::{BySeverity, Severities};
use crate::library::Library;
use crate::model::Kind;

/// One calendar month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// 1..=12.
    pub month: u32,
    /// Incidents per severity.
    pub incidents: BySeverity,
    /// Near misses.
    pub near_misses: usize,
    /// Game days.
    pub game_days: usize,
}

impl Month {
    /// `YYYY-MM`.
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Incidents of every severity.
    pub fn incident_total(&self) -> usize {
        self.incidents.iter().sum()
    }
}

/// Every month of the library, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Monthly {
    /// The months; empty when the library is.
    pub months: Vec<Month>,
}

impl Monthly {
    /// The most incidents in one month.
    pub fn max_incidents(&self) -> usize {
        self.months.iter().map(Month::incident_total).max().unwrap_or(0)
    }

    /// The most near misses and game days in one month.
    pub fn max_other(&self) -> usize {
        self.months.iter().map(|m| m.near_misses + m.game_days).max().unwrap_or(0)
    }
}

/// Counts the retros of `library` per month, up to the build date's month (or the newest
/// retro's, should one be dated later).
pub fn build(library: &Library, severities: &Severities) -> Monthly {
    let Some(first) = library.retros.iter().map(|r| r.date).min() else {
        return Monthly::default();
    };
    let last = library.retros.iter().map(|r| r.date).max().unwrap_or(first).max(library.today);
    let start = ordinal(first);
    let mut months: Vec<Month> = (start..=ordinal(last))
        .map(|n| Month {
            year: n.div_euclid(12),
            month: n.rem_euclid(12) as u32 + 1,
            incidents: vec![0; severities.len()],
            near_misses: 0,
            game_days: 0,
        })
        .collect();
    for retro in &library.retros {
        let month = &mut months[(ordinal(retro.date) - start) as usize];
        match retro.kind {
            Kind::Incident => month.incidents[severities.index(&retro.severity)] += 1,
            Kind::NearMiss => month.near_misses += 1,
            Kind::GameDay => month.game_days += 1,
        }
    }
    Monthly { months }
}

/// Months since year 0, so that consecutive months are consecutive numbers.
fn ordinal(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

#[cfg(test)]
mod tests {
    use super::super::Severities;
    use super::super::testing::{library, retro};
    use crate::model::Kind;

    #[test]
    fn every_month_up_to_the_build_date_is_there_with_kinds_apart() {
        let mut near = retro("N", "2023-12-24", "SEV3", "api", "m");
        near.kind = Kind::NearMiss;
        let lib = library(
            vec![
                retro("A", "2023-11-05", "SEV1", "api", "m"),
                retro("B", "2023-11-20", "SEV3", "api", "m"),
                near,
            ],
            "2024-02-10",
        );
        let monthly = super::build(&lib, &Severities::new(&lib));
        let labels: Vec<String> = monthly.months.iter().map(|m| m.label()).collect();
        assert_eq!(labels, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(monthly.months[0].incidents, [1, 0, 1, 0]);
        assert_eq!((monthly.months[1].incident_total(), monthly.months[1].near_misses), (0, 1));
        assert_eq!((monthly.max_incidents(), monthly.max_other()), (2, 1));
    }
}
