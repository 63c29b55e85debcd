//! Taxonomy labels found in a postmortem's words: services, failure modes, contributing
//! factors and trigger, matched as whole words, ignoring case, with the title and summary
//! weighing more than the body. `retry-storm` is found as "retry-storm" and "retry storm(s)".
//!
//! Each term is matched by a list of names, so aliases (when the taxonomy gets them) are only
//! more names for the same term.

use crate::taxonomy::{Dimension, Taxonomy};

/// The dimensions read from the text, in front-matter order.
pub const DIMENSIONS: [Dimension; 4] =
    [Dimension::Service, Dimension::FailureMode, Dimension::Factor, Dimension::Trigger];

/// Weight of a mention in the title, the summary and the body.
const WEIGHTS: [u32; 3] = [3, 2, 1];
/// A term needs this score: named in the title or summary, or twice in the body.
const MIN_SCORE: u32 = 2;
/// At most this many values per list.
const MAX_VALUES: usize = 3;

/// One term and the word sequences that name it.
#[derive(Debug, Clone)]
struct Term {
    name: String,
    phrases: Vec<Vec<String>>,
}

/// Matches the taxonomy's terms in text.
#[derive(Debug, Clone)]
pub struct Matcher {
    terms: Vec<(Dimension, Term)>,
}

/// A term found, with where it was mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The taxonomy name.
    pub name: String,
    /// Its weighted score.
    pub score: u32,
    /// "title", "summary", "body ×2".
    pub places: Vec<String>,
}

impl Matcher {
    /// A matcher for every term of the label dimensions.
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let terms = DIMENSIONS
            .iter()
            .flat_map(|&dimension| {
                taxonomy.terms(dimension).iter().map(move |term| {
                    // A term is named by its name or any of its aliases.
                    let names = std::iter::once(&term.name).chain(&term.aliases);
                    let phrases = names.map(|name| words(name)).filter(|p| !p.is_empty()).collect();
                    (dimension, Term { name: term.name.clone(), phrases })
                })
            })
            .collect();
        Matcher { terms }
    }

    /// The terms of `dimension` named in the three texts, best first.
    pub fn find(&self, dimension: Dimension, title: &str, summary: &str, body: &str) -> Vec<Match> {
        let texts = [words(title), words(summary), words(body)];
        let mut found: Vec<Match> = self
            .terms
            .iter()
            .filter(|(d, _)| *d == dimension)
            .filter_map(|(_, term)| {
                let counts: Vec<u32> = texts.iter().map(|text| count(text, &term.phrases)).collect();
                let score: u32 = counts.iter().zip(WEIGHTS).map(|(n, w)| n.min(&3) * w).sum();
                let places = ["title", "summary", "body"]
                    .iter()
                    .zip(&counts)
                    .filter(|(_, n)| **n > 0)
                    .map(|(place, n)| if *n > 1 { format!("{place} ×{n}") } else { (*place).to_owned() })
                    .collect();
                (score >= MIN_SCORE).then(|| Match { name: term.name.clone(), score, places })
            })
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse(m.score));
        let keep = if dimension == Dimension::Trigger { 1 } else { MAX_VALUES };
        found.truncate(keep);
        found
    }
}

/// Lower-case words: letters and digits, everything else separates.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// How often any of `phrases` occurs in `text` as whole words (a plural last word counts).
fn count(text: &[String], phrases: &[Vec<String>]) -> u32 {
    let mut total = 0;
    for phrase in phrases {
        let n = phrase.len();
        if n == 0 || text.len() < n {
            continue;
        }
        for start in 0..=text.len() - n {
            let window = &text[start..start + n];
            let matches = window.iter().zip(phrase).enumerate().all(|(i, (word, want))| {
                word == want
                    || (i == n - 1
                        && (word.strip_suffix('s') == Some(want) || word.strip_suffix("es") == Some(want)))
            });
            if matches {
                total += 1;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Term as TaxonomyTerm;

    fn taxonomy() -> Taxonomy {
        let term = |name: &str| TaxonomyTerm {
            name: name.to_owned(),
            description: None,
            team: None,
            aliases: Vec::new(),
        };
        let mut taxonomy = Taxonomy::permissive();
        taxonomy.services = vec![term("checkout-api"), term("orders-db")];
        taxonomy.failure_modes = vec![term("retry-storm"), term("dns-failure")];
        taxonomy.triggers = vec![term("deploy"), term("config-change")];
        taxonomy
    }

    #[test]
    fn an_alias_names_its_term() {
        let mut taxonomy = taxonomy();
        taxonomy.failure_modes[1].aliases = vec!["resolver outage".to_owned()];
        let found =
            Matcher::new(&taxonomy).find(Dimension::FailureMode, "Resolver outage in eu-west", "", "");
        assert_eq!(found.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["dns-failure"]);
    }

    #[test]
    fn names_match_as_words_weighted_by_place() {
        let matcher = Matcher::new(&taxonomy());
        let found =
            matcher.find(Dimension::FailureMode, "Retry storms took checkout down", "", "a dns failure once");
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].name.as_str(), found[0].places.clone()),
            ("retry-storm", vec!["title".to_owned()])
        );
        let services =
            matcher.find(Dimension::Service, "", "", "checkout-api and the Checkout API, orders db");
        assert_eq!(services.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["checkout-api"]);
        assert_eq!(services[0].places, ["body ×2"]);
        let trigger = matcher.find(Dimension::Trigger, "", "A config change, then a deploy", "deployed");
        assert_eq!(trigger.len(), 1, "one trigger only");
        assert!(matcher.find(Dimension::Service, "", "", "orders-dbx checkout").is_empty());
    }
}
