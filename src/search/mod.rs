//! Search: a tantivy index for `hindsight search` and the dev server, and a pagefind bundle
//! for the static search page. Both are fed from the parsed retros, never from rendered HTML.

pub mod bundle;
mod ident;
pub mod index;
pub mod query;
pub mod record;
mod stemming;
pub mod terms;

use crate::fsutil::IoError;
use crate::output::OutputError;

/// Why the index or the bundle could not be built or searched.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed (a corrupt or unreadable index, usually).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The query could not be parsed.
    #[error("cannot parse the query {query:?}: {message}")]
    Query {
        /// What the user typed.
        query: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// pagefind failed to build the static bundle.
    #[error("static search bundle: {0}")]
    Bundle(String),
    /// Building a search output panicked: a bug in hindsight (or a library it uses).
    #[error("the {0} stopped on a bug in hindsight (its message is above); please report it")]
    Panicked(&'static str),
    /// The filesystem said no.
    #[error(transparent)]
    Io(#[from] IoError),
    /// Writing the bundle into the output failed.
    #[error(transparent)]
    Output(#[from] OutputError),
}
