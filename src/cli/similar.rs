//! `hindsight similar ID|PATH|-`: the retros most like a retro of the library, a retro file, or
//! text pasted on standard input (an alert, a chat thread, a draft), with the reasons.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use clap::Args;

use super::EXIT_FAILURE;
use crate::diagnostic::{HumanPrinter, printable};
use crate::library::Selection;
use crate::similar::Target;
use crate::similar::answer::{Answer, MAX_PASTE, answer, pasted_text, text_of};
use crate::site::{self, BuildError, Site};

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

/// Runs `similar` and returns the exit code.
pub fn run(root: &Path, args: &SimilarArgs) -> Result<u8> {
    let pasted = if args.target == "-" { Some(read_stdin()?) } else { None };
    let selection = Selection { drafts: args.drafts, include_restricted: args.include_restricted };
    let validated = match site::validate(root, None) {
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
    let response = answer(library, target, &args.target, args.limit);
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
        if let Ok(file) = crate::content::split(path.to_path_buf(), text.clone())
            && let Some(index) = library.index_of(&crate::validate::id_of(&file))
        {
            return Ok(Resolved::Retro(index));
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
    Ok(pasted_text(bytes, "standard input")?)
}

fn print(response: &Answer, json: bool) -> Result<()> {
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
        let (title, severity) = (printable(&hit.retro.title, false), printable(&hit.retro.severity, false));
        writeln!(stdout, "{:>2}. {}  {}  {severity}  {title}", rank + 1, hit.retro.id, hit.retro.date)?;
        writeln!(stdout, "    {}", printable(&hit.reasons.join(" · "), false))?;
        writeln!(stdout, "    {}", hit.path)?;
    }
    Ok(())
}
