//! A library's terms, numbered, with how many retros use each, and the TF-IDF vectors drawn from
//! them.

use std::collections::HashMap;

use super::stems::{Counts, better_surface};

/// A retro's most distinctive terms, as (term id, weight) sorted by term id, with unit length.
pub(super) type Vector = Vec<(u32, f64)>;

/// The terms (stems) of a library, numbered in sorted order (for determinism), with how many
/// retros use each, whether it may be shown to a reader, and as which word.
pub(super) struct Vocabulary {
    pub terms: Vec<String>,
    ids: HashMap<String, u32>,
    frequency: Vec<u32>,
    /// Whether the term was seen in prose somewhere and is no junk: only such terms are reasons.
    pub shown: Vec<bool>,
    /// The word (or phrase) a reader is shown for each term: its shortest written form.
    pub display: Vec<String>,
    /// Every written form of each term, sorted; empty unless asked for ([`Vocabulary::of`]).
    pub written: Vec<Vec<String>>,
}

/// What [`Vocabulary::of`] gathers about one term.
struct Seen<'d> {
    frequency: u32,
    shown: bool,
    display: &'d str,
    written: Vec<&'d str>,
}

impl Vocabulary {
    /// The vocabulary of `docs` (per retro, each term with its count, whether it may be shown
    /// and its written forms): the terms at least `min_frequency` of them use, with every
    /// written form when `keep_written`. Leaving out the rest early matters: most phrases of a
    /// library are used once, and sorting them took most of the time.
    pub fn of(docs: &[Counts], min_frequency: u32, keep_written: bool) -> Self {
        let mut seen: rustc_hash::FxHashMap<&str, Seen<'_>> = Default::default();
        for doc in docs {
            for (term, count) in doc {
                let first = count.surfaces.first().map_or(term.as_str(), String::as_str);
                let entry = seen.entry(term).or_insert(Seen {
                    frequency: 0,
                    shown: false,
                    display: first,
                    written: Vec::new(),
                });
                entry.frequency += 1;
                entry.shown |= count.shown;
                for surface in &count.surfaces {
                    entry.display = better_surface(entry.display, surface);
                    if keep_written {
                        entry.written.push(surface);
                    }
                }
            }
        }
        let mut terms: Vec<&str> =
            seen.iter().filter(|(_, s)| s.frequency >= min_frequency).map(|(term, _)| *term).collect();
        terms.sort_unstable();
        let ids = terms.iter().enumerate().map(|(i, t)| ((*t).to_owned(), i as u32)).collect();
        let frequency = terms.iter().map(|t| seen[t].frequency).collect();
        let shown = terms.iter().map(|t| seen[t].shown).collect();
        let display = terms.iter().map(|t| seen[t].display.to_owned()).collect();
        let written = terms
            .iter()
            .map(|t| {
                let mut forms: Vec<String> = seen[t].written.iter().map(|w| (*w).to_owned()).collect();
                forms.sort_unstable();
                forms.dedup();
                forms
            })
            .collect();
        Vocabulary {
            terms: terms.into_iter().map(str::to_owned).collect(),
            ids,
            frequency,
            shown,
            display,
            written,
        }
    }

    /// Whether some retro uses `term`.
    pub fn knows(&self, term: &str) -> bool {
        self.ids.contains_key(term)
    }

    /// How many retros use each term, by term id.
    pub fn frequencies(&self) -> &[u32] {
        &self.frequency
    }

    /// How many retros use term `id`.
    pub fn frequency(&self, id: u32) -> u32 {
        self.frequency[id as usize]
    }

    /// A document's best `keep` terms by TF-IDF over a library of `n` retros, as a unit vector
    /// sorted by term id; terms used by fewer than `min_frequency` retros are left out.
    pub fn weigh(&self, doc: &Counts, n: f64, min_frequency: u32, keep: usize) -> Vector {
        let mut weighted: Vec<(u32, f64)> = doc
            .iter()
            .filter_map(|(term, count)| {
                let id = *self.ids.get(term.as_str())?;
                let df = self.frequency[id as usize];
                // Smoothed: a term most retros use still counts a little, as in scikit-learn.
                let idf = ((n + 1.0) / (f64::from(df) + 1.0)).ln() + 1.0;
                (df >= min_frequency).then(|| (id, (1.0 + count.weight.ln()) * idf))
            })
            .collect();
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(keep);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        weighted.iter_mut().for_each(|(_, w)| *w /= norm.max(f64::EPSILON));
        weighted.sort_by_key(|(id, _)| *id);
        weighted
    }
}

/// The terms two vectors (sorted by term id) share, with the product of their weights.
pub(super) fn common(a: &Vector, b: &Vector) -> Vec<(u32, f64)> {
    let (mut i, mut j, mut common) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common.push((a[i].0, a[i].1 * b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    common
}
