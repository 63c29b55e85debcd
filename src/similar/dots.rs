//! A dense accumulator of dot products over every retro, reused by a thread from one retro to
//! the next: a hash map of candidates cost a hash and often a rehash per posting.

use std::cell::RefCell;

/// The sums of the retros touched since the last reset, in the order first touched.
#[derive(Debug, Default)]
pub(super) struct Dots {
    /// Each retro's sum; only those in `touched` are meaningful.
    pub sums: Vec<f64>,
    /// Whether each retro is in `touched`.
    seen: Vec<bool>,
    /// The retros touched, in the order first touched.
    pub touched: Vec<u32>,
}

impl Dots {
    /// Forgets every sum, for a library of `retros` retros.
    pub fn reset(&mut self, retros: usize) {
        for &other in &self.touched {
            self.seen[other as usize] = false;
        }
        self.touched.clear();
        self.sums.resize(retros, 0.0);
        self.seen.resize(retros, false);
    }

    /// Adds `value` to retro `other`'s sum.
    pub fn add(&mut self, other: u32, value: f64) {
        let at = other as usize;
        if self.seen[at] {
            self.sums[at] += value;
        } else {
            self.seen[at] = true;
            self.sums[at] = value;
            self.touched.push(other);
        }
    }
}

thread_local! {
    /// Each thread's accumulator: similar incidents are computed on every core at once.
    pub(super) static DOTS: RefCell<Dots> = RefCell::new(Dots::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_per_retro_in_first_touch_order_and_a_reset_forgets_them() {
        let mut dots = Dots::default();
        dots.reset(4);
        dots.add(2, 0.5);
        dots.add(0, 1.0);
        dots.add(2, 0.25);
        dots.add(3, 0.0);
        let sums: Vec<(u32, f64)> = dots.touched.iter().map(|&i| (i, dots.sums[i as usize])).collect();
        assert_eq!(sums, [(2, 0.75), (0, 1.0), (3, 0.0)]);
        dots.reset(5);
        dots.add(0, 2.0);
        dots.add(4, 1.0);
        let sums: Vec<(u32, f64)> = dots.touched.iter().map(|&i| (i, dots.sums[i as usize])).collect();
        assert_eq!(sums, [(0, 2.0), (4, 1.0)], "nothing of the last retro is left");
    }
}
