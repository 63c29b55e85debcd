//! What the dev server serves: a complete snapshot of the site, swapped whole, plus the current
//! errors and the live-reload subscribers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::output::{OutputError, Sink, checked_relative};

/// Rendered files in memory: the dev server's output folder.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        checked_relative(relative)?;
        self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(relative.to_owned(), bytes.to_vec());
        Ok(())
    }
}

impl MemorySink {
    /// The files written, by site-relative path.
    pub fn into_files(self) -> HashMap<String, Arc<Vec<u8>>> {
        let files = self.files.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.into_iter().map(|(path, bytes)| (path, Arc::new(bytes))).collect()
    }
}

/// One complete build of the site.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Files by site-relative path (shared, so the next snapshot can reuse them cheaply).
    pub files: HashMap<String, Arc<Vec<u8>>>,
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

/// Shared between the HTTP threads and the rebuild loop.
#[derive(Debug, Default)]
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    errors: RwLock<Vec<OverlayError>>,
    subscribers: Mutex<Vec<Sender<String>>>,
    busy: AtomicBool,
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
            busy: self.busy.load(Ordering::SeqCst),
        };
        serde_json::to_string(&status).unwrap_or_default()
    }

    /// Swaps in a new complete site (if any) and the current errors, then tells every page.
    pub fn publish(&self, files: Option<HashMap<String, Arc<Vec<u8>>>>, errors: Vec<OverlayError>) {
        if let Some(files) = files {
            let mut slot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
            // An identical site (e.g. the full rebuild after a quick body update) reloads nothing.
            let same = files.len() == slot.files.len()
                && files.iter().all(|(path, bytes)| {
                    slot.files.get(path).is_some_and(|old| Arc::ptr_eq(old, bytes) || old == bytes)
                });
            let generation = if same { slot.generation } else { slot.generation + 1 };
            *slot = Arc::new(Snapshot { files, generation });
        }
        *self.errors.write().unwrap_or_else(PoisonError::into_inner) = errors;
        let message = self.status_json();
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|s| s.send(message.clone()).is_ok());
    }

    /// Marks a rebuild as started or finished.
    pub fn set_busy(&self, busy: bool) {
        self.busy.store(busy, Ordering::SeqCst);
    }

    /// The errors currently shown.
    pub fn errors(&self) -> Vec<OverlayError> {
        self.errors.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Swaps in files that change no page (the search bundle), keeping the generation, so open
    /// pages are not reloaded for it.
    pub fn replace_quietly(&self, files: HashMap<String, Arc<Vec<u8>>>) {
        let mut slot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        let generation = slot.generation;
        *slot = Arc::new(Snapshot { files, generation });
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

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use super::*;

    #[test]
    fn a_page_that_connects_after_a_rebuild_is_told_of_it_at_once() {
        let state = State::default();
        state.publish(Some(HashMap::from([("a.html".to_owned(), Arc::new(b"a".to_vec()))])), Vec::new());
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
