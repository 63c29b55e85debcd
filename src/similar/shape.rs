//! The structural part of similarity: shared failure modes, services, factors, trigger, tags and
//! teams.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::Retro;

/// The kinds of label compared, each an index into [`Shape`]'s arrays.
#[derive(Debug, Clone, Copy)]
enum Kind {
    FailureModes,
    Services,
    Factors,
    Tags,
    Teams,
}

/// How many kinds of label [`Kind`] names.
const KINDS: usize = 5;

/// A retro's labels as numbers, in one cache line: every retro is compared with thousands of
/// candidates, and at 100,000 retros reading each candidate's labels missed the cache (5% of a
/// build when they were six lists on the heap).
///
/// Each kind numbers its labels from 0, the most used first, so most labels are below 64 and
/// a bit of `low`: two retros' labels in common are the bits they share. The few numbered 64 or
/// more are listed in [`Shapes::high`], and bit `number % 16` of `high_bits` says which might
/// be: two retros with no such bit in common share none of them.
#[derive(Debug, Default)]
#[repr(align(64))]
struct Shape {
    low: [u64; KINDS],
    high_bits: [u16; KINDS],
    trigger: Option<u32>,
}

/// The shapes of a library's retros, in their order.
#[derive(Debug, Default)]
pub(super) struct Shapes {
    /// Each retro's labels.
    shapes: Vec<Shape>,
    /// Each retro's labels numbered 64 or more, of each kind, sorted.
    high: Vec<[Box<[u32]>; KINDS]>,
}

impl Shapes {
    /// The shapes of `retros`, in their order.
    pub(super) fn of(retros: &[Retro]) -> Self {
        let numbering = |list: fn(&Retro) -> &[String]| Numbering::of(retros.iter().map(list), as_is);
        let failure_modes = numbering(|retro| &retro.failure_modes);
        let services = numbering(|retro| &retro.services);
        let factors = numbering(|retro| &retro.contributing_factors);
        let triggers = numbering(|retro| retro.trigger.as_slice());
        let teams = numbering(|retro| &retro.teams);
        let tags = Numbering::of(retros.iter().map(|retro| retro.tags.as_slice()), lowercase);
        let mut shapes = Shapes::default();
        for retro in retros {
            shapes.push(
                retro.trigger.as_deref().and_then(|trigger| triggers.number(trigger)),
                [
                    failure_modes.numbers(&retro.failure_modes),
                    services.numbers(&retro.services),
                    factors.numbers(&retro.contributing_factors),
                    tags.numbers(&retro.tags),
                    teams.numbers(&retro.teams),
                ],
            );
        }
        shapes
    }

    /// Adds a retro whose trigger is numbered `trigger` and whose labels of each [`Kind`] are
    /// numbered `labels` (without repeats).
    fn push(&mut self, trigger: Option<u32>, labels: [Vec<u32>; KINDS]) {
        let mut shape = Shape { trigger, ..Shape::default() };
        let mut high: [Vec<u32>; KINDS] = Default::default();
        for (kind, numbers) in labels.into_iter().enumerate() {
            for number in numbers {
                match 1u64.checked_shl(number) {
                    Some(bit) => shape.low[kind] |= bit,
                    None => {
                        shape.high_bits[kind] |= 1 << (number % 16);
                        high[kind].push(number);
                    }
                }
            }
            high[kind].sort_unstable();
        }
        self.shapes.push(shape);
        self.high.push(high.map(Vec::into_boxed_slice));
    }

    /// How many labels of `kind` retros `a` and `b` have in common.
    fn shares(&self, kind: Kind, a: usize, b: usize) -> usize {
        let k = kind as usize;
        let (x, y) = (&self.shapes[a], &self.shapes[b]);
        let low = (x.low[k] & y.low[k]).count_ones() as usize;
        if x.high_bits[k] & y.high_bits[k] == 0 {
            return low;
        }
        let theirs = &self.high[b][k];
        low + self.high[a][k].iter().filter(|number| theirs.binary_search(number).is_ok()).count()
    }

    /// The structural part of the score of retros `a` and `b`: shared failure modes (0.2),
    /// services (0.1), factors (0.05 each, up to three), trigger (0.05), and a little for shared
    /// tags (0.03 each, up to two) and a shared team (0.03). Tags and teams weigh little: they
    /// are free-form or follow the services.
    pub(super) fn structure(&self, a: usize, b: usize) -> f64 {
        let trigger = self.shapes[a].trigger.is_some() && self.shapes[a].trigger == self.shapes[b].trigger;
        let any = |n: usize| f64::from(u8::from(n > 0));
        0.2 * any(self.shares(Kind::FailureModes, a, b))
            + 0.1 * any(self.shares(Kind::Services, a, b))
            + 0.05 * self.shares(Kind::Factors, a, b).min(3) as f64
            + 0.05 * f64::from(u8::from(trigger))
            + (self.tags(a, b) + 0.03 * any(self.shares(Kind::Teams, a, b)))
    }

