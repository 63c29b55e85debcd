//! `hindsight init`: a new library with settings, a commented starter taxonomy, one example
//! retro and a `.gitignore` for the built site and the index cache.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use tera::Context;

use super::{AuthoringError, ids, template, write_new};
use crate::content::CONTENT_DIR;
use crate::fsutil::{self, IoError};

/// Names that do not make a folder "not empty": version-control metadata and desktop litter.
const IGNORED: &[&str] = &[".git", ".hg", ".svn", ".DS_Store"];

/// What each line of the starter `.gitignore` keeps out of version control.
const GITIGNORE: &str = include_str!("starter/gitignore");

/// What `init` did, file by file (paths relative to the library folder).
#[derive(Debug, Default)]
pub struct InitReport {
    /// Files written.
    pub created: Vec<PathBuf>,
    /// Files that existed and were left as they were (only with `force`).
    pub kept: Vec<PathBuf>,
    /// The existing `.gitignore`, when lines were appended to it.
    pub extended: Option<PathBuf>,
    /// The example retro, if one was written.
    pub example: Option<PathBuf>,
}

/// Creates a library in `dir` (created if missing). A folder that holds anything is refused
/// unless `force`; even then no existing file is replaced.
pub fn init(dir: &Path, today: NaiveDate, force: bool) -> Result<InitReport, AuthoringError> {
    let entries = entries(dir)?;
    if !entries.is_empty() && !force {
        return Err(AuthoringError::NotEmpty { dir: dir.to_path_buf(), entries });
    }
    let mut report = InitReport::default();
    let files: [(&str, &str); 2] = [
        (crate::config::CONFIG_FILE, include_str!("starter/hindsight.yaml")),
        (crate::taxonomy::TAXONOMY_FILE, include_str!("starter/taxonomy.yaml")),
    ];
    for (name, text) in files {
        create(dir, Path::new(name), text, &mut report)?;
    }
    // An existing library keeps its retros to itself: the example would only be noise there.
    if !has_retros(dir) {
        let (relative, text) = example(today)?;
        create(dir, &relative, &text, &mut report)?;
        if report.created.contains(&relative) {
            report.example = Some(relative);
        }
    }
    gitignore(dir, &mut report)?;
    Ok(report)
}

/// The names in `dir` that count against "empty", sorted; none when it does not exist.
fn entries(dir: &Path) -> Result<Vec<String>, AuthoringError> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(IoError::new("list", dir, e).into()),
    };
    let mut names: Vec<String> = listing
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !IGNORED.contains(&name.as_str()))
        .collect();
    names.sort();
    Ok(names)
}

fn create(dir: &Path, relative: &Path, text: &str, report: &mut InitReport) -> Result<(), AuthoringError> {
    match write_new(&dir.join(relative), text.as_bytes()) {
        Ok(()) => report.created.push(relative.to_path_buf()),
        Err(AuthoringError::Exists(_)) => report.kept.push(relative.to_path_buf()),
        Err(error) => return Err(error),
    }
    Ok(())
}

fn has_retros(dir: &Path) -> bool {
    !crate::content::discover(dir).0.is_empty()
}

/// The example retro: a game day a week ago, its follow-ups dated so that it is clean today.
fn example(today: NaiveDate) -> Result<(PathBuf, String), AuthoringError> {
    let date = today.checked_sub_days(Days::new(7)).unwrap_or(today);
    let later = |from: NaiveDate, days: u64| from.checked_add_days(Days::new(days)).unwrap_or(from);
    let id = ids::default_id(date.year());
    let mut context = Context::new();
    context.insert("id", &id);
    context.insert("date", &date.to_string());
    context.insert("review_date", &later(date, 2).to_string());
    context.insert("completed", &later(date, 2).to_string());
    context.insert("due", &later(today, 30).to_string());
    let text = template::render(Path::new("(example retro)"), include_str!("starter/example.md"), &context)?;
    Ok((Path::new(CONTENT_DIR).join(date.year().to_string()).join(format!("{id}.md")), text))
}

/// Writes the starter `.gitignore`, or appends the lines an existing one lacks.
fn gitignore(dir: &Path, report: &mut InitReport) -> Result<(), AuthoringError> {
    let relative = PathBuf::from(".gitignore");
    let path = dir.join(&relative);
    let Some(existing) = fsutil::read_optional_string(&path)? else {
        return create(dir, &relative, GITIGNORE, report);
    };
    // `public`, `/public`, `public/` and `/public/` all ignore the output folder.
    let normal = |line: &str| line.trim().trim_matches('/').to_owned();
    let present: Vec<String> = existing.lines().map(normal).collect();
    let missing: Vec<&str> =
        GITIGNORE.lines().filter(|line| !line.starts_with('#') && !present.contains(&normal(line))).collect();
    if missing.is_empty() {
        report.kept.push(relative);
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("# hindsight\n{}\n", missing.join("\n")));
    fsutil::write(&path, text.as_bytes())?;
    report.extended = Some(relative);
    Ok(())
}
