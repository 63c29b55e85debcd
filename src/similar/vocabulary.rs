//! A library's terms, numbered, with how many retros use each, and the TF-IDF vectors drawn from
//! them.

use rustc_hash::FxHashMap;

use super::stems::{Surfaces, better_surface};
use super::terms::is_junk;
use crate::stem;

/// A retro's most distinctive terms, as (term id, weight) sorted by term id, with unit length.
pub(super) type Vector = Vec<(u32, f64)>;

/// The terms of a library, numbered in sorted order (for determinism), with how many retros use
/// each, whether it may be shown to a reader, and as which word. A term is a word's stem
/// ([`Vocabulary::of_words`]) or a phrase as written ([`Vocabulary::of`]).
pub(super) struct Vocabulary {
    pub terms: Vec<String>,
    ids: FxHashMap<String, u32>,
    /// Each written form of a kept term → the term's id (for words; empty for phrases).
    written_ids: FxHashMap<String, u32>,
    frequency: Vec<u32>,
    /// Whether the term was seen in prose somewhere and is no junk: only such terms are reasons.
    pub shown: Vec<bool>,
    /// The word (or phrase) a reader is shown for each term: its shortest written form.
    pub display: Vec<String>,
    /// Every written form of each term, sorted.
    pub written: Vec<Vec<String>>,
}

/// What the vocabulary gathers about one term of the library.
struct Seen<'d> {
    term: String,
    frequency: u32,
    /// The last document counted in `frequency`: a term written two ways counts once per retro.
    last_doc: usize,
    shown: bool,
    written: Vec<&'d str>,
}

