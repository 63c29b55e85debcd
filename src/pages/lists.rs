//! List pages: the home page, all retros, each facet's overview and value pages, and 404.

use rayon::prelude::*;
use serde::Serialize;

use super::{Inputs, ListRow, PageError, Pager, Renderer, Rows};
use crate::facets::{Facet, FacetIndex, FacetValue};
use crate::format::{capitalise, human_median};
use crate::insights::stats::Spread;
use crate::insights::summary::{self, Summary};
use crate::insights::{self, Insights, Severities};
use crate::library::Library;
use crate::urls;
use crate::views;

/// A facet value in an overview, with its count.
#[derive(Debug, Serialize)]
struct ValueRow<'a> {
    name: &'a str,
    url: String,
    count: usize,
    description: Option<&'a str>,
    team: Option<&'a str>,
}

impl<'a> ValueRow<'a> {
    fn new(facet: Facet, value: &'a FacetValue) -> Self {
        ValueRow {
            name: &value.name,
            url: urls::facet_value(facet, &value.slug),
            count: value.retros.len(),
            description: value.description.as_deref(),
            team: value.team.as_deref(),
        }
    }
}

#[derive(Debug, Serialize)]
struct FacetOverview<'a> {
    title: &'static str,
    label: &'static str,
    url: String,
    values: Vec<ValueRow<'a>>,
}

impl<'a> FacetOverview<'a> {
    fn new(index: &'a FacetIndex) -> Self {
        FacetOverview {
            title: index.facet.title(),
            label: index.facet.label(),
            url: urls::facet_index(index.facet),
            values: index.values.iter().map(|v| ValueRow::new(index.facet, v)).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
struct FacetPage<'a> {
    facet: &'static str,
    facet_title: &'static str,
    overview_url: String,
    value: ValueRow<'a>,
    team_url: Option<String>,
    summary: Option<SummaryView<'a>>,
    retros: Vec<ListRow<'a>>,
    pager: Pager,
}

/// The summary of a service or failure mode.
#[derive(Debug, Serialize)]
struct SummaryView<'a> {
    incidents: usize,
    near_misses: usize,
    game_days: usize,
    failures: usize,
    by_severity: Vec<Count<'a>>,
    first: Option<String>,
    last: Option<String>,
    detect: MedianView,
    resolve: MedianView,
    factors: Vec<Count<'a>>,
}

/// A name with how often it occurs, its CSS class or its page.
#[derive(Debug, Serialize)]
struct Count<'a> {
    name: &'a str,
    count: usize,
    class: Option<&'a str>,
    url: Option<String>,
}

/// A median with its n.
#[derive(Debug, Serialize)]
struct MedianView {
    n: usize,
    median: Option<String>,
}

impl From<Spread> for MedianView {
    fn from(spread: Spread) -> Self {
        MedianView { n: spread.n, median: spread.median.map(human_median) }
    }
}

