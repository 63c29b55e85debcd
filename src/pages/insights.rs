//! The analytics pages: `insights/index.html` (heat map, factors and triggers, incidents per
//! month, durations, the latest repeats), `insights/repeats.html`, and a page per heat-map cell
//! (`insights/cells/<service>/<failure-mode>.html`) listing the retros behind it.

use rayon::prelude::*;
use serde::Serialize;

use super::{Inputs, ListRow, PageError, Pager, Renderer};
use crate::facets::{Facet, FacetIndex};
use crate::format::{human_median, human_minutes};
use crate::insights::cooccurrence::Ranking;
use crate::insights::durations::{Measure, Samples};
use crate::insights::repeats::{Repeat, WINDOW_DAYS};
use crate::insights::stats::P90_MIN_N;
use crate::insights::{Insights, Severities};
use crate::library::Library;
use crate::svg::{self, Column, Series};
use crate::urls;
use crate::views::{self, RetroRow};

/// How many repeats the overview lists; the rest are on `insights/repeats.html`.
const LATEST_REPEATS: usize = 20;

/// A value with its facet page.
#[derive(Debug, Serialize)]
struct Named<'a> {
    name: &'a str,
    url: Option<String>,
}

#[derive(Debug, Serialize)]
struct HeatRow<'a> {
    mode: Named<'a>,
    total: usize,
    /// Per service: the count and the cell's page (none when empty).
    cells: Vec<(usize, Option<String>)>,
}

#[derive(Debug, Serialize)]
struct Together<'a> {
    mode: Named<'a>,
    together: usize,
    mode_total: usize,
}

#[derive(Debug, Serialize)]
struct RankedRow<'a> {
    value: Named<'a>,
    retros: usize,
    /// "42%".
    share: String,
    with_modes: Vec<Together<'a>>,
}

#[derive(Debug, Serialize)]
struct MonthRow {
    label: String,
    incidents: Vec<usize>,
    incident_total: usize,
    near_misses: usize,
    game_days: usize,
}

#[derive(Debug, Serialize)]
struct SpreadView {
    n: usize,
    median: Option<String>,
    p90: Option<String>,
}

#[derive(Debug, Serialize)]
struct DurationRow<'a> {
    service: Named<'a>,
    detect: SpreadView,
    resolve: SpreadView,
}

#[derive(Debug, Serialize)]
struct RepeatRow<'a> {
    earlier: RetroRow<'a>,
    later: RetroRow<'a>,
    days: i64,
    services: &'a [String],
    modes: &'a [String],
}

#[derive(Debug, Serialize)]
struct Overview<'a> {
    severities: &'a [String],
    heat_map_svg: String,
    services: Vec<Named<'a>>,
    heat_rows: Vec<HeatRow<'a>>,
    failures: usize,
    factors: Vec<RankedRow<'a>>,
    triggers: Vec<RankedRow<'a>>,
    incidents_svg: String,
    others_svg: String,
    months: Vec<MonthRow>,
    detect_svg: String,
    resolve_svg: String,
    durations: Vec<DurationRow<'a>>,
    timed_incidents: usize,
    left_out: usize,
    definitions: [(&'static str, &'static str); 2],
    p90_min_n: usize,
    repeats: Vec<RepeatRow<'a>>,
    repeat_count: usize,
    window_days: i64,
}

#[derive(Debug, Serialize)]
struct RepeatsPage<'a> {
    repeats: Vec<RepeatRow<'a>>,
    window_days: i64,
    pager: Pager,
}

#[derive(Debug, Serialize)]
struct CellPage<'a> {
    mode: Named<'a>,
    service: Named<'a>,
    count: usize,
    by_severity: String,
    retros: Vec<ListRow<'a>>,
    pager: Pager,
}