impl Vocabulary {
    /// The vocabulary of `docs` (per retro, each phrase with its count and whether it was seen
    /// in prose), terms as written: those at least `min_frequency` of them use. Leaving out the
    /// rest early matters: most phrases of a library are used once, and sorting them took most
    /// of the time.
    pub fn of(docs: &[Surfaces<'_>], min_frequency: u32) -> Self {
        let mut seen: FxHashMap<&str, (u32, bool)> = FxHashMap::default();
        for doc in docs {
            for (term, &(_, prose)) in doc {
                let entry = seen.entry(term.as_ref()).or_insert((0, false));
                entry.0 += 1;
                entry.1 |= prose;
            }
        }
        let mut terms: Vec<&str> =
            seen.iter().filter(|(_, (df, _))| *df >= min_frequency).map(|(t, _)| *t).collect();
        terms.sort_unstable();
        Vocabulary {
            ids: terms.iter().enumerate().map(|(i, t)| ((*t).to_owned(), i as u32)).collect(),
            written_ids: FxHashMap::default(),
            frequency: terms.iter().map(|t| seen[t].0).collect(),
            // Junk is looked for once per kept term, not once per retro using it.
            shown: terms.iter().map(|t| seen[t].1 && !t.split(' ').any(is_junk)).collect(),
            display: terms.iter().map(|t| (*t).to_owned()).collect(),
            written: terms.iter().map(|t| vec![(*t).to_owned()]).collect(),
            terms: terms.into_iter().map(str::to_owned).collect(),
        }
    }

    /// [`Vocabulary::of`] for words, folded to their stems, so "retries" and "retried" are one
    /// term. Each distinct written word is stemmed once; the documents keep their words as
    /// written, so a library's many retros cost no more memory than before stems.
    pub fn of_words(docs: &[Surfaces<'_>], min_frequency: u32) -> Self {
        let mut seen: Vec<Seen<'_>> = Vec::new();
        let mut by_term: FxHashMap<String, usize> = FxHashMap::default();
        // Each written word → its term's place in `seen`, and whether it was seen in prose.
        let mut by_written: FxHashMap<&str, (usize, bool)> = FxHashMap::default();
        for (d, doc) in docs.iter().enumerate() {
            for (word, &(_, prose)) in doc {
                let word = word.as_ref();
                let (index, in_prose) = by_written.entry(word).or_insert_with(|| {
                    let term = stem::english(word);
                    let index = *by_term.entry(term.clone()).or_insert_with(|| {
                        seen.push(Seen {
                            term,
                            frequency: 0,
                            last_doc: usize::MAX,
                            shown: false,
                            written: Vec::new(),
                        });
                        seen.len() - 1
                    });
                    seen[index].written.push(word);
                    (index, false)
                });
                *in_prose |= prose;
                let entry = &mut seen[*index];
                if entry.last_doc != d {
                    entry.frequency += 1;
                    entry.last_doc = d;
                }
            }
        }
        // Junk is looked for once per written word, not once per retro using it.
        for (word, (index, in_prose)) in by_written {
            seen[index].shown |= in_prose && !is_junk(word);
        }
        seen.retain(|entry| entry.frequency >= min_frequency);
        seen.sort_unstable_by(|a, b| a.term.cmp(&b.term));
        let mut written_ids = FxHashMap::default();
        for (id, entry) in seen.iter_mut().enumerate() {
            entry.written.sort_unstable();
            for word in &entry.written {
                written_ids.insert((*word).to_owned(), id as u32);
            }
        }
        Vocabulary {
            ids: seen.iter().enumerate().map(|(i, e)| (e.term.clone(), i as u32)).collect(),
            written_ids,
            frequency: seen.iter().map(|e| e.frequency).collect(),
            shown: seen.iter().map(|e| e.shown).collect(),
            display: seen
                .iter()
                .map(|e| e.written.iter().fold(e.written[0], |a, b| better_surface(a, b)).to_owned())
                .collect(),
            written: seen.iter().map(|e| e.written.iter().map(|w| (*w).to_owned()).collect()).collect(),
            terms: seen.into_iter().map(|e| e.term).collect(),
        }
    }

    /// The word vocabulary of the terms at least `min_frequency` retros use, as
    /// [`Vocabulary::of_words`] with that frequency gives it, without reading the retros again.
    pub fn used_by(&self, min_frequency: u32) -> Self {
        let kept: Vec<usize> =
            (0..self.terms.len()).filter(|&i| self.frequency[i] >= min_frequency).collect();
        let written: Vec<Vec<String>> = kept.iter().map(|&i| self.written[i].clone()).collect();
        let written_ids = written
            .iter()
            .enumerate()
            .flat_map(|(id, forms)| forms.iter().map(move |form| (form.clone(), id as u32)))
            .collect();
        Vocabulary {
            terms: kept.iter().map(|&i| self.terms[i].clone()).collect(),
            ids: kept.iter().enumerate().map(|(id, &i)| (self.terms[i].clone(), id as u32)).collect(),
            written_ids,
            frequency: kept.iter().map(|&i| self.frequency[i]).collect(),
            shown: kept.iter().map(|&i| self.shown[i]).collect(),
            display: kept.iter().map(|&i| self.display[i].clone()).collect(),
            written,
        }
    }

    /// The id of the term `written` (a word or phrase as a retro of the library writes it)
    /// counts towards, if the vocabulary kept it.
    fn id_of(&self, written: &str) -> Option<u32> {
        if self.written_ids.is_empty() {
            return self.ids.get(written).copied();
        }
        self.written_ids.get(written).copied()
    }

    /// [`Vocabulary::id_of`] for text from outside the library: a word no retro writes that way
    /// still counts through its stem ("expiring" when retros write "expired").
    fn outside_id_of(&self, written: &str) -> Option<u32> {
        let id = self.id_of(written);
        if id.is_some() || self.written_ids.is_empty() {
            return id;
        }
        self.ids.get(&stem::english(written)).copied()
    }

    /// Whether some retro uses the term `written` (from outside the library) counts towards.
    pub fn knows(&self, written: &str) -> bool {
        self.outside_id_of(written).is_some()
    }

    /// How many retros use each term, by term id.
    pub fn frequencies(&self) -> &[u32] {
        &self.frequency
    }

    /// How many retros use term `id`.
    pub fn frequency(&self, id: u32) -> u32 {
        self.frequency[id as usize]
    }

    /// A retro's best `keep` terms by TF-IDF over a library of `n` retros, as a unit vector
    /// sorted by term id; terms used by fewer than `min_frequency` retros are left out.
    pub fn weigh(&self, doc: &Surfaces<'_>, n: f64, min_frequency: u32, keep: usize) -> Vector {
        self.weigh_counts(&self.counts(doc), n, min_frequency, keep)
    }

    /// [`Vocabulary::weigh`] for a text from outside the library ([`Vocabulary::knows`]).
    pub fn weigh_outside(&self, doc: &Surfaces<'_>, n: f64, keep: usize) -> Vector {
        let counts =
            doc.iter().filter_map(|(written, &(count, _))| Some((self.outside_id_of(written)?, count)));
        self.weigh_counts(&counted(counts.collect()), n, 1, keep)
    }

    /// The terms of `doc` this vocabulary keeps, each with its count.
    pub fn counts(&self, doc: &Surfaces<'_>) -> Counts {
        counted(doc.iter().filter_map(|(written, &(count, _))| Some((self.id_of(written)?, count))).collect())
    }

    /// For each term, its id in [`Vocabulary::used_by`] with `min_frequency`, if it keeps it
    /// there: counts made once in this vocabulary serve that one too ([`renumbered`]).
    pub fn ids_used_by(&self, min_frequency: u32) -> Vec<Option<u32>> {
        let mut next = 0;
        self.frequency
            .iter()
            .map(|&frequency| {
                (frequency >= min_frequency).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    }

    /// The best `keep` of the terms counted `counts`, by TF-IDF over a library of `n` retros,
    /// as a unit vector sorted by term id; terms used by fewer than `min_frequency` retros are
    /// left out.
    pub fn weigh_counts(&self, counts: &Counts, n: f64, min_frequency: u32, keep: usize) -> Vector {
        let mut weighted: Vec<(u32, f64)> = counts
            .iter()
            .filter_map(|&(id, count)| {
                let df = self.frequency[id as usize];
                // Smoothed: a term most retros use still counts a little, as in scikit-learn.
                let idf = ((n + 1.0) / (f64::from(df) + 1.0)).ln() + 1.0;
                (df >= min_frequency).then(|| (id, (1.0 + count.ln()) * idf))
            })
            .collect();
        let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        // Only the best `keep` of a retro's hundreds of terms are sorted; ids are unique, so the
        // order is total and the result the same as sorting them all.
        if keep < weighted.len() {
            weighted.select_nth_unstable_by(keep, order);
            weighted.truncate(keep);
        }
        weighted.sort_by(order);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        weighted.iter_mut().for_each(|(_, w)| *w /= norm.max(f64::EPSILON));
        weighted.sort_by_key(|(id, _)| *id);
        weighted
    }
}

/// A retro's terms with their counts, as (term id, count) sorted by term id, each id once.
pub(super) type Counts = Vec<(u32, f64)>;

/// `counts` (term id, count; an id may come twice) as [`Counts`]: the words written two ways in
/// one retro add up.
fn counted(mut counts: Vec<(u32, f64)>) -> Counts {
    counts.sort_unstable_by_key(|&(id, _)| id);
    counts.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1 += later.1;
        }
        same
    });
    counts
}

/// `counts` in the ids `new_ids` gives ([`Vocabulary::ids_used_by`]), without the terms it
/// leaves out. The new ids keep the old order, so the result is sorted too.
pub(super) fn renumbered(counts: &Counts, new_ids: &[Option<u32>]) -> Counts {
    counts.iter().filter_map(|&(id, count)| Some((new_ids[id as usize]?, count))).collect()
}

/// The terms two vectors (sorted by term id) share, with the product of their weights.
pub(super) fn common(a: &Vector, b: &Vector) -> Vec<(u32, f64)> {
    let (mut i, mut j, mut common) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common.push((a[i].0, a[i].1 * b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    common
}
