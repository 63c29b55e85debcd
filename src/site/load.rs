//! The first stages: site files (config, taxonomy), content (walk, read, split) and
//! validation, in parallel per file, then the checks that need the whole library. `hindsight
//! check` runs these alone.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::BuildError;
use crate::cache::ParseCache;
use crate::config::{self, Config};
use crate::content;
use crate::diagnostic::Diagnostic;
use crate::model::Retro;
use crate::taxonomy::{self, Taxonomy};
use crate::validate::{self, Checked};

/// Every retro of a site, validated: what the load stage hands on.
#[derive(Debug)]
pub struct Validated {
    /// Site settings.
    pub config: Config,
    /// The vocabulary.
    pub taxonomy: Taxonomy,
    /// The retros that passed, in file order.
    pub retros: Vec<Retro>,
    /// Every finding, by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Every retro file found, as found by the walk (the site root joined to its path).
    pub files: Vec<PathBuf>,
    /// The names, sizes and times of those files and of the site files, before any was read:
    /// tells whether the search index is stale.
    pub sources: u64,
}

impl Validated {
    /// Files that were not built because of an error.
    pub fn skipped(&self) -> usize {
        self.files.len() - self.retros.len()
    }
}

/// Loads the config and taxonomy, then reads and validates every retro (in parallel), reusing
/// the results of files unchanged since `cache` saw them. A one-shot command passes no cache:
/// filling one copied every retro, and dropping it held a 10,000-retro build on one core for
/// about 40 ms.
pub fn validate(root: &Path, cache: Option<&ParseCache>) -> Result<Validated, BuildError> {
    let (config, mut diagnostics) = config::load(root)?;
    let (taxonomy, taxonomy_warnings) = taxonomy::load(root)?;
    diagnostics.extend(taxonomy_warnings);
    let (files, walk_problems) = content::discover(root);
    diagnostics.extend(walk_problems);
    let sources = sources_stamp(root, &files);
    let checked: Vec<(PathBuf, Checked)> = files
        .par_iter()
        .map(|path| {
            let shown = content::display_path(root, path);
            let check = || match content::read(root, path) {
                Ok(file) => validate::validate_file(file, &taxonomy, &config.lint),
                Err(diagnostic) => Checked { retro: None, diagnostics: vec![diagnostic] },
            };
            let checked = match cache {
                Some(cache) => cache.get_or_check(path, check),
                None => check(),
            };
            (shown, checked)
        })
        .collect();
    let (retros, failed_ids) = sort_out(checked, &mut diagnostics);
    let (retros, library_problems) = validate::library::check(retros, &failed_ids, &config.lint);
    diagnostics.extend(library_problems);
    // Findings about site files and unreadable files get the site's levels too (applying twice is harmless).
    config.lint.apply(&mut diagnostics);
    crate::diagnostic::sort(&mut diagnostics);
    Ok(Validated { config, taxonomy, retros, diagnostics, files, sources })
}

/// The [`content::stamp`] of the retro files and the site files: whether an index built from
/// them is stale.
pub fn sources_stamp(root: &Path, files: &[PathBuf]) -> u64 {
    let site_files = [root.join(config::CONFIG_FILE), root.join(taxonomy::TAXONOMY_FILE)];
    content::stamp(files.iter().chain(&site_files))
}

/// The usable retros, and the file names of those that failed (a retro may still relate to
/// them: the file exists and only needs fixing); every finding goes into `diagnostics`.
fn sort_out(
    checked: Vec<(PathBuf, Checked)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Retro>, HashSet<String>) {
    let mut retros = Vec::with_capacity(checked.len());
    let mut failed_ids = HashSet::new();
    for (shown, result) in checked {
        diagnostics.extend(result.diagnostics);
        match result.retro {
            Some(retro) => retros.push(retro),
            None => {
                failed_ids
                    .insert(shown.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            }
        }
    }
    (retros, failed_ids)
}
