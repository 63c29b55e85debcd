//! PATCH(hindsight): pagefind_stem's Snowball stemmer, saying which algorithm it runs, which
//! cached_words.rs needs to know whether its words were indexed with the same stemmer.
//!
//! It once remembered its stems as well (`cached_stem.rs`, change 7 in PATCHES.md); since
//! cached_words.rs remembers each word's indexed forms, stems and all, that saved nothing and
//! was dropped.

use std::borrow::Cow;
use std::mem::Discriminant;

use pagefind_stem::Algorithm;

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

    /// The stem of `input`.
    pub fn stem<'a>(&self, input: &'a str) -> Cow<'a, str> {
        self.inner.stem(input)
    }
}