    /// Only the tags' part of [`Shapes::structure`]: teams follow the services, which are
    /// labels.
    pub(super) fn tags(&self, a: usize, b: usize) -> f64 {
        0.03 * self.shares(Kind::Tags, a, b).min(2) as f64
    }
}

/// How a label is compared: as written (services, failure modes, …).
fn as_is(name: &str) -> Cow<'_, str> {
    Cow::Borrowed(name)
}

/// How a tag is compared: ignoring case.
fn lowercase(name: &str) -> Cow<'_, str> {
    Cow::Owned(name.to_lowercase())
}

/// The names of one kind of label, numbered by how many retros use them (most used first, then
/// by name, so the numbers do not depend on the retros' order).
#[derive(Debug)]
struct Numbering {
    numbers: HashMap<String, u32>,
    /// The form of a name that is numbered: names of the same form are the same label.
    key: fn(&str) -> Cow<'_, str>,
}

impl Numbering {
    /// The numbering of every name `names` gives for some retro, each name compared as `key`
    /// makes it.
    fn of<'r>(names: impl Iterator<Item = &'r [String]>, key: fn(&str) -> Cow<'_, str>) -> Self {
        let mut uses: HashMap<String, u32> = HashMap::new();
        for list in names {
            let mut keys: Vec<Cow<'_, str>> = list.iter().map(|name| key(name)).collect();
            keys.sort_unstable();
            keys.dedup();
            for name in keys {
                *uses.entry(name.into_owned()).or_default() += 1;
            }
        }
        let mut order: Vec<(String, u32)> = uses.into_iter().collect();
        order.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let numbers = order.into_iter().zip(0..).map(|((name, _), number)| (name, number)).collect();
        Numbering { numbers, key }
    }

    /// The number of `name`, if [`Numbering::of`] was given it.
    fn number(&self, name: &str) -> Option<u32> {
        self.numbers.get(&*(self.key)(name)).copied()
    }

    /// The numbers of `names`, without repeats.
    fn numbers(&self, names: &[String]) -> Vec<u32> {
        let mut numbers: Vec<u32> = names.iter().filter_map(|name| self.number(name)).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }
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
        let tagged = |numbers: &[&[u32]]| {
            let mut shapes = Shapes::default();
            for tags in numbers {
                shapes.push(None, [vec![], vec![], vec![], tags.to_vec(), vec![]]);
            }
            shapes
        };
        let shares = |x: &[u32], y: &[u32]| tagged(&[x, y]).shares(Kind::Tags, 0, 1);
        assert_eq!(shares(&[1], &[65]), 0, "1 is a bit of its own and 65 in the list");
        assert_eq!(shares(&[1, 65], &[65, 129]), 1);
        assert_eq!(shares(&[65, 200], &[81, 200]), 1, "65 and 81 set the same summary bit");
        assert_eq!(shares(&[2, 3], &[3, 2]), 2);
        assert_eq!(shares(&[], &[0]), 0);
        assert_eq!(shares(&[0, 63, 64], &[63, 64, 0]), 3);
        assert_eq!(shares(&[70, 90], &[90, 70]), 2);
        assert_eq!(std::mem::size_of::<Shape>(), 64, "one cache line");
    }

    #[test]
    fn labels_are_numbered_most_used_first_then_by_name() {
        let lists = [
            vec!["b".to_owned()],
            vec!["c".to_owned(), "a".to_owned()],
            vec!["c".to_owned(), "c".to_owned()],
        ];
        let numbering = Numbering::of(lists.iter().map(Vec::as_slice), as_is);
        let number = |name: &str| numbering.numbers[name];
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
        let shapes = Shapes::of(&retros);
        let score = |a: usize, b: usize| (shapes.structure(a, b) * 1000.0).round() / 1000.0;
        assert_eq!(score(0, 1), 0.09, "two tags at most (0.06), ignoring case, and the team (0.03)");
        assert_eq!(score(0, 2), 0.03);
        assert_eq!(score(0, 3), 0.0);
        assert_eq!(shapes.tags(0, 1), 0.06, "without the team");
    }
}
