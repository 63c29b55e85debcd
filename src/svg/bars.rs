//! Stacked bars per calendar month, the first series at the bottom, with a round y axis.

use std::fmt::Display;

use super::{Doc, Num, breakdown, nice_step};
use crate::format::plural;

const WIDTH: f64 = 760.0;
const PLOT_H: f64 = 160.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 36.0;
const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/// Up to this many months, every month is labelled; beyond it, only the years.
const LABEL_EVERY_MONTH: usize = 18;

/// One stacked series.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    /// Its name, for the legend and tooltips.
    pub name: &'a str,
    /// The CSS class that colours it.
    pub class: &'a str,
}

/// One month's bar.
#[derive(Debug, Clone)]
pub struct Column {
    /// The year.
    pub year: i32,
    /// 1..=12.
    pub month: u32,
    /// A value per series.
    pub values: Vec<usize>,
}

/// A stacked bar chart of `columns`; `unit` is the singular and plural of what is counted.
pub fn stacked_bars(
    id: &str,
    title: &str,
    unit: (&str, &str),
    series: &[Series<'_>],
    columns: &[Column],
) -> String {
    let totals: Vec<usize> = columns.iter().map(|c| c.values.iter().sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let step = nice_step(max);
    let top_value = max.div_ceil(step).max(1) * step;
    let desc = match (columns.first(), columns.last()) {
        (Some(first), Some(last)) => format!(
            "{} from {} to {}; at most {} in a month. The table after the chart gives every month.",
            plural(totals.iter().sum(), unit.0, unit.1),
            label(first),
            label(last),
            max
        ),
        _ => format!("No {} yet.", unit.1),
    };
    let mut doc = Doc::new(id, WIDTH, TOP + PLOT_H + BOTTOM, title, &desc);
    legend(&mut doc, series);
    let scale = Scale { top_value, bar: (WIDTH - LEFT - RIGHT) / columns.len().max(1) as f64 };
    for value in (0..=top_value).step_by(step) {
        let y = Num(scale.y(value));
        doc.path("grid", &format!("M{LEFT} {y}H{}", Num(WIDTH - RIGHT)));
        let attrs: [(&str, &dyn Display); 4] =
            [("class", &"tick"), ("x", &Num(LEFT - 6.0)), ("y", &Num(y.0 + 4.0)), ("text-anchor", &"end")];
        doc.text(&attrs, &value.to_string());
    }
    let names: Vec<&str> = series.iter().map(|s| s.name).collect();
    for (index, (column, &total)) in columns.iter().zip(&totals).enumerate() {
        x_label(&mut doc, column, index, columns.len(), LEFT + scale.bar * index as f64, scale.bar);
        if total > 0 {
            doc.open("g", &[]);
            let breakdown = breakdown(&names, &column.values);
            doc.title(&format!("{}: {} ({breakdown})", label(column), plural(total, unit.0, unit.1)));
            scale.stack(&mut doc, series, &column.values, index);
            doc.close("g");
        }
    }
    doc.finish()
}

/// Where values and months go.
struct Scale {
    /// The value at the top of the plot.
    top_value: usize,
    /// The width of one month.
    bar: f64,
}

impl Scale {
    fn y(&self, value: usize) -> f64 {
        TOP + PLOT_H - PLOT_H * value as f64 / self.top_value as f64
    }

    /// One month's bar: a rectangle per non-zero series, the first at the bottom.
    fn stack(&self, doc: &mut Doc, series: &[Series<'_>], values: &[usize], index: usize) {
        let gap = if self.bar > 4.0 { 1.0 } else { 0.0 };
        let x = Num(LEFT + self.bar * index as f64 + gap / 2.0);
        let mut base = 0;
        for (value, s) in values.iter().zip(series).filter(|(v, _)| **v > 0) {
            let (y0, y1) = (self.y(base), self.y(base + value));
            let attrs: [(&str, &dyn Display); 5] = [
                ("class", &s.class),
                ("x", &x),
                ("y", &Num(y1)),
                ("width", &Num(self.bar - gap)),
                ("height", &Num(y0 - y1)),
            ];
            doc.leaf("rect", &attrs);
            base += value;
        }
    }
}

/// `YYYY-MM`.
fn label(column: &Column) -> String {
    format!("{:04}-{:02}", column.year, column.month)
}

/// Month names when there are few months; otherwise each January's year, with a tick.
fn x_label(doc: &mut Doc, column: &Column, index: usize, count: usize, x: f64, bar: f64) {
    let baseline = TOP + PLOT_H + 14.0;
    let month = MONTHS[(column.month as usize).clamp(1, 12) - 1];
    if count <= LABEL_EVERY_MONTH {
        let centre = Num(x + bar / 2.0);
        doc.text(
            &[("class", &"tick"), ("x", &centre), ("y", &Num(baseline)), ("text-anchor", &"middle")],
            month,
        );
        if column.month == 1 || index == 0 {
            let attrs: [(&str, &dyn Display); 4] = [
                ("class", &"tick"),
                ("x", &centre),
                ("y", &Num(baseline + 14.0)),
                ("text-anchor", &"middle"),
            ];
            doc.text(&attrs, &column.year.to_string());
        }
    } else if column.month == 1 || (index == 0 && column.month <= 9) {
        doc.path("axis", &format!("M{} {}v5", Num(x), Num(TOP + PLOT_H)));
        doc.text(
            &[("class", &"tick"), ("x", &Num(x + 2.0)), ("y", &Num(baseline + 2.0))],
            &column.year.to_string(),
        );
    }
}

/// A swatch and name per series, along the top.
fn legend(doc: &mut Doc, series: &[Series<'_>]) {
    let mut x = LEFT;
    for s in series {
        doc.leaf("rect", &[("class", &s.class), ("x", &Num(x)), ("y", &8), ("width", &10), ("height", &10)]);
        doc.text(&[("class", &"legend"), ("x", &Num(x + 14.0)), ("y", &17)], s.name);
        x += 14.0 + super::label_width(s.name.chars().count(), 24) + 16.0;
    }
}
