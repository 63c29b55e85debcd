//! What the dev server serves: a complete snapshot of the site, swapped whole, plus the current
//! errors, the live-reload subscribers and the site the snapshot was rendered from (for
//! `/api/similar`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use serde::Serialize;

use super::stored::Stored;
use crate::diagnostic::Diagnostic;
use crate::output::{OutputError, Sink, checked_relative};
use crate::site::Site;

/// Files by site-relative path, shared between snapshots.
pub type Files = HashMap<String, Arc<Stored>>;

/// Rendered files in memory, compressed ([`Stored`]): the dev server's output folder. A file
/// whose bytes equal those of the snapshot being served shares that snapshot's copy, so a
/// rebuild holds only what changed twice, not the whole site.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Files>,
    previous: Option<Arc<Snapshot>>,
}

impl Sink for MemorySink {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        checked_relative(relative)?;
        let unchanged = self.previous.as_ref().and_then(|previous| previous.files.get(relative));
        let shared = match unchanged {
            Some(old) if old.holds(bytes) => Arc::clone(old),
            _ => Arc::new(Stored::new(bytes)),
        };
        self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(relative.to_owned(), shared);
        Ok(())
    }
}

impl MemorySink {
    /// A sink that shares the copies of files unchanged since `previous`.
    pub fn reusing(previous: Arc<Snapshot>) -> Self {
        MemorySink { files: Mutex::default(), previous: Some(previous) }
    }

    /// The files written, by site-relative path.
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One complete build of the site.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Files by site-relative path (shared, so the next snapshot can reuse them cheaply).
    pub files: Files,
    /// Increases with every swap; pages compare it to know they are stale.
    pub generation: u64,
}

/// A problem shown in the browser overlay.
#[derive(Debug, Clone, Serialize)]
pub struct OverlayError {
    /// `file:line:col`.
    pub position: String,
    /// Rule code and name.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl From<&Diagnostic> for OverlayError {
    fn from(d: &Diagnostic) -> Self {
        OverlayError {
            position: d.position(),
            code: format!("{} {}", d.code.code(), d.code.name()),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

impl OverlayError {
    /// A rebuild that stopped on a bug in hindsight: its panic is in the terminal.
    pub fn bug() -> Self {
        OverlayError {
            position: "hindsight".into(),
            code: "bug".into(),
            message: "the rebuild stopped on an internal error; the last good site is still served".into(),
            help: Some(
                "The terminal shows the error: please report it. Saving a file rebuilds again.".into(),
            ),
        }
    }
}

/// A turn at building something heavy (a full render or a search bundle): held, no other
/// starts ([`State::one_heavy_build_at_a_time`]).
pub struct Turn<'a>(
    #[allow(dead_code, reason = "held for its drop, which ends the turn")] MutexGuard<'a, ()>,
);

/// What the live-reload script is told.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The generation being served.
    pub generation: u64,
    /// Errors that keep the last good version of something on screen.
    pub errors: Vec<OverlayError>,
    /// Whether a rebuild is under way (benchmarks wait for this to clear).
    pub busy: bool,
}

/// Shared between the HTTP threads, the rebuild loop and the search worker.
#[derive(Default)]
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    errors: RwLock<Vec<OverlayError>>,
    subscribers: Mutex<Vec<Sender<String>>>,
    /// How many rebuilds and search builds are under way.
    busy: AtomicUsize,
    site: RwLock<Option<Arc<Site>>>,
    /// Held while a full rebuild renders and while the search worker builds a bundle.
    heavy: Mutex<()>,
}

impl State {
    /// The snapshot being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// The current status, as JSON.
    pub fn status_json(&self) -> String {
        let status = Status {
            generation: self.snapshot().generation,
            errors: self.errors.read().unwrap_or_else(PoisonError::into_inner).clone(),
            busy: self.busy.load(Ordering::SeqCst) > 0,
        };
        serde_json::to_string(&status).unwrap_or_default()
    }

    /// Swaps in a new complete site (if any) and the current errors, then tells every page.
    /// The search bundle being served is kept: the search worker replaces it on its own.
    pub fn publish(&self, files: Option<Files>, errors: Vec<OverlayError>) {
        if let Some(mut files) = files {
            let mut slot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
            files.retain(|path, _| !crate::urls::is_bundle_path(path));
            files.extend(bundle_of(&slot.files));
            *slot = Arc::new(next_snapshot(&slot, files));
        }
        self.tell(errors);
    }

    /// Swaps in `changed` pages over the snapshot being served (the quick path after an edit:
    /// every page written is consistent in itself), then tells every page.
    pub fn publish_pages(&self, changed: Files) {
        {
            let mut slot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
            let mut files = slot.files.clone();
            files.extend(changed);
            *slot = Arc::new(next_snapshot(&slot, files));
        }
        self.tell(self.errors());
    }

