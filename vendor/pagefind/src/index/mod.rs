// PATCH(hindsight): `HashSet` for a page's meta words also in its content.
use hashbrown::{HashMap, HashSet};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::{
    // PATCH(hindsight): `FossickedWord`, for `pack_page_words`.
    fossick::{FossickedData, FossickedWord, MetaFossickedWord},
    index::index_metadata::MetaFilter,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};
use index_filter::{FilterIndex, PackedValue};
use index_metadata::{MetaChunk, MetaIndex, MetaPage};
use index_words::{PackedPage, PackedVariant, PackedWord, WordIndex};

use self::index_metadata::MetaSort;

mod index_filter;
mod index_metadata;
mod index_words;

pub struct PagefindIndexes {
    pub word_indexes: HashMap<String, Vec<u8>>,
    pub filter_indexes: HashMap<String, Vec<u8>>,
    pub meta_index: (String, Vec<u8>),
    pub fragments: Vec<(String, String)>,
    pub sorts: Vec<String>,
    pub language: String,
    pub word_count: usize,
    pub page_count: usize,
}

#[derive(Clone)]
struct IntermediaryPageData {
    full_hash: String,
    encoded_data: String,
    word_count: usize,
    page_number: usize,
}

#[derive(Debug)]
enum SortType {
    String,
    Number,
}

// PATCH(hindsight): a page's words borrow the page's own strings, and `merge` copies a word
// only when the whole site first has it; each page used to build a `HashMap<String,
// PackedWord>` with two copies of every word and a deep copy of every position, which
// `merge` then freed (most of `build_indexes`' allocations, copies and frees at 10,000 pages).
/// One word of one page: its page (positions without diacritics and meta positions), and
/// its diacritic variants' pages in the order `merge` adds them.
struct PageWord<'p> {
    word: &'p str,
    page: Option<PageLocs<'p>>,
    variants: Vec<(&'p str, PageLocs<'p>)>,
}

// PATCH(hindsight): a page of a word, its locations borrowed from the page's packed words
// (change 10) rather than copied into a `PackedPage`; `merge` appends them to the word's
// `CompactWord` and the page's number is added there.
struct PageLocs<'p> {
    locs: &'p [i32],
    meta_locs: Vec<i32>,
}

// PATCH(hindsight): the site's word map holds each word's pages compactly while it is merged:
// one `Vec<i32>` per word (and per diacritic variant) with each page appended as `[page_number,
// locs.len(), locs.., meta_locs.len(), meta_locs..]`, instead of a `PackedPage` (56 bytes) and a
// `Vec` of locations per (word, page), the peak of a build's memory at 10,000 pages (#842,
// ~293 MB in this map). A word becomes a `PackedWord` only when its chunk is encoded.
/// A word of the site, its pages (in page order) packed one after another
struct CompactWord {
    word: String,
    pages: Vec<i32>,
    additional_variants: Vec<CompactVariant>,
}

struct CompactVariant {
    form: String,
    pages: Vec<i32>,
}

// PATCH(hindsight): how many pages `build_indexes` processes at once (change 4).
const PAGE_CHUNK: usize = 512;

/// Appends a page to a word's (or variant's) compact pages
fn push_compact_page(pages: &mut Vec<i32>, page_number: usize, locs: &[i32], meta_locs: &[i32]) {
    // Page numbers are below u32::MAX (checked before the words are encoded), and so are the
    // lengths (a page's positions are u32)
    pages.push(page_number as u32 as i32);
    pages.push(locs.len() as u32 as i32);
    pages.extend_from_slice(locs);
    pages.push(meta_locs.len() as u32 as i32);
    pages.extend_from_slice(meta_locs);
}

/// Each page of compact pages: its number, locations and meta locations
fn compact_pages(pages: &[i32]) -> impl Iterator<Item = (usize, &[i32], &[i32])> + '_ {
    let mut rest = pages;
    std::iter::from_fn(move || {
        let (&page_number, tail) = rest.split_first()?;
        let (&len, tail) = tail.split_first().unwrap();
        let (locs, tail) = tail.split_at(len as u32 as usize);
        let (&len, tail) = tail.split_first().unwrap();
        let (meta_locs, tail) = tail.split_at(len as u32 as usize);
        rest = tail;
        Some((page_number as u32 as usize, locs, meta_locs))
    })
}

fn expand_pages(pages: &[i32]) -> Vec<PackedPage> {
    let pages: Vec<PackedPage> = compact_pages(pages)
        .map(|(page_number, locs, meta_locs)| PackedPage {
            page_number,
            locs: locs.to_vec(),
            meta_locs: meta_locs.to_vec(),
        })
        .collect();
    // Pages are merged in page order, so they need no sorting (they were sorted by number)
    debug_assert!(pages
        .windows(2)
        .all(|p| p[0].page_number <= p[1].page_number));
    pages
}

impl CompactWord {
    /// The word as it is encoded
    fn expand(self) -> PackedWord {
        PackedWord {
            pages: expand_pages(&self.pages),
            additional_variants: self
                .additional_variants
                .into_iter()
                .map(|variant| PackedVariant {
                    pages: expand_pages(&variant.pages),
                    form: variant.form,
                })
                .collect(),
            word: self.word,
        }
    }

    /// What `chunk_index` counts of the word
    fn size(&self) -> usize {
        self.additional_variants
            .iter()
            .map(|v| &v.pages)
            .chain([&self.pages])
            .flat_map(|pages| compact_pages(pages))
            .map(|(_, locs, meta_locs)| locs.len() + meta_locs.len() + 1)
            .sum::<usize>()
            + self.additional_variants.len()
    }
}

