//! Similar incidents: for every retro, up to five others that look alike, each with the reasons.
//!
//! Text similarity is TF-IDF cosine over each retro's most distinctive words (title weighted
//! three times, summary twice, body once); structure adds shared failure modes, services,
//! contributing factors and trigger. Candidates come from small inverted lists (each word's
//! strongest 200 retros, each service × failure mode pair's newest 200), so the cost grows with
//! the number of retros, not its square.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer,
};

use crate::library::Library;
use crate::markdown::RenderedBody;
use crate::model::Retro;

/// How many suggestions a retro shows.
pub const MAX_SUGGESTIONS: usize = 5;
/// Distinctive words kept per retro.
const KEYWORDS: usize = 24;
/// Longest inverted list consulted per word or pair.
const MAX_POSTINGS: usize = 200;
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

/// Suggestions for every retro of the library, in library order.
pub fn compute(library: &Library, bodies: &[RenderedBody]) -> Vec<Vec<Suggestion>> {
    let counts: Vec<HashMap<String, f64>> =
        library.retros.par_iter().zip(bodies).map(|(retro, body)| word_counts(retro, &body.text)).collect();
    let (words, vectors) = vectorise(&counts);
    let postings = word_postings(&vectors, words.len());
    let pairs = pair_postings(&library.retros);
    (0..library.retros.len())
        .into_par_iter()
        .map(|index| suggestions_for(index, library, &vectors, &postings, &pairs, &words))
        .collect()
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
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let word = &stream.token().text;
            if word.len() >= 3 && !word.chars().all(|c| c.is_ascii_digit()) {
                *counts.entry(word.clone()).or_insert(0.0) += weight;
            }
        }
    }
    counts
}

/// Numbers the words (in sorted order, for determinism) and weighs each retro's best ones.
fn vectorise(counts: &[HashMap<String, f64>]) -> (Vec<String>, Vec<Vector>) {
    let mut document_frequency: HashMap<&str, u32> = HashMap::new();
    for doc in counts {
        for word in doc.keys() {
            *document_frequency.entry(word).or_insert(0) += 1;
        }
    }
    let mut words: Vec<&str> = document_frequency.keys().copied().collect();
    words.sort_unstable();
    let ids: HashMap<&str, u32> = words.iter().enumerate().map(|(i, w)| (*w, i as u32)).collect();
    let n = counts.len() as f64;
    let vectors = counts
        .par_iter()
        .map(|doc| {
            let mut weighted: Vec<(u32, f64)> = doc
                .iter()
                .filter_map(|(word, &count)| {
                    let df = f64::from(*document_frequency.get(word.as_str())?);
                    // A word only this retro uses cannot make it similar to another.
                    (df > 1.0).then(|| (ids[word.as_str()], (1.0 + count.ln()) * ((n + 1.0) / df).ln()))
                })
                .collect();
            weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            weighted.truncate(KEYWORDS);
            let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            weighted.iter_mut().for_each(|(_, w)| *w /= norm.max(f64::EPSILON));
            weighted.sort_by_key(|(id, _)| *id);
            weighted
        })
        .collect();
    (words.into_iter().map(str::to_owned).collect(), vectors)
}

/// For each word, the retros that have it among their keywords, strongest first.
fn word_postings(vectors: &[Vector], words: usize) -> Vec<Vec<u32>> {
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
            list.into_iter().map(|(retro, _)| retro).collect()
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

fn suggestions_for(
    index: usize,
    library: &Library,
    vectors: &[Vector],
    postings: &[Vec<u32>],
    pairs: &HashMap<(&str, &str), Vec<u32>>,
    words: &[String],
) -> Vec<Suggestion> {
    let retro = &library.retros[index];
    let mut candidates: Vec<u32> =
        vectors[index].iter().flat_map(|&(word, _)| postings[word as usize].iter().copied()).collect();
    for service in &retro.services {
        for mode in &retro.failure_modes {
            candidates.extend(pairs.get(&(service.as_str(), mode.as_str())).into_iter().flatten());
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut scored: Vec<Suggestion> = candidates
        .into_iter()
        .map(|c| c as usize)
        .filter(|&other| other != index)
        .filter_map(|other| {
            score(retro, &library.retros[other], &vectors[index], &vectors[other], words)
                .map(|(score, reasons)| Suggestion { index: other, score, reasons })
        })
        .filter(|s| s.score >= MIN_SCORE)
        .collect();
    let retros = &library.retros;
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| retros[b.index].date.cmp(&retros[a.index].date))
            .then_with(|| retros[a.index].id.cmp(&retros[b.index].id))
    });
    scored.truncate(MAX_SUGGESTIONS);
    scored
}

/// The similarity of `a` and `b` and its reasons, or `None` when they share nothing.
fn score(a: &Retro, b: &Retro, va: &Vector, vb: &Vector, words: &[String]) -> Option<(f64, Vec<String>)> {
    let shared = |x: &[String], y: &[String]| x.iter().filter(|v| y.contains(v)).cloned().collect::<Vec<_>>();
    let modes = shared(&a.failure_modes, &b.failure_modes);
    let services = shared(&a.services, &b.services);
    let factors = shared(&a.contributing_factors, &b.contributing_factors);
    let trigger = a.trigger.as_ref().filter(|t| b.trigger.as_ref() == Some(*t));
    let (text, mut common) = cosine(va, vb);
    let score = 0.5 * text
        + 0.2 * f64::from(u8::from(!modes.is_empty()))
        + 0.1 * f64::from(u8::from(!services.is_empty()))
        + 0.05 * factors.len().min(3) as f64
        + 0.05 * f64::from(u8::from(trigger.is_some()));
    if score <= 0.0 {
        return None;
    }
    let mut reasons = Vec::new();
    if !modes.is_empty() {
        reasons.push(format!("same failure mode: {}", modes.join(", ")));
    }
    if !services.is_empty() {
        reasons.push(format!("same service: {}", services.join(", ")));
    }
    if let Some(trigger) = trigger {
        reasons.push(format!("same trigger: {trigger}"));
    }
    if !factors.is_empty() {
        reasons.push(format!("shared factors: {}", factors.join(", ")));
    }
    common.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let top: Vec<&str> = common.iter().take(3).map(|(id, _)| words[*id as usize].as_str()).collect();
    if !top.is_empty() {
        reasons.push(format!("shares: {}", top.join(", ")));
    }
    Some((score, reasons))
}

/// Cosine of two unit vectors sorted by word id, and the shared words with their products.
fn cosine(a: &Vector, b: &Vector) -> (f64, Vec<(u32, f64)>) {
    let (mut i, mut j, mut dot, mut common) = (0, 0, 0.0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let product = a[i].1 * b[j].1;
                dot += product;
                common.push((a[i].0, product));
                i += 1;
                j += 1;
            }
        }
    }
    (dot, common)
}
