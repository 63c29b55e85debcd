//! The failure mode × service heat map: one cell per pair, shaded by its count, with the count
//! written in it and a bar along its bottom split by severity; each cell links to its retros.

use std::fmt::Display;

use super::{Doc, Num, breakdown, label_width, truncate};
use crate::format::plural;
use crate::insights::Severities;
use crate::insights::heatmap::{HeatMap, Line};
use crate::views::severity_class;

const CELL_W: f64 = 38.0;
const CELL_H: f64 = 28.0;
const SEVERITY_BAR: f64 = 4.0;
/// Longest label shown in full, in characters.
const MAX_LABEL: usize = 28;
/// Shading of a cell with count 1; the busiest cell is fully shaded.
const MIN_OPACITY: f64 = 0.15;
/// Room the legend needs, right of the row labels.
const LEGEND_WIDTH: f64 = 430.0;

/// The heat map of `map`; `href(row, column)` is the link of a non-empty cell.
pub fn heat_map(map: &HeatMap, severities: &Severities, href: impl Fn(usize, usize) -> String) -> String {
    let longest = |lines: &[Line]| lines.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
    let left = label_width(longest(&map.modes), MAX_LABEL) + 8.0;
    // Column labels are turned 45°: they need about 0.7 of their length in height and width.
    let top = label_width(longest(&map.services), MAX_LABEL) * 0.72 + 12.0;
    let grid_h = CELL_H * map.modes.len() as f64;
    let width = (left + CELL_W * map.services.len() as f64 + top).max(left + LEGEND_WIDTH);
    let desc = format!(
        "{} across {} and {}; the busiest cell has {}. The table after the chart gives every count.",
        plural(map.retros, "incident or near miss", "incidents and near misses"),
        plural(map.modes.len(), "failure mode", "failure modes"),
        plural(map.services.len(), "service", "services"),
        map.max,
    );
    let title = "Incidents and near misses per failure mode and service";
    let mut doc = Doc::with_links("heat-map", width, top + grid_h + 52.0, title, &desc);
    for (column, service) in map.services.iter().enumerate() {
        let x = left + CELL_W * (column as f64 + 0.5);
        let transform = format!("translate({} {}) rotate(-45)", Num(x), Num(top - 6.0));
        doc.label(&[("class", &"label"), ("transform", &transform)], &service.name, MAX_LABEL);
    }
    let grid = Grid { left, top, names: severities.names().iter().map(String::as_str).collect() };
    for (row, mode) in map.modes.iter().enumerate() {
        let y = Num(top + CELL_H * row as f64 + CELL_H / 2.0 + 4.0);
        let attrs: [(&str, &dyn Display); 4] =
            [("class", &"label"), ("x", &Num(left - 8.0)), ("y", &y), ("text-anchor", &"end")];
        doc.label(&attrs, &mode.name, MAX_LABEL);
        for column in 0..map.services.len() {
            grid.cell(&mut doc, map, row, column, &href(row, column));
        }
    }
    legend(&mut doc, severities, map.max, left, top + grid_h + 20.0);
    doc.finish()
}

/// Where the cells go and how they are named.
struct Grid<'a> {
    left: f64,
    top: f64,
    names: Vec<&'a str>,
}

impl Grid<'_> {
    /// One cell: empty, or shaded by its count, with the count, a severity bar and a link.
    fn cell(&self, doc: &mut Doc, map: &HeatMap, row: usize, column: usize, href: &str) {
        let cell = map.cell(row, column);
        let (x, y) = (self.left + CELL_W * column as f64, self.top + CELL_H * row as f64);
        let n = cell.retros.len();
        if n == 0 {
            let attrs: [(&str, &dyn Display); 5] = [
                ("class", &"heat-empty"),
                ("x", &Num(x)),
                ("y", &Num(y)),
                ("width", &CELL_W),
                ("height", &CELL_H),
            ];
            doc.leaf("rect", &attrs);
            return;
        }
        let label = format!(
            "{} on {}: {} ({})",
            map.modes[row].name,
            map.services[column].name,
            plural(n, "retro", "retros"),
            breakdown(&self.names, &cell.by_severity)
        );
        // The title names the link and is its tooltip (an aria-label would repeat it per cell).
        doc.open("a", &[("href", &href)]);
        doc.title(&label);
        let opacity = MIN_OPACITY + (1.0 - MIN_OPACITY) * (n - 1) as f64 / (map.max.max(2) - 1) as f64;
        let attrs: [(&str, &dyn Display); 6] = [
            ("class", &"heat"),
            ("x", &Num(x)),
            ("y", &Num(y)),
            ("width", &CELL_W),
            ("height", &CELL_H),
            ("fill-opacity", &Num(opacity)),
        ];
        doc.leaf("rect", &attrs);
        // Dark shades take the page background's colour for the number, so it stays legible.
        let class = if opacity >= 0.6 { "count strong" } else { "count" };
        let text_y = Num(y + CELL_H / 2.0 + 2.0);
        doc.text(&[("class", &class), ("x", &Num(x + CELL_W / 2.0)), ("y", &text_y)], &n.to_string());
        severity_bar(doc, &cell.by_severity, x, y + CELL_H - SEVERITY_BAR);
        doc.close("a");
    }
}

/// A bar split by severity, most severe first, across the bottom of a cell.
fn severity_bar(doc: &mut Doc, counts: &[usize], x: f64, y: f64) {
    let total: usize = counts.iter().sum();
    let mut left = x + 1.0;
    for (index, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let w = (CELL_W - 2.0) * n as f64 / total as f64;
        let attrs: [(&str, &dyn Display); 5] = [
            ("class", &severity_class(index)),
            ("x", &Num(left)),
            ("y", &Num(y)),
            ("width", &Num(w)),
            ("height", &SEVERITY_BAR),
        ];
        doc.leaf("rect", &attrs);
        left += w;
    }
}

/// What the shading and the bar mean.
fn legend(doc: &mut Doc, severities: &Severities, max: usize, x: f64, y: f64) {
    doc.text(&[("class", &"legend"), ("x", &Num(x)), ("y", &Num(y))], "Retros per cell:");
    let mut at = x + 100.0;
    for (n, opacity) in [(1, MIN_OPACITY), (max.max(1), 1.0)] {
        swatch(doc, "heat", at, y, Some(opacity));
        doc.text(&[("class", &"legend"), ("x", &Num(at + 14.0)), ("y", &Num(y))], &n.to_string());
        at += 44.0;
    }
    let y = y + 20.0;
    doc.text(&[("class", &"legend"), ("x", &Num(x)), ("y", &Num(y))], "Bar along the bottom: severity");
    let mut at = x + 190.0;
    for (index, name) in severities.names().iter().enumerate() {
        swatch(doc, severity_class(index), at, y, None);
        doc.text(&[("class", &"legend"), ("x", &Num(at + 14.0)), ("y", &Num(y))], &truncate(name, 12));
        at += label_width(name.chars().count(), 12) + 26.0;
    }
}

/// A 10-unit square of `class` for a legend, its bottom on the text baseline `y`.
fn swatch(doc: &mut Doc, class: &str, x: f64, y: f64, opacity: Option<f64>) {
    let (x, y) = (Num(x), Num(y - 9.0));
    match opacity {
        Some(o) => doc.leaf(
            "rect",
            &[
                ("class", &class),
                ("x", &x),
                ("y", &y),
                ("width", &10),
                ("height", &10),
                ("fill-opacity", &Num(o)),
            ],
        ),
        None => doc.leaf("rect", &[("class", &class), ("x", &x), ("y", &y), ("width", &10), ("height", &10)]),
    }
}
