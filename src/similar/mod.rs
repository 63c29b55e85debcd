//! Similar incidents: for every retro, up to five others that look alike, each with the reasons.
//!
//! Text similarity is TF-IDF cosine over each retro's most distinctive words (title weighted
//! three times, summary twice, body once); structure adds shared failure modes, services,
//! contributing factors and trigger. Candidates come from small inverted lists (each word's
//! strongest 64 retros, each service × failure mode pair's newest 64), so the cost grows with
//! the number of retros, not its square.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer,
};

use crate::library::Library;
use crate::markdown::Bodies;
use crate::model::Retro;

pub mod answer;
mod reasons;

use reasons::{reasons, shared_words};

/// How many suggestions a retro shows.
pub const MAX_SUGGESTIONS: usize = 5;
/// Distinctive words kept per retro.
const KEYWORDS: usize = 24;
/// Longest inverted list consulted per word or pair.
const MAX_POSTINGS: usize = 64;
/// Below this a suggestion is noise.
const MIN_SCORE: f64 = 0.15;

/// One suggestion: which retro, how similar, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Index into `Library::retros`.
    pub index: usize,
    /// 0..1, higher is more similar.
    pub score: f64,
    /// "same failure mode: retry-storm", "shares: connection, pool", …
    pub reasons: Vec<String>,
}

/// A retro's distinctive words, as (word id, weight) sorted by word id, with unit length.
type Vector = Vec<(u32, f64)>;

/// Every retro's suggestions, in library order: what the similar-incidents stage hands on.
#[derive(Debug, Default)]
pub struct SimilarIncidents(Vec<Vec<Suggestion>>);

impl SimilarIncidents {
    /// The suggestions for retro `index` (library order).
    pub fn of(&self, index: usize) -> &[Suggestion] {
        &self.0[index]
    }
}

/// Suggestions for every retro of the library, in library order.
pub fn compute(library: &Library, bodies: &Bodies) -> SimilarIncidents {
    let texts: Vec<&str> = bodies.as_slice().iter().map(|body| body.text.as_str()).collect();
    let model = Model::new(library, &texts);
    SimilarIncidents((0..library.retros.len()).into_par_iter().map(|index| model.for_retro(index)).collect())
}

/// What suggestions are drawn from: the library's words with their document frequencies, each
/// retro's vector, and the inverted lists that find candidates.
pub struct Model<'a> {
    library: &'a Library,
    vocabulary: Vocabulary,
    vectors: Vec<Vector>,
    postings: Vec<Vec<(u32, f64)>>,
    pairs: HashMap<(&'a str, &'a str), Vec<u32>>,
    shapes: Vec<Shape>,
}

impl<'a> Model<'a> {
    /// The model of `library`, whose retros' bodies as plain text are `bodies` (library order),
    /// for comparing its retros with each other.
    pub fn new(library: &'a Library, bodies: &[&str]) -> Self {
        // A word only one retro uses cannot make it similar to another.
        Self::with_words_used_by(library, bodies, 2)
    }

    /// The model for comparing text from outside with the retros: a word only one retro uses
    /// is what makes that retro the answer.
    pub fn for_outside_text(library: &'a Library, bodies: &[&str]) -> Self {
        Self::with_words_used_by(library, bodies, 1)
    }

    /// A model whose vectors keep only words used by at least `min_frequency` retros.
    fn with_words_used_by(library: &'a Library, bodies: &[&str], min_frequency: u32) -> Self {
        let counts: Vec<HashMap<String, f64>> =
            library.retros.par_iter().zip(bodies).map(|(retro, body)| word_counts(retro, body)).collect();
        let vocabulary = Vocabulary::of(&counts);
        let n = counts.len() as f64;
        let vectors: Vec<Vector> =
            counts.par_iter().map(|doc| vocabulary.weigh(doc, n, min_frequency)).collect();
        let postings = word_postings(&vectors, vocabulary.words.len());
        Model {
            library,
            vocabulary,
            vectors,
            postings,
            pairs: pair_postings(&library.retros),
            shapes: shapes(&library.retros),
        }
    }

    /// Up to [`MAX_SUGGESTIONS`] retros like retro `index`, best first, with the reasons.
    pub fn for_retro(&self, index: usize) -> Vec<Suggestion> {
        self.for_retro_up_to(index, MAX_SUGGESTIONS)
    }

    /// Up to `limit` retros like retro `index`, best first, with the reasons.
    pub fn for_retro_up_to(&self, index: usize, limit: usize) -> Vec<Suggestion> {
        let context = Context {
            library: self.library,
            vectors: &self.vectors,
            postings: &self.postings,
            pairs: &self.pairs,
            shapes: &self.shapes,
        };
        suggestions_for(index, &context, &self.vocabulary.words, limit)
    }

