//! A strip plot of one duration per service: a dot per incident on a log scale (durations run
//! from minutes to days), a line at the median and a dashed one at the p90, and n, median and
//! p90 written beside each strip.

use std::collections::HashSet;
use std::fmt::Display;

use super::{Doc, Num, label_width, truncate};
use crate::format::plural;
use crate::format::{human_median, human_minutes};
use crate::insights::durations::{Durations, Measure, Samples};
use crate::insights::stats::P90_MIN_N;

const ROW_H: f64 = 26.0;
const PLOT_W: f64 = 420.0;
const STATS_W: f64 = 260.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 30.0;
const MAX_LABEL: usize = 28;
/// Axis ticks, in minutes.
const TICKS: [(i64, &str); 10] = [
    (1, "1 min"),
    (5, "5 min"),
    (15, "15 min"),
    (60, "1 h"),
    (240, "4 h"),
    (1440, "1 d"),
    (10_080, "1 w"),
    (43_200, "30 d"),
    (129_600, "90 d"),
    (525_600, "1 y"),
];

/// The strip plot of `measure` for every service of `durations`.
pub fn strip_plot(durations: &Durations, measure: Measure) -> String {
    let longest = durations.services.iter().map(|s| s.service.chars().count()).max().unwrap_or(0);
    let left = label_width(longest, MAX_LABEL) + 12.0;
    let max = durations.max(measure).unwrap_or(60);
    // The axis ends at the first tick past the longest duration (at least an hour).
    let end = TICKS.iter().map(|t| t.0).find(|&t| t >= max.max(60)).unwrap_or(max);
    let scale = Scale { left, end };
    let height = TOP + ROW_H * durations.services.len() as f64 + BOTTOM;
    let id = match measure {
        Measure::Detect => "time-to-detect",
        Measure::Resolve => "time-to-resolve",
    };
    let desc = format!(
        "One dot per incident, {} in all, on a log scale up to {}; a solid line marks each service's \
         median and a dashed line its p90. The table after the chart gives n, median and p90.",
        plural(durations.incidents, "incident", "incidents"),
        human_minutes(end),
    );
    let title = format!("{} per service", measure.label());
    let mut doc = Doc::new(id, left + PLOT_W + 16.0 + STATS_W, height, &title, &desc);
    legend(&mut doc, left);
    for (row, service) in durations.services.iter().enumerate() {
        let samples = service.samples(measure);
        let mid = TOP + ROW_H * (row as f64 + 0.5);
        doc.open("g", &[]);
        doc.title(&format!("{}, {}: {}", service.service, measure.label().to_lowercase(), stats(samples)));
        let attrs: [(&str, &dyn Display); 4] =
            [("class", &"label"), ("x", &Num(left - 10.0)), ("y", &Num(mid + 4.0)), ("text-anchor", &"end")];
        doc.text(&attrs, &truncate(&service.service, MAX_LABEL));
        doc.path("strip", &format!("M{} {}H{}", Num(left), Num(mid), Num(left + PLOT_W)));
        strip(&mut doc, &scale, samples, mid);
        let attrs: [(&str, &dyn Display); 3] =
            [("class", &"stats"), ("x", &Num(left + PLOT_W + 16.0)), ("y", &Num(mid + 4.0))];
        doc.text(&attrs, &stats(samples));
        doc.close("g");
    }
    axis(&mut doc, &scale, TOP + ROW_H * durations.services.len() as f64);
    doc.finish()
}

/// Where minutes go across the plot.
struct Scale {
    left: f64,
    end: i64,
}

impl Scale {
    /// Log scale from 1 minute to `end`; shorter durations sit at the left edge.
    fn x(&self, minutes: f64) -> f64 {
        let span = (self.end.max(2) as f64).ln();
        self.left + PLOT_W * (minutes.max(1.0).ln() / span).min(1.0)
    }
}

