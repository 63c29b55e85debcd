//! The site's URL layout. Every page's output path and every link between pages comes from
//! here, so moving a page is a change to one function.
//!
//! Paths are site-relative and `/`-separated (`retros/INC-1.html`); pages link to each other
//! through [`root_of`], so the site works from disk and from any sub-path.

mod base;

pub use base::{BaseUrl, BaseUrlError};

use crate::model::Facet;

/// The home page.
pub const HOME: &str = "index.html";
/// The page served for a missing file.
pub const NOT_FOUND: &str = "404.html";
/// Every retro, newest first.
pub const ALL_RETROS: &str = "retros/index.html";
/// The static search page.
pub const SEARCH: &str = "search/index.html";
/// The follow-through dashboard: the first page of unfinished action items.
pub const FOLLOW_THROUGH: &str = "actions/index.html";
/// Done and wont-do action items.
pub const CLOSED_ACTIONS: &str = "actions/closed.html";
/// The insights dashboard.
pub const INSIGHTS: &str = "insights/index.html";
/// Retros that repeat a service and failure mode.
pub const REPEATS: &str = "insights/repeats.html";
/// The Atom feed of the newest retros.
pub const FEED: &str = "feed.xml";
/// Every retro as JSON.
pub const RETROS_JSON: &str = "retros.json";
/// Every action item as CSV.
pub const ACTIONS_CSV: &str = "actions.csv";
/// The highlighting stylesheet.
pub const SYNTAX_CSS: &str = "assets/syntax.css";
/// The folder of the first static search bundle; later shards add `-2`, `-3`, …
pub const BUNDLE_DIR: &str = "pagefind";

/// The file name of every folder's own page (`tags/index.html`, the overview): never a slug,
/// and never a retro id (`retros/index.html` is the list of all retros).
pub const RESERVED_SLUG: &str = "index";

/// A retro's page.
pub fn retro(id: &str) -> String {
    format!("retros/{id}.html")
}

/// The folder of a facet's pages.
pub fn facet_dir(facet: Facet) -> &'static str {
    match facet {
        Facet::FailureMode => "failure-modes",
        Facet::Service => "services",
        Facet::Factor => "factors",
        Facet::Severity => "severities",
        Facet::Team => "teams",
        Facet::Trigger => "triggers",
        Facet::Tag => "tags",
        Facet::Year => "years",
    }
}

/// A facet's overview page, listing its values.
pub fn facet_index(facet: Facet) -> String {
    format!("{}/{RESERVED_SLUG}.html", facet_dir(facet))
}

/// The page of one facet value, by its unique slug.
pub fn facet_value(facet: Facet, slug: &str) -> String {
    format!("{}/{slug}.html", facet_dir(facet))
}

/// Which grouping of action items an action page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionGroup {
    /// By owner.
    Owner,
    /// By team.
    Team,
}

impl ActionGroup {
    /// The folder of the group's pages.
    pub fn dir(self) -> &'static str {
        match self {
            ActionGroup::Owner => "owners",
            ActionGroup::Team => "teams",
        }
    }
}

/// The action items of one owner or team, by its slug.
pub fn action_group(group: ActionGroup, slug: &str) -> String {
    format!("actions/{}/{slug}.html", group.dir())
}

/// The retros of one heat-map cell: a service and a failure mode, by their facet slugs.
pub fn heat_map_cell(service_slug: &str, failure_mode_slug: &str) -> String {
    format!("insights/cells/{service_slug}/{failure_mode_slug}.html")
}

/// Page `number` (1-based) of a list whose first page is `first_path`: the first page keeps
/// the list's address; later ones sit in a folder named after it (`retros/page/2.html`,
/// `services/api/page/3.html`), which no retro id or slug can name since neither holds `/`.
pub fn list_page(first_path: &str, number: usize) -> String {
    if number <= 1 {
        return first_path.to_owned();
    }
    let folder = match first_path.strip_suffix("/index.html") {
        Some(folder) => folder.to_owned(),
        None => first_path.strip_suffix(".html").unwrap_or(first_path).to_owned(),
    };
    format!("{folder}/page/{number}.html")
}

