//! List rows rendered once per item (or once per item and page depth, when the row template
//! does more with `root` than print it), and reused on every list the item is on: a
//! 10,000-retro library lists each retro on about 26 pages (its facet values, the insights
//! cells, the related lists) and each action item on about three, and rendering the rows is
//! most of what a list page costs.

use std::borrow::Cow;
use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use super::{PageError, Renderer};
use crate::views::RetroRow;
use crate::{templates, urls};

/// Page depths whose rows are kept: the lists of a site sit at most four folders deep
/// (`actions/teams/data/page/2.html`). Rows of deeper pages are rendered each time.
const DEPTHS: usize = 5;

/// Where a page sits, as far as its rows care.
#[derive(Debug, Clone)]
pub struct PageAt {
    /// The way back to the site root, which the rows' links start with.
    pub root: String,
    /// How many folders deep the page is, when its root is the same as every page's at that
    /// depth (a not-found page's root is the site's root path instead).
    depth: Option<usize>,
}

impl PageAt {
    /// The page at `path`, whose way back to the site root is `root`.
    pub(super) fn new(path: &str, root: String) -> Self {
        let depth = path.matches('/').count();
        let depth = (root == urls::root_of(path) && depth < DEPTHS).then_some(depth);
        PageAt { root, depth }
    }
}

/// Rendered rows of a list of items, each rendered when first listed and kept for every page
/// depth.
///
/// When the row template prints `root` only as it is ([`templates::prints_root_verbatim`], as
/// the default theme's rows do), a row is rendered once, with a stand-in for `root` that no
/// text contains, and each page puts its own `root` in: a 1,000-retro build rendered 6,640
/// action rows for its 2,988 items, 8.5% of the build's instructions. Otherwise a row is
/// rendered once per page depth.
pub(super) enum RowCache {
    /// Each item's row rendered once, with holes where `root` goes.
    AnyDepth {
        /// The stand-in for `root` the rows are rendered with.
        stand_in: String,
        /// Each item's row, once rendered.
        rows: Vec<OnceLock<RootHoles>>,
    },
    /// Each item's row rendered for each page depth.
    PerDepth(Vec<[OnceLock<String>; DEPTHS]>),
}

impl RowCache {
    /// An empty cache for `items` items whose rows are template `template` of `tera`.
    pub(super) fn new(items: usize, tera: &Tera, template: &str) -> Self {
        if templates::prints_root_verbatim(tera, template) {
            // Random for every cache, so that no retro's text can hold it.
            let stand_in = format!("\u{1}root-{:016x}\u{1}", RandomState::new().hash_one(items));
            RowCache::AnyDepth { stand_in, rows: (0..items).map(|_| OnceLock::new()).collect() }
        } else {
            RowCache::PerDepth((0..items).map(|_| Default::default()).collect())
        }
    }

    /// Item `index`'s row on the page `at`, rendered by `render` (given the `root` to render
    /// with) unless it was before.
    pub(super) fn row(
        &self,
        index: usize,
        at: &PageAt,
        render: impl FnOnce(&str) -> Result<String, PageError>,
    ) -> Result<Cow<'_, str>, PageError> {
        let Some(depth) = at.depth else {
            return render(&at.root).map(Cow::Owned);
        };
        match self {
            RowCache::AnyDepth { stand_in, rows } => match rows.get(index) {
                // A depth's root is `../` steps, which HTML escaping leaves as they are, so the
                // row rendered with it is the row with the stand-in and the root put in.
                Some(row) => {
                    let holes = cached(row, || render(stand_in).map(|html| RootHoles::new(&html, stand_in)))?;
                    Ok(Cow::Owned(holes.with_root(&at.root)))
                }
                None => render(&at.root).map(Cow::Owned),
            },
            RowCache::PerDepth(rows) => match rows.get(index) {
                Some(row) => {
                    cached(&row[depth], || render(&at.root)).map(|html| Cow::Borrowed(html.as_str()))
                }
                None => render(&at.root).map(Cow::Owned),
            },
        }
    }
}

