//! Splits arbitrary text into front matter and body, validates it against the sample taxonomy,
//! and renders every diagnostic as `hindsight check` prints it.
//!
//! Input bytes are decoded lossily: `content::read` rejects invalid UTF-8 before splitting, so
//! only valid text ever reaches `split`, and a replacement character is text a user could type.
//! Decoding lossily instead of returning early keeps every mutation useful. A leading
//! byte-order mark is dropped, as `content::read` drops it.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use hindsight::content;
use hindsight::diagnostic::{self, Diagnostic};
use hindsight::config::Lints;
use hindsight::taxonomy::{self, Taxonomy};
use hindsight::validate;
use libfuzzer_sys::fuzz_target;

/// The repository's sample taxonomy, loaded the way a build loads it: from a site folder.
static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(|| {
    let site = tempfile::tempdir().expect("temporary site folder");
    std::fs::write(site.path().join(taxonomy::TAXONOMY_FILE), include_str!("../../taxonomy.yaml"))
        .expect("write taxonomy.yaml");
    let (taxonomy, warnings) = taxonomy::load(site.path()).expect("the sample taxonomy loads");
    assert!(warnings.is_empty(), "{warnings:?}");
    taxonomy
});

static LINTS: LazyLock<Lints> = LazyLock::new(Lints::default);

fuzz_target!(|data: &[u8]| {
    let decoded = String::from_utf8_lossy(data);
    let text = decoded.strip_prefix('\u{feff}').unwrap_or(&decoded).to_owned();
    let shown = PathBuf::from("content/2024/INC-2024-999.md");
    let file = match content::split(shown, text.clone()) {
        Ok(file) => file,
        Err(error) => {
            check_diagnostic(&error, &text);
            return;
        }
    };
    // The ranges must be on character boundaries, or these slices panic.
    let body = file.body().to_owned();
    let _ = file.front_matter();
    let checked = validate::validate_file(file, &TAXONOMY, &LINTS);
    for diagnostic in &checked.diagnostics {
        check_diagnostic(diagnostic, &text);
    }
    diagnostic::json::write(&mut Vec::new(), 1, &checked.diagnostics).expect("writing to memory");
    if let Some(retro) = checked.retro {
        assert_eq!(retro.body(), body, "the retro keeps the body exactly as written");
        assert!(!checked.diagnostics.iter().any(Diagnostic::is_error), "a usable retro has no errors");
    }
});

/// A diagnostic must point into the file (1-based) and render without panicking.
fn check_diagnostic(diagnostic: &Diagnostic, text: &str) {
    if let Some(at) = diagnostic.location {
        assert!(at.line >= 1 && at.column >= 1 && at.width >= 1, "{diagnostic:?}");
        let lines = text.split_inclusive('\n').count();
        assert!(at.line <= lines + 1, "line past the end of a {lines}-line file: {diagnostic:?}");
    }
    let _ = diagnostic::render_plain(diagnostic, text);
    let _ = diagnostic::github::command(diagnostic, "content/2024/INC-2024-999.md");
}
