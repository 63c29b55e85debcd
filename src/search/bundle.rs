//! The static search bundle: pagefind, used as a library and fed with one record per retro,
//! so the published site can be searched from plain static hosting with no server.

use std::borrow::Cow;
use std::collections::BTreeMap;

use pagefind::api::{CustomRecord, PagefindIndex};
use pagefind::options::PagefindServiceConfig;

use super::SearchError;
use super::record::Record;
use crate::output::Sink;
use crate::urls::{self, BUNDLE_SHARD_SIZE as SHARD_SIZE};

/// Records handed to pagefind at once. Our patched pagefind (`vendor/pagefind/PATCHES.md`)
/// fossicks a batch on every core; a batch's copied text stays small beside the index.
const BATCH_SIZE: usize = 1_000;

/// The gzip level of the bundle's index files, as libdeflate counts (our pagefind gzips with it,
/// `vendor/pagefind/PATCHES.md`); pagefind's own is 9. On a 10,000-retro bundle's 10,493 files
/// (89.5 MB, one thread) level 1 took 0.67 s and wrote 39.96 MB, where zlib-rs, which
/// pagefind used, took 1.17 s at level 2 for 40.40 MB and 1.42 s at level 3 for 39.41 MB.
const GZIP_LEVEL: u32 = 1;

