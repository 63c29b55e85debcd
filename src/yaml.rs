//! The one module that knows YAML.
//!
//! Typed parsing goes through `serde_yaml` (deprecated upstream, so it stays behind this module),
//! and source positions for semantic errors come from `yaml-rust2`'s marked events. Positions are
//! looked up lazily, only when a diagnostic needs one, so the happy path parses each block once.

mod lines;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use lines::Breaks;

/// A YAML parse or type error, with a 1-based position inside the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What went wrong, without serde_yaml's trailing "at line X column Y".
    pub message: String,
    /// Line inside the YAML text (1-based).
    pub line: usize,
    /// Column in characters (1-based).
    pub column: usize,
    /// Whether the YAML itself is malformed (as opposed to a well-formed value of the wrong type).
    pub is_syntax: bool,
    /// For syntax errors, where the construct the parser gave up on began (line, column), e.g.
    /// the opening quote of an unclosed string: `line`/`column` then point here instead, and
    /// `stopped_at_line` says where the parser noticed.
    pub stopped_at_line: Option<usize>,
}

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a mapping.
    Key(String),
    /// An index into a sequence.
    Index(usize),
}

/// A path into a YAML document such as `action_items[2].status`.
pub type YamlPath = Vec<Segment>;

/// Builds a path from `"action_items.2.status"`-style text (the form `serde_ignored` prints).
pub fn path_from_dotted(dotted: &str) -> YamlPath {
    dotted
        .split('.')
        .filter(|part| !part.is_empty() && *part != "?")
        .map(|part| match part.parse::<usize>() {
            Ok(index) => Segment::Index(index),
            Err(_) => Segment::Key(part.to_owned()),
        })
        .collect()
}

/// Parses `text` into `T`, returning the value and the dotted paths of keys `T` does not know.
pub fn parse_with_unknown_keys<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<String>), YamlError> {
    // An empty block is an empty mapping, not "EOF while parsing a value".
    let text = if text.trim().is_empty() { "{}" } else { text };
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let mut unknown = Vec::new();
    let value = serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
        .map_err(|error| to_yaml_error(&error, text))?;
    Ok((value, unknown))
}

/// Parses `text` into `T`, ignoring unknown keys.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse_with_unknown_keys(text).map(|(value, _)| value)
}

fn to_yaml_error(error: &serde_yaml::Error, text: &str) -> YamlError {
    let (message, positions) = split_positions(&error.to_string());
    let (message, offset) = split_offset(message);
    // Positions from libyaml count its own line breaks; a byte offset is already in the text's.
    let in_libyaml_lines = offset.is_none();
    let (mut line, mut column) = match (offset, error.location()) {
        // libyaml's reader (e.g. on a NUL byte) gives a byte offset and reports 1:1 as location.
        (Some(offset), _) => line_and_column(text, offset),
        (None, Some(location)) => (location.line(), location.column()),
        (None, None) => positions.first().copied().unwrap_or((1, 1)),
    };
    let to_text = |line, column| {
        if in_libyaml_lines {
            lines::text_position(text, Breaks::Libyaml, line, column)
        } else {
            (line, column)
        }
    };
    // serde_yaml reports type errors as "field: invalid type ..."; a scanner or parser error is
    // anything that did not come from a well-formed document. Skipping the document checks its
    // syntax without building it: building would expand aliases and nest, and fail on
    // serde_yaml's limits (an alias bomb, 2,000 nested lists) as if the syntax were wrong.
    let is_syntax = serde_yaml::from_str::<serde::de::IgnoredAny>(text).is_err();
    let mut stopped_at_line = None;
    // libyaml names two places: where it stopped, and where the construct it was reading began.
    if let (true, Some(&(context_line, context_column))) = (is_syntax, positions.get(1)) {
        stopped_at_line = Some(to_text(line, column).0);
        (line, column) = (context_line, context_column);
    }
    (line, column) = to_text(line, column);
    YamlError { message, line, column, is_syntax, stopped_at_line }
}

/// Removes a trailing " at position N" (a byte offset) from libyaml's message and returns N.
fn split_offset(message: String) -> (String, Option<usize>) {
    let Some((before, digits)) = message.rsplit_once(" at position ") else {
        return (message, None);
    };
    match digits.parse() {
        Ok(offset) => (before.to_owned(), Some(offset)),
        Err(_) => (message, None),
    }
}