/// The dots, as one path of zero-length round-capped strokes (a tenth of the size of one
/// element per dot, which matters with thousands of incidents), and the median and p90 marks.
///
/// Dots sit on whole units across (half a unit off at most, for a dot seven wide), and one that
/// lands where an earlier one did is left out: a path's stroke is painted once, so overlapping
/// parts of it do not darken and the picture stays the same. A strip then has at most one dot
/// per unit and jitter step however many incidents it has: with 100,000 incidents the insights
/// page is about a megabyte instead of nearly five.
fn strip(doc: &mut Doc, scale: &Scale, samples: &Samples, mid: f64) {
    if samples.minutes.is_empty() {
        return;
    }
    let mut seen = HashSet::new();
    let mut dots = String::with_capacity(samples.minutes.len() * 14);
    for (k, &minutes) in samples.minutes.iter().enumerate() {
        // A fixed jitter, so that equal values stay visible and builds stay byte-identical.
        let jitter = (k * 7 % 9) as f64 - 4.0;
        let dot = format!("M{} {}h0", Num(scale.x(minutes as f64).round()), Num(mid + jitter));
        if seen.insert(dot.clone()) {
            dots.push_str(&dot);
        }
    }
    doc.path("dots", &dots);
    if let Some(median) = samples.spread.median {
        doc.path("median", &format!("M{} {}v18", Num(scale.x(median)), Num(mid - 9.0)));
    }
    if let Some(p90) = samples.spread.p90 {
        doc.path("p90", &format!("M{} {}v18", Num(scale.x(p90 as f64)), Num(mid - 9.0)));
    }
}

/// "n 12 · median 14 min · p90 48 min".
fn stats(samples: &Samples) -> String {
    let spread = samples.spread;
    let median = spread.median.map_or("—".to_owned(), human_median);
    let p90 = spread.p90.map_or("—".to_owned(), human_minutes);
    format!("n {} · median {median} · p90 {p90}", spread.n)
}

/// Ticks and their labels under the last row.
fn axis(doc: &mut Doc, scale: &Scale, y: f64) {
    doc.path("axis", &format!("M{} {}H{}", Num(scale.left), Num(y), Num(scale.left + PLOT_W)));
    for &(minutes, text) in TICKS.iter().filter(|t| t.0 <= scale.end) {
        let x = Num(scale.x(minutes as f64));
        doc.path("grid", &format!("M{x} {TOP}V{}", Num(y + 4.0)));
        doc.text(&[("class", &"tick"), ("x", &x), ("y", &Num(y + 16.0)), ("text-anchor", &"middle")], text);
    }
}

/// What the dot and the two lines mean.
fn legend(doc: &mut Doc, left: f64) {
    doc.path("dots", &format!("M{} 14h0", Num(left + 4.0)));
    doc.text(&[("class", &"legend"), ("x", &Num(left + 12.0)), ("y", &18)], "one incident");
    doc.path("median", &format!("M{} 6v16", Num(left + 110.0)));
    doc.text(&[("class", &"legend"), ("x", &Num(left + 116.0)), ("y", &18)], "median");
    doc.path("p90", &format!("M{} 6v16", Num(left + 180.0)));
    let p90 = format!("p90 (from {P90_MIN_N} incidents)");
    doc.text(&[("class", &"legend"), ("x", &Num(left + 186.0)), ("y", &18)], &p90);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_on_the_same_spot_are_drawn_once() {
        let scale = Scale { left: 100.0, end: 1440 };
        let minutes = vec![30; 1000];
        let samples = Samples { minutes, spread: Default::default() };
        let mut doc = Doc::new("t", 800.0, 100.0, "t", "t");
        strip(&mut doc, &scale, &samples, 50.0);
        let svg = doc.finish();
        let dots = svg.split("class=\"dots\" d=\"").nth(1).and_then(|d| d.split('"').next()).expect("dots");
        // A thousand incidents of the same length: one column of the nine jitter steps.
        assert_eq!(dots.matches('M').count(), 9, "{dots}");
    }
}