// PATCH(hindsight): a page's words are packed as the page is fossicked (`pack_page_words`),
// not kept as one `FossickedWord` (32 bytes) per occurrence until the indexes are built: those
// were most of a build's memory at 10,000 pages (#842). What depends on the site (the page's
// number, the meta fields' order) is added by `build_indexes`.
/// A page's words: each word and the locations (as in `PackedPage::locs`) of its positions
/// without diacritics follow one another in `text` and `locs`, and `ends` has where each word
/// and its locations end; diacritic variants (rare) are in `variants` with their word's number,
/// by word and form.
#[derive(Debug, Clone)]
pub struct PackedPageWords {
    text: String,
    locs: Vec<i32>,
    ends: Vec<(u32, u32)>,
    variants: Vec<(u32, String, Vec<i32>)>,
}

type PackedVariants = [(u32, String, Vec<i32>)];

impl PackedPageWords {
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Each word, its locations without diacritics (empty if it has none) and its variants
    fn iter(&self) -> impl Iterator<Item = (&str, &[i32], &PackedVariants)> + '_ {
        let mut starts = (0, 0);
        let mut variants = &self.variants[..];
        self.ends
            .iter()
            .enumerate()
            .map(move |(n, &(text_end, locs_end))| {
                let word = &self.text[starts.0 as usize..text_end as usize];
                let locs = &self.locs[starts.1 as usize..locs_end as usize];
                starts = (text_end, locs_end);
                let count = variants.iter().take_while(|v| v.0 as usize == n).count();
                let (word_variants, rest) = variants.split_at(count);
                variants = rest;
                (word, locs, word_variants)
            })
    }
}

// PATCH(hindsight): what `process_page` did with a page's content words, done when the page is
// fossicked; the `FossickedWord`s are freed here.
pub fn pack_page_words(word_data: HashMap<String, Vec<FossickedWord>>) -> PackedPageWords {
    let mut packed = PackedPageWords {
        text: String::with_capacity(word_data.keys().map(String::len).sum()),
        locs: Vec::with_capacity(word_data.values().map(Vec::len).sum()),
        ends: Vec::with_capacity(word_data.len()),
        variants: Vec::new(),
    };
    let mut normalized_positions: Vec<(u8, u32)> = Vec::new();
    for (n, (word, positions)) in word_data.into_iter().enumerate() {
        // Group positions by original_word for this page
        normalized_positions.clear();
        let mut variant_positions: BTreeMap<String, Vec<(u8, u32)>> = BTreeMap::new();
        for fossicked in positions {
            match fossicked.original_word {
                // No diacritics - original matches normalized form
                None => normalized_positions.push((fossicked.weight, fossicked.position)),
                // Original form differs (has diacritics) - stored instead in additional_variants
                Some(original) => variant_positions
                    .entry(original)
                    .or_default()
                    .push((fossicked.weight, fossicked.position)),
            }
        }
        packed.text.push_str(&word);
        positions_to_locs(&mut normalized_positions, &mut packed.locs);
        // Positions are u32, so a page's words and locations are far fewer than u32::MAX
        packed
            .ends
            .push((packed.text.len() as u32, packed.locs.len() as u32));
        for (form, mut positions) in variant_positions {
            let mut locs = Vec::new();
            positions_to_locs(&mut positions, &mut locs);
            packed.variants.push((n as u32, form, locs));
        }
    }
    packed.locs.shrink_to_fit();
    packed
}

/// Results from processing a single page in parallel.
/// Contains the words, filter entries, and encoded page data for one page.
struct PageProcessingResult<'p> {
    // PATCH(hindsight): the page's words, borrowed from the page (changes 9 and 16).
    words: Vec<PageWord<'p>>,
    filter_entries: Vec<(String, String, usize)>, // (filter, value, page_number)
    encoded_page: IntermediaryPageData,
}

