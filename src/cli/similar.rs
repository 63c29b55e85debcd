//! `hindsight similar ID|PATH|-`: the retros most like a retro of the library, a retro file, or
//! text pasted on standard input (an alert, a chat thread, a draft), with the reasons.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use serde::Serialize;

use super::EXIT_FAILURE;
use crate::diagnostic::{HumanPrinter, printable};
use crate::library::Selection;
use crate::similar::{self, Target};
use crate::site::{self, BuildError, Site};
use crate::urls;

/// Arguments of `hindsight similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// A retro id, a retro file, or `-` to read text (an alert, a chat thread, a draft) from
    /// standard input.
    #[arg(value_name = "ID|PATH|-")]
    target: String,
    /// How many results at most.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Print JSON (the envelope of `search --json`) instead of text.
    #[arg(long)]
    json: bool,
    /// Consider drafts too.
    #[arg(long)]
    drafts: bool,
    /// Consider restricted retros too.
    #[arg(long)]
    include_restricted: bool,
}

/// The answer: the shape of `hindsight similar --json`.
#[derive(Debug, Serialize)]
struct Response {
    schema: u32,
    query: String,
    results: Vec<Hit>,
}

/// One similar retro.
#[derive(Debug, Serialize)]
struct Hit {
    id: String,
    title: String,
    date: String,
    severity: String,
    services: Vec<String>,
    failure_modes: Vec<String>,
    score: f64,
    reasons: Vec<String>,
    path: String,
}

/// Pasted text past this many bytes is cut: the words of a 1 MiB paste decide as well as more.
const MAX_PASTE: usize = 1 << 20;

/// Runs `similar` and returns the exit code.
pub fn run(root: &Path, args: &SimilarArgs) -> Result<u8> {
    let pasted = if args.target == "-" { Some(read_stdin()?) } else { None };
    let selection = Selection { drafts: args.drafts, include_restricted: args.include_restricted };
    let validated = match site::validate(root, &Default::default()) {
        Ok(validated) => validated,
        Err(BuildError::Site(diagnostic)) => {
            HumanPrinter::for_stderr().print(&diagnostic);
            return Ok(EXIT_FAILURE);
        }
        Err(error) => return Err(error).context("cannot read the library"),
    };
    let today = chrono::Local::now().date_naive();
    let site = Site::new(root, validated, selection, today, Default::default());
    let library = &site.library;
    let file_text;
    let target = match &pasted {
        Some(text) => Target::Text(text),
        None => match resolve(&args.target, library)? {
            Resolved::Retro(index) => Target::Retro(index),
            Resolved::Text(text) => {
                file_text = text;
                Target::Text(&file_text)
            }
        },
    };
    let results = similar::like(library, target, args.limit.max(1))
        .into_iter()
        .map(|suggestion| {
            let retro = &library.retros[suggestion.index];
            Hit {
                id: retro.id.clone(),
                title: retro.title.clone(),
                date: retro.date.format("%Y-%m-%d").to_string(),
                severity: retro.severity.clone(),
                services: retro.services.clone(),
                failure_modes: retro.failure_modes.clone(),
                score: (suggestion.score * 1000.0).round() / 1000.0,
                reasons: suggestion.reasons,
                path: urls::retro(&retro.id),
            }
        })
        .collect();
    let response = Response { schema: 1, query: args.target.clone(), results };
    print(&response, args.json)?;
    Ok(0)
}

/// What a target named on the command line is.
enum Resolved {
    Retro(usize),
    Text(String),
}

/// A retro id of the library, or a file: a retro of the library by its id, else its text.
fn resolve(target: &str, library: &crate::library::Library) -> Result<Resolved> {
    if let Some(index) = library.index_of(target) {
        return Ok(Resolved::Retro(index));
    }
    let path = Path::new(target);
    if path.is_file() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {target}"))?;
        let text = text_of(bytes, target)?;
        if let Ok(file) = crate::content::split(path.to_path_buf(), text.clone()) {
            if let Some(index) = library.index_of(&crate::validate::id_of(&file)) {
                return Ok(Resolved::Retro(index));
            }
        }
        return Ok(Resolved::Text(text));
    }
    let ids = library.retros.iter().map(|retro| retro.id.as_str());
    let hint = match crate::suggest::nearest(target, ids) {
        Some(best) => format!("did you mean {best}?"),
        None => "give a retro id, a file, or - to read text from standard input".to_owned(),
    };
    bail!("{target:?} is neither a published retro nor a file: {hint}")
}

/// Standard input as text: refused when empty or not text.
fn read_stdin() -> Result<String> {
    let mut stdin = std::io::stdin().lock();
    if stdin.is_terminal() {
        eprintln!("Paste the text (an alert, a chat thread, a draft), then press Ctrl-D:");
    }
    let mut bytes = Vec::new();
    stdin.by_ref().take(MAX_PASTE as u64).read_to_end(&mut bytes).context("cannot read standard input")?;
    // The rest of a longer paste is read and dropped, so the writer is not left blocked.
    std::io::copy(&mut stdin, &mut std::io::sink()).context("cannot read standard input")?;
    let text = text_of(bytes, "standard input")?;
    if text.trim().is_empty() {
        bail!("standard input is empty: paste the text of an alert, a chat thread or a draft");
    }
    Ok(text)
}

/// `bytes` as UTF-8 text (a cut in the middle of a character is dropped); binary is refused.
fn text_of(mut bytes: Vec<u8>, what: &str) -> Result<String> {
    if bytes.contains(&0) {
        bail!("{what} is not text (it holds NUL bytes): give the text of an alert, a chat thread or a draft");
    }
    match String::from_utf8(std::mem::take(&mut bytes)) {
        Ok(text) => Ok(text),
        Err(error) if error.utf8_error().error_len().is_none() => {
            let valid = error.utf8_error().valid_up_to();
            let mut bytes = error.into_bytes();
            bytes.truncate(valid);
            Ok(String::from_utf8(bytes).unwrap_or_default())
        }
        Err(_) => bail!("{what} is not UTF-8 text: re-save it as UTF-8"),
    }
}

fn print(response: &Response, json: bool) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut stdout, response).context("cannot write the results")?;
        writeln!(stdout)?;
        return Ok(());
    }
    if response.results.is_empty() {
        writeln!(stdout, "no retro is like {:?}", printable(&response.query, false))?;
    }
    for (rank, hit) in response.results.iter().enumerate() {
        let (title, severity) = (printable(&hit.title, false), printable(&hit.severity, false));
        writeln!(stdout, "{:>2}. {}  {}  {severity}  {title}", rank + 1, hit.id, hit.date)?;
        writeln!(stdout, "    {}", printable(&hit.reasons.join(" · "), false))?;
        writeln!(stdout, "    {}", hit.path)?;
    }
    Ok(())
}
