//! Rebuilding the site into memory for the dev server, in two steps: the pages first (swapped
//! in at once, so the browser reloads quickly), then the search bundle and index (swapped in
//! quietly). A retro that stops validating keeps its last good version on the site while the
//! error is shown; a broken template or site file keeps the whole last good site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::state::{MemorySink, OverlayError, State};
use crate::cache::Caches;
use crate::content;
use crate::diagnostic::{Code, Diagnostic};
use crate::library::Selection;
use crate::model::Retro;
use crate::pages::{self, Renderer, RetroAlone};
use crate::site::{self, BuildError, SearchOutputs, Site};

/// Rebuilds the site, remembering each retro's last good version and what it rendered before.
pub struct Rebuilder {
    root: PathBuf,
    selection: Selection,
    today: NaiveDate,
    last_good: HashMap<PathBuf, Retro>,
    caches: Arc<Caches>,
    last: Option<Site>,
    site_files: Vec<Option<std::time::SystemTime>>,
}

impl Rebuilder {
    /// A rebuilder for the site at `root`.
    pub fn new(root: &Path, selection: Selection, today: NaiveDate) -> Self {
        Rebuilder {
            root: root.to_path_buf(),
            selection,
            today,
            last_good: HashMap::new(),
            caches: Arc::new(Caches::default()),
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
        self.forget_results_when_site_files_change();
        let mut validated = site::validate(&self.root, &self.caches.parsed)?;
        let diagnostics = std::mem::take(&mut validated.diagnostics);
        validated.retros = self.with_last_good(std::mem::take(&mut validated.retros), &diagnostics);
        let mut site = Site::new(&self.root, validated, self.selection, self.today, Arc::clone(&self.caches));
        let sink = MemorySink::default();
        site.render(&sink, SearchOutputs::NONE)?;
        let mut files = sink.into_files();
        // Until the new bundle is ready, the previous one keeps the search page working.
        let previous = state.snapshot();
        files.extend(
            previous.files.iter().filter(|(p, _)| is_bundle(p)).map(|(p, b)| (p.clone(), Arc::clone(b))),
        );
        let overlay = diagnostics.iter().filter(|d| d.is_error()).map(OverlayError::from).collect();
        state.publish(Some(files), overlay);

        let bundle = MemorySink::default();
        site.write_bundle(&bundle)?;
        let mut files: HashMap<String, Arc<Vec<u8>>> = state
            .snapshot()
            .files
            .iter()
            .filter(|(p, _)| !is_bundle(p))
            .map(|(p, b)| (p.clone(), Arc::clone(b)))
            .collect();
        files.extend(bundle.into_files());
        state.replace_quietly(files);
        site.write_rendered_index()?;
        self.last = Some(site);
        Ok(diagnostics)
    }

    /// Validation results depend on the taxonomy and the settings: when either changes, every
    /// file is checked again.
    fn forget_results_when_site_files_change(&mut self) {
        let site_files: Vec<_> = [crate::config::CONFIG_FILE, crate::taxonomy::TAXONOMY_FILE]
            .iter()
            .map(|name| std::fs::metadata(self.root.join(name)).and_then(|m| m.modified()).ok())
            .collect();
        if site_files != self.site_files {
            self.caches.parsed.clear();
            self.site_files = site_files;
        }
    }

    /// The quick path for edits that touch only bodies: re-renders just those retro pages and
    /// swaps them in, before the full rebuild brings similar incidents and search up to date.
    /// Returns false (doing nothing) when any changed file is more than a body edit.
    pub fn update_bodies(&self, state: &State, changed: &[PathBuf]) -> bool {
        let Some(site) = &self.last else { return false };
        let Some(rendered) = &site.rendered else { return false };
        let library = &site.library;
        let sink = MemorySink::default();
        let renderer = Renderer::new(&rendered.templates, library, &sink);
        for relative in changed {
            // Atomic saves leave temporaries in the event list; only the retro files matter.
            if !relative.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
                continue;
            }
            let Ok(file) = content::read(&self.root, &self.root.join(relative)) else { return false };
            let checked = crate::validate::validate_file(file, &library.taxonomy, &library.config.lint);
            let Some(new) = checked.retro else { return false };
            let Some(index) = library.index_of(&new.id) else { return false };
            if !library.retros[index].differs_only_in_body(&new) {
                return false;
            }
            let body = self.caches.markdown.render(new.body());
            let similar = rendered.similar.of(index);
            let alone = RetroAlone { library, facets: &rendered.facets, index, body: &body, similar };
            if pages::render_retro(&renderer, &alone).is_err() {
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
    crate::urls::is_bundle_path(path)
}
