//! The few statistics the dashboards show: count, median and 90th percentile.
//!
//! Durations are skewed (most incidents are short, a few last days) and libraries are small, so
//! the dashboards never show a mean; p90 is only given once there are enough values for it to
//! differ from the maximum.

use serde::Serialize;

/// The fewest values for which a p90 is shown. Below ten, the nearest-rank p90 is always the
/// largest value, so calling it "p90" would dress up the maximum as a statistic.
pub const P90_MIN_N: usize = 10;

/// How a set of values is spread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    /// How many values.
    pub n: usize,
    /// The middle value (the mean of the two middle ones when `n` is even); `None` when empty.
    pub median: Option<f64>,
    /// The nearest-rank 90th percentile; `None` when `n < P90_MIN_N`.
    pub p90: Option<i64>,
}

impl Spread {
    /// The spread of `sorted`, which must be in ascending order.
    pub fn of_sorted(sorted: &[i64]) -> Self {
        Spread {
            n: sorted.len(),
            median: median(sorted),
            p90: (sorted.len() >= P90_MIN_N).then(|| nearest_rank(sorted, 90)).flatten(),
        }
    }

    /// The spread of `values`, in any order.
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        Spread::of_sorted(&values)
    }
}

/// The median of ascending `sorted`: the middle value, or the mean of the two middle ones.
pub fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// The nearest-rank `p`th percentile of ascending `sorted`: the smallest value that at least
/// `p` percent of the values are less than or equal to.
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    // rank = ceil(p/100 × n), counted from 1; integer arithmetic keeps it exact.
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[1, 2, 10]), Some(2.0));
        assert_eq!(median(&[1, 2, 3, 10]), Some(2.5));
    }

    #[test]
    fn p90_is_nearest_rank_and_needs_ten_values() {
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(nearest_rank(&eleven, 90), Some(10), "ceil(9.9) = 10th value");
        assert_eq!(nearest_rank(&[5], 90), Some(5));
        assert_eq!(Spread::of((1..=9).collect()).p90, None);
        assert_eq!(
            Spread::of(vec![10, 1, 9, 2, 8, 3, 7, 4, 6, 5]),
            Spread { n: 10, median: Some(5.5), p90: Some(9) }
        );
    }
}
