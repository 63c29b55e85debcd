//! Field-by-field conversion of raw front matter into the model.

use chrono::NaiveDate;

use super::Checker;
use crate::diagnostic::Code;
use crate::frontmatter::RawFrontMatter;
use crate::model::{ActionItem, Detection, Impact, Kind, Link, Retro, Status, Timeline, Visibility};
use crate::suggest;
use crate::taxonomy::Dimension;

/// Whether `id` is safe as a file name and URL segment.
pub fn is_safe_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Whether `id` would name the page of a folder rather than a retro: `retros/index.html` is the
/// list of all retros, and a retro called `index` (in any case, for case-insensitive disks)
/// would silently replace it.
pub fn is_reserved_id(id: &str) -> bool {
    id.eq_ignore_ascii_case(crate::urls::RESERVED_SLUG)
}

/// The fields without which there is no retro.
struct Required {
    id: String,
    title: String,
    date: NaiveDate,
    severity: String,
    services: Vec<String>,
    failure_modes: Vec<String>,
}

/// Labels beside the required ones.
struct Labels {
    contributing_factors: Vec<String>,
    trigger: Option<String>,
    teams: Vec<String>,
}

/// The other fields that needed checking.
struct Others {
    timeline: Timeline,
    labels: Labels,
    status: Status,
    summary: Option<String>,
    action_items: Vec<ActionItem>,
    links: Vec<Link>,
    review_date: Option<NaiveDate>,
}

