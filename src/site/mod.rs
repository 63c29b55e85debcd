//! The pipeline, owned by one type. A [`Site`] holds the settings, vocabulary and library of
//! one site and renders every product from them, one method per stage in data-flow order:
//!
//! 1. [`load::validate`]: config and taxonomy → content (walk, read, split) → validate →
//!    checks across the library; `hindsight check` stops here.
//! 2. [`Site::new`]: the library (selection, order, links).
//! 3. [`Site::render`]: templates → facets → Markdown → similar incidents → insights → pages →
//!    dashboards → feeds, with the static search bundle and the search index built beside them
//!    on their own threads, then the theme's and the site's static files.
//! 4. Output: [`build()`] publishes a staging folder atomically; the dev server swaps an
//!    in-memory site.

mod build;
mod load;
mod search;
mod timings;

pub use build::{BuildError, BuildOptions, BuildReport, build, index_only};
pub use load::{Validated, sources_stamp, validate};
pub use search::SearchOutputs;
pub use timings::Timings;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::cache::Caches;
use crate::facets::{self, Facets};
use crate::library::{Library, Selection};
use crate::markdown::{Bodies, RenderedBody};
use crate::output::{self, Sink};
use crate::pages::{self, Inputs, Renderer};
use crate::search::SearchError;
use crate::similar::{self, SimilarIncidents, TextStatistics};
use crate::templates::Theme;
use crate::{feeds, insights, templates};

/// One site: its library and the caches that survive between renders, and what it last
/// rendered.
pub struct Site {
    root: PathBuf,
    /// The published retros, with the site's settings and vocabulary.
    pub library: Library,
    /// The index fingerprint of the sources this site was loaded from.
    fingerprint: String,
    /// Results of earlier validation and rendering (the dev server keeps them between sites).
    caches: Arc<Caches>,
    /// How long each stage took.
    pub timings: Timings,
    /// What the last [`Site::render`] produced, for quick single-page updates.
    pub rendered: Option<Rendered>,
}

/// What rendering produced besides the files: the products single-page updates reuse.
pub struct Rendered {
    /// The templates the pages were rendered with.
    pub templates: Theme,
    /// The retros grouped by every facet.
    pub facets: Facets,
    /// Every retro's rendered body.
    pub bodies: Bodies,
    /// Every retro's similar incidents.
    pub similar: SimilarIncidents,
    /// What the static page's similar mode ranks pasted text with.
    pub similar_text: TextStatistics,
    /// Why the search index could not be written, when it could not: the site is complete
    /// without it, and `hindsight search` builds it when it runs.
    pub index_error: Option<SearchError>,
}

impl Site {
    /// The site of `validated` retros, published as `selection` says, built on `today`.
    pub fn new(
        root: &Path,
        validated: Validated,
        selection: Selection,
        today: NaiveDate,
        caches: Arc<Caches>,
    ) -> Self {
        let fingerprint = crate::search::index::fingerprint(validated.sources, selection);
        let library = Library::new(validated.config, validated.taxonomy, validated.retros, selection, today);
        Site {
            root: root.to_path_buf(),
            library,
            fingerprint,
            caches,
            timings: Timings::default(),
            rendered: None,
        }
    }

    /// Every stage after validation, in data-flow order, into `sink`; returns the number of
    /// HTML pages. The search outputs asked for are built beside the pages, on their own threads.
    pub fn render(&mut self, sink: &dyn Sink, search: SearchOutputs) -> Result<usize, BuildError> {
        // Notes every page written, for the sitemap.
        let recorder = feeds::sitemap::Recorder::new(sink);
        let sink: &dyn Sink = &recorder;
        let templates = templates::load(&self.root, &self.library.config.theme)?;
        let facets = self.timings.time("facets", || facets::build(&self.library));
        let texts = self.timings.time("search text", || search::texts(&self.library, search));
        let ((pages, bodies, similar, similar_text), index_error) = std::thread::scope(|scope| {
            let searching = search::start(scope, self, &texts, search, sink);
            let rendered = (|| {
                let bodies = self.timings.time("markdown", || self.render_markdown(&texts));
                // The insights fill the stretches where similar incidents work on one thread
                // (building their vocabulary).
                let ((similar, similar_text), insights) = self.timings.time_side_by_side(
                    ("similar incidents", || similar::compute(&self.library, &bodies)),
                    ("insights", || insights::compute(&self.library)),
                );
                if search.bundle {
                    self.timings.time("similar files", || self.write_similar_files(&similar_text, sink))?;
                }
                let inputs = Inputs {
                    library: &self.library,
                    facets: &facets,
                    bodies: &bodies,
                    similar: &similar,
                    insights: &insights,
                };
                let pages = self.render_pages(&Renderer::new(&templates, &self.library, sink), &inputs)?;
                Ok::<_, BuildError>((pages, bodies, similar, similar_text))
            })();
            // Joined whatever the pages did, so that a search thread's panic is an error here
            // and not a panic of the scope, which would hide the pages' own error.
            let searched = searching.finish(&self.timings);
            let rendered = rendered?;
            searched.map(|index_error| (rendered, index_error))
        })?;
        self.copy_static(sink)?;
        if let Some(base_url) = &self.library.config.base_url {
            feeds::sitemap::write(base_url, &recorder.pages(), sink)?;
        }
        self.rendered = Some(Rendered { templates, facets, bodies, similar, similar_text, index_error });
        Ok(pages)
    }

    /// Every retro's body as HTML, from the cache when the same Markdown was rendered before.
    /// Each body's plain text is the one of `texts` (library order) when there is one: the
    /// search stages read them until the end of the build, so one copy serves both.
    fn render_markdown(&self, texts: &[Arc<str>]) -> Bodies {
        let markdown = &self.caches.markdown;
        let bodies = self.library.retros.par_iter().enumerate().map(|(index, retro)| {
            let body = markdown.render(retro.body());
            match texts.get(index) {
                Some(text) if **text == *body.text => RenderedBody { text: Arc::clone(text), ..body },
                _ => body,
            }
        });
        Bodies::new(bodies.collect())
    }

    /// The retro pages, list pages, dashboards and feeds; returns the number of HTML pages.
    fn render_pages(&self, renderer: &Renderer<'_>, inputs: &Inputs<'_>) -> Result<usize, BuildError> {
        let progress = progress_bar(self.library.retros.len());
        let pages = self.timings.time("pages", || pages::render_site(renderer, inputs, &progress))?;
        progress.finish_and_clear();
        // The feeds, each written on one thread, would otherwise end the build on one core.
        let (dashboards, feeds) = self.timings.time_side_by_side(
            ("dashboards", || pages::render_dashboards(renderer, inputs)),
            ("feeds", || feeds::write(renderer, inputs)),
        );
        let dashboards = dashboards?;
        feeds?;
        Ok(pages + dashboards)
    }

    /// The theme's static files, then the site's own `static/` (which wins).
    fn copy_static(&self, sink: &dyn Sink) -> Result<(), BuildError> {
        let theme = templates::theme_dir(&self.root, &self.library.config.theme);
        output::copy_static(&theme.join("static"), sink)?;
        output::copy_static(&self.root.join("static"), sink)?;
        Ok(())
    }
}

/// A progress bar on a terminal for long builds; hidden otherwise.
fn progress_bar(retros: usize) -> ProgressBar {
    if retros < 500 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(retros as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} retros {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}
