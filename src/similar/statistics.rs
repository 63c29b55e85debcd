//! What the static page's similar mode ranks pasted text with: every word any retro uses and
//! each word's inverted list, the same lists as `hindsight similar -` has.

use rayon::prelude::*;

use super::vocabulary::{Counts, Vector, Vocabulary};
use super::{KEYWORDS, word_postings};

/// What `hindsight similar -` ranks pasted text with, kept for the static page: every word any
/// retro uses and each word's inverted list.
pub struct TextStatistics {
    words: Vocabulary,
    postings: Vec<Vec<(u32, f64)>>,
}

impl TextStatistics {
    /// The statistics of retros whose words are counted `counts` (library order) in
    /// `vocabulary` (every word they use): the same lists as [`super::Model::for_outside_text`] has.
    pub(super) fn new(vocabulary: Vocabulary, counts: &[Counts]) -> Self {
        let n = counts.len() as f64;
        let vectors: Vec<Vector> =
            counts.par_iter().map(|doc| vocabulary.weigh_counts(doc, n, 1, KEYWORDS)).collect();
        let postings = word_postings(&vectors, vocabulary.terms.len());
        TextStatistics { words: vocabulary, postings }
    }

    /// The statistics, for `search::terms` to write.
    pub fn statistics(&self) -> Statistics<'_> {
        Statistics {
            terms: &self.words.terms,
            frequencies: self.words.frequencies(),
            postings: &self.postings,
            written: &self.words.written,
        }
    }
}

/// A model's words for a reader elsewhere (the static search page), by term number.
pub struct Statistics<'m> {
    /// The terms (word stems), sorted.
    pub terms: &'m [String],
    /// How many retros use each term.
    pub frequencies: &'m [u32],
    /// Each term's inverted list: the retros that weigh it most, with their weight.
    pub postings: &'m [Vec<(u32, f64)>],
    /// The words as written that fold into each term.
    pub written: &'m [Vec<String>],
}
