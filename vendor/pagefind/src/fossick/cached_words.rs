//! PATCH(hindsight): the words indexed for a word of a page, remembered.
//!
//! Every word of every page went through `get_indexable_words` and `get_dotted_tails` afresh
//! (normalising, stemming, splitting compounds with `convert_case`), though a site repeats a few
//! thousand words: together about 7% of a 10,000-page build's CPU. Both are functions of the word,
//! the stemmer's algorithm and the characters kept, so each thread keeps the results per word and
//! starts afresh when either setting changes.

use std::cell::RefCell;
use std::mem::Discriminant;
use std::rc::Rc;

use hashbrown::HashMap;
use pagefind_stem::Algorithm;

use super::stemmer::Stemmer;
use super::splitting::{get_dotted_tails, get_indexable_words, IndexableWord};

/// Past this many words a thread's cache starts afresh.
const CACHE_LIMIT: usize = 200_000;

/// What the cached words were made with.
#[derive(PartialEq)]
struct Settings {
    algorithm: Option<Discriminant<Algorithm>>,
    include_characters: Vec<char>,
}

#[derive(Default)]
struct Cache {
    settings: Option<Settings>,
    words: HashMap<String, Rc<[IndexableWord]>>,
}

thread_local! {
    static WORDS: RefCell<Cache> = RefCell::default();
}

/// `get_indexable_words` of `word` followed by its `get_dotted_tails`, from this thread's cache
/// when the word was seen before with the same stemmer and characters.
pub fn indexable_words_and_tails(
    word: &str,
    stemmer: Option<&Stemmer>,
    include_characters: &[char],
) -> Rc<[IndexableWord]> {
    WORDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let algorithm = stemmer.map(Stemmer::algorithm);
        let same_settings = cache.settings.as_ref().is_some_and(|settings| {
            settings.algorithm == algorithm && settings.include_characters == include_characters
        });
        if !same_settings {
            cache.settings = Some(Settings {
                algorithm,
                include_characters: include_characters.to_vec(),
            });
            cache.words.clear();
        }
        if let Some(found) = cache.words.get(word) {
            return Rc::clone(found);
        }
        if cache.words.len() >= CACHE_LIMIT {
            cache.words.clear();
        }
        let mut words = get_indexable_words(word, stemmer, include_characters);
        let tails = get_dotted_tails(word, stemmer, include_characters, &words);
        words.extend(tails);
        let words: Rc<[IndexableWord]> = words.into();
        cache.words.insert(word.to_owned(), Rc::clone(&words));
        words
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uncached(word: &str, stemmer: Option<&Stemmer>, include: &[char]) -> Vec<IndexableWord> {
        let mut words = get_indexable_words(word, stemmer, include);
        let tails = get_dotted_tails(word, stemmer, include, &words);
        words.extend(tails);
        words
    }

    #[test]
    fn words_are_the_splitters_own_the_second_time_too() {
        let english = Stemmer::create(Algorithm::English);
        let french = Stemmer::create(Algorithm::French);
        let words = [
            "connections,",
            "pool.max_size",
            "sysconfig.is_python_build",
            "errNil",
            "Café",
            "x509",
            "connections,",
            "pool.max_size",
            "re-try",
            "connections,",
        ];
        for word in words {
            for (stemmer, include) in [
                (Some(&english), &[][..]),
                (Some(&french), &[][..]),
                (None, &['.'][..]),
                (Some(&english), &['.'][..]),
            ] {
                assert_eq!(
                    indexable_words_and_tails(word, stemmer, include).to_vec(),
                    uncached(word, stemmer, include),
                    "{word}"
                );
            }
        }
    }
}
