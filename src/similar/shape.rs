//! The structural part of similarity: shared failure modes, services, factors, trigger, tags and
//! teams.

use std::collections::HashMap;

use crate::model::Retro;

/// A retro's labels as numbers, sorted: every retro is compared with thousands of candidates,
/// and comparing strings took most of that time.
#[derive(Debug, Default)]
pub(super) struct Shape {
    failure_modes: Labels,
    services: Labels,
    factors: Labels,
    trigger: Option<u32>,
    tags: Labels,
    teams: Labels,
}

/// One kind of a retro's labels: their numbers, sorted, and a one-word summary of them (bit
/// `number % 64` set for each). Most of the thousands of candidates a retro is compared with
/// share none of its labels; two summaries with no bit in common say so without a search.
#[derive(Debug, Default)]
struct Labels {
    numbers: Vec<u32>,
    bits: u64,
}

impl Labels {
    /// The labels numbered `numbers` (sorted, without repeats).
    fn new(numbers: Vec<u32>) -> Self {
        let bits = numbers.iter().fold(0, |bits, number| bits | 1 << (number % 64));
        Labels { numbers, bits }
    }
}

/// The shapes of `retros`, in their order.
pub(super) fn shapes(retros: &[Retro]) -> Vec<Shape> {
    let mut numbers: HashMap<(u8, String), u32> = HashMap::new();
    retros
        .iter()
        .map(|retro| {
            let tags: Vec<String> = retro.tags.iter().map(|tag| tag.to_lowercase()).collect();
            Shape {
                failure_modes: number(&mut numbers, 0, &retro.failure_modes),
                services: number(&mut numbers, 1, &retro.services),
                factors: number(&mut numbers, 2, &retro.contributing_factors),
                trigger: number(&mut numbers, 3, retro.trigger.as_slice()).numbers.first().copied(),
                tags: number(&mut numbers, 4, &tags),
                teams: number(&mut numbers, 5, &retro.teams),
            }
        })
        .collect()
}

/// The numbers of `names` of one kind, sorted, handing out new ones as names first appear.
fn number(numbers: &mut HashMap<(u8, String), u32>, kind: u8, names: &[String]) -> Labels {
    let mut ids: Vec<u32> = names
        .iter()
        .map(|name| {
            let next = numbers.len() as u32;
            *numbers.entry((kind, name.clone())).or_insert(next)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Labels::new(ids)
}

/// How many labels `x` and `y` have in common.
fn shares(x: &Labels, y: &Labels) -> usize {
    if x.bits & y.bits == 0 {
        return 0;
    }
    x.numbers.iter().filter(|v| y.numbers.contains(v)).count()
}

/// The structural part of the score: shared failure modes (0.2), services (0.1), factors (0.05
/// each, up to three), trigger (0.05), and a little for shared tags (0.03 each, up to two) and a
/// shared team (0.03). Tags and teams weigh little: they are free-form or follow the services.
pub(super) fn structure(a: &Shape, b: &Shape) -> f64 {
    let trigger = a.trigger.is_some() && a.trigger == b.trigger;
    let any = |n: usize| f64::from(u8::from(n > 0));
    0.2 * any(shares(&a.failure_modes, &b.failure_modes))
        + 0.1 * any(shares(&a.services, &b.services))
        + 0.05 * shares(&a.factors, &b.factors).min(3) as f64
        + 0.05 * f64::from(u8::from(trigger))
        + tags_and_teams(a, b)
}

/// The part of [`structure`] that tags and teams add.
fn tags_and_teams(a: &Shape, b: &Shape) -> f64 {
    0.03 * shares(&a.tags, &b.tags).min(2) as f64 + 0.03 * f64::from(u8::from(shares(&a.teams, &b.teams) > 0))
}

/// Only the tags' part of [`tags_and_teams`]: teams follow the services, which are labels.
pub(super) fn tags(a: &Shape, b: &Shape) -> f64 {
    0.03 * shares(&a.tags, &b.tags).min(2) as f64
}

/// For each (service, failure mode) pair, the newest retros that have it, at most `max` of them.
pub(super) fn pair_postings(retros: &[Retro], max: usize) -> HashMap<(&str, &str), Vec<u32>> {
    let mut pairs: HashMap<(&str, &str), Vec<u32>> = HashMap::new();
    for (index, retro) in retros.iter().enumerate() {
        for service in &retro.services {
            for mode in &retro.failure_modes {
                let list = pairs.entry((service, mode)).or_default();
                if list.len() < max {
                    list.push(index as u32);
                }
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retro(id: &str, extra: &str) -> Retro {
        let text = format!(
            "---\nid: {id}\ntitle: t\ndate: 2024-03-01\nseverity: SEV3\nservices: [{id}]\nfailure_modes: [{id}]\n{extra}---\n"
        );
        crate::validate::retro_from_text(id, text)
    }

    #[test]
    fn labels_whose_summary_bits_collide_are_still_told_apart() {
        let labels = |numbers: &[u32]| Labels::new(numbers.to_vec());
        assert_eq!(shares(&labels(&[1]), &labels(&[65])), 0, "1 and 65 set the same bit");
        assert_eq!(shares(&labels(&[1, 65]), &labels(&[65, 129])), 1);
        assert_eq!(shares(&labels(&[2, 3]), &labels(&[3, 2])), 2);
        assert_eq!(shares(&labels(&[]), &labels(&[0])), 0);
    }

    #[test]
    fn shared_tags_and_a_shared_team_add_a_little() {
        let retros = [
            retro("A", "tags: [Retries, processor, black-friday]\nteams: [payments]\n"),
            retro("B", "tags: [retries, processor, black-friday]\nteams: [payments]\n"),
            retro("C", "tags: [retries]\n"),
            retro("D", ""),
        ];
        let shapes = shapes(&retros);
        let score = |a: usize, b: usize| (structure(&shapes[a], &shapes[b]) * 1000.0).round() / 1000.0;
        assert_eq!(score(0, 1), 0.09, "two tags at most (0.06), ignoring case, and the team (0.03)");
        assert_eq!(score(0, 2), 0.03);
        assert_eq!(score(0, 3), 0.0);
        assert_eq!(tags(&shapes[0], &shapes[1]), 0.06, "without the team");
    }
}
