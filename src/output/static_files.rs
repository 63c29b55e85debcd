//! The site's and the theme's `static/` folders, copied into the site as they are.

use std::path::Path;

use super::{OutputError, Sink};
use crate::fsutil::IoError;

/// Copies a static folder into the site as is. Hidden files and folders (`.git`, an editor's
/// `.swp`) are left out, all but `.well-known`, which hosts and browsers read (`security.txt`).
/// A file or folder that cannot be read (a broken link, no permission) is an error naming it.
pub fn copy_static(dir: &Path, sink: &dyn Sink) -> Result<(), OutputError> {
    if !dir.is_dir() {
        return Ok(());
    }
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walk {
        let entry = entry.map_err(|error| unreadable(dir, error))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let relative: Vec<String> =
            relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let bytes = crate::fsutil::read(entry.path())?;
        sink.write(&relative.join("/"), &bytes)?;
    }
    Ok(())
}

/// Whether a static file or folder named `name` is left out of the site.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') && name != ".well-known"
}

/// A static folder's entry that could not be read, named.
fn unreadable(dir: &Path, error: walkdir::Error) -> OutputError {
    let path = error.path().unwrap_or(dir).to_path_buf();
    let source = match error.loop_ancestor() {
        Some(ancestor) => std::io::Error::other(format!(
            "a link in it leads back to {}; remove the link",
            ancestor.display()
        )),
        None => match error.into_io_error() {
            Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
                std::io::Error::other(format!("{io}: a link to nothing; fix the link or remove it"))
            }
            Some(io) => io,
            None => std::io::Error::other("unreadable"),
        },
    };
    IoError::new("copy the static file", &path, source).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where [`copy_static`] puts files: their paths and bytes.
    #[derive(Default)]
    struct Written(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

    impl Sink for Written {
        fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
            self.0.lock().expect("lock").push((relative.to_owned(), bytes.to_vec()));
            Ok(())
        }
    }

    #[test]
    fn static_files_are_copied_but_hidden_ones_and_broken_links_are_not_passed_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = |path: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(&path, path.to_string_lossy().as_bytes()).expect("write");
        };
        for path in [
            "logo.svg",
            "img/a.png",
            ".DS_Store",
            ".git/config",
            "img/.a.png.swp",
            ".well-known/security.txt",
        ] {
            file(path);
        }
        let written = Written::default();
        copy_static(dir.path(), &written).expect("copied");
        let paths: Vec<String> = written.0.into_inner().expect("lock").into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, [".well-known/security.txt", "img/a.png", "logo.svg"]);

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("gone.png"), dir.path().join("img/broken.png"))
                .expect("link");
            let error = copy_static(dir.path(), &Written::default()).expect_err("a broken link").to_string();
            assert!(
                error.contains("img/broken.png") && error.contains("fix the link or remove it"),
                "{error}"
            );
        }
    }
}
