//! Watching the site's sources: debounced file events, sorted into the kinds of change that
//! matter, with editor noise (swap files, backups, atomic-save temporaries) dropped.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long the debouncer waits for a burst of events (an atomic save, a `git checkout`) to end.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// What changed, as far as rebuilding is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Retro files were edited, added, deleted or renamed.
    Content(Vec<PathBuf>),
    /// Taxonomy, config, theme or static files: everything may change.
    Site(Vec<PathBuf>),
}

/// A running watcher; dropping it stops watching.
pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches the site's sources under `root`; changes arrive on the returned channel.
pub fn watch(root: &Path) -> Result<(Watcher, Receiver<ChangeKind>), notify::Error> {
    let (sender, receiver) = channel();
    // Events carry absolute, resolved paths; compare them with the root resolved the same way.
    let root = &root.canonicalize().map_err(notify::Error::io)?;
    let root_for_events = root.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        if std::env::var_os("HINDSIGHT_DEBUG_WATCH").is_some() {
            for event in &events {
                eprintln!("watch: {:?} {:?}", event.kind, event.paths);
            }
        }
        let paths: Vec<PathBuf> = events
            .iter()
            .filter(|event| changes_content(&event.kind))
            .flat_map(|e| e.paths.iter().cloned())
            .collect();
        if let Some(change) = classify(&root_for_events, &paths) {
            let _ = sender.send(change);
        }
    })?;
    for name in ["content", "themes", "static"] {
        let dir = root.join(name);
        if dir.is_dir() {
            debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    // Site files are watched through the root folder (non-recursively), so that creating a
    // taxonomy.yaml that did not exist is noticed too.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    Ok((debouncer, receiver))
}

/// Whether an event can change what is built: reads (our own rebuild reading the sources)
/// must not trigger another rebuild.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Sorts event paths into a change, or `None` when none of them matters.
pub fn classify(root: &Path, paths: &[PathBuf]) -> Option<ChangeKind> {
    let relevant: Vec<PathBuf> = paths
        .iter()
        .filter_map(|path| path.strip_prefix(root).ok())
        .filter(|relative| !is_noise(relative))
        .map(Path::to_path_buf)
        .collect();
    let is_site = |p: &PathBuf| {
        matches!(p.to_str(), Some(crate::config::CONFIG_FILE | crate::taxonomy::TAXONOMY_FILE))
            || p.starts_with("themes")
            || p.starts_with("static")
    };
    if relevant.iter().any(is_site) {
        return Some(ChangeKind::Site(relevant));
    }
    let content: Vec<PathBuf> = relevant
        .into_iter()
        .filter(|p| p.starts_with(crate::content::CONTENT_DIR))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) || p.extension().is_none())
        .collect();
    (!content.is_empty()).then_some(ChangeKind::Content(content))
}

/// Editor temporaries, hidden files, and anything under a hidden folder (the index cache, the
/// output's staging folders) never trigger a rebuild.
fn is_noise(relative: &Path) -> bool {
    let hidden_or_temporary = relative.components().any(|c| match c {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            crate::content::is_ignored_name(&name) || name.contains(".tmp.")
        }
        _ => false,
    });
    // vim probes a folder by writing a file named "4913" (and counting up when it exists).
    let vim_probe = relative.file_name().is_some_and(|name| {
        relative.extension().is_none()
            && name.to_string_lossy().chars().all(|c| c.is_ascii_digit())
            && relative.components().count() > 2
    });
    hidden_or_temporary || vim_probe
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(paths: &[&str]) -> Option<ChangeKind> {
        let root = Path::new("/site");
        classify(root, &paths.iter().map(|p| root.join(p)).collect::<Vec<_>>())
    }

    #[test]
    fn sorts_changes_and_drops_editor_noise() {
        assert_eq!(kinds(&["content/a.md"]), Some(ChangeKind::Content(vec![PathBuf::from("content/a.md")])));
        assert!(matches!(kinds(&["content/a.md", "taxonomy.yaml"]), Some(ChangeKind::Site(_))));
        assert!(matches!(kinds(&["themes/default/templates/retro.html"]), Some(ChangeKind::Site(_))));
        assert!(
            matches!(kinds(&["content/2024/a.md"]), Some(ChangeKind::Content(_))),
            "year folders are not noise"
        );
        for noise in [
            "content/.a.md.swp",
            "content/a.md~",
            "content/.#a.md",
            "content/2024/4913",
            ".hindsight/index/x",
            "public/index.html",
        ] {
            assert_eq!(kinds(&[noise]), None, "{noise}");
        }
    }
}
