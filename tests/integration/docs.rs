//! The guide (`docs/`) and the README against the code: every command and option a page shows in
//! code exists, every `hindsight.yaml` key a page names exists, and the reference pages list every
//! command, option, key and rule there is. The lists come from clap's definition of the command
//! line, from the config type and from the rule table, never from a list kept here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// README.md and every page of docs/, with their text.
fn pages() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("docs entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, text)
        })
        .collect()
}

/// One piece of code in a page: an inline code span, or a code block with its language.
struct Code {
    text: String,
    block_language: Option<String>,
}

fn code_of(markdown: &str) -> Vec<Code> {
    let mut found = Vec::new();
    let mut block: Option<Code> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Code(text) => found.push(Code { text: text.into_string(), block_language: None }),
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some(Code { text: String::new(), block_language: Some(language) });
            }
            Event::Text(text) => {
                if let Some(block) = &mut block {
                    block.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => found.extend(block.take()),
            _ => {}
        }
    }
    found
}

/// The command line as clap sees it, with global options and `help` propagated.
fn cli() -> clap::Command {
    let mut command = hindsight::cli::command();
    command.build();
    command
}

/// `--name` or `-n` of `command`.
fn find_option<'a>(command: &'a clap::Command, token: &str) -> Option<&'a clap::Arg> {
    let flag = token.split('=').next().unwrap_or(token);
    command.get_arguments().find(|arg| {
        if let Some(long) = flag.strip_prefix("--") {
            arg.get_long() == Some(long) || arg.get_all_aliases().is_some_and(|a| a.contains(&long))
        } else {
            let short = flag.strip_prefix('-').and_then(|s| s.chars().next());
            short.is_some() && arg.get_short() == short
        }
    })
}

/// Problems with one shell line's `hindsight …` invocations (or `cargo run … -- …`).
fn check_invocation(cli: &clap::Command, line: &str, problems: &mut Vec<String>) {
    for segment in line.split(['|', ';']).flat_map(|s| s.split("&&")) {
        let tokens: Vec<&str> = segment
            .split_whitespace()
            .map(|t| t.trim_matches(|c| matches!(c, '"' | '\'' | '$' | '(' | ')' | '[' | ']' | '`')))
            .map(|t| t.trim_end_matches("...").trim_end_matches('…'))
            .collect();
        let start = if segment.contains("cargo run") {
            tokens.iter().position(|t| *t == "--")
        } else {
            tokens.iter().position(|t| *t == "hindsight")
        };
        let Some(start) = start else { continue };
        let mut command = cli;
        let mut chosen = false;
        let mut rest = tokens[start + 1..].iter();
        while let Some(&token) = rest.next() {
            if token.starts_with('-') && token.len() > 1 && token != "--" {
                match find_option(command, token).or_else(|| find_option(cli, token)) {
                    Some(arg) if arg.get_action().takes_values() && !token.contains('=') => {
                        rest.next();
                    }
                    Some(_) => {}
                    None => {
                        problems.push(format!("`{token}` is no option of `{}`: {line}", command.get_name()))
                    }
                }
            } else if !chosen && !token.is_empty() {
                match cli.find_subcommand(token) {
                    Some(sub) => command = sub,
                    None => problems.push(format!("`hindsight {token}` is no command: {line}")),
                }
                chosen = true;
            }
        }
    }
}

