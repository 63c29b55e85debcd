//! The follow-up fields: links and action items, each entry checked on its own.

use super::Checker;
use crate::diagnostic::Code;
use crate::frontmatter::{RawActionItem, RawLink};
use crate::model::{ActionItem, ActionStatus, ActionType, Link, Priority};

impl Checker<'_> {
    /// Every link with a `url`; one without is reported.
    pub(super) fn links(&mut self, raw: Vec<RawLink>) -> Vec<Link> {
        let mut links = Vec::with_capacity(raw.len());
        for (index, link) in raw.into_iter().enumerate() {
            match link.url.filter(|u| !u.trim().is_empty()) {
                Some(url) => links.push(Link { title: link.title.unwrap_or_else(|| url.clone()), url }),
                None => self.missing(&format!("links.{index}.url"), "give every link a `url:`"),
            }
        }
        links
    }

    /// Every action item with a `title`, its status, dates and choices checked.
    pub(super) fn action_items(&mut self, raw: Vec<RawActionItem>) -> Vec<ActionItem> {
        let mut items = Vec::with_capacity(raw.len());
        for (index, item) in raw.into_iter().enumerate() {
            let at = |key: &str| format!("action_items.{index}.{key}");
            let Some(title) =
                self.required_text(item.title, &at("title"), "give every action item a `title:`")
            else {
                continue;
            };
            let status = self
                .choice(item.status, &at("status"), ActionStatus::parse, ActionStatus::names)
                .unwrap_or(ActionStatus::Open);
            let completed = item.completed.and_then(|d| self.parse_date(&d, &at("completed")));
            let note = item.note.filter(|n| !n.trim().is_empty());
            if status == ActionStatus::Done && completed.is_none() {
                self.at_value(
                    Code::DoneWithoutCompleted,
                    &at("status"),
                    format!("action item \"{title}\" is done but has no `completed` date"),
                    "add `completed: YYYY-MM-DD` so closure times can be measured".to_owned(),
                );
            }
            if status == ActionStatus::WontDo && note.is_none() {
                self.at_value(
                    Code::WontDoWithoutNote,
                    &at("status"),
                    format!("action item \"{title}\" is wont-do without a `note`"),
                    "add `note:` saying why it will not be done".to_owned(),
                );
            }
            items.push(ActionItem {
                id: item.id,
                title,
                owner: item.owner,
                due: item.due.and_then(|d| self.parse_date(&d, &at("due"))),
                status,
                kind: self.choice(item.kind, &at("type"), ActionType::parse, ActionType::names),
                priority: self.choice(item.priority, &at("priority"), Priority::parse, Priority::names),
                tracking: item.tracking,
                metric: item.metric,
                completed,
                note,
            });
        }
        items
    }
}
