//! `lint:` in `hindsight.yaml`: a level (allow, warn, deny) per rule, applied to every finding.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::CONFIG_FILE;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::yaml;

/// What a site wants done with a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Drop the findings.
    Allow,
    /// Report them as warnings: the retro is built.
    Warn,
    /// Report them as errors: the retro is skipped.
    Deny,
}

impl Level {
    /// The level as written in `hindsight.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// The rule levels a site set, by rule. Rules it did not mention keep their default severity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "BTreeMap<String, Level>")]
pub struct Lints {
    levels: BTreeMap<Code, Level>,
    /// Keys as written that are not a rule, or levels a rule cannot take; reported by [`Lints::check`].
    problems: Vec<(String, Problem)>,
}

#[derive(Debug, Clone)]
enum Problem {
    UnknownRule,
    CannotRelax(Code, Level),
}

impl From<BTreeMap<String, Level>> for Lints {
    fn from(written: BTreeMap<String, Level>) -> Self {
        let mut lints = Lints::default();
        for (key, level) in written {
            match parse_code(&key) {
                Some(code) if level != Level::Deny && !can_relax(code) => {
                    lints.problems.push((key, Problem::CannotRelax(code, level)));
                }
                Some(code) => {
                    lints.levels.insert(code, level);
                }
                None => lints.problems.push((key, Problem::UnknownRule)),
            }
        }
        lints
    }
}

impl Lints {
    /// Site settings built in code, e.g. for tests.
    pub fn new(levels: impl IntoIterator<Item = (Code, Level)>) -> Self {
        Lints { levels: levels.into_iter().collect(), problems: Vec::new() }
    }

    /// The level a site set for `code`, if any.
    pub fn level(&self, code: Code) -> Option<Level> {
        self.levels.get(&code).copied()
    }

    /// The first problem with the `lint:` section of `config_text`, placed at its key.
    pub fn check(&self, config_text: &str) -> Result<(), Box<Diagnostic>> {
        let Some((key, problem)) = self.problems.first() else {
            return Ok(());
        };
        let (message, help) = match problem {
            Problem::UnknownRule => {
                let names = Code::ALL.iter().map(|code| code.name());
                let help = match crate::suggest::nearest(key, names) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "use a rule's code or name, e.g. `H101` or `missing-summary` \
                             (`hindsight check --explain CODE` describes one)"
                        .to_owned(),
                };
                (format!("`lint:` names unknown rule `{key}`"), help)
            }
            Problem::CannotRelax(code, level) => (
                format!("rule {} {} cannot be set to `{}`", code.code(), code.name(), level.as_str()),
                "a retro with this error cannot be read or built, so it stays an error; remove the setting"
                    .to_owned(),
            ),
        };
        let path = vec![yaml::Segment::Key("lint".to_owned()), yaml::Segment::Key(key.clone())];
        let at = yaml::locate(config_text, &path, yaml::Part::Key);
        Err(Box::new(
            Diagnostic::new(Code::InvalidSite, CONFIG_FILE, message).at(at.map(Into::into)).help(help),
        ))
    }

    /// Applies the levels: drops allowed findings and sets the severity of the others.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.levels.is_empty() {
            return;
        }
        diagnostics.retain_mut(|diagnostic| match self.level(diagnostic.code) {
            None => true,
            Some(Level::Allow) => false,
            Some(Level::Warn) => {
                diagnostic.severity = Severity::Warning;
                true
            }
            Some(Level::Deny) => {
                diagnostic.severity = Severity::Error;
                true
            }
        });
    }
}

/// A rule by its code (`H101`, any case) or its name (`missing-summary`).
pub fn parse_code(text: &str) -> Option<Code> {
    let text = text.trim();
    Code::ALL.iter().copied().find(|code| code.code().eq_ignore_ascii_case(text) || code.name() == text)
}

/// Whether a rule's errors may be turned into warnings or dropped. Not when the file cannot be
/// read or parsed, a required field or the id is unusable, or the site files are broken: there
/// is then no retro (or no site) to build.
pub fn can_relax(code: Code) -> bool {
    !matches!(
        code,
        Code::MissingField
            | Code::WrongType
            | Code::YamlSyntax
            | Code::InvalidDate
            | Code::DuplicateId
            | Code::UnsafeId
            | Code::NotUtf8
            | Code::EmptyFile
            | Code::NoFrontMatter
            | Code::InvalidSite
            | Code::Unreadable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lints(text: &str) -> Lints {
        #[derive(Deserialize)]
        struct Site {
            lint: Lints,
        }
        crate::yaml::parse::<Site>(text).unwrap().lint
    }

    #[test]
    fn rules_are_named_by_code_or_name() {
        let lints = lints("lint:\n  h101: allow\n  no-action-items: deny\n");
        assert_eq!(lints.level(Code::MissingSummary), Some(Level::Allow));
        assert_eq!(lints.level(Code::NoActionItems), Some(Level::Deny));
        assert_eq!(lints.level(Code::UnknownKey), None);
    }

    #[test]
    fn unknown_rules_and_impossible_levels_are_placed_at_their_key() {
        let text = "title: x\nlint:\n  missing-sumary: warn\n";
        let error = lints(text).check(text).unwrap_err();
        assert_eq!(error.location.map(|l| (l.line, l.column)), Some((3, 3)));
        assert_eq!(error.help.as_deref(), Some("did you mean `missing-summary`?"));
        let text = "lint:\n  yaml-syntax: allow\n";
        let error = lints(text).check(text).unwrap_err();
        assert_eq!(error.message, "rule H004 yaml-syntax cannot be set to `allow`");
        let text = "lint:\n  yaml-syntax: deny\n";
        assert!(lints(text).check(text).is_ok());
    }

    #[test]
    fn apply_drops_downgrades_and_upgrades() {
        let lints = Lints::new([
            (Code::MissingSummary, Level::Allow),
            (Code::UnknownRelated, Level::Warn),
            (Code::NoActionItems, Level::Deny),
        ]);
        let mut found = vec![
            Diagnostic::new(Code::MissingSummary, "a.md", "x"),
            Diagnostic::new(Code::UnknownRelated, "a.md", "x"),
            Diagnostic::new(Code::NoActionItems, "a.md", "x"),
            Diagnostic::new(Code::UnknownKey, "a.md", "x"),
        ];
        lints.apply(&mut found);
        let seen: Vec<(Code, Severity)> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            seen,
            [
                (Code::UnknownRelated, Severity::Warning),
                (Code::NoActionItems, Severity::Error),
                (Code::UnknownKey, Severity::Warning)
            ]
        );
    }
}
