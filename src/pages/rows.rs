//! Each retro's list row, rendered once per page depth and reused on every list it is on: a
//! 10,000-retro library lists each retro on about 26 pages (its facet values, the insights
//! cells, the related lists), and rendering a row is most of what a list page costs.

use std::borrow::Cow;
use std::sync::OnceLock;

use tera::Context;

use super::{PageError, Renderer};
use crate::urls;
use crate::views::RetroRow;

/// The template of one row of a retro list, given `r` (the row's fields) and `root`. The
/// default theme's `retro_list` macro lists the rows' `html`.
pub const TEMPLATE: &str = "retro_item.html";

/// Page depths whose rows are kept: the lists of a site sit at most three folders deep
/// (`services/api/page/2.html`). Rows of deeper pages are rendered each time.
const DEPTHS: usize = 4;

/// Every retro's row HTML, per page depth, rendered when first listed.
pub(super) struct RowCache {
    rows: Vec<[OnceLock<String>; DEPTHS]>,
}

impl RowCache {
    /// An empty cache for `retros` retros.
    pub(super) fn new(retros: usize) -> Self {
        RowCache { rows: (0..retros).map(|_| Default::default()).collect() }
    }
}

/// The rows of the page at one path.
pub struct Rows<'r, 'a> {
    renderer: &'r Renderer<'a>,
    /// The page's way back to the site root, which the rows' links start with.
    root: String,
    /// Where the rows of this page's depth are kept, if they are.
    depth: Option<usize>,
}

impl<'r, 'a> Rows<'r, 'a> {
    /// The rows of the page at `path`, whose way back to the site root is `root`.
    pub(super) fn new(renderer: &'r Renderer<'a>, path: &str, root: String) -> Self {
        // Only a root made of `../` steps is the same for every page at its depth.
        let depth = path.matches('/').count();
        let depth = (root == urls::root_of(path) && depth < DEPTHS).then_some(depth);
        Rows { renderer, root, depth }
    }

    /// The list row of retro `index`, with its HTML.
    pub fn row(&self, index: usize) -> Result<RetroRow<'r>, PageError> {
        let library = self.renderer.library;
        let cell = self.depth.and_then(|depth| self.renderer.rows.rows.get(index).map(|cells| &cells[depth]));
        let html = match cell.and_then(OnceLock::get) {
            Some(html) => Cow::Borrowed(html.as_str()),
            None => {
                let html = self.render(RetroRow::new(&library.retros[index]))?;
                match cell {
                    // Two threads may render the same row at once; both get the same HTML.
                    Some(cell) => Cow::Borrowed(cell.get_or_init(|| html).as_str()),
                    None => Cow::Owned(html),
                }
            }
        };
        Ok(RetroRow { html: Some(html), ..RetroRow::new(&library.retros[index]) })
    }

    /// The list rows of the retros at `indexes`, in that order.
    pub fn of(&self, indexes: impl IntoIterator<Item = usize>) -> Result<Vec<RetroRow<'r>>, PageError> {
        indexes.into_iter().map(|index| self.row(index)).collect()
    }

    /// `row` rendered with [`TEMPLATE`] for this page.
    fn render(&self, row: RetroRow<'_>) -> Result<String, PageError> {
        let mut context = Context::new();
        context.insert("root", &self.root);
        context.insert("r", &row);
        self.renderer.render(TEMPLATE, &context)
    }
}
