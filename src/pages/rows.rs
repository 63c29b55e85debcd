//! List rows rendered once per item and page depth, and reused on every list the item is on: a
//! 10,000-retro library lists each retro on about 26 pages (its facet values, the insights
//! cells, the related lists) and each action item on about three, and rendering the rows is
//! most of what a list page costs.

use std::borrow::Cow;
use std::sync::OnceLock;

use tera::Context;

use super::{PageError, Renderer};
use crate::urls;
use crate::views::RetroRow;

/// The template of one row of a retro list, given `r` (the row's fields) and `root`. The
/// default theme's `retro_list` macro lists the rows' `html`.
pub const RETRO_TEMPLATE: &str = "retro_item.html";

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

/// Rendered rows of a list of items, per page depth, each rendered when first listed.
pub(super) struct RowCache {
    rows: Vec<[OnceLock<String>; DEPTHS]>,
}

impl RowCache {
    /// An empty cache for `items` items.
    pub(super) fn new(items: usize) -> Self {
        RowCache { rows: (0..items).map(|_| Default::default()).collect() }
    }

    /// Item `index`'s row on the page `at`, rendered by `render` unless it was before.
    pub(super) fn row(
        &self,
        index: usize,
        at: &PageAt,
        render: impl FnOnce() -> Result<String, PageError>,
    ) -> Result<Cow<'_, str>, PageError> {
        let cell = at.depth.and_then(|depth| self.rows.get(index).map(|cells| &cells[depth]));
        if let Some(html) = cell.and_then(OnceLock::get) {
            return Ok(Cow::Borrowed(html));
        }
        let html = render()?;
        Ok(match cell {
            // Two threads may render the same row at once; both get the same HTML.
            Some(cell) => Cow::Borrowed(cell.get_or_init(|| html)),
            None => Cow::Owned(html),
        })
    }
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
    pub fn row(&self, index: usize) -> Result<RetroRow<'r>, PageError> {
        let retro = &self.renderer.library.retros[index];
        let html = self.renderer.retro_rows.row(index, &self.at, || {
            let mut context = Context::new();
            context.insert("root", &self.at.root);
            context.insert("r", &RetroRow::new(retro));
            self.renderer.render(RETRO_TEMPLATE, &context)
        })?;
        Ok(RetroRow { html: Some(html), ..RetroRow::new(retro) })
    }

    /// The list rows of the retros at `indexes`, in that order.
    pub fn of(&self, indexes: impl IntoIterator<Item = usize>) -> Result<Vec<RetroRow<'r>>, PageError> {
        indexes.into_iter().map(|index| self.row(index)).collect()
    }
}
