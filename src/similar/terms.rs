//! The terms a text is compared by: its words and its two-word phrases ("connection pool"), and
//! which of them a reader may be shown as a reason.
//!
//! Stop words, months and weekdays, numbers and one- or two-letter tokens are not terms: they
//! make unrelated retros look alike. A term seen only inside code (`pool.max_size`, `errNil`)
//! still counts in the score but is never shown, and neither is a junk token ([`is_junk`]).

use std::borrow::Cow;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream as _};

use super::stems::Surfaces;

/// A text's terms as written: weighted counts of words, and of phrases (keyed "first second").
#[derive(Debug, Default)]
pub(super) struct Terms<'t> {
    /// Word → (weighted count, seen at least once in prose rather than in code).
    pub words: Surfaces<'t>,
    /// Phrase → (weighted count, true); only phrases of prose words are kept.
    pub phrases: Surfaces<'t>,
}

impl<'t> Terms<'t> {
    /// The words and the phrases, each with its count and whether it was seen in prose.
    pub fn split(self) -> (Surfaces<'t>, Surfaces<'t>) {
        (self.words, self.phrases)
    }

    /// Adds the terms of `text`, each occurrence counting `weight`.
    pub fn add(&mut self, analyzer: &mut TextAnalyzer, text: &'t str, weight: f64) {
        self.add_known(analyzer, text, weight, &|_| true, &|_| true);
    }

    /// [`Terms::add`], keeping only the words and phrases a library knows: a long
    /// paste holds thousands of terms no retro has, and counting them cost most of the time.
    pub fn add_known(
        &mut self,
        analyzer: &mut TextAnalyzer,
        text: &'t str,
        weight: f64,
        known_word: &dyn Fn(&str) -> bool,
        known_phrase: &dyn Fn(&str) -> bool,
    ) {
        let mut stream = analyzer.token_stream(text);
        // The previous word kept: its position, where it began and ended, whether it was capitalised.
        let mut previous: Option<(usize, usize, usize, bool)> = None;
        let mut phrase = String::new();
        while stream.advance() {
            let token = stream.token();
            let word = token.text.as_str();
            if !is_term(word) || !known_word(word) {
                previous = None;
                continue;
            }
            let prose = !in_code(text, token.offset_from, token.offset_to);
            // Looked up before inserting: most words of a long text are already counted.
            if let Some(entry) = self.words.get_mut(word) {
                *entry = (entry.0 + weight, entry.1 | prose);
            } else {
                self.words
                    .insert(as_written(text, token.offset_from..token.offset_to, word), (weight, prose));
            }
            let junk = is_junk(word);
            let capital =
                text.get(token.offset_from..).and_then(|t| t.chars().next()).is_some_and(char::is_uppercase);
            if let Some((position, start, end, previous_capital)) = previous.take() {
                let gap = text.get(end..token.offset_from).unwrap_or(".");
                // "factors Config": a capital after a small letter starts a heading's paragraph
                // or a list item, which plain text joins with one space; "Black Friday" stays.
                let one_sentence = previous_capital || !capital;
                if prose && position + 1 == token.position && joins_a_phrase(gap) && one_sentence && !junk {
                    phrase.push(' ');
                    phrase.push_str(word);
                    if let Some(count) = self.phrases.get_mut(phrase.as_str()) {
                        count.0 += weight;
                    } else if known_phrase(&phrase) {
                        self.phrases
                            .insert(as_written(text, start..token.offset_to, &phrase), (weight, true));
                    }
                }
            }
            if prose && !junk {
                phrase.clear();
                phrase.push_str(word);
                previous = Some((token.position, token.offset_from, token.offset_to, capital));
            }
        }
    }
}

/// `term` (a word or phrase as the analyzer gives it), borrowed from `text` where `text` writes it
/// so at `range`, else copied.
fn as_written<'t>(text: &'t str, range: std::ops::Range<usize>, term: &str) -> Cow<'t, str> {
    match text.get(range) {
        Some(written) if written == term => Cow::Borrowed(written),
        _ => Cow::Owned(term.to_owned()),
    }
}

/// The tokenizer every text goes through: words of letters and digits, lower case, at most 30
/// bytes long (longer ones are hashes and base64, not words).
pub(super) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(30))
        .filter(LowerCaser)
        .build()
}

/// Whether a lower-case token is worth comparing: three letters or more, not a number, not a stop
/// word.
fn is_term(word: &str) -> bool {
    word.len() >= 3 && !word.chars().all(|c| c.is_ascii_digit()) && !STOP_SET.contains(word)
}

/// Two words make a phrase when only spaces or one hyphen stand between them: not a full stop,
/// a comma or a line of a table.
fn joins_a_phrase(gap: &str) -> bool {
    let trimmed = gap.trim_matches(|c: char| c == ' ' || c == '\t');
    (trimmed.is_empty() && !gap.is_empty()) || trimmed == "-" || gap == "\n"
}