/// Retros per static search index. pagefind holds every page of an index in memory while it
/// builds (about a quarter of a megabyte per retro), so a larger library is split into several
/// indexes that the search page merges with pagefind's `mergeIndex`: a build's memory then stops
/// growing with the library. Below this size there is one index.
pub const BUNDLE_SHARD_SIZE: usize = 20_000;

/// The folder of static search bundle shard `number` (1-based).
pub fn bundle_shard(number: usize) -> String {
    if number <= 1 { BUNDLE_DIR.to_owned() } else { format!("{BUNDLE_DIR}-{number}") }
}

/// The bundle folder of each index for a library of `retros`: `pagefind`, then `pagefind-2`, …
pub fn bundle_shards(retros: usize) -> Vec<String> {
    bundle_shards_of(retros, BUNDLE_SHARD_SIZE)
}

/// [`bundle_shards`] with `shard_size` retros per index.
pub fn bundle_shards_of(retros: usize, shard_size: usize) -> Vec<String> {
    let shards = retros.div_ceil(shard_size.max(1)).max(1);
    (1..=shards).map(bundle_shard).collect()
}

/// The folder of the static search page's "find similar incidents" files (`search::terms`).
pub const SIMILAR_DIR: &str = "similar";
/// The list of those files, the only one whose name stays the same from build to build.
pub const SIMILAR_MANIFEST: &str = "similar/manifest.json";

/// Similar-mode file `number` of `kind` (`words`, `postings`, `retros`), named by its content
/// hash so that a browser may cache it for good.
pub fn similar_file(kind: &str, number: usize, hash: &str) -> String {
    format!("{SIMILAR_DIR}/{kind}-{number}-{hash}.bin")
}

/// Whether `path` lies in a static search bundle folder (`pagefind/`, `pagefind-2/`, …,
/// `similar/`).
pub fn is_bundle_path(path: &str) -> bool {
    let Some((dir, _)) = path.split_once('/') else {
        return false;
    };
    if dir == SIMILAR_DIR {
        return true;
    }
    let shard = dir.strip_prefix(BUNDLE_DIR).map(|rest| rest.strip_prefix('-').unwrap_or(rest));
    shard.is_some_and(|n| n.is_empty() || n.parse::<usize>().is_ok())
}

/// The way back to the site root from the page at `path`: `""`, `"../"`, `"../../"`, …
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_live_in_a_folder_no_retro_or_slug_can_name() {
        assert_eq!(list_page(ALL_RETROS, 1), "retros/index.html");
        assert_eq!(list_page(ALL_RETROS, 2), "retros/page/2.html");
        assert_eq!(list_page("services/api.html", 3), "services/api/page/3.html");
        assert_eq!(list_page("actions/owners/ana.html", 2), "actions/owners/ana/page/2.html");
    }

    #[test]
    fn bundle_paths_are_recognised_in_every_shard() {
        assert_eq!(bundle_shards(0), ["pagefind"]);
        assert_eq!(bundle_shards(BUNDLE_SHARD_SIZE), ["pagefind"]);
        assert_eq!(bundle_shards(BUNDLE_SHARD_SIZE + 1), ["pagefind", "pagefind-2"]);
        assert_eq!(bundle_shards_of(5, 2), ["pagefind", "pagefind-2", "pagefind-3"]);
        for path in ["pagefind/pagefind.js", "pagefind-2/fragment/x.pf_fragment", "pagefind-12/a"] {
            assert!(is_bundle_path(path), "{path}");
        }
        for path in ["pagefind", "pagefinder/a", "pagefind-x/a", "retros/pagefind/a", "assets/search.js"] {
            assert!(!is_bundle_path(path), "{path}");
        }
    }

    #[test]
    fn every_page_finds_its_way_back_to_the_root() {
        assert_eq!(root_of(HOME), "");
        assert_eq!(root_of(&retro("A-1")), "../");
        assert_eq!(root_of(&heat_map_cell("api", "dns")), "../../../");
        assert_eq!(facet_index(Facet::FailureMode), "failure-modes/index.html");
        assert_eq!(action_group(ActionGroup::Team, "none"), "actions/teams/none.html");
    }
}
