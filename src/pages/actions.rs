//! The follow-through pages: `actions/index.html` (the dashboard and every unfinished item),
//! `actions/closed.html` (done and wont-do items), and a page per owner and per team, which
//! are the filters that work without JavaScript. Each list is split into pages of the
//! configured size, the dashboard being the first page of the unfinished items.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::rows::{PageAt, RowCache};
use super::{Inputs, PageError, Pager, Renderer, paging};
use crate::insights::Insights;
use crate::insights::actions::{Actions, FollowThrough, Group, Item, Tally};
use crate::library::Library;
use crate::model::Priority;
use crate::templates;
use crate::urls::{self, ActionGroup};
use crate::views::{self, ActionView};

/// The retro an item comes from.
#[derive(Debug, Serialize)]
struct RetroLink<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    severity: &'a str,
    severity_class: &'static str,
}

/// A name with its page.
#[derive(Debug, Serialize)]
struct NameLink<'a> {
    name: &'a str,
    url: String,
}

/// One action item in a table.
#[derive(Debug, Serialize)]
struct ItemRow<'a> {
    /// Flattened, so that the template reads `i.title` without copying the item per row.
    #[serde(flatten)]
    action: ActionView<'a>,
    retro: RetroLink<'a>,
    owner_url: String,
    teams: Vec<NameLink<'a>>,
    /// Team names, newline-separated, for the live filter.
    team_names: String,
    past_sla: bool,
    sla_deadline: Option<String>,
    missing_due: bool,
    days_open: Option<i64>,
    days_to_complete: Option<i64>,
    flags: String,
}

/// An item as a list shows it: its fields (unless no template reads them,
/// [`crate::templates::Theme::lists_read_row_fields`]), and its row rendered for the page.
#[derive(Debug, Serialize)]
struct ListedItem<'r, 'a> {
    #[serde(flatten)]
    row: Option<&'r ItemRow<'a>>,
    /// The row as `action_item.html` renders it on this page.
    html: Cow<'r, str>,
}

/// Follow-through of one severity (or of all).
#[derive(Debug, Serialize)]
struct SeverityRow<'a> {
    severity: Option<&'a str>,
    severity_class: &'a str,
    sla_days: Option<u32>,
    tally: Tally,
    judged: usize,
    within: usize,
    /// "67%".
    closure_rate: Option<String>,
    /// "12.5".
    median_days: Option<String>,
    completed_n: usize,
}

/// An owner or team with its counts.
#[derive(Debug, Serialize)]
struct GroupRow<'a> {
    name: &'a str,
    url: String,
    tally: Tally,
}

/// What the live filter offers.
#[derive(Debug, Serialize)]
struct Filters<'a> {
    severities: Vec<&'a str>,
    teams: Vec<&'a str>,
    priorities: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
struct Dashboard<'a> {
    total: SeverityRow<'a>,
    severities: Vec<SeverityRow<'a>>,
    sla_set: bool,
    owners: Vec<GroupRow<'a>>,
    teams: Vec<GroupRow<'a>>,
    items: Vec<ListedItem<'a, 'a>>,
    finished: usize,
    filters: Filters<'a>,
    /// The unfinished items' pages: the dashboard is the first.
    pager: Pager,
}

#[derive(Debug, Serialize)]
struct ItemList<'a> {
    /// "Owner", "Team" or none for the closed items.
    group: Option<&'static str>,
    name: &'a str,
    tally: Tally,
    items: Vec<ListedItem<'a, 'a>>,
    filters: Filters<'a>,
    pager: Pager,
}

/// The name shown for the group of items with no owner, or no team.
const NO_OWNER: &str = "No owner";
const NO_TEAM: &str = "No team";

/// Renders every follow-through page; returns how many were written.
pub fn render(renderer: &Renderer<'_>, inputs: &Inputs<'_>) -> Result<usize, PageError> {
    let pages = ActionPages::new(renderer, inputs.library, inputs.insights);
    Ok(pages.unfinished()? + pages.closed()? + pages.groups()?)
}

/// The follow-through pages of one build, and what every one of them shares.
struct ActionPages<'a> {
    renderer: &'a Renderer<'a>,
    library: &'a Library,
    insights: &'a Insights<'a>,
    actions: &'a Actions<'a>,
    /// Every item's row, made once: an item is listed on up to three pages (the unfinished or
    /// closed list, its owner's, its team's), and more for retros of several teams.
    rows: Vec<ItemRow<'a>>,
    /// Each row rendered, per page depth.
    rendered: RowCache,
}

