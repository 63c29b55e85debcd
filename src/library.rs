//! The library as published: the retros this build shows, newest first, and how they link.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::model::{Retro, Status};
use crate::taxonomy::Taxonomy;

/// What to leave out of a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    /// Include `status: draft` retros.
    pub drafts: bool,
    /// Include `visibility: restricted` retros.
    pub include_restricted: bool,
}

impl Selection {
    /// Whether a retro is part of the published library.
    pub fn includes(&self, retro: &Retro) -> bool {
        (self.drafts || retro.status != Status::Draft) && (self.include_restricted || !retro.is_restricted())
    }
}

/// The published retros and everything derived from their links.
#[derive(Debug)]
pub struct Library {
    /// Site settings.
    pub config: Config,
    /// The vocabulary.
    pub taxonomy: Taxonomy,
    /// Published retros, newest first (ties broken by id).
    pub retros: Vec<Retro>,
    /// The build date: "overdue" and "as of" are relative to it.
    pub today: NaiveDate,
    by_id: HashMap<String, usize>,
    related: Vec<Vec<usize>>,
}

impl Library {
    /// Selects, orders and cross-links the retros.
    pub fn new(
        config: Config,
        taxonomy: Taxonomy,
        retros: Vec<Retro>,
        selection: Selection,
        today: NaiveDate,
    ) -> Self {
        let mut retros: Vec<Retro> = retros.into_iter().filter(|r| selection.includes(r)).collect();
        retros.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        let by_id: HashMap<String, usize> =
            retros.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let related = both_directions(&retros, &by_id);
        Library { config, taxonomy, retros, today, by_id, related }
    }

    /// The index of a published retro.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Retros related to retro `index`, in either direction, newest first.
    pub fn related(&self, index: usize) -> &[usize] {
        &self.related[index]
    }

    /// The next older retro, if any.
    pub fn older(&self, index: usize) -> Option<&Retro> {
        self.retros.get(index + 1)
    }

    /// The next newer retro, if any.
    pub fn newer(&self, index: usize) -> Option<&Retro> {
        index.checked_sub(1).and_then(|i| self.retros.get(i))
    }
}

/// A `related` entry links both retros; links to unpublished retros are dropped.
fn both_directions(retros: &[Retro], by_id: &HashMap<String, usize>) -> Vec<Vec<usize>> {
    let mut related = vec![Vec::new(); retros.len()];
    for (from, retro) in retros.iter().enumerate() {
        for to in retro.related.iter().filter_map(|id| by_id.get(id).copied()) {
            if to != from {
                related[from].push(to);
                related[to].push(from);
            }
        }
    }
    for list in &mut related {
        list.sort_unstable();
        list.dedup();
    }
    related
}
