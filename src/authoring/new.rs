//! `hindsight new`: `content/<year>/<id>.md` from the template, dated today, with the next free
//! id, and only with values the taxonomy knows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use tera::Context;

use super::{AuthoringError, UnknownValue, ids, template, write_new};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::{Code, Diagnostic};
use crate::fsutil;
use crate::taxonomy::{self, Dimension, Taxonomy};

/// Where a site puts its own template for new retros.
pub const SITE_TEMPLATE: &str = "templates/retro.md";

/// The built-in template.
const BUILT_IN: &str = include_str!("starter/retro.md");

/// What the new retro says.
#[derive(Debug, Clone)]
pub struct NewRetro {
    /// One-line title.
    pub title: String,
    /// The incident's date (today, unless the caller says otherwise).
    pub date: NaiveDate,
    /// Severity, if known yet.
    pub severity: Option<String>,
    /// Affected services.
    pub services: Vec<String>,
    /// Failure modes.
    pub failure_modes: Vec<String>,
}

/// The file written.
#[derive(Debug, Clone)]
pub struct Created {
    /// Its path: `root` joined with `content/<year>/<id>.md`.
    pub path: PathBuf,
    /// Its id.
    pub id: String,
}

/// Writes the new retro under `root` and returns where.
pub fn create(root: &Path, retro: &NewRetro) -> Result<Created, AuthoringError> {
    if retro.title.trim().is_empty() {
        return Err(AuthoringError::EmptyTitle);
    }
    let is_library = [CONTENT_DIR, crate::config::CONFIG_FILE, taxonomy::TAXONOMY_FILE]
        .iter()
        .any(|name| root.join(name).exists());
    if !is_library {
        return Err(AuthoringError::NotALibrary(root.to_path_buf()));
    }
    let (taxonomy, _) = taxonomy::load(root)?;
    check_values(&taxonomy, retro)?;
    let id = ids::next_id(existing_ids(root).iter().map(String::as_str), retro.date.year());
    let text = render(root, retro, &id)?;
    let relative = Path::new(CONTENT_DIR).join(retro.date.year().to_string()).join(format!("{id}.md"));
    let path = root.join(&relative);
    write_new(&path, text.as_bytes())?;
    Ok(Created { path, id })
}

/// Every value is checked before anything is written, and all unknown ones are reported at once.
fn check_values(taxonomy: &Taxonomy, retro: &NewRetro) -> Result<(), AuthoringError> {
    let given = retro
        .severity
        .iter()
        .map(|value| ("--severity", Dimension::Severity, value))
        .chain(retro.services.iter().map(|value| ("--service", Dimension::Service, value)))
        .chain(retro.failure_modes.iter().map(|value| ("--failure-mode", Dimension::FailureMode, value)));
    let unknown: Vec<UnknownValue> = given
        .filter_map(|(flag, dimension, value)| {
            let refused = taxonomy.check(dimension, value).err()?;
            Some(UnknownValue { flag, label: dimension.label(), value: value.clone(), help: refused.help })
        })
        .collect();
    if unknown.is_empty() { Ok(()) } else { Err(AuthoringError::UnknownValues(unknown)) }
}

/// The ids and file names in the library: both are taken, since a file may set another `id:`.
pub(crate) fn existing_ids(root: &Path) -> BTreeSet<String> {
    let (paths, _) = content::discover(root);
    paths
        .par_iter()
        .flat_map_iter(|path| {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let written = content::read(root, path).ok().map(|file| crate::validate::id_of(&file));
            [written, stem].into_iter().flatten()
        })
        .collect()
}

/// Renders the site's template, or the built-in one, and makes sure the result is a retro.
fn render(root: &Path, retro: &NewRetro, id: &str) -> Result<String, AuthoringError> {
    let site_template = root.join(SITE_TEMPLATE);
    let (name, text) = match fsutil::read_optional_string(&site_template)? {
        Some(text) => (PathBuf::from(SITE_TEMPLATE), text),
        None => (PathBuf::from("(built-in template)"), BUILT_IN.to_owned()),
    };
    let mut context = Context::new();
    context.insert("id", id);
    context.insert("title", retro.title.trim());
    context.insert("date", &crate::format::iso_date(retro.date));
    context.insert("year", &retro.date.year());
    context.insert("severity", retro.severity.as_deref().unwrap_or_default());
    context.insert("services", &retro.services);
    context.insert("failure_modes", &retro.failure_modes);
    let rendered = template::render(&name, &text, &context)?;
    // A site template that renders into something unreadable is refused rather than written.
    let file = content::split(PathBuf::from(&name), rendered)
        // Quoted as before this file existed: without its text, since it is not on disk yet.
        .map_err(|d| Box::new(Diagnostic { text: None, ..d.with_code(Code::InvalidSite) }))?;
    if let Err(error) = crate::yaml::parse::<crate::frontmatter::RawFrontMatter>(file.front_matter()) {
        let message = format!("the rendered front matter is not valid: {}", error.message);
        let help = "check the template's YAML; `{{ value | yaml }}` quotes a value when it must be";
        return Err(Box::new(Diagnostic::new(Code::InvalidSite, &name, message).help(help)).into());
    }
    Ok(file.text.to_string())
}