    /// Up to `limit` retros whose words are like those of `text` (an alert, a chat thread, a
    /// draft), best first, with the words they share.
    pub fn for_text(&self, text: &str, limit: usize) -> Vec<Suggestion> {
        let mut counts = HashMap::new();
        count_words(&mut analyzer(), text, 1.0, &mut counts);
        let vector = self.vocabulary.weigh(&counts, self.vectors.len() as f64, 1);
        let mut dots: HashMap<u32, f64> = HashMap::new();
        for &(word, weight) in &vector {
            for &(other, other_weight) in &self.postings[word as usize] {
                *dots.entry(other).or_insert(0.0) += weight * other_weight;
            }
        }
        let retros = &self.library.retros;
        let mut scored: Vec<(usize, f64)> = dots
            .into_iter()
            .map(|(other, dot)| (other as usize, dot))
            .filter(|&(_, dot)| dot >= MIN_TEXT_SCORE)
            .collect();
        best_first(&mut scored, retros, limit);
        scored
            .into_iter()
            .map(|(other, score)| Suggestion {
                index: other,
                score,
                reasons: shared_words(&vector, &self.vectors[other], &self.vocabulary.words)
                    .into_iter()
                    .collect(),
            })
            .collect()
    }
}

/// What to find similar incidents for.
#[derive(Debug, Clone, Copy)]
pub enum Target<'t> {
    /// A retro of the library, by its index.
    Retro(usize),
    /// Text that is not a retro of the library: an alert, a chat thread, a draft.
    Text(&'t str),
}

/// Up to `limit` retros of `library` like `target`, best first, with the reasons.
pub fn like(library: &Library, target: Target<'_>, limit: usize) -> Vec<Suggestion> {
    let bodies: Vec<String> =
        library.retros.par_iter().map(|retro| crate::markdown::plain_text(retro.body())).collect();
    let texts: Vec<&str> = bodies.iter().map(String::as_str).collect();
    match target {
        Target::Retro(index) => Model::new(library, &texts).for_retro_up_to(index, limit),
        Target::Text(text) => Model::for_outside_text(library, &texts).for_text(text, limit),
    }
}

/// Below this a suggestion for pasted text is noise: its cosine with the retro's words.
const MIN_TEXT_SCORE: f64 = 0.05;

/// The words of a library, numbered in sorted order (for determinism), with how many retros
/// use each.
struct Vocabulary {
    words: Vec<String>,
    ids: HashMap<String, u32>,
    frequency: Vec<u32>,
}

impl Vocabulary {
    fn of(counts: &[HashMap<String, f64>]) -> Self {
        let mut document_frequency: HashMap<&str, u32> = HashMap::new();
        for doc in counts {
            for word in doc.keys() {
                *document_frequency.entry(word).or_insert(0) += 1;
            }
        }
        let mut words: Vec<&str> = document_frequency.keys().copied().collect();
        words.sort_unstable();
        let ids = words.iter().enumerate().map(|(i, w)| ((*w).to_owned(), i as u32)).collect();
        let frequency = words.iter().map(|w| document_frequency[w]).collect();
        Vocabulary { words: words.into_iter().map(str::to_owned).collect(), ids, frequency }
    }

    /// A document's best [`KEYWORDS`] words by TF-IDF over a library of `n` retros, as a unit
    /// vector sorted by word id; words used by fewer than `min_frequency` retros are left out.
    fn weigh(&self, doc: &HashMap<String, f64>, n: f64, min_frequency: u32) -> Vector {
        let mut weighted: Vec<(u32, f64)> = doc
            .iter()
            .filter_map(|(word, &count)| {
                let id = *self.ids.get(word.as_str())?;
                let df = self.frequency[id as usize];
                (df >= min_frequency).then(|| (id, (1.0 + count.ln()) * ((n + 1.0) / f64::from(df)).ln()))
            })
            .collect();
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(KEYWORDS);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        weighted.iter_mut().for_each(|(_, w)| *w /= norm.max(f64::EPSILON));
        weighted.sort_by_key(|(id, _)| *id);
        weighted
    }
}

/// What scoring one retro's candidates reads.
struct Context<'a> {
    library: &'a Library,
    vectors: &'a [Vector],
    postings: &'a [Vec<(u32, f64)>],
    pairs: &'a HashMap<(&'a str, &'a str), Vec<u32>>,
    shapes: &'a [Shape],
}

/// A retro's failure modes, services, factors and trigger as numbers, sorted: every retro is
/// compared with thousands of candidates, and comparing strings took most of that time.
#[derive(Debug, Default)]
struct Shape {
    failure_modes: Vec<u32>,
    services: Vec<u32>,
    factors: Vec<u32>,
    trigger: Option<u32>,
}

fn shapes(retros: &[Retro]) -> Vec<Shape> {
    let mut numbers: HashMap<(u8, &str), u32> = HashMap::new();
    retros
        .iter()
        .map(|retro| Shape {
            failure_modes: number(&mut numbers, 0, &retro.failure_modes),
            services: number(&mut numbers, 1, &retro.services),
            factors: number(&mut numbers, 2, &retro.contributing_factors),
            trigger: number(&mut numbers, 3, retro.trigger.as_slice()).first().copied(),
        })
        .collect()
}

