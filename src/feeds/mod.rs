//! Feeds and exports for other tools: an Atom feed of the newest retros (`feed.xml`), every
//! retro as JSON (`retros.json`), every action item as CSV (`actions.csv`), and with `base_url`
//! set, `sitemap.xml`.

mod atom;
mod csv;
mod json;
pub mod sitemap;

use tera::Tera;

use crate::insights::Insights;
use crate::library::Library;
use crate::output::{OutputError, Sink};
use crate::pages::PageError;
use crate::similar::Suggestion;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The feed template failed.
    #[error(transparent)]
    Page(#[from] PageError),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// JSON or CSV encoding failed (a bug: every value is plain data).
    #[error("cannot encode {file}: {message}")]
    Encode {
        /// Which export.
        file: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// Writes `feed.xml`, `retros.json` and `actions.csv` into `sink`.
pub fn write(
    library: &Library,
    insights: &Insights<'_>,
    similar: &[Vec<Suggestion>],
    tera: &Tera,
    sink: &dyn Sink,
) -> Result<(), FeedError> {
    atom::write(library, tera, sink)?;
    json::write(library, similar, sink)?;
    csv::write(library, &insights.actions, sink)?;
    Ok(())
}

/// `YYYY-MM-DD`.
fn day(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
