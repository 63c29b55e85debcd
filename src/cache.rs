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
            if let Some((seen, checked)) = entries.get(path)
                && *seen == current
            {
                return checked.clone();
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

/// Rendered bodies by the hash of their Markdown, offered from the last render to the next.
/// Offering a body copies pointers, not its HTML or text ([`RenderedBody`] shares them), and
/// what the render does not take is dropped when it ends: the last site and the next hold each
/// unchanged body once between them.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    entries: Mutex<HashMap<u64, RenderedBody>>,
}

fn key(source: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut hasher);
    hasher.finish()
}

impl MarkdownCache {
    /// Offers the bodies of the last render, each with its Markdown, to the next.
    pub fn offer<'a>(&self, bodies: impl Iterator<Item = (&'a str, &'a RenderedBody)>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        for (source, body) in bodies {
            entries.entry(key(source)).or_insert_with(|| body.clone());
        }
    }

    /// Drops what the render did not take.
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// The rendered body of `source`: the one offered for the same Markdown, else rendered.
    pub fn render(&self, source: &str) -> RenderedBody {
        let offered = self.entries.lock().unwrap_or_else(PoisonError::into_inner).remove(&key(source));
        offered.unwrap_or_else(|| markdown::render(source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offered_body_is_taken_once_and_the_rest_dropped() {
        let cache = MarkdownCache::default();
        let offered = RenderedBody { html: "<p>offered</p>".into(), ..RenderedBody::default() };
        cache.offer([("# one", &offered), ("# two", &offered)].into_iter());
        assert_eq!(&*cache.render("# one").html, "<p>offered</p>");
        assert!(cache.render("# one").html.contains("<h1"), "taken once, then rendered");
        cache.clear();
        assert!(cache.render("# two").html.contains("<h1"), "dropped by clear");
    }
}