/// The numbers of `names` of one kind, sorted, handing out new ones as names first appear.
fn number<'a>(numbers: &mut HashMap<(u8, &'a str), u32>, kind: u8, names: &'a [String]) -> Vec<u32> {
    let mut ids: Vec<u32> = names
        .iter()
        .map(|name| {
            let next = numbers.len() as u32;
            *numbers.entry((kind, name.as_str())).or_insert(next)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn analyzer() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(30))
        .filter(LowerCaser);
    match StopWordFilter::new(Language::English) {
        Some(stop_words) => builder.filter(stop_words).build(),
        None => builder.build(),
    }
}

fn word_counts(retro: &Retro, body: &str) -> HashMap<String, f64> {
    let mut analyzer = analyzer();
    let mut counts = HashMap::new();
    let summary = retro.summary.as_deref().unwrap_or_default();
    for (text, weight) in [(retro.title.as_str(), 3.0), (summary, 2.0), (body, 1.0)] {
        count_words(&mut analyzer, text, weight, &mut counts);
    }
    counts
}

/// Adds `weight` for every word of `text` worth comparing (three letters or more, not a number).
fn count_words(analyzer: &mut TextAnalyzer, text: &str, weight: f64, counts: &mut HashMap<String, f64>) {
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let word = &stream.token().text;
        if word.len() >= 3 && !word.chars().all(|c| c.is_ascii_digit()) {
            *counts.entry(word.clone()).or_insert(0.0) += weight;
        }
    }
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

/// For each (service, failure mode) pair, the newest retros that have it.
fn pair_postings(retros: &[Retro]) -> HashMap<(&str, &str), Vec<u32>> {
    let mut pairs: HashMap<(&str, &str), Vec<u32>> = HashMap::new();
    for (index, retro) in retros.iter().enumerate() {
        for service in &retro.services {
            for mode in &retro.failure_modes {
                let list = pairs.entry((service, mode)).or_default();
                if list.len() < MAX_POSTINGS {
                    list.push(index as u32);
                }
            }
        }
    }
    pairs
}

fn suggestions_for(index: usize, context: &Context<'_>, words: &[String], limit: usize) -> Vec<Suggestion> {
    let Context { library, vectors, postings, pairs, shapes } = context;
    let retro = &library.retros[index];
    // Text similarity accumulated over the inverted lists: the dot product of the two unit
    // vectors, summed word by word (in word order, so the result is deterministic).
    let mut text: HashMap<u32, f64> = HashMap::new();
    for &(word, weight) in &vectors[index] {
        for &(other, other_weight) in &postings[word as usize] {
            *text.entry(other).or_insert(0.0) += weight * other_weight;
        }
    }
    for service in &retro.services {
        for mode in &retro.failure_modes {
            for &other in pairs.get(&(service.as_str(), mode.as_str())).into_iter().flatten() {
                text.entry(other).or_insert(0.0);
            }
        }
    }
    let retros = &library.retros;
    let mut scored: Vec<(usize, f64)> = text
        .into_iter()
        .map(|(other, text)| (other as usize, text))
        .filter(|&(other, _)| other != index)
        .map(|(other, text)| (other, text * TEXT_WEIGHT + structure(&shapes[index], &shapes[other])))
        .filter(|&(_, score)| score >= MIN_SCORE)
        .collect();
    best_first(&mut scored, retros, limit);
    scored
        .into_iter()
        .map(|(other, score)| Suggestion {
            index: other,
            score,
            reasons: reasons(retro, &retros[other], &vectors[index], &vectors[other], words),
        })
        .collect()
}

/// Keeps the `limit` best of `scored` (retro, score), best first; equal scores list the newer
/// retro first, then by id, so the order never depends on a hash map's.
fn best_first(scored: &mut Vec<(usize, f64)>, retros: &[Retro], limit: usize) {
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| retros[b.0].date.cmp(&retros[a.0].date))
            .then_with(|| retros[a.0].id.cmp(&retros[b.0].id))
    });
    scored.truncate(limit);
}

/// Weight of text similarity in the score; the structure weights below add up to the rest.
const TEXT_WEIGHT: f64 = 0.5;

/// The structural part of the score: shared failure modes, services, factors and trigger.
fn structure(a: &Shape, b: &Shape) -> f64 {
    let shares = |x: &[u32], y: &[u32]| x.iter().filter(|v| y.contains(v)).count();
    let trigger = a.trigger.is_some() && a.trigger == b.trigger;
    0.2 * f64::from(u8::from(shares(&a.failure_modes, &b.failure_modes) > 0))
        + 0.1 * f64::from(u8::from(shares(&a.services, &b.services) > 0))
        + 0.05 * shares(&a.factors, &b.factors).min(3) as f64
        + 0.05 * f64::from(u8::from(trigger))
}
