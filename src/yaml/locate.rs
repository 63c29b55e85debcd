//! Where a path such as `action_items[2].status` sits in a YAML text, from `yaml-rust2`'s
//! marked events: looked up only when a diagnostic needs a position.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::lines::{self, Breaks};
use super::{Segment, YamlPath};

/// Where a node sits in the YAML text: 1-based line and column, and its width in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Line inside the YAML text (1-based).
    pub line: usize,
    /// Column in characters (1-based).
    pub column: usize,
    /// Width in characters of the token (at least 1).
    pub width: usize,
}

/// Which part of a mapping entry to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key of the entry (for unknown keys).
    Key,
    /// The value of the entry (for invalid values).
    Value,
}

/// Finds the span of the node at `path`; when it is absent, the span of its deepest ancestor.
/// Returns `None` only when not even the first segment exists (or the text does not parse).
pub fn locate(text: &str, path: &[Segment], part: Part) -> Option<Span> {
    let mut finder = Finder { target: path, part, stack: Vec::new(), pending: Vec::new(), best: None };
    let mut parser = Parser::new_from_str(text);
    // A parse error here means the text is malformed; whatever was found before it still helps.
    let _ = parser.load(&mut finder, false);
    finder.best.map(|(_, span)| text_span(text, span))
}

/// [`locate`] for several paths in one parse, for a file with several findings: the spans in
/// the order of `targets`.
pub fn locate_all(text: &str, targets: &[(YamlPath, Part)]) -> Vec<Option<Span>> {
    let finders = targets
        .iter()
        .map(|(path, part)| Finder {
            target: path,
            part: *part,
            stack: Vec::new(),
            pending: Vec::new(),
            best: None,
        })
        .collect();
    let mut all = Finders(finders);
    let mut parser = Parser::new_from_str(text);
    // As in `locate`: what was found before a parse error still helps.
    let _ = parser.load(&mut all, false);
    all.0.into_iter().map(|finder| finder.best.map(|(_, span)| text_span(text, span))).collect()
}

/// Feeds one parse to several finders.
struct Finders<'a>(Vec<Finder<'a>>);

impl MarkedEventReceiver for Finders<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        for finder in &mut self.0 {
            finder.on_event(event.clone(), mark);
        }
    }
}

enum Frame {
    Map { key: Option<Segment>, awaiting_key: bool },
    Seq { next: usize },
}

/// A container whose position is not yet known: block containers are reported at their first
/// child, which is where a reader's eye goes (`- id: AI-1`, not the end of the previous line).
struct Pending {
    path: Vec<Segment>,
    depth: usize,
    start: Span,
}

struct Finder<'a> {
    target: &'a [Segment],
    part: Part,
    stack: Vec<Frame>,
    pending: Vec<Pending>,
    /// The best match so far: how many segments it matched, and where.
    best: Option<(usize, Span)>,
}