impl<'a> SummaryView<'a> {
    fn new(summary: Summary<'a>, severities: &'a Severities, factors: Option<&FacetIndex>) -> Self {
        let date = |d: Option<chrono::NaiveDate>| d.map(crate::format::iso_date);
        SummaryView {
            incidents: summary.incidents,
            near_misses: summary.near_misses,
            game_days: summary.game_days,
            failures: summary.failures(),
            by_severity: summary
                .by_severity
                .iter()
                .map(|&(name, count)| Count {
                    name,
                    count,
                    class: Some(views::severity_class(severities.index(name))),
                    url: None,
                })
                .collect(),
            first: date(summary.first),
            last: date(summary.last),
            detect: summary.detect.into(),
            resolve: summary.resolve.into(),
            factors: summary
                .factors
                .iter()
                .map(|&(name, count)| Count {
                    name,
                    count,
                    class: None,
                    url: factors.and_then(|f| f.url_of(name)),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
struct HomePage<'a> {
    retro_count: usize,
    open_actions: usize,
    overdue_actions: usize,
    past_sla_actions: usize,
    on_this_day: Vec<ListRow<'a>>,
    /// "24 November".
    today: String,
    latest: Vec<ListRow<'a>>,
    facets: Vec<FacetOverview<'a>>,
}

#[derive(Debug, Serialize)]
struct AllRetros<'a> {
    retros: Vec<ListRow<'a>>,
    pager: Pager,
}

/// Renders every list page; returns how many were written.
pub fn render_lists(renderer: &Renderer<'_>, inputs: &Inputs<'_>) -> Result<usize, PageError> {
    let (library, facets, insights) = (inputs.library, inputs.facets, inputs.insights);
    let mut pages = 0;
    for index in facets.iter() {
        let overview = FacetOverview::new(index);
        renderer.page("facet_index.html", &overview.url, index.facet.title(), &overview)?;
        pages += 1 + index
            .values
            .par_iter()
            .map(|value| render_value(renderer, inputs, index, value))
            .try_reduce(|| 0, |a, b| Ok(a + b))?;
    }
    let retros = &library.retros;
    pages += renderer.list_pages(
        "retros.html",
        urls::ALL_RETROS,
        "All retros",
        retros.len(),
        |at, pager, rows| Ok(AllRetros { retros: rows.of(at)?, pager }),
    )?;
    let home = home(library, facets, insights, &renderer.rows(urls::HOME))?;
    renderer.page("index.html", urls::HOME, &library.config.title, &home)?;
    renderer.page("404.html", urls::NOT_FOUND, "Page not found", &())?;
    Ok(pages + 2)
}

/// Renders a facet value's pages; returns how many were written.
fn render_value(
    renderer: &Renderer<'_>,
    inputs: &Inputs<'_>,
    index: &FacetIndex,
    value: &FacetValue,
) -> Result<usize, PageError> {
    let (library, facets, insights) = (inputs.library, inputs.facets, inputs.insights);
    let team_url = value
        .team
        .as_deref()
        .and_then(|team| facets.iter().find(|f| f.facet == Facet::Team).and_then(|teams| teams.url_of(team)));
    let first_path = ValueRow::new(index.facet, value).url;
    let summary = || {
        matches!(index.facet, Facet::Service | Facet::FailureMode).then(|| {
            let summary = summary::summarise(library, &insights.severities, &value.retros);
            SummaryView::new(summary, &insights.severities, facets.iter().find(|f| f.facet == Facet::Factor))
        })
    };
    let title = format!("{}: {}", capitalise(index.facet.label()), value.name);
    renderer.list_pages("facet.html", &first_path, &title, value.retros.len(), |at, pager, rows| {
        Ok(FacetPage {
            facet: index.facet.label(),
            facet_title: index.facet.title(),
            overview_url: urls::facet_index(index.facet),
            value: ValueRow::new(index.facet, value),
            team_url: team_url.clone(),
            // The summary covers every retro of the value, so it is shown once, above the list.
            summary: if pager.number == 1 { summary() } else { None },
            retros: rows.of(value.retros[at].iter().copied())?,
            pager,
        })
    })
}

fn home<'a>(
    library: &'a Library,
    facets: &'a [FacetIndex],
    insights: &Insights<'_>,
    rows: &Rows<'a, '_>,
) -> Result<HomePage<'a>, PageError> {
    let tally = &insights.actions.total.tally;
    Ok(HomePage {
        retro_count: library.retros.len(),
        open_actions: tally.unfinished,
        overdue_actions: tally.overdue,
        past_sla_actions: tally.past_sla,
        on_this_day: rows.of(insights::on_this_day(library, library.today))?,
        today: library.today.format("%-d %B").to_string(),
        latest: rows.of(0..library.retros.len().min(LATEST))?,
        facets: facets.iter().map(most_used).collect(),
    })
}

/// The home page shows each facet's most used values, not the whole vocabulary.
fn most_used(index: &FacetIndex) -> FacetOverview<'_> {
    let mut overview = FacetOverview::new(index);
    overview.values.retain(|v| v.count > 0);
    overview.values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(b.name)));
    overview.values.truncate(HOME_VALUES_PER_FACET);
    overview
}

/// How many values of each facet the home page lists.
const HOME_VALUES_PER_FACET: usize = 12;

/// The home page lists the newest retros.
const LATEST: usize = 10;
