//! The searchable text of a retro, shared by the tantivy index and the static bundle.

use crate::model::Retro;
use crate::taxonomy::{Dimension, Taxonomy, Term};

/// Everything about one retro that search looks at.
#[derive(Debug)]
pub struct Record<'a> {
    /// The retro.
    pub retro: &'a Retro,
    /// Its body as plain text (Markdown stripped, code kept).
    pub body: &'a str,
    /// Its labels as words, with their descriptions and aliases ([`label_text`]).
    pub labels: String,
    /// The taxonomy aliases of its labels ([`label_aliases`]).
    pub aliases: Vec<String>,
}

impl<'a> Record<'a> {
    /// The record for a retro and its body as plain text.
    pub fn new(retro: &'a Retro, body: &'a str, taxonomy: &Taxonomy) -> Self {
        Record { retro, body, labels: label_text(retro, taxonomy), aliases: label_aliases(retro, taxonomy) }
    }

    /// Action-item titles, one per line.
    pub fn actions(&self) -> String {
        self.retro.action_items.iter().map(|item| item.title.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// The year, as text.
    pub fn year(&self) -> String {
        self.retro.date.format("%Y").to_string()
    }

    /// The date as `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        crate::format::iso_date(self.retro.date)
    }
}

/// A retro's labels (failure modes, services, contributing factors, trigger, teams, tags) as
/// words, each with its taxonomy description and aliases, one label a line: so that searching a
/// label's name (`retry-storm` or "retry storm") or an alias finds every retro that carries it.
pub fn label_text(retro: &Retro, taxonomy: &Taxonomy) -> String {
    let mut lines = Vec::new();
    for (name, term) in labels(retro, taxonomy) {
        let mut line = as_words(name);
        if let Some(term) = term {
            for alias in &term.aliases {
                line.push_str(". ");
                line.push_str(alias);
            }
            if let Some(description) = &term.description {
                line.push_str(". ");
                line.push_str(description);
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// The aliases of a retro's labels, in label order: the static page ranks the retros that carry
/// a label first when the query is one of its aliases.
pub fn label_aliases(retro: &Retro, taxonomy: &Taxonomy) -> Vec<String> {
    labels(retro, taxonomy)
        .filter_map(|(_, term)| term)
        .flat_map(|term| term.aliases.iter().cloned())
        .collect()
}

/// Each label of a retro with its taxonomy entry, if the taxonomy has one (tags have none).
fn labels<'r>(
    retro: &'r Retro,
    taxonomy: &'r Taxonomy,
) -> impl Iterator<Item = (&'r String, Option<&'r Term>)> {
    let labelled = [
        (Some(Dimension::FailureMode), retro.failure_modes.as_slice()),
        (Some(Dimension::Service), retro.services.as_slice()),
        (Some(Dimension::Factor), retro.contributing_factors.as_slice()),
        (Some(Dimension::Trigger), retro.trigger.as_slice()),
        (Some(Dimension::Team), retro.teams.as_slice()),
        (None, retro.tags.as_slice()),
    ];
    labelled.into_iter().flat_map(move |(dimension, names)| {
        names.iter().map(move |name| {
            (name, dimension.and_then(|d| taxonomy.terms(d).iter().find(|term| &term.name == name)))
        })
    })
}

/// `retry-storm` → "retry storm", `single_point_of_failure` → "single point of failure".
pub fn as_words(label: &str) -> String {
    label.replace(['-', '_'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Term;

    #[test]
    fn labels_read_as_words_with_their_aliases_and_descriptions() {
        let mut taxonomy = Taxonomy::permissive();
        taxonomy.failure_modes.push(Term {
            name: "certificate-expiry".to_owned(),
            description: Some("A certificate ran out.".to_owned()),
            team: None,
            aliases: vec!["x509".to_owned()],
        });
        let mut retro = crate::insights::testing::retro(
            "A-1",
            "2024-01-01",
            "SEV2",
            "payments-api",
            "certificate-expiry",
        );
        retro.tags = vec!["black_friday".to_owned()];
        assert_eq!(
            label_text(&retro, &taxonomy),
            "certificate expiry. x509. A certificate ran out.\npayments api\nblack friday"
        );
    }
}
