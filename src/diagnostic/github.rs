//! `check --format github`: GitHub Actions workflow commands
//! (`::error file=…,line=…,col=…,title=…::message`), which Actions turns into annotations shown
//! inline on the pull request's diff.

use super::{Diagnostic, printable};

/// The workflow command for one diagnostic. `file` must be relative to the repository root
/// (the job's working directory), or GitHub cannot place the annotation on the diff.
pub fn command(diagnostic: &Diagnostic, file: &str) -> String {
    let level = diagnostic.severity.as_str();
    let mut properties = vec![format!("file={}", property(&printable(file, false)))];
    if let Some(at) = diagnostic.location {
        properties.push(format!("line={}", at.line));
        properties.push(format!("col={}", at.column));
    }
    let title = format!("{} {}", diagnostic.code.code(), diagnostic.code.name());
    properties.push(format!("title={}", property(&title)));
    // The job log shows the text too: no control character from a retro file goes through.
    let mut message = printable(&diagnostic.message, true).into_owned();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(&printable(help, true));
    }
    format!("::{level} {}::{}", properties.join(","), data(&message))
}

/// Escapes a message: a newline would end the command, a `%` would start an escape.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, where `,` and `:` are separators too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Location};

    #[test]
    fn commands_escape_separators_and_newlines() {
        let diagnostic = Diagnostic::new(Code::UnknownTaxonomyValue, "a.md", "100% \"x\"\nnext")
            .at(Some(Location { line: 7, column: 30, width: 3 }))
            .help("did you mean: y?");
        assert_eq!(
            command(&diagnostic, "docs/a,b:c.md"),
            "::error file=docs/a%2Cb%3Ac.md,line=7,col=30,title=H001 unknown-taxonomy-value::100%25 \"x\"%0Anext%0Ahelp: did you mean: y?"
        );
        let whole = Diagnostic::new(Code::NoActionItems, "a.md", "m");
        assert_eq!(command(&whole, "a.md"), "::warning file=a.md,title=H104 no-action-items::m");
    }
}
