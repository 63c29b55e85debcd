//! How long each stage took, for `build --timings`.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Stage durations in the order the stages finished; shared by the stages that run on other
/// threads, hence the lock.
#[derive(Debug, Default)]
pub struct Timings(Mutex<Vec<(&'static str, Duration)>>);

impl Timings {
    /// Runs `stage`, recording its duration under `name`.
    pub fn time<T>(&self, name: &'static str, stage: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let value = stage();
        self.record(name, started.elapsed());
        value
    }

    /// Runs two stages that do not read each other side by side (`rayon::join`), so the
    /// stretches either spends on one thread leave no core idle; records each under its name,
    /// in the order given.
    pub fn time_side_by_side<A: Send, B: Send>(
        &self,
        (first_name, first): (&'static str, impl FnOnce() -> A + Send),
        (second_name, second): (&'static str, impl FnOnce() -> B + Send),
    ) -> (A, B) {
        let ((a, a_took), (b, b_took)) = rayon::join(|| measured(first), || measured(second));
        self.record(first_name, a_took);
        self.record(second_name, b_took);
        (a, b)
    }

    /// Records a duration measured elsewhere.
    pub fn record(&self, name: &'static str, took: Duration) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push((name, took));
    }

    /// Every stage and its duration, in the order they were recorded.
    pub fn into_vec(self) -> Vec<(&'static str, Duration)> {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs `stage` and measures it, for stages whose duration is recorded later.
pub fn measured<T>(stage: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = stage();
    (value, started.elapsed())
}
