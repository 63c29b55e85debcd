//! Checks that need the whole library: unique ids and `related` references that resolve.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::content;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::lint::Lints;
use crate::model::Retro;
use crate::yaml;

/// Drops retros whose id is taken or whose `related` ids do not exist, and says why.
///
/// `other_ids` are the ids (or file stems) of files that failed validation: a retro may still
/// relate to them, since the file exists and only needs fixing. A site that relaxed
/// `unknown-related` in `lints` keeps its retros (their dangling links are simply not shown).
pub fn check(
    root: &Path,
    mut retros: Vec<Retro>,
    other_ids: &HashSet<String>,
    lints: &Lints,
) -> (Vec<Retro>, Vec<Diagnostic>) {
    retros.sort_by(|a, b| a.source.cmp(&b.source));
    let mut diagnostics = Vec::new();
    let mut first_owner: HashMap<String, std::path::PathBuf> = HashMap::new();
    retros.retain(|retro| match first_owner.get(&retro.id.to_lowercase()) {
        Some(first) => {
            let message = format!("duplicate id \"{}\": {} uses it too", retro.id, first.display());
            let help = format!("give one of {} and {} another id", first.display(), retro.source.display());
            diagnostics.push(
                Diagnostic::new(Code::DuplicateId, &retro.source, message)
                    .at(locate(root, &retro.source, "id"))
                    .help(help),
            );
            false
        }
        None => {
            first_owner.insert(retro.id.to_lowercase(), retro.source.clone());
            true
        }
    });

    let known: HashSet<&str> =
        retros.iter().map(|r| r.id.as_str()).chain(other_ids.iter().map(String::as_str)).collect();
    let mut unknown_related = Vec::new();
    for retro in &retros {
        for (index, related) in retro.related.iter().enumerate() {
            if known.contains(related.as_str()) {
                continue;
            }
            let help = match crate::suggest::nearest(related, known.iter().copied()) {
                Some(best) => format!("did you mean \"{best}\"?"),
                None => "check the id of the retro you meant, or remove the entry".to_owned(),
            };
            let at = locate(root, &retro.source, &format!("related.{index}"));
            unknown_related.push(
                Diagnostic::new(
                    Code::UnknownRelated,
                    &retro.source,
                    format!("related retro \"{related}\" does not exist"),
                )
                .at(at)
                .help(help),
            );
        }
    }
    lints.apply(&mut unknown_related);
    let dangling: HashSet<&Path> =
        unknown_related.iter().filter(|d| d.is_error()).map(|d| d.file.as_path()).collect();
    retros.retain(|retro| !dangling.contains(retro.source.as_path()));
    diagnostics.extend(unknown_related);
    (retros, diagnostics)
}

/// Re-reads a file to place a library-level finding; these are rare, so nothing is kept for them.
fn locate(root: &Path, source: &Path, dotted: &str) -> Option<Location> {
    let file = content::read(root, &root.join(source)).ok()?;
    let span = yaml::locate(file.front_matter(), &yaml::path_from_dotted(dotted), yaml::Part::Value)?;
    Some(Location { line: span.line + file.front_matter_line - 1, column: span.column, width: span.width })
}