/// Renders the analytics pages; returns how many were written.
pub fn render(renderer: &Renderer<'_>, inputs: &Inputs<'_>) -> Result<usize, PageError> {
    let (library, insights) = (inputs.library, inputs.insights);
    let links = Links::new(inputs.facets);
    let overview = overview(library, insights, &links, &urls::root_of(urls::INSIGHTS));
    renderer.page("insights.html", urls::INSIGHTS, "Insights", &overview)?;
    let repeats = &insights.repeats;
    let repeat_pages = renderer.list_pages(
        "insights_repeats.html",
        urls::REPEATS,
        "Repeat incidents",
        repeats.len(),
        |at, pager, _| {
            Ok(RepeatsPage {
                repeats: repeats[at].iter().map(|r| repeat_row(library, r)).collect(),
                window_days: WINDOW_DAYS,
                pager,
            })
        },
    )?;
    let cells = render_cells(renderer, insights, &links)?;
    Ok(1 + repeat_pages + cells)
}

fn overview<'a>(
    library: &'a Library,
    insights: &'a Insights<'_>,
    links: &Links<'a>,
    root: &str,
) -> Overview<'a> {
    let map = &insights.heatmap;
    let heat_map_svg = svg::heat_map(map, &insights.severities, |row, column| {
        format!("{root}{}", links.cell(&map.services[column].name, &map.modes[row].name))
    });
    let (incidents_svg, others_svg) = monthly_charts(insights);
    let durations = &insights.durations;
    Overview {
        severities: insights.severities.names(),
        heat_map_svg,
        services: map.services.iter().map(|l| links.named(Facet::Service, &l.name)).collect(),
        heat_rows: heat_rows(insights, links),
        failures: map.retros,
        factors: ranked_rows(&insights.factors, Facet::Factor, links),
        triggers: ranked_rows(&insights.triggers, Facet::Trigger, links),
        incidents_svg,
        others_svg,
        months: insights
            .monthly
            .months
            .iter()
            .map(|m| MonthRow {
                label: m.label(),
                incident_total: m.incident_total(),
                incidents: m.incidents.clone(),
                near_misses: m.near_misses,
                game_days: m.game_days,
            })
            .collect(),
        detect_svg: svg::strip_plot(durations, Measure::Detect),
        resolve_svg: svg::strip_plot(durations, Measure::Resolve),
        durations: durations
            .services
            .iter()
            .map(|s| DurationRow {
                service: links.named(Facet::Service, &s.service),
                detect: spread_view(&s.detect),
                resolve: spread_view(&s.resolve),
            })
            .collect(),
        timed_incidents: durations.incidents,
        left_out: durations.left_out,
        definitions: Measure::ALL.map(|m| (m.label(), m.definition())),
        p90_min_n: P90_MIN_N,
        repeats: insights.repeats.iter().take(LATEST_REPEATS).map(|r| repeat_row(library, r)).collect(),
        repeat_count: insights.repeats.len(),
        window_days: WINDOW_DAYS,
    }
}

/// The heat map's numbers, row by row, with the cells' pages.
fn heat_rows<'a>(insights: &'a Insights<'_>, links: &Links<'a>) -> Vec<HeatRow<'a>> {
    let map = &insights.heatmap;
    (0..map.modes.len())
        .map(|row| HeatRow {
            mode: links.named(Facet::FailureMode, &map.modes[row].name),
            total: map.modes[row].total,
            cells: (0..map.services.len())
                .map(|column| {
                    let n = map.cell(row, column).retros.len();
                    (n, (n > 0).then(|| links.cell(&map.services[column].name, &map.modes[row].name)))
                })
                .collect(),
        })
        .collect()
}

/// Incidents by severity, and near misses and game days, per month.
fn monthly_charts(insights: &Insights<'_>) -> (String, String) {
    let severities: &Severities = &insights.severities;
    let series: Vec<Series<'_>> = severities
        .names()
        .iter()
        .enumerate()
        .map(|(i, name)| Series { name, class: views::severity_class(i) })
        .collect();
    let months = &insights.monthly.months;
    let columns = |values: &dyn Fn(&crate::insights::monthly::Month) -> Vec<usize>| -> Vec<Column> {
        months.iter().map(|m| Column { year: m.year, month: m.month, values: values(m) }).collect()
    };
    let incidents = svg::stacked_bars(
        "incidents-per-month",
        "Incidents per month, by severity",
        ("incident", "incidents"),
        &series,
        &columns(&|m| m.incidents.clone()),
    );
    let others = svg::stacked_bars(
        "others-per-month",
        "Near misses and game days per month",
        ("retro", "retros"),
        &[
            Series { name: "near miss", class: "kind-near-miss" },
            Series { name: "game day", class: "kind-game-day" },
        ],
        &columns(&|m| vec![m.near_misses, m.game_days]),
    );
    (incidents, others)
}

