//! Diagnostics: what is wrong, where (file, line, column), and what to do about it.
//!
//! Every rule has a stable code and a short name so that CI output, `check --explain` and the
//! README can refer to it. Rendering for people (`file:line:col`, the source line, a caret) is
//! done here by `codespan-reporting`, with colour only on a terminal; [`json`] and [`github`]
//! render for machines.

mod codes;
pub mod github;
pub mod json;
mod printable;

use std::io::{self, IsTerminal};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};

pub use codes::Code;
pub(crate) use printable::printable;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The retro is skipped (or the build stops, for site-wide files).
    Error,
    /// The retro is built anyway.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which rule.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The file, as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    /// Where in the file, if anywhere in particular.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The text of the file as it was checked, to quote the line at `location`; shared, not
    /// copied, between the findings about one file.
    pub text: Option<Arc<String>>,
}

/// A position in a file: 1-based line and column (in characters) and the width of the fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Line in the file (1-based).
    pub line: usize,
    /// Column in characters (1-based).
    pub column: usize,
    /// Width of the fault in characters (at least 1).
    pub width: usize,
}

impl From<crate::yaml::Span> for Location {
    fn from(span: crate::yaml::Span) -> Self {
        Location { line: span.line, column: span.column, width: span.width }
    }
}

impl Diagnostic {
    /// A diagnostic with the rule's default severity.
    pub fn new(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            file: file.into(),
            location: None,
            message: message.into(),
            help: None,
            text: None,
        }
    }

    /// The text of the file the finding quotes; empty when it quotes none.
    pub fn quoted_text(&self) -> &str {
        self.text.as_deref().map_or("", String::as_str)
    }

    /// Quotes `text`, the file as it was checked, when the finding is printed.
    pub fn in_text(mut self, text: Arc<String>) -> Self {
        self.text = Some(text);
        self
    }

    /// Points the diagnostic at a position.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Replaces the rule (keeping position and text), e.g. to mark a YAML error in a site file.
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// Downgrades the finding to a warning.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A YAML syntax or type error, placed in the file (`first_line` is where the YAML starts).
    pub fn from_yaml(file: impl Into<PathBuf>, error: &crate::yaml::YamlError, first_line: usize) -> Self {
        let (code, help) = if error.is_syntax && error.message.starts_with("control characters") {
            // Quoting does not help: YAML allows no raw control character but tab and line breaks.
            (
                Code::YamlSyntax,
                "remove the invisible control character (such as a NUL byte) at the position shown; in a double-quoted string, write an escape such as `\\t` instead",
            )
        } else if error.is_syntax {
            (
                Code::YamlSyntax,
                "fix the YAML syntax here; quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `%`, `@` or a backtick",
            )
        } else {
            (
                Code::WrongType,
                "write the value in the expected form, e.g. `services: [checkout-api]` for a list",
            )
        };
        let location = Location { line: first_line + error.line - 1, column: error.column, width: 1 };
        let message = match error.stopped_at_line {
            Some(stopped) => format!(
                "{}, which starts here (the parser stopped on line {})",
                error.message,
                first_line + stopped - 1
            ),
            None => error.message.clone(),
        };
        Diagnostic::new(code, file, message).at(Some(location)).help(help)
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or just the file), as printed in summaries.
    pub fn position(&self) -> String {
        match self.location {
            Some(at) => format!("{}:{}:{}", self.file.display(), at.line, at.column),
            None => self.file.display().to_string(),
        }
    }
}

/// `result` with every finding in it quoting `text`, the site file it is about.
pub fn quoting<T>(
    result: Result<(T, Vec<Diagnostic>), Box<Diagnostic>>,
    text: &Arc<String>,
) -> Result<(T, Vec<Diagnostic>), Box<Diagnostic>> {
    let quote = |diagnostic: Diagnostic| diagnostic.in_text(Arc::clone(text));
    match result {
        Ok((value, warnings)) => Ok((value, warnings.into_iter().map(quote).collect())),
        Err(error) => Err(Box::new(quote(*error))),
    }
}

/// Sorts findings by file, then position; findings without a position first. Stable, so a
/// file's findings at one position keep the order the rules gave them.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.location.map(|l| (l.line, l.column)))
            .cmp(&(&b.file, b.location.map(|l| (l.line, l.column))))
    });
}

/// Writes diagnostics for humans: `file:line:col`, the source line and a caret.
pub struct HumanPrinter {
    colour: termcolor::ColorChoice,
}

