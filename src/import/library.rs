//! Every call `import` makes into the rest of hindsight, in one place: loading the library,
//! taken ids, labels of similar retros, and the `check` findings of the new files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{Config, Lints};
use crate::content::{self, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::library::{Library, Selection};
use crate::markdown::{self, Bodies, RenderedBody};
use crate::model::Retro;
use crate::site::{self, BuildError};
use crate::taxonomy::Taxonomy;
use crate::{similar, validate};

/// The library an import goes into.
pub struct Site {
    /// Its settings.
    pub config: Config,
    /// Its vocabulary.
    pub taxonomy: Taxonomy,
    /// Its valid retros (drafts included), for similar-retro labels.
    pub retros: Vec<Retro>,
    /// Every id and file name taken.
    pub ids: BTreeSet<String>,
}

/// Loads the site at `root`.
pub fn load(root: &Path) -> Result<Site, BuildError> {
    let validated = site::validate(root, None)?;
    let ids = crate::authoring::new::existing_ids(root);
    Ok(Site { config: validated.config, taxonomy: validated.taxonomy, retros: validated.retros, ids })
}

/// The label lists (by front-matter key) that at least 3 of the up to 5 retros most like each
/// probe share, with those retros' ids; one entry per probe. A probe is a title, summary and
/// body not yet in the library.
pub fn similar_labels(site: &Site, probes: &[(String, String, String)], today: NaiveDate) -> Vec<Shared> {
    if site.retros.len() < 3 || probes.is_empty() {
        return vec![BTreeMap::new(); probes.len()];
    }
    let mut retros = site.retros.clone();
    for (index, (title, summary, body)) in probes.iter().enumerate() {
        match probe_retro(index, title, summary, body, today) {
            Some(retro) => retros.push(retro),
            None => return vec![BTreeMap::new(); probes.len()],
        }
    }
    let everything = Selection { drafts: true, include_restricted: true };
    let library = Library::new(site.config.clone(), site.taxonomy.clone(), retros, everything, today);
    let bodies = Bodies::new(
        library
            .retros
            .iter()
            .map(|r| RenderedBody { text: markdown::plain_text(r.body()).into(), ..Default::default() })
            .collect(),
    );
    let (suggestions, _) = similar::compute(&library, &bodies);
    let is_probe = |retro: &Retro| retro.source.starts_with(PROBE_DIR);
    let mut out = vec![BTreeMap::new(); probes.len()];
    for (index, retro) in library.retros.iter().enumerate() {
        let Some(probe) = retro.id.strip_prefix(PROBE_ID).and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        let neighbours: Vec<&Retro> = suggestions
            .of(index)
            .iter()
            .map(|s| &library.retros[s.index])
            .filter(|r| !is_probe(r))
            .take(5)
            .collect();
        out[probe] = shared_labels(&neighbours);
    }
    out
}

/// Per front-matter key, the labels similar retros share and the ids of those retros.
pub type Shared = BTreeMap<&'static str, (Vec<String>, Vec<String>)>;

/// One label list of a retro.
type LabelsOf = fn(&Retro) -> Vec<String>;

const PROBE_DIR: &str = "import-probe";
const PROBE_ID: &str = "import-probe-";

/// A stand-in retro for text not yet in the library: built through validation, so it is a
/// retro exactly as the library would hold it. Its labels are unique to it, so they make it
/// like nothing; only its words count.
fn probe_retro(index: usize, title: &str, summary: &str, body: &str, today: NaiveDate) -> Option<Retro> {
    let text = format!(
        "---\nid: {PROBE_ID}{index}\ntitle: {}\ndate: {today}\nseverity: SEV3\nsummary: {}\nservices: [{PROBE_ID}{index}]\nfailure_modes: [{PROBE_ID}{index}]\nstatus: draft\n---\n{body}",
        crate::yaml::scalar(if title.is_empty() { "untitled" } else { title }),
        crate::yaml::scalar(summary),
    );
    let file = content::split(PathBuf::from(PROBE_DIR).join(format!("{index}.md")), text).ok()?;
    validate::validate_file(file, &Taxonomy::permissive(), &Lints::default()).retro
}

/// Labels at least 3 of `neighbours` share, per front-matter key, with their ids.
fn shared_labels(neighbours: &[&Retro]) -> Shared {
    let mut shared = BTreeMap::new();
    let lists: [(&'static str, LabelsOf); 4] = [
        ("services", |r| r.services.clone()),
        ("failure_modes", |r| r.failure_modes.clone()),
        ("contributing_factors", |r| r.contributing_factors.clone()),
        ("trigger", |r| r.trigger.iter().cloned().collect()),
    ];
    for (key, values) in lists {
        let mut counts: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for retro in neighbours {
            for value in values(retro) {
                counts.entry(value).or_default().push(retro.id.clone());
            }
        }
        let mut names: Vec<(String, Vec<String>)> =
            counts.into_iter().filter(|(_, ids)| ids.len() >= 3).collect();
        names.sort_by_key(|(_, ids)| std::cmp::Reverse(ids.len()));
        if key == "trigger" {
            names.truncate(1);
        }
        if let Some((_, ids)) = names.first() {
            let ids = ids.clone();
            shared.insert(key, (names.into_iter().map(|(name, _)| name).collect(), ids));
        }
    }
    shared
}

/// The findings `check` reports on each new file (`shown` is its path from the site root),
/// at the site's rule levels, as of `now`. The texts need not be on disk: every finding is
/// placed in the text it was validated from.
pub fn check_findings(site: &Site, files: &[(PathBuf, String)], now: NaiveDate) -> Vec<Vec<Diagnostic>> {
    files
        .iter()
        .map(|(shown, text)| {
            let Ok(file): Result<SourceFile, _> = content::split(shown.clone(), text.clone()) else {
                return Vec::new();
            };
            let checked = validate::validate_file(file, &site.taxonomy, &site.config.lint);
            let mut diagnostics = checked.diagnostics;
            if let Some(retro) = checked.retro {
                diagnostics.extend(crate::review::review(
                    std::slice::from_ref(&retro),
                    now,
                    &site.config.lint,
                ));
            }
            crate::diagnostic::sort(&mut diagnostics);
            diagnostics
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retro(id: &str, modes: &str, trigger: &str) -> Retro {
        retro_about(id, modes, trigger, "t", "")
    }

    fn retro_about(id: &str, modes: &str, trigger: &str, title: &str, body: &str) -> Retro {
        let text = format!(
            "---\nid: {id}\ntitle: {title}\ndate: 2024-01-01\nseverity: SEV3\nservices: [api]\nfailure_modes: [{modes}]\ntrigger: {trigger}\n---\n{body}\n"
        );
        let file = content::split(PathBuf::from(format!("{id}.md")), text).expect("split");
        validate::validate_file(file, &Taxonomy::permissive(), &Lints::default()).retro.expect("valid")
    }

    #[test]
    fn labels_three_of_five_neighbours_share_are_suggested() {
        let retros = [
            retro("A", "retry-storm", "deploy"),
            retro("B", "retry-storm, dns-failure", "deploy"),
            retro("C", "retry-storm", "config-change"),
            retro("D", "dns-failure", "config-change"),
            retro("E", "memory-leak", "traffic-spike"),
        ];
        let neighbours: Vec<&Retro> = retros.iter().collect();
        let shared = shared_labels(&neighbours);
        assert_eq!(
            shared.get("failure_modes"),
            Some(&(vec!["retry-storm".to_owned()], vec!["A".to_owned(), "B".to_owned(), "C".to_owned()]))
        );
        assert_eq!(shared.get("services").map(|s| s.0.clone()), Some(vec!["api".to_owned()]));
        assert_eq!(shared.get("trigger"), None, "no trigger is shared by three");
        assert_eq!(shared_labels(&neighbours[..2]), Shared::new(), "two agreeing are not enough");
    }

    #[test]
    fn a_probe_takes_the_labels_of_the_retros_it_reads_like() {
        let storm = "Clients retried in lockstep against the slow payments processor; retries tripled the load and the queue grew.";
        let leak = "The worker heap grew every hour until the kernel killed it; the cache kept every rendered template.";
        let mut retros = Vec::new();
        for (i, body) in [storm, storm, storm, leak, leak, leak].iter().enumerate() {
            let mode = if *body == storm { "retry-storm" } else { "memory-leak" };
            retros.push(retro_about(&format!("R{i}"), mode, "deploy", "Incident", body));
        }
        let site = Site {
            config: Config::default(),
            taxonomy: Taxonomy::permissive(),
            retros,
            ids: BTreeSet::new(),
        };
        let probe = ("Payments retries".to_owned(), String::new(), storm.replace("tripled", "doubled"));
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let shared = similar_labels(&site, &[probe], today);
        let modes = shared[0].get("failure_modes").expect("suggested");
        assert_eq!(modes.0, ["retry-storm"]);
        assert_eq!(modes.1, ["R0", "R1", "R2"]);
    }
}
