//! `taxonomy.yaml`: the controlled vocabulary retros are validated against.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::{fsutil, suggest, yaml};

/// The name of the taxonomy file at the site root.
pub const TAXONOMY_FILE: &str = "taxonomy.yaml";

/// A named value with an optional description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The key retros use.
    pub name: String,
    /// What it means, shown on its index page.
    pub description: Option<String>,
    /// The owning team (services only).
    pub team: Option<String>,
    /// Other words people use for it ("cert expired" for `certificate-expiry`): searchable,
    /// and named in the help when a retro writes one instead of the name.
    pub aliases: Vec<String>,
}

/// The kinds of controlled values a retro refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// `severity`.
    Severity,
    /// `services`.
    Service,
    /// `teams`.
    Team,
    /// `failure_modes`.
    FailureMode,
    /// `contributing_factors`.
    Factor,
    /// `trigger`.
    Trigger,
}

impl Dimension {
    /// How a value of this dimension is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Severity => "severity",
            Dimension::Service => "service",
            Dimension::Team => "team",
            Dimension::FailureMode => "failure mode",
            Dimension::Factor => "contributing factor",
            Dimension::Trigger => "trigger",
        }
    }

    /// The key of this dimension's list in `taxonomy.yaml`.
    pub fn taxonomy_key(self) -> &'static str {
        match self {
            Dimension::Severity => "severities",
            Dimension::Service => "services",
            Dimension::Team => "teams",
            Dimension::FailureMode => "failure_modes",
            Dimension::Factor => "contributing_factors",
            Dimension::Trigger => "triggers",
        }
    }
}

/// The library's vocabulary.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Whether a taxonomy file exists; without one every value is accepted.
    pub present: bool,
    /// Severities, most severe first.
    pub severities: Vec<Term>,
    /// Services and their owning teams.
    pub services: Vec<Term>,
    /// Teams.
    pub teams: Vec<Term>,
    /// Failure modes.
    pub failure_modes: Vec<Term>,
    /// Contributing factors.
    pub contributing_factors: Vec<Term>,
    /// Triggers.
    pub triggers: Vec<Term>,
}

/// Why a value was refused, with the help text for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// "did you mean …?" or the list of valid names.
    pub help: String,
}

impl Taxonomy {
    /// The vocabulary used when there is no taxonomy file.
    pub fn permissive() -> Self {
        Taxonomy {
            present: false,
            severities: default_severities(),
            services: Vec::new(),
            teams: Vec::new(),
            failure_modes: Vec::new(),
            contributing_factors: Vec::new(),
            triggers: Vec::new(),
        }
    }

    /// The terms of one dimension.
    pub fn terms(&self, dimension: Dimension) -> &[Term] {
        match dimension {
            Dimension::Severity => &self.severities,
            Dimension::Service => &self.services,
            Dimension::Team => &self.teams,
            Dimension::FailureMode => &self.failure_modes,
            Dimension::Factor => &self.contributing_factors,
            Dimension::Trigger => &self.triggers,
        }
    }

    /// Looks a value up; `Ok(None)` means accepted without a taxonomy entry.
    pub fn check(&self, dimension: Dimension, value: &str) -> Result<Option<&Term>, Unknown> {
        let terms = self.terms(dimension);
        if let Some(term) = terms.iter().find(|term| term.name == value) {
            return Ok(Some(term));
        }
        // Without a taxonomy file everything is accepted; with one, a dimension left empty
        // (e.g. no triggers listed) is taken as "not controlled" rather than "nothing allowed".
        if !self.present || terms.is_empty() {
            return Ok(None);
        }
        if let Some(term) =
            terms.iter().find(|term| term.aliases.iter().any(|a| a.eq_ignore_ascii_case(value)))
        {
            let help = format!(
                "\"{value}\" is an alias of {} \"{}\": write \"{}\"",
                dimension.label(),
                term.name,
                term.name
            );
            return Err(Unknown { help });
        }
        let names: Vec<&str> = terms.iter().map(|term| term.name.as_str()).collect();
        Err(Unknown { help: suggest::help_for(value, &names) })
    }

    /// The position of a severity in the taxonomy order (unknown severities sort last).
    pub fn severity_rank(&self, name: &str) -> usize {
        self.severities.iter().position(|term| term.name == name).unwrap_or(self.severities.len())
    }

