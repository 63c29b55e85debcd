//! Lint: how strict a site is. [`levels`] is the `lint:` section of `hindsight.yaml`, applied to
//! every finding of every rule.

pub mod levels;

pub use levels::{Level, Lints};
