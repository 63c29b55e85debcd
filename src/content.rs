//! Loading content: find the retro files, read them, and split front matter from body.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::{fsutil, yaml};

/// The folder under the site root that holds the retros.
pub const CONTENT_DIR: &str = "content";

/// A retro file read from disk, split into its front matter and body. The parsed retro keeps
/// it, so a finding about the retro is placed in the very text that was validated and no stage
/// reads the file again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFile {
    /// The path shown to users: relative to the site root.
    pub path: PathBuf,
    /// The whole text, without a byte-order mark; shared with the diagnostics that quote it.
    pub text: Arc<String>,
    /// Byte range of the YAML between the `---` lines.
    pub front_matter: Range<usize>,
    /// File line (1-based) on which the YAML starts.
    pub front_matter_line: usize,
    /// Byte range of the Markdown body.
    pub body: Range<usize>,
}

impl SourceFile {
    /// The YAML front matter.
    pub fn front_matter(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// The file stem, the default id.
    pub fn stem(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// The file position of the key or value at a dotted front-matter path
    /// (`action_items.2.due`); an absent path gives its deepest ancestor's position.
    pub fn locate(&self, dotted: &str, part: yaml::Part) -> Option<Location> {
        let span = yaml::locate(self.front_matter(), &yaml::path_from_dotted(dotted), part)?;
        Some(self.in_file(span))
    }

    /// [`SourceFile::locate`] for several paths in one parse, in the order of `targets`.
    pub fn locate_all(&self, targets: &[(yaml::YamlPath, yaml::Part)]) -> Vec<Option<Location>> {
        let spans = yaml::locate_all(self.front_matter(), targets);
        spans.into_iter().map(|span| span.map(|span| self.in_file(span))).collect()
    }

    /// The opening `---` line: where a missing field is to be added.
    pub fn opening(&self) -> Location {
        Location { line: self.front_matter_line.saturating_sub(1), column: 1, width: 3 }
    }

    /// A position in the front matter as a position in the file.
    fn in_file(&self, span: yaml::Span) -> Location {
        Location { line: span.line + self.front_matter_line - 1, column: span.column, width: span.width }
    }

    /// A finding about this file, quoting its text.
    pub fn diagnostic(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, &self.path, message).in_text(Arc::clone(&self.text))
    }
}

/// A hash of the names, sizes and modification times of `files`, read without opening any: it
/// changes whenever one of them may have.
pub fn stamp<'a>(files: impl IntoIterator<Item = &'a PathBuf>) -> u64 {
    let files: Vec<&PathBuf> = files.into_iter().collect();
    // Read on every core: one thread took 10 ms at 10,000 retros while the other core waited.
    let sizes_and_times: Vec<_> = files
        .par_iter()
        .map(|path| std::fs::metadata(path).ok().map(|meta| (meta.len(), meta.modified().ok())))
        .collect();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (path, size_and_time) in files.iter().zip(sizes_and_times) {
        path.hash(&mut hasher);
        if let Some((size, time)) = size_and_time {
            size.hash(&mut hasher);
            time.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Lists the Markdown files under `root/content`, sorted, skipping hidden and editor files.
pub fn discover(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker =
        WalkDir::new(&content).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
            entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy())
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_markdown(entry.path()) => {
                files.push(entry.into_path());
            }
            Ok(_) => {}
            // A symbolic-link loop is skipped quietly: the files it leads to are walked once anyway.
            Err(error) if error.loop_ancestor().is_some() => {}
            Err(error) if error.depth() == 0 => {} // no content folder: an empty library
            Err(error) => problems.push(walk_problem(root, &error)),
        }
    }
    (files, problems)
}

/// What went wrong with one entry of the walk, and what to do about it.
fn walk_problem(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let shown = error.path().map(|p| display_path(root, p)).unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
    // walkdir's own text repeats the full path; the diagnostic names the file already.
    let cause = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
    // A link that loops or leads nowhere is not a permissions problem, so say what it is.
    let target = error.path().and_then(|p| std::fs::read_link(p).ok());
    match target {
        Some(target) => Diagnostic::new(
            Code::Unreadable,
            shown,
            format!("cannot follow the symbolic link to {}: {cause}", target.display()),
        )
        .help("point the link at an existing retro file, or remove it"),
        None => Diagnostic::new(Code::Unreadable, shown, format!("cannot read: {cause}"))
            .help("check the file's permissions"),
    }
}

/// Hidden files, editor backups and swap files are never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
}

