//! Long lists split into numbered pages, so that no page of a large library grows without
//! bound: all retros, a facet value's retros, the action-item tables and the repeats.
//!
//! The first page keeps the list's address (`retros/index.html`, `services/api.html`); page
//! `n` lives in a folder named after it (`retros/page/2.html`, `services/api/page/2.html`),
//! which no retro id or slug can name because neither holds a `/`.

use std::ops::Range;

use serde::Serialize;

/// How many page numbers the pager shows on each side of the current one.
const NEIGHBOURS: usize = 2;

/// Where one page of a list sits among the others, as its template shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub count: usize,
    /// The first item on this page, from 1 (0 for an empty list).
    pub first: usize,
    /// The last item on this page.
    pub last: usize,
    /// Items in the whole list.
    pub total: usize,
    /// The previous page's site-relative path.
    pub previous: Option<String>,
    /// The next page's site-relative path.
    pub next: Option<String>,
    /// The numbers to show: the first, the last and the current one's neighbours; `None`
    /// stands for the numbers left out between two of them.
    pub links: Vec<Option<PageLink>>,
}

/// A numbered link in the pager.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's number.
    pub number: usize,
    /// Its site-relative path.
    pub url: String,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// One page of a list: which items it holds, where it goes and its pager.
#[derive(Debug, Clone)]
pub struct Page {
    /// The items' positions in the whole list.
    pub items: Range<usize>,
    /// The site-relative path to write it to.
    pub path: String,
    /// What the template shows.
    pub pager: Pager,
}

/// The pages of a list of `total` items whose first page is at `first_path`, `size` items
/// each (0: all on one page). An empty list still has its one (empty) page.
pub fn paginate(total: usize, size: usize, first_path: &str) -> Vec<Page> {
    let size = if size == 0 { total.max(1) } else { size };
    let count = total.div_ceil(size).max(1);
    let path = |number: usize| crate::urls::list_page(first_path, number);
    (1..=count)
        .map(|number| {
            let items = (number - 1) * size..(number * size).min(total);
            let pager = Pager {
                number,
                count,
                first: if items.is_empty() { 0 } else { items.start + 1 },
                last: items.end,
                total,
                previous: (number > 1).then(|| path(number - 1)),
                next: (number < count).then(|| path(number + 1)),
                links: links(number, count, &path),
            };
            Page { items, path: path(number), pager }
        })
        .collect()
}

/// The title of a page: the list's own for the first, with its number after that.
pub fn title(list_title: &str, pager: &Pager) -> String {
    if pager.number == 1 {
        list_title.to_owned()
    } else {
        format!("{list_title}, page {} of {}", pager.number, pager.count)
    }
}

fn links(current: usize, count: usize, path: &dyn Fn(usize) -> String) -> Vec<Option<PageLink>> {
    if count <= 1 {
        return Vec::new();
    }
    // A gap of one number shows that number: "1 2 3 4 5", never "1 … 3 4 5".
    let near = |n: usize| n == 1 || n == count || n.abs_diff(current) <= NEIGHBOURS;
    let shown = |n: usize| near(n) || (n > 1 && near(n - 1) && near(n + 1));
    let mut links = Vec::new();
    let mut shown_last = None;
    for number in (1..=count).filter(|&n| shown(n)) {
        if shown_last.is_some_and(|last| number > last + 1) {
            links.push(None);
        }
        links.push(Some(PageLink { number, url: path(number), current: number == current }));
        shown_last = Some(number);
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(pager: &Pager) -> String {
        let shown = |link: &Option<PageLink>| match link {
            Some(l) if l.current => format!("[{}]", l.number),
            Some(l) => l.number.to_string(),
            None => "…".to_owned(),
        };
        pager.links.iter().map(shown).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn items_are_split_into_full_pages_and_a_last_partial_one() {
        let pages = paginate(450, 200, "retros/index.html");
        let ranges: Vec<_> = pages.iter().map(|p| p.items.clone()).collect();
        assert_eq!(ranges, [0..200, 200..400, 400..450]);
        let last = &pages[2].pager;
        assert_eq!((last.first, last.last, last.total, last.count), (401, 450, 450, 3));
        assert_eq!(last.previous.as_deref(), Some("retros/page/2.html"));
        assert_eq!(last.next, None);
        assert_eq!(pages[0].pager.next.as_deref(), Some("retros/page/2.html"));
    }

    #[test]
    fn a_short_or_unsplit_list_has_one_page_and_no_pager_links() {
        for (total, size) in [(0, 200), (200, 200), (5_000, 0)] {
            let pages = paginate(total, size, "retros/index.html");
            assert_eq!(pages.len(), 1, "{total} by {size}");
            assert_eq!(pages[0].items, 0..total);
            assert!(pages[0].pager.links.is_empty());
        }
        assert_eq!(paginate(0, 200, "a.html")[0].pager.first, 0);
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_current_pages_neighbours() {
        let pages = paginate(20 * 10, 10, "a.html");
        assert_eq!(numbers(&pages[0].pager), "[1] 2 3 … 20");
        assert_eq!(numbers(&pages[9].pager), "1 … 8 9 [10] 11 12 … 20");
        assert_eq!(numbers(&pages[3].pager), "1 2 3 [4] 5 6 … 20");
        assert_eq!(numbers(&pages[4].pager), "1 2 3 4 [5] 6 7 … 20", "a gap of one shows the number");
        assert_eq!(numbers(&paginate(5, 1, "a.html")[0].pager), "[1] 2 3 4 5");
        assert_eq!(numbers(&pages[19].pager), "1 … 18 19 [20]");
    }
}
