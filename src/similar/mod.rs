//! Similar incidents: for every retro, up to five others that look alike, each with the reasons.
//!
//! Text similarity is TF-IDF cosine over each retro's most distinctive words (title weighted
//! three times, summary twice, body once); structure adds shared failure modes, services,
//! contributing factors and trigger, and a little for shared tags and team. Candidates come
//! from small inverted lists (each word's strongest 64 retros, each service × failure mode
//! pair's newest 64), so the cost grows with the number of retros, not its square. Two-word
//! phrases are kept beside the words, to say why in words a reader knows ("connection pool").

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::library::Library;
use crate::markdown::Bodies;
use crate::model::Retro;

pub mod answer;
mod dots;
mod draft;
mod reasons;
mod shape;
mod statistics;
mod stems;
mod terms;
mod vocabulary;

use dots::DOTS;
use reasons::{reasons, shared_terms};
use shape::Shapes;
pub use statistics::{Statistics, TextStatistics};
use stems::Surfaces;
use terms::{Terms, analyzer};
use vocabulary::{Counts, Vector, Vocabulary, renumbered};

/// How many suggestions a retro shows.
pub const MAX_SUGGESTIONS: usize = 5;
/// Distinctive words kept per retro.
pub(crate) const KEYWORDS: usize = 24;
/// Distinctive phrases kept per retro, for reasons.
const PHRASES: usize = 16;
/// Longest inverted list consulted per word or pair.
const MAX_POSTINGS: usize = 64;
/// Below this a suggestion is noise.
const MIN_SCORE: f64 = 0.15;
/// Below this a suggestion for pasted text is noise: its cosine with the retro's words.
pub(crate) const MIN_TEXT_SCORE: f64 = 0.05;
/// Weight of text similarity in the score; the structure weights add up to the rest.
const TEXT_WEIGHT: f64 = 0.5;

/// One suggestion: which retro, how similar, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Index into `Library::retros`.
    pub index: usize,
    /// 0..1, higher is more similar.
    pub score: f64,
    /// "same failure mode: retry-storm", "shared phrases: \"connection pool\"", …
    pub reasons: Vec<String>,
}

/// Every retro's suggestions, in library order: what the similar-incidents stage hands on.
#[derive(Debug, Default)]
pub struct SimilarIncidents(Vec<Vec<Suggestion>>);

impl SimilarIncidents {
    /// The suggestions for retro `index` (library order).
    pub fn of(&self, index: usize) -> &[Suggestion] {
        &self.0[index]
    }
}

/// Suggestions for every retro of the library, in library order, and the statistics the static
/// page ranks pasted text with: one reading of the retros' words serves both.
pub fn compute(library: &Library, bodies: &Bodies) -> (SimilarIncidents, TextStatistics) {
    let texts: Vec<&str> = bodies.as_slice().iter().map(|body| &*body.text).collect();
    let (words, phrases) = tokenize(&library.retros, &texts);
    let every_word = Vocabulary::of_words(&words, 1);
    // Each retro's words are looked up and counted once, in the ids of every word; the model's
    // vocabulary (words two retros use) renumbers those counts.
    let counts: Vec<Counts> = words.par_iter().map(|doc| every_word.counts(doc)).collect();
    drop(words);
    let (n, model_ids) = (library.retros.len() as f64, every_word.ids_used_by(2));
    let model_words = every_word.used_by(2);
    let vectors = counts
        .par_iter()
        .map(|doc| model_words.weigh_counts(&renumbered(doc, &model_ids), n, 2, KEYWORDS))
        .collect();
    let model = Model::of_vectors(&library.retros, model_words, vectors, &phrases);
    let suggestions = (0..library.retros.len()).into_par_iter().map(|index| model.for_retro(index)).collect();
    (SimilarIncidents(suggestions), TextStatistics::new(every_word, &counts))
}