impl<'a> ActionPages<'a> {
    fn new(renderer: &'a Renderer<'a>, library: &'a Library, insights: &'a Insights<'a>) -> Self {
        let actions = &insights.actions;
        let links = Links::new(actions);
        let rows = actions.items.par_iter().map(|item| item_row(library, item, &links)).collect();
        let rendered = RowCache::new(actions.items.len(), renderer.tera, templates::ACTION_ROW);
        ActionPages { renderer, library, insights, actions, rows, rendered }
    }

    /// The items at `indices` as the page `at` lists them.
    fn rows(&self, indices: &[usize], at: &PageAt) -> Result<Vec<ListedItem<'_, 'a>>, PageError> {
        indices
            .iter()
            .map(|&i| {
                let row = &self.rows[i];
                let html = self.rendered.row(i, at, |root| {
                    let mut context = tera::Context::new();
                    context.insert("root", root);
                    context.insert("i", row);
                    self.renderer.render(templates::ACTION_ROW, &context)
                })?;
                Ok(ListedItem { row: self.renderer.lists_read_row_fields.then_some(row), html })
            })
            .collect()
    }

    fn filters(&self) -> Filters<'a> {
        Filters {
            severities: self.insights.severities.names().iter().map(String::as_str).collect(),
            teams: self.actions.teams.iter().filter_map(|g| g.name.as_deref()).collect(),
            priorities: Priority::ALL.iter().map(|p| p.as_str()).collect(),
        }
    }

    fn tally_of(&self, indices: &[usize]) -> Tally {
        let mut tally = Tally::default();
        indices.iter().for_each(|&i| tally.add(&self.actions.items[i]));
        tally
    }

    /// The dashboard is the first page of the unfinished items; the later ones list only items.
    fn unfinished(&self) -> Result<usize, PageError> {
        let (unfinished, finished) = (self.actions.unfinished(), self.actions.finished().len());
        let pages = self.renderer.paginate(unfinished.len(), urls::FOLLOW_THROUGH);
        let tally = self.tally_of(&unfinished);
        pages.par_iter().try_for_each(|page| {
            let items = self.rows(&unfinished[page.items.clone()], &self.renderer.at(&page.path))?;
            let pager = page.pager.clone();
            if pager.number == 1 {
                let dashboard =
                    dashboard(self.library, self.insights, items, finished, self.filters(), pager);
                self.renderer.page("actions.html", urls::FOLLOW_THROUGH, "Follow-through", &dashboard)
            } else {
                let title = paging::title("Unfinished action items", &pager);
                let name = "Unfinished action items";
                let list = ItemList { group: None, name, tally, items, filters: self.filters(), pager };
                self.renderer.page("actions_list.html", &page.path, &title, &list)
            }
        })?;
        Ok(pages.len())
    }

    /// Done and wont-do items.
    fn closed(&self) -> Result<usize, PageError> {
        let finished = self.actions.finished();
        let tally = self.tally_of(&finished);
        self.renderer.list_pages(
            "actions_list.html",
            urls::CLOSED_ACTIONS,
            "Done and wont-do action items",
            finished.len(),
            |at, pager, rows| {
                Ok(ItemList {
                    group: None,
                    name: "Done and wont-do",
                    tally,
                    items: self.rows(&finished[at], rows.at())?,
                    filters: self.filters(),
                    pager,
                })
            },
        )
    }

    /// A list per owner and per team: the filters that work without JavaScript.
    fn groups(&self) -> Result<usize, PageError> {
        let mut pages = 0;
        for (groups, kind, label, none) in [
            (&self.actions.owners, ActionGroup::Owner, "Owner", NO_OWNER),
            (&self.actions.teams, ActionGroup::Team, "Team", NO_TEAM),
        ] {
            pages += groups
                .par_iter()
                .map(|group| {
                    let name = group.name.as_deref().unwrap_or(none);
                    let title = format!("Action items: {name}");
                    let first_path = urls::action_group(kind, &group.slug);
                    self.renderer.list_pages(
                        "actions_list.html",
                        &first_path,
                        &title,
                        group.items.len(),
                        |at, pager, rows| {
                            Ok(ItemList {
                                group: Some(label),
                                name,
                                tally: group.tally,
                                items: self.rows(&group.items[at], rows.at())?,
                                filters: self.filters(),
                                pager,
                            })
                        },
                    )
                })
                .try_reduce(|| 0, |a, b| Ok(a + b))?;
        }
        Ok(pages)
    }
}

