//! The import report: a table (source → id, fields found, fields missing, warnings), then the
//! `check` findings of the new files, so what is left to do is a list.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::extract::Draft;
use crate::diagnostic::{Diagnostic, render_plain};

/// What happened to one source.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Written (or, in a dry run, would be).
    Imported(Imported),
    /// Not imported, and why.
    Skipped(String),
}

/// A source imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The new retro's id.
    pub id: String,
    /// Its path from the site root.
    pub path: PathBuf,
    /// Fields read from the source.
    pub found: Vec<&'static str>,
    /// Fields left empty.
    pub missing: Vec<&'static str>,
    /// What could not be settled.
    pub warnings: Vec<String>,
}

impl Imported {
    /// The report line of a draft written as `id` at `path`.
    pub fn new(id: &str, path: &std::path::Path, draft: &Draft) -> Self {
        let timeline = draft.timeline.moments.iter().any(|m| m.as_ref().is_some_and(|m| m.value.is_some()));
        let actions = draft.actions.as_ref().is_some_and(|a| !a.items.is_empty());
        let fields: [(&'static str, bool); 10] = [
            ("title", true),
            ("date", draft.date.is_some()),
            ("summary", draft.summary.is_some()),
            ("severity", draft.severity.is_some()),
            ("services", draft.labels.contains_key("services")),
            ("failure_modes", draft.labels.contains_key("failure_modes")),
            ("contributing_factors", draft.labels.contains_key("contributing_factors")),
            ("trigger", draft.labels.contains_key("trigger")),
            ("timeline", timeline),
            ("action_items", actions),
        ];
        Imported {
            id: id.to_owned(),
            path: path.to_path_buf(),
            found: fields.iter().filter(|(_, found)| *found).map(|(name, _)| *name).collect(),
            missing: fields.iter().filter(|(_, found)| !*found).map(|(name, _)| *name).collect(),
            warnings: draft.warnings.clone(),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The source path as found.
    pub source: String,
    /// What happened to it.
    pub outcome: Outcome,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct Report {
    /// Whether anything was written.
    pub dry_run: bool,
    /// The target folder, as shown.
    pub into: PathBuf,
    /// One row per source.
    pub rows: Vec<Row>,
    /// Each new file's path, text and `check` findings.
    pub findings: Vec<(PathBuf, String, Vec<Diagnostic>)>,
}

impl Report {
    /// An empty report.
    pub fn new(dry_run: bool, into: PathBuf) -> Self {
        Report { dry_run, into, rows: Vec::new(), findings: Vec::new() }
    }

    /// How many sources were (or would be) imported.
    pub fn imported(&self) -> usize {
        self.rows.iter().filter(|r| matches!(r.outcome, Outcome::Imported(_))).count()
    }

    /// Sources skipped because they could not be read (not those imported before).
    pub fn unreadable(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(&r.outcome, Outcome::Skipped(why) if !why.starts_with("already imported")))
            .count()
    }

    /// The report as text: the table, the findings, and a closing line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("| source | id | found | missing | warnings |\n|---|---|---|---|---|\n");
        for row in &self.rows {
            let source = cell(&row.source);
            let _ = match &row.outcome {
                Outcome::Imported(i) => writeln!(
                    out,
                    "| {source} | {} | {} | {} | {} |",
                    i.id,
                    i.found.join(", "),
                    i.missing.join(", "),
                    cell(&i.warnings.join("; "))
                ),
                Outcome::Skipped(why) => writeln!(out, "| {source} | skipped | | | {} |", cell(why)),
            };
        }
        let errors: usize = self.findings.iter().flat_map(|f| &f.2).filter(|d| d.is_error()).count();
        let warnings: usize = self.findings.iter().map(|f| f.2.len()).sum::<usize>() - errors;
        if errors + warnings > 0 {
            out.push_str("\nWhat `hindsight check` says about the new files:\n\n");
            for (_, text, diagnostics) in &self.findings {
                for diagnostic in diagnostics {
                    out.push_str(&render_plain(diagnostic, text));
                }
            }
        }
        let skipped = self.rows.len() - self.imported();
        let verb = if self.dry_run { "Would import" } else { "Imported" };
        let _ = write!(
            out,
            "\n{verb} {} of {} sources into {} ({skipped} skipped); the new files have {errors} errors and {warnings} warnings to resolve",
            self.imported(),
            self.rows.len(),
            self.into.display()
        );
        out.push_str(if self.dry_run { "; nothing was written (--dry-run)\n" } else { "\n" });
        out
    }
}

/// Text safe in a table cell: one line, no `|`, no control characters.
fn cell(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == '|' {
                '/'
            } else {
                c
            }
        })
        .collect()
}