/// The 1-based line and character column of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
    (line, column)
}

/// A `yaml-rust2` span in the text's own lines and columns (see [`lines::text_position`]).
fn text_span(text: &str, span: Span) -> Span {
    let (line, column) = lines::text_position(text, Breaks::YamlRust, span.line, span.column);
    Span { line, column, ..span }
}

/// Removes every " at line N column M" from libyaml's message and returns the positions.
fn split_positions(full: &str) -> (String, Vec<(usize, usize)>) {
    let mut message = String::with_capacity(full.len());
    let mut positions = Vec::new();
    let mut rest = full;
    while let Some(start) = rest.find(" at line ") {
        message.push_str(&rest[..start]);
        let after = &rest[start + " at line ".len()..];
        let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).collect::<String>();
        let line = digits(after);
        let Some(tail) = after[line.len()..].strip_prefix(" column ") else {
            message.push_str(" at line ");
            rest = after;
            continue;
        };
        let column = digits(tail);
        positions.push((line.parse().unwrap_or(1), column.parse().unwrap_or(1)));
        rest = &tail[column.len()..];
    }
    message.push_str(rest);
    (message, positions)
}

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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn type_errors_carry_positions_and_unknown_keys_are_reported() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code, reason = "only deserialized")]
            services: Vec<String>,
        }
        let err = parse::<T>("services: one\n").unwrap_err();
        assert_eq!((err.line, err.column, err.is_syntax), (1, 11, false));
        assert!(err.message.contains("expected a sequence"), "{}", err.message);
        let (_, unknown) = parse_with_unknown_keys::<T>("services: []\nsevrity: x\n").unwrap();
        assert_eq!(unknown, vec!["sevrity".to_owned()]);
        let syntax = parse::<T>("title: x\nservices: [a\n").unwrap_err();
        assert!(syntax.is_syntax);
        assert_eq!((syntax.line, syntax.column), (2, 11), "{syntax:?}");
        assert!(!syntax.message.contains(" at line "), "{}", syntax.message);
    }

    #[test]
    fn a_control_character_is_a_syntax_error_at_its_own_position() {
        let err = parse::<serde::de::IgnoredAny>("id: x\ntitle: \"é\0b\"\n").unwrap_err();
        assert_eq!(err.message, "control characters are not allowed");
        assert_eq!((err.line, err.column, err.is_syntax), (2, 10, true));
    }

    #[test]
    fn limits_of_serde_yaml_are_not_syntax_errors() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code, reason = "only deserialized")]
            tags: Vec<String>,
        }
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ntags: *h\n";
        let deep = format!("tags: {}{}\n", "[".repeat(2000), "]".repeat(2000));
        for text in [bomb, deep.as_str()] {
            let err = parse::<T>(text).unwrap_err();
            assert!(!err.is_syntax, "{err:?}");
            assert!(err.message.starts_with("tags[0]: invalid type: sequence"), "{err:?}");
        }
    }
}

/// `text` as a YAML scalar for a file people edit: plain when it reads back as the same string
/// and is safe inside a flow sequence (`[a, b]`), double-quoted otherwise. Empty text stays
/// empty, which YAML reads as "no value".
pub fn scalar(text: &str) -> String {
    const FLOW_UNSAFE: &str = ",[]{}#&*!|>'\"%@`:?";
    let plain_safe =
        text.trim() == text && !text.contains(|c: char| FLOW_UNSAFE.contains(c) || c.is_control());
    if text.is_empty() || (plain_safe && serde_yaml::from_str::<String>(text).is_ok_and(|back| back == text))
    {
        return text.to_owned();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod scalar_tests {
    use super::scalar;

    #[test]
    fn plain_only_when_it_reads_back_unchanged() {
        assert_eq!(scalar("SEV2"), "SEV2");
        assert_eq!(scalar("payments-api"), "payments-api");
        for text in ["null", "true", "a, b", "x: y", "#tag", " padded", "say \"hi\"\\", "tab\there", "1.0"] {
            let written = scalar(text);
            let back: String = serde_yaml::from_str(&written).unwrap();
            assert_eq!(back, text, "{written}");
            let list: Vec<String> = serde_yaml::from_str(&format!("[{written}, x]")).unwrap();
            assert_eq!(list[0], text, "in a flow sequence: {written}");
        }
        assert_eq!(scalar(""), "");
    }
}
