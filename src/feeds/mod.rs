//! Feeds and exports for other tools: an Atom feed of the newest retros (`feed.xml`), every
//! retro as JSON (`retros.json`), every action item as CSV (`actions.csv`), and with `base_url`
//! set, `sitemap.xml`.

mod atom;
mod csv;
mod json;
pub mod sitemap;

use crate::output::OutputError;
use crate::pages::{Inputs, PageError, Renderer};

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
pub fn write(renderer: &Renderer<'_>, inputs: &Inputs<'_>) -> Result<(), FeedError> {
    // Each feed is written on one thread; side by side they end with the dashboards.
    let (atom, (json, csv)) = rayon::join(
        || atom::write(renderer, inputs.library),
        || {
            rayon::join(
                || json::write(inputs.library, inputs.similar, renderer.sink),
                || csv::write(inputs.library, &inputs.insights.actions, renderer.sink),
            )
        },
    );
    atom?;
    json?;
    csv?;
    Ok(())
}