    /// The owning team of a service, if the taxonomy names one.
    pub fn team_of(&self, service: &str) -> Option<&str> {
        self.services.iter().find(|term| term.name == service)?.team.as_deref()
    }
}

fn default_severities() -> Vec<Term> {
    [
        ("SEV1", "Critical: a core customer journey is down or data is at risk."),
        ("SEV2", "Major: a core journey is badly degraded for many customers."),
        ("SEV3", "Minor: partial degradation with a workaround, or few customers affected."),
        ("SEV4", "Low: no customer impact, or a near miss worth learning from."),
    ]
    .into_iter()
    .map(|(name, description)| Term {
        name: name.to_owned(),
        description: Some(description.to_owned()),
        team: None,
        aliases: Vec::new(),
    })
    .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawTaxonomy {
    severities: Option<Vec<RawTerm>>,
    services: Vec<RawTerm>,
    teams: Vec<RawTerm>,
    failure_modes: Vec<RawTerm>,
    contributing_factors: Vec<RawTerm>,
    triggers: Vec<RawTerm>,
}

/// A term written either as a bare name or as a mapping with a description.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawTerm {
    Name(String),
    Full {
        name: String,
        description: Option<String>,
        team: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
    },
}

impl From<RawTerm> for Term {
    fn from(raw: RawTerm) -> Self {
        match raw {
            RawTerm::Name(name) => Term { name, description: None, team: None, aliases: Vec::new() },
            RawTerm::Full { name, description, team, aliases } => Term { name, description, team, aliases },
        }
    }
}

/// The taxonomy and any warnings about it.
pub type Loaded = (Taxonomy, Vec<Diagnostic>);

/// Reads `taxonomy.yaml` under `root`; without one, a permissive taxonomy and a warning.
pub fn load(root: &Path) -> Result<Loaded, Box<Diagnostic>> {
    let path = root.join(TAXONOMY_FILE);
    let text = match fsutil::read_optional_string(&path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            let warning = Diagnostic::new(
                Code::NoTaxonomy,
                TAXONOMY_FILE,
                "no taxonomy.yaml: every service, failure mode, factor, team and trigger is accepted",
            )
            .help("add a taxonomy.yaml listing the valid values, so typos are caught");
            return Ok((Taxonomy::permissive(), vec![warning]));
        }
        Err(e) => {
            return Err(Box::new(Diagnostic::new(Code::InvalidSite, TAXONOMY_FILE, e.to_string())));
        }
    };
    let text: Arc<String> = text.into();
    crate::diagnostic::quoting(parse(&text), &text)
}

/// The taxonomy written in `text`, and warnings about it.
fn parse(text: &str) -> Result<(Taxonomy, Vec<Diagnostic>), Box<Diagnostic>> {
    let (raw, unknown): (RawTaxonomy, _) = yaml::parse_with_unknown_keys(text)
        .map_err(|e| Box::new(Diagnostic::from_yaml(TAXONOMY_FILE, &e, 1).with_code(Code::InvalidSite)))?;
    let taxonomy = Taxonomy {
        present: true,
        severities: raw
            .severities
            .map_or_else(default_severities, |list| list.into_iter().map(Term::from).collect()),
        services: raw.services.into_iter().map(Term::from).collect(),
        teams: raw.teams.into_iter().map(Term::from).collect(),
        failure_modes: raw.failure_modes.into_iter().map(Term::from).collect(),
        contributing_factors: raw.contributing_factors.into_iter().map(Term::from).collect(),
        triggers: raw.triggers.into_iter().map(Term::from).collect(),
    };
    check_consistency(&taxonomy, text)?;
    let warnings = unknown
        .iter()
        .map(|key| {
            let at = yaml::locate(text, &yaml::path_from_dotted(key), yaml::Part::Key);
            Diagnostic::new(Code::UnknownKey, TAXONOMY_FILE, format!("unknown taxonomy key `{key}`"))
                .at(at.map(Into::into))
                .help("taxonomy.yaml knows severities, services, teams, failure_modes, contributing_factors and triggers")
        })
        .collect();
    Ok((taxonomy, warnings))
}

