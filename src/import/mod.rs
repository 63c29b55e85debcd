//! `hindsight import`: existing postmortems (Markdown from other templates, HTML exports, plain
//! text) to draft retros, filling what can be inferred and saying what is left.
//!
//! The flow: [`source`] finds and reads the files, [`html`] converts exports to Markdown,
//! [`extract`] reads the fields (with [`doc`], [`meta`], [`fields`], [`dates`], [`severity`], [`labels`],
//! [`timeline`] and [`actions`]), [`write`] renders the retro, and [`report`] says what was
//! done. Every call into the rest of hindsight is in [`library`].
//!
//! Nothing is overwritten: a source already recorded in a retro's `# imported from` line is
//! skipped, and files are created exclusively inside the target folder.

pub mod actions;
pub mod dates;
pub mod doc;
pub mod extract;
pub mod fields;
pub mod html;
pub mod labels;
pub mod library;
pub mod meta;
pub mod report;
pub mod severity;
pub mod source;
pub mod timeline;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::fsutil::IoError;
use crate::site::BuildError;
use extract::{Draft, Found};
use report::{Outcome, Report, Row};

/// What to import and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// Files and folders to import.
    pub sources: Vec<PathBuf>,
    /// The folder the retros are written to.
    pub into: PathBuf,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// `status:` of the new retros.
    pub status: String,
    /// The date `check` findings are as of.
    pub today: NaiveDate,
}

/// Why nothing could be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A site file is broken.
    #[error(transparent)]
    Site(#[from] BuildError),
    /// `import.severity_map` names a severity the taxonomy does not have.
    #[error(
        "hindsight.yaml: import.severity_map maps {from:?} to {to:?}, which is not a severity in taxonomy.yaml; {help}"
    )]
    UnknownSeverity {
        /// The key.
        from: String,
        /// The value.
        to: String,
        /// The valid names.
        help: String,
    },
    /// Creating the target folder or a file failed.
    #[error(transparent)]
    Io(#[from] IoError),
}

/// One source read and ready to write.
struct Prepared {
    row: usize,
    source: String,
    draft: Draft,
}

/// Runs an import and returns its report.
pub fn run(options: &Options) -> Result<Report, ImportError> {
    let site = library::load(&options.root)?;
    check_severity_map(&site)?;
    let recorded = recorded_sources(options);
    let (paths, refused) = source::discover(&options.sources);
    let mut report = Report::new(options.dry_run, shown(&options.root, &options.into));
    for refused in refused {
        report.rows.push(Row {
            source: refused.path.display().to_string(),
            outcome: Outcome::Skipped(refused.reason),
        });
    }
    let matcher = labels::Matcher::new(&site.taxonomy);
    let context = extract::Context {
        taxonomy: &site.taxonomy,
        severity_map: &site.config.import.severity_map,
        matcher: &matcher,
    };
    let read: Vec<(PathBuf, Result<Draft, String>)> = paths
        .par_iter()
        .map(|path| {
            let outcome =
                source::read(path).map_err(|r| r.reason).and_then(|source| extract::read(&source, &context));
            (path.clone(), outcome)
        })
        .collect();
    let mut prepared = Vec::new();
    for (path, outcome) in read {
        let key = record_key(&options.root, path.as_path());
        let row = report.rows.len();
        let source = path.display().to_string();
        match (recorded.get(&canonical(&path)), outcome) {
            (Some(existing), _) => report.rows.push(Row {
                source,
                outcome: Outcome::Skipped(format!("already imported as {}", existing.display())),
            }),
            (None, Err(reason)) => report.rows.push(Row { source, outcome: Outcome::Skipped(reason) }),
            (None, Ok(draft)) => {
                report.rows.push(Row { source: source.clone(), outcome: Outcome::Skipped(String::new()) });
                prepared.push(Prepared { row, source: key, draft });
            }
        }
    }
    add_similar_labels(&site, &mut prepared, options.today);
    write_all(options, &site, prepared, &mut report)?;
    Ok(report)
}

fn check_severity_map(site: &library::Site) -> Result<(), ImportError> {
    for (from, to) in &site.config.import.severity_map {
        if let Err(unknown) = site.taxonomy.check(crate::taxonomy::Dimension::Severity, to) {
            return Err(ImportError::UnknownSeverity {
                from: from.clone(),
                to: to.clone(),
                help: unknown.help,
            });
        }
    }
    Ok(())
}

/// Labels no word named are taken from the most similar retros, when 3 of 5 agree.
fn add_similar_labels(site: &library::Site, prepared: &mut [Prepared], today: NaiveDate) {
    let probes: Vec<(String, String, String)> = prepared
        .iter()
        .map(|p| {
            let summary = p.draft.summary.as_ref().map_or_else(String::new, |s| s.value.clone());
            (p.draft.title.value.clone(), summary, p.draft.body.clone())
        })
        .collect();
    let similar = library::similar_labels(site, &probes, today);
    for (prepared, shared) in prepared.iter_mut().zip(similar) {
        for (key, (names, ids)) in shared {
            if prepared.draft.labels.contains_key(key) {
                continue;
            }
            let from = format!("{} of the 5 most similar retros ({})", ids.len(), ids.join(", "));
            prepared.draft.labels.insert(key, Found { value: names, from });
        }
    }
}

