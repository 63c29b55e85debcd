//! tantivy's `en_stem` analyzer with the cached stems of [`crate::stem`]. Building the index
//! stemmed every token of every retro afresh: at 10,000 retros the Snowball stemmer was a fifth
//! of the index's CPU, though a library repeats a few thousand words. The tokens are exactly
//! those of tantivy's `Stemmer` filter (the tests compare them).

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The analyzer tantivy registers as `en_stem`, with the cached stemmer: simple tokens of at
/// most 40 bytes, lower case, stemmed for English.
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedStemmer)
        .build()
}

/// The English stemmer filter, with the cached stems of [`crate::stem`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

/// A tokenizer whose tokens are stemmed.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text) }
    }
}

/// The tokens of `tail`, stemmed.
pub struct CachedStemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        crate::stem::english_in_place(&mut token.text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
        }
        out
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let mut ours = english();
        let mut theirs = TokenizerManager::default().get("en_stem").expect("tantivy has en_stem");
        let texts = [
            "",
            "Retries retried retrying: the RETRY storm, certificates expired, connections exhausted.",
            "ünïcode naïve café crème Größe a\u{301}b 日本語 ﬁnancial",
            "payments-api 5xx p99 ECONNRESET x509 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "Retries retried retrying: the RETRY storm, certificates expired, connections exhausted.",
        ];
        for text in texts {
            // Twice each: the second time every stem comes from the cache.
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text:?}");
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text:?} again");
        }
    }
}
