//! Every rule's code, name, default severity and explanation, in one table.

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $name:literal, $severity:ident, $explain:literal; )*) => {
        /// The stable identity of every rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(
            #[doc = $explain]
            $variant,
        )* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];
            /// The stable code, such as `H001`.
            pub fn code(self) -> &'static str { match self { $(Code::$variant => $code),* } }
            /// The short name, such as `unknown-taxonomy-value`.
            pub fn name(self) -> &'static str { match self { $(Code::$variant => $name),* } }
            /// The severity this rule has unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }
            /// What the rule checks and how to fix a finding.
            pub fn explanation(self) -> &'static str { match self { $(Code::$variant => $explain),* } }
        }
    };
}

codes! {
    UnknownTaxonomyValue = "H001", "unknown-taxonomy-value", Error,
        "A severity, service, team, failure mode, contributing factor or trigger is not in taxonomy.yaml. Use one of the listed names (the message suggests the nearest), or add the value to taxonomy.yaml.";
    MissingField = "H002", "missing-field", Error,
        "A required front-matter field is missing: title, severity, services, failure_modes, and date (unless timeline.started is given). Add the field.";
    WrongType = "H003", "wrong-type", Error,
        "A front-matter field has the wrong type, e.g. a single string where a list is expected. Write it in the expected form, e.g. `services: [checkout-api]`.";
    YamlSyntax = "H004", "yaml-syntax", Error,
        "The front matter is not valid YAML. Fix the syntax at the position shown; quote strings that contain `: ` or start with a special character.";
    InvalidDate = "H005", "invalid-date", Error,
        "A date is not a real calendar date in the form YYYY-MM-DD. Write e.g. `2024-03-05`.";
    TimestampWithoutOffset = "H006", "timestamp-without-offset", Error,
        "A timeline timestamp is not RFC 3339 with an offset, so it cannot be placed in time. Write e.g. `2024-03-05T14:02:00Z` or `2024-03-05T15:02:00+01:00`.";
    TimelineOutOfOrder = "H007", "timeline-out-of-order", Error,
        "Timeline timestamps must satisfy started <= detected <= acknowledged <= mitigated <= resolved. Correct the one shown or the one before it.";
    DuplicateId = "H008", "duplicate-id", Error,
        "Two retros have the same id (ids are compared ignoring case, because output file names must not collide on case-insensitive disks). Give one of them another id.";
    UnknownRelated = "H009", "unknown-related", Error,
        "A `related` entry names a retro id that does not exist. Fix the id or remove the entry.";
    UnsafeId = "H010", "unsafe-id", Error,
        "An id must match [A-Za-z0-9][A-Za-z0-9._-]* so it is safe as a file name and URL, and must not be `index`, the name of the list of all retros. Set `id:` or rename the file.";
    NotUtf8 = "H011", "not-utf8", Error,
        "The file is not valid UTF-8. Re-save it as UTF-8.";
    EmptyFile = "H012", "empty-file", Error,
        "The file is empty. Delete it or write a retro into it (`hindsight new` starts one).";
    NoFrontMatter = "H013", "no-front-matter", Error,
        "A retro starts with YAML front matter between two `---` lines. Add it, or close the one that is open.";
    InvalidValue = "H014", "invalid-value", Error,
        "A field that takes one of a fixed set of values (status, kind, detection, visibility, action-item status, type, priority) has another value. Use one of the listed values.";
    InvalidSite = "H015", "invalid-site-file", Error,
        "hindsight.yaml or taxonomy.yaml is malformed, or a template is broken. Fix the file at the position shown.";
    Unreadable = "H016", "unreadable-file", Error,
        "A file under content/ could not be read (permissions, a symbolic link that loops or leads nowhere, or it vanished during the build). Check the file or fix the link.";
    MissingSummary = "H101", "missing-summary", Warning,
        "The retro has no `summary`, the 1-3 sentence message for stakeholders shown first on its page and in every list. Add one.";
    DoneWithoutCompleted = "H102", "done-without-completed", Warning,
        "An action item is `done` but has no `completed` date, so closure times cannot be measured. Add `completed: YYYY-MM-DD`.";
    WontDoWithoutNote = "H103", "wont-do-without-note", Warning,
        "An action item is `wont-do` without a `note` saying why. Add the reason, so readers know it was a decision.";
    NoActionItems = "H104", "no-action-items", Warning,
        "A published retro has no action items. Add the follow-ups, or say in the body why none are needed.";
    UnknownKey = "H105", "unknown-key", Warning,
        "A front-matter key is not part of the retro format (often a typo). Rename it to the suggested key or remove it.";
    NoTaxonomy = "H106", "no-taxonomy", Warning,
        "There is no taxonomy.yaml, so every value is accepted and typos create new facet pages. Add a taxonomy.yaml (`hindsight init` writes a starter one).";
    OverdueActionItem = "H107", "overdue-action-item", Warning,
        "An action item that is still open (open, in-progress or blocked) is past its `due` date, as of the check date (`--now`, else SOURCE_DATE_EPOCH, else today). Finish it and set `status: done` with `completed:`, agree a new `due` date, or set `status: wont-do` with a `note`. Checked by `hindsight check` only.";
    UrgentWithoutDue = "H108", "p0-p1-without-due", Warning,
        "An open action item of priority p0 or p1 has no `due` date, so nobody can tell when it is late. Add `due: YYYY-MM-DD`, or lower the priority. Checked by `hindsight check` only.";
    MissingDetectedOrResolved = "H109", "missing-detected-or-resolved", Warning,
        "A retro of one of the taxonomy's two most severe severities (SEV1 and SEV2 by default) lacks `timeline.detected` or `timeline.resolved`, so time to detect and time to resolve cannot be measured. Add both as timestamps with an offset, e.g. \"2024-03-05T14:09:00Z\". Drafts are not checked. Checked by `hindsight check` only.";
    StaleInReview = "H110", "stale-in-review", Warning,
        "A retro has been `in-review` for more than 14 days, counted from its `review_date` (else its `date`) to the check date. Finish the review and set `status: published`, or set it back to `draft` while it is reworked. Checked by `hindsight check` only.";
    LikelyMissingLabel = "H111", "likely-missing-label", Warning,
        "At least 4 of the 5 retros most like this one by text (and tags; never by their labels) have a failure mode or contributing factor it lacks. Add the label if it applies; if it does not, leave it: the rule is a hint. Checked by `hindsight check` only.";
    IndexNotWritten = "H112", "index-not-written", Warning,
        "`hindsight build` could not write the search index that `hindsight search` reads (under `.hindsight/index/` in the site folder), for example because the site folder is mounted read-only. The site is built and published all the same; `hindsight search` builds the index when it first runs where it can write. Make `.hindsight/` writable to have builds keep it.";
}
