//! The identifier tokenizer of the index: keeps `payments-api`, `5xx`, `p99`, `queue.receive`
//! and `deployment/checkout-api` whole, so they are found as typed.
//!
//! It yields exactly the tokens of tantivy's `RegexTokenizer` with [`IDENTIFIER`] (the tests
//! compare them), in a single pass over the bytes. The regex tokenizer ran over every text of
//! every retro, searching each match forwards and then backwards for its start, and cloned its
//! regex (so started with a cold cache) for every text: a tenth of the index's time.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// What an identifier is, as a regex: runs of ASCII letters and digits joined by single `-`,
/// `_`, `.`, `:` or `/`. [`IdentTokenizer`] scans for exactly this.
#[cfg_attr(not(test), allow(dead_code, reason = "the specification; the tests check against it"))]
pub const IDENTIFIER: &str = r"[A-Za-z0-9]+(?:[-_.:/][A-Za-z0-9]+)*";

/// Splits text into identifiers (see the module comment).
#[derive(Clone, Default)]
pub struct IdentTokenizer {
    token: Token,
}

impl Tokenizer for IdentTokenizer {
    type TokenStream<'a> = IdentTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentTokenStream<'a> {
        self.token.reset();
        IdentTokenStream { text, cursor: 0, token: &mut self.token }
    }
}

/// The identifiers of one text.
pub struct IdentTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl TokenStream for IdentTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = next_identifier(self.text.as_bytes(), self.cursor) else {
            return false;
        };
        self.cursor = end;
        self.token.text.clear();
        // Both ends sit next to ASCII bytes, so they are character boundaries.
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The byte range of the first identifier at or after `from`: the leftmost, longest match of
/// [`IDENTIFIER`] (a joiner counts only when a letter or digit follows it).
fn next_identifier(text: &[u8], from: usize) -> Option<(usize, usize)> {
    let is_joiner = |b: &u8| matches!(b, b'-' | b'_' | b'.' | b':' | b'/');
    let start = from + text.get(from..)?.iter().position(u8::is_ascii_alphanumeric)?;
    let mut end = start;
    loop {
        end += text[end..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let joined =
            text.get(end).is_some_and(is_joiner) && text.get(end + 1).is_some_and(u8::is_ascii_alphanumeric);
        if !joined {
            return Some((start, end));
        }
        end += 1;
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::RegexTokenizer;

    use super::*;

    fn tokens(tokenizer: &mut impl Tokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
        }
        out
    }

    #[test]
    fn identifiers_stay_whole() {
        let mut ours = IdentTokenizer::default();
        let found: Vec<String> = tokens(&mut ours, "GET /v1 on payments-api: 5xx, p99 -x a.")
            .into_iter()
            .map(|(text, ..)| text)
            .collect();
        assert_eq!(found, ["GET", "v1", "on", "payments-api", "5xx", "p99", "x", "a"]);
    }

    #[test]
    fn same_tokens_as_tantivys_regex_tokenizer() {
        let mut ours = IdentTokenizer::default();
        let mut theirs = RegexTokenizer::new(IDENTIFIER).expect("valid");
        let texts = [
            "",
            "--",
            "deployment/checkout-api queue.receive context.Context ECONNRESET",
            "a--b a-_b -a- a- .a. a/b/c:d_e.f x::y 1.2.3 v1.2-rc.1/ end.",
            "ünïcode-näme café/crème naïve_x 日本-語 a\u{301}b",
            "  tabs\tand\nnewlines\r\n-- trailing-",
        ];
        for text in texts {
            // Twice each: a tokenizer is reused across texts, and positions restart.
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text:?}");
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text:?} again");
        }
    }

    #[test]
    fn same_tokens_as_the_regex_on_every_short_string_of_tricky_characters() {
        // Every string of up to four of these: letters, digits, each joiner, other ASCII
        // punctuation, a space and a multi-byte letter.
        let alphabet = ["a", "Z", "7", "-", "_", ".", ":", "/", "+", " ", "é"];
        let mut ours = IdentTokenizer::default();
        let mut theirs = RegexTokenizer::new(IDENTIFIER).expect("valid");
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> =
                texts.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            for text in &longer {
                assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text:?}");
            }
            texts = longer;
        }
    }
}
