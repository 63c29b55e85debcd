//! Rebuilding the site into memory for the dev server. A retro that stops validating keeps its
//! last good version on the site while the error is shown; a broken template or site file keeps
//! the whole last good site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::state::{MemorySink, OverlayError};
use crate::build::{self, BuildError, Timings};
use crate::diagnostic::Diagnostic;
use crate::library::{Library, Selection};
use crate::model::Retro;
use crate::{search, templates};

/// The outcome of one rebuild.
pub struct Outcome {
    /// The new site, or `None` when it could not be built (the old one stays).
    pub files: Option<HashMap<String, Vec<u8>>>,
    /// Every finding, for the terminal.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// The errors, for the overlay.
    pub fn overlay(&self) -> Vec<OverlayError> {
        self.diagnostics.iter().filter(|d| d.is_error()).map(OverlayError::from).collect()
    }
}

/// Rebuilds the site, remembering each retro's last good version.
pub struct Rebuilder {
    root: PathBuf,
    selection: Selection,
    today: NaiveDate,
    last_good: HashMap<PathBuf, Retro>,
}

impl Rebuilder {
    /// A rebuilder for the site at `root`.
    pub fn new(root: &Path, selection: Selection, today: NaiveDate) -> Self {
        Rebuilder { root: root.to_path_buf(), selection, today, last_good: HashMap::new() }
    }

    /// Builds the whole site into memory, and the search index for `/api/search`.
    pub fn rebuild(&mut self) -> Outcome {
        match self.try_rebuild() {
            Ok(outcome) => outcome,
            Err(BuildError::Site(diagnostic)) => Outcome { files: None, diagnostics: vec![*diagnostic] },
            Err(other) => {
                let message = other.to_string();
                let diagnostic = Diagnostic::new(crate::diagnostic::Code::InvalidSite, ".", message);
                Outcome { files: None, diagnostics: vec![diagnostic] }
            }
        }
    }

    fn try_rebuild(&mut self) -> Result<Outcome, BuildError> {
        let fingerprint = search::index::fingerprint(&self.root, self.selection);
        let validated = build::validate_site(&self.root)?;
        let retros = self.with_last_good(validated.retros, &validated.diagnostics);
        let tera = templates::load(&self.root, &validated.config.theme)?;
        let library = Library::new(validated.config, validated.taxonomy, retros, self.selection, self.today);
        let sink = MemorySink::default();
        let rendered = build::render(&self.root, &library, &tera, &sink, &mut Timings::new())?;
        search::index::build(&self.root, &build::records(&library, &rendered.bodies), fingerprint)?;
        Ok(Outcome { files: Some(sink.into_files()), diagnostics: validated.diagnostics })
    }

    /// Replaces retros that failed by their last good version, and remembers the good ones.
    fn with_last_good(&mut self, mut retros: Vec<Retro>, diagnostics: &[Diagnostic]) -> Vec<Retro> {
        let failing: HashSet<&Path> =
            diagnostics.iter().filter(|d| d.is_error()).map(|d| d.file.as_path()).collect();
        self.last_good.retain(|path, _| self.root.join(path).is_file());
        let ids: HashSet<String> = retros.iter().map(|r| r.id.to_lowercase()).collect();
        let stand_ins: Vec<Retro> = failing
            .iter()
            .filter_map(|path| self.last_good.get(*path))
            .filter(|retro| !ids.contains(&retro.id.to_lowercase()))
            .cloned()
            .collect();
        for retro in &retros {
            self.last_good.insert(retro.source.clone(), retro.clone());
        }
        retros.extend(stand_ins);
        retros
    }
}
