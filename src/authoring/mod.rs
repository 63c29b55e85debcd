//! Authoring: starting a library ([`init`]) and a retro ([`new`]) with one command each.
//!
//! Nothing here overwrites a file: new files are created exclusively, and a file that exists is
//! reported and kept.

pub mod ids;
pub mod init;
pub mod new;
pub mod template;

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::fsutil::IoError;

/// Why a library or a retro could not be created.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    /// A site file (taxonomy, template) is broken; printed like any diagnostic.
    #[error("{}: {}", .0.position(), .0.message)]
    Site(Box<Diagnostic>),
    /// Values given for the new retro are not in the taxonomy.
    #[error("{}", UnknownList(.0))]
    UnknownValues(Vec<UnknownValue>),
    /// The title is empty.
    #[error(
        "the title is empty: give the retro a one-line title, e.g. \"Checkout failed after the 14:00 deploy\""
    )]
    EmptyTitle,
    /// The folder does not look like a library.
    #[error(
        "{} is not a hindsight library (it has no content/, hindsight.yaml or taxonomy.yaml); run `hindsight init` there first, or pass --root",
        .0.display()
    )]
    NotALibrary(PathBuf),
    /// `init` was pointed at a folder that holds files.
    #[error(
        "{} is not empty (it holds {}); `--force` adds the missing files and keeps every existing one",
        dir.display(),
        entries.join(", ")
    )]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// A few of the names in it.
        entries: Vec<String>,
    },
    /// The file to create exists already.
    #[error("{} exists already; nothing was written", .0.display())]
    Exists(PathBuf),
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] IoError),
}

impl From<Box<Diagnostic>> for AuthoringError {
    fn from(diagnostic: Box<Diagnostic>) -> Self {
        AuthoringError::Site(diagnostic)
    }
}

/// A value that is not in the taxonomy, with the command-line flag it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// `--service`, `--severity`, ….
    pub flag: &'static str,
    /// "service", "failure mode", ….
    pub label: &'static str,
    /// The value as given.
    pub value: String,
    /// "did you mean …?" or the valid names.
    pub help: String,
}

struct UnknownList<'a>(&'a [UnknownValue]);

impl fmt::Display for UnknownList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not in taxonomy.yaml, so nothing was written:")?;
        for unknown in self.0 {
            write!(
                f,
                "\n  {} {:?}: unknown {}; {}",
                unknown.flag, unknown.value, unknown.label, unknown.help
            )?;
        }
        Ok(())
    }
}

/// Creates `path` (and its folders) holding `bytes`, failing with [`AuthoringError::Exists`] if
/// it exists: nothing is overwritten, not even when two `hindsight new` race for one id.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), AuthoringError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| IoError::new("create folder", parent, e))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(AuthoringError::Exists(path.to_path_buf()));
        }
        Err(e) => return Err(IoError::new("create", path, e).into()),
    };
    file.write_all(bytes).map_err(|e| IoError::new("write", path, e))?;
    Ok(())
}
