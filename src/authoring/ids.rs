//! The next free id, following the pattern the library already uses: `INC-2025-014` after
//! `INC-2025-013`, `OPS-0042` after `OPS-0041`, `INC-2026-001` for the first retro of a year.

use std::collections::{BTreeMap, HashSet};

/// The id of the first retro of a library whose ids follow no pattern yet.
pub fn default_id(year: i32) -> String {
    format!("INC-{year}-001")
}

/// The shape of an id: what comes before the number, and whether a year is part of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    /// Everything before the year (or before the number, without a year): `INC-`.
    prefix: String,
    /// The separator between year and number (`-`), or `None` when ids carry no year.
    year_separator: Option<char>,
}

/// An id taken apart.
#[derive(Debug)]
struct Parsed {
    shape: Shape,
    year: Option<i32>,
    number: u64,
    /// The number's digits, to keep zero padding: `014` has 3.
    digits: usize,
}

/// Sequence numbers stay below this.
const MAX_SEQUENCE: u64 = 1_000_000_000_000;

/// Years that can plausibly be part of an id; anything else is just a number.
const YEARS: std::ops::RangeInclusive<i32> = 1970..=2200;

fn parse(id: &str) -> Option<Parsed> {
    let head = id.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &id[head.len()..];
    // Longer numbers are timestamps or hashes, not a sequence (and could overflow when counted on).
    let number = digits.parse().ok().filter(|n| *n < MAX_SEQUENCE)?;
    let mut parsed = Parsed {
        shape: Shape { prefix: head.to_owned(), year_separator: None },
        year: None,
        number,
        digits: digits.len(),
    };
    // `INC-2025-014`: a separator, preceded by four digits that are a year and not part of a longer number.
    let Some(separator) = head.chars().last().filter(|c| matches!(c, '-' | '_' | '.')) else {
        return Some(parsed);
    };
    let before = &head[..head.len() - 1];
    let prefix = before.trim_end_matches(|c: char| c.is_ascii_digit());
    let year_digits = &before[prefix.len()..];
    if let (4, Ok(year)) = (year_digits.len(), year_digits.parse::<i32>())
        && YEARS.contains(&year)
    {
        parsed.shape = Shape { prefix: prefix.to_owned(), year_separator: Some(separator) };
        parsed.year = Some(year);
    }
    Some(parsed)
}

/// The next free id for a retro of `year`, given every id (and file name) in the library.
pub fn next_id<'a>(existing: impl IntoIterator<Item = &'a str>, year: i32) -> String {
    let existing: Vec<&str> = existing.into_iter().collect();
    let taken: HashSet<String> = existing.iter().map(|id| id.to_lowercase()).collect();
    let parsed: Vec<Parsed> = existing.iter().filter_map(|id| parse(id)).collect();
    let Some(shape) = dominant_shape(&parsed) else {
        return unique(default_id(year), &taken, |n| format!("INC-{year}-{n:03}"));
    };
    let same: Vec<&Parsed> = parsed.iter().filter(|p| p.shape == shape).collect();
    // Pad only when the library pads: `INC-2025-9` then `INC-2026-1`, but `INC-2025-009` then `INC-2026-001`.
    let width = same
        .iter()
        .filter(|p| p.digits > 1 && p.number < 10u64.pow(p.digits as u32 - 1))
        .map(|p| p.digits)
        .max()
        .unwrap_or(1);
    let scope_year = shape.year_separator.map(|_| year);
    let last = same.iter().filter(|p| p.year == scope_year).map(|p| p.number).max().unwrap_or(0);
    let format = |number: u64| match shape.year_separator {
        Some(separator) => format!("{}{year}{separator}{number:0width$}", shape.prefix),
        None => format!("{}{number:0width$}", shape.prefix),
    };
    unique(format(last + 1), &taken, |attempt| format(last + 1 + attempt))
}

/// `first`, or the first of `then(1)`, `then(2)`, … not taken (ignoring case, as ids are compared).
fn unique(first: String, taken: &HashSet<String>, then: impl Fn(u64) -> String) -> String {
    let mut candidate = first;
    let mut attempt = 1;
    while taken.contains(&candidate.to_lowercase()) {
        candidate = then(attempt);
        attempt += 1;
    }
    candidate
}

/// The shape most ids have; on a tie, the one used most recently (latest year, then highest number).
fn dominant_shape(parsed: &[Parsed]) -> Option<Shape> {
    let mut counts: BTreeMap<&Shape, (usize, Option<i32>, u64)> = BTreeMap::new();
    for id in parsed {
        let entry = counts.entry(&id.shape).or_insert((0, None, 0));
        entry.0 += 1;
        entry.1 = entry.1.max(id.year);
        entry.2 = entry.2.max(id.number);
    }
    counts.into_iter().max_by_key(|(_, rank)| *rank).map(|(shape, _)| shape.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_a_yearly_sequence() {
        assert_eq!(next_id(["INC-2025-012", "INC-2025-013", "INC-2024-020"], 2025), "INC-2025-014");
        assert_eq!(next_id(["INC-2025-012", "INC-2025-013"], 2026), "INC-2026-001");
        assert_eq!(next_id(["PM_2024.7", "PM_2024.8"], 2024), "PM_2024.9");
        assert_eq!(next_id(["INC-2025-9"], 2026), "INC-2026-1", "no padding where the library has none");
    }

    #[test]
    fn follows_a_global_sequence() {
        assert_eq!(next_id(["OPS-0041", "OPS-0040"], 2026), "OPS-0042");
        assert_eq!(next_id(["ALPHA-1", "BETA-1", "GAMMA-1", "ALPHA-2"], 2026), "ALPHA-3");
        assert_eq!(next_id(["INC-99", "INC-100"], 2026), "INC-101");
    }

    #[test]
    fn the_most_common_pattern_wins_and_ids_without_numbers_are_ignored() {
        let ids = ["INC-2025-001", "INC-2025-002", "legacy-outage", "OLD-7"];
        assert_eq!(next_id(ids, 2025), "INC-2025-003");
        assert_eq!(next_id(["good", "notes"], 2025), "INC-2025-001");
        assert_eq!(next_id(["dump-18446744073709551615"], 2025), "INC-2025-001", "not a sequence");
        assert_eq!(next_id([], 2025), "INC-2025-001");
    }

    #[test]
    fn never_returns_a_taken_id() {
        // Ids are unique ignoring case, and file names count too (a file may set another `id:`).
        assert_eq!(next_id(["INC-2025-001", "INC-2025-002", "inc-2025-003"], 2025), "INC-2025-004");
        assert_eq!(next_id(["INC-2025-001"], 2025), "INC-2025-002");
    }
}
