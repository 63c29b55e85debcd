//! The command line: parses arguments into typed options once, runs the command, prints
//! diagnostics and the error chain once, and maps the outcome to an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::diagnostic::{Diagnostic, HumanPrinter};
use crate::library::Selection;
use crate::site::{self, BuildOptions, BuildReport};
use crate::urls::BaseUrl;

mod check;
mod import;
mod init;
mod new;
mod quiet;
mod search;
mod similar;

/// Exit code for findings (errors, or warnings under --strict).
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage and I/O errors.
pub(crate) const EXIT_FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "hindsight",
    version,
    about = "Turn a folder of incident retrospectives into a searchable static library"
)]
struct Cli {
    /// The site root: the folder with content/, hindsight.yaml and taxonomy.yaml.
    #[arg(long, short = 'r', global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate every retro and build the HTML library into the output folder.
    Build(BuildArgs),
    /// Run every rule over the library (or the given files) without writing anything.
    Check(check::CheckArgs),
    /// Turn existing postmortems (Markdown, HTML exports, text) into draft retros, never overwriting.
    Import(import::ImportArgs),
    /// Create a library: settings, a starter taxonomy, an example retro and a .gitignore.
    Init(init::InitArgs),
    /// Start a retro in content/<year>/<id>.md from the template and print its path.
    New(new::NewArgs),
    /// Serve the site on loopback, rebuilding and reloading the browser when files change.
    Serve(ServeArgs),
    /// Search the library from the terminal (builds the index first if it is missing or stale).
    Search(search::SearchArgs),
    /// The retros most like a retro, a file, or text pasted on standard input (`-`).
    Similar(similar::SimilarArgs),
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// Output folder (default: `output_dir` from hindsight.yaml, else `public`).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Include retros with `status: draft`.
    #[arg(long)]
    drafts: bool,
    /// Include retros with `visibility: restricted`.
    #[arg(long)]
    include_restricted: bool,
    /// Exit 1 on any error or warning, leaving the previous output untouched.
    #[arg(long)]
    strict: bool,
    /// Print how long each stage took.
    #[arg(long)]
    timings: bool,
    /// Print every diagnostic, not only the first 20 of each rule.
    #[arg(long, short = 'v')]
    verbose: bool,
    /// Where the site is published, e.g. https://wiki.example/incidents/ (overrides `base_url`
    /// from hindsight.yaml): the feed, sitemap.xml and canonical links use absolute URLs under it.
    #[arg(long, value_name = "URL")]
    base_url: Option<BaseUrl>,
    #[command(flatten)]
    date: DateArg,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Port to listen on.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on; anything but loopback is reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include retros with `status: draft`.
    #[arg(long)]
    drafts: bool,
    /// Include retros with `visibility: restricted`.
    #[arg(long)]
    include_restricted: bool,
    #[command(flatten)]
    date: DateArg,
}

#[derive(Debug, Args)]
pub(crate) struct DateArg {
    /// The date to build as (YYYY-MM-DD), for "overdue" and "as of"; default: SOURCE_DATE_EPOCH, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) now: Option<String>,
}

/// The command line's definition (every command and option), for checking the docs against it.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Build(args) => run_build(cli.root, args),
        Command::Check(args) => check::run(&cli.root, &args),
        Command::Import(args) => import::run(&cli.root, &args),
        Command::Init(args) => init::run(&cli.root, &args),
        Command::New(args) => new::run(&cli.root, &args),
        Command::Search(args) => search::run(&cli.root, &args),
        Command::Similar(args) => similar::run(&cli.root, &args),
        Command::Serve(args) => {
            let options = crate::serve::ServeOptions {
                root: cli.root,
                bind: args.bind,
                port: args.port,
                open: args.open,
                selection: Selection { drafts: args.drafts, include_restricted: args.include_restricted },
                today: build_date(&args.date)?,
            };
            crate::serve::run(&options)?;
            Ok(0)
        }
    }
}

fn run_build(root: PathBuf, args: BuildArgs) -> Result<u8> {
    let timings = args.timings;
    let verbose = args.verbose;
    let options = BuildOptions {
        today: build_date(&args.date)?,
        output: args.output,
        selection: Selection { drafts: args.drafts, include_restricted: args.include_restricted },
        strict: args.strict,
        base_url: args.base_url,
        root,
    };
    let report = match site::build(&options) {
        Ok(report) => report,
        Err(site::BuildError::Site(diagnostic)) => {
            HumanPrinter::for_stderr().print(&diagnostic);
            return Ok(EXIT_FAILURE);
        }
        Err(error) => return Err(error).context("build failed; the previous output is unchanged"),
    };
    if verbose {
        print_diagnostics(&report.diagnostics);
    } else {
        print_limited(&report.diagnostics);
    }
    if timings {
        for (stage, took) in &report.timings {
            eprintln!("{stage:>22}: {:8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    eprintln!("{}", summary_line(&report));
    Ok(if report.published { 0 } else { EXIT_FINDINGS })
}

pub(crate) fn print_diagnostics(diagnostics: &[Diagnostic]) {
    HumanPrinter::for_stderr().print_all(diagnostics);
}

/// The first [`quiet::PER_RULE`] diagnostics of each rule, errors first, then a count of the rest.
fn print_limited(diagnostics: &[Diagnostic]) {
    let (shown, omitted) = quiet::limit(diagnostics, quiet::PER_RULE);
    let shown: Vec<Diagnostic> = shown.into_iter().cloned().collect();
    print_diagnostics(&shown);
    for line in omitted {
        eprintln!("{line}");
    }
}

/// `Built 20 retros (1 skipped), 143 pages in 0.41 s -> public/`
fn summary_line(report: &BuildReport) -> String {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
    if !report.published {
        return format!(
            "Not published (--strict): {errors} errors, {warnings} warnings; {} is unchanged",
            report.output.display()
        );
    }
    let mut notes = vec![format!("{} skipped", report.skipped)];
    if report.left_out > 0 {
        notes.push(format!("{} drafts or restricted left out", report.left_out));
    }
    if warnings > 0 {
        notes.push(format!("{} warnings", crate::format::thousands(warnings as u64)));
    }
    format!(
        "Built {} retros ({}), {} pages in {:.2} s -> {}/",
        report.built,
        notes.join(", "),
        report.pages,
        report.elapsed.as_secs_f64(),
        report.output.strip_prefix(".").unwrap_or(&report.output).display()
    )
}

/// `--now`, else `SOURCE_DATE_EPOCH`, else today in local time.
pub(crate) fn build_date(date: &DateArg) -> Result<NaiveDate> {
    if let Some(text) = &date.now {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .with_context(|| format!("--now {text:?} is not a date in the form YYYY-MM-DD"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds"))?;
        let Some(moment) = chrono::DateTime::from_timestamp(seconds, 0) else {
            bail!("SOURCE_DATE_EPOCH={epoch} is out of range");
        };
        return Ok(moment.date_naive());
    }
    Ok(chrono::Local::now().date_naive())
}
