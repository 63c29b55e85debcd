//! `hindsight import SRC...`: existing postmortems to draft retros, with a report of what was
//! read and what is left to fill in.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};

use super::{DateArg, EXIT_FAILURE, EXIT_FINDINGS, build_date};
use crate::diagnostic::HumanPrinter;
use crate::import::{self, ImportError, Options};
use crate::site::BuildError;

/// Arguments of `hindsight import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Postmortem files or folders (.md, .markdown, .txt, .html, .htm); folders are walked.
    #[arg(value_name = "SRC", required = true)]
    sources: Vec<PathBuf>,
    /// The folder to write the retros to (default: content/imported under the site root).
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// Write nothing; print the report of what would be written.
    #[arg(long)]
    dry_run: bool,
    /// The `status:` of the new retros.
    #[arg(long, value_enum, default_value_t = Status::Draft)]
    status: Status,
    #[command(flatten)]
    date: DateArg,
}

/// The review status of imported retros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Status {
    Draft,
    InReview,
    Published,
}

/// Runs the import; exit 1 when a source could not be read.
pub fn run(root: &Path, args: &ImportArgs) -> Result<u8> {
    if !root.is_dir() {
        bail!("the site root {} is not a folder", root.display());
    }
    let status = match args.status {
        Status::Draft => "draft",
        Status::InReview => "in-review",
        Status::Published => "published",
    };
    let options = Options {
        root: root.to_path_buf(),
        sources: args.sources.clone(),
        into: args.into.clone().unwrap_or_else(|| root.join("content").join("imported")),
        dry_run: args.dry_run,
        status: status.to_owned(),
        today: build_date(&args.date)?,
    };
    let report = match import::run(&options) {
        Ok(report) => report,
        Err(ImportError::Site(BuildError::Site(diagnostic))) => {
            HumanPrinter::for_stderr().print(&diagnostic);
            return Ok(EXIT_FAILURE);
        }
        Err(error) => return Err(error).context("nothing was imported"),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(report.render().as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(error).context("cannot write the report");
        }
        _ => {}
    }
    Ok(if report.unreadable() > 0 { EXIT_FINDINGS } else { 0 })
}
