//! The answer to "which retros are like this?" as `hindsight similar --json` prints it and the
//! dev server's `/api/similar` sends it: one shape and one function for both, so they agree.

use serde::Serialize;

use super::{MAX_SUGGESTIONS, SimilarIncidents, Suggestion, Target, like, like_in};
use crate::library::Library;
use crate::markdown::Bodies;
use crate::urls;
use crate::views::RetroHeadline;

/// Pasted text past this many bytes is cut: the words of a 1 MiB paste decide as well as more.
pub const MAX_PASTE: usize = 1 << 20;

/// The answer: the envelope of `search --json`.
#[derive(Debug, Serialize)]
pub struct Answer {
    /// Changes when a field's meaning changes.
    pub schema: u32,
    /// What was asked: a retro id, a file, or `-` for pasted text.
    pub query: String,
    /// The similar retros, best first.
    pub results: Vec<Hit>,
}

/// One similar retro.
#[derive(Debug, Serialize)]
pub struct Hit {
    /// Which retro.
    #[serde(flatten)]
    pub retro: RetroHeadline,
    /// How similar, rounded to three decimals.
    pub score: f64,
    /// Why it is similar.
    pub reasons: Vec<String>,
    /// Its page, relative to the site root.
    pub path: String,
}

/// Up to `limit` (at least 1) retros of `library` like `target`, as the answer to `query`.
pub fn answer(library: &Library, target: Target<'_>, query: &str, limit: usize) -> Answer {
    envelope(library, like(library, target, limit.max(1)), query)
}

/// [`answer`] from what a build of `library` produced: its retros' similar incidents (enough for
/// a retro and up to [`MAX_SUGGESTIONS`] results, without computing anything) and their
/// bodies as plain text, so only the model is built again.
pub fn answer_built(
    library: &Library,
    (similar, bodies): (&SimilarIncidents, &Bodies),
    target: Target<'_>,
    query: &str,
    limit: usize,
) -> Answer {
    let limit = limit.max(1);
    if let Target::Retro(index) = target
        && limit <= MAX_SUGGESTIONS
    {
        let known = similar.of(index).iter().take(limit).cloned().collect();
        return envelope(library, known, query);
    }
    let texts: Vec<&str> = bodies.as_slice().iter().map(|body| &*body.text).collect();
    envelope(library, like_in(library, &texts, target, limit), query)
}

/// The answer to `query` that lists `suggestions`.
fn envelope(library: &Library, suggestions: Vec<Suggestion>, query: &str) -> Answer {
    let results = suggestions
        .into_iter()
        .map(|suggestion| {
            let retro = &library.retros[suggestion.index];
            Hit {
                retro: RetroHeadline::of(retro),
                score: (suggestion.score * 1000.0).round() / 1000.0,
                reasons: suggestion.reasons,
                path: urls::retro(&retro.id),
            }
        })
        .collect();
    Answer { schema: 1, query: query.to_owned(), results }
}

/// Why pasted bytes are not text to compare.
#[derive(Debug, thiserror::Error)]
pub enum PasteError {
    /// NUL bytes: a binary file.
    #[error("{0} is not text (it holds NUL bytes): give the text of an alert, a chat thread or a draft")]
    Binary(String),
    /// Not UTF-8.
    #[error("{0} is not UTF-8 text: re-save it as UTF-8")]
    NotUtf8(String),
    /// Nothing but white space.
    #[error("{0} is empty: paste the text of an alert, a chat thread or a draft")]
    Empty(String),
}

/// `bytes` (already cut at [`MAX_PASTE`]) as text, named `what` in errors: empty or blank text
/// and binary are refused.
pub fn pasted_text(bytes: Vec<u8>, what: &str) -> Result<String, PasteError> {
    let text = text_of(bytes, what)?;
    if text.trim().is_empty() {
        return Err(PasteError::Empty(what.to_owned()));
    }
    Ok(text)
}

/// `bytes` as UTF-8 text (a cut in the middle of a character is dropped); binary is refused.
pub fn text_of(bytes: Vec<u8>, what: &str) -> Result<String, PasteError> {
    if bytes.contains(&0) {
        return Err(PasteError::Binary(what.to_owned()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) if error.utf8_error().error_len().is_none() => {
            let valid = error.utf8_error().valid_up_to();
            let mut bytes = error.into_bytes();
            bytes.truncate(valid);
            Ok(String::from_utf8(bytes).unwrap_or_default())
        }
        Err(_) => Err(PasteError::NotUtf8(what.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_text_refuses_blank_and_binary_and_drops_a_cut_character() {
        assert!(matches!(pasted_text(b" \n\t".to_vec(), "x"), Err(PasteError::Empty(_))));
        assert!(matches!(pasted_text(b"a\0b".to_vec(), "x"), Err(PasteError::Binary(_))));
        assert!(matches!(pasted_text(vec![b'a', 0xff, b'b'], "x"), Err(PasteError::NotUtf8(_))));
        let cut = "pool é".as_bytes()[..6].to_vec();
        assert_eq!(pasted_text(cut, "x").ok().as_deref(), Some("pool "));
    }
}
