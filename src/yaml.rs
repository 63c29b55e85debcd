//! The one module that knows YAML.
//!
//! Typed parsing goes through `serde_yaml` (deprecated upstream, so it stays behind this module),
//! and source positions for semantic errors come from `yaml-rust2`'s marked events. Positions are
//! looked up lazily, only when a diagnostic needs one, so the happy path parses each block once.

mod lines;
mod locate;

use lines::Breaks;
pub use locate::{Part, Span, locate, locate_all};
use serde::de::DeserializeOwned;

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

#[cfg(test)]
mod tests {
    use super::*;

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
