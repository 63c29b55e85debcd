//! The structural part of similarity: shared failure modes, services, factors, trigger, tags and
//! teams.

use std::collections::HashMap;

use crate::model::Retro;

/// A retro's labels as numbers: every retro is compared with thousands of candidates, and
/// comparing strings took most of that time.
#[derive(Debug, Default)]
pub(super) struct Shape {
    failure_modes: Labels,
    services: Labels,
    factors: Labels,
    trigger: Option<u32>,
    tags: Labels,
    teams: Labels,
}

/// One kind of a retro's labels. Each kind numbers its labels from 0, the most used first, so
/// most labels are below 64 and a bit each of one word: two retros' labels in common are then
/// the bits their words share. Following a list of numbers for every candidate missed the
/// cache on most of them at 100,000 retros (5% of the build).
#[derive(Debug, Default)]
struct Labels {
    /// Bit `n` set for each label numbered `n` below 64.
    low: u64,
    /// Bit `n % 64` set for each label numbered 64 or more: two words with no bit in common
    /// say the lists share none without reading them.
    high_bits: u64,
    /// The labels numbered 64 or more, sorted.
    high: Box<[u32]>,
}

impl Labels {
    /// The labels numbered `numbers` (without repeats).
    fn new(numbers: impl IntoIterator<Item = u32>) -> Self {
        let (mut low, mut high_bits, mut high) = (0, 0, Vec::new());
        for number in numbers {
            match 1u64.checked_shl(number) {
                Some(bit) => low |= bit,
                None => {
                    high_bits |= 1 << (number % 64);
                    high.push(number);
                }
            }
        }
        high.sort_unstable();
        Labels { low, high_bits, high: high.into() }
    }
}

/// The names of one kind of label, numbered by how many retros use them (most used first, then
/// by name, so the numbers do not depend on the retros' order).
#[derive(Debug)]
struct Numbering(HashMap<String, u32>);

impl Numbering {
    /// The numbering of every name `names` gives for some retro.
    fn of<'r>(names: impl Iterator<Item = &'r [String]>, key: impl Fn(&str) -> String) -> Self {
        let mut uses: HashMap<String, u32> = HashMap::new();
        for list in names {
            let mut keys: Vec<String> = list.iter().map(|name| key(name)).collect();
            keys.sort_unstable();
            keys.dedup();
            for name in keys {
                *uses.entry(name).or_default() += 1;
            }
        }
        let mut order: Vec<(String, u32)> = uses.into_iter().collect();
        order.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Numbering(order.into_iter().zip(0..).map(|((name, _), number)| (name, number)).collect())
    }

    /// The labels `names` (given to [`Numbering::of`]) as numbers.
    fn labels(&self, names: &[String], key: impl Fn(&str) -> String) -> Labels {
        let mut numbers: Vec<u32> = names.iter().filter_map(|name| self.0.get(&key(name)).copied()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        Labels::new(numbers)
    }
}

/// The shapes of `retros`, in their order.
pub(super) fn shapes(retros: &[Retro]) -> Vec<Shape> {
    let as_is = |name: &str| name.to_owned();
    let lowercase = |name: &str| name.to_lowercase();
    let numbering = |list: fn(&Retro) -> &[String]| Numbering::of(retros.iter().map(list), as_is);
    let failure_modes = numbering(|retro| &retro.failure_modes);
    let services = numbering(|retro| &retro.services);
    let factors = numbering(|retro| &retro.contributing_factors);
    let triggers = numbering(|retro| retro.trigger.as_slice());
    let teams = numbering(|retro| &retro.teams);
    let tags = Numbering::of(retros.iter().map(|retro| retro.tags.as_slice()), lowercase);
    retros
        .iter()
        .map(|retro| Shape {
            failure_modes: failure_modes.labels(&retro.failure_modes, as_is),
            services: services.labels(&retro.services, as_is),
            factors: factors.labels(&retro.contributing_factors, as_is),
            trigger: retro.trigger.as_ref().and_then(|trigger| triggers.0.get(trigger).copied()),
            tags: tags.labels(&retro.tags, lowercase),
            teams: teams.labels(&retro.teams, as_is),
        })
        .collect()
}

/// How many labels `x` and `y` have in common.
fn shares(x: &Labels, y: &Labels) -> usize {
    let low = (x.low & y.low).count_ones() as usize;
    if x.high_bits & y.high_bits == 0 {
        return low;
    }
    low + x.high.iter().filter(|number| y.high.binary_search(number).is_ok()).count()
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
        assert_eq!(shares(&labels(&[65, 200]), &labels(&[129, 200])), 1, "65 and 129 set the same bit");
        assert_eq!(shares(&labels(&[0, 63, 64]), &labels(&[63, 64, 0])), 3);
    }

    #[test]
    fn labels_are_numbered_most_used_first_then_by_name() {
        let lists = [
            vec!["b".to_owned()],
            vec!["c".to_owned(), "a".to_owned()],
            vec!["c".to_owned(), "c".to_owned()],
        ];
        let numbering = Numbering::of(lists.iter().map(Vec::as_slice), str::to_owned);
        let number = |name: &str| numbering.0[name];
        assert_eq!([number("c"), number("a"), number("b")], [0, 1, 2], "c is on two retros; a and b on one");
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
