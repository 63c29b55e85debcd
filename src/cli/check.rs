//! `hindsight check`: every rule over the library (or some of its files), writing nothing, in
//! the format a person or a CI system reads.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{DateArg, EXIT_FAILURE, EXIT_FINDINGS, build_date};
use crate::config;
use crate::diagnostic::{self, Diagnostic, HumanPrinter, github, json};
use crate::site::{self, BuildError, Validated};

/// Arguments of `hindsight check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Retro files or folders to report on (default: the whole library). Ids in `related` and
    /// duplicate ids are still resolved against the whole library.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// human: file:line:col, the source line and a caret, on stderr. json: one document on
    /// stdout (schema in the README). github: workflow commands on stdout, shown inline on a PR.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 on warnings as well as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Print what a rule (a code such as H001, or a name) checks and how to fix it, then exit.
    #[arg(long, value_name = "RULE", conflicts_with_all = ["paths", "deny_warnings"])]
    explain: Option<String>,
    #[command(flatten)]
    date: DateArg,
}

/// How findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

/// Validates the whole library and runs the review rules as of `now`, at the site's levels.
/// The diagnostics of the result are sorted by file and position.
fn check_site(root: &Path, now: NaiveDate) -> Result<Validated, BuildError> {
    let mut validated = site::validate(root, None)?;
    let review = crate::review::review(&validated.retros, now, &validated.config.lint);
    validated.diagnostics.extend(review);
    let missing_labels = crate::review::missing_labels::review(&validated.retros, &validated.config.lint);
    validated.diagnostics.extend(missing_labels);
    diagnostic::sort(&mut validated.diagnostics);
    Ok(validated)
}

/// Runs `check` and returns the exit code.
pub fn run(root: &Path, args: &CheckArgs) -> Result<u8> {
    if let Some(rule) = &args.explain {
        return explain(rule);
    }
    // A mistyped --root would otherwise be an empty library that passes every check.
    if !root.is_dir() {
        bail!("the site root {} is not a folder", root.display());
    }
    let now = build_date(&args.date)?;
    let selection = select(root, &args.paths)?;
    let validated = match check_site(root, now) {
        Ok(validated) => validated,
        Err(BuildError::Site(diagnostic)) => {
            // A broken site file stops everything; CI still gets it in the format it reads.
            print(root, args.format, 0, std::slice::from_ref(&diagnostic))?;
            return Ok(EXIT_FAILURE);
        }
        Err(error) => return Err(error.into()),
    };
    let (checked, diagnostics) = match &selection {
        Some(selection) => selection.filter(root, &validated),
        None => (validated.files.len(), validated.diagnostics),
    };
    print(root, args.format, checked, &diagnostics)?;
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut failing: Vec<&Path> =
        diagnostics.iter().filter(|d| d.is_error()).map(|d| d.file.as_path()).collect();
    failing.dedup();
    eprintln!(
        "Checked {checked} retros: {} with errors, {errors} errors, {warnings} warnings",
        failing.len()
    );
    Ok(if errors > 0 || (args.deny_warnings && warnings > 0) { EXIT_FINDINGS } else { 0 })
}

fn print(root: &Path, format: Format, checked: usize, diagnostics: &[Diagnostic]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let written = match format {
        Format::Human => {
            HumanPrinter::for_stderr().print_all(diagnostics);
            Ok(())
        }
        Format::Json => json::write(&mut stdout, checked, diagnostics),
        Format::Github => diagnostics.iter().try_for_each(|diagnostic| {
            let file = from_working_dir(root, &diagnostic.file);
            writeln!(stdout, "{}", github::command(diagnostic, &file))
        }),
    };
    match written.and_then(|()| stdout.flush()) {
        // A reader that stopped early (`| head`) is not a failure of the check.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write the report"),
    }
}

/// The path of a site file as seen from the working directory, where GitHub resolves it.
pub(crate) fn from_working_dir(root: &Path, file: &Path) -> String {
    let path = root.join(file);
    let relative =
        std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    let path = relative.unwrap_or(path);
    // `./content/a.md` and `content/a.md` are the same file, but only the second matches the diff.
    let clean: PathBuf = path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    json::slashed(&clean)
}

fn explain(rule: &str) -> Result<u8> {
    let Some(code) = config::parse_code(rule) else {
        let names = crate::diagnostic::Code::ALL.iter().map(|code| code.name());
        let hint = match crate::suggest::nearest(rule, names) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => "; the rules are listed in the README".to_owned(),
        };
        eprintln!("error: no rule is called {rule:?}{hint}");
        return Ok(EXIT_FAILURE);
    };
    let severity = code.default_severity().as_str();
    println!("{} {} ({severity} by default)\n", code.code(), code.name());
    println!("{}\n", code.explanation());
    if config::can_relax(code) {
        println!(
            "Set its level in hindsight.yaml:\n\n  lint:\n    {}: warn   # allow | warn | deny",
            code.name()
        );
    } else {
        println!("A retro with this error cannot be read or built, so `lint:` can only set it to deny.");
    }
    Ok(0)
}

/// The files and folders `check` was asked about, relative to the site root.
struct Selection {
    paths: Vec<PathBuf>,
}

/// Resolves the PATH arguments; `None` means the whole library.
fn select(root: &Path, paths: &[PathBuf]) -> Result<Option<Selection>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let site =
        root.canonicalize().with_context(|| format!("cannot open the site root {}", root.display()))?;
    let mut selected = Vec::with_capacity(paths.len());
    for path in paths {
        let full = path.canonicalize().with_context(|| format!("cannot check {}", path.display()))?;
        let Ok(relative) = full.strip_prefix(&site) else {
            bail!("cannot check {}: it is not inside the site root {}", path.display(), root.display());
        };
        let is_markdown = full.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
        if full.is_file() && !(is_markdown && relative.starts_with(crate::content::CONTENT_DIR)) {
            bail!("cannot check {}: retros are Markdown files under content/", path.display());
        }
        selected.push(relative.to_path_buf());
    }
    Ok(Some(Selection { paths: selected }))
}

impl Selection {
    fn contains(&self, file: &Path) -> bool {
        self.paths.iter().any(|path| file.starts_with(path))
    }

    /// The number of selected retro files, and the diagnostics about them. A duplicate id is
    /// reported on the second file only; it is about the selected one too when that is the first.
    fn filter(&self, root: &Path, validated: &Validated) -> (usize, Vec<Diagnostic>) {
        let files = &validated.files;
        let checked =
            files.iter().filter(|path| self.contains(&crate::content::display_path(root, path))).count();
        let diagnostics = validated
            .diagnostics
            .iter()
            .filter(|d| self.contains(&d.file) || self.duplicates_selected(validated, d))
            .cloned()
            .collect();
        (checked, diagnostics)
    }

    fn duplicates_selected(&self, validated: &Validated, diagnostic: &Diagnostic) -> bool {
        if diagnostic.code != crate::diagnostic::Code::DuplicateId {
            return false;
        }
        // Rare, so the id is read again from the text the finding quotes, not kept for every file.
        let text = diagnostic.quoted_text().to_owned();
        let Ok(file) = crate::content::split(diagnostic.file.clone(), text) else { return false };
        let id = crate::validate::id_of(&file);
        validated
            .retros
            .iter()
            .any(|retro| retro.id.eq_ignore_ascii_case(&id) && self.contains(&retro.source))
    }
}