    /// Sets the errors and tells every page the current status.
    fn tell(&self, errors: Vec<OverlayError>) {
        *self.errors.write().unwrap_or_else(PoisonError::into_inner) = errors;
        let message = self.status_json();
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|s| s.send(message.clone()).is_ok());
    }

    /// Marks a rebuild or search build as started.
    pub fn begin(&self) {
        self.busy.fetch_add(1, Ordering::SeqCst);
    }

    /// Marks a rebuild or search build as finished.
    pub fn end(&self) {
        self.busy.fetch_sub(1, Ordering::SeqCst);
    }

    /// Waits until neither a full render nor a search bundle is being built, and holds off both
    /// until the guard is dropped. Each needs hundreds of megabytes beside the site served (at
    /// 10,000 retros about 400 MB for a render, 450 MB for a bundle): one after the other, their
    /// peaks never add up.
    pub fn one_heavy_build_at_a_time(&self) -> Turn<'_> {
        Turn(self.heavy.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Waits until no rebuild or search build is under way.
    pub fn wait_until_idle(&self) {
        while self.busy.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// The errors currently shown.
    pub fn errors(&self) -> Vec<OverlayError> {
        self.errors.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Swaps in a new search bundle, keeping every page and the generation, so open pages are
    /// not reloaded for it. Only during the bundle's `turn`: a render that takes the turn next
    /// starts from the files served, and would keep the bundle being replaced alive.
    pub fn replace_bundle(&self, bundle: Files, _turn: &Turn<'_>) {
        let mut slot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        let mut files: Files = slot
            .files
            .iter()
            .filter(|(p, _)| !crate::urls::is_bundle_path(p))
            .map(|(p, b)| (p.clone(), Arc::clone(b)))
            .collect();
        files.extend(bundle);
        let generation = slot.generation;
        *slot = Arc::new(Snapshot { files, generation });
    }

    /// Remembers the site the served pages were last fully rendered from.
    pub fn set_site(&self, site: Arc<Site>) {
        *self.site.write().unwrap_or_else(PoisonError::into_inner) = Some(site);
    }

    /// The site the served pages were last fully rendered from (none before the first build).
    pub fn site(&self) -> Option<Arc<Site>> {
        self.site.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Registers a live-reload connection and sends it the current status first. Under the
    /// lock [`State::publish`] broadcasts with, so a page that connects while a rebuild is being
    /// published gets the new status either way: it never misses one (and with it an overlay).
    pub fn subscribe(&self, subscriber: Sender<String>) {
        let mut subscribers = self.subscribers.lock().unwrap_or_else(PoisonError::into_inner);
        if subscriber.send(self.status_json()).is_ok() {
            subscribers.push(subscriber);
        }
    }
}

/// The search bundle's files of `files`.
fn bundle_of(files: &Files) -> impl Iterator<Item = (String, Arc<Stored>)> + '_ {
    files.iter().filter(|(p, _)| crate::urls::is_bundle_path(p)).map(|(p, b)| (p.clone(), Arc::clone(b)))
}

/// The snapshot after `current` that serves `files`: the same generation when nothing changed
/// (e.g. the full rebuild after a quick update), so open pages are not reloaded for nothing.
fn next_snapshot(current: &Snapshot, files: Files) -> Snapshot {
    let same = files.len() == current.files.len()
        && files.iter().all(|(path, bytes)| {
            current.files.get(path).is_some_and(|old| Arc::ptr_eq(old, bytes) || old == bytes)
        });
    let generation = if same { current.generation } else { current.generation + 1 };
    Snapshot { files, generation }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use super::*;

    #[test]
    fn heavy_builds_wait_for_each_other() {
        let state = Arc::new(State::default());
        let render = state.one_heavy_build_at_a_time();
        let (started, bundle_started) = channel();
        let other = Arc::clone(&state);
        let bundle = std::thread::spawn(move || {
            let _turn = other.one_heavy_build_at_a_time();
            started.send(()).ok();
        });
        let wait = std::time::Duration::from_millis(200);
        assert!(bundle_started.recv_timeout(wait).is_err(), "the bundle started during the render");
        drop(render);
        assert!(bundle_started.recv_timeout(wait * 50).is_ok(), "the bundle never started");
        bundle.join().expect("the bundle thread ends");
    }

    #[test]
    fn a_page_that_connects_after_a_rebuild_is_told_of_it_at_once() {
        let state = State::default();
        state.publish(Some(HashMap::from([("a.html".to_owned(), Arc::new(Stored::new(b"a")))])), Vec::new());
        let error = OverlayError {
            position: "content/a.md:5:11".to_owned(),
            code: "E001 x".to_owned(),
            message: "unknown severity".to_owned(),
            help: None,
        };
        state.publish(None, vec![error]);

        let (sender, receiver) = channel();
        state.subscribe(sender);
        let first = receiver.try_recv().expect("the current status, before any rebuild");
        assert!(first.contains("\"generation\":1"), "{first}");
        assert!(first.contains("content/a.md:5:11"), "{first}");

        state.publish(None, Vec::new());
        let next = receiver.try_recv().expect("the next rebuild");
        assert!(next.contains("\"errors\":[]"), "{next}");
    }
}
