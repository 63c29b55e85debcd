//! `check --format json`: one versioned document with one object per diagnostic.
//!
//! The shape is documented in the README and only grows: a field never changes meaning or
//! disappears without [`SCHEMA`] going up.

use std::io::{self, Write};

use serde::Serialize;

use super::Diagnostic;

/// The version of the document's shape.
pub const SCHEMA: u32 = 1;

/// The whole document.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// [`SCHEMA`].
    pub schema: u32,
    /// How many retro files were checked.
    pub checked: usize,
    /// How many diagnostics are errors.
    pub errors: usize,
    /// How many diagnostics are warnings.
    pub warnings: usize,
    /// Every diagnostic, by file and position.
    pub diagnostics: Vec<Entry<'a>>,
}

/// One diagnostic.
#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    /// The file, relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line of the fault, or null when the finding is about the whole file.
    pub line: Option<usize>,
    /// 1-based column in characters, or null.
    pub column: Option<usize>,
    /// Where the fault ends (the column is one past its last character), or null.
    pub end: Option<End>,
    /// `error` or `warning`, after the site's `lint:` levels.
    pub severity: &'static str,
    /// The rule's stable code, such as `H001`.
    pub code: &'static str,
    /// The rule's stable name, such as `unknown-taxonomy-value`.
    pub name: &'static str,
    /// What is wrong.
    pub message: &'a str,
    /// What to do about it, or null.
    pub help: Option<&'a str>,
}

/// The end of a fault: same line, exclusive column.
#[derive(Debug, Serialize)]
pub struct End {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters, one past the fault's last character.
    pub column: usize,
}

impl<'a> Entry<'a> {
    /// The JSON view of a diagnostic.
    pub fn new(diagnostic: &'a Diagnostic) -> Self {
        let at = diagnostic.location;
        Entry {
            file: slashed(&diagnostic.file),
            line: at.map(|at| at.line),
            column: at.map(|at| at.column),
            end: at.map(|at| End { line: at.line, column: at.column + at.width.max(1) }),
            severity: diagnostic.severity.as_str(),
            code: diagnostic.code.code(),
            name: diagnostic.code.name(),
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
        }
    }
}

/// Writes the document for `diagnostics`, found in `checked` retro files.
pub fn write(out: &mut dyn Write, checked: usize, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = Report {
        schema: SCHEMA,
        checked,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics.iter().map(Entry::new).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

/// A path with `/` separators on every platform, so the document is the same everywhere.
pub(crate) fn slashed(path: &std::path::Path) -> String {
    let parts: Vec<String> =
        path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Location};

    #[test]
    fn entries_have_positions_or_nulls() {
        let placed = Diagnostic::new(Code::UnknownTaxonomyValue, "content/a.md", "m")
            .at(Some(Location { line: 7, column: 30, width: 11 }))
            .help("h");
        let json = serde_json::to_value(Entry::new(&placed)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"file": "content/a.md", "line": 7, "column": 30,
                "end": {"line": 7, "column": 41}, "severity": "error", "code": "H001",
                "name": "unknown-taxonomy-value", "message": "m", "help": "h"})
        );
        let whole = Diagnostic::new(Code::EmptyFile, "content/b.md", "m");
        let json = serde_json::to_value(Entry::new(&whole)).unwrap();
        assert!(json["line"].is_null() && json["end"].is_null() && json["help"].is_null());
    }
}
