//! Rebuilding the site into memory for the dev server, in two steps: the pages first (swapped
//! in at once, so the browser reloads quickly), then the search bundle and index (swapped in
//! quietly). A retro that stops validating keeps its last good version on the site while the
//! error is shown; a broken template or site file keeps the whole last good site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::state::{MemorySink, OverlayError, State};
use crate::build::{self, BuildError, RenderOptions, Timings};
use crate::cache::{MarkdownCache, ParseCache};
use crate::diagnostic::{Code, Diagnostic};
use crate::facets::FacetIndex;
use crate::library::{Library, Selection};
use crate::model::Retro;
use crate::search;
use crate::similar::Suggestion;
use crate::{content, pages, templates};

/// Rebuilds the site, remembering each retro's last good version and what it rendered before.
pub struct Rebuilder {
    root: PathBuf,
    selection: Selection,
    today: NaiveDate,
    last_good: HashMap<PathBuf, Retro>,
    parsed: ParseCache,
    rendered: MarkdownCache,
    last: Option<LastBuild>,
    site_files: Vec<Option<std::time::SystemTime>>,
}

/// What the last full rebuild rendered from, for quick single-page updates.
struct LastBuild {
    library: Library,
    facets: Vec<FacetIndex>,
    similar: Vec<Vec<Suggestion>>,
    tera: tera::Tera,
}

impl Rebuilder {
    /// A rebuilder for the site at `root`.
    pub fn new(root: &Path, selection: Selection, today: NaiveDate) -> Self {
        Rebuilder {
            root: root.to_path_buf(),
            selection,
            today,
            last_good: HashMap::new(),
            parsed: ParseCache::default(),
            rendered: MarkdownCache::default(),
            last: None,
            site_files: Vec::new(),
        }
    }

    /// Rebuilds and publishes into `state`; returns every finding, for the terminal.
    pub fn rebuild(&mut self, state: &State) -> Vec<Diagnostic> {
        match self.try_rebuild(state) {
            Ok(diagnostics) => diagnostics,
            Err(error) => {
                let diagnostic = match error {
                    BuildError::Site(diagnostic) => *diagnostic,
                    other => Diagnostic::new(Code::InvalidSite, ".", other.to_string()),
                };
                state.publish(None, vec![OverlayError::from(&diagnostic)]);
                vec![diagnostic]
            }
        }
    }

    fn try_rebuild(&mut self, state: &State) -> Result<Vec<Diagnostic>, BuildError> {
        let fingerprint = search::index::fingerprint(&self.root, self.selection);
        // Validation results depend on the taxonomy and the settings: when either changes,
        // every file is checked again.
        let site_files: Vec<_> = [crate::config::CONFIG_FILE, crate::taxonomy::TAXONOMY_FILE]
            .iter()
            .map(|name| std::fs::metadata(self.root.join(name)).and_then(|m| m.modified()).ok())
            .collect();
        if site_files != self.site_files {
            self.parsed = ParseCache::default();
            self.site_files = site_files;
        }
        let validated = build::validate_site_cached(&self.root, &self.parsed)?;
        let retros = self.with_last_good(validated.retros, &validated.diagnostics);
        let tera = templates::load(&self.root, &validated.config.theme)?;
        let library = Library::new(validated.config, validated.taxonomy, retros, self.selection, self.today);
        let sink = MemorySink::default();
        let options = RenderOptions { bundle: false, index: None, markdown: &self.rendered };
        let mut timings = Timings::new();
        let rendered = build::render_with(&self.root, &library, &tera, &sink, &mut timings, &options)?;
        let mut files = sink.into_files();
        // Until the new bundle is ready, the previous one keeps the search page working.
        let previous = state.snapshot();
        files.extend(
            previous.files.iter().filter(|(p, _)| is_bundle(p)).map(|(p, b)| (p.clone(), Arc::clone(b))),
        );
        let overlay = validated.diagnostics.iter().filter(|d| d.is_error()).map(OverlayError::from).collect();
        state.publish(Some(files), overlay);

        let records = build::records(&library, &rendered.bodies);
        let bundle = MemorySink::default();
        search::bundle::write(&records, &bundle)?;
        let mut files: HashMap<String, Arc<Vec<u8>>> = state
            .snapshot()
            .files
            .iter()
            .filter(|(p, _)| !is_bundle(p))
            .map(|(p, b)| (p.clone(), Arc::clone(b)))
            .collect();
        files.extend(bundle.into_files());
        state.replace_quietly(files);
        search::index::build(&self.root, &records, fingerprint)?;
        drop(records);
        let build::Rendered { facets, similar, .. } = rendered;
        self.last = Some(LastBuild { library, facets, similar, tera });
        Ok(validated.diagnostics)
    }

    /// The quick path for edits that touch only bodies: re-renders just those retro pages and
    /// swaps them in, before the full rebuild brings similar incidents and search up to date.
    /// Returns false (doing nothing) when any changed file is more than a body edit.
    pub fn update_bodies(&self, state: &State, changed: &[PathBuf]) -> bool {
        let Some(last) = &self.last else { return false };
        let sink = MemorySink::default();
        for relative in changed {
            // Atomic saves leave temporaries in the event list; only the retro files matter.
            if !relative.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
                continue;
            }
            let Ok(file) = content::read(&self.root, &self.root.join(relative)) else { return false };
            let checked =
                crate::validate::validate_file(file, &last.library.taxonomy, &last.library.config.lint);
            let Some(new) = checked.retro else { return false };
            let Some(index) = last.library.index_of(&new.id) else { return false };
            if !last.library.retros[index].differs_only_in_body(&new) {
                return false;
            }
            let body = self.rendered.render(&new.body);
            let similar = &last.similar[index];
            if pages::render_retro(&last.library, &last.facets, index, &body, similar, &last.tera, &sink)
                .is_err()
            {
                return false;
            }
        }
        let mut files = state.snapshot().files.clone();
        files.extend(sink.into_files());
        state.publish(Some(files), state.errors());
        true
    }

    /// Replaces retros that failed by their last good version, and remembers the good ones.
    fn with_last_good(&mut self, mut retros: Vec<Retro>, diagnostics: &[Diagnostic]) -> Vec<Retro> {
        let failing: HashSet<&Path> =
            diagnostics.iter().filter(|d| d.is_error()).map(|d| d.file.as_path()).collect();
        self.last_good.retain(|path, _| self.root.join(path).is_file());
        let ids: HashSet<String> = retros.iter().map(|r| r.id.to_lowercase()).collect();
        let stand_ins: Vec<Retro> = failing
            .iter()
            .filter_map(|path| self.last_good.get(*path))
            .filter(|retro| !ids.contains(&retro.id.to_lowercase()))
            .cloned()
            .collect();
        for retro in &retros {
            self.last_good.insert(retro.source.clone(), retro.clone());
        }
        retros.extend(stand_ins);
        retros
    }
}

fn is_bundle(path: &str) -> bool {
    search::bundle::is_bundle_path(path)
}
