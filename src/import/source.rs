//! Finding and reading the postmortems to import: files or folders (walked as `content/` is),
//! by extension, and refusing what is not text before anything is parsed.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::is_ignored_name;

/// The extensions `import` reads, lower case.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt", "html", "htm"];

/// How a source is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// Plain text (`.txt`): read as Markdown after its heading lines are marked.
    Text,
    /// An HTML export (`.html`, `.htm`).
    Html,
}

/// A source file and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as found (the argument, or a file under a folder argument).
    pub path: PathBuf,
    /// How it is written.
    pub format: Format,
    /// The text, without a byte-order mark.
    pub text: String,
}

/// Why a source was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The path as found.
    pub path: PathBuf,
    /// What is wrong and what to do.
    pub reason: String,
}

/// The format of a path, if `import` reads it.
pub fn format_of(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_string_lossy().to_lowercase();
    match extension.as_str() {
        "md" | "markdown" => Some(Format::Markdown),
        "txt" => Some(Format::Text),
        "html" | "htm" => Some(Format::Html),
        _ => None,
    }
}

/// Every importable file under the arguments, sorted and without duplicates, and the
/// arguments or entries that could not be walked.
pub fn discover(arguments: &[PathBuf]) -> (Vec<PathBuf>, Vec<Refused>) {
    let mut found = Vec::new();
    let mut refused = Vec::new();
    for argument in arguments {
        if argument.is_file() {
            match format_of(argument) {
                Some(_) => found.push(argument.clone()),
                None => refused.push(Refused {
                    path: argument.clone(),
                    reason: format!("not a postmortem file: import reads {}", extension_list()),
                }),
            }
            continue;
        }
        if !argument.exists() {
            refused.push(Refused {
                path: argument.clone(),
                reason: "no such file or folder; check the path".to_owned(),
            });
            continue;
        }
        walk(argument, &mut found, &mut refused);
    }
    found.sort();
    found.dedup();
    (found, refused)
}

fn walk(folder: &Path, found: &mut Vec<PathBuf>, refused: &mut Vec<Refused>) {
    let walker =
        WalkDir::new(folder).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
            entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy())
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && format_of(entry.path()).is_some() => {
                found.push(entry.into_path());
            }
            Ok(_) => {}
            // A link back to a parent folder is walked once, quietly.
            Err(error) if error.loop_ancestor().is_some() => {}
            Err(error) => refused.push(Refused {
                path: error.path().map_or_else(|| folder.to_path_buf(), Path::to_path_buf),
                reason: format!(
                    "cannot read: {}; check its permissions or the link",
                    error.io_error().map_or_else(|| error.to_string(), ToString::to_string)
                ),
            }),
        }
    }
}

fn extension_list() -> String {
    EXTENSIONS.iter().map(|ext| format!(".{ext}")).collect::<Vec<_>>().join(", ")
}

/// Reads a source, refusing empty, binary and non-UTF-8 files with a reason that says what to do.
pub fn read(path: &Path) -> Result<Source, Refused> {
    let refuse = |reason: String| Refused { path: path.to_path_buf(), reason };
    let format = format_of(path).ok_or_else(|| refuse(format!("import reads {}", extension_list())))?;
    let bytes = std::fs::read(path).map_err(|e| refuse(format!("cannot read: {e}")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // A NUL byte never occurs in text, whatever its encoding but UTF-16.
    if bytes.contains(&0) {
        return Err(refuse("a binary file (it holds NUL bytes), not a text document; skipped".to_owned()));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            return Err(refuse(format!(
                "not valid UTF-8 (first invalid byte on line {line}); re-save it as UTF-8 and import it again"
            )));
        }
    };
    if text.trim().is_empty() {
        return Err(refuse("the file is empty; nothing to import".to_owned()));
    }
    Ok(Source { path: path.to_path_buf(), format, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_text() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], &str); 3] = [
            ("empty.md", b"  \n\n", "empty"),
            ("binary.md", b"PK\x03\x04\x00\x00", "binary"),
            ("latin1.txt", b"Title\nCaf\xe9 down\n", "line 2"),
        ];
        for (name, bytes, expected) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let refused = read(&path).unwrap_err();
            assert!(refused.reason.contains(expected), "{name}: {}", refused.reason);
        }
        let good = dir.path().join("a.HTM");
        std::fs::write(&good, "\u{feff}<p>x</p>").unwrap();
        let source = read(&good).unwrap();
        assert_eq!((source.format, source.text.as_str()), (Format::Html, "<p>x</p>"));
    }

    #[test]
    fn walks_folders_for_known_extensions_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.md", "a.txt", "c.html", "d.pdf", ".hidden.md", "e.markdown"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let (found, refused) = discover(&[dir.path().to_path_buf(), dir.path().join("gone")]);
        let names: Vec<String> =
            found.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["a.txt", "b.md", "c.html", "e.markdown"]);
        assert_eq!(refused.len(), 1);
        assert!(refused[0].reason.starts_with("no such file"));
    }
}