impl Checker<'_> {
    /// Converts every field; `None` when a required field is unusable. Findings at the same
    /// position keep the order of the checks here.
    pub(super) fn build_retro(&mut self, mut raw: RawFrontMatter) -> Option<Retro> {
        let id = self.id(raw.id.take());
        let title =
            self.required_text(raw.title.take(), "title", "add `title: \"What failed, in one line\"`");
        let timeline = self.timeline(&raw.timeline);
        let date = self.date(raw.date.take(), &timeline, raw.timeline.started.is_some());
        let severity = self.severity(raw.severity.take());
        let services = self.controlled_list(raw.services.take(), "services", Dimension::Service);
        let failure_modes =
            self.controlled_list(raw.failure_modes.take(), "failure_modes", Dimension::FailureMode);
        let labels = self.labels(&mut raw, services.as_deref().unwrap_or_default());
        let status = self
            .choice(raw.status.take(), "status", Status::parse, Status::names)
            .unwrap_or(Status::Published);
        let summary = self.summary(raw.summary.take(), status);
        let action_items = self.follow_up(std::mem::take(&mut raw.action_items), status);
        let links = self.links(std::mem::take(&mut raw.links));
        let review_date = raw.review_date.take().and_then(|d| self.parse_date(&d, "review_date"));
        let required = Required {
            id: id?,
            title: title?,
            date: date?,
            severity: severity?,
            services: services?,
            failure_modes: failure_modes?,
        };
        let others = Others { timeline, labels, status, summary, action_items, links, review_date };
        Some(self.assemble(required, others, raw))
    }

    /// Contributing factors, trigger and teams (by default the owners of the services).
    fn labels(&mut self, raw: &mut RawFrontMatter, services: &[String]) -> Labels {
        let factors = std::mem::take(&mut raw.contributing_factors);
        let contributing_factors = self.checked_values(factors, "contributing_factors", Dimension::Factor);
        let trigger = raw.trigger.take().filter(|t| !t.trim().is_empty());
        if let Some(value) = &trigger {
            self.check_value(Dimension::Trigger, value, "trigger");
        }
        let teams = match raw.teams.take() {
            Some(teams) => self.checked_values(teams, "teams", Dimension::Team),
            None => self.default_teams(services),
        };
        Labels { contributing_factors, trigger, teams }
    }

    /// The summary; a retro past draft without one is reported.
    fn summary(&mut self, summary: Option<String>, status: Status) -> Option<String> {
        let summary = summary.filter(|s| !s.trim().is_empty());
        if summary.is_none() && status != Status::Draft {
            self.push(
                Code::MissingSummary,
                self.front_matter_start(),
                "no `summary`".to_owned(),
                "add `summary:` with 1-3 sentences for stakeholders: what happened, the impact, what changes"
                    .to_owned(),
            );
        }
        summary
    }

    /// The action items; a published retro without any is reported.
    fn follow_up(&mut self, raw: Vec<crate::frontmatter::RawActionItem>, status: Status) -> Vec<ActionItem> {
        let action_items = self.action_items(raw);
        if action_items.is_empty() && status == Status::Published {
            self.push(
                Code::NoActionItems,
                self.front_matter_start(),
                "published retro without action items".to_owned(),
                "add `action_items:`, or say in the body why no follow-up is needed".to_owned(),
            );
        }
        action_items
    }

    /// The retro, from its checked fields and what is left of the raw front matter (whose
    /// choices are checked only once every required field is usable).
    fn assemble(&mut self, required: Required, others: Others, raw: RawFrontMatter) -> Retro {
        let Labels { contributing_factors, trigger, teams } = others.labels;
        Retro {
            id: required.id,
            source: self.file.path.clone(),
            title: required.title,
            date: required.date,
            severity_rank: self.taxonomy.severity_rank(&required.severity),
            severity: required.severity,
            status: others.status,
            kind: self.choice(raw.kind, "kind", Kind::parse, Kind::names).unwrap_or(Kind::Incident),
            summary: others.summary,
            services: required.services,
            failure_modes: required.failure_modes,
            contributing_factors,
            trigger,
            detection: self.choice(raw.detection, "detection", Detection::parse, Detection::names),
            impact: raw.impact.map(|i| Impact {
                level: i.level,
                customer_facing: i.customer_facing,
                users_affected: i.users_affected,
                description: i.description,
            }),
            timeline: others.timeline,
            teams,
            authors: raw.authors,
            incident_commander: raw.incident_commander,
            facilitator: raw.facilitator,
            review_date: others.review_date,
            related: raw.related,
            tags: raw.tags.into_iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
            links: others.links,
            visibility: self
                .choice(raw.visibility, "visibility", Visibility::parse, Visibility::names)
                .unwrap_or(Visibility::Internal),
            action_items: others.action_items,
            file: self.file.clone(),
        }
    }

    fn id(&mut self, explicit: Option<String>) -> Option<String> {
        let (id, written) = match explicit {
            Some(id) => (id, true),
            None => (self.file.stem(), false),
        };
        let message = if is_reserved_id(&id) {
            format!("the id {id:?} is reserved: retros/index.html is the list of all retros")
        } else if is_safe_id(&id) {
            return Some(id);
        } else {
            format!("unsafe id {id:?}: ids must match [A-Za-z0-9][A-Za-z0-9._-]*")
        };
        if written {
            self.at_value(
                Code::UnsafeId,
                "id",
                message,
                "use letters, digits, `.`, `_` and `-`, e.g. `INC-2024-007`".to_owned(),
            );
        } else {
            let help = "the id comes from the file name: rename the file, or set `id:` in the front matter"
                .to_owned();
            self.push(Code::UnsafeId, self.front_matter_start(), message, help);
        }
        None
    }

    pub(super) fn required_text(&mut self, value: Option<String>, key: &str, help: &str) -> Option<String> {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(value) => Some(value),
            None => {
                self.missing(key, help);
                None
            }
        }
    }

    fn severity(&mut self, value: Option<String>) -> Option<String> {
        let value = self.required_text(
            value,
            "severity",
            "add `severity:` with one of the taxonomy's severities, e.g. `severity: SEV2`",
        )?;
        // An unknown severity is reported, and the retro is skipped for it unless the site relaxed
        // H001; then the retro keeps the value and sorts after the taxonomy's severities.
        self.check_value(Dimension::Severity, &value, "severity");
        Some(value)
    }

    /// Checks a value against the taxonomy; reports and returns false when it is unknown.
    fn check_value(&mut self, dimension: Dimension, value: &str, dotted: &str) -> bool {
        match self.taxonomy.check(dimension, value) {
            Ok(_) => true,
            Err(unknown) => {
                let message = format!("unknown {} \"{value}\"", dimension.label());
                self.at_value(Code::UnknownTaxonomyValue, dotted, message, unknown.help);
                false
            }
        }
    }

    fn controlled_list(
        &mut self,
        values: Option<Vec<String>>,
        key: &str,
        dimension: Dimension,
    ) -> Option<Vec<String>> {
        let values = values.unwrap_or_default();
        if values.iter().all(|v| v.trim().is_empty()) {
            let help = format!("add at least one {}, e.g. `{key}: [name]`", dimension.label());
            self.missing(key, &help);
            return None;
        }
        Some(self.checked_values(values, key, dimension))
    }

    fn checked_values(&mut self, values: Vec<String>, key: &str, dimension: Dimension) -> Vec<String> {
        for (index, value) in values.iter().enumerate() {
            self.check_value(dimension, value, &format!("{key}.{index}"));
        }
        let mut unique: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            if !unique.contains(&value) {
                unique.push(value);
            }
        }
        unique
    }

    fn default_teams(&self, services: &[String]) -> Vec<String> {
        let mut teams: Vec<String> = Vec::new();
        for team in services.iter().filter_map(|s| self.taxonomy.team_of(s)) {
            if !teams.iter().any(|t| t == team) {
                teams.push(team.to_owned());
            }
        }
        teams
    }

    pub(super) fn choice<T>(
        &mut self,
        value: Option<String>,
        dotted: &str,
        parse: fn(&str) -> Option<T>,
        names: fn() -> Vec<&'static str>,
    ) -> Option<T> {
        let value = value?;
        let parsed = parse(value.trim());
        if parsed.is_none() {
            let help = suggest::help_for(&value, &names());
            self.at_value(
                Code::InvalidValue,
                dotted,
                format!("invalid {} \"{value}\"", dotted.replace('.', " ")),
                help,
            );
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::{is_reserved_id, is_safe_id};

    #[test]
    fn ids_that_could_escape_the_output_are_unsafe() {
        assert!(is_safe_id("INC-2024-001") && is_safe_id("a.b_c"));
        for bad in ["../x", "..", ".hidden", "a/b", "a\\b", "", "é", "a\0b", "-x"] {
            assert!(!is_safe_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn an_id_that_would_replace_the_list_of_all_retros_is_reserved() {
        assert!(is_reserved_id("index") && is_reserved_id("INDEX"));
        assert!(!is_reserved_id("index-1") && !is_reserved_id("INC-2024-001"));
    }
}
