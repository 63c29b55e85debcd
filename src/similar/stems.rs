//! Words folded to their stems (English Snowball), so "retries", "retried" and "retrying" count
//! as one term: on real public postmortems, comparing stems rather than words raised the share
//! of similar summaries in the same category from 0.406 to 0.437 (`benches/relevance_public.py`).
//!
//! A term keeps the words it was folded from, to show a reader a word rather than a stem.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};

use super::terms::is_junk;

/// A term of one text: its weighted count, whether it may be shown, and the words (or
/// phrases) of the text folded into it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Count {
    /// Occurrences, each counting its part's weight (title 3, summary 2, body 1).
    pub weight: f64,
    /// Seen at least once in prose, as a word that is no junk.
    pub shown: bool,
    /// The words as written (lower case) that fold into this term.
    pub surfaces: Vec<String>,
}

/// Terms keyed by stem. Hashed with rustc-hash's Fx: SipHash, the standard one, took a fifth of
/// the time of comparing 10,000 retros, and these keys come from the library, not from a peer.
pub(super) type Counts = rustc_hash::FxHashMap<String, Count>;

/// Words as written → (weighted count, seen in prose): what a text's tokens add up to before
/// they are folded.
pub(super) type Surfaces = rustc_hash::FxHashMap<String, (f64, bool)>;

/// Past this many cached stems a thread starts its cache afresh (a long-running dev server).
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    /// Stems already computed on this thread: a library uses a few thousand words many times.
    static STEMS: RefCell<rustc_hash::FxHashMap<String, String>> = RefCell::default();
}

/// The stem of a lower-case word.
pub(super) fn stem(word: &str) -> String {
    STEMS.with_borrow_mut(|cache| {
        if let Some(stem) = cache.get(word) {
            return stem.clone();
        }
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let stem = Stemmer::create(Algorithm::English).stem(word).into_owned();
        cache.insert(word.to_owned(), stem.clone());
        stem
    })
}

/// The stems of a phrase's words, space-separated.
pub(super) fn stem_phrase(phrase: &str) -> String {
    phrase.split(' ').map(stem).collect::<Vec<_>>().join(" ")
}

/// `surfaces` folded into their terms: `to_term` gives each surface's term.
pub(super) fn fold(surfaces: Surfaces, to_term: impl Fn(&str) -> String) -> Counts {
    let mut counts = Counts::default();
    for (surface, (weight, prose)) in surfaces {
        let shown = prose && !surface.split(' ').any(is_junk);
        let count = counts.entry(to_term(&surface)).or_insert_with(|| Count {
            weight: 0.0,
            shown: false,
            surfaces: Vec::new(),
        });
        count.weight += weight;
        count.shown |= shown;
        count.surfaces.push(surface);
    }
    counts
}

/// The surface a reader is shown for a term: the shortest, then the first in byte order (so
/// "retry" rather than "retries", the same on every build).
pub(super) fn better_surface<'s>(current: &'s str, candidate: &'s str) -> &'s str {
    if (candidate.len(), candidate) < (current.len(), current) { candidate } else { current }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(stem("retries"), stem("retried"));
        assert_eq!(stem("retrying"), stem("retry"));
        assert_eq!(stem("expired"), stem("expiring"));
        assert_ne!(stem("pool"), stem("poll"));
        assert_eq!(stem_phrase("connection pools"), format!("{} {}", stem("connection"), stem("pool")));
    }

    #[test]
    fn folding_adds_counts_and_keeps_every_surface() {
        let surfaces = Surfaces::from_iter([
            ("retries".to_owned(), (2.0, true)),
            ("retry".to_owned(), (1.0, false)),
            ("nil".to_owned(), (1.0, true)),
        ]);
        let counts = fold(surfaces, stem);
        let retry = &counts[&stem("retry")];
        assert_eq!(retry.weight, 3.0);
        assert!(retry.shown, "seen in prose once");
        let mut written = retry.surfaces.clone();
        written.sort();
        assert_eq!(written, ["retries", "retry"]);
        assert!(!counts["nil"].shown, "junk is never shown");
        assert_eq!(better_surface("retries", "retry"), "retry");
        assert_eq!(better_surface("pool", "loop"), "loop");
    }
}
