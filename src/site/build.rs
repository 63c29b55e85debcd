//! `hindsight build`: the whole pipeline into a staging folder, published atomically, or
//! nothing at all when `--strict` finds anything.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::{SearchOutputs, Site, Timings, load};
use crate::cache::Caches;
use crate::diagnostic::{Code, Diagnostic};
use crate::feeds::FeedError;
use crate::library::Selection;
use crate::output::{OutputError, Staging};
use crate::pages::PageError;
use crate::search::SearchError;

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
    pub base_url: Option<crate::urls::BaseUrl>,
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
    pub timings: Vec<(&'static str, Duration)>,
}

/// Builds the site into its output folder, atomically: validate, then render every stage
/// into a staging folder beside the output, then swap it in.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let timings = Timings::default();
    let mut validated = timings.time("load and validate", || load::validate(&options.root, None))?;
    if let Some(base_url) = &options.base_url {
        validated.config.base_url = Some(base_url.clone());
    }
    let output = options.output.clone().unwrap_or_else(|| options.root.join(&validated.config.output_dir));
    let mut report = BuildReport {
        diagnostics: std::mem::take(&mut validated.diagnostics),
        built: 0,
        skipped: validated.skipped(),
        left_out: validated.retros.len(),
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
    let mut site =
        Site::new(&options.root, validated, options.selection, options.today, Arc::new(Caches::default()));
    site.timings = timings;
    let staging = Staging::create(&options.root, &output)?;
    report.pages = site.render(&staging, SearchOutputs::ALL)?;
    site.timings.time("publish", || staging.publish())?;
    if let Some(error) = site.rendered.as_mut().and_then(|rendered| rendered.index_error.take()) {
        let index = crate::search::index::INDEX_DIR;
        report.diagnostics.push(Diagnostic::new(Code::IndexNotWritten, index, error.to_string()).help(
            "the site is published without it; `hindsight search` builds it when it runs. Make .hindsight/ writable to keep it with each build",
        ));
    }
    report.built = site.library.retros.len();
    report.left_out -= report.built;
    report.published = true;
    report.timings = std::mem::take(&mut site.timings).into_vec();
    report.elapsed = started.elapsed();
    crate::background::drop_later(site);
    Ok(report)
}

/// Builds only the search index (for `hindsight search`); returns how many retros it holds.
pub fn index_only(root: &Path, selection: Selection) -> Result<usize, BuildError> {
    let validated = load::validate(root, None)?;
    let today = chrono::Local::now().date_naive();
    let site = Site::new(root, validated, selection, today, Arc::new(Caches::default()));
    site.index_only()?;
    Ok(site.library.retros.len())
}
