//! The ways into the library: failure mode, service, factor, severity, team, trigger, tag,
//! year. Grouping the retros by them is the `facets` stage.

use super::Retro;
use crate::taxonomy::Dimension;

/// A way of grouping retros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// By failure mode.
    FailureMode,
    /// By service.
    Service,
    /// By contributing factor.
    Factor,
    /// By severity.
    Severity,
    /// By team.
    Team,
    /// By trigger.
    Trigger,
    /// By free tag.
    Tag,
    /// By year.
    Year,
}

impl Facet {
    /// Every facet, in navigation order.
    pub const ALL: [Facet; 8] = [
        Facet::FailureMode,
        Facet::Service,
        Facet::Factor,
        Facet::Severity,
        Facet::Team,
        Facet::Trigger,
        Facet::Tag,
        Facet::Year,
    ];

    /// The plural heading, e.g. "Failure modes".
    pub fn title(self) -> &'static str {
        match self {
            Facet::FailureMode => "Failure modes",
            Facet::Service => "Services",
            Facet::Factor => "Contributing factors",
            Facet::Severity => "Severities",
            Facet::Team => "Teams",
            Facet::Trigger => "Triggers",
            Facet::Tag => "Tags",
            Facet::Year => "Years",
        }
    }

    /// The singular label, e.g. "failure mode".
    pub fn label(self) -> &'static str {
        match self {
            Facet::FailureMode => "failure mode",
            Facet::Service => "service",
            Facet::Factor => "contributing factor",
            Facet::Severity => "severity",
            Facet::Team => "team",
            Facet::Trigger => "trigger",
            Facet::Tag => "tag",
            Facet::Year => "year",
        }
    }

    /// The taxonomy vocabulary of the facet's values, if it has one.
    pub fn dimension(self) -> Option<Dimension> {
        match self {
            Facet::FailureMode => Some(Dimension::FailureMode),
            Facet::Service => Some(Dimension::Service),
            Facet::Factor => Some(Dimension::Factor),
            Facet::Severity => Some(Dimension::Severity),
            Facet::Team => Some(Dimension::Team),
            Facet::Trigger => Some(Dimension::Trigger),
            Facet::Tag | Facet::Year => None,
        }
    }

    /// The values a retro has for this facet.
    pub fn values_of(self, retro: &Retro) -> Vec<String> {
        match self {
            Facet::FailureMode => retro.failure_modes.clone(),
            Facet::Service => retro.services.clone(),
            Facet::Factor => retro.contributing_factors.clone(),
            Facet::Severity => vec![retro.severity.clone()],
            Facet::Team => retro.teams.clone(),
            Facet::Trigger => retro.trigger.iter().cloned().collect(),
            Facet::Tag => retro.tags.clone(),
            Facet::Year => vec![retro.date.format("%Y").to_string()],
        }
    }
}
