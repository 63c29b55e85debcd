//! The shape of `src/`: its top-level modules form no cycle (a stage uses the stages before it,
//! never one after), and ARCHITECTURE.md names every one of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules of `src/`, each with the other top-level modules it names as `crate::x`.
fn module_uses() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(&src).expect("src/") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().expect("name").to_string_lossy().into_owned();
        if path.is_dir() || (path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main") {
            modules.insert(name);
        }
    }
    let mut uses = BTreeMap::new();
    for module in &modules {
        let mut text = std::fs::read_to_string(src.join(format!("{module}.rs"))).unwrap_or_default();
        for entry in walkdir::WalkDir::new(src.join(module)).into_iter().filter_map(Result::ok) {
            if entry.path().extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(entry.path()).expect("read"));
            }
        }
        let named: BTreeSet<String> = modules
            .iter()
            .filter(|other| *other != module)
            .filter(|other| {
                text.contains(&format!("crate::{other}::"))
                    || text.contains(&format!("crate::{other};"))
                    || text.contains(&format!("crate::{other}}}"))
                    || in_braced_use(&text, other)
            })
            .cloned()
            .collect();
        uses.insert(module.clone(), named);
    }
    uses
}

/// Whether `use crate::{…, name, …}` names the module.
fn in_braced_use(text: &str, name: &str) -> bool {
    text.match_indices("crate::{").any(|(at, _)| {
        let rest = &text[at + "crate::{".len()..];
        let group = &rest[..rest.find('}').unwrap_or(rest.len())];
        group.split(',').any(|part| part.trim().split("::").next() == Some(name))
    })
}

/// A cycle through `start`, if there is one, as the modules along it.
fn cycle_from(start: &str, uses: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((module, path)) = stack.pop() {
        for next in &uses[&module] {
            if next == start {
                return Some([path.clone(), vec![start.to_owned()]].concat());
            }
            if seen.insert(next.clone()) {
                stack.push((next.clone(), [path.clone(), vec![next.clone()]].concat()));
            }
        }
    }
    None
}

#[test]
fn no_module_uses_a_stage_after_it() {
    let uses = module_uses();
    assert!(uses.len() > 20, "{uses:?}");
    assert!(uses["site"].contains("pages") && uses["pages"].contains("urls"), "the scan finds uses");
    for module in uses.keys() {
        if let Some(cycle) = cycle_from(module, &uses) {
            panic!("modules form a cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn architecture_md_names_every_top_level_module() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md");
    let missing: Vec<String> =
        module_uses().into_keys().filter(|module| !text.contains(&format!("`{module}`"))).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md does not name {missing:?}");
}
