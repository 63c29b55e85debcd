//! The static search page's "find similar incidents" files (`similar/`): what the manifest
//! names is there, is named by its content, holds the words that point at a retro, and is the
//! same from one build to the next. The page itself is driven in a browser (`browser.rs`).

use std::io::Read;
use std::path::Path;

use crate::support::{build_fixture, files_under, shared_build};

fn manifest(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("similar/manifest.json")).expect("similar/manifest.json");
    serde_json::from_str(&text).expect("the manifest is JSON")
}

/// The files the manifest names, as (kind, path) in order.
fn named_files(manifest: &serde_json::Value) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (kind, key) in [("words", "words"), ("postings", "postings"), ("retros", "chunks")] {
        for (number, hash) in manifest[key].as_array().expect("a list of hashes").iter().enumerate() {
            let hash = hash.as_str().expect("a hash");
            files.push((kind.to_owned(), format!("similar/{kind}-{number}-{hash}.bin")));
        }
    }
    files
}

fn gunzipped_json(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).expect("a similar file");
    let mut json = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice()).read_to_string(&mut json).expect("gzip");
    serde_json::from_str(&json).expect("gzipped JSON")
}

#[test]
fn the_manifest_names_every_similar_file_and_nothing_else_is_there() {
    let (out, run) = shared_build("library");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = manifest(&out);
    assert_eq!(manifest["schema"], 2);
    assert_eq!(manifest["retros"], 5, "published retros only");
    let named = named_files(&manifest);
    let mut expected: Vec<String> = named.iter().map(|(_, path)| path.clone()).collect();
    expected.push("similar/manifest.json".to_owned());
    expected.sort();
    let written: Vec<String> = files_under(&out).into_iter().filter(|f| f.starts_with("similar/")).collect();
    assert_eq!(written, expected);
}

#[test]
fn the_word_a_pasted_alert_shares_with_one_retro_points_at_that_retro() {
    let (out, _run) = shared_build("library");
    let manifest = manifest(&out);
    let files = named_files(&manifest);
    let retros: Vec<serde_json::Value> = files
        .iter()
        .filter(|(kind, _)| kind == "retros")
        .flat_map(|(_, path)| gunzipped_json(&out.join(path)).as_array().expect("a chunk").clone())
        .collect();
    let ids: Vec<&str> = retros.iter().map(|retro| retro[0].as_str().expect("an id")).collect();
    assert!(!ids.contains(&"SECRET-1"), "no restricted retro: {ids:?}");
    let postings = files
        .iter()
        .filter(|(kind, _)| kind == "postings")
        .find_map(|(_, path)| gunzipped_json(&out.join(path)).get("nxdomain").cloned())
        .expect("an inverted list for nxdomain");
    let list = postings.as_array().expect("[retro, weight, …]");
    let retro = usize::try_from(list[0].as_u64().expect("a retro number")).expect("small");
    assert_eq!(ids[retro], "BETA-1", "{list:?}");
    assert_eq!(retros[retro][5], "retros/BETA-1.html");
    let weight = list[1].as_u64().expect("a weight");
    assert!(weight > 0 && weight <= 10_000, "{weight}");
    // Each word as written → [its stem, how many retros use the stem]: one lookup per word.
    let word = |word: &str| {
        files
            .iter()
            .filter(|(kind, _)| kind == "words")
            .find_map(|(_, path)| gunzipped_json(&out.join(path)).get(word).cloned())
            .unwrap_or_else(|| panic!("{word} in a words shard"))
    };
    assert_eq!(word("nxdomain"), serde_json::json!(["nxdomain", 1]));
    assert_eq!(word("retries")[0], word("retry")[0], "one stem for both");
}

#[test]
fn similar_files_are_the_same_from_one_build_to_the_next() {
    let (first, _run) = shared_build("library");
    let (_dir, second, run) = build_fixture("library", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (_, path) in named_files(&manifest(&first)) {
        assert_eq!(std::fs::read(first.join(&path)).ok(), std::fs::read(second.join(&path)).ok(), "{path}");
    }
}

/// A text in the words of the page's similar mode (tests/browser/words.mjs), one per line.
fn words_the_page_reads(text: &str) -> Vec<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/words.mjs");
    let mut node = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (.ci/test needs it for the browser tests too)");
    node.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write to node");
    let run = node.wait_with_output().expect("node ends");
    assert!(run.status.success(), "words.mjs failed");
    String::from_utf8(run.stdout).expect("utf-8").lines().map(str::to_owned).collect()
}

#[test]
fn the_page_reads_a_pasted_word_as_the_build_wrote_it_whatever_its_case() {
    // Lower-casing a whole text in JavaScript ends "ΟΔΟΣ" with the final sigma and splits
    // "İstanbul" at the dot it gains; the build lower-cases each character of each word, and
    // leaves out words of 30 bytes or more as written: the Kelvin sign (3 bytes) becomes "k".
    let text = "ΟΔΟΣ gateway in İstanbul, STRAẞE cache \u{212A}ubernetesautoscalerfailures";
    let (_dir, out, _) =
        crate::support::build_fixture_appended("library", "content/2023/gamma.md", &format!("\n\n{text}\n"));
    let shards: Vec<serde_json::Value> = named_files(&manifest(&out))
        .iter()
        .filter(|(kind, _)| kind == "words")
        .map(|(_, path)| gunzipped_json(&out.join(path)))
        .collect();
    let read = words_the_page_reads(text);
    assert_eq!(read.len(), 6, "{read:?}");
    for word in read.iter().filter(|word| *word != "in") {
        assert!(shards.iter().any(|shard| shard.get(word).is_some()), "{word:?} is not in the build's words");
    }
}
