//! Rebuilding the whole site into memory for the dev server: the pages are swapped in at once;
//! the search bundle and index follow from the search worker. A retro that stops validating
//! keeps its last good version on the site while the error is shown; a broken template or site
//! file keeps the whole last good site. (The quick path after a one-file edit is `quick.rs`.)

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;

use chrono::NaiveDate;

use super::state::{MemorySink, OverlayError, State};
use crate::cache::Caches;
use crate::diagnostic::{Code, Diagnostic};
use crate::library::Selection;
use crate::model::Retro;
use crate::site::{self, BuildError, SearchOutputs, Site};

/// Rebuilds the site, remembering each retro's last good version and what it rendered before.
pub struct Rebuilder {
    pub(super) root: PathBuf,
    pub(super) selection: Selection,
    pub(super) today: NaiveDate,
    last_good: HashMap<PathBuf, Retro>,
    pub(super) caches: Arc<Caches>,
    pub(super) last: Option<Arc<Site>>,
    site_files: Vec<Option<std::time::SystemTime>>,
    /// Where each new site goes to have its search bundle and index built.
    search: Sender<Arc<Site>>,
}

impl Rebuilder {
    /// A rebuilder for the site at `root`, handing each new site to `search`.
    pub fn new(root: &Path, selection: Selection, today: NaiveDate, search: Sender<Arc<Site>>) -> Self {
        Rebuilder {
            root: root.to_path_buf(),
            selection,
            today,
            last_good: HashMap::new(),
            caches: Arc::new(Caches::default()),
            last: None,
            site_files: Vec::new(),
            search,
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
        let mut validated = site::validate(&self.root, Some(&self.caches.parsed))?;
        let diagnostics = std::mem::take(&mut validated.diagnostics);
        validated.retros = self.with_last_good(std::mem::take(&mut validated.retros), &diagnostics);
        self.offer_last_bodies();
        let mut site = Site::new(&self.root, validated, self.selection, self.today, Arc::clone(&self.caches));
        let turn = state.one_heavy_build_at_a_time();
        // Taken after the turn: waiting with it would keep the bundle being replaced alive.
        let sink = MemorySink::reusing(state.snapshot());
        let rendered = site.render(&sink, SearchOutputs::NONE);
        self.caches.markdown.clear();
        rendered?;
        let overlay = diagnostics.iter().filter(|d| d.is_error()).map(OverlayError::from).collect();
        let site = Arc::new(site);
        state.set_site(Arc::clone(&site));
        state.publish(Some(sink.into_files()), overlay);
        state.begin();
        if self.search.send(Arc::clone(&site)).is_err() {
            state.end();
        }
        // The turn ends only once the site is handed over: the search worker, which may be
        // waiting for the turn with an older site, then finds this one and skips the older.
        drop(turn);
        self.last = Some(site);
        Ok(diagnostics)
    }

    /// Offers the last site's bodies to the next render, which takes those whose Markdown is
    /// unchanged instead of rendering them again.
    fn offer_last_bodies(&self) {
        let Some(site) = &self.last else { return };
        let Some(rendered) = &site.rendered else { return };
        let sources = site.library.retros.iter().map(Retro::body);
        self.caches.markdown.offer(sources.zip(rendered.bodies.as_slice()));
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::channel;
    use std::time::{Duration, Instant};

    use super::*;

    /// A copy of the sample library: the repository's `content/` and site files.
    fn sample_library() -> tempfile::TempDir {
        let library = tempfile::tempdir().expect("a temporary folder");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [crate::config::CONFIG_FILE, crate::taxonomy::TAXONOMY_FILE] {
            std::fs::copy(repo.join(file), library.path().join(file)).expect("a site file copied");
        }
        for entry in walkdir::WalkDir::new(repo.join("content")) {
            let entry = entry.expect("a sample file");
            let to = library.path().join(entry.path().strip_prefix(repo).expect("in the repository"));
            let copied = if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to)
            } else {
                std::fs::copy(entry.path(), &to).map(drop)
            };
            copied.expect("the sample copied");
        }
        library
    }

    /// The search worker waits for the turn with the site it was handed; when it gets the turn,
    /// the site served must be that one (or it builds an old site's bundle while a newer one
    /// waits, as when a rebuild handed its site over only after ending its turn).
    #[test]
    fn a_rebuild_hands_its_site_to_search_before_its_turn_ends() {
        let library = sample_library();
        let state = Arc::new(State::default());
        let (search, sites) = channel();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
        let mut rebuilder = Rebuilder::new(library.path(), Selection::default(), today, search);
        let done = Arc::new(AtomicBool::new(false));
        let worker = {
            let (state, done) = (Arc::clone(&state), Arc::clone(&done));
            std::thread::spawn(move || {
                let (mut handed, mut sites_handed): (Option<Arc<Site>>, usize) = (None, 0);
                while !done.load(Ordering::SeqCst) {
                    let turn = state.one_heavy_build_at_a_time();
                    // Watched for a while: nothing may be served that was not handed over.
                    let held = Instant::now();
                    while held.elapsed() < Duration::from_millis(2) {
                        for site in sites.try_iter() {
                            handed = Some(site);
                            sites_handed += 1;
                        }
                        let served = state.site();
                        let stale =
                            served.is_some_and(|s| !handed.as_ref().is_some_and(|h| Arc::ptr_eq(h, &s)));
                        if stale {
                            return Err("a newer site was served than the worker was handed");
                        }
                    }
                    drop(turn);
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(sites_handed)
            })
        };
        for _ in 0..3 {
            let diagnostics = rebuilder.rebuild(&state);
            assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
        }
        // The worker's last turns, after the last rebuild.
        std::thread::sleep(Duration::from_millis(20));
        done.store(true, Ordering::SeqCst);
        assert_eq!(worker.join().expect("the worker ends"), Ok(3));
    }
}
