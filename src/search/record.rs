//! The searchable text of a retro, shared by the tantivy index and the static bundle.

use crate::markdown::RenderedBody;
use crate::model::Retro;

/// Everything about one retro that search looks at.
#[derive(Debug)]
pub struct Record<'a> {
    /// The retro.
    pub retro: &'a Retro,
    /// Its body as plain text (Markdown stripped, code kept).
    pub body: &'a str,
}

impl<'a> Record<'a> {
    /// The record for a retro and its rendered body.
    pub fn new(retro: &'a Retro, body: &'a RenderedBody) -> Self {
        Record { retro, body: &body.text }
    }

    /// Action-item titles, one per line.
    pub fn actions(&self) -> String {
        self.retro.action_items.iter().map(|item| item.title.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// The year, as text.
    pub fn year(&self) -> String {
        self.retro.date.format("%Y").to_string()
    }

    /// The date as `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        self.retro.date.format("%Y-%m-%d").to_string()
    }
}
