//! Follow-through: every action item with what the build date makes of it (overdue, past its
//! severity's SLA, closed within it), tallied per severity, per owner and per team.
//!
//! The SLA clock starts on the retro's `date` (the day of the incident): `action_item_sla_days`
//! says how many days an item of that severity may stay open.

use std::cmp::Reverse;

use chrono::NaiveDate;
use serde::Serialize;

use super::Severities;
use super::stats::Spread;
use crate::library::Library;
use crate::model::{ActionItem, ActionStatus, Priority};

/// An action item as of the build date.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// Index of its retro in `Library::retros`.
    pub retro: usize,
    /// The item as written.
    pub item: &'a ActionItem,
    /// Open (open, in-progress or blocked) past its due date.
    pub overdue: bool,
    /// The SLA of the retro's severity, if one is set.
    pub sla_days: Option<u32>,
    /// The retro's date plus the SLA.
    pub sla_deadline: Option<NaiveDate>,
    /// Open past the SLA deadline.
    pub past_sla: bool,
    /// Whether it was closed within the SLA, once that can be told: done with a `completed`
    /// date (on or before the deadline, or not), or still open past the deadline (no).
    /// `None` while the deadline is ahead, for wont-do items, and with no SLA.
    pub within_sla: Option<bool>,
    /// Days from the retro's date to the build date, while open.
    pub days_open: Option<i64>,
    /// Days from the retro's date to `completed`, once done.
    pub days_to_complete: Option<i64>,
    /// A p0 or p1 item, still open, with no due date.
    pub missing_due: bool,
}

impl<'a> Item<'a> {
    fn new(library: &Library, retro: usize, item: &'a ActionItem) -> Self {
        let today = library.today;
        let date = library.retros[retro].date;
        let sla_days = library.config.action_item_sla_days.get(&library.retros[retro].severity).copied();
        let sla_deadline = sla_days.and_then(|days| date.checked_add_days(chrono::Days::new(days.into())));
        let open = item.status.is_open();
        let past_sla = open && sla_deadline.is_some_and(|deadline| today > deadline);
        let within_sla = match (item.status, sla_deadline) {
            (_, None) | (ActionStatus::WontDo, _) => None,
            (ActionStatus::Done, Some(deadline)) => item.completed.map(|done| done <= deadline),
            (_, Some(_)) => past_sla.then_some(false),
        };
        let urgent = matches!(item.priority, Some(Priority::P0 | Priority::P1));
        Item {
            retro,
            item,
            overdue: item.is_overdue(today),
            sla_days,
            sla_deadline,
            past_sla,
            within_sla,
            days_open: open.then(|| (today - date).num_days()),
            days_to_complete: match item.status {
                ActionStatus::Done => item.completed.map(|done| (done - date).num_days()),
                _ => None,
            },
            missing_due: open && urgent && item.due.is_none(),
        }
    }

    /// Which of "overdue", "past-sla" and "no-due" apply, space-separated (for filtering).
    pub fn flags(&self) -> String {
        let flags = [(self.overdue, "overdue"), (self.past_sla, "past-sla"), (self.missing_due, "no-due")];
        flags.iter().filter(|(on, _)| *on).map(|(_, name)| *name).collect::<Vec<_>>().join(" ")
    }
}

/// Counts of items by status and flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Every item.
    pub total: usize,
    /// Status open.
    pub open: usize,
    /// Status in-progress.
    pub in_progress: usize,
    /// Status blocked.
    pub blocked: usize,
    /// Status done.
    pub done: usize,
    /// Status wont-do, counted apart from done.
    pub wont_do: usize,
    /// Open, in progress or blocked: still needing work.
    pub unfinished: usize,
    /// Unfinished past the due date.
    pub overdue: usize,
    /// Unfinished past the SLA.
    pub past_sla: usize,
    /// Unfinished p0/p1 with no due date.
    pub missing_due: usize,
}

impl Tally {
    /// Counts `item` in.
    pub fn add(&mut self, item: &Item<'_>) {
        self.total += 1;
        match item.item.status {
            ActionStatus::Open => self.open += 1,
            ActionStatus::InProgress => self.in_progress += 1,
            ActionStatus::Blocked => self.blocked += 1,
            ActionStatus::Done => self.done += 1,
            ActionStatus::WontDo => self.wont_do += 1,
        }
        self.unfinished += usize::from(item.item.status.is_open());
        self.overdue += usize::from(item.overdue);
        self.past_sla += usize::from(item.past_sla);
        self.missing_due += usize::from(item.missing_due);
    }
}

