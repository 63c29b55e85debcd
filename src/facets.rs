//! Facets: the ways into the library (failure mode, service, factor, severity, team, trigger,
//! tag, year), each value with its retros, for the index and overview pages.

use std::collections::{HashMap, HashSet};

use crate::library::Library;
use crate::model::Retro;
use crate::taxonomy::{Dimension, Term};

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

    /// The output folder of the facet's pages.
    pub fn dir(self) -> &'static str {
        match self {
            Facet::FailureMode => "failure-modes",
            Facet::Service => "services",
            Facet::Factor => "factors",
            Facet::Severity => "severities",
            Facet::Team => "teams",
            Facet::Trigger => "triggers",
            Facet::Tag => "tags",
            Facet::Year => "years",
        }
    }

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

    fn dimension(self) -> Option<Dimension> {
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

/// One value of a facet and its retros.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// The value as retros write it.
    pub name: String,
    /// The file-name-safe form used in URLs, unique within the facet.
    pub slug: String,
    /// From the taxonomy.
    pub description: Option<String>,
    /// For services: the owning team.
    pub team: Option<String>,
    /// Indices into `Library::retros`, newest first.
    pub retros: Vec<usize>,
}

/// All values of one facet.
#[derive(Debug, Clone)]
pub struct FacetIndex {
    /// Which facet.
    pub facet: Facet,
    /// Its values, in display order.
    pub values: Vec<FacetValue>,
    by_name: HashMap<String, usize>,
}

impl FacetIndex {
    /// The value called `name`, if any retro or the taxonomy has it.
    pub fn get(&self, name: &str) -> Option<&FacetValue> {
        self.by_name.get(name).map(|&i| &self.values[i])
    }

    /// The site-relative URL of a value's page.
    pub fn url_of(&self, name: &str) -> Option<String> {
        self.get(name).map(|value| format!("{}/{}.html", self.facet.dir(), value.slug))
    }
}

/// Groups the library's retros by every facet, in one pass per facet.
pub fn build(library: &Library) -> Vec<FacetIndex> {
    Facet::ALL.iter().map(|&facet| build_one(library, facet)).collect()
}

fn build_one(library: &Library, facet: Facet) -> FacetIndex {
    let terms: &[Term] = facet.dimension().map_or(&[], |d| library.taxonomy.terms(d));
    let mut values: Vec<FacetValue> = terms
        .iter()
        .map(|term| FacetValue {
            name: term.name.clone(),
            slug: String::new(),
            description: term.description.clone(),
            team: term.team.clone(),
            retros: Vec::new(),
        })
        .collect();
    let mut position: HashMap<String, usize> =
        values.iter().enumerate().map(|(i, v)| (v.name.clone(), i)).collect();
    let from_taxonomy = values.len();
    for (index, retro) in library.retros.iter().enumerate() {
        for name in facet.values_of(retro) {
            let slot = *position.entry(name.clone()).or_insert_with(|| {
                values.push(FacetValue {
                    name,
                    slug: String::new(),
                    description: None,
                    team: None,
                    retros: Vec::new(),
                });
                values.len() - 1
            });
            values[slot].retros.push(index);
        }
    }
    sort_extra_values(facet, &mut values[from_taxonomy..]);
    assign_slugs(&mut values);
    let by_name = values.iter().enumerate().map(|(i, v)| (v.name.clone(), i)).collect();
    FacetIndex { facet, values, by_name }
}

/// Values not in the taxonomy: years newest first, tags by use, anything else by name.
fn sort_extra_values(facet: Facet, extra: &mut [FacetValue]) {
    match facet {
        Facet::Year => extra.sort_by(|a, b| b.name.cmp(&a.name)),
        Facet::Tag => {
            extra.sort_by(|a, b| b.retros.len().cmp(&a.retros.len()).then_with(|| a.name.cmp(&b.name)))
        }
        _ => extra.sort_by(|a, b| a.name.cmp(&b.name)),
    }
}

/// Slugs are safe file names whatever the value holds (`../`, `/`, NUL, unicode), and unique.
fn assign_slugs(values: &mut [FacetValue]) {
    let slugs = unique_slugs(values.iter().map(|v| v.name.as_str()));
    for (value, slug) in values.iter_mut().zip(slugs) {
        value.slug = slug;
    }
}

/// The file name of every folder's own page (`tags/index.html`, the overview): never a slug.
pub const RESERVED_SLUG: &str = "index";

/// A safe, unique file name for each of `names`, in order: slugified, then numbered on a clash
/// (`a`, `a-2`, …); a name with nothing left to slugify becomes `value`. A value named "index"
/// becomes `index-2`, so its page cannot replace the folder's overview.
pub fn unique_slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut used = HashSet::from([RESERVED_SLUG.to_owned()]);
    names
        .into_iter()
        .map(|name| {
            let base = slug::slugify(name);
            let base = if base.is_empty() { "value".to_owned() } else { base };
            let mut candidate = base.clone();
            let mut n = 2;
            while !used.insert(candidate.clone()) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::unique_slugs;

    #[test]
    fn slugs_are_plain_unique_file_names_and_never_index() {
        let names = ["../../etc", "Index", "a/b", "a-b", "", "ünï"];
        assert_eq!(unique_slugs(names), ["etc", "index-2", "a-b", "a-b-2", "value", "uni"]);
    }
}
