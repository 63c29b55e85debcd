//! Severities as other templates write them (`SEV1`, `Sev 2`, `P1`, `Priority: high`,
//! `Critical`) mapped onto the taxonomy's severities, with `import.severity_map` from
//! `hindsight.yaml` taking precedence.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::taxonomy::Taxonomy;

/// `SEV1`, `Sev 2`, `sev-3`, `Severity 2`, `S1`, `P1`, `Priority 2`, `level 1`.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(sev(?:erity)?|s|p|priority|pri|level|lvl)?[\s_-]?(\d)\b").expect("valid regex")
});
/// A severity written in a title or sentence: only the unmistakable `SEV2` / `Sev 2` forms.
static INLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bsev(?:erity)?[\s-]?(\d)\b|[\[(](P\d)[\])]").expect("valid regex"));

/// Words for severity, and the taxonomy rank (0 = most severe) each means.
const WORDS: &[(&str, usize)] = &[
    ("critical", 0),
    ("blocker", 0),
    ("urgent", 0),
    ("highest", 0),
    ("emergency", 0),
    ("high", 1),
    ("major", 1),
    ("serious", 1),
    ("medium", 2),
    ("moderate", 2),
    ("minor", 2),
    ("normal", 2),
    ("low", 3),
    ("lowest", 3),
    ("trivial", 3),
    ("cosmetic", 3),
];

/// How severities are compared: case, spaces, `-` and `_` ignored.
pub fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Maps a written severity onto a taxonomy name.
pub fn map(written: &str, taxonomy: &Taxonomy, overrides: &BTreeMap<String, String>) -> Option<String> {
    let key = normalise(written);
    if key.is_empty() {
        return None;
    }
    let overridden = |key: &str| overrides.iter().find(|(k, _)| normalise(k) == key).map(|(_, v)| v.clone());
    if let Some(name) = overridden(&key) {
        return Some(name);
    }
    let names: Vec<&str> = taxonomy.severities.iter().map(|t| t.name.as_str()).collect();
    if let Some(name) = names.iter().find(|n| normalise(n) == key) {
        return Some((*name).to_owned());
    }
    if let Some(c) = NUMBERED.captures(written) {
        let token = normalise(c.get(0).map_or("", |m| m.as_str()));
        if let Some(name) = overridden(&token)
            .or_else(|| names.iter().find(|n| normalise(n) == token).map(|n| (*n).to_owned()))
        {
            return Some(name);
        }
        let digit: usize = c[2].parse().ok()?;
        // SEV2 and P2 both mean the taxonomy's severity numbered 2; P0 (or SEV0) the most severe.
        if let Some(name) = names.iter().find(|n| digit_of(n) == Some(digit)) {
            return Some((*name).to_owned());
        }
        let rank = digit.saturating_sub(1).min(names.len().checked_sub(1)?);
        return names.get(rank).map(|n| (*n).to_owned());
    }
    let lower = written.to_lowercase();
    let rank = WORDS
        .iter()
        .find(|(word, _)| lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *word))
        .map(|(_, rank)| *rank)?;
    names.get(rank.min(names.len().checked_sub(1)?)).map(|n| (*n).to_owned())
}

/// The single digit in a severity name: 2 for `SEV2`.
fn digit_of(name: &str) -> Option<usize> {
    let digits: String = name.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 1 { digits.parse().ok() } else { None }
}

/// A severity written inside running text or a title, as written (`Sev 2`, `[P1]`).
pub fn inline(text: &str) -> Option<String> {
    let c = INLINE.captures(text)?;
    c.get(1)
        .or_else(|| c.get(2))
        .map(|_| c.get(0).map_or("", |m| m.as_str()).trim_matches(['[', ']', '(', ')']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_map_onto_the_taxonomy() {
        let taxonomy = Taxonomy::permissive();
        let none = BTreeMap::new();
        for (written, expected) in [
            ("SEV1", "SEV1"),
            ("Sev 2", "SEV2"),
            ("sev-3 (minor)", "SEV3"),
            ("P1", "SEV1"),
            ("P0", "SEV1"),
            ("Priority 4", "SEV4"),
            ("high", "SEV2"),
            ("Critical", "SEV1"),
            ("Low impact", "SEV4"),
            ("2", "SEV2"),
        ] {
            assert_eq!(map(written, &taxonomy, &none).as_deref(), Some(expected), "{written}");
        }
        assert_eq!(map("unclear", &taxonomy, &none), None);
        let overrides =
            BTreeMap::from([("P1".to_owned(), "SEV2".to_owned()), ("high".to_owned(), "SEV3".to_owned())]);
        assert_eq!(map("p-1", &taxonomy, &overrides).as_deref(), Some("SEV2"));
        assert_eq!(map("High", &taxonomy, &overrides).as_deref(), Some("SEV3"));
    }

    #[test]
    fn inline_forms_are_only_the_unmistakable_ones() {
        assert_eq!(inline("Sev 2: checkout errors").as_deref(), Some("Sev 2"));
        assert_eq!(inline("[P1] Login down").as_deref(), Some("P1"));
        assert_eq!(inline("P1 of the plan"), None);
        assert_eq!(inline("Several issues"), None);
    }
}