/// How items of one severity (or of all) are followed through.
#[derive(Debug, Clone, Default)]
pub struct FollowThrough {
    /// The severity; `None` for the total.
    pub severity: Option<String>,
    /// Its SLA, if set.
    pub sla_days: Option<u32>,
    /// Counts.
    pub tally: Tally,
    /// Items whose SLA outcome is known (see [`Item::within_sla`]).
    pub judged: usize,
    /// Of those, closed within the SLA.
    pub within: usize,
    /// Days from the retro's date to `completed`, over done items with a `completed` date.
    pub to_complete: Spread,
}

impl FollowThrough {
    /// `within / judged`, when anything is judged.
    pub fn closure_rate(&self) -> Option<f64> {
        (self.judged > 0).then(|| self.within as f64 / self.judged as f64)
    }

    fn of<'i, 'a: 'i>(
        severity: Option<String>,
        sla_days: Option<u32>,
        items: impl Iterator<Item = &'i Item<'a>>,
    ) -> Self {
        let mut summary = FollowThrough { severity, sla_days, ..FollowThrough::default() };
        let mut days = Vec::new();
        for item in items {
            summary.tally.add(item);
            summary.judged += usize::from(item.within_sla.is_some());
            summary.within += usize::from(item.within_sla == Some(true));
            days.extend(item.days_to_complete);
        }
        summary.to_complete = Spread::of(days);
        summary
    }
}

/// Items that belong together: one owner's, or one team's.
#[derive(Debug, Clone)]
pub struct Group {
    /// The owner or team; `None` for items with none.
    pub name: Option<String>,
    /// A unique file name for its page.
    pub slug: String,
    /// Indices into [`Actions::items`], most urgent first.
    pub items: Vec<usize>,
    /// Counts.
    pub tally: Tally,
}

/// Follow-through over the whole library.
#[derive(Debug, Clone)]
pub struct Actions<'a> {
    /// Every item, in library order (newest retro first), then as written.
    pub items: Vec<Item<'a>>,
    /// Over every item.
    pub total: FollowThrough,
    /// Per severity that has items, in severity order.
    pub by_severity: Vec<FollowThrough>,
    /// Per owner (items with no owner first), by name.
    pub owners: Vec<Group>,
    /// Per team of the item's retro (an item shows under each), by name.
    pub teams: Vec<Group>,
}

impl Actions<'_> {
    /// Indices of items still needing work, most urgent first.
    pub fn unfinished(&self) -> Vec<usize> {
        self.sorted((0..self.items.len()).filter(|&i| self.items[i].item.status.is_open()).collect())
    }

    /// Indices of done and wont-do items, most recently completed first.
    pub fn finished(&self) -> Vec<usize> {
        self.sorted((0..self.items.len()).filter(|&i| !self.items[i].item.status.is_open()).collect())
    }

    /// `indices` ordered for reading: unfinished items first, overdue and past-SLA ones at the
    /// top, then by due date; finished items after, most recently completed first.
    fn sorted(&self, mut indices: Vec<usize>) -> Vec<usize> {
        indices.sort_by_key(|&i| {
            let item = &self.items[i];
            let status = item.item.status;
            (
                !status.is_open(),
                !item.overdue,
                !item.past_sla,
                !item.missing_due,
                item.item.due.unwrap_or(NaiveDate::MAX),
                item.item.priority.unwrap_or(Priority::P3),
                Reverse(item.item.completed),
                i,
            )
        });
        indices
    }
}

/// Follow-through for every action item of `library`.
pub fn build<'a>(library: &'a Library, severities: &Severities) -> Actions<'a> {
    let items: Vec<Item<'a>> = library
        .retros
        .iter()
        .enumerate()
        .flat_map(|(index, retro)| retro.action_items.iter().map(move |item| (index, item)))
        .map(|(index, item)| Item::new(library, index, item))
        .collect();
    let by_severity = severities
        .names()
        .iter()
        .filter_map(|name| {
            let mut of = items.iter().filter(|i| library.retros[i.retro].severity == *name).peekable();
            of.peek()?;
            let sla = library.config.action_item_sla_days.get(name).copied();
            Some(FollowThrough::of(Some(name.clone()), sla, of))
        })
        .collect();
    let mut actions = Actions {
        total: FollowThrough::of(None, None, items.iter()),
        by_severity,
        owners: Vec::new(),
        teams: Vec::new(),
        items,
    };
    actions.owners = groups(&actions, |item| vec![item.item.owner.clone()]);
    actions.teams = groups(&actions, |item| {
        let teams = &library.retros[item.retro].teams;
        if teams.is_empty() { vec![None] } else { teams.iter().cloned().map(Some).collect() }
    });
    actions
}