// PATCH(hindsight): takes the pages by reference (they stay in the `SearchState`) instead of a
// copy of each (#842); a page's number is its place in `pages`, as before.
pub async fn build_indexes<'p>(
    pages: Vec<&'p FossickedData>,
    language: String,
    options: &SearchOptions,
) -> Result<PagefindIndexes> {
    let mut meta = MetaIndex {
        version: options.version.into(),
        pages: Vec::new(),
        index_chunks: Vec::new(),
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: Vec::new(),
    };

    /*
        - Collect all sort keys
        - Sort `pages` by one of them and set `default_sort`
        - Do the main enumerate loop as an iter_mut and set page numbers
        - Later on, for each other sort key:
            - Sort the `pages` array and output the page numbers to `alternate_sorts`
    */

    let mut filter_map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut fragment_hashes: HashMap<String, IntermediaryPageData> = HashMap::new();
    let mut fragments: Vec<(usize, (String, IntermediaryPageData))> = Vec::new();

    // Get all possible sort keys
    let mut sorts: Vec<_> = pages
        .iter()
        .flat_map(|page| page.sort.keys().cloned())
        .collect();
    sorts.sort_unstable();
    sorts.dedup();

    // Determine the best sorting parser that fits all available values for each given key
    let mut sort_types: BTreeMap<String, SortType> = BTreeMap::new();
    for sort in sorts.iter() {
        let mut sort_values = pages.iter().flat_map(|page| page.sort.get(sort));
        sort_types.insert(
            sort.clone(),
            if sort_values.all(|v| parse_int_sort(v).is_some() || parse_float_sort(v).is_some()) {
                SortType::Number
            } else {
                SortType::String
            },
        );
    }

    for (sort_key, sort_type) in sort_types {
        // PATCH(hindsight): a page's number is its place in `pages` (change 3), where it was
        // `page.fragment.page_number`.
        let mut page_values: Vec<_> = pages
            .iter()
            .enumerate()
            .flat_map(|(page_number, page)| {
                page.sort
                    .get(&sort_key)
                    .map(|v| (v, page_number))
            })
            .collect();
        options.logger.v_info(format!(
            "Prebuilding sort order for {sort_key}, processed as type: {sort_type:#?}"
        ));
        match sort_type {
            SortType::String => page_values.sort_by_key(|p| p.0),
            SortType::Number => page_values.sort_by(|p1, p2| {
                let p1 = parse_int_sort(p1.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p1.0).unwrap_or_default());
                let p2 = parse_int_sort(p2.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p2.0).unwrap_or_default());

                p1.total_cmp(&p2)
            }),
        }
        meta.sorts.push(MetaSort {
            sort: sort_key,
            pages: page_values.into_iter().map(|p| p.1).collect(),
        });
    }

    let mut meta_fields_set: BTreeSet<String> = BTreeSet::new();
    for page in pages.iter() {
        meta_fields_set.extend(page.fragment.data.meta.keys().cloned());
    }
    meta.meta_fields = meta_fields_set.into_iter().collect();

    // Clone meta_fields for use in parallel processing
    let meta_fields_ref = meta.meta_fields.clone();
    let language_ref = language.clone();

    // Process pages in parallel - each page builds its own list of words
    let process_page = |(page_number, page): (usize, &'p FossickedData)| {
            // Meta field IDs were assigned per-page,
            // but need to be remapped to the global meta_fields order.
            let page_field_order: Vec<&String> = page.fragment.data.meta.keys().collect();
            let field_id_map: Vec<u16> = page_field_order
                .iter()
                .map(|name| meta_fields_ref.iter().position(|f| f == *name).unwrap() as u16)
                .collect();

            // PATCH(hindsight): one `PageWord` per word of the page, from its words packed when
            // it was fossicked (`pack_page_words`): each borrows its locations (the pages stay in
            // the state and may be built again; `merge` copies them into the site's word map, and
            // adds the page's number), then gets its meta positions as before. The pages and the
            // order of the variants are as before.
            let mut words: Vec<PageWord<'p>> =
                Vec::with_capacity(page.words.ends.len() + page.meta_word_data.len());
            let packed_page = |locs: &'p [i32]| PageLocs {
                locs,
                meta_locs: vec![],
            };
            let mut meta_words_in_content: HashSet<&str> = HashSet::new();

            for (word, locs, variants) in page.words.iter() {
                let mut page_word = PageWord {
                    word,
                    page: (!locs.is_empty()).then(|| packed_page(locs)),
                    variants: variants
                        .iter()
                        .map(|(_, form, locs)| (form.as_str(), packed_page(locs)))
                        .collect(),
                };

                if let Some(meta_positions) = page.meta_word_data.get(word) {
                    add_meta_positions(&mut page_word, meta_positions, &field_id_map);
                    meta_words_in_content.insert(word);
                }
                words.push(page_word);
            }

            for (word, meta_positions) in &page.meta_word_data {
                if meta_words_in_content.contains(word.as_str()) {
                    continue; // Added with the word's content positions
                }
                let mut page_word = PageWord {
                    word,
                    page: None,
                    variants: Vec::new(),
                };
                add_meta_positions(&mut page_word, meta_positions, &field_id_map);
                words.push(page_word);
            }

            // Collect filter entries for this page
            let filter_entries: Vec<(String, String, usize)> = page
                .fragment
                .data
                .filters
                .iter()
                .flat_map(|(filter, values)| {
                    values.iter().map(move |value| {
                        (filter.clone(), value.clone(), page_number)
                    })
                })
                .collect();

            // Compute encoded page data
            let encoded_data = serde_json::to_string(&page.fragment.data).unwrap();
            let encoded_page = IntermediaryPageData {
                full_hash: format!("{}_{}", language_ref, full_hash(encoded_data.as_bytes())),
                word_count: page.fragment.data.word_count,
                page_number: page_number,
                encoded_data,
            };

            PageProcessingResult {
                words,
                filter_entries,
                encoded_page,
            }
        };

    // PATCH(hindsight): the words of `results` that go to half `half` of the word map (see
    // `word_half`) are merged into `word_map`, in page order; the rest of each result is merged
    // by `merge` (change 16).
    let merge_words = |word_map: &mut HashMap<String, CompactWord>,
                       results: &[PageProcessingResult<'p>],
                       half: usize| {
      for result in results {
        // PATCH(hindsight): `entry_ref` allocates a word's `String`s only when the site first has
        // the word; pages and variants are added in the same order as before, each appended to
        // the word's compact pages (change 11).
        let page_number = result.encoded_page.page_number;
        for PageWord {
            word,
            page,
            variants,
        } in &result.words
        {
            if word_half(word) != half {
                continue;
            }
            let packed = word_map.entry_ref(*word).or_insert_with(|| CompactWord {
                word: word.to_string(),
                pages: Vec::new(),
                additional_variants: Vec::new(),
            });
            if let Some(page) = page {
                push_compact_page(&mut packed.pages, page_number, page.locs, &page.meta_locs);
            }
            for (variant_form, variant_page) in variants {
                let existing_variant = packed
                    .additional_variants
                    .iter()
                    .position(|v| v.form == *variant_form);
                let variant = match existing_variant {
                    Some(existing_variant) => &mut packed.additional_variants[existing_variant],
                    None => {
                        packed.additional_variants.push(CompactVariant {
                            form: variant_form.to_string(),
                            pages: Vec::new(),
                        });
                        packed.additional_variants.last_mut().unwrap()
                    }
                };
                push_compact_page(
                    &mut variant.pages,
                    page_number,
                    variant_page.locs,
                    &variant_page.meta_locs,
                );
            }
        }
      }
    };
    // Merge results sequentially
    let mut merge = |result: PageProcessingResult<'p>| {
        // Merge filter entries using or_default for cleaner code
        for (filter, value, page_number) in result.filter_entries {
            filter_map
                .entry(filter)
                .or_default()
                .entry(value)
                .or_default()
                .push(page_number);
        }

        // Handle fragment hashing (must be sequential due to collision handling)
        let encoded_page = result.encoded_page;
        let mut short_hash = &encoded_page.full_hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one until we stop colliding
        // TODO: There are some collision issues here.
        // If two builds match a collision in different orders the hashes will swap,
        // which could return incorrect data due to files being cached.
        while let Some(collision) = fragment_hashes.get(short_hash) {
            if collision.full_hash == encoded_page.full_hash {
                // These pages are identical. Add both under the same hash.
                fragments.push((
                    collision.word_count,
                    (collision.full_hash.clone(), collision.clone()),
                ));
            } else {
                let new_length = short_hash.len();
                short_hash = &encoded_page.full_hash[0..=new_length];
            }
        }
        fragment_hashes.insert(short_hash.to_string(), encoded_page);
    };

    // PATCH(hindsight): pages are processed a chunk at a time and each chunk's results merged
    // before the next, in the same order as before; the word maps of every page of the site
    // were held at once, the largest allocation of a build (#842). The merge, which is
    // sequential, runs on this thread while the next chunk is processed in parallel: at the
    // end of a hindsight build it was the only work left for a while (change 15).
    // The words are merged into two halves of the word map (change 16): this thread merges the
    // first, then the second unless the pool has taken it, as it does once it has nothing else
    // to do. A last round with no chunk merges the last chunk.
    // PATCH(hindsight): each word's pages compact until its chunk is encoded (change 11).
    let mut word_halves: [HashMap<String, CompactWord>; 2] = [HashMap::new(), HashMap::new()];
    let mut processed: Vec<PageProcessingResult> = Vec::new();
    let chunks = pages.chunks(PAGE_CHUNK).map(Some).chain(std::iter::once(None));
    for (chunk_number, chunk) in chunks.enumerate() {
        let mut next: Vec<PageProcessingResult> = Vec::new();
        let [first_half, second_half] = &mut word_halves;
        let second_half = std::sync::Mutex::new(second_half);
        let second_taken = std::sync::atomic::AtomicBool::new(false);
        let merge_second_half = || {
            if !second_taken.swap(true, std::sync::atomic::Ordering::Relaxed) {
                let mut second_half = second_half.lock().unwrap_or_else(|e| e.into_inner());
                merge_words(&mut second_half, &processed, 1);
            }
        };
        rayon::in_place_scope(|scope| {
            if let Some(chunk) = chunk {
                scope.spawn(|_| {
                    next = chunk
                        .par_iter()
                        .enumerate()
                        .map(|(i, page)| process_page((chunk_number * PAGE_CHUNK + i, *page)))
                        .collect();
                });
            }
            scope.spawn(|_| merge_second_half());
            merge_words(first_half, &processed, 0);
            merge_second_half();
        });
        processed.drain(..).for_each(&mut merge);
        processed = next;
    }
    let [mut word_map, second_half] = word_halves;
    word_map.extend(second_half);

    // PATCH(hindsight): pages are merged in page order, so each word's pages are in order
    // already: the sort by page_number that was here changed nothing and is now a
    // `debug_assert!` in `expand_pages`.

    fragments.extend(
        fragment_hashes
            .into_iter()
            .map(|(hash, frag)| (frag.word_count, (hash, frag))),
    );
    fragments.sort_by_cached_key(|(_, (_, fragment))| fragment.page_number);

    let page_count = fragments.len();
    let mut final_fragments = Vec::new();

    if let Some(max_fragments) =
        options.max_fragments.filter(|&m| m > 0 && (m as usize) < fragments.len())
    {
        let group_size = (fragments.len() as f32 / max_fragments as f32).ceil() as usize;
        options.logger.info(format!(
            "Bundling {} fragments into groups of {}, resulting in {} files",
            fragments.len(),
            group_size,
            fragments.chunks(group_size).len()
        ));
        let mut group_hashes: BTreeSet<String> = BTreeSet::new();
        for chunk in fragments.chunks(group_size) {
            let mut group_map = BTreeMap::new();
            for (_, (hash, frag)) in chunk {
                let val: serde_json::Value = serde_json::from_str(&frag.encoded_data).unwrap();
                group_map.insert(hash.clone(), val);
            }
            let group_json = serde_json::to_string(&group_map).unwrap();
            let prefix = format!("{language}_group_");
            let group_hash = format!("{prefix}{}", full_hash(group_json.as_bytes()));

            // If we hit a collision, extend one hash until we stop colliding
            let mut hash_length = 7;
            let mut short_group_hash = &group_hash[..prefix.len() + hash_length];
            while group_hashes.contains(short_group_hash) && hash_length < 40 {
                hash_length += 1;
                short_group_hash = &group_hash[..prefix.len() + hash_length];
            }
            group_hashes.insert(short_group_hash.to_string());

            final_fragments.push((short_group_hash.to_string(), group_json));

            for (word_count, (hash, _)) in chunk {
                meta.pages.push(MetaPage {
                    hash: hash.clone(),
                    word_count: *word_count as u32,
                    group_hash: short_group_hash.to_string(),
                });
            }
        }
    } else {
        for (word_count, (hash, frag)) in fragments {
            final_fragments.push((hash.clone(), frag.encoded_data));
            meta.pages.push(MetaPage {
                hash: hash.clone(),
                word_count: word_count as u32,
                group_hash: "".into(),
            });
        }
    }

    // Encode filter indexes in parallel
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut filter_map_vec: Vec<_> = filter_map.into_iter().collect();
    filter_map_vec.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let encoded_filters: Vec<(String, Vec<u8>, String)> = filter_map_vec
        .into_par_iter()
        .map(|(filter, values)| {
            let mut sorted_values: Vec<_> = values.into_iter().collect();
            sorted_values.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
            let mut filter_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(
                FilterIndex {
                    filter: filter.clone(),
                    values: sorted_values
                        .into_iter()
                        .map(|(value, pages)| PackedValue { value, pages })
                        .collect(),
                },
                filter_index.as_mut(),
            );
            let hash = format!("{}_{}", language, full_hash(&filter_index));
            (filter, filter_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut filter_indexes = HashMap::new();
    for (filter, filter_index, hash) in encoded_filters {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        // TODO: DRY
        while filter_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        filter_indexes.insert(short_hash.to_string(), filter_index);
        meta.filters.push(MetaFilter {
            filter,
            hash: short_hash.to_string(),
        })
    }

    if TryInto::<u32>::try_into(meta.pages.len()).is_err() {
        options.logger.error(format!(
            "Language {} has too many documents to index, must be < {}",
            language,
            u32::MAX
        ));
        bail!(
            "Language {language} has too many documents to index, must be < {}",
            u32::MAX
        );
    }

    // TODO: Parameterize these chunk sizes via byte size rather than word count
    let word_count = word_map.len();
    let chunks = chunk_index(word_map, options.index_chunk_size);
    meta.index_chunks = chunk_meta(&chunks);

    // Encode word index chunks in parallel (delta encoding + CBOR serialization)
    let encoded_chunks: Vec<(usize, Vec<u8>, String)> = chunks
        .into_par_iter()
        .enumerate()
        .map(|(i, chunk)| {
            // Delta-encode page numbers within each word's page list
            // PATCH(hindsight): each word expanded from its compact pages here (change 11).
            let delta_chunk: Vec<PackedWord> = chunk
                .into_iter()
                .map(CompactWord::expand)
                .map(|mut word| {
                    let mut last_page: usize = 0;
                    for page in &mut word.pages {
                        let delta = page.page_number - last_page;
                        last_page = page.page_number;
                        page.page_number = delta;
                    }
                    // Also handle additional_variants
                    for variant in &mut word.additional_variants {
                        let mut last_page: usize = 0;
                        for page in &mut variant.pages {
                            let delta = page.page_number - last_page;
                            last_page = page.page_number;
                            page.page_number = delta;
                        }
                    }
                    word
                })
                .collect();

            let mut word_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<WordIndex, &mut Vec<u8>>(
                WordIndex { words: delta_chunk },
                word_index.as_mut(),
            );

            let hash = format!("{}_{}", language, full_hash(&word_index));
            (i, word_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut word_indexes: HashMap<String, Vec<u8>> = HashMap::new();
    for (i, word_index, hash) in encoded_chunks {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        while word_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        word_indexes.insert(short_hash.to_string(), word_index);
        meta.index_chunks[i].hash = short_hash.into();
    }

    let mut meta_index: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

    let meta_hash = format!(
        "{}_{}",
        language,
        &full_hash(&meta_index)[0..=(language.len() + 7)]
    );

    Ok(PagefindIndexes {
        word_indexes,
        filter_indexes,
        sorts,
        meta_index: (meta_hash, meta_index),
        fragments: final_fragments,
        language,
        word_count,
        page_count,
    })
}

/// Convert fossicked word positions to a packed page representation.
/// Sorts by weight (with common weight 25 first) then by position for delta encoding.
// PATCH(hindsight): takes (weight, position) pairs, not copies of the `FossickedWord`s; the
// sort is as stable as `sort_by_cached_key`, so the order is the same. Appends the page's
// `locs` to `weighted_positions` (the page's number is added when the indexes are built).
fn positions_to_locs(positions: &mut [(u8, u32)], weighted_positions: &mut Vec<i32>) {
    // A page weight of 1 is encoded as 25. Since most words should be this weight,
    // we want to sort them to be first in the locations array to reduce filesize
    // when we inline weight changes.
    // We then sort by position within each weight group,
    // which helps us delta encode the index.
    positions.sort_by_key(|&(weight, position)| (if weight == 25 { 0 } else { weight }, position));

    let mut current_weight = 25;
    let mut last_position = 0;

    // Calculate our output list of positions with weights.
    // This is a vec of page positions, with a change in weight for subsequent positions
    // denoted by a negative integer.
    for &mut (weight, position) in positions {
        if weight != current_weight {
            // Weight change: emit marker + absolute position, new delta base
            weighted_positions.push(-(weight as i32) - 1);
            weighted_positions.push(position as i32);
            last_position = position;
            current_weight = weight;
        } else {
            // emit delta from previous position
            weighted_positions.push((position - last_position) as i32);
            last_position = position;
        }
    }
}

/// PATCH(hindsight): the half of the word map `word` is merged into (change 16). Any function
/// of the word alone gives the same index; this one is cheap and splits words about evenly.
fn word_half(word: &str) -> usize {
    word.bytes().fold(0usize, |sum, byte| sum + usize::from(byte)) & 1
}

// PATCH(hindsight): the words' pages are compact (change 11); a word's size is counted as before.
fn chunk_index(word_map: HashMap<String, CompactWord>, chunk_size: usize) -> Vec<Vec<CompactWord>> {
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut words = word_map
        .into_iter()
        .map(|(_, w)| w)
        .collect::<Vec<CompactWord>>();
    // PATCH(hindsight): compared in place; `sort_by_key` copied a word for every comparison.
    // The words are the map's keys, so no two are equal and the order is the same.
    words.sort_unstable_by(|a, b| a.word.cmp(&b.word));

    let mut index_chunks = Vec::new();

    let mut index_chunk = Vec::new();
    let mut index_chunk_size = 0;
    for word in words.into_iter() {
        index_chunk_size += word.size();
        index_chunk.push(word);
        if index_chunk_size >= chunk_size {
            // PATCH(hindsight): moved, not deep-copied then cleared.
            index_chunks.push(std::mem::take(&mut index_chunk));
            index_chunk_size = 0;
        }
    }
    if !index_chunk.is_empty() {
        index_chunks.push(index_chunk);
    }

    index_chunks
}

fn chunk_meta(indexes: &[Vec<CompactWord>]) -> Vec<MetaChunk> {
    let mut named_chunks: Vec<MetaChunk> = Vec::new();

    for chunk in indexes.iter() {
        named_chunks.push(MetaChunk {
            from: chunk.first().map_or("".into(), |w| w.word.clone()),
            to: chunk.last().map_or("".into(), |w| w.word.clone()),
            hash: "".into(),
        });
    }
    if named_chunks.len() > 1 {
        for i in 0..named_chunks.len() - 1 {
            let chunks = &mut named_chunks[i..=i + 1];
            let prefixes = get_prefixes((&chunks[0].to, &chunks[1].from));
            // Only trim 'to' if it won't create an invalid range (to < from)
            if prefixes.0 >= chunks[0].from {
                chunks[0].to = prefixes.0;
            }
            // Always trim the next chunk's 'from'
            chunks[1].from = prefixes.1;
        }
    }

    named_chunks
}

fn get_prefixes((a, b): (&str, &str)) -> (String, String) {
    let common_prefix_length: usize = b
        .chars()
        .zip(a.chars())
        .take_while(|&(a, b)| a == b)
        .count();

    let a_prefix = a.chars().take(common_prefix_length + 1).collect::<String>();
    let b_prefix = b.chars().take(common_prefix_length + 1).collect::<String>();

    (a_prefix, b_prefix)
}

fn parse_int_sort(value: &str) -> Option<i32> {
    lexical_core::parse::<i32>(value.as_bytes()).ok()
}

fn parse_float_sort(value: &str) -> Option<f32> {
    lexical_core::parse::<f32>(value.as_bytes()).ok()
}

/// Encode meta positions with field ID markers.
/// Negative numbers switch field IDs, positive numbers are delta-encoded positions.
/// e.g., [-1, 0, 5, -4, 2] means: field 0 positions [0, 5], field 3 positions [2]
// PATCH(hindsight): takes (field ID, position) pairs, not copies of the `MetaFossickedWord`s.
fn meta_positions_to_packed(mut positions: Vec<(u16, u32)>) -> Vec<i32> {
    if positions.is_empty() {
        return vec![];
    }

    positions.sort_unstable();

    let mut current_field: Option<u16> = None;
    let mut last_position: u32 = 0;
    let mut result = Vec::with_capacity(positions.len() + 8);

    for (field_id, position) in positions {
        if Some(field_id) != current_field {
            result.push(-((field_id as i32) + 1));
            current_field = Some(field_id);
            last_position = 0;
        }
        result.push((position - last_position) as i32);
        last_position = position;
    }

    result
}

// PATCH(hindsight): a page's meta positions of a word, added to its `PageWord` as they were
// added to the page's own `PackedWord`: the meta locations of the word's page (made if the
// content had none) and of each variant's page (a new variant after the content's ones).
fn add_meta_positions<'p>(
    page_word: &mut PageWord<'p>,
    meta_positions: &'p [MetaFossickedWord],
    field_id_map: &[u16],
) {
    let mut normalized_meta_positions: Vec<(u16, u32)> = Vec::new();
    let mut variant_meta_positions: BTreeMap<&str, Vec<(u16, u32)>> = BTreeMap::new();
    for meta_fossicked in meta_positions {
        let field_id = field_id_map[meta_fossicked.field_id as usize];
        match &meta_fossicked.original_word {
            Some(original) => variant_meta_positions
                .entry(original)
                .or_default()
                .push((field_id, meta_fossicked.position)),
            None => normalized_meta_positions.push((field_id, meta_fossicked.position)),
        }
    }

    if !normalized_meta_positions.is_empty() {
        let meta_locs = meta_positions_to_packed(normalized_meta_positions);
        page_word
            .page
            .get_or_insert_with(|| PageLocs {
                locs: &[],
                meta_locs: vec![],
            })
            .meta_locs = meta_locs;
    }

    // Handle diacritic variants in meta
    for (variant_form, variant_pos) in variant_meta_positions {
        let meta_locs = meta_positions_to_packed(variant_pos);
        if let Some((_, existing_page)) = page_word
            .variants
            .iter_mut()
            .find(|(form, _)| *form == variant_form)
        {
            existing_page.meta_locs = meta_locs;
        } else {
            page_word.variants.push((
                variant_form,
                PageLocs {
                    locs: &[],
                    meta_locs,
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Mock {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>);
    }
    // PATCH(hindsight): the word map's pages are compact (change 11).
    impl Mock for HashMap<String, CompactWord> {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>) {
            let w = self.entry_ref(word).or_insert_with(|| CompactWord {
                word: word.into(),
                pages: vec![],
                additional_variants: vec![],
            });
            push_compact_page(&mut w.pages, page_number, &locs, &[]);
        }
    }

    fn test_words() -> HashMap<String, CompactWord> {
        let mut words = HashMap::new();
        words.word("apple", 1, vec![20, 40, 60]);
        words.word("apple", 5, vec![3, 6, 9]);
        words.word("apricot", 5, vec![45, 3432, 6003]);
        words.word("banana", 5, vec![100, 500, 900, 566]);
        words.word("peach", 5, vec![383, 2, 678]);

        words
    }

    /// The same postings, but held as diacritic variants rather than on the word itself
    fn test_variant_words() -> HashMap<String, CompactWord> {
        let mut words = test_words();
        for word in words.values_mut() {
            word.additional_variants.push(CompactVariant {
                form: format!("{}\u{0301}", word.word),
                pages: std::mem::take(&mut word.pages),
            });
        }
        words
    }

    #[test]
    fn build_index_chunks() {
        let chunks = chunk_index(test_words(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_index_chunks_from_variant_words() {
        let chunks = chunk_index(test_variant_words(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_chunk_meta() {
        let chunks = chunk_index(test_words(), 8);
        let meta = chunk_meta(&chunks);
        assert_eq!(meta.len(), 3);
        assert_eq!(
            meta[0],
            MetaChunk {
                from: "apple".into(),
                to: "apple".into(), // Not trimmed to "app" since that would make to < from
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[1],
            MetaChunk {
                from: "apr".into(),
                to: "b".into(),
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[2],
            MetaChunk {
                from: "p".into(),
                to: "peach".into(),
                hash: "".into(),
            }
        );
    }

    #[test]
    fn common_prefix() {
        assert_eq!(
            get_prefixes(("apple", "apricot")),
            ("app".into(), "apr".into())
        );
        assert_eq!(
            get_prefixes(("cataraman", "yacht")),
            ("c".into(), "y".into())
        );
        assert_eq!(
            get_prefixes(("cath", "cathartic")),
            ("cath".into(), "catha".into())
        );
        // This should be an invalid state, but just in case:
        assert_eq!(
            get_prefixes(("catha", "cath")),
            ("catha".into(), "cath".into())
        );
    }
}

// PATCH(hindsight): patch 9 changed how `build_indexes` gathers a page's words; this checks that
// every path (diacritic variants in content and meta, a word in both, meta-only words, a word
// with no positions) still gives the PackedWords the unpatched code gave.
#[cfg(test)]
mod word_map_tests {
    use super::*;
    use crate::fossick::FossickedWord;
    use crate::fragments::{PageFragment, PageFragmentData};
    use crate::PagefindInboundConfig;
    use twelf::Layer;

    fn test_opts() -> SearchOptions {
        std::env::set_var("PAGEFIND_SOURCE", "somewhere");
        let config =
            PagefindInboundConfig::with_layers(&[Layer::Env(Some("PAGEFIND_".into()))]).unwrap();
        SearchOptions::load(config).unwrap()
    }

    fn w(position: u32, weight: u8, original: Option<&str>) -> FossickedWord {
        FossickedWord {
            position,
            weight,
            original_word: original.map(Into::into),
        }
    }

    fn m(field_id: u16, position: u32, original: Option<&str>) -> MetaFossickedWord {
        MetaFossickedWord {
            field_id,
            position,
            original_word: original.map(Into::into),
        }
    }

    fn page(
        meta: &[&str],
        words: Vec<(&str, Vec<FossickedWord>)>,
        meta_words: Vec<(&str, Vec<MetaFossickedWord>)>,
    ) -> FossickedData {
        FossickedData {
            url: "/".into(),
            fragment: PageFragment {
                data: PageFragmentData {
                    url: "/".into(),
                    content: "".into(),
                    word_count: words.len(),
                    filters: BTreeMap::new(),
                    meta: meta.iter().map(|k| (k.to_string(), "x".into())).collect(),
                    anchors: vec![],
                },
            },
            // PATCH(hindsight): packed as `fossick_sync` packs them (change 10).
            words: pack_page_words(words.into_iter().map(|(k, v)| (k.into(), v)).collect()),
            meta_word_data: meta_words.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            sort: BTreeMap::new(),
            has_custom_body: false,
            force_inclusion: false,
            has_html_element: true,
            has_old_bundle_reference: false,
            has_default_ui_reference: false,
            language: "en".into(),
        }
    }

    /// `page_number` is the delta from the previous page of the list, as written
    fn p(page_number: usize, locs: Vec<i32>, meta_locs: Vec<i32>) -> PackedPage {
        PackedPage {
            page_number,
            locs,
            meta_locs,
        }
    }

    fn v(form: &str, pages: Vec<PackedPage>) -> PackedVariant {
        PackedVariant {
            form: form.into(),
            pages,
        }
    }

    #[tokio::test]
    async fn packed_words_unchanged() {
        // Page 0's one meta field is "title", global field 1 ("author" is 0)
        let page0 = page(
            &["title"],
            vec![
                (
                    "cafe",
                    vec![
                        w(0, 24, None),
                        w(3, 24, Some("café")),
                        w(5, 48, Some("cafè")),
                        w(7, 24, Some("café")),
                        w(8, 25, None),
                        w(9, 24, None),
                    ],
                ),
                ("empty", vec![]),
                (
                    "hello",
                    vec![w(1, 24, None), w(2, 60, None), w(4, 24, None)],
                ),
                ("resume", vec![w(6, 24, Some("résumé"))]),
            ],
            vec![
                ("cafe", vec![m(0, 1, Some("café")), m(0, 2, Some("cafë"))]),
                ("hello", vec![m(0, 0, None)]),
                ("resume", vec![m(0, 4, None)]),
                ("title", vec![m(0, 3, None)]),
            ],
        );
        let page1 = page(
            &["author", "title"],
            vec![
                (
                    "cafe",
                    vec![
                        w(0, 24, Some("cafë")),
                        w(1, 24, Some("café")),
                        w(2, 24, Some("cafê")),
                    ],
                ),
                ("hello", vec![w(2, 24, None)]),
            ],
            vec![
                ("hello", vec![m(0, 5, None), m(1, 3, None), m(0, 1, None)]),
                ("zoe", vec![m(1, 0, Some("zoë"))]),
            ],
        );
        let page2 = page(&[], vec![], vec![]);

        let indexes = build_indexes(vec![&page0, &page1, &page2], "en".into(), &test_opts())
            .await
            .unwrap();

        let expected = vec![
            PackedWord {
                word: "cafe".into(),
                pages: vec![p(0, vec![8, -25, 0, 9], vec![])],
                additional_variants: vec![
                    v("cafè", vec![p(0, vec![-49, 5], vec![])]),
                    v(
                        "café",
                        vec![
                            p(0, vec![-25, 3, 4], vec![-2, 1]),
                            p(1, vec![-25, 1], vec![]),
                        ],
                    ),
                    v(
                        "cafë",
                        vec![p(0, vec![], vec![-2, 2]), p(1, vec![-25, 0], vec![])],
                    ),
                    v("cafê", vec![p(1, vec![-25, 2], vec![])]),
                ],
            },
            PackedWord {
                word: "empty".into(),
                pages: vec![],
                additional_variants: vec![],
            },
            PackedWord {
                word: "hello".into(),
                pages: vec![
                    p(0, vec![-25, 1, 3, -61, 2], vec![-2, 0]),
                    p(1, vec![-25, 2], vec![-1, 1, 4, -2, 3]),
                ],
                additional_variants: vec![],
            },
            PackedWord {
                word: "resume".into(),
                pages: vec![p(0, vec![], vec![-2, 4])],
                additional_variants: vec![v("résumé", vec![p(0, vec![-25, 6], vec![])])],
            },
            PackedWord {
                word: "title".into(),
                pages: vec![p(0, vec![], vec![-2, 3])],
                additional_variants: vec![],
            },
            PackedWord {
                word: "zoe".into(),
                pages: vec![],
                additional_variants: vec![v("zoë", vec![p(1, vec![], vec![-2, 0])])],
            },
        ];
        let mut expected_bytes: Vec<u8> = Vec::new();
        minicbor::encode(WordIndex { words: expected }, &mut expected_bytes).unwrap();

        assert_eq!(indexes.word_count, 6);
        assert_eq!(indexes.word_indexes.len(), 1);
        let written = indexes.word_indexes.values().next().unwrap();
        assert_eq!(written, &expected_bytes);

        // PATCH(hindsight): the packed words are copied, not moved, so building again (the
        // service's `BuildIndex` then `GetFiles`) gives the same index.
        let again = build_indexes(vec![&page0, &page1, &page2], "en".into(), &test_opts())
            .await
            .unwrap();
        assert_eq!(again.word_indexes, indexes.word_indexes);
    }

    // PATCH(hindsight): pages are indexed 512 at a time and merged in order, into two halves
    // of the word map (changes 4, 15, 16): across three chunks, each word (one of each half)
    // and variant still lists every page once, in page order.
    #[tokio::test]
    async fn pages_across_chunks_stay_in_order() {
        const PAGES: usize = 2 * PAGE_CHUNK + 76;
        assert_eq!((word_half("even"), word_half("every")), (0, 1));
        let pages: Vec<FossickedData> = (0..PAGES)
            .map(|i| {
                let second = if i % 2 == 0 {
                    ("even", vec![w(1, 24, None)])
                } else {
                    ("every", vec![w(1, 24, Some("évery"))])
                };
                let mut words = vec![("every", vec![w(0, 24, None)])];
                if second.0 == "every" {
                    words[0].1.extend(second.1);
                } else {
                    words.push(second);
                }
                let mut data = page(&[], words, vec![]);
                data.url = format!("/{i}/");
                data.fragment.data.url = data.url.clone();
                data
            })
            .collect();
        let mut options = test_opts();
        options.index_chunk_size = usize::MAX;
        let indexes = build_indexes(pages.iter().collect(), "en".into(), &options)
            .await
            .unwrap();

        // Each page is written as the delta from the previous page of the list.
        let on = |numbers: &mut dyn Iterator<Item = usize>, position: i32| {
            let mut previous = 0;
            let mut delta = |i| i - std::mem::replace(&mut previous, i);
            numbers.map(|i| p(delta(i), vec![-25, position], vec![])).collect::<Vec<_>>()
        };
        let expected = vec![
            PackedWord {
                word: "even".into(),
                pages: on(&mut (0..PAGES).step_by(2), 1),
                additional_variants: vec![],
            },
            PackedWord {
                word: "every".into(),
                pages: on(&mut (0..PAGES), 0),
                additional_variants: vec![v("évery", on(&mut (1..PAGES).step_by(2), 1))],
            },
        ];
        let mut expected_bytes: Vec<u8> = Vec::new();
        minicbor::encode(WordIndex { words: expected }, &mut expected_bytes).unwrap();
        assert_eq!(indexes.word_indexes.len(), 1);
        assert_eq!(indexes.word_indexes.values().next().unwrap(), &expected_bytes);
    }
}
