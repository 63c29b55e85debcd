//! Filesystem helpers whose errors always name the path.

use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure on a named path.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct IoError {
    /// What we were doing ("read", "write", "create folder", …).
    pub action: &'static str,
    /// The path it failed on.
    pub path: PathBuf,
    /// The underlying error.
    #[source]
    pub source: io::Error,
}

impl IoError {
    /// Wraps `source` with the action and path.
    pub fn new(action: &'static str, path: &Path, source: io::Error) -> Self {
        IoError { action, path: path.to_owned(), source }
    }
}

/// Reads a file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>, IoError> {
    std::fs::read(path).map_err(|e| IoError::new("read", path, e))
}

/// Reads an optional site file: `Ok(None)` when it does not exist.
pub fn read_optional_string(path: &Path) -> Result<Option<String>, IoError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(IoError::new("read", path, e)),
    }
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    // Written first, and the folders made only when they are missing: a site's thousands of
    // files share a few dozen folders. Making them before every file cost a `mkdir` and a
    // `statx` per file (6,200 of a 1,000-retro build's 13,600 file system calls), and each such
    // `mkdir` locks the folder against the other threads' writes.
    match std::fs::write(path, bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| IoError::new("create folder", parent, e))?;
            }
            std::fs::write(path, bytes).map_err(|e| IoError::new("write", path, e))
        }
        written => written.map_err(|e| IoError::new("write", path, e)),
    }
}
