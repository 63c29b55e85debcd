//! The integration tests: one binary, a module per feature, folder fixtures under
//! `tests/fixtures/<case>/`, and the real `hindsight` binary run on copies of them.

mod actions;
mod architecture;
mod authoring;
mod browser;
mod check;
mod docs;
mod errors;
mod feeds;
mod hostile;
mod import;
mod insights;
mod lint;
mod missing_labels;
mod output_safety;
mod pages;
mod publishing;
mod search;
mod search_static;
mod serve;
mod serve_edits;
mod serve_similar;
mod support;
