//! The pipeline, start to finish: config → load → validate → library → facets → render →
//! publish. [`validate_site`] is the first half, shared with `hindsight check`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::cache::{MarkdownCache, ParseCache};
use crate::config::{self, Config};
use crate::content;
use crate::diagnostic::Diagnostic;
use crate::feeds::FeedError;
use crate::library::{Library, Selection};
use crate::model::Retro;
use crate::output::{self, OutputError, Sink, Staging};
use crate::pages::{self, PageError};
use crate::search::{self, SearchError, record::Record};
use crate::taxonomy::{self, Taxonomy};
use crate::validate;
use crate::{facets, feeds, insights, markdown, similar, templates};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `content/`, `hindsight.yaml`, `taxonomy.yaml`).
    pub root: PathBuf,
    /// Overrides `output_dir` from the config.
    pub output: Option<PathBuf>,
    /// Drafts and restricted retros.
    pub selection: Selection,
    /// Refuse to publish when there is any error or warning.
    pub strict: bool,
    /// The build date.
    pub today: NaiveDate,
    /// Overrides `base_url` from the config.
    pub base_url: Option<crate::base_url::BaseUrl>,
}

/// A build that stopped before any retro could be considered.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A site file (config, taxonomy, theme) is broken.
    #[error("{}: {}", .0.position(), .0.message)]
    Site(Box<Diagnostic>),
    /// Writing the output failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Rendering failed.
    #[error(transparent)]
    Page(#[from] PageError),
    /// The search index or bundle failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A feed or export failed.
    #[error(transparent)]
    Feed(#[from] FeedError),
}

impl From<Box<Diagnostic>> for BuildError {
    fn from(diagnostic: Box<Diagnostic>) -> Self {
        BuildError::Site(diagnostic)
    }
}

/// The result of validating every retro of a site.
#[derive(Debug)]
pub struct Validated {
    /// Site settings.
    pub config: Config,
    /// The vocabulary.
    pub taxonomy: Taxonomy,
    /// The retros that passed, in file order.
    pub retros: Vec<Retro>,
    /// Every finding, by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many retro files were found.
    pub files: usize,
}

impl Validated {
    /// Files that were not built because of an error.
    pub fn skipped(&self) -> usize {
        self.files - self.retros.len()
    }
}

/// Loads the config and taxonomy, then reads and validates every retro (in parallel).
pub fn validate_site(root: &Path) -> Result<Validated, BuildError> {
    validate_site_cached(root, &ParseCache::default())
}

/// [`validate_site`], reusing the results of files unchanged since `cache` saw them.
pub fn validate_site_cached(root: &Path, cache: &ParseCache) -> Result<Validated, BuildError> {
    let (config, mut diagnostics) = config::load(root)?;
    let (taxonomy, taxonomy_warnings) = taxonomy::load(root)?;
    diagnostics.extend(taxonomy_warnings);
    let (paths, walk_problems) = content::discover(root);
    diagnostics.extend(walk_problems);
    let checked: Vec<(PathBuf, validate::Checked)> = paths
        .par_iter()
        .map(|path| {
            let shown = content::display_path(root, path);
            let checked = cache.get_or_check(path, || match content::read(root, path) {
                Ok(file) => validate::validate_file(file, &taxonomy, &config.lint),
                Err(diagnostic) => validate::Checked { retro: None, diagnostics: vec![diagnostic] },
            });
            (shown, checked)
        })
        .collect();
    let mut retros = Vec::with_capacity(checked.len());
    let mut failed_ids = HashSet::new();
    for (shown, result) in checked {
        diagnostics.extend(result.diagnostics);
        match result.retro {
            Some(retro) => retros.push(retro),
            None => {
                failed_ids
                    .insert(shown.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            }
        }
    }
    let (retros, library_problems) = validate::library::check(root, retros, &failed_ids, &config.lint);
    diagnostics.extend(library_problems);
    // Findings about site files and unreadable files get the site's levels too (applying twice is harmless).
    config.lint.apply(&mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (&a.file, a.location.map(|l| (l.line, l.column)))
            .cmp(&(&b.file, b.location.map(|l| (l.line, l.column))))
    });
    Ok(Validated { config, taxonomy, retros, diagnostics, files: paths.len() })
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// Retros published.
    pub built: usize,
    /// Retro files skipped because of errors.
    pub skipped: usize,
    /// Valid retros left out as drafts or restricted.
    pub left_out: usize,
    /// HTML pages written.
    pub pages: usize,
    /// The output folder.
    pub output: PathBuf,
    /// False when `--strict` refused to publish.
    pub published: bool,
    /// Wall time.
    pub elapsed: Duration,
    /// Time per stage, in pipeline order.
    pub timings: Timings,
}

/// How long each stage took.
pub type Timings = Vec<(&'static str, Duration)>;

/// Runs `stage`, recording its duration under `name`.
fn timed<T>(timings: &mut Timings, name: &'static str, stage: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = stage();
    timings.push((name, started.elapsed()));
    value
}

/// Builds the site into its output folder, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut timings = Timings::new();
    let fingerprint = search::index::fingerprint(&options.root, options.selection);
    let mut validated = timed(&mut timings, "load and validate", || validate_site(&options.root))?;
    if let Some(base_url) = &options.base_url {
        validated.config.base_url = Some(base_url.clone());
    }
    let output = options.output.clone().unwrap_or_else(|| options.root.join(&validated.config.output_dir));
    let skipped = validated.skipped();
    let files = validated.files;
    let mut report = BuildReport {
        diagnostics: validated.diagnostics,
        built: 0,
        skipped,
        left_out: 0,
        pages: 0,
        output: output.clone(),
        published: false,
        elapsed: Duration::ZERO,
        timings: Vec::new(),
    };
    if options.strict && !report.diagnostics.is_empty() {
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    let tera = templates::load(&options.root, &validated.config.theme)?;
    let library = Library::new(
        validated.config,
        validated.taxonomy,
        validated.retros,
        options.selection,
        options.today,
    );
    let staging = Staging::create(&options.root, &output)?;
    let render_options = RenderOptions {
        bundle: true,
        index: Some((&options.root, fingerprint)),
        markdown: &MarkdownCache::default(),
    };
    let rendered = render_with(&options.root, &library, &tera, &staging, &mut timings, &render_options)?;
    timed(&mut timings, "publish", || staging.publish())?;
    report.pages = rendered.pages;
    report.timings = timings;
    report.built = library.retros.len();
    report.left_out = files - skipped - report.built;
    report.published = true;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Builds only the search index (for `hindsight search`); returns how many retros it holds.
pub fn index_only(root: &Path, selection: Selection) -> Result<usize, BuildError> {
    let fingerprint = search::index::fingerprint(root, selection);
    let validated = validate_site(root)?;
    let today = chrono::Local::now().date_naive();
    let library = Library::new(validated.config, validated.taxonomy, validated.retros, selection, today);
    let bodies: Vec<markdown::RenderedBody> = library
        .retros
        .par_iter()
        .map(|r| markdown::RenderedBody { text: markdown::plain_text(&r.body), ..Default::default() })
        .collect();
    search::index::build(root, &records(&library, &bodies), fingerprint)?;
    Ok(library.retros.len())
}

/// What rendering produced besides the files.
#[derive(Debug)]
pub struct Rendered {
    /// HTML pages written.
    pub pages: usize,
    /// Every retro's rendered body, in library order (search indexes their text).
    pub bodies: Vec<markdown::RenderedBody>,
    /// The facet indexes the pages were built from.
    pub facets: Vec<facets::FacetIndex>,
    /// Every retro's similar incidents, in library order.
    pub similar: Vec<Vec<similar::Suggestion>>,
}

/// Renders the library into `sink`: pages, dashboards, the static search bundle, assets,
/// `static/`.
pub fn render(
    root: &Path,
    library: &Library,
    tera: &tera::Tera,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<Rendered, BuildError> {
    let options = RenderOptions { bundle: true, index: None, markdown: &MarkdownCache::default() };
    render_with(root, library, tera, sink, timings, &options)
}

/// How [`render_with`] renders: the dev server renders the search bundle separately, and keeps
/// rendered bodies between rebuilds.
pub struct RenderOptions<'a> {
    /// Write the static search bundle.
    pub bundle: bool,
    /// Also build the tantivy index for this site root, with this fingerprint.
    pub index: Option<(&'a Path, String)>,
    /// Rendered bodies seen before.
    pub markdown: &'a MarkdownCache,
}

/// [`render`] with options.
pub fn render_with(
    root: &Path,
    library: &Library,
    tera: &tera::Tera,
    sink: &dyn Sink,
    timings: &mut Timings,
    options: &RenderOptions<'_>,
) -> Result<Rendered, BuildError> {
    // Notes every page written, for the sitemap.
    let recorder = feeds::sitemap::Recorder::new(sink);
    let sink: &dyn Sink = &recorder;
    let facets = timed(timings, "facets", || facets::build(library));
    // Search needs only each body's text, which a Markdown parse gives without rendering HTML,
    // so pagefind and tantivy (about a core each, the longest stages) start now and run beside
    // rendering, similar incidents and the pages instead of after them.
    let searched = options.bundle || options.index.is_some();
    let search_texts: Vec<String> = timed(timings, "search text", || {
        if searched {
            library.retros.par_iter().map(|r| markdown::plain_text(&r.body)).collect()
        } else {
            Vec::new()
        }
    });
    let records: Vec<Record<'_>> =
        library.retros.iter().zip(&search_texts).map(|(retro, text)| Record { retro, body: text }).collect();
    let (rendered, search_timings) = std::thread::scope(|scope| {
        let bundle = options
            .bundle
            .then(|| scope.spawn(|| timed_alone(|| search::bundle::write(&records, sink).map(drop))));
        let index = options.index.as_ref().map(|(root, fingerprint)| {
            scope.spawn(|| timed_alone(|| search::index::build(root, &records, fingerprint.clone())))
        });
        let rendered = render_bodies_and_pages(library, facets, tera, sink, timings, options);
        let mut search_timings = Timings::new();
        for (name, handle) in [("static search bundle", bundle), ("tantivy index", index)] {
            if let Some(handle) = handle {
                let (result, took) =
                    handle.join().map_err(|_| SearchError::Bundle(format!("{name} panicked")))?;
                result?;
                search_timings.push((name, took));
            }
        }
        Ok::<_, BuildError>((rendered?, search_timings))
    })?;
    timings.extend(search_timings);
    output::copy_static(&templates::theme_dir(root, &library.config.theme).join("static"), sink)?;
    output::copy_static(&root.join("static"), sink)?;
    if let Some(base_url) = &library.config.base_url {
        feeds::sitemap::write(base_url, &recorder.pages(), sink)?;
    }
    Ok(rendered)
}

/// Rendered bodies, similar incidents, then every page.
fn render_bodies_and_pages(
    library: &Library,
    facets: Vec<facets::FacetIndex>,
    tera: &tera::Tera,
    sink: &dyn Sink,
    timings: &mut Timings,
    options: &RenderOptions<'_>,
) -> Result<Rendered, BuildError> {
    let bodies: Vec<markdown::RenderedBody> = timed(timings, "markdown", || {
        library.retros.par_iter().map(|r| options.markdown.render(&r.body)).collect()
    });
    let similar = timed(timings, "similar incidents", || similar::compute(library, &bodies));
    let pages = render_pages(library, &facets, &bodies, &similar, tera, sink, timings)?;
    Ok(Rendered { pages, bodies, facets, similar })
}

/// The retro pages, list pages, dashboards and feeds; returns the number of HTML pages.
fn render_pages(
    library: &Library,
    facets: &[facets::FacetIndex],
    bodies: &[markdown::RenderedBody],
    similar: &[Vec<similar::Suggestion>],
    tera: &tera::Tera,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<usize, BuildError> {
    let insights = timed(timings, "insights", || insights::compute(library));
    let progress = progress_bar(library.retros.len());
    let pages = timed(timings, "pages", || {
        pages::render_site(library, facets, bodies, similar, &insights, tera, sink, &progress)
    })?;
    progress.finish_and_clear();
    let dashboards =
        timed(timings, "dashboards", || pages::render_dashboards(library, facets, &insights, tera, sink))?;
    timed(timings, "feeds", || feeds::write(library, &insights, similar, tera, sink))?;
    Ok(pages + dashboards)
}

/// Runs `stage` and measures it, for stages that run on their own thread.
fn timed_alone<T>(stage: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = stage();
    (value, started.elapsed())
}

/// The search records of the library, in library order.
pub fn records<'a>(library: &'a Library, bodies: &'a [markdown::RenderedBody]) -> Vec<Record<'a>> {
    library.retros.iter().zip(bodies).map(|(retro, body)| Record::new(retro, body)).collect()
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
