//! `hindsight search`: ranked results in the terminal or as JSON.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use clap::Args;

use super::EXIT_FAILURE;
use crate::diagnostic::{HumanPrinter, printable};
use crate::library::Selection;
use crate::search::query::{self, Hit, Request, Response};
use crate::search::{SearchError, index};
use crate::site::{self, BuildError};

/// Arguments of `hindsight search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "a phrase", -excluded, a OR b, field:value (service, failure_mode, severity, …).
    query: String,
    /// Only retros with this service (repeatable: any of them).
    #[arg(long = "service", value_name = "SERVICE")]
    services: Vec<String>,
    /// Only retros with this failure mode (repeatable).
    #[arg(long = "failure-mode", value_name = "MODE")]
    failure_modes: Vec<String>,
    /// Only retros with this contributing factor (repeatable).
    #[arg(long = "factor", value_name = "FACTOR")]
    factors: Vec<String>,
    /// Only retros of this severity (repeatable).
    #[arg(long = "severity", value_name = "SEV")]
    severities: Vec<String>,
    /// Only retros on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// Only retros on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    until: Option<NaiveDate>,
    /// How many results at most.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print the documented JSON shape instead of text.
    #[arg(long)]
    json: bool,
    /// Search drafts too.
    #[arg(long)]
    drafts: bool,
    /// Search restricted retros too.
    #[arg(long)]
    include_restricted: bool,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

/// Runs a search, building the index first when it is missing or stale.
pub fn run(root: &Path, args: &SearchArgs) -> Result<u8> {
    let selection = Selection { drafts: args.drafts, include_restricted: args.include_restricted };
    let opened = match fresh_index(root, selection)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let request = Request {
        query: args.query.clone(),
        services: args.services.clone(),
        failure_modes: args.failure_modes.clone(),
        factors: args.factors.clone(),
        severities: args.severities.clone(),
        since: args.since,
        until: args.until,
        limit: args.limit,
    };
    let response = match query::search(&opened, &request) {
        Ok(response) => response,
        Err(SearchError::Query { message, .. }) => {
            eprintln!("error: cannot parse the query: {message}");
            return Ok(EXIT_FAILURE);
        }
        Err(error) => return Err(error).context("search failed"),
    };
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &response).context("cannot write the results")?;
        writeln!(stdout)?;
    } else {
        print_human(&mut stdout, &response, std::io::stdout().is_terminal())?;
    }
    Ok(0)
}

/// Opens the index, rebuilding it first (with a message) when it is missing or stale.
fn fresh_index(root: &Path, selection: Selection) -> Result<Result<index::Opened, u8>> {
    let (files, _) = crate::content::discover(root);
    let fingerprint = index::fingerprint(site::sources_stamp(root, &files), selection);
    let current = index::open(root).context("cannot open the search index")?;
    let reason = match &current {
        Some(opened) if opened.manifest.fingerprint == fingerprint => None,
        Some(_) => Some("is out of date"),
        None => Some("does not exist yet"),
    };
    if let (None, Some(opened)) = (reason, current) {
        return Ok(Ok(opened));
    }
    let shown = index::index_dir(Path::new("")).display().to_string();
    eprintln!("The search index ({shown}) {}; building it…", reason.unwrap_or_default());
    match site::index_only(root, selection) {
        Ok(count) => eprintln!("Indexed {count} retros."),
        Err(BuildError::Site(diagnostic)) => {
            HumanPrinter::for_stderr().print(&diagnostic);
            return Ok(Err(EXIT_FAILURE));
        }
        Err(error) => return Err(error).context("cannot build the search index"),
    }
    let opened = index::open(root).context("cannot open the search index")?;
    // A just-built index that cannot be opened is an I/O problem worth saying plainly.
    opened.map(Ok).context("the search index was built but cannot be read back")
}

fn print_human(out: &mut impl Write, response: &Response, colour: bool) -> Result<()> {
    if let Some(corrected) = &response.corrected_query {
        writeln!(out, "no exact match; showing results for \"{corrected}\"")?;
    }
    if response.results.is_empty() {
        writeln!(out, "no retro matches \"{}\"", response.query)?;
        return Ok(());
    }
    for (rank, hit) in response.results.iter().enumerate() {
        if hit.partial && (rank == 0 || !response.results[rank - 1].partial) {
            writeln!(out, "partial matches, with some of the words:")?;
        }
        print_hit(out, rank + 1, hit, colour)?;
    }
    let matches = response.total + response.partial_total;
    if matches > response.results.len() {
        writeln!(out, "({} of {matches} matches; --limit shows more)", response.results.len())?;
    }
    Ok(())
}

fn print_hit(out: &mut impl Write, rank: usize, hit: &Hit, colour: bool) -> Result<()> {
    let (bold, plain) = if colour { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    // Titles, snippets and paths come from retro files: their control characters are shown as
    // symbols, so only our own bold and plain sequences reach the terminal.
    let (severity, title) = (printable(&hit.retro.severity, false), printable(&hit.retro.title, false));
    writeln!(out, "{rank:>2}. {bold}{}{plain}  {}  {severity}  {title}", hit.retro.id, hit.retro.date)?;
    if !hit.snippet.is_empty() {
        let mut line = String::with_capacity(hit.snippet.len() + 16);
        let mut at = 0;
        for [start, end] in &hit.highlights {
            line.push_str(&printable(&hit.snippet[at..*start], true));
            line.push_str(bold);
            line.push_str(&printable(&hit.snippet[*start..*end], true));
            line.push_str(plain);
            at = *end;
        }
        line.push_str(&printable(&hit.snippet[at..], true));
        writeln!(out, "    {}", line.split_whitespace().collect::<Vec<_>>().join(" "))?;
    }
    writeln!(out, "    {}", printable(&hit.path, false))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_show_control_characters_from_retros_as_symbols() {
        let snippet = "before \u{1b}[31mred retry after".to_owned();
        let start = snippet.find("retry").unwrap();
        let hit = Hit {
            retro: crate::views::RetroHeadline {
                id: "A-1".to_owned(),
                title: "t\u{1b}]0;x\u{7}".to_owned(),
                date: "2024-01-01".to_owned(),
                severity: "SEV\u{1b}[2J".to_owned(),
                services: Vec::new(),
                failure_modes: Vec::new(),
            },
            score: 1.0,
            highlights: vec![[start, start + "retry".len()]],
            snippet,
            path: "retros/A-1.html".to_owned(),
            partial: false,
        };
        let mut out = Vec::new();
        print_hit(&mut out, 1, &hit, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            " 1. \u{1b}[1mA-1\u{1b}[0m  2024-01-01  SEV␛[2J  t␛]0;x␇\n    before ␛[31mred \u{1b}[1mretry\u{1b}[0m after\n    retros/A-1.html\n"
        );
    }
}