/// Whether the token at `from..to` of `text` is part of code: a dotted, underscored, slashed or
/// camel-case identifier, a path, a call.
fn in_code(text: &str, from: usize, to: usize) -> bool {
    let raw = text.get(from..to).unwrap_or_default();
    let camel = raw.chars().zip(raw.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    let before = text.get(..from).unwrap_or_default().chars().rev().peekable();
    // An opening parenthesis is code after a word (`call(`), but prose before one (`(see`).
    let before_is_code = !text.get(..from).unwrap_or_default().ends_with('(') && glued(before);
    camel || before_is_code || glued(text.get(to..).unwrap_or_default().chars().peekable())
}

/// Whether the characters next to a word, nearest first, glue it into code.
fn glued(mut side: std::iter::Peekable<impl Iterator<Item = char>>) -> bool {
    match side.next() {
        Some('_' | '/' | '\\' | '=' | '$' | '@' | '#' | '<' | '>' | '{' | '}' | '~' | '`' | '(') => true,
        // `pool.size`, `ctx:deadline`, `Duration::from`: a dot or colon between word characters.
        Some('.' | ':') => side.peek().is_some_and(|c| c.is_alphanumeric() || *c == ':'),
        _ => false,
    }
}

/// Whether a word, though compared, is no reason to show a reader: it holds a digit (`5xx`,
/// `v2`, a hash), is a long run of hex letters (`deadbeef`), or is a literal or keyword of code
/// and logs (`nil`, `null`, `err`).
pub(super) fn is_junk(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        || (word.len() >= 8 && word.chars().all(|c| c.is_ascii_hexdigit()))
        || CODE_SET.contains(word)
}

// Every word of every retro is looked up in these two lists; binary searches' string comparisons
// were about 3% of a 10,000-retro build's CPU, one hash and one comparison are far less.
/// [`STOP_WORDS`] as a set.
static STOP_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| STOP_WORDS.iter().copied().collect());
/// [`CODE_WORDS`] as a set.
static CODE_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| CODE_WORDS.iter().copied().collect());

/// Literals and keywords of code and logs, and time zones, sorted.
#[rustfmt::skip]
const CODE_WORDS: &[&str] = &[
    "args", "bar", "baz", "bool", "bst", "cest", "cet", "const", "ctx", "def", "edt", "err", "est", "false",
    "fixme", "foo", "func", "gmt", "html", "http", "https", "int", "kwargs", "localhost", "nan", "nil",
    "none", "null", "pdt", "pst", "self", "str", "todo", "true", "undefined", "utc", "var", "void", "www",
];

/// English function words, months and weekdays, sorted: they say nothing about what happened.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "also", "among", "and", "any", "apr", "april",
    "are", "aug", "august", "because", "been", "before", "being", "below", "between", "both", "but", "can",
    "could", "dec", "december", "did", "does", "doing", "down", "during", "each", "feb", "february", "few",
    "for", "fri", "friday", "from", "further", "had", "has", "have", "having", "her", "here", "hers", "him",
    "his", "how", "into", "its", "itself", "jan", "january", "jul", "july", "jun", "june", "just", "mar",
    "march", "may", "mon", "monday", "more", "most", "nor", "not", "nov", "november", "now", "oct", "october",
    "off", "once", "only", "other", "our", "ours", "out", "over", "own", "same", "sat", "saturday", "sep",
    "sept", "september", "she", "should", "some", "such", "sun", "sunday", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "thu", "thursday", "too",
    "tue", "tuesday", "under", "until", "very", "was", "wed", "wednesday", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Terms<'_> {
        let mut terms = Terms::default();
        terms.add(&mut analyzer(), text, 1.0);
        terms
    }

    #[test]
    fn word_lists_are_sorted_without_repeats() {
        for list in [STOP_WORDS, CODE_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn stop_words_numbers_months_and_short_tokens_are_not_terms() {
        let found = terms("The pool was exhausted after 42 minutes in April; we saw it on Monday.");
        let mut words: Vec<&str> = found.words.keys().map(AsRef::as_ref).collect();
        words.sort_unstable();
        assert_eq!(words, ["exhausted", "minutes", "pool", "saw"]);
    }

    #[test]
    fn junk_is_digits_hex_and_code_literals() {
        for junk in ["nil", "null", "5xx", "v2", "deadbeef", "a1b2c3", "err", "utc", "https"] {
            assert!(is_junk(junk), "{junk}");
        }
        for word in ["cardwell", "processor", "decade", "breaker", "retries", "facade"] {
            assert!(!is_junk(word), "{word}");
        }
    }

    #[test]
    fn phrases_are_adjacent_prose_words_in_one_sentence() {
        let found = terms(
            "The connection pool ran dry. Pool exhaustion, again: circuit-breaker opened. Contributing factors Config pushed by Cardwell Payments",
        );
        let mut phrases: Vec<&str> = found.phrases.keys().map(AsRef::as_ref).collect();
        phrases.sort_unstable();
        assert_eq!(
            phrases,
            [
                "breaker opened",
                "cardwell payments",
                "circuit breaker",
                "config pushed",
                "connection pool",
                "contributing factors",
                "pool exhaustion",
                "pool ran",
                "ran dry"
            ],
            "never \"dry pool\" across a full stop, nor \"factors config\" across a heading"
        );
    }

    #[test]
    fn keys_borrow_from_the_text_where_it_writes_them_so() {
        let found = terms("the connection pool\nran Dry");
        let borrowed = |key: Option<(&Cow<'_, str>, _)>| key.map(|(key, _)| matches!(key, Cow::Borrowed(_)));
        assert_eq!(borrowed(found.words.get_key_value("pool")), Some(true));
        assert_eq!(borrowed(found.words.get_key_value("dry")), Some(false), "written \"Dry\"");
        assert_eq!(borrowed(found.phrases.get_key_value("connection pool")), Some(true));
        assert_eq!(
            borrowed(found.phrases.get_key_value("pool ran")),
            Some(false),
            "written across a line break"
        );
    }

    #[test]
    fn words_seen_only_in_code_are_counted_but_not_shown() {
        let found = terms("if err == nil { pool.max_size = 5 } then maxPoolSize rose; the pool held");
        assert_eq!(found.words["pool"], (2.0, true), "once in code, once in prose");
        assert!(!found.words["max"].1 && !found.words["size"].1, "{:?}", found.words);
        assert!(!found.words["maxpoolsize"].1);
        assert!(!found.phrases.contains_key("pool max"));
        assert!(found.phrases.contains_key("pool held"));
    }
}
