//! Lint: everything `hindsight check` reports. [`levels`] is the `lint:` section of
//! `hindsight.yaml`, applied to every finding of every rule; [`rules`] are the review rules that
//! need a date and run on top of validation.

pub mod levels;
pub mod rules;

pub use levels::{Level, Lints};

use std::path::Path;

use chrono::NaiveDate;

use crate::build::{self, BuildError, Validated};
use crate::diagnostic::Diagnostic;

/// Validates the whole library and runs the review rules as of `now`, at the site's levels.
/// The diagnostics of the result are sorted by file and position.
pub fn check_site(root: &Path, now: NaiveDate) -> Result<Validated, BuildError> {
    let mut validated = build::validate_site(root)?;
    let review = rules::review(root, &validated.retros, now, &validated.config.lint);
    validated.diagnostics.extend(review);
    sort(&mut validated.diagnostics);
    Ok(validated)
}

/// By file, then position; findings without a position first. Stable, so a file's findings at
/// one position keep the order the rules gave them.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.location.map(|l| (l.line, l.column)))
            .cmp(&(&b.file, b.location.map(|l| (l.line, l.column))))
    });
}
