//! Words folded to their stems (English Snowball), so "retries", "retried" and "retrying" count
//! as one term: on real public postmortems, comparing stems rather than words raised the share
//! of similar summaries in the same category from 0.406 to 0.437 (`benches/relevance_public.py`).
//!
//! The vocabulary keeps the words each stem was folded from, to show a reader a word rather
//! than a stem. Phrases are not folded: they only name reasons.

use std::borrow::Cow;

/// Words as written → (weighted count, seen in prose): a text's words or phrases, which the
/// vocabulary folds into terms. A key borrows from the text when the text writes it so (lower
/// case, a phrase's words one space apart): 88% of the 361,000 keys of a generated 1,000-retro
/// library, each a small allocation when they were all `String`s.
pub(super) type Surfaces<'t> = rustc_hash::FxHashMap<Cow<'t, str>, (f64, bool)>;

/// The surface a reader is shown for a term: the shortest, then the first in byte order (so
/// "retry" rather than "retries", the same on every build).
pub(super) fn better_surface<'s>(current: &'s str, candidate: &'s str) -> &'s str {
    if (candidate.len(), candidate) < (current.len(), current) { candidate } else { current }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stem::english as stem;

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(stem("retries"), stem("retried"));
        assert_eq!(stem("retrying"), stem("retry"));
        assert_eq!(stem("expired"), stem("expiring"));
        assert_ne!(stem("pool"), stem("poll"));
    }

    #[test]
    fn the_shortest_form_is_shown() {
        assert_eq!(better_surface("retries", "retry"), "retry");
        assert_eq!(better_surface("pool", "loop"), "loop");
    }
}
