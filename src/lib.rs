//! hindsight turns a folder of incident retrospectives into a browsable static HTML library.
//!
//! The modules follow the pipeline, in the order data flows through it:
//! [`config`] and [`taxonomy`] (site files) → [`content`] (find, read, split) →
//! [`validate`] (front matter to [`model::Retro`], with [`diagnostic`]s, at the levels of [`lint`])
//! → [`library`] (selection, order, links) → [`facets`] → [`markdown`] → [`similar`] →
//! [`insights`] → [`pages`] (templates from [`templates`], charts from [`svg`]) → [`feeds`] →
//! [`output`] (atomic publish). [`build`] runs the whole pipeline; [`search`] indexes it;
//! [`serve`] rebuilds it into memory for the dev server; [`authoring`] starts libraries and retros;
//! [`import`] turns other teams' postmortems into draft retros.

pub mod authoring;
pub mod background;
pub mod cache;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod facets;
pub mod feeds;
pub mod format;
pub mod frontmatter;
pub mod fsutil;
pub mod highlight;
pub mod import;
pub mod insights;
pub mod library;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod review;
pub mod search;
pub mod serve;
pub mod similar;
pub mod site;
pub mod stem;
pub mod suggest;
pub mod svg;
pub mod taxonomy;
pub mod templates;
pub mod urls;
pub mod validate;
pub mod views;
pub mod yaml;