fn ranked_rows<'a>(ranking: &'a Ranking, facet: Facet, links: &Links<'a>) -> Vec<RankedRow<'a>> {
    ranking
        .entries
        .iter()
        .map(|entry| RankedRow {
            value: links.named(facet, &entry.name),
            retros: entry.retros,
            share: format!("{:.0}%", 100.0 * entry.retros as f64 / ranking.of.max(1) as f64),
            with_modes: entry
                .with_modes
                .iter()
                .map(|t| Together {
                    mode: links.named(Facet::FailureMode, &t.mode),
                    together: t.together,
                    mode_total: t.mode_total,
                })
                .collect(),
        })
        .collect()
}

fn spread_view(samples: &Samples) -> SpreadView {
    let spread = samples.spread;
    SpreadView { n: spread.n, median: spread.median.map(human_median), p90: spread.p90.map(human_minutes) }
}

fn repeat_row<'a>(library: &'a Library, repeat: &'a Repeat) -> RepeatRow<'a> {
    RepeatRow {
        earlier: RetroRow::new(&library.retros[repeat.earlier]),
        later: RetroRow::new(&library.retros[repeat.later]),
        days: repeat.days,
        services: &repeat.services,
        modes: &repeat.modes,
    }
}

/// The pages of every non-empty heat-map cell; returns how many were written.
fn render_cells(
    renderer: &Renderer<'_>,
    insights: &Insights<'_>,
    links: &Links<'_>,
) -> Result<usize, PageError> {
    let map = &insights.heatmap;
    let names: Vec<&str> = insights.severities.names().iter().map(String::as_str).collect();
    let cells: Vec<(usize, usize)> = (0..map.modes.len())
        .flat_map(|row| (0..map.services.len()).map(move |column| (row, column)))
        .filter(|&(row, column)| !map.cell(row, column).retros.is_empty())
        .collect();
    cells
        .par_iter()
        .map(|&(row, column)| {
            let (mode, service) = (&map.modes[row].name, &map.services[column].name);
            let cell = map.cell(row, column);
            let by_severity = names
                .iter()
                .zip(&cell.by_severity)
                .filter(|(_, n)| **n > 0)
                .map(|(name, n)| format!("{n} {name}"))
                .collect::<Vec<_>>()
                .join(", ");
            let title = format!("{mode} on {service}");
            let first_path = links.cell(service, mode);
            renderer.list_pages(
                "insights_cell.html",
                &first_path,
                &title,
                cell.retros.len(),
                |at, pager, rows| {
                    Ok(CellPage {
                        mode: links.named(Facet::FailureMode, mode),
                        service: links.named(Facet::Service, service),
                        count: cell.retros.len(),
                        by_severity: by_severity.clone(),
                        retros: rows.of(cell.retros[at].iter().copied())?,
                        pager,
                    })
                },
            )
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
}

/// Facet pages and cell pages by name.
struct Links<'a> {
    facets: &'a [FacetIndex],
}

impl<'a> Links<'a> {
    fn new(facets: &'a [FacetIndex]) -> Self {
        Links { facets }
    }

    fn index(&self, facet: Facet) -> Option<&'a FacetIndex> {
        self.facets.iter().find(|f| f.facet == facet)
    }

    fn named<'n>(&self, facet: Facet, name: &'n str) -> Named<'n> {
        Named { name, url: self.index(facet).and_then(|index| index.url_of(name)) }
    }

    fn slug(&self, facet: Facet, name: &str) -> String {
        self.index(facet)
            .and_then(|index| index.get(name))
            .map_or_else(|| "value".to_owned(), |v| v.slug.clone())
    }

    /// `insights/cells/<service>/<failure-mode>.html`, from the facets' unique slugs.
    fn cell(&self, service: &str, mode: &str) -> String {
        urls::heat_map_cell(&self.slug(Facet::Service, service), &self.slug(Facet::FailureMode, mode))
    }
}