#[test]
fn every_command_and_option_the_docs_show_exists() {
    let cli = cli();
    let every_long: BTreeSet<String> = std::iter::once(&cli)
        .chain(cli.get_subcommands())
        .flat_map(|c| c.get_arguments().filter_map(|a| a.get_long().map(|l| format!("--{l}"))))
        .collect();
    let mut problems = Vec::new();
    let mut invocations = 0;
    for (path, text) in pages() {
        let mut page_problems = Vec::new();
        for code in code_of(&text) {
            // A shell or YAML comment names things in prose, not as a command.
            for line in code.text.lines().map(|l| l.split(" # ").next().unwrap_or(l)) {
                if line.trim_start().starts_with('#') {
                    continue;
                }
                if line.contains("hindsight") || line.contains("cargo run") {
                    invocations += 1;
                    check_invocation(&cli, line, &mut page_problems);
                }
            }
            // A lone option in prose, such as `--strict` or `--now YYYY-MM-DD`.
            let first = code.text.split_whitespace().next().unwrap_or("");
            if code.block_language.is_none() && first.starts_with("--") && !code.text.contains("hindsight") {
                let flag = first.split('=').next().unwrap_or(first);
                if flag.len() > 2 && !every_long.contains(flag) {
                    page_problems.push(format!("`{flag}` is no option of any command"));
                }
            }
        }
        problems.extend(page_problems.into_iter().map(|p| format!("{}: {p}", path.display())));
    }
    assert!(
        invocations > 30,
        "the docs show commands ({invocations} found): is the parser still reading them?"
    );
    assert!(problems.is_empty(), "the docs name what does not exist:\n{}", problems.join("\n"));
}

#[test]
fn the_commands_page_shows_every_command_and_option() {
    let cli = cli();
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/commands.md"))
        .expect("docs/commands.md");
    let code: String = code_of(&page).into_iter().map(|c| c.text + "\n").collect();
    let mut missing = Vec::new();
    for sub in cli.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = sub.get_name();
        if !code.contains(&format!("hindsight {name}")) {
            missing.push(format!("hindsight {name}"));
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long().filter(|l| !matches!(*l, "help" | "version"))
                && !code.contains(&format!("--{long}"))
            {
                missing.push(format!("hindsight {name} --{long}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/commands.md does not show:\n{}", missing.join("\n"));
}

/// The keys in the first column of the settings table of docs/taxonomy.md.
fn documented_keys(page: &str) -> BTreeSet<String> {
    let section = page.split("## `hindsight.yaml`").nth(1).expect("a `hindsight.yaml` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| line.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_setting_is_documented_and_every_documented_setting_exists() {
    let known: BTreeSet<String> = hindsight::config::known_keys().iter().map(|k| (*k).to_owned()).collect();
    assert!(known.contains("base_url") && known.contains("title"), "{known:?}");
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/taxonomy.md"))
        .expect("docs/taxonomy.md");
    assert_eq!(documented_keys(&page), known, "the settings table of docs/taxonomy.md against `Config`");
    // Every example of hindsight.yaml, on any page, uses only keys that exist.
    let mut problems = Vec::new();
    let mut examples = 0;
    for (path, text) in pages() {
        for code in code_of(&text) {
            if code.block_language.as_deref() != Some("yaml") || !code.text.starts_with("# hindsight.yaml") {
                continue;
            }
            examples += 1;
            let keys = code
                .text
                .lines()
                .filter(|l| !l.starts_with([' ', '#', '-']))
                .filter_map(|l| l.split(':').next());
            for key in keys.filter(|k| !k.is_empty() && !known.contains(*k)) {
                problems.push(format!("{}: `{key}` is no key of hindsight.yaml", path.display()));
            }
        }
    }
    assert!(examples >= 2, "examples of hindsight.yaml found: {examples}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rule_table_matches_the_rules() {
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md");
    let documented: BTreeSet<(String, String, String)> = page
        .lines()
        .filter_map(|line| line.strip_prefix("| H"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (format!("H{}", cells[0]), cells[1].to_owned(), cells[2].to_owned())
        })
        .collect();
    let actual: BTreeSet<(String, String, String)> = hindsight::diagnostic::Code::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.name().to_owned(), c.default_severity().as_str().to_owned()))
        .collect();
    assert_eq!(documented, actual, "the rule table of docs/diagnostics.md against `Code::ALL`");
}

#[test]
fn the_readme_stays_short_and_starts_with_the_two_commands() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    assert!(
        readme.lines().count() <= 200,
        "README.md has {} lines; move reference into docs/",
        readme.lines().count()
    );
    let blocks: Vec<String> =
        code_of(&readme).into_iter().filter(|c| c.block_language.is_some()).map(|c| c.text).collect();
    assert_eq!(blocks[..2], ["cargo run --release -- serve\n", ".ci/test\n"]);
}
