//! `hindsight new "Title"`: starts a retro and prints its path.

use std::path::Path;

use anyhow::Result;
use clap::Args;

use super::{DateArg, EXIT_FAILURE, build_date};
use crate::authoring::AuthoringError;
use crate::authoring::new::{self, NewRetro};
use crate::diagnostic::HumanPrinter;

/// Arguments of `hindsight new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What failed, in one line.
    title: String,
    /// Severity, from the taxonomy (e.g. SEV2).
    #[arg(long, value_name = "SEV")]
    severity: Option<String>,
    /// An affected service (repeatable).
    #[arg(long = "service", value_name = "SERVICE")]
    services: Vec<String>,
    /// A failure mode (repeatable).
    #[arg(long = "failure-mode", value_name = "MODE")]
    failure_modes: Vec<String>,
    /// The incident's date, which also picks the year of its folder and id; default:
    /// SOURCE_DATE_EPOCH, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    now: Option<String>,
}

/// Writes the retro; its path goes to stdout (for `$EDITOR "$(hindsight new …)"`), notes to stderr.
pub fn run(root: &Path, args: &NewArgs) -> Result<u8> {
    let retro = NewRetro {
        title: args.title.clone(),
        date: build_date(&DateArg { now: args.now.clone() })?,
        severity: args.severity.clone(),
        services: args.services.clone(),
        failure_modes: args.failure_modes.clone(),
    };
    let created = match new::create(root, &retro) {
        Ok(created) => created,
        Err(AuthoringError::Site(diagnostic)) => {
            HumanPrinter::for_stderr().print(&diagnostic);
            return Ok(EXIT_FAILURE);
        }
        Err(error) => return Err(error.into()),
    };
    println!("{}", super::check::from_working_dir(Path::new(""), &created.path));
    let mut missing = Vec::new();
    if retro.severity.is_none() {
        missing.push("severity");
    }
    if retro.services.is_empty() {
        missing.push("services");
    }
    if retro.failure_modes.is_empty() {
        missing.push("failure_modes");
    }
    if !missing.is_empty() {
        eprintln!(
            "Fill in {} (required) before committing; `hindsight check` says what is missing.",
            missing.join(", ")
        );
    }
    Ok(0)
}
