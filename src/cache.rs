//! Caches that let the dev server rebuild quickly: files whose size and modification time have
//! not changed are not read or validated again, and unchanged bodies are not rendered again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use crate::markdown::{self, RenderedBody};
use crate::validate::Checked;

/// What identifies a version of a file without reading it.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// What a site keeps between renders. A build starts with empty caches; the dev server keeps
/// one set for its whole run.
#[derive(Debug, Default)]
pub struct Caches {
    /// Validation results by file.
    pub parsed: ParseCache,
    /// Rendered bodies by Markdown.
    pub markdown: MarkdownCache,
}

/// Validation results by file, valid while the file's size and modification time are unchanged.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<PathBuf, (Stamp, Checked)>>,
}

impl ParseCache {
    /// Forgets every result: validation depends on the taxonomy and settings, which changed.
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The cached result for `path`, or `check()`'s, which is then remembered.
    pub fn get_or_check(&self, path: &Path, check: impl FnOnce() -> Checked) -> Checked {
        let current = stamp(path);
        if let Some(current) = current {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((seen, checked)) = entries.get(path) {
                if *seen == current {
                    return checked.clone();
                }
            }
        }
        let checked = check();
        if let Some(current) = current {
            self.entries
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(path.to_path_buf(), (current, checked.clone()));
        }
        checked
    }
}

/// Rendered bodies by the hash of their Markdown: those of the last render, and those rendered
/// since. A body no render has used since the one before is forgotten, so the cache holds the
/// library's bodies once, not every version ever saved.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    generations: Mutex<Generations>,
}

/// The bodies the render under way has used, and those of the render before.
#[derive(Debug, Default)]
struct Generations {
    current: HashMap<u64, RenderedBody>,
    previous: HashMap<u64, RenderedBody>,
}

impl MarkdownCache {
    /// Starts a render of the whole library: bodies it does not use are then forgotten.
    pub fn start_render(&self) {
        let mut generations = self.generations.lock().unwrap_or_else(PoisonError::into_inner);
        generations.previous = std::mem::take(&mut generations.current);
    }

    /// The rendered body of `source`, from the cache when the same Markdown was rendered before.
    pub fn render(&self, source: &str) -> RenderedBody {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        source.hash(&mut hasher);
        let key = hasher.finish();
        {
            let mut generations = self.generations.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(body) = generations.current.get(&key) {
                return body.clone();
            }
            if let Some(body) = generations.previous.remove(&key) {
                generations.current.insert(key, body.clone());
                return body;
            }
        }
        let body = markdown::render(source);
        self.generations.lock().unwrap_or_else(PoisonError::into_inner).current.insert(key, body.clone());
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_no_render_used_are_forgotten() {
        let cache = MarkdownCache::default();
        cache.start_render();
        cache.render("# one");
        cache.render("# two");
        cache.start_render();
        cache.render("# one");
        cache.start_render();
        let generations = cache.generations.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(generations.previous.len(), 1, "only the body the last render used is kept");
        assert!(generations.current.is_empty());
    }
}