/// The path relative to the site root, as users know it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Reads one retro file and splits it.
pub fn read(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = display_path(root, path);
    let bytes = fsutil::read(path).map_err(|e| {
        Diagnostic::new(Code::Unreadable, &shown, e.to_string())
            .help("check that the file exists and is readable")
    })?;
    let text = decode(&shown, bytes)?;
    split(shown, text)
}

fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let valid = String::from_utf8_lossy(valid);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
        // The caret is shown under the text as far as it can be read.
        let shown_text = Arc::new(String::from_utf8_lossy(error.as_bytes()).into_owned());
        Diagnostic::new(Code::NotUtf8, shown, "the file is not valid UTF-8")
            .in_text(shown_text)
            .at(Some(Location { line, column, width: 1 }))
            .help("re-save the file as UTF-8; the first invalid byte is at the position shown")
    })
}

/// Splits `text` into front matter and body.
pub fn split(shown: PathBuf, text: String) -> Result<SourceFile, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(Code::EmptyFile, shown, "the file is empty")
            .help("write a retro into it (`hindsight new \"Title\"` starts one) or delete it"));
    }
    let text: Arc<String> = text.into();
    let mut lines = text.split_inclusive('\n');
    let opening = lines.next().unwrap_or_default();
    if opening.trim_end() != "---" {
        return Err(Diagnostic::new(Code::NoFrontMatter, shown, "no front matter: the first line must be `---`")
            .in_text(Arc::clone(&text))
            .at(Some(Location { line: 1, column: 1, width: opening.trim_end().chars().count().max(1) }))
            .help("start the file with a `---` line, the YAML fields (title, date, severity, services, failure_modes), and another `---` line"));
    }
    let front_start = opening.len();
    let mut offset = front_start;
    for line in lines {
        let marker = line.trim_end();
        if marker == "---" || marker == "..." {
            let body = offset + line.len()..text.len();
            return Ok(SourceFile {
                path: shown,
                front_matter: front_start..offset,
                front_matter_line: 2,
                body,
                text,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(Code::NoFrontMatter, shown, "the front matter opened here is never closed")
        .in_text(Arc::clone(&text))
        .at(Some(Location { line: 1, column: 1, width: 3 }))
        .help("end the front matter with a line holding only `---`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(text: &str) -> Result<SourceFile, Diagnostic> {
        split(PathBuf::from("a.md"), text.to_owned())
    }

    #[test]
    fn splits_crlf_front_matter_and_body() {
        let file = split_str("---\r\ntitle: x\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(file.front_matter(), "title: x\r\n");
        assert_eq!(file.body(), "Body\r\n");
    }

    #[test]
    fn rejects_empty_unopened_and_unclosed_files() {
        assert_eq!(split_str("  \n").unwrap_err().code, Code::EmptyFile);
        assert_eq!(split_str("# Title\n").unwrap_err().code, Code::NoFrontMatter);
        assert_eq!(split_str("---\n").unwrap_err().code, Code::NoFrontMatter);
    }

    #[cfg(unix)]
    #[test]
    fn links_that_loop_or_lead_nowhere_are_named_with_their_target() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(CONTENT_DIR);
        std::fs::create_dir(&content).unwrap();
        std::os::unix::fs::symlink("b.md", content.join("a.md")).unwrap();
        std::os::unix::fs::symlink("a.md", content.join("b.md")).unwrap();
        std::os::unix::fs::symlink("gone.md", content.join("dangling.md")).unwrap();
        // A folder linking to its parent is walked once, quietly.
        std::os::unix::fs::symlink(".", content.join("again")).unwrap();
        let (files, problems) = discover(dir.path());
        assert!(files.is_empty(), "{files:?}");
        let shown: Vec<String> =
            problems.iter().map(|p| format!("{}: {}", p.file.display(), p.message)).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("content/a.md: cannot follow the symbolic link to b.md: "), "{shown:?}");
        assert!(shown[1].starts_with("content/b.md: cannot follow the symbolic link to a.md: "), "{shown:?}");
        assert!(shown[2].starts_with("content/dangling.md: cannot follow the symbolic link to gone.md: "));
        assert!(
            problems
                .iter()
                .all(|p| p.help.as_deref() == Some("point the link at an existing retro file, or remove it"))
        );
    }

    #[test]
    fn locates_the_first_invalid_byte() {
        let err = decode(Path::new("a.md"), b"\xEF\xBB\xBF---\nti\xFFtle\n".to_vec()).unwrap_err();
        assert_eq!(err.location.map(|l| (l.line, l.column)), Some((2, 3)));
        assert!(decode(Path::new("a.md"), b"\xEF\xBB\xBFok".to_vec()).is_ok());
    }
}