/// Allocates ids (in date order, so the sequence follows the incidents), renders and writes.
fn write_all(
    options: &Options,
    site: &library::Site,
    mut prepared: Vec<Prepared>,
    report: &mut Report,
) -> Result<(), ImportError> {
    prepared.sort_by(|a, b| {
        (a.draft.date.as_ref().map(|d| d.value), &a.source)
            .cmp(&(b.draft.date.as_ref().map(|d| d.value), &b.source))
    });
    let mut taken: Vec<String> = site.ids.iter().filter(|id| is_safe_id(id)).cloned().collect();
    taken.extend(ids_in(&options.into));
    let mut files = Vec::new();
    for item in prepared {
        let year = item.draft.date.as_ref().map_or(options.today.year(), |d| d.value.year());
        let (id, path, text) = loop {
            let id = crate::authoring::ids::next_id(taken.iter().map(String::as_str), year);
            taken.push(id.clone());
            let path = options.into.join(format!("{id}.md"));
            let header = write::Header { source: &item.source, id: &id, status: &options.status };
            let text = write::render(&item.draft, &header);
            if options.dry_run {
                // A link counts as taken, dangling or not, as it does for a real write.
                if path.symlink_metadata().is_err() {
                    break (id, path, text);
                }
                continue;
            }
            match crate::authoring::write_new(&path, text.as_bytes()) {
                Ok(()) => break (id, path, text),
                // Taken meanwhile, or a name the library did not know: the next free id.
                Err(crate::authoring::AuthoringError::Exists(_)) => continue,
                Err(crate::authoring::AuthoringError::Io(error)) => return Err(error.into()),
                Err(other) => {
                    return Err(IoError::new("write", &path, std::io::Error::other(other.to_string())).into());
                }
            }
        };
        let shown_path = shown(&options.root, &path);
        report.rows[item.row].outcome =
            Outcome::Imported(report::Imported::new(&id, &shown_path, &item.draft));
        files.push((item.row, shown_path, text));
    }
    let texts: Vec<(PathBuf, String)> =
        files.iter().map(|(_, path, text)| (path.clone(), text.clone())).collect();
    let findings: Vec<Vec<Diagnostic>> = library::check_findings(site, &texts, options.today);
    for ((_, path, text), diagnostics) in files.into_iter().zip(findings) {
        report.findings.push((path, text, diagnostics));
    }
    report.findings.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(())
}

/// Ids follow `[A-Za-z0-9][A-Za-z0-9._-]*`: only those shape new ones (and a new id is a file name).
fn is_safe_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The stems of the Markdown files in the target folder (it may be outside `content/`).
fn ids_in(into: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(into) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|id| is_safe_id(id))
        .collect()
}

/// A path as shown to users and recorded: relative to the site root when inside it. Folders
/// that do not exist yet (a dry run's target) are resolved from their nearest existing parent.
fn shown(root: &Path, path: &Path) -> PathBuf {
    let Ok(root) = root.canonicalize() else { return path.to_path_buf() };
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let full = loop {
        if let Ok(full) = existing.canonicalize() {
            break rest.iter().rev().fold(full, |full: PathBuf, part: &&std::ffi::OsStr| full.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    };
    full.strip_prefix(&root).map_or(full.clone(), Path::to_path_buf)
}

/// How a source is recorded in `# imported from`: relative to the site root (with `/`) when it
/// is inside, else its absolute path.
fn record_key(root: &Path, path: &Path) -> String {
    shown(root, &canonical(path)).to_string_lossy().into_owned()
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Sources recorded by retros in `content/` and in the target folder, by canonical path, with
/// the retro that records each.
fn recorded_sources(options: &Options) -> HashMap<PathBuf, PathBuf> {
    let (mut files, _) = crate::content::discover(&options.root);
    if let Ok(entries) = std::fs::read_dir(&options.into) {
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    let mut recorded = HashMap::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let Some(source) = recorded_in(&text) else { continue };
        let source = Path::new(source.trim());
        let full = if source.is_absolute() { source.to_path_buf() } else { options.root.join(source) };
        recorded.insert(canonical(&full), shown(&options.root, &file));
    }
    recorded
}

/// The source recorded in a retro's front matter, if it was imported.
fn recorded_in(text: &str) -> Option<&str> {
    let front = text.strip_prefix("---")?;
    let end = front.find("\n---").unwrap_or(front.len());
    front[..end]
        .lines()
        .find_map(|line| line.trim().strip_prefix(write::IMPORTED_FROM.trim_end()).map(str::trim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_source_is_read_from_the_front_matter_only() {
        assert_eq!(recorded_in("---\n# imported from old/a b.md\nid: X\n---\nbody\n"), Some("old/a b.md"));
        assert_eq!(
            recorded_in("---\nid: X\n---\n# imported from old/a.md\n"),
            None,
            "a body line is not a record"
        );
        assert_eq!(recorded_in("# imported from old/a.md\n"), None);
    }

    #[test]
    fn only_file_name_safe_ids_shape_new_ones() {
        assert!(is_safe_id("INC-2024.7_a"));
        for id in ["../x-1", "a/b-2", "-1", "", "é-1"] {
            assert!(!is_safe_id(id), "{id}");
        }
    }
}
