//! What the static search page's "find similar incidents" mode needs to rank retros against
//! pasted text in the browser, with no server: the library's term statistics, in small files.
//!
//! They come from the same lists as `hindsight similar -` ([`similar::TextStatistics`]), so
//! the page ranks as the CLI does. Three kinds of file, each gzipped JSON that the page
//! decompresses itself (so the bytes on the wire are small on any static host):
//! - `words`: every word of the library as written with the term (its stem) it folds into and
//!   how many retros use that term, split by a hash of the word; the page fetches the shards
//!   its pasted words fall in, to weigh them by TF-IDF. A word no retro writes is not counted, even if a retro has its stem;
//!   `hindsight similar -` counts it (the one way the page may rank differently);
//! - `postings`: for each word, the retros that weigh it most with their weight (the CLI's
//!   inverted lists), split finely by the same hash; the page fetches those of its top words;
//! - `retros`: id, title, date, severity and services of the retros, in library order, in
//!   chunks; the page fetches the chunks of the retros it shows.
//!
//! Each file's name carries a hash of its content, so browsers may cache it for good; only
//! the small manifest naming them ([`urls::SIMILAR_MANIFEST`]) changes from build to build.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::write::GzEncoder;
use rayon::prelude::*;
use serde::Serialize;

use super::SearchError;
use crate::library::Library;
use crate::model::Retro;
use crate::output::Sink;
use crate::similar::{self, Statistics};
use crate::urls;

/// Words per `words` shard: a pasted text's words fall in most shards, so few large ones.
const WORDS_PER_SHARD: usize = 4_096;
/// Inverted-list entries per `postings` shard: the page reads at most one shard per top word.
const ENTRIES_PER_SHARD: usize = 1_024;
/// Retros per `retros` chunk.
const RETROS_PER_CHUNK: usize = 128;
/// Weights travel as integers in units of 1/[`WEIGHT_SCALE`].
const WEIGHT_SCALE: f64 = 10_000.0;
/// Version of the files' shape, for the page to refuse a shape it does not know.
const SCHEMA: u32 = 2;

/// The manifest: how many retros, and the content hash of every file, by kind and number.
#[derive(Debug, Serialize)]
struct Manifest {
    schema: u32,
    retros: usize,
    retros_per_chunk: usize,
    /// Words of the pasted text kept for comparing ([`similar::KEYWORDS`]).
    keywords: usize,
    /// Below this cosine a retro is not shown ([`similar::MIN_TEXT_SCORE`]).
    min_score: f64,
    weight_scale: f64,
    words: Vec<String>,
    postings: Vec<String>,
    chunks: Vec<String>,
}

/// Writes the similar mode's files for `library`, whose words are counted in `statistics`
/// ([`similar::compute`]), into `sink` under [`urls::SIMILAR_DIR`].
pub fn write(library: &Library, statistics: &Statistics<'_>, sink: &dyn Sink) -> Result<(), SearchError> {
    let manifest = Manifest {
        schema: SCHEMA,
        retros: library.retros.len(),
        retros_per_chunk: RETROS_PER_CHUNK,
        keywords: similar::KEYWORDS,
        min_score: similar::MIN_TEXT_SCORE,
        weight_scale: WEIGHT_SCALE,
        words: write_words(statistics, sink)?,
        postings: write_postings(statistics.terms, statistics.postings, sink)?,
        chunks: write_retros(&library.retros, sink)?,
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| SearchError::Bundle(e.to_string()))?;
    sink.write(urls::SIMILAR_MANIFEST, &json)?;
    Ok(())
}

/// The `words` shards: each word as written → `[term, retros using the term]`, so one lookup
/// of a pasted word gives all the page needs to weigh it.
fn write_words(statistics: &Statistics<'_>, sink: &dyn Sink) -> Result<Vec<String>, SearchError> {
    let entries = statistics.written.iter().map(Vec::len).sum::<usize>();
    let count = entries.div_ceil(WORDS_PER_SHARD).max(1);
    let mut shards: Vec<BTreeMap<&str, (&str, u32)>> = vec![BTreeMap::new(); count];
    for ((term, &df), written) in statistics.terms.iter().zip(statistics.frequencies).zip(statistics.written)
    {
        for word in written {
            shards[shard_of(word, count)].insert(word, (term, df));
        }
    }
    write_shards("words", &shards, sink)
}