/// A row rendered with the stand-in for `root`, kept as its text without the stand-in and the
/// places it stood: putting a page's `root` in is then a copy, where replacing the stand-in
/// searched the whole row for it on every page (1% of a 10,000-retro build).
pub(super) struct RootHoles {
    /// The row without the stand-in.
    text: String,
    /// The byte offsets in `text` where the stand-in stood, in order.
    holes: Vec<usize>,
}

impl RootHoles {
    /// `html` with each `stand_in` taken out and its place kept.
    fn new(html: &str, stand_in: &str) -> Self {
        let mut text = String::with_capacity(html.len());
        let mut holes = Vec::new();
        let mut last = 0;
        for (at, _) in html.match_indices(stand_in) {
            text.push_str(&html[last..at]);
            holes.push(text.len());
            last = at + stand_in.len();
        }
        text.push_str(&html[last..]);
        RootHoles { text, holes }
    }

    /// The row with `root` in every hole: the same text as replacing the stand-in with it.
    fn with_root(&self, root: &str) -> String {
        let mut html = String::with_capacity(self.text.len() + self.holes.len() * root.len());
        let mut last = 0;
        for &hole in &self.holes {
            html.push_str(&self.text[last..hole]);
            html.push_str(root);
            last = hole;
        }
        html.push_str(&self.text[last..]);
        html
    }
}

/// What `cell` holds, made by `make` if it holds nothing yet. Two threads may make the same row
/// at once; both get the same value.
fn cached<T>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T, PageError>) -> Result<&T, PageError> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = make()?;
    Ok(cell.get_or_init(|| value))
}

/// A row of a retro list as a page's template is given it: its fields and its HTML, or only its
/// HTML when no template reads more ([`templates::Theme::lists_read_row_fields`]).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ListRow<'r> {
    /// Every field of the row, and its HTML.
    Full(RetroRow<'r>),
    /// Only the row's HTML.
    Html {
        /// The row as its list shows it (the theme's `retro_item.html`).
        html: Cow<'r, str>,
    },
}

/// The retro rows of the page at one path.
pub struct Rows<'r, 'a> {
    renderer: &'r Renderer<'a>,
    at: PageAt,
}

impl<'r, 'a> Rows<'r, 'a> {
    /// The retro rows of the page `at`.
    pub(super) fn new(renderer: &'r Renderer<'a>, at: PageAt) -> Self {
        Rows { renderer, at }
    }

    /// Where the page sits.
    pub fn at(&self) -> &PageAt {
        &self.at
    }

    /// The list row of retro `index`, with its HTML.
    pub fn row(&self, index: usize) -> Result<ListRow<'r>, PageError> {
        let retro = &self.renderer.library.retros[index];
        let html = self.renderer.retro_rows.row(index, &self.at, |root| {
            let mut context = Context::new();
            context.insert("root", root);
            context.insert("r", &RetroRow::new(retro));
            self.renderer.render(templates::RETRO_ROW, &context)
        })?;
        Ok(if self.renderer.lists_read_row_fields {
            ListRow::Full(RetroRow { html: Some(html), ..RetroRow::new(retro) })
        } else {
            ListRow::Html { html }
        })
    }

    /// The list rows of the retros at `indexes`, in that order.
    pub fn of(&self, indexes: impl IntoIterator<Item = usize>) -> Result<Vec<ListRow<'r>>, PageError> {
        indexes.into_iter().map(|index| self.row(index)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_put_in_the_holes_gives_the_same_text_as_replacing_the_stand_in() {
        let stand_in = "\u{1}root-0123\u{1}";
        let rows = [
            "<li>no link</li>".to_owned(),
            format!("<a href=\"{stand_in}retros/a.html\">a</a>"),
            format!("{stand_in}{stand_in}x{stand_in}"),
            format!("<a href=\"{stand_in}x\">é</a><a href=\"{stand_in}y\">{stand_in}</a>"),
            String::new(),
        ];
        for html in &rows {
            let holes = RootHoles::new(html, stand_in);
            for root in ["", "../", "../../../"] {
                assert_eq!(holes.with_root(root), html.replace(stand_in, root), "{html:?} at {root:?}");
            }
        }
        assert_eq!(RootHoles::new(&rows[2], stand_in).holes, [0, 0, 1]);
    }
}
