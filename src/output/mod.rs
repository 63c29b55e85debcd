//! Output: pages go into a staging folder beside the output folder, which replaces the output
//! folder only once the build is complete, so readers never see a half-written site.

use std::path::{Component, Path, PathBuf};

use crate::fsutil::{self, IoError};

mod static_files;
pub use static_files::copy_static;

/// Where rendered files go: a staging folder on disk, or memory for the dev server.
pub trait Sink: Sync {
    /// Stores `bytes` at `relative`, a `/`-separated path inside the site.
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError>;
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A path that would leave the output folder; a bug guard, since ids and slugs are checked.
    #[error("refusing to write {0:?}: it is not a plain path inside the output folder")]
    UnsafePath(String),
    /// The output folder is where sources live.
    #[error("refusing output folder {}: {reason}", path.display())]
    UnsafeOutputDir {
        /// The folder.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The output folder cannot be moved aside: it is a mount point.
    #[error(
        "cannot replace output folder {}: it is a mount point (a container's volume, say), which cannot be moved; mount the folder above it instead, or build into a folder inside it (--output {}/site)",
        path.display(), path.display()
    )]
    MountPoint {
        /// The folder.
        path: PathBuf,
    },
    /// The filesystem said no.
    #[error(transparent)]
    Io(#[from] IoError),
}

/// Checks that `relative` has only plain components, so it stays inside the output folder.
pub fn checked_relative(relative: &str) -> Result<PathBuf, OutputError> {
    let path = Path::new(relative);
    let plain = !relative.is_empty()
        && !relative.contains(['\\', '\0'])
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain { Ok(path.to_path_buf()) } else { Err(OutputError::UnsafePath(relative.to_owned())) }
}

/// A staging folder that becomes the output folder on [`Staging::publish`].
#[derive(Debug)]
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// The folder held as in use ([`hold`]), so that another build leaves it alone.
    _in_use: Option<std::fs::File>,
}

impl Staging {
    /// Creates the staging folder beside `target`, after refusing dangerous targets. A target
    /// that is a link to a folder is that folder: the link stays, and what it points to is
    /// replaced.
    pub fn create(site_root: &Path, target: &Path) -> Result<Self, OutputError> {
        let linked = std::fs::symlink_metadata(target).is_ok_and(|meta| meta.file_type().is_symlink());
        let resolved;
        let target = if linked {
            resolved =
                std::fs::canonicalize(target).map_err(|e| IoError::new("follow the link", target, e))?;
            resolved.as_path()
        } else {
            target
        };
        refuse_dangerous_target(site_root, target)?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| IoError::new("create folder", parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!(".{name}.staging-");
        recover_interrupted_builds(parent, &prefix, target);
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(parent)
            .map_err(|e| IoError::new("create staging folder in", parent, e))?;
        let in_use = hold(dir.path());
        Ok(Staging { dir, target: target.to_path_buf(), _in_use: in_use })
    }

    /// The staging folder (for tests and diagnostics).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Swaps the complete staging folder in as the output folder.
    ///
    /// Two renames within one parent folder: the old output moves aside, the new one moves in,
    /// the old one is deleted. Were the process killed in between, the previous output is still
    /// whole under its backup name, never a mix.
    pub fn publish(self) -> Result<(), OutputError> {
        let staged = self.dir.keep();
        let backup = backup_of(&staged);
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &backup).map_err(|e| match e.kind() {
                std::io::ErrorKind::ResourceBusy | std::io::ErrorKind::CrossesDevices => {
                    OutputError::MountPoint { path: self.target.clone() }
                }
                _ => IoError::new("move aside", &self.target, e).into(),
            })?;
        }
        if let Err(e) = std::fs::rename(&staged, &self.target) {
            if had_previous {
                let _ = std::fs::rename(&backup, &self.target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(IoError::new("move into place", &self.target, e).into());
        }
        if had_previous {
            match std::fs::remove_dir_all(&backup) {
                // Another build starting now may be clearing it up too.
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(IoError::new("remove", &backup, e).into());
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let relative = checked_relative(relative)?;
        fsutil::write(&self.dir.path().join(relative), bytes)?;
        Ok(())
    }
}

/// Where the previous output waits while the staged one moves in: the staging folder's name
/// plus `.previous`. (`with_extension` would replace `.staging-XXXX` and give every build the
/// same backup name, which recovery does not recognise and the next build cannot rename onto.)
fn backup_of(staged: &Path) -> PathBuf {
    let mut name = staged.file_name().map(ToOwned::to_owned).unwrap_or_default();
    name.push(".previous");
    staged.with_file_name(name)
}

/// Holds `dir` as in use for as long as the handle lives: an exclusive lock on the folder
/// itself, so no file is added. `None` where a folder cannot be locked (there, two builds of
/// one site at once may still remove each other's staging folders).
fn hold(dir: &Path) -> Option<std::fs::File> {
    let handle = std::fs::File::open(dir).ok()?;
    handle.try_lock().ok()?;
    Some(handle)
}

/// Whether a build still running holds `dir` ([`hold`]).
fn in_use(dir: &Path) -> bool {
    std::fs::File::open(dir)
        .is_ok_and(|handle| matches!(handle.try_lock(), Err(std::fs::TryLockError::WouldBlock)))
}

/// Cleans up after a build that was killed: a staging folder no build holds is junk; a
/// `.previous` folder with no output folder beside it is the last good output, caught between
/// the two renames. A staging folder still held is another build's, writing the same output.
fn recover_interrupted_builds(parent: &Path, prefix: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        if name.ends_with(".previous") && !target.exists() {
            let _ = std::fs::rename(&path, target);
        } else if !in_use(&path) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

fn refuse_dangerous_target(site_root: &Path, target: &Path) -> Result<(), OutputError> {
    let root = std::path::absolute(site_root).map_err(|e| IoError::new("resolve", site_root, e))?;
    let target_abs = std::path::absolute(target).map_err(|e| IoError::new("resolve", target, e))?;
    let root = normalise(&root);
    let target_abs = normalise(&target_abs);
    let refuse = |reason| Err(OutputError::UnsafeOutputDir { path: target.to_path_buf(), reason });
    if root.starts_with(&target_abs) {
        return refuse("it is the site root or contains it; building would replace your sources");
    }
    if target_abs.join(crate::content::CONTENT_DIR).exists() {
        return refuse("it contains a content/ folder; building would replace it");
    }
    Ok(())
}

/// Resolves `.` and `..` without touching the filesystem.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_build_has_its_own_backup_name_which_recovery_recognises() {
        let backup = backup_of(Path::new("/site/.out.staging-AbC123"));
        assert_eq!(backup, Path::new("/site/.out.staging-AbC123.previous"));
        assert!(backup.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".out.staging-")));
    }

