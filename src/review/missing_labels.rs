//! H111 likely-missing-label: a failure mode or contributing factor most of a retro's nearest
//! retros carry and it lacks.
//!
//! "Nearest" is by text (and shared tags) only, never by the labels themselves: otherwise a
//! retro would be near the retros that share its labels, and their other labels would be
//! suggested because they were already alike. The rule is tuned for precision, not recall (see
//! `examples/missing_labels.rs` and docs/diagnostics.md for the figures): a wrong suggestion
//! teaches authors to ignore it. It runs in `hindsight check` only, since it is about the whole
//! library and never stops a build.

use rayon::prelude::*;

use crate::config::{Level, Lints};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Retro;
use crate::similar::{self, Model};
use crate::yaml::{self, Part};

/// How many of the retros most like a retro are asked.
pub const NEIGHBOURS: usize = 5;
/// How many of them must carry a label the retro lacks for H111 to suggest it.
pub const MIN_AGREEING: usize = 4;
/// Below this similarity a retro is no neighbour, whatever its rank.
pub const MIN_SIMILARITY: f64 = 0.1;

/// A label that most of a retro's nearest retros carry and the retro lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The front-matter key it belongs under: `failure_modes` or `contributing_factors`.
    pub key: &'static str,
    /// "failure mode" or "contributing factor".
    pub what: &'static str,
    /// The label.
    pub name: String,
    /// The ids of the nearest retros that carry it, nearest first.
    pub ids: Vec<String>,
}

/// One label list of a retro.
type LabelList = fn(&Retro) -> &[String];

/// The label lists H111 looks at: key, what one label is called, and the list of a retro.
const LISTS: [(&str, &str, LabelList); 2] = [
    ("failure_modes", "failure mode", |retro| &retro.failure_modes),
    ("contributing_factors", "contributing factor", |retro| &retro.contributing_factors),
];

/// For every retro of `retros`, the indices of the up to `count` others most like it by text
/// and tags, nearest first, with their similarity.
pub fn neighbours(retros: &[Retro], count: usize) -> Vec<Vec<(usize, f64)>> {
    let bodies = similar::plain_bodies(retros);
    let texts: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let model = Model::of_retros(retros, &texts);
    (0..retros.len()).into_par_iter().map(|index| model.text_neighbours(index, count)).collect()
}

/// The labels at least `min_agreeing` of `nearest` carry that `retro` lacks, failure modes first,
/// most agreed first.
pub fn missing(retro: &Retro, nearest: &[&Retro], min_agreeing: usize) -> Vec<Missing> {
    let mut found = Vec::new();
    for (key, what, list) in LISTS {
        let mut counts: Vec<(&String, Vec<String>)> = Vec::new();
        for other in nearest {
            for name in list(other).iter().filter(|name| !list(retro).contains(name)) {
                match counts.iter_mut().find(|(known, _)| *known == name) {
                    Some((_, ids)) => ids.push(other.id.clone()),
                    None => counts.push((name, vec![other.id.clone()])),
                }
            }
        }
        counts.retain(|(_, ids)| ids.len() >= min_agreeing.max(1));
        counts.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        found.extend(counts.into_iter().map(|(name, ids)| Missing { key, what, name: name.clone(), ids }));
    }
    found
}

/// H111 over `retros` (every valid retro, drafts included), at the levels of `lints`.
pub fn review(retros: &[Retro], lints: &Lints) -> Vec<Diagnostic> {
    if lints.level(Code::LikelyMissingLabel) == Some(Level::Allow) || retros.len() < 2 {
        return Vec::new();
    }
    let all = neighbours(retros, NEIGHBOURS);
    let mut found: Vec<Diagnostic> = retros
        .par_iter()
        .zip(&all)
        .flat_map_iter(|(retro, nearest)| {
            let nearest: Vec<&Retro> = nearest
                .iter()
                .filter(|(_, similarity)| *similarity >= MIN_SIMILARITY)
                .map(|&(index, _)| &retros[index])
                .collect();
            let asked = nearest.len();
            missing(retro, &nearest, MIN_AGREEING)
                .into_iter()
                .map(move |label| diagnostic(retro, &label, asked))
        })
        .collect();
    lints.apply(&mut found);
    found
}

/// The finding for `label`, placed on the key of its list (or the opening `---` without one).
fn diagnostic(retro: &Retro, label: &Missing, asked: usize) -> Diagnostic {
    let target = [(yaml::path_from_dotted(label.key), Part::Key)];
    let at = retro.file.locate_all(&target).pop().flatten().unwrap_or(retro.file.opening());
    let message =
        format!("{} \"{}\" may be missing: the retros most like this one have it", label.what, label.name);
    let help = format!(
        "{} of the {asked} most similar retros have {} \"{}\" ({}): add it to `{}` if it applies",
        label.ids.len(),
        label.what,
        label.name,
        label.ids.join(", "),
        label.key
    );
    retro.file.diagnostic(Code::LikelyMissingLabel, message).at(Some(at)).help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retro(id: &str, modes: &str, factors: &str) -> Retro {
        let text = format!(
            "---\nid: {id}\ntitle: t\ndate: 2024-03-01\nseverity: SEV3\nservices: [a]\nfailure_modes: [{modes}]\ncontributing_factors: [{factors}]\n---\n"
        );
        crate::validate::retro_from_text(id, text)
    }

    #[test]
    fn a_label_enough_neighbours_carry_is_missing_unless_the_retro_has_it() {
        let me = retro("ME", "x", "f");
        let others = [
            retro("A", "storm, y", "f"),
            retro("B", "storm", "g"),
            retro("C", "storm", "g"),
            retro("D", "y", "g"),
        ];
        let nearest: Vec<&Retro> = others.iter().collect();
        let found = missing(&me, &nearest, 3);
        let names: Vec<(&str, &str, usize)> =
            found.iter().map(|m| (m.key, m.name.as_str(), m.ids.len())).collect();
        assert_eq!(names, [("failure_modes", "storm", 3), ("contributing_factors", "g", 3)]);
        assert_eq!(found[0].ids, ["A", "B", "C"]);
        assert!(missing(&me, &nearest, 4).is_empty());
        assert!(missing(&retro("ME", "storm", "g"), &nearest, 3).is_empty());
    }
}
