//! Validation: turns parsed front matter into a [`Retro`], or says precisely why it cannot.
//!
//! Each file is checked on its own (in parallel), then [`library`] checks what needs the whole
//! library: unique ids and `related` references.

mod dates;
mod fields;
mod follow_up;
pub mod library;

use std::sync::Arc;

use crate::config::Lints;
use crate::content::SourceFile;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::frontmatter::RawFrontMatter;
use crate::model::Retro;
use crate::taxonomy::Taxonomy;
use crate::yaml;

/// The outcome of checking one file: the retro if it is usable, and every finding.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The retro, unless an error made it unusable.
    pub retro: Option<Retro>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates one file against the taxonomy, at the site's rule levels: the retro is usable when
/// no finding is an error after `lints` is applied.
pub fn validate_file(file: SourceFile, taxonomy: &Taxonomy, lints: &Lints) -> Checked {
    let parsed = yaml::parse_with_unknown_keys::<RawFrontMatter>(file.front_matter());
    let (raw, unknown) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            let diagnostic = Diagnostic::from_yaml(&file.path, &error, file.front_matter_line);
            let mut diagnostics = vec![diagnostic.in_text(Arc::clone(&file.text))];
            lints.apply(&mut diagnostics);
            return Checked { retro: None, diagnostics };
        }
    };
    let mut checker = Checker { file: &file, taxonomy, diagnostics: Vec::new() };
    checker.report_unknown_keys(&unknown);
    let retro = checker.build_retro(raw);
    let mut diagnostics = checker.diagnostics;
    lints.apply(&mut diagnostics);
    diagnostics.sort_by_key(|d| d.location.map(|l| (l.line, l.column)));
    let has_error = diagnostics.iter().any(Diagnostic::is_error);
    let retro = if has_error { None } else { retro };
    Checked { retro, diagnostics }
}

/// The id of a retro file as validation sees it (its `id:`, else its file name), without
/// checking anything else: for the few places that need an id of a file that may be broken.
pub fn id_of(file: &SourceFile) -> String {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    let written = yaml::parse::<IdOnly>(file.front_matter()).ok().and_then(|raw| raw.id);
    written.filter(|id| !id.trim().is_empty()).unwrap_or_else(|| file.stem())
}

/// Collects findings for one file and places them in it.
pub(crate) struct Checker<'a> {
    file: &'a SourceFile,
    taxonomy: &'a Taxonomy,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// The file position of the value (or key) at a dotted front-matter path.
    fn locate(&self, dotted: &str, part: yaml::Part) -> Option<Location> {
        self.file.locate(dotted, part)
    }

    /// Where a missing field should be added: the opening `---`.
    fn front_matter_start(&self) -> Option<Location> {
        Some(self.file.opening())
    }

    fn push(&mut self, code: Code, location: Option<Location>, message: String, help: String) {
        self.diagnostics.push(self.file.diagnostic(code, message).at(location).help(help));
    }

    /// Reports a problem with the value at `dotted`.
    fn at_value(&mut self, code: Code, dotted: &str, message: String, help: String) {
        let location = self.locate(dotted, yaml::Part::Value);
        self.push(code, location, message, help);
    }

    /// Reports a missing required field.
    fn missing(&mut self, dotted: &str, help: &str) {
        let location = match dotted.rsplit_once('.') {
            // A field missing inside a list entry: point at the entry.
            Some((parent, _)) => self.locate(parent, yaml::Part::Value),
            None => self.front_matter_start(),
        };
        self.push(
            Code::MissingField,
            location,
            format!("missing required field `{dotted}`"),
            help.to_owned(),
        );
    }

    fn report_unknown_keys(&mut self, unknown: &[String]) {
        for dotted in unknown {
            let path = yaml::path_from_dotted(dotted);
            let Some(yaml::Segment::Key(key)) = path.last() else {
                continue;
            };
            let parent = match path.first() {
                Some(yaml::Segment::Key(first)) if path.len() > 1 => first.as_str(),
                _ => "",
            };
            let known = crate::frontmatter::known_keys(parent);
            let help = match crate::suggest::nearest(key, known.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "remove it, or check the retro format in the README".to_owned(),
            };
            let location = self.locate(dotted, yaml::Part::Key);
            let shown = dotted.replace(".?", "");
            self.push(Code::UnknownKey, location, format!("unknown front-matter key `{shown}`"), help);
        }
    }
}

/// The retro a file named `ID.md` holding `text` validates to, under a permissive taxonomy:
/// for unit tests that need a real parsed retro.
#[cfg(test)]
pub(crate) fn retro_from_text(id: &str, text: String) -> Retro {
    let file = crate::content::split(format!("{id}.md").into(), text).expect("front matter");
    validate_file(file, &Taxonomy::permissive(), &Lints::default()).retro.expect("a valid retro")
}
