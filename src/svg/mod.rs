//! Charts drawn at build time as inline SVG: the only module that writes SVG.
//!
//! Every chart is `role="img"` (or `role="group"` when it holds links, which an image's
//! children cannot be) with a `<title>` and a `<desc>` for screen readers (pages put a table of
//! the same numbers beside it), and takes its colours from CSS classes, so it follows
//! the theme into dark mode. Every string from the library is escaped here.

mod bars;
mod heatmap;
mod strip;

pub use bars::{Column, Series, stacked_bars};
pub use heatmap::heat_map;
pub use strip::strip_plot;

use std::fmt::{self, Display, Write as _};

/// Width of one character of chart text, in SVG units: enough for most names in the theme's
/// sans-serif at 12 units, used to leave room for labels.
const CHAR_WIDTH: f64 = 6.6;
/// Room for the visible title above every chart.
const TITLE_H: f64 = 24.0;

/// An SVG document being written.
struct Doc {
    out: String,
}

impl Doc {
    /// Opens `<svg>` with its accessible name and description, and shows the title above a
    /// drawing area of `width` × `height`; `id` must be unique in the page.
    fn new(id: &str, width: f64, height: f64, title: &str, desc: &str) -> Doc {
        Doc::with_role("img", id, width, height, title, desc)
    }

    /// [`Doc::new`] for a chart whose parts are links: a screen reader reaches them in a group,
    /// where an image would hide them (axe's `nested-interactive`).
    fn with_links(id: &str, width: f64, height: f64, title: &str, desc: &str) -> Doc {
        Doc::with_role("group", id, width, height, title, desc)
    }

    fn with_role(role: &str, id: &str, width: f64, height: f64, title: &str, desc: &str) -> Doc {
        let mut doc = Doc { out: String::with_capacity(4096) };
        let (w, h) = (Num(width), Num(height + TITLE_H));
        let _ = write!(
            doc.out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{id}\" viewBox=\"0 0 {w} {h}\" \
             width=\"{w}\" height=\"{h}\" role=\"{role}\" aria-labelledby=\"{id}-title {id}-desc\">\
             <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{}</desc>\
             <text class=\"chart-title\" x=\"0\" y=\"15\">{title}</text><g transform=\"translate(0 {TITLE_H})\">",
            escape(desc),
            title = escape(title),
        );
        doc
    }

    /// `<name attrs>`.
    fn open(&mut self, name: &str, attrs: &[(&str, &dyn Display)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            let _ = write!(self.out, " {key}=\"{}\"", escape(&value.to_string()));
        }
        self.out.push('>');
    }

    /// `</name>`.
    fn close(&mut self, name: &str) {
        let _ = write!(self.out, "</{name}>");
    }

    /// `<name attrs/>`.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &dyn Display)]) {
        self.open(name, attrs);
        self.out.insert(self.out.len() - 1, '/');
    }

    /// `<text attrs>content</text>`.
    fn text(&mut self, attrs: &[(&str, &dyn Display)], content: &str) {
        self.open("text", attrs);
        self.out.push_str(&escape(content));
        self.close("text");
    }

    /// `<text attrs>` with `full` cut to `max` characters, and the whole of it as a tooltip.
    fn label(&mut self, attrs: &[(&str, &dyn Display)], full: &str, max: usize) {
        self.open("text", attrs);
        self.title(full);
        self.out.push_str(&escape(&truncate(full, max)));
        self.close("text");
    }

    /// `<title>content</title>`: the tooltip of the enclosing group.
    fn title(&mut self, content: &str) {
        let _ = write!(self.out, "<title>{}</title>", escape(content));
    }

    /// `<path class d/>`.
    fn path(&mut self, class: &str, d: &str) {
        self.leaf("path", &[("class", &class), ("d", &d)]);
    }

    /// Closes the drawing area and `<svg>`.
    fn finish(mut self) -> String {
        self.out.push_str("</g></svg>");
        self.out
    }
}

/// A coordinate, written with at most one decimal (no `-0`, no trailing `.0`).
#[derive(Debug, Clone, Copy)]
struct Num(f64);

impl Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        match (tenths / 10, tenths % 10) {
            (whole, 0) => write!(f, "{whole}"),
            (0, frac) if tenths < 0 => write!(f, "-0.{}", -frac),
            (whole, frac) => write!(f, "{whole}.{}", frac.abs()),
        }
    }
}

/// Escapes text and attribute values; drops control characters, which XML does not allow.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `text`, cut to `max` characters with an ellipsis; the full text goes in a tooltip.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The room a label of `chars` characters needs, capped at `max` characters.
fn label_width(chars: usize, max: usize) -> f64 {
    chars.min(max) as f64 * CHAR_WIDTH
}

/// A round step for an axis from 0 to `max` with about four gridlines: 1, 2 or 5 × 10ⁿ.
fn nice_step(max: usize) -> usize {
    let rough = (max as f64 / 4.0).max(1.0);
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= rough);
    step.unwrap_or(rough).round().max(1.0) as usize
}

/// "1 SEV1, 2 SEV3": the non-zero counts with their names.
fn breakdown(names: &[&str], counts: &[usize]) -> String {
    let parts: Vec<String> =
        names.iter().zip(counts).filter(|(_, n)| **n > 0).map(|(name, n)| format!("{n} {name}")).collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_are_short() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{7}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(Num(12.0).to_string(), "12");
        assert_eq!(Num(12.345).to_string(), "12.3");
        assert_eq!(Num(-0.04).to_string(), "0");
        assert_eq!(Num(-0.4).to_string(), "-0.4");
        assert_eq!(Num(-2.5).to_string(), "-2.5");
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!([1, 4, 5, 9, 17, 40, 130].map(nice_step), [1, 1, 2, 5, 5, 10, 50]);
    }

    #[test]
    fn leaf_elements_close_themselves() {
        let mut doc = Doc::new("c", 10.0, 10.0, "T <1>", "D");
        doc.leaf("rect", &[("x", &Num(1.25)), ("class", &"a\"b")]);
        let svg = doc.finish();
        assert!(svg.contains("<title id=\"c-title\">T &lt;1&gt;</title>"));
        assert!(svg.contains("<text class=\"chart-title\" x=\"0\" y=\"15\">T &lt;1&gt;</text>"));
        assert!(svg.ends_with("<rect x=\"1.3\" class=\"a&quot;b\"/></g></svg>"), "{svg}");
    }
}
