//! What templates see: small serialisable views borrowed from the library.
//!
//! URLs in views are relative to the site root; templates prefix them with `root`, the path
//! back to the root from the page being rendered, so the site works from any sub-path and from
//! disk.

use std::borrow::Cow;

use serde::Serialize;

use crate::facets::{Facet, FacetIndex};
use crate::library::Library;
use crate::model::{ActionItem, Retro};
use crate::urls;

/// Who a retro is in a JSON answer (`search --json`, `similar --json`, the dev server's API):
/// the fields every result starts with, so both envelopes stay the same.
#[derive(Debug, Clone, Serialize)]
pub struct RetroHeadline {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Its severity.
    pub severity: String,
    /// Its services.
    pub services: Vec<String>,
    /// Its failure modes.
    pub failure_modes: Vec<String>,
}

impl RetroHeadline {
    /// The headline of `retro`.
    pub fn of(retro: &Retro) -> Self {
        RetroHeadline {
            id: retro.id.clone(),
            title: retro.title.clone(),
            date: crate::format::iso_date(retro.date),
            severity: retro.severity.clone(),
            services: retro.services.clone(),
            failure_modes: retro.failure_modes.clone(),
        }
    }
}

/// Site-wide values every page shows.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// The library's title.
    pub title: &'a str,
    /// One sentence about it.
    pub description: Option<&'a str>,
    /// The build date, `YYYY-MM-DD`.
    pub build_date: String,
    /// The facet overview pages.
    pub nav: Vec<NavItem>,
}

/// A link in the navigation.
#[derive(Debug, Serialize)]
pub struct NavItem {
    /// Link text.
    pub title: &'static str,
    /// Site-relative URL.
    pub url: String,
}

impl<'a> SiteView<'a> {
    /// The site view for `library`.
    pub fn new(library: &'a Library) -> Self {
        SiteView {
            title: &library.config.title,
            description: library.config.description.as_deref(),
            build_date: crate::format::iso_date(library.today),
            nav: Facet::ALL
                .iter()
                .map(|&f| NavItem { title: f.title(), url: urls::facet_index(f) })
                .collect(),
        }
    }
}

/// A retro in a list.
#[derive(Debug, Serialize)]
pub struct RetroRow<'a> {
    /// Id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Site-relative URL of its page.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Severity name.
    pub severity: &'a str,
    /// CSS class for the severity chip.
    pub severity_class: &'static str,
    /// Stakeholder summary.
    pub summary: Option<&'a str>,
    /// incident, near-miss or game-day.
    pub kind: &'static str,
    /// published, in-review or draft.
    pub status: &'static str,
    /// Affected services.
    pub services: &'a [String],
    /// The row as its list shows it (the theme's `retro_item.html`), on lists only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<Cow<'a, str>>,
}

impl<'a> RetroRow<'a> {
    /// The list row for `retro`, without its HTML.
    pub fn new(retro: &'a Retro) -> Self {
        RetroRow {
            id: &retro.id,
            title: &retro.title,
            url: urls::retro(&retro.id),
            date: crate::format::iso_date(retro.date),
            severity: &retro.severity,
            severity_class: severity_class(retro.severity_rank),
            summary: retro.summary.as_deref(),
            kind: retro.kind.as_str(),
            status: retro.status.as_str(),
            services: &retro.services,
            html: None,
        }
    }
}

/// `sev-1` for the most severe level, and so on; `sev-other` past the fourth.
pub fn severity_class(rank: usize) -> &'static str {
    ["sev-1", "sev-2", "sev-3", "sev-4"].get(rank).copied().unwrap_or("sev-other")
}

/// A facet value shown as a link, with its description.
#[derive(Debug, Serialize)]
pub struct Chip<'a> {
    /// The value.
    pub name: &'a str,
    /// Its page, site-relative.
    pub url: Option<String>,
    /// From the taxonomy.
    pub description: Option<&'a str>,
}