impl HumanPrinter {
    /// A printer for standard error, with colour only when it is a terminal.
    pub fn for_stderr() -> Self {
        let colour = if io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            termcolor::ColorChoice::Auto
        } else {
            termcolor::ColorChoice::Never
        };
        HumanPrinter { colour }
    }

    /// Prints one diagnostic to standard error with the source line it quotes.
    pub fn print(&self, diagnostic: &Diagnostic) {
        let mut stderr = termcolor::StandardStream::stderr(self.colour);
        // Printing is best effort: a closed stderr must not turn a report into a crash.
        let _ = write_human(&mut stderr, diagnostic, diagnostic.quoted_text());
    }

    /// Prints diagnostics to standard error in one buffered stream.
    pub fn print_all(&self, diagnostics: &[Diagnostic]) {
        let mut stderr = termcolor::BufferedStandardStream::stderr(self.colour);
        for diagnostic in diagnostics {
            // Best effort, as in `print`.
            let _ = write_human(&mut stderr, diagnostic, diagnostic.quoted_text());
        }
        let _ = io::Write::flush(&mut stderr);
    }
}

/// Renders one diagnostic as plain text (no colour), as the terminal shows it.
pub fn render_plain(diagnostic: &Diagnostic, source: &str) -> String {
    let mut buffer = termcolor::NoColor::new(Vec::new());
    let _ = write_human(&mut buffer, diagnostic, source);
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

fn write_human(
    out: &mut dyn termcolor::WriteColor,
    diagnostic: &Diagnostic,
    source: &str,
) -> Result<(), codespan_reporting::files::Error> {
    // Everything here may hold text from a retro file; none of its control characters may
    // reach the terminal. The source keeps its columns, so positions still match.
    let name = printable(&diagnostic.file.display().to_string(), false).into_owned();
    let source = printable(source, true);
    let file = SimpleFile::new(name.as_str(), source.as_ref());
    let mut report = match diagnostic.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    }
    .with_code(format!("{} {}", diagnostic.code.code(), diagnostic.code.name()))
    .with_message(printable(&diagnostic.message, true));
    match diagnostic.location.and_then(|at| byte_range(&source, at)) {
        Some(range) => report = report.with_labels(vec![Label::primary((), range)]),
        None => report = report.with_notes(vec![format!("in {}", printable(&diagnostic.position(), false))]),
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_notes(vec![format!("help: {}", printable(help, true))]);
    }
    term::emit(out, &term::Config::default(), &file, &report)
}

/// Converts a line/column position into a byte range of `source`, clamped to the line.
fn byte_range(source: &str, at: Location) -> Option<Range<usize>> {
    let line_start: usize = source.split_inclusive('\n').take(at.line.checked_sub(1)?).map(str::len).sum();
    let line = source.get(line_start..)?.split('\n').next()?.trim_end_matches('\r');
    let mut chars = line.char_indices().skip(at.column.saturating_sub(1));
    let start = chars.next().map_or(line.len(), |(index, _)| index);
    let end = line[start..].char_indices().nth(at.width.max(1)).map_or(line.len(), |(i, _)| start + i);
    Some(line_start + start..line_start + end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_named() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.code()), "duplicate {}", code.code());
            assert!(!code.name().is_empty() && !code.explanation().is_empty());
        }
    }

    #[test]
    fn plain_rendering_shows_position_line_and_caret() {
        let source = "---\ntitle: x\nfailure_modes: [retry-strom]\n---\n";
        let diagnostic = Diagnostic::new(
            Code::UnknownTaxonomyValue,
            "content/a.md",
            "unknown failure mode \"retry-strom\"",
        )
        .at(Some(Location { line: 3, column: 17, width: 11 }))
        .help("did you mean \"retry-storm\"?");
        let text = render_plain(&diagnostic, source);
        assert!(text.contains("content/a.md:3:17"), "{text}");
        assert!(text.contains("failure_modes: [retry-strom]"), "{text}");
        assert!(text.contains("^^^^^^^^^^^"), "{text}");
        assert!(text.contains("help: did you mean \"retry-storm\"?"), "{text}");
    }

    #[test]
    fn no_control_character_from_a_file_reaches_the_terminal() {
        let source = "\u{1b}[2J---\r\nseverity: \"S\u{1b}]0;x\u{7}\"\r\n---\r\n";
        let diagnostic = Diagnostic::new(
            Code::UnknownTaxonomyValue,
            "content/\u{1b}[31m.md",
            "unknown \"S\u{1b}]0;x\u{7}\"",
        )
        .at(Some(Location { line: 2, column: 11, width: 1 }))
        .help("not \u{9b}1m");
        let text = render_plain(&diagnostic, source);
        assert!(!text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r')), "{text:?}");
        assert!(text.contains("content/␛[31m.md:2:11"), "{text}");
        assert!(text.contains("unknown \"S␛]0;x␇\""), "{text}");
        assert!(text.contains("severity: \"S␛]0;x␇\""), "{text}");
        assert!(text.contains("help: not \u{fffd}1m"), "{text}");
    }
}