impl Finder<'_> {
    /// The path of the node about to start, and whether it is a mapping key.
    fn position_of_next_node(&mut self) -> (Vec<Segment>, bool) {
        let mut path = Vec::with_capacity(self.stack.len());
        for frame in &self.stack {
            match frame {
                Frame::Map { key: Some(key), awaiting_key: false } => path.push(key.clone()),
                Frame::Seq { next } => path.push(Segment::Index(*next)),
                Frame::Map { .. } => {}
            }
        }
        let is_key = matches!(self.stack.last(), Some(Frame::Map { awaiting_key: true, .. }));
        (path, is_key)
    }

    fn record(&mut self, path: &[Segment], depth_bonus: bool, span: Span) {
        let matched = path.iter().zip(self.target).take_while(|(a, b)| a == b).count();
        if matched != path.len() {
            return;
        }
        // Prefer deeper matches; at equal depth prefer the requested part (`depth_bonus`).
        let score = matched * 2 + usize::from(depth_bonus);
        if self.best.is_none_or(|(best, _)| score > best) {
            self.best = Some((score, span));
        }
    }

    /// Gives pending containers the position of their first child.
    fn settle_pending(&mut self, child: Span) {
        for pending in std::mem::take(&mut self.pending) {
            let exact = pending.path.len() == self.target.len();
            self.record(&pending.path, exact && self.part == Part::Value, child);
        }
    }

    /// Called after a complete node (scalar, alias or closed container) to advance the parent.
    fn finish_node(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { awaiting_key, key }) => {
                if !*awaiting_key {
                    *key = None;
                }
                *awaiting_key = !*awaiting_key;
            }
            Some(Frame::Seq { next }) => *next += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Finder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let span = |width: usize| Span { line: mark.line(), column: mark.col() + 1, width };
        match event {
            Event::Scalar(value, style, ..) => {
                let (path, is_key) = self.position_of_next_node();
                let quoted = !matches!(style, TScalarStyle::Plain);
                let width = value.chars().count().max(1) + if quoted { 2 } else { 0 };
                self.settle_pending(span(width));
                if is_key {
                    let mut key_path = path;
                    key_path.push(Segment::Key(value.clone()));
                    self.record(&key_path, self.part == Part::Key, span(width));
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some(Segment::Key(value));
                    }
                } else {
                    let exact = path.len() == self.target.len();
                    self.record(&path, exact && self.part == Part::Value, span(width));
                }
                self.finish_node();
            }
            Event::Alias(_) => {
                self.settle_pending(span(1));
                let (path, _) = self.position_of_next_node();
                self.record(&path, self.part == Part::Value, span(1));
                self.finish_node();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let (path, _) = self.position_of_next_node();
                if !path.is_empty() {
                    self.pending.push(Pending { path, depth: self.stack.len() + 1, start: span(1) });
                }
                self.stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map { key: None, awaiting_key: true }
                } else {
                    Frame::Seq { next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // An empty container never had a child: it is reported where it started.
                let depth = self.stack.len();
                if let Some(index) = self.pending.iter().position(|p| p.depth == depth) {
                    let pending = self.pending.remove(index);
                    let exact = pending.path.len() == self.target.len();
                    self.record(&pending.path, exact && self.part == Part::Value, pending.start);
                }
                self.stack.pop();
                self.finish_node();
            }
            _ => {}
        }
    }
}

/// A `yaml-rust2` span in the text's own lines and columns (see [`lines::text_position`]).
fn text_span(text: &str, span: Span) -> Span {
    let (line, column) = lines::text_position(text, Breaks::YamlRust, span.line, span.column);
    Span { line, column, ..span }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::path_from_dotted;

    const DOC: &str = "title: Hello\nservices: [a, bb]\naction_items:\n  - id: AI-1\n    status: \"opne\"\n";

    fn at(path: &str, part: Part) -> Option<(usize, usize, usize)> {
        locate(DOC, &path_from_dotted(path), part).map(|s| (s.line, s.column, s.width))
    }

    #[test]
    fn locates_values_keys_and_nested_items() {
        assert_eq!(at("title", Part::Value), Some((1, 8, 5)));
        assert_eq!(at("title", Part::Key), Some((1, 1, 5)));
        assert_eq!(at("services.1", Part::Value), Some((2, 15, 2)));
        assert_eq!(at("action_items.0.status", Part::Value), Some((5, 13, 6)));
    }

    #[test]
    fn locate_all_agrees_with_locate() {
        let targets: Vec<(YamlPath, Part)> = ["title", "services.1", "action_items.0.owner", "nothing"]
            .iter()
            .map(|dotted| (path_from_dotted(dotted), Part::Value))
            .collect();
        let one_by_one: Vec<Option<Span>> =
            targets.iter().map(|(path, part)| locate(DOC, path, *part)).collect();
        assert_eq!(locate_all(DOC, &targets), one_by_one);
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor() {
        assert_eq!(at("action_items.0.owner", Part::Value), Some((4, 5, 2)));
        assert_eq!(at("nothing", Part::Value), None);
    }
}
