//! "Did you mean …?": the nearest valid name for a misspelt one.

/// Returns the candidate closest to `input`, if any is close enough to be a likely typo.
pub fn nearest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&input_lower, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, candidate)| {
            // Allow about one edit per three characters, and always at least two.
            *distance <= (candidate.chars().count() / 3).max(2)
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// Formats the help line for an unknown value: the nearest name, or the list to choose from.
pub fn help_for(input: &str, candidates: &[&str]) -> String {
    match nearest(input, candidates.iter().copied()) {
        Some(best) => format!("did you mean \"{best}\"?"),
        None if candidates.len() <= 12 => format!("expected one of: {}", candidates.join(", ")),
        None => format!("expected one of {} names, e.g. {}", candidates.len(), candidates[..6].join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_transpositions_and_rejects_strangers() {
        let names = ["retry-storm", "dns-failure", "memory-leak"];
        assert_eq!(nearest("retry-strom", names), Some("retry-storm"));
        assert_eq!(nearest("DNS-failur", names), Some("dns-failure"));
        assert_eq!(nearest("kernel-panic", names), None);
    }

    #[test]
    fn help_lists_choices_when_nothing_is_close() {
        assert_eq!(help_for("x", &["open", "done"]), "expected one of: open, done");
        assert_eq!(help_for("opne", &["open", "done"]), "did you mean \"open\"?");
    }
}
