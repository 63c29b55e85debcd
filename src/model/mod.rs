//! The validated retro: one owned type that every later stage borrows from.

mod facet;

pub use facet::Facet;

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::content::SourceFile;
use serde::Serialize;

macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $(
            #[doc = $text]
            $variant,
        )* }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The value as written in front matter.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),* } }
            /// Parses the front-matter spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
            /// Every spelling, for "expected one of" messages.
            pub fn names() -> Vec<&'static str> { vec![$($text),*] }
        }
    };
}

choice!(
    /// Where a retro is in its review.
    Status { Draft = "draft", InReview = "in-review", Published = "published" }
);
choice!(
    /// What happened: a real incident, a near miss, or a planned exercise.
    Kind { Incident = "incident", NearMiss = "near-miss", GameDay = "game-day" }
);
choice!(
    /// How the incident was noticed.
    Detection {
        Monitoring = "monitoring",
        CustomerReport = "customer-report",
        EmployeeReport = "employee-report",
        AutomatedTest = "automated-test",
        Unknown = "unknown",
    }
);
choice!(
    /// Who may see a retro.
    Visibility { Internal = "internal", Restricted = "restricted" }
);
choice!(
    /// Where an action item stands.
    ActionStatus { Open = "open", InProgress = "in-progress", Blocked = "blocked", Done = "done", WontDo = "wont-do" }
);
choice!(
    /// What an action item is for.
    ActionType { Prevent = "prevent", Mitigate = "mitigate", Detect = "detect", Process = "process", Other = "other" }
);
choice!(
    /// How urgent an action item is.
    Priority { P0 = "p0", P1 = "p1", P2 = "p2", P3 = "p3" }
);

impl ActionStatus {
    /// Whether the item still needs work.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress | ActionStatus::Blocked)
    }
}

/// A validated retrospective.
#[derive(Debug, Clone, PartialEq)]
pub struct Retro {
    /// Unique, file-name-safe id.
    pub id: String,
    /// The source file, relative to the site root.
    pub source: PathBuf,
    /// Title.
    pub title: String,
    /// The day the incident started.
    pub date: NaiveDate,
    /// Severity name (from the taxonomy).
    pub severity: String,
    /// Position of the severity in the taxonomy (0 = most severe).
    pub severity_rank: usize,
    /// Review status.
    pub status: Status,
    /// Incident, near miss or game day.
    pub kind: Kind,
    /// The stakeholder message.
    pub summary: Option<String>,
    /// Affected services (at least one).
    pub services: Vec<String>,
    /// Failure modes (at least one).
    pub failure_modes: Vec<String>,
    /// Contributing factors.
    pub contributing_factors: Vec<String>,
    /// What set it off.
    pub trigger: Option<String>,
    /// How it was noticed.
    pub detection: Option<Detection>,
    /// Who and what was affected.
    pub impact: Option<Impact>,
    /// When things happened.
    pub timeline: Timeline,
    /// Teams involved (by default the services' owning teams).
    pub teams: Vec<String>,
    /// Who wrote the retro.
    pub authors: Vec<String>,
    /// Who ran the response.
    pub incident_commander: Option<String>,
    /// Who ran the review.
    pub facilitator: Option<String>,
    /// When the review meeting took place.
    pub review_date: Option<NaiveDate>,
    /// Ids of related retros, as written.
    pub related: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Further reading.
    pub links: Vec<Link>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Follow-ups.
    pub action_items: Vec<ActionItem>,
    /// The file as it was validated: the body, and the text every finding is placed in.
    pub file: SourceFile,
}

impl Retro {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.file.body()
    }

    /// Whether `other` differs from this retro in its body only (front matter and file equal).
    pub fn differs_only_in_body(&self, other: &Retro) -> bool {
        let without_file = |retro: &Retro| Retro { file: SourceFile::default(), ..retro.clone() };
        self.body() != other.body()
            && self.file.front_matter() == other.file.front_matter()
            && without_file(self) == without_file(other)
    }

    /// Whether the retro is only shown with `--include-restricted`.
    pub fn is_restricted(&self) -> bool {
        self.visibility == Visibility::Restricted
    }
}

/// Impact on users.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Impact {
    /// Free-form level such as "high".
    pub level: Option<String>,
    /// Whether customers noticed.
    pub customer_facing: Option<bool>,
    /// How many users were affected.
    pub users_affected: Option<u64>,
    /// What they experienced.
    pub description: Option<String>,
}

/// The incident's key moments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// When the failure began.
    pub started: Option<DateTime<FixedOffset>>,
    /// When someone or something noticed.
    pub detected: Option<DateTime<FixedOffset>>,
    /// When a responder took it on.
    pub acknowledged: Option<DateTime<FixedOffset>>,
    /// When customer impact ended.
    pub mitigated: Option<DateTime<FixedOffset>>,
    /// When the system was back to normal.
    pub resolved: Option<DateTime<FixedOffset>>,
}

/// The timeline moments, in their required order.
pub const TIMELINE_STEPS: [&str; 5] = ["started", "detected", "acknowledged", "mitigated", "resolved"];

impl Timeline {
    /// The moments in order, with their names.
    pub fn steps(&self) -> [(&'static str, Option<DateTime<FixedOffset>>); 5] {
        let moments = [self.started, self.detected, self.acknowledged, self.mitigated, self.resolved];
        std::array::from_fn(|step| (TIMELINE_STEPS[step], moments[step]))
    }

    /// Minutes from `started` to the named moment, when both are known.
    pub fn minutes_to(&self, moment: Option<DateTime<FixedOffset>>) -> Option<i64> {
        Some((moment? - self.started?).num_minutes())
    }
}

/// A titled link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// Target.
    pub url: String,
}

/// A follow-up action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    /// Id within the retro.
    pub id: Option<String>,
    /// What to do.
    pub title: String,
    /// Who does it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<NaiveDate>,
    /// Where it stands.
    pub status: ActionStatus,
    /// What it is for.
    pub kind: Option<ActionType>,
    /// How urgent.
    pub priority: Option<Priority>,
    /// URL or ticket key.
    pub tracking: Option<String>,
    /// The success criterion.
    pub metric: Option<String>,
    /// When it was done.
    pub completed: Option<NaiveDate>,
    /// Why (for wont-do) or anything else.
    pub note: Option<String>,
}

impl ActionItem {
    /// Whether the item is still open past its due date as of `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|due| due < today)
    }
}

#[cfg(test)]
mod tests {
    use super::TIMELINE_STEPS;

    #[test]
    fn timeline_steps_are_the_keys_of_timeline() {
        assert_eq!(TIMELINE_STEPS, crate::frontmatter::known_keys("timeline"));
    }
}