/// The dashboard: the tables, then the unfinished `items`.
fn dashboard<'a>(
    library: &Library,
    insights: &'a Insights<'_>,
    items: Vec<ListedItem<'a, 'a>>,
    finished: usize,
    filters: Filters<'a>,
    pager: Pager,
) -> Dashboard<'a> {
    let actions = &insights.actions;
    let severities = &insights.severities;
    Dashboard {
        total: severity_row(&actions.total, None, ""),
        severities: actions
            .by_severity
            .iter()
            .map(|f| {
                let index = f.severity.as_deref().map_or(0, |s| severities.index(s));
                severity_row(f, f.severity.as_deref(), views::severity_class(index))
            })
            .collect(),
        sla_set: !library.config.action_item_sla_days.is_empty(),
        owners: actions.owners.iter().map(|g| group_row(g, ActionGroup::Owner, NO_OWNER)).collect(),
        teams: actions.teams.iter().map(|g| group_row(g, ActionGroup::Team, NO_TEAM)).collect(),
        items,
        finished,
        filters,
        pager,
    }
}

/// Owner and team pages by name.
struct Links<'a> {
    owners: HashMap<Option<&'a str>, &'a str>,
    teams: HashMap<Option<&'a str>, &'a str>,
}

impl<'a> Links<'a> {
    fn new(actions: &'a Actions<'a>) -> Self {
        let slugs =
            |groups: &'a [Group]| groups.iter().map(|g| (g.name.as_deref(), g.slug.as_str())).collect();
        Links { owners: slugs(&actions.owners), teams: slugs(&actions.teams) }
    }

    fn url(map: &HashMap<Option<&str>, &str>, group: ActionGroup, name: Option<&str>) -> String {
        urls::action_group(group, map.get(&name).copied().unwrap_or("none"))
    }
}

fn item_row<'a>(library: &'a Library, item: &Item<'a>, links: &Links<'_>) -> ItemRow<'a> {
    let retro = &library.retros[item.retro];
    let teams: Vec<NameLink<'a>> = if retro.teams.is_empty() {
        vec![NameLink { name: NO_TEAM, url: Links::url(&links.teams, ActionGroup::Team, None) }]
    } else {
        retro
            .teams
            .iter()
            .map(|t| NameLink { name: t, url: Links::url(&links.teams, ActionGroup::Team, Some(t)) })
            .collect()
    };
    ItemRow {
        action: ActionView::new(item.item, library),
        retro: RetroLink {
            id: &retro.id,
            title: &retro.title,
            url: urls::retro(&retro.id),
            severity: &retro.severity,
            severity_class: views::severity_class(retro.severity_rank),
        },
        owner_url: Links::url(&links.owners, ActionGroup::Owner, item.item.owner.as_deref()),
        team_names: retro.teams.join("\n"),
        teams,
        past_sla: item.past_sla,
        sla_deadline: item.sla_deadline.map(crate::format::iso_date),
        missing_due: item.missing_due,
        days_open: item.days_open,
        days_to_complete: item.days_to_complete,
        flags: item.flags(),
    }
}

fn severity_row<'a>(f: &'a FollowThrough, severity: Option<&'a str>, class: &'a str) -> SeverityRow<'a> {
    SeverityRow {
        severity,
        severity_class: class,
        sla_days: f.sla_days,
        tally: f.tally,
        judged: f.judged,
        within: f.within,
        closure_rate: f.closure_rate().map(|r| format!("{:.0}%", r * 100.0)),
        median_days: f
            .to_complete
            .median
            .map(|m| if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.1}") }),
        completed_n: f.to_complete.n,
    }
}

fn group_row<'a>(group: &'a Group, kind: ActionGroup, none: &'static str) -> GroupRow<'a> {
    GroupRow {
        name: group.name.as_deref().unwrap_or(none),
        url: urls::action_group(kind, &group.slug),
        tally: group.tally,
    }
}
