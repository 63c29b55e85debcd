//! Why one retro is suggested on another's page: shared labels, then the phrases and words both
//! weigh most, never a stop word, a number, a code literal or a word nearly every retro uses.

use super::vocabulary::{Vector, Vocabulary, common};
use crate::model::Retro;
use crate::stem;

/// Two retros' vectors of one kind of term (phrases or words), and the vocabulary they index.
pub(super) type Pair<'v> = (&'v Vector, &'v Vector, &'v Vocabulary);

/// Words that count towards similarity but explain nothing: durations and counting words, sorted.
const NO_REASON: &[&str] = &[
    "day", "days", "eight", "eleven", "first", "five", "four", "half", "hour", "hours", "last", "minute",
    "minutes", "month", "months", "next", "nine", "one", "second", "seconds", "seven", "six", "ten", "third",
    "three", "twelve", "two", "week", "weeks", "year", "years",
];

/// How many phrases and words a reason names at most, together.
const TERMS_SHOWN: usize = 3;

/// Why `b` is suggested on `a`'s page, most telling reason first; `people` are the words of the
/// names of both retros' people ([`people`]) and `n` is the library's size.
pub(super) fn reasons(
    (a, b): (&Retro, &Retro),
    phrases: Pair<'_>,
    words: Pair<'_>,
    people: &[&[String]],
    n: f64,
) -> Vec<String> {
    let shared = |x: &[String], y: &[String]| x.iter().filter(|v| y.contains(v)).cloned().collect::<Vec<_>>();
    let mut reasons = Vec::new();
    let mut said = Vec::new();
    let lists = [
        ("same failure mode", shared(&a.failure_modes, &b.failure_modes)),
        ("same service", shared(&a.services, &b.services)),
        ("same trigger", shared(a.trigger.as_slice(), b.trigger.as_slice())),
        ("shared factors", shared(&a.contributing_factors, &b.contributing_factors)),
        ("same team", shared(&a.teams, &b.teams)),
        ("shared tags", shared_ignoring_case(&a.tags, &b.tags)),
    ];
    for (what, names) in lists {
        if !names.is_empty() {
            reasons.push(format!("{what}: {}", names.join(", ")));
            said.extend(names);
        }
    }
    reasons.extend(shared_terms(phrases, words, &said, people, n));
    reasons
}

/// The words of the names of everyone a retro names, in lower case: authors, incident
/// commander, facilitator, owners of action items. A name two retros share is no reason they
/// are alike.
pub(super) fn people(retro: &Retro) -> Vec<String> {
    let owners = retro.action_items.iter().filter_map(|item| item.owner.as_deref());
    let names = retro
        .authors
        .iter()
        .map(String::as_str)
        .chain(retro.incident_commander.as_deref())
        .chain(retro.facilitator.as_deref())
        .chain(owners);
    names
        .flat_map(|name| name.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shared_ignoring_case(x: &[String], y: &[String]) -> Vec<String> {
    x.iter().filter(|v| y.iter().any(|w| w.eq_ignore_ascii_case(v))).cloned().collect()
}

/// "shared phrases: \"connection pool\", \"circuit breaker\"" and "shared words: cardwell": the
/// terms both sides weigh most, phrases first, at most three in all. Left out: terms not worth
/// showing (see [`Vocabulary::shown`]), terms more than a quarter of a library of `n` retros use,
/// the words of `labels` already named, and `people` (the words of the retros' people's names).
pub(super) fn shared_terms(
    phrases: Pair<'_>,
    words: Pair<'_>,
    labels: &[String],
    people: &[&[String]],
    n: f64,
) -> Vec<String> {
    // Compared by stem: "retries" is no news next to "same failure mode: retry-storm".
    let label_stems: Vec<String> = labels
        .iter()
        .flat_map(|label| label.split(['-', '_', ' ']))
        .map(|word| stem::english(&word.to_lowercase()))
        .collect();
    let label_phrases: Vec<String> = labels.iter().map(|label| label.replace(['-', '_'], " ")).collect();
    let named = |word: &str| {
        people.iter().any(|names| names.iter().any(|name| name == word))
            || NO_REASON.binary_search(&word).is_ok()
    };
    let phrase_kept = |phrase: &str| {
        !label_phrases.iter().any(|label| label.contains(phrase)) && !phrase.split(' ').any(named)
    };
    let phrases = best(phrases, n, phrase_kept, TERMS_SHOWN);
    let in_phrase = |word: &str| phrases.iter().any(|phrase| phrase.split(' ').any(|w| w == word));
    let word_kept =
        |word: &str| !label_stems.contains(&stem::english(word)) && !in_phrase(word) && !named(word);
    let words = best(words, n, word_kept, TERMS_SHOWN - phrases.len());
    let mut reasons = Vec::new();
    if !phrases.is_empty() {
        let quoted: Vec<String> = phrases.iter().map(|phrase| format!("\"{phrase}\"")).collect();
        reasons.push(format!("shared phrases: {}", quoted.join(", ")));
    }
    if !words.is_empty() {
        reasons.push(format!("shared words: {}", words.join(", ")));
    }
    reasons
}

/// Up to `limit` terms two vectors share, weighed most by both, that may be shown and `keep`.
fn best<'v>((a, b, vocabulary): Pair<'v>, n: f64, keep: impl Fn(&str) -> bool, limit: usize) -> Vec<&'v str> {
    // In a small library every shared term is rare; past a handful, a quarter is common.
    let too_common = (n / 4.0).max(3.0);
    let mut shared = common(a, b);
    shared.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    shared
        .into_iter()
        .filter(|&(id, _)| vocabulary.shown[id as usize] && f64::from(vocabulary.frequency(id)) <= too_common)
        .map(|(id, _)| vocabulary.display[id as usize].as_str())
        .filter(|term| keep(term))
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::similar::Model;

    fn retro(id: &str, extra: &str, body: &str) -> Retro {
        let text = format!(
            "---\nid: {id}\ntitle: t\ndate: 2024-03-01\nseverity: SEV3\nservices: [{id}]\nfailure_modes: [{id}]\n{extra}---\n{body}"
        );
        crate::validate::retro_from_text(id, text)
    }

    #[test]
    fn words_that_explain_nothing_are_sorted_for_binary_search() {
        assert!(NO_REASON.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn reasons_name_phrases_tags_and_words_never_junk_names_or_dates() {
        let body = "In April the connection pool of Cardwell ran dry for 42 minutes; `if err != nil` \
                    logged 0xdeadbeef and Marisol Vega paged the team.\n";
        let retros = [
            retro("A", "tags: [Pool]\nauthors: [Marisol Vega]\n", body),
            retro("B", "tags: [pool]\n", body),
            retro("C", "", "Unrelated words entirely: a disk filled.\n"),
            retro("D", "", "Something else: clocks drifted apart.\n"),
        ];
        let bodies: Vec<String> = retros.iter().map(|r| crate::markdown::plain_text(r.body())).collect();
        let texts: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let model = Model::of_retros(&retros, &texts);
        let suggestions = model.for_retro(0);
        assert_eq!(suggestions[0].index, 1);
        let reasons = suggestions[0].reasons.join(" · ");
        assert_eq!(
            reasons, "shared tags: Pool · shared phrases: \"cardwell ran\", \"connection pool\", \"ran dry\"",
            "no nil, err, hex, number, month or person"
        );
    }
}
