//! `feed.xml`: an Atom feed (RFC 4287) of the newest retros, rendered with the `feed.xml`
//! template, which escapes every value.
//!
//! Links are absolute under `base_url` when it is set (feed readers and chat unfurls need them);
//! without it they are relative, like every link of the site, and a feed reader resolves them
//! against the feed's own address. Ids are `urn:hindsight:retro:<id>`, stable wherever the site
//! is served.

use chrono::NaiveDate;
use serde::Serialize;

use crate::library::Library;
use crate::model::Retro;
use crate::pages::{PageError, Renderer};
use crate::urls;

/// How many retros the feed carries.
pub const ENTRIES: usize = 50;

#[derive(Debug, Serialize)]
struct Feed {
    updated: String,
    /// The feed's own address and the home page's, absolute under `base_url` when it is set.
    self_url: String,
    home_url: String,
    entries: Vec<Entry>,
}

#[derive(Debug, Serialize)]
struct Entry {
    id: String,
    title: String,
    url: String,
    published: String,
    updated: String,
    authors: Vec<String>,
    summary: Option<String>,
    severity: String,
    kind: &'static str,
    services: Vec<String>,
    failure_modes: Vec<String>,
    /// (what, value): the categories readers can filter on.
    categories: Vec<(&'static str, String)>,
}

impl Entry {
    fn new(retro: &Retro, link: &impl Fn(&str) -> String) -> Self {
        let clean = |list: &[String]| list.iter().map(|s| xml_text(s)).collect::<Vec<_>>();
        let mut categories = vec![("severity", xml_text(&retro.severity))];
        categories.extend(retro.services.iter().map(|s| ("service", xml_text(s))));
        categories.extend(retro.failure_modes.iter().map(|s| ("failure mode", xml_text(s))));
        Entry {
            id: format!("urn:hindsight:retro:{}", retro.id),
            title: xml_text(&retro.title),
            url: link(&urls::retro(&retro.id)),
            published: timestamp(retro.date),
            updated: timestamp(updated(retro)),
            authors: clean(&retro.authors),
            summary: retro.summary.as_deref().map(xml_text),
            severity: xml_text(&retro.severity),
            kind: retro.kind.as_str(),
            services: clean(&retro.services),
            failure_modes: clean(&retro.failure_modes),
            categories,
        }
    }
}

/// A retro changes when it is reviewed; its date is when it happened.
fn updated(retro: &Retro) -> NaiveDate {
    retro.review_date.map_or(retro.date, |review| review.max(retro.date))
}

/// Writes `feed.xml` with the newest [`ENTRIES`] retros.
pub fn write(renderer: &Renderer<'_>, library: &Library) -> Result<(), PageError> {
    let newest = &library.retros[..library.retros.len().min(ENTRIES)];
    // The newest change among the entries, not the build date: rebuilding changes nothing.
    let updated = newest.iter().map(updated).max().unwrap_or(library.today);
    let base = library.config.base_url.as_ref();
    let link = |path: &str| base.map_or_else(|| path.to_owned(), |base| base.absolute(path));
    let feed = Feed {
        updated: timestamp(updated),
        self_url: link(urls::FEED),
        home_url: link(urls::HOME),
        entries: newest.iter().map(|retro| Entry::new(retro, &link)).collect(),
    };
    renderer.page("feed.xml", urls::FEED, &library.config.title, &feed)
}

/// Midnight UTC of `date`, as RFC 3339.
fn timestamp(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", crate::format::iso_date(date))
}

/// `text` without the control characters XML 1.0 forbids (a YAML string may hold them).
fn xml_text(text: &str) -> String {
    text.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(super::xml_text("a\u{7}b\u{0}c\td"), "abc\td");
    }
}
