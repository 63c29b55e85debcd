//! The search stages: the static search bundle (pagefind) and the search index (tantivy), fed
//! from each retro's plain text. During a build they run on their own threads beside rendering,
//! being the longest stages; the dev server builds them after it has swapped the new pages in.

use std::sync::Arc;
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use rayon::prelude::*;

use super::timings::{Timings, measured};
use super::{BuildError, Site};
use crate::library::Library;
use crate::markdown;
use crate::output::Sink;
use crate::search::record::Record;
use crate::search::{self, SearchError};
use crate::similar::TextStatistics;

/// Which search outputs a render builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOutputs {
    /// The static search bundle, into the site.
    pub bundle: bool,
    /// The search index, under the site root's `.hindsight/`.
    pub index: bool,
}

impl SearchOutputs {
    /// Neither: the dev server builds them after swapping the pages in.
    pub const NONE: SearchOutputs = SearchOutputs { bundle: false, index: false };
    /// Both, as `hindsight build` does.
    pub const ALL: SearchOutputs = SearchOutputs { bundle: true, index: true };
}

/// Every retro's body as plain text, in library order, when a search output is asked for.
/// A Markdown parse gives it without rendering HTML, so search can start before rendering; the
/// Markdown stage then shares these texts rather than keeping its own copy.
pub fn texts(library: &Library, search: SearchOutputs) -> Vec<Arc<str>> {
    if search == SearchOutputs::NONE {
        return Vec::new();
    }
    library.retros.par_iter().map(|retro| markdown::plain_text(retro.body()).into()).collect()
}

/// The search records of the library, in library order.
fn records<'a>(library: &'a Library, texts: impl Iterator<Item = &'a str>) -> Vec<Record<'a>> {
    library
        .retros
        .iter()
        .zip(texts)
        .map(|(retro, body)| Record::new(retro, body, &library.taxonomy))
        .collect()
}

type Job<'scope> = ScopedJoinHandle<'scope, (Result<(), SearchError>, Duration)>;

/// The search outputs being built beside rendering.
pub struct Searching<'scope> {
    bundle: Option<Job<'scope>>,
    index: Option<Job<'scope>>,
}

/// Starts building the search outputs asked for, each on its own thread.
pub fn start<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    site: &'env Site,
    texts: &'env [Arc<str>],
    search: SearchOutputs,
    sink: &'env dyn Sink,
) -> Searching<'scope> {
    let records = move || records(&site.library, texts.iter().map(|text| &**text));
    let bundle = search
        .bundle
        .then(|| scope.spawn(move || measured(|| search::bundle::write(&records(), sink).map(drop))));
    let index = search.index.then(|| scope.spawn(move || measured(|| site.write_index(&records()))));
    Searching { bundle, index }
}

impl Searching<'_> {
    /// Waits for both outputs, recording how long each took. A failed bundle or a panic is the
    /// build's error (the first, if both); an index that could not be written is returned, for
    /// a warning: the site is complete without it.
    pub fn finish(self, timings: &Timings) -> Result<Option<SearchError>, BuildError> {
        let joined = |name: &'static str, job: Option<Job<'_>>| match job.map(ScopedJoinHandle::join) {
            None => Ok(Ok(())),
            Some(Ok((result, took))) => Ok(result.map(|()| timings.record(name, took))),
            Some(Err(_)) => Err(SearchError::Panicked(name)),
        };
        let bundle = joined("static search bundle", self.bundle);
        let index = joined("tantivy index", self.index);
        bundle??;
        Ok(index?.err())
    }
}

impl Site {
    /// The static search bundle and the similar mode's files of the last render, into `sink`
    /// (the dev server's second step).
    pub fn write_bundle(&self, sink: &dyn Sink) -> Result<(), SearchError> {
        search::bundle::write(&self.rendered_records(), sink)?;
        match &self.rendered {
            Some(rendered) => self.write_similar_files(&rendered.similar_text, sink),
            None => Ok(()),
        }
    }

    /// The similar mode's files, from the similar-incidents stage's statistics, into `sink`.
    pub(super) fn write_similar_files(
        &self,
        text: &TextStatistics,
        sink: &dyn Sink,
    ) -> Result<(), SearchError> {
        search::terms::write(&self.library, &text.statistics(), sink)
    }

    /// The search index of the last render (the dev server's second step).
    pub fn write_rendered_index(&self) -> Result<(), SearchError> {
        self.write_index(&self.rendered_records())
    }

    /// The search index of `records`, swapped in under the site root.
    fn write_index(&self, records: &[Record<'_>]) -> Result<(), SearchError> {
        search::index::build(&self.root, records, self.fingerprint.clone())
    }

    /// Records from the bodies the last render produced (none before the first).
    fn rendered_records(&self) -> Vec<Record<'_>> {
        let bodies = self.rendered.as_ref().map(|rendered| rendered.bodies.as_slice()).unwrap_or_default();
        records(&self.library, bodies.iter().map(|body| &*body.text))
    }

    /// Builds only the search index, from plain text without rendering (`hindsight search`).
    pub fn index_only(&self) -> Result<(), SearchError> {
        let texts = texts(&self.library, SearchOutputs { bundle: false, index: true });
        self.write_index(&records(&self.library, texts.iter().map(|text| &**text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_thread_that_panics_is_an_error_naming_it_and_both_are_joined() {
        let timings = Timings::default();
        let finished = std::thread::scope(|scope| {
            let searching = Searching {
                bundle: Some(scope.spawn(|| (Ok(()), Duration::from_millis(5)))),
                index: Some(
                    scope.spawn(|| -> (Result<(), SearchError>, Duration) { panic!("a bug in the index") }),
                ),
            };
            searching.finish(&timings)
        });
        let error = finished.expect_err("the index panicked").to_string();
        assert!(error.contains("the tantivy index stopped on a bug in hindsight"), "{error}");
        assert_eq!(timings.into_vec(), [("static search bundle", Duration::from_millis(5))]);
    }
}