    #[test]
    fn a_build_killed_between_the_renames_is_recovered_by_the_next() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        for round in 0..3 {
            let staging = Staging::create(dir.path(), &target).expect("staging");
            staging.write("index.html", format!("round {round}").as_bytes()).expect("write");
            let staged = staging.dir.keep();
            // What a kill between the two renames leaves: the output moved aside, nothing in place.
            if target.exists() {
                std::fs::rename(&target, backup_of(&staged)).expect("move aside");
            }
            std::fs::remove_dir_all(&staged).expect("remove");
            let staging = Staging::create(dir.path(), &target).expect("staging after a kill");
            staging.write("index.html", format!("round {round} again").as_bytes()).expect("write");
            staging.publish().expect("publish after a kill");
            let published = std::fs::read_to_string(target.join("index.html")).expect("read");
            assert_eq!(published, format!("round {round} again"));
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into())
            .collect();
        assert_eq!(names, ["out"], "nothing but the output is left beside it");
    }

    #[test]
    fn a_build_leaves_the_staging_folder_of_a_build_still_running_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        let first = Staging::create(dir.path(), &target).expect("staging");
        first.write("index.html", b"first").expect("write");
        let second = Staging::create(dir.path(), &target).expect("a second build at once");
        assert!(first.path().join("index.html").exists(), "the second build removed the first's pages");
        first.write("late.html", b"after the second began").expect("write");
        first.publish().expect("publish");
        assert_eq!(std::fs::read_to_string(target.join("index.html")).expect("read"), "first");
        assert!(target.join("late.html").exists());
        second.write("index.html", b"second").expect("write");
        second.publish().expect("publish");
        assert_eq!(std::fs::read_to_string(target.join("index.html")).expect("read"), "second");

        // A build that ended without publishing (killed) holds nothing: the next one clears it.
        let killed = {
            let staging = Staging::create(dir.path(), &target).expect("staging");
            staging.dir.keep()
        };
        let _next = Staging::create(dir.path(), &target).expect("staging");
        assert!(!killed.exists(), "a killed build's staging folder was left");
    }

    #[cfg(unix)]
    #[test]
    fn an_output_folder_that_is_a_link_is_replaced_where_it_points() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("www/incidents");
        std::fs::create_dir_all(&real).expect("mkdir");
        std::fs::write(real.join("old.html"), "old").expect("write");
        let link = dir.path().join("site/public");
        std::fs::create_dir_all(dir.path().join("site")).expect("mkdir");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        let staging = Staging::create(&dir.path().join("site"), &link).expect("staging");
        staging.write("index.html", b"new").expect("write");
        staging.publish().expect("publish");
        assert!(
            std::fs::symlink_metadata(&link).expect("the link").file_type().is_symlink(),
            "the link stays"
        );
        assert_eq!(std::fs::read_to_string(real.join("index.html")).expect("read"), "new");
        assert!(!real.join("old.html").exists(), "the folder it points to was replaced whole");
    }

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(checked_relative("retros/INC-1.html").is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "a\0b", "./a"] {
            assert!(checked_relative(bad).is_err(), "{bad:?}");
        }
    }
}
