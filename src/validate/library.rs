//! Checks that need the whole library: unique ids and `related` references that resolve.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::config::Lints;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Retro;
use crate::yaml::Part;

/// Drops retros whose id is taken or whose `related` ids do not exist, and says why.
///
/// `other_ids` are the ids (or file stems) of files that failed validation: a retro may still
/// relate to them, since the file exists and only needs fixing. A site that relaxed
/// `unknown-related` in `lints` keeps its retros (their dangling links are simply not shown).
pub fn check(
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
                retro
                    .file
                    .diagnostic(Code::DuplicateId, message)
                    .at(retro.file.locate("id", Part::Value))
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
            let at = retro.file.locate(&format!("related.{index}"), Part::Value);
            let message = format!("related retro \"{related}\" does not exist");
            unknown_related.push(retro.file.diagnostic(Code::UnknownRelated, message).at(at).help(help));
        }
    }
    lints.apply(&mut unknown_related);
    let dangling: HashSet<&Path> =
        unknown_related.iter().filter(|d| d.is_error()).map(|d| d.file.as_path()).collect();
    retros.retain(|retro| !dangling.contains(retro.source.as_path()));
    diagnostics.extend(unknown_related);
    (retros, diagnostics)
}
