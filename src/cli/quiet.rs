//! What `build` prints: at most [`PER_RULE`] diagnostics of each rule, errors first, then one line
//! per rule counting the rest, so a library with the same warning in every retro still shows its
//! errors and its summary line. `--verbose` and `hindsight check` print every one.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, Severity};

/// How many diagnostics of one rule and level a build prints.
pub(crate) const PER_RULE: usize = 20;

/// The diagnostics to print, errors first (each group in the order given), and a line for each
/// rule with some left out.
pub(crate) fn limit(diagnostics: &[Diagnostic], per_rule: usize) -> (Vec<&Diagnostic>, Vec<String>) {
    let mut shown = Vec::new();
    // (errors first, code) -> how many of them were seen
    let mut seen: BTreeMap<(bool, &'static str), (Code, Severity, usize)> = BTreeMap::new();
    for errors in [true, false] {
        for diagnostic in diagnostics.iter().filter(|d| d.is_error() == errors) {
            let entry = seen.entry((!errors, diagnostic.code.code())).or_insert((
                diagnostic.code,
                diagnostic.severity,
                0,
            ));
            entry.2 += 1;
            if entry.2 <= per_rule {
                shown.push(diagnostic);
            }
        }
    }
    let omitted = seen
        .into_values()
        .filter(|&(_, _, count)| count > per_rule)
        .map(|(code, severity, count)| {
            let kind = if severity == Severity::Error { "error" } else { "warning" };
            let rest = count - per_rule;
            format!(
                "… and {} more {} {} {kind}{}; `hindsight check` lists them all",
                crate::format::thousands(rest as u64),
                code.code(),
                code.name(),
                if rest == 1 { "" } else { "s" }
            )
        })
        .collect();
    (shown, omitted)
}

#[cfg(test)]
mod tests {
    use super::limit;
    use crate::diagnostic::{Code, Diagnostic};

    fn warning(file: &str) -> Diagnostic {
        Diagnostic::new(Code::MissingSummary, file, "no summary").as_warning()
    }

    #[test]
    fn keeps_the_first_of_each_rule_and_counts_the_rest_errors_first() {
        let mut all: Vec<Diagnostic> = (0..25).map(|n| warning(&format!("content/{n:02}.md"))).collect();
        all.push(Diagnostic::new(Code::InvalidSite, "hindsight.yaml", "broken"));
        let (shown, omitted) = limit(&all, 20);
        assert_eq!(shown.len(), 21);
        assert!(shown[0].is_error(), "errors come first");
        assert_eq!(shown[1].file.to_str(), Some("content/00.md"));
        assert_eq!(shown[20].file.to_str(), Some("content/19.md"));
        let code = Code::MissingSummary;
        assert_eq!(
            omitted,
            [format!(
                "… and 5 more {} {} warnings; `hindsight check` lists them all",
                code.code(),
                code.name()
            )]
        );
    }

    #[test]
    fn nothing_is_left_out_under_the_limit() {
        let all: Vec<Diagnostic> = (0..20).map(|n| warning(&n.to_string())).collect();
        let (shown, omitted) = limit(&all, 20);
        assert_eq!(shown.len(), 20);
        assert!(omitted.is_empty());
    }
}