/// Chips for `names` in `index`.
pub fn chips<'a>(index: &'a FacetIndex, names: &'a [String]) -> Vec<Chip<'a>> {
    names
        .iter()
        .map(|name| {
            let value = index.get(name);
            Chip { name, url: index.url_of(name), description: value.and_then(|v| v.description.as_deref()) }
        })
        .collect()
}

/// An action item row.
#[derive(Debug, Serialize)]
pub struct ActionView<'a> {
    /// Id within the retro.
    pub id: Option<&'a str>,
    /// What to do.
    pub title: &'a str,
    /// Who.
    pub owner: Option<&'a str>,
    /// Due date.
    pub due: Option<String>,
    /// Status as written.
    pub status: &'static str,
    /// Open past its due date as of the build date.
    pub overdue: bool,
    /// prevent, mitigate, …
    pub kind: Option<&'static str>,
    /// p0..p3.
    pub priority: Option<&'static str>,
    /// The ticket: its text and, when safe, a URL.
    pub tracking: Option<LinkView>,
    /// Success criterion.
    pub metric: Option<&'a str>,
    /// When done.
    pub completed: Option<String>,
    /// Why, or anything else.
    pub note: Option<&'a str>,
}

impl<'a> ActionView<'a> {
    /// The row for `item`, with overdue computed as of `library.today`.
    pub fn new(item: &'a ActionItem, library: &Library) -> Self {
        ActionView {
            id: item.id.as_deref(),
            title: &item.title,
            owner: item.owner.as_deref(),
            due: item.due.map(crate::format::iso_date),
            status: item.status.as_str(),
            overdue: item.is_overdue(library.today),
            kind: item.kind.map(|k| k.as_str()),
            priority: item.priority.map(|p| p.as_str()),
            tracking: item
                .tracking
                .as_deref()
                .map(|t| tracking_link(t, library.config.tracker_url.as_deref())),
            metric: item.metric.as_deref(),
            completed: item.completed.map(crate::format::iso_date),
            note: item.note.as_deref(),
        }
    }
}

/// Link text and a URL that is safe to put in `href` (or none).
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// What to show.
    pub text: String,
    /// Where it goes, if anywhere safe.
    pub url: Option<String>,
}

/// A tracking entry: a URL as is, a ticket key through `tracker_url`.
fn tracking_link(tracking: &str, pattern: Option<&str>) -> LinkView {
    let text = tracking.to_owned();
    if safe_url(tracking).is_some() && tracking.contains("://") {
        return LinkView { url: Some(text.clone()), text };
    }
    let is_key = !tracking.is_empty()
        && tracking.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let url = pattern
        .filter(|p| is_key && p.contains("{key}"))
        .map(|p| p.replace("{key}", tracking))
        .filter(|u| safe_url(u).is_some());
    LinkView { text, url }
}

/// Returns `url` if its scheme is harmless in a link (http, https, mailto, or none).
///
/// Browsers ignore ASCII whitespace and control characters inside a scheme, so those are
/// dropped before looking: `java\tscript:` is still `javascript:`.
pub fn safe_url(url: &str) -> Option<&str> {
    let squeezed: String =
        url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control()).collect();
    let scheme_end = squeezed.find(':');
    let path_start = squeezed.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, path_start) {
        (Some(colon), Some(path)) => colon < path,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !has_scheme {
        return Some(url);
    }
    let scheme = squeezed[..scheme_end.unwrap_or(0)].to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_harmless_schemes_are_linked() {
        for ok in ["https://x.example/a", "http://x", "mailto:a@b", "../retros/a.html", "page?q=a:b", "#top"]
        {
            assert_eq!(safe_url(ok), Some(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ticket_keys_link_through_the_tracker_pattern() {
        let link = tracking_link("PAY-12", Some("https://t.example/browse/{key}"));
        assert_eq!(link.url.as_deref(), Some("https://t.example/browse/PAY-12"));
        assert_eq!(tracking_link("PAY 12 <b>", Some("https://t/{key}")).url, None);
        assert_eq!(tracking_link("javascript:alert(1)", None).url, None);
    }
}