/// Groups items by the names `keys` gives each; the "none" group first, then by name.
fn groups(actions: &Actions<'_>, keys: impl Fn(&Item<'_>) -> Vec<Option<String>>) -> Vec<Group> {
    let mut by_name: std::collections::BTreeMap<Option<String>, Vec<usize>> = Default::default();
    for (index, item) in actions.items.iter().enumerate() {
        for key in keys(item) {
            by_name.entry(key).or_default().push(index);
        }
    }
    // BTreeMap puts `None` first, and names in byte order: stable from build to build.
    let slugs = crate::facets::unique_slugs(by_name.keys().map(|name| name.as_deref().unwrap_or("none")));
    by_name
        .into_iter()
        .zip(slugs)
        .map(|((name, items), slug)| {
            let mut tally = Tally::default();
            items.iter().for_each(|&i| tally.add(&actions.items[i]));
            Group { name, slug, items: actions.sorted(items), tally }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::Severities;
    use super::super::testing::{item, library, retro};
    use crate::model::{ActionStatus::*, Priority};

    #[test]
    fn sla_runs_from_the_retro_date_and_judges_only_what_can_be_judged() {
        let mut sev1 = retro("A", "2024-01-01", "SEV1", "api", "m");
        sev1.action_items = vec![
            item(Done, None, Some("2024-01-16")), // on the deadline: within
            item(Done, None, Some("2024-01-17")), // a day late
            item(Open, Some("2024-01-10"), None), // overdue and past SLA
            item(WontDo, None, None),             // apart
            item(Done, None, None),               // done, date unknown
        ];
        let mut sev2 = retro("B", "2024-01-20", "SEV2", "api", "m");
        sev2.action_items = vec![item(InProgress, Some("2024-03-01"), None)]; // deadline 2024-02-19
        let mut sev3 = retro("C", "2024-01-20", "SEV3", "api", "m");
        sev3.action_items = vec![item(Blocked, None, None)];
        sev3.action_items[0].priority = Some(Priority::P1);
        let lib = library(vec![sev1, sev2, sev3], "2024-02-01");
        let actions = super::build(&lib, &Severities::new(&lib));
        let sev1 = &actions.by_severity[0];
        assert_eq!(sev1.severity.as_deref(), Some("SEV1"));
        assert_eq!((sev1.judged, sev1.within), (3, 1));
        assert_eq!(sev1.tally.wont_do, 1);
        assert_eq!((sev1.tally.overdue, sev1.tally.past_sla), (1, 1));
        assert_eq!(sev1.to_complete.n, 2);
        assert_eq!(sev1.to_complete.median, Some(15.5));
        let sev2 = &actions.by_severity[1];
        assert_eq!((sev2.judged, sev2.tally.past_sla), (0, 0), "its deadline is ahead");
        let sev3 = &actions.by_severity[2];
        assert_eq!((sev3.sla_days, sev3.judged, sev3.tally.missing_due), (None, 0, 1));
        assert_eq!(actions.total.tally.unfinished, 3);
        assert_eq!(actions.total.closure_rate(), Some(1.0 / 3.0));
    }

    #[test]
    fn groups_put_items_without_owner_or_team_first_and_most_urgent_first() {
        let mut a = retro("A", "2024-01-01", "SEV1", "api", "m");
        a.teams = vec!["zeta".into(), "alpha".into()];
        a.action_items = vec![item(Done, None, Some("2024-01-02")), item(Open, Some("2024-01-05"), None)];
        a.action_items[0].owner = Some("Ana".into());
        let lib = library(vec![a, retro("B", "2024-01-01", "SEV1", "api", "m")], "2024-02-01");
        let actions = super::build(&lib, &Severities::new(&lib));
        let owners: Vec<_> = actions.owners.iter().map(|g| (g.name.as_deref(), g.slug.as_str())).collect();
        assert_eq!(owners, [(None, "none"), (Some("Ana"), "ana")]);
        let teams: Vec<_> = actions.teams.iter().map(|g| g.name.as_deref()).collect();
        assert_eq!(teams, [Some("alpha"), Some("zeta")]);
        assert_eq!(actions.teams[0].items, [1, 0], "the overdue item comes first");
        assert_eq!(actions.items[1].flags(), "overdue past-sla");
    }
}
