//! Line numbers as the file has them. The YAML parsers end lines at more than `\n`, so their
//! positions are converted before a diagnostic shows them.

/// The characters a YAML parser ends a line at. Both parsers take `\n`, `\r\n` and a lone `\r`;
/// libyaml also U+0085, U+2028 and U+2029.
#[derive(Debug, Clone, Copy)]
pub(super) enum Breaks {
    /// libyaml, behind `serde_yaml`.
    Libyaml,
    /// `yaml-rust2`.
    YamlRust,
}

impl Breaks {
    fn is_break(self, c: char) -> bool {
        match self {
            Breaks::Libyaml => matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'),
            Breaks::YamlRust => matches!(c, '\n' | '\r'),
        }
    }
}

/// Converts a parser's 1-based line and column in `text` into the text's own, where only `\n`
/// ends a line, as editors, `codespan-reporting` and every other diagnostic count. Found by
/// fuzzing: the parsers also end lines at a lone `\r` (and libyaml at U+2028 and friends), so one
/// in a file moved every later position down, up to a line past the end of the file. A column
/// past the end of its line stays at the line's end.
pub(super) fn text_position(text: &str, breaks: Breaks, line: usize, column: usize) -> (usize, usize) {
    let (mut parser_line, mut parser_column) = (1, 1);
    let (mut text_line, mut text_column) = (1, 1);
    let mut chars = text.chars().peekable();
    while (parser_line, parser_column) < (line, column) {
        let Some(c) = chars.next() else { break };
        if !breaks.is_break(c) {
            parser_column += 1;
            text_column += 1;
            continue;
        }
        if parser_line == line {
            break;
        }
        (parser_line, parser_column) = (parser_line + 1, 1);
        let crlf = c == '\r' && chars.next_if_eq(&'\n').is_some();
        if c == '\n' || crlf {
            (text_line, text_column) = (text_line + 1, 1);
        } else {
            text_column += 1;
        }
    }
    (text_line, text_column)
}

#[cfg(test)]
mod tests {
    use crate::yaml::{Part, locate, locate_all, parse, path_from_dotted};

    /// Found by the front_matter fuzzer: a lone `\r` (an old Mac line end) counted as a line by
    /// the YAML parsers put a syntax error on a line past the end of the file.
    #[test]
    fn fuzz_front_matter_lone_carriage_return_moves_positions() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code, reason = "only deserialized")]
            severity: Option<String>,
            #[allow(dead_code, reason = "only deserialized")]
            services: Vec<String>,
        }
        // One text line; the parsers see two. The error points at the unclosed `[`.
        let syntax = parse::<T>("severity: x\rservices: [a\n").unwrap_err();
        assert_eq!((syntax.line, syntax.column, syntax.stopped_at_line), (1, 23, Some(2)), "{syntax:?}");
        // libyaml alone also ends lines at U+2028 (and U+0085, U+2029), here inside a string.
        let syntax = parse::<T>("severity: \"a\u{2028}b\"\nservices: [a\n").unwrap_err();
        assert_eq!((syntax.line, syntax.column, syntax.stopped_at_line), (2, 11, Some(3)), "{syntax:?}");
        let text = "severity: x\rservices: one\r\nsevrity: y\n";
        let wrong = parse::<T>(text).unwrap_err();
        assert_eq!((wrong.line, wrong.column), (1, 23), "{wrong:?}");
        let at = |path: &str, part| locate(text, &path_from_dotted(path), part).map(|s| (s.line, s.column));
        assert_eq!(at("services", Part::Value), Some((1, 23)));
        assert_eq!(at("sevrity", Part::Key), Some((2, 1)));
        assert_eq!(
            locate_all(text, &[(path_from_dotted("severity"), Part::Value)])[0].map(|s| s.line),
            Some(1)
        );
    }
}
