//! Facets: the ways into the library (failure mode, service, factor, severity, team, trigger,
//! tag, year), each value with its retros, for the index and overview pages.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::library::Library;
pub use crate::model::Facet;
use crate::taxonomy::Term;
use crate::urls::{self, RESERVED_SLUG};

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
        self.get(name).map(|value| urls::facet_value(self.facet, &value.slug))
    }
}

/// Every facet's index, in navigation order: what the facets stage hands on.
#[derive(Debug, Clone)]
pub struct Facets(Vec<FacetIndex>);

impl Facets {
    /// The index of `facet`.
    pub fn get(&self, facet: Facet) -> Option<&FacetIndex> {
        self.0.iter().find(|index| index.facet == facet)
    }
}

impl std::ops::Deref for Facets {
    type Target = [FacetIndex];

    fn deref(&self) -> &[FacetIndex] {
        &self.0
    }
}

/// Groups the library's retros by every facet, in one pass per facet.
pub fn build(library: &Library) -> Facets {
    // Each facet on its own core: the stage runs before any other can start.
    Facets(Facet::ALL.par_iter().map(|&facet| build_one(library, facet)).collect())
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
            // Looked up before inserting: most values are there already, and need no copy.
            let slot = match position.get(&name) {
                Some(&slot) => slot,
                None => {
                    position.insert(name.clone(), values.len());
                    values.push(FacetValue {
                        name,
                        slug: String::new(),
                        description: None,
                        team: None,
                        retros: Vec::new(),
                    });
                    values.len() - 1
                }
            };
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
