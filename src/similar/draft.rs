//! A draft retro given as text (pasted, posted, or a file outside the library): compared as a
//! retro, so its failure modes, services, factors, trigger, team and tags count as well as its
//! words. "What is like the retro I am writing?" is the question a draft asks.

use super::{MIN_TEXT_SCORE, Model, Suggestion, TEXT_WEIGHT};
use crate::config::Lints;
use crate::library::Library;
use crate::model::Retro;
use crate::taxonomy::Taxonomy;

/// What a text turned out to be.
pub(super) enum Read<'t> {
    /// A retro: front matter that validates, and a body.
    Retro(Box<Retro>),
    /// Front matter that does not validate (a rough draft): only the body is compared, since
    /// the keys of the front matter are no words of the incident.
    Body(&'t str),
    /// No front matter: plain text.
    Text,
}

/// `text` as a draft retro if it is one. Labels the library's taxonomy does not know are kept
/// (they match nothing), so a draft with a new label is still compared.
pub(super) fn read(text: &str) -> Read<'_> {
    if !text.trim_start().starts_with("---") {
        return Read::Text;
    }
    let Ok(file) = crate::content::split("draft.md".into(), text.to_owned()) else {
        return Read::Text;
    };
    let checked = crate::validate::validate_file(file, &Taxonomy::permissive(), &Lints::default());
    match checked.retro {
        Some(retro) => Read::Retro(Box::new(retro)),
        None => Read::Body(body_of(text)),
    }
}

/// The body of a text that opens with front matter: what follows its closing `---` line.
fn body_of(text: &str) -> &str {
    let opened = text.trim_start().trim_start_matches("---");
    opened.split_once("\n---").map_or("", |(_, rest)| rest.split_once('\n').map_or("", |(_, body)| body))
}

/// Up to `limit` retros of `library` (whose bodies as plain text are `bodies`) like `draft`,
/// scored as the library's retros are scored with each other; a retro of the library with the
/// draft's id is the draft's older self and is left out.
pub(super) fn like(library: &Library, bodies: &[&str], draft: &Retro, limit: usize) -> Vec<Suggestion> {
    let (mut retros, mut texts): (Vec<Retro>, Vec<&str>) = library
        .retros
        .iter()
        .zip(bodies)
        .filter(|(retro, _)| retro.id != draft.id)
        .map(|(retro, body)| (retro.clone(), *body))
        .unzip();
    let draft_body = crate::markdown::plain_text(draft.body());
    retros.push(draft.clone());
    texts.push(&draft_body);
    // As for pasted text, a word only the draft and one retro use is what makes that retro
    // the answer, and a retro is kept down to the pasted text's floor.
    let model = Model::with_words_used_by(&retros, &texts, 1);
    let found = model.for_retro_above(retros.len() - 1, limit, MIN_TEXT_SCORE * TEXT_WEIGHT);
    found
        .into_iter()
        .filter_map(|suggestion| {
            let index = library.index_of(&retros[suggestion.index].id)?;
            Some(Suggestion { index, ..suggestion })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_that_validates_is_a_retro_else_its_body_counts() {
        let draft = "---\nid: D-1\ntitle: Pool ran dry\ndate: 2024-03-01\nseverity: SEV2\n\
                     services: [checkout-api]\nfailure_modes: [pool-exhaustion]\n---\nThe pool ran dry.\n";
        match read(draft) {
            Read::Retro(retro) => assert_eq!(retro.failure_modes, ["pool-exhaustion"]),
            _ => panic!("a valid draft is a retro"),
        }
        match read("---\ntitle: only a title\n---\nThe pool ran dry.\n") {
            Read::Body(body) => assert_eq!(body, "The pool ran dry.\n"),
            _ => panic!("a rough draft is its body"),
        }
        assert!(matches!(read("ECONNRESET from the pool at 09:14"), Read::Text));
    }
}