/// What suggestions are drawn from: the library's words and phrases with their document
/// frequencies, each retro's vectors, and the inverted lists that find candidates.
pub struct Model<'a> {
    retros: &'a [Retro],
    words: Vocabulary,
    phrases: Vocabulary,
    vectors: Vec<Vector>,
    phrase_vectors: Vec<Vector>,
    postings: Vec<Vec<(u32, f64)>>,
    pairs: HashMap<(&'a str, &'a str), Vec<u32>>,
    shapes: Shapes,
    /// Each retro's people's names, as words ([`reasons::people`]), once a reason needs them:
    /// a retro is in about ten suggestions, and each read them afresh.
    people: Vec<OnceLock<Vec<String>>>,
}

impl<'a> Model<'a> {
    /// The model of `library`, whose retros' bodies as plain text are `bodies` (library order),
    /// for comparing its retros with each other.
    pub fn new(library: &'a Library, bodies: &[&str]) -> Self {
        Self::of_retros(&library.retros, bodies)
    }

    /// [`Model::new`] for any retros, such as every valid one `check` reads.
    pub fn of_retros(retros: &'a [Retro], bodies: &[&str]) -> Self {
        // A word only one retro uses cannot make it similar to another.
        Self::with_words_used_by(retros, bodies, 2)
    }

    /// The model for comparing text from outside with the retros: a word only one retro uses
    /// is what makes that retro the answer.
    pub fn for_outside_text(library: &'a Library, bodies: &[&str]) -> Self {
        Self::with_words_used_by(&library.retros, bodies, 1)
    }

    /// A model whose vectors keep only words used by at least `min_frequency` retros.
    fn with_words_used_by(retros: &'a [Retro], bodies: &[&str], min_frequency: u32) -> Self {
        let (words, phrases) = tokenize(retros, bodies);
        let vocabulary = Vocabulary::of_words(&words, min_frequency);
        let n = retros.len() as f64;
        let vectors = words.par_iter().map(|doc| vocabulary.weigh(doc, n, min_frequency, KEYWORDS)).collect();
        Self::of_vectors(retros, vocabulary, vectors, &phrases)
    }

