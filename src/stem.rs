//! English word stems (Snowball, as tantivy's `en_stem`), remembered per thread: similar
//! incidents and the search index stem every word of every retro, and a library repeats a few
//! thousand words.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// Past this many cached stems a thread starts its cache afresh (a long-running dev server).
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    /// Stems already computed on this thread.
    static STEMS: RefCell<FxHashMap<String, String>> = RefCell::default();
}

/// The English stem of a lower-case word.
pub fn english(word: &str) -> String {
    let mut stem = word.to_owned();
    english_in_place(&mut stem);
    stem
}

/// Replaces a lower-case word with its English stem, in its own buffer: the search index stems
/// every word of every retro, and a new string for each was 800,000 allocations in a
/// 1,000-retro build.
pub fn english_in_place(word: &mut String) {
    STEMS.with_borrow_mut(|cache| {
        if let Some(stem) = cache.get(word.as_str()) {
            if stem != word {
                word.clone_from(stem);
            }
            return;
        }
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let stem = Stemmer::create(Algorithm::English).stem(word).into_owned();
        cache.insert(std::mem::replace(word, stem.clone()), stem);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cached_stem_is_the_stemmers() {
        let stemmer = Stemmer::create(Algorithm::English);
        for word in ["retries", "retried", "connections", "retries", "exhausted", "connections"] {
            assert_eq!(english(word), stemmer.stem(word), "{word}");
            let mut in_place = word.to_owned();
            english_in_place(&mut in_place);
            assert_eq!(in_place, stemmer.stem(word), "{word}, in place");
        }
    }
}