/// Duplicate names and services owned by unknown teams make every later message unreliable.
fn check_consistency(taxonomy: &Taxonomy, text: &str) -> Result<(), Box<Diagnostic>> {
    let dimensions = [
        Dimension::Severity,
        Dimension::Service,
        Dimension::Team,
        Dimension::FailureMode,
        Dimension::Factor,
        Dimension::Trigger,
    ];
    for dimension in dimensions {
        let mut seen = HashSet::new();
        for (index, term) in taxonomy.terms(dimension).iter().enumerate() {
            if !seen.insert(term.name.as_str()) {
                let path = format!("{}.{index}", dimension.taxonomy_key());
                return Err(site_error(
                    text,
                    &path,
                    format!("{} \"{}\" is listed twice", dimension.label(), term.name),
                    "remove one of the entries",
                ));
            }
        }
        check_aliases(taxonomy.terms(dimension), dimension, text)?;
    }
    for (index, service) in taxonomy.services.iter().enumerate() {
        if let Some(team) = &service.team
            && let Err(unknown) = taxonomy.check(Dimension::Team, team)
        {
            let path = format!("services.{index}.team");
            return Err(site_error(
                text,
                &path,
                format!("service \"{}\" names unknown team \"{team}\"", service.name),
                &unknown.help,
            ));
        }
    }
    Ok(())
}

/// An alias names one entry of its vocabulary: it is never another entry's name, nor another
/// entry's alias (compared ignoring case, as retros are matched).
fn check_aliases(terms: &[Term], dimension: Dimension, text: &str) -> Result<(), Box<Diagnostic>> {
    let names: HashSet<String> = terms.iter().map(|term| term.name.to_lowercase()).collect();
    let mut owners: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for (index, term) in terms.iter().enumerate() {
        for (position, alias) in term.aliases.iter().enumerate() {
            let path = format!("{}.{index}.aliases.{position}", dimension.taxonomy_key());
            let key = alias.to_lowercase();
            if names.contains(&key) && key != term.name.to_lowercase() {
                let message = format!(
                    "alias \"{alias}\" of {} \"{}\" is the name of another entry",
                    dimension.label(),
                    term.name
                );
                return Err(site_error(
                    text,
                    &path,
                    message,
                    "remove the alias: a name cannot stand for another entry",
                ));
            }
            match owners.insert(key, &term.name) {
                Some(owner) if owner != term.name => {
                    let message = format!("alias \"{alias}\" names both \"{owner}\" and \"{}\"", term.name);
                    return Err(site_error(text, &path, message, "keep the alias on one entry only"));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn site_error(text: &str, dotted: &str, message: String, help: &str) -> Box<Diagnostic> {
    let at = yaml::locate(text, &yaml::path_from_dotted(dotted), yaml::Part::Value);
    Box::new(Diagnostic::new(Code::InvalidSite, TAXONOMY_FILE, message).at(at.map(Into::into)).help(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_ALIASES: &str = "failure_modes:\n  - name: certificate-expiry\n    aliases: [\"cert expired\", x509]\n  - dns-failure\n";

    #[test]
    fn a_retro_that_writes_an_alias_is_told_the_name() {
        let (taxonomy, warnings) = parse(WITH_ALIASES).expect("parses");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(taxonomy.failure_modes[0].aliases, ["cert expired", "x509"]);
        let unknown = taxonomy.check(Dimension::FailureMode, "X509").expect_err("an alias is not a name");
        assert_eq!(
            unknown.help,
            "\"X509\" is an alias of failure mode \"certificate-expiry\": write \"certificate-expiry\""
        );
        assert!(taxonomy.check(Dimension::FailureMode, "certificate-expiry").is_ok());
    }

    #[test]
    fn an_alias_is_never_another_entrys_name_nor_shared() {
        let named = parse("failure_modes:\n  - {name: a, aliases: [b]}\n  - b\n").expect_err("refused");
        assert_eq!(named.message, "alias \"b\" of failure mode \"a\" is the name of another entry");
        assert_eq!(named.location.map(|l| (l.line, l.column)), Some((2, 25)));
        let shared = parse("services:\n  - {name: a, aliases: [x]}\n  - {name: b, aliases: [X]}\n")
            .expect_err("refused");
        assert_eq!(shared.message, "alias \"X\" names both \"a\" and \"b\"");
    }
}