/// The `postings` shards: word → `[retro, weight, retro, weight, …]`, strongest first.
fn write_postings(
    words: &[String],
    postings: &[Vec<(u32, f64)>],
    sink: &dyn Sink,
) -> Result<Vec<String>, SearchError> {
    let entries: usize = postings.iter().map(Vec::len).sum();
    let count = entries.div_ceil(ENTRIES_PER_SHARD).max(1);
    let mut shards: Vec<BTreeMap<&str, Vec<u64>>> = vec![BTreeMap::new(); count];
    for (word, list) in words.iter().zip(postings).filter(|(_, list)| !list.is_empty()) {
        let flat = list.iter().flat_map(|&(retro, weight)| [u64::from(retro), scaled(weight)]).collect();
        shards[shard_of(word, count)].insert(word, flat);
    }
    write_shards("postings", &shards, sink)
}

/// A weight in 0..1 as an integer number of 1/[`WEIGHT_SCALE`].
fn scaled(weight: f64) -> u64 {
    // A unit vector's weights lie in 0..=1, so the product fits in a u64.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0 ≤ weight ≤ 1")]
    let scaled = (weight.clamp(0.0, 1.0) * WEIGHT_SCALE).round() as u64;
    scaled
}

/// The `retros` chunks: `[id, title, date, severity, services, page]` per retro.
fn write_retros(retros: &[Retro], sink: &dyn Sink) -> Result<Vec<String>, SearchError> {
    let chunks: Vec<Vec<[String; 6]>> = retros
        .chunks(RETROS_PER_CHUNK)
        .map(|chunk| {
            chunk
                .iter()
                .map(|retro| {
                    [
                        retro.id.clone(),
                        retro.title.clone(),
                        crate::format::iso_date(retro.date),
                        retro.severity.clone(),
                        retro.services.join(", "),
                        urls::retro(&retro.id),
                    ]
                })
                .collect()
        })
        .collect();
    let chunks = if chunks.is_empty() { vec![Vec::new()] } else { chunks };
    write_shards("retros", &chunks, sink)
}

/// Writes each shard as gzipped JSON under a name holding its hash; returns the hashes in order.
/// The shards are compressed in parallel: at level 9, one after another, they took 1.2% of a
/// 1,000-retro build's instructions, all on the main thread between two stages.
fn write_shards<T: Serialize + Sync>(
    kind: &str,
    shards: &[T],
    sink: &dyn Sink,
) -> Result<Vec<String>, SearchError> {
    shards
        .par_iter()
        .enumerate()
        .map(|(number, shard)| {
            let bytes = gzipped(shard)?;
            let hash = format!("{:016x}", fnv1a64(&bytes));
            sink.write(&urls::similar_file(kind, number, &hash), &bytes)?;
            Ok(hash)
        })
        .collect()
}

fn gzipped<T: Serialize>(value: &T) -> Result<Vec<u8>, SearchError> {
    let json = serde_json::to_vec(value).map_err(|e| SearchError::Bundle(e.to_string()))?;
    // flate2's default gzip header has no time or name in it: the same input, the same bytes.
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    encoder.write_all(&json).and_then(|()| encoder.finish()).map_err(|e| SearchError::Bundle(e.to_string()))
}

/// The shard of `word` among `count`: FNV-1a (32 bits) of its UTF-8 bytes, which the page
/// computes the same way (`search.js`), modulo `count`.
fn shard_of(word: &str, count: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in word.as_bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % count
}

/// FNV-1a (64 bits): a file's content hash, for its name (not a security measure).
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hash_to_the_shard_the_page_computes() {
        // The same values as search.js's fnv1a32 on these words (checked in the browser test).
        assert_eq!(shard_of("", 1_000_000), 0x811c_9dc5 % 1_000_000);
        assert_eq!(shard_of("pool", 7), shard_of("pool", 7));
        assert_ne!(shard_of("pool", 1 << 20), shard_of("loop", 1 << 20));
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
    }

    #[test]
    fn weights_travel_as_ten_thousandths() {
        assert_eq!(scaled(0.123_46), 1_235);
        assert_eq!(scaled(1.5), 10_000);
        assert_eq!(scaled(-0.1), 0);
    }

    #[test]
    fn gzipped_files_are_byte_for_byte_reproducible() {
        let shard = BTreeMap::from([("pool", 3u32)]);
        assert_eq!(gzipped(&shard).expect("gzip"), gzipped(&shard).expect("gzip"));
    }
}