/// Bundle files we never load: pagefind's own UIs and playground (the theme has its own page).
fn is_unused(name: &str) -> bool {
    ["pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight", "playground"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// What the bundle holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct BundleStats {
    /// Files written.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Indexes `records` with pagefind and writes the bundle into `sink` under `pagefind/` (and
/// `pagefind-2/`, … for a library of more than [`SHARD_SIZE`] retros).
pub fn write(records: &[Record<'_>], sink: &dyn Sink) -> Result<BundleStats, SearchError> {
    write_sharded(records, SHARD_SIZE, sink)
}

/// [`write`] with `shard_size` records per index; each index is dropped before the next is built.
fn write_sharded(
    records: &[Record<'_>],
    shard_size: usize,
    sink: &dyn Sink,
) -> Result<BundleStats, SearchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| SearchError::Bundle(format!("cannot start the indexing runtime: {e}")))?;
    let mut stats = BundleStats::default();
    let dirs = urls::bundle_shards_of(records.len(), shard_size);
    // Retros are dealt out in turn, so every shard spans every year: browsing by date, pagefind
    // merges shards by each result's rank within its shard, which then keeps the merged list in
    // date order to within a few places.
    for (shard, dir) in deal(records, dirs.len()).iter().zip(dirs) {
        let files = runtime.block_on(index(shard))?;
        for file in files {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            if is_unused(&name) {
                continue;
            }
            sink.write(&format!("{dir}/{name}"), &file.contents)?;
            stats.files += 1;
            stats.bytes += file.contents.len() as u64;
        }
    }
    Ok(stats)
}

/// `items` dealt out in turn into `hands` hands, keeping their order within each.
fn deal<T>(items: &[T], hands: usize) -> Vec<Vec<&T>> {
    let mut dealt: Vec<Vec<&T>> = (0..hands.max(1)).map(|_| Vec::new()).collect();
    let count = dealt.len();
    for (n, item) in items.iter().enumerate() {
        dealt[n % count].push(item);
    }
    dealt
}

async fn index(records: &[&Record<'_>]) -> Result<Vec<pagefind::api::SyntheticFile>, SearchError> {
    let bundle_error = |e: anyhow::Error| SearchError::Bundle(format!("{e:#}"));
    let config =
        PagefindServiceConfig::builder().keep_index_url(true).force_language("en".to_owned()).build();
    let mut index = PagefindIndex::new(Some(config)).map_err(bundle_error)?;
    index.set_gzip_level(GZIP_LEVEL).await;
    for batch in records.chunks(BATCH_SIZE) {
        let batch = batch.iter().map(|record| custom_record(record)).collect();
        index.add_custom_records(batch).await.map_err(bundle_error)?;
    }
    let files = index.get_files().await.map_err(bundle_error)?;
    // The index's word maps are not needed any more, and freeing them is the bundle's last step.
    crate::background::drop_later(index);
    Ok(files)
}

/// The pagefind record of a retro.
fn custom_record(record: &Record<'_>) -> CustomRecord {
    let (content, meta, filters, sort) = fields(record);
    CustomRecord {
        url: urls::retro(&record.retro.id),
        content,
        language: "en".to_owned(),
        meta: Some(meta),
        filters: Some(filters),
        sort: Some(sort),
    }
}

type Meta = BTreeMap<String, String>;
type Filters = BTreeMap<String, Vec<String>>;

/// `text` weighted `weight` times plain text, in pagefind's own markers (what it makes of HTML's
/// `data-pagefind-weight`): the same boosts as `hindsight search` gives labels, titles and
/// summaries, so that a label's name ranks its retros first on the static page too.
fn weighted(text: &str, weight: u8) -> String {
    format!("___PAGEFIND_WEIGHT___{weight} {text} ___END_PAGEFIND_WEIGHT___")
}

/// What starts each of pagefind's markers in the text it indexes.
const MARKERS: [&str; 2] = ["___PAGEFIND_", "___END_PAGEFIND_"];

/// `text` with pagefind's markers defused: a word of a retro written as one of them
/// (`___PAGEFIND_WEIGHT___10`, `___END_PAGEFIND_WEIGHT___`) would weigh the rest of its retro
/// or make up a section. A zero-width space goes before each such word: pagefind looks for
/// markers first and drops zero-width spaces from words after, so the word is indexed and shown
/// as written.
fn defused(text: &str) -> Cow<'_, str> {
    let mut starts: Vec<usize> = MARKERS
        .iter()
        .flat_map(|marker| text.match_indices(marker).map(|(at, _)| at))
        .filter(|&at| text[..at].chars().next_back().is_none_or(char::is_whitespace))
        .collect();
    if starts.is_empty() {
        return Cow::Borrowed(text);
    }
    starts.sort_unstable();
    let mut out = String::with_capacity(text.len() + starts.len() * '\u{200B}'.len_utf8());
    let mut last = 0;
    for at in starts {
        out.push_str(&text[last..at]);
        out.push('\u{200B}');
        last = at;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The record's searchable text, its display metadata, its facet filters and its sort key.
fn fields(record: &Record<'_>) -> (String, Meta, Filters, Meta) {
    let retro = record.retro;
    let summary = retro.summary.clone().unwrap_or_default();
    let content = [
        weighted(&defused(&retro.title), 3),
        weighted(&defused(&record.labels), 6),
        weighted(&defused(&summary), 2),
        defused(record.body).into_owned(),
        defused(&record.actions()).into_owned(),
    ]
    .join("\n\n");
    let meta = BTreeMap::from([
        ("title".to_owned(), retro.title.clone()),
        ("date".to_owned(), record.date()),
        ("severity".to_owned(), retro.severity.clone()),
        ("summary".to_owned(), summary),
        ("services".to_owned(), retro.services.join(", ")),
        ("id".to_owned(), retro.id.clone()),
    ]);
    let filters = BTreeMap::from([
        ("service".to_owned(), retro.services.clone()),
        ("failure_mode".to_owned(), retro.failure_modes.clone()),
        ("factor".to_owned(), retro.contributing_factors.clone()),
        ("severity".to_owned(), vec![retro.severity.clone()]),
        ("team".to_owned(), retro.teams.clone()),
        ("year".to_owned(), vec![record.year()]),
        // Not shown as a filter: lets the page rank a label's retros first for an alias.
        ("alias".to_owned(), record.aliases.clone()),
    ]);
    let sort = BTreeMap::from([("date".to_owned(), record.date())]);
    (content, meta, filters, sort)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::testing;
    use crate::taxonomy::Taxonomy;

    #[test]
    fn a_word_written_as_a_pagefind_marker_is_defused_and_kept() {
        let zwsp = '\u{200B}';
        assert!(matches!(defused("no markers here, ___ nor PAGEFIND"), Cow::Borrowed(_)));
        assert!(matches!(defused("mid-word x___PAGEFIND_WEIGHT___9"), Cow::Borrowed(_)));
        assert_eq!(
            defused(
                "___PAGEFIND_WEIGHT___10 boost\n___END_PAGEFIND_WEIGHT___ and\t___PAGEFIND_ANCHOR___h2:x"
            ),
            format!(
                "{zwsp}___PAGEFIND_WEIGHT___10 boost\n{zwsp}___END_PAGEFIND_WEIGHT___ and\t{zwsp}___PAGEFIND_ANCHOR___h2:x"
            )
        );
    }

    #[test]
    fn only_our_own_markers_reach_pagefind_from_a_retro() {
        let mut retro = testing::retro("INC-1", "2026-01-02", "SEV2", "payments", "timeout");
        retro.title = "___END_PAGEFIND_WEIGHT___ title".to_owned();
        retro.summary = Some("summary ___PAGEFIND_WEIGHT___10".to_owned());
        let body = "body\n___PAGEFIND_AUTO_WEIGHT___9 ___PAGEFIND_ANCHOR___h1:INC-1:top words";
        let record = Record::new(&retro, body, &Taxonomy::permissive());
        let (content, _, _, _) = fields(&record);
        let markers: Vec<&str> =
            content.split_whitespace().filter(|word| MARKERS.iter().any(|m| word.starts_with(m))).collect();
        let weights = ["___PAGEFIND_WEIGHT___3", "___PAGEFIND_WEIGHT___6", "___PAGEFIND_WEIGHT___2"];
        let ours: Vec<&str> = weights.iter().flat_map(|w| [*w, "___END_PAGEFIND_WEIGHT___"]).collect();
        assert_eq!(markers, ours);
        assert!(content.contains("___PAGEFIND_AUTO_WEIGHT___9"), "the retro's own words stay in its text");
    }

    #[test]
    fn every_shard_gets_every_kth_retro_so_each_spans_all_dates() {
        let newest_first: Vec<u32> = (0..7).collect();
        let shards = deal(&newest_first, 3);
        assert_eq!(shards, [vec![&0, &3, &6], vec![&1, &4], vec![&2, &5]]);
        assert_eq!(deal(&newest_first, 0).len(), 1, "never zero shards");
    }
}
