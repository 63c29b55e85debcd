//! `hindsight init [DIR]`: a new library, ready to build.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::{DateArg, build_date};
use crate::authoring::init;

/// Arguments of `hindsight init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the library (default: --root, else the current folder); created if missing.
    dir: Option<PathBuf>,
    /// Add the missing files to a folder that is not empty; existing files are never replaced.
    #[arg(long)]
    force: bool,
    /// The date the example retro is relative to; default: SOURCE_DATE_EPOCH, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    now: Option<String>,
}

/// Creates the library and says what it wrote.
pub fn run(root: &Path, args: &InitArgs) -> Result<u8> {
    let dir = args.dir.as_deref().unwrap_or(root);
    let report = init::init(dir, build_date(&DateArg { now: args.now.clone() })?, args.force)?;
    let shown = dir.display();
    eprintln!("Created a hindsight library in {shown}:");
    for file in &report.created {
        let note =
            if report.example.as_ref() == Some(file) { "  (an example: edit or delete it)" } else { "" };
        eprintln!("  {}{note}", file.display());
    }
    if let Some(file) = &report.extended {
        eprintln!("  {}  (added the lines hindsight needs)", file.display());
    }
    for file in &report.kept {
        eprintln!("  {}  (exists: kept as it is)", file.display());
    }
    let root_flag = if dir == Path::new(".") { String::new() } else { format!("--root {shown} ") };
    eprintln!(
        "Next: adapt taxonomy.yaml to your services, then `hindsight {root_flag}new \"Title\"` starts a retro \
         and `hindsight {root_flag}build` writes the site to public/."
    );
    Ok(0)
}
