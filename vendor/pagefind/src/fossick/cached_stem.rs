//! PATCH(hindsight): pagefind_stem's Snowball stemmer, remembering the words it has stemmed.
//!
//! Every word of every page was stemmed afresh, though a site repeats a few thousand words: the
//! stemmer was about 5% of a 10,000-page build's CPU. Each thread keeps its own cache per
//! algorithm, so the stems are exactly the stemmer's.

use std::borrow::Cow;
use std::cell::RefCell;
use std::mem::Discriminant;

use hashbrown::HashMap;
use pagefind_stem::Algorithm;

/// Past this many words a thread's cache for one algorithm starts afresh.
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    static STEMS: RefCell<HashMap<Discriminant<Algorithm>, HashMap<String, String>>> =
        RefCell::default();
}

/// A stemmer for one algorithm with the same `create` and `stem` as `pagefind_stem::Stemmer`.
pub struct Stemmer {
    algorithm: Discriminant<Algorithm>,
    inner: pagefind_stem::Stemmer,
}

impl Stemmer {
    /// The stemmer of `algorithm`.
    pub fn create(algorithm: Algorithm) -> Self {
        Stemmer {
            algorithm: std::mem::discriminant(&algorithm),
            inner: pagefind_stem::Stemmer::create(algorithm),
        }
    }

    /// PATCH(hindsight): which algorithm this stemmer runs, for cached_words.rs.
    pub fn algorithm(&self) -> Discriminant<Algorithm> {
        self.algorithm
    }

    /// The stem of `input`, from this thread's cache when it has been stemmed before.
    pub fn stem<'a>(&self, input: &'a str) -> Cow<'a, str> {
        STEMS.with(|stems| {
            let mut stems = stems.borrow_mut();
            let words = stems.entry(self.algorithm).or_default();
            if let Some(stem) = words.get(input) {
                return Cow::Owned(stem.clone());
            }
            if words.len() >= CACHE_LIMIT {
                words.clear();
            }
            let stem = self.inner.stem(input).into_owned();
            words.insert(input.to_owned(), stem.clone());
            Cow::Owned(stem)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_the_stemmers_own_the_second_time_too() {
        let cached = Stemmer::create(Algorithm::English);
        let plain = pagefind_stem::Stemmer::create(Algorithm::English);
        for word in ["connections", "running", "exhausted", "connections", "running"] {
            assert_eq!(cached.stem(word), plain.stem(word));
        }
        let french = Stemmer::create(Algorithm::French);
        let plain_french = pagefind_stem::Stemmer::create(Algorithm::French);
        assert_eq!(french.stem("connections"), plain_french.stem("connections"), "a cache per algorithm");
    }
}