    /// The model of `retros` whose word vectors in `word_vocabulary` are `vectors` and whose
    /// phrases are `phrases` (their order).
    fn of_vectors(
        retros: &'a [Retro],
        word_vocabulary: Vocabulary,
        vectors: Vec<Vector>,
        phrases: &[Surfaces<'_>],
    ) -> Self {
        let n = retros.len() as f64;
        // A phrase only one retro uses is dropped even for outside text: phrases are for reasons,
        // and keeping them all doubled the time to compare a large library.
        let phrase_vocabulary = Vocabulary::of(phrases, 2);
        let phrase_vectors =
            phrases.par_iter().map(|doc| phrase_vocabulary.weigh(doc, n, 2, PHRASES)).collect();
        let postings = word_postings(&vectors, word_vocabulary.terms.len());
        Model {
            retros,
            words: word_vocabulary,
            phrases: phrase_vocabulary,
            vectors,
            phrase_vectors,
            postings,
            pairs: shape::pair_postings(retros, MAX_POSTINGS),
            shapes: Shapes::of(retros),
            people: retros.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// Up to [`MAX_SUGGESTIONS`] retros like retro `index`, best first, with the reasons.
    pub fn for_retro(&self, index: usize) -> Vec<Suggestion> {
        self.for_retro_up_to(index, MAX_SUGGESTIONS)
    }

    /// Up to `limit` retros like retro `index`, best first, with the reasons.
    pub fn for_retro_up_to(&self, index: usize, limit: usize) -> Vec<Suggestion> {
        self.for_retro_above(index, limit, MIN_SCORE)
    }

    /// [`Model::for_retro_up_to`], keeping retros that score at least `min_score`.
    fn for_retro_above(&self, index: usize, limit: usize, min_score: f64) -> Vec<Suggestion> {
        let retro = &self.retros[index];
        let same_pair = retro.services.iter().flat_map(|service| {
            retro.failure_modes.iter().flat_map(move |mode| {
                self.pairs.get(&(service.as_str(), mode.as_str())).into_iter().flatten().copied()
            })
        });
        let candidates = self.text_similarity(&self.vectors[index], same_pair);
        let shapes = &self.shapes;
        let mut scored: Vec<(usize, f64)> = candidates
            .into_iter()
            .map(|(other, text)| (other as usize, text))
            .filter(|&(other, _)| other != index)
            .map(|(other, text)| (other, text * TEXT_WEIGHT + shapes.structure(index, other)))
            .filter(|&(_, score)| score >= min_score)
            .collect();
        best_first(&mut scored, self.retros, limit);
        scored
            .into_iter()
            .map(|(other, score)| Suggestion { index: other, score, reasons: self.reasons(index, other) })
            .collect()
    }

    /// The `limit` retros whose text is most like retro `index`'s, best first, with their score:
    /// the cosine of their words plus a little for shared tags. Failure modes, services, factors,
    /// trigger and teams play no part, so the labels of these neighbours can be suggested to
    /// the retro without going round in a circle (H111).
    pub fn text_neighbours(&self, index: usize, limit: usize) -> Vec<(usize, f64)> {
        let shapes = &self.shapes;
        let mut scored: Vec<(usize, f64)> = self
            .text_similarity(&self.vectors[index], [])
            .into_iter()
            .map(|(other, text)| (other as usize, text))
            .filter(|&(other, _)| other != index)
            .map(|(other, text)| (other, text + shapes.tags(index, other)))
            .collect();
        best_first(&mut scored, self.retros, limit);
        scored
    }

    /// Up to `limit` retros whose words are like those of `text` (an alert, a chat thread, a
    /// draft), best first, with the phrases and words they share.
    pub fn for_text(&self, text: &str, limit: usize) -> Vec<Suggestion> {
        let mut terms = Terms::default();
        let (known_word, known_phrase) = (|w: &str| self.words.knows(w), |p: &str| self.phrases.knows(p));
        terms.add_known(&mut analyzer(), text, 1.0, &known_word, &known_phrase);
        let (words, phrases) = terms.split();
        let n = self.vectors.len() as f64;
        let vector = self.words.weigh_outside(&words, n, KEYWORDS);
        let phrase_vector = self.phrases.weigh(&phrases, n, 1, PHRASES);
        let mut scored: Vec<(usize, f64)> = self
            .text_similarity(&vector, [])
            .into_iter()
            .map(|(other, dot)| (other as usize, dot))
            .filter(|&(_, dot)| dot >= MIN_TEXT_SCORE)
            .collect();
        best_first(&mut scored, self.retros, limit);
        scored
            .into_iter()
            .map(|(other, score)| {
                let shared = shared_terms(
                    (&phrase_vector, &self.phrase_vectors[other], &self.phrases),
                    (&vector, &self.vectors[other], &self.words),
                    &[],
                    &[self.people(other)],
                    n,
                );
                Suggestion { index: other, score, reasons: or_similar_wording(shared) }
            })
            .collect()
    }

    /// The dot product of `vector` with every retro's word vector that shares a word with it,
    /// summed over the inverted lists (in word order, so the result is deterministic), and 0
    /// for each retro of `also` that shares none.
    fn text_similarity(&self, vector: &Vector, also: impl IntoIterator<Item = u32>) -> Vec<(u32, f64)> {
        DOTS.with_borrow_mut(|dots| {
            dots.reset(self.retros.len());
            for &(word, weight) in vector {
                for &(other, other_weight) in &self.postings[word as usize] {
                    dots.add(other, weight * other_weight);
                }
            }
            also.into_iter().for_each(|other| dots.add(other, 0.0));
            dots.touched.iter().map(|&other| (other, dots.sums[other as usize])).collect()
        })
    }

    /// Why retro `b` is suggested on retro `a`'s page.
    fn reasons(&self, a: usize, b: usize) -> Vec<String> {
        let n = self.retros.len() as f64;
        or_similar_wording(reasons(
            (&self.retros[a], &self.retros[b]),
            (&self.phrase_vectors[a], &self.phrase_vectors[b], &self.phrases),
            (&self.vectors[a], &self.vectors[b], &self.words),
            &[self.people(a), self.people(b)],
            n,
        ))
    }

    /// The words of the names of retro `index`'s people.
    fn people(&self, index: usize) -> &[String] {
        self.people[index].get_or_init(|| reasons::people(&self.retros[index]))
    }
}

/// `reasons`, or a plain one when no label, phrase or word is worth naming: the score then comes
/// from words too common or too technical to show.
fn or_similar_wording(reasons: Vec<String>) -> Vec<String> {
    if reasons.is_empty() { vec!["similar wording".to_owned()] } else { reasons }
}

/// What to find similar incidents for.
#[derive(Debug, Clone, Copy)]
pub enum Target<'t> {
    /// A retro of the library, by its index.
    Retro(usize),
    /// Text that is not a retro of the library: an alert, a chat thread, or a draft retro
    /// (front matter and body), whose labels then count as a retro's do.
    Text(&'t str),
}

/// Up to `limit` retros of `library` like `target`, best first, with the reasons.
pub fn like(library: &Library, target: Target<'_>, limit: usize) -> Vec<Suggestion> {
    let bodies = plain_bodies(&library.retros);
    let texts: Vec<&str> = bodies.iter().map(String::as_str).collect();
    like_in(library, &texts, target, limit)
}

/// [`like`] for a library whose retros' bodies as plain text (library order) are known already,
/// as the dev server knows them from its last build.
pub fn like_in(library: &Library, bodies: &[&str], target: Target<'_>, limit: usize) -> Vec<Suggestion> {
    let text = match target {
        Target::Retro(index) => return Model::new(library, bodies).for_retro_up_to(index, limit),
        Target::Text(text) => text,
    };
    let like_text = |text: &str| Model::for_outside_text(library, bodies).for_text(text, limit);
    match draft::read(text) {
        draft::Read::Retro(draft) => draft::like(library, bodies, &draft, limit),
        draft::Read::Body(body) => like_text(body),
        draft::Read::Text => like_text(text),
    }
}

/// The bodies of `retros` as plain text, in their order.
pub fn plain_bodies(retros: &[Retro]) -> Vec<String> {
    retros.par_iter().map(|retro| crate::markdown::plain_text(retro.body())).collect()
}

/// Every retro's words and phrases as written, in their order.
fn tokenize<'t>(retros: &'t [Retro], bodies: &[&'t str]) -> (Vec<Surfaces<'t>>, Vec<Surfaces<'t>>) {
    retros.par_iter().zip(bodies).map(|(retro, body)| terms_of(retro, body).split()).unzip()
}

/// A retro's terms: title three times, summary twice, body once.
fn terms_of<'t>(retro: &'t Retro, body: &'t str) -> Terms<'t> {
    let mut analyzer = analyzer();
    let mut terms = Terms::default();
    let summary = retro.summary.as_deref().unwrap_or_default();
    for (text, weight) in [(retro.title.as_str(), 3.0), (summary, 2.0), (body, 1.0)] {
        terms.add(&mut analyzer, text, weight);
    }
    terms
}

/// For each word, the retros that have it among their keywords with their weight, strongest
/// first, at most [`MAX_POSTINGS`] of them.
fn word_postings(vectors: &[Vector], words: usize) -> Vec<Vec<(u32, f64)>> {
    let mut postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); words];
    for (retro, vector) in vectors.iter().enumerate() {
        for &(word, weight) in vector {
            postings[word as usize].push((retro as u32, weight));
        }
    }
    postings
        .into_par_iter()
        .map(|mut list| {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            list
        })
        .collect()
}

/// Keeps the `limit` best of `scored` (retro, score), best first; equal scores list the newer
/// retro first, then by id, so the order never depends on a hash map's.
fn best_first(scored: &mut Vec<(usize, f64)>, retros: &[Retro], limit: usize) {
    let order = |a: &(usize, f64), b: &(usize, f64)| {
        b.1.total_cmp(&a.1)
            .then_with(|| retros[b.0].date.cmp(&retros[a.0].date))
            .then_with(|| retros[a.0].id.cmp(&retros[b.0].id))
    };
    // Only the best `limit` of a few thousand candidates are sorted; ids are unique, so the
    // order is total and the result the same as sorting them all.
    if limit < scored.len() {
        scored.select_nth_unstable_by(limit, order);
        scored.truncate(limit);
    }
    scored.sort_by(order);
}
