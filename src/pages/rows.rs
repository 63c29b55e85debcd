//! List rows rendered once per item (or once per item and page depth, when the row template
//! does more with `root` than print it), and reused on every list the item is on: a
//! 10,000-retro library lists each retro on about 26 pages (its facet values, the insights
//! cells, the related lists) and each action item on about three, and rendering the rows is
//! most of what a list page costs.

use std::borrow::Cow;
use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use tera::{Context, Tera};

use super::{PageError, Renderer};
use crate::views::RetroRow;
use crate::{templates, urls};

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

/// Rendered rows of a list of items, each rendered when first listed and kept for every page
/// depth.
///
/// When the row template prints `root` only as it is ([`templates::prints_root_verbatim`], as
/// the default theme's rows do), a row is rendered once, with a stand-in for `root` that no
/// text contains, and each page puts its own `root` in: a 1,000-retro build rendered 6,640
/// action rows for its 2,988 items, 8.5% of the build's instructions. Otherwise a row is
/// rendered once per page depth.
pub(super) struct RowCache {
    rows: Vec<Row>,
    /// The stand-in for `root`, when rows are rendered once for every depth.
    stand_in: Option<String>,
}

/// One item's rendered row: with the stand-in for `root`, or per page depth.
#[derive(Default)]
struct Row {
    any_depth: OnceLock<String>,
    at_depth: [OnceLock<String>; DEPTHS],
}

impl RowCache {
    /// An empty cache for `items` items whose rows are template `template` of `tera`.
    pub(super) fn new(items: usize, tera: &Tera, template: &str) -> Self {
        // Random for every cache, so that no retro's text can hold it.
        let stand_in = templates::prints_root_verbatim(tera, template)
            .then(|| format!("\u{1}root-{:016x}\u{1}", RandomState::new().hash_one(items)));
        RowCache { rows: (0..items).map(|_| Row::default()).collect(), stand_in }
    }

    /// Item `index`'s row on the page `at`, rendered by `render` (given the `root` to render
    /// with) unless it was before.
    pub(super) fn row(
        &self,
        index: usize,
        at: &PageAt,
        render: impl FnOnce(&str) -> Result<String, PageError>,
    ) -> Result<Cow<'_, str>, PageError> {
        let (Some(depth), Some(row)) = (at.depth, self.rows.get(index)) else {
            return render(&at.root).map(Cow::Owned);
        };
        if let Some(stand_in) = &self.stand_in {
            // A depth's root is `../` steps, which HTML escaping leaves as they are.
            let html = cached(&row.any_depth, || render(stand_in))?;
            return Ok(Cow::Owned(html.replace(stand_in.as_str(), &at.root)));
        }
        cached(&row.at_depth[depth], || render(&at.root)).map(|html| Cow::Borrowed(html.as_str()))
    }
}

/// What `cell` holds, made by `make` if it holds nothing yet. Two threads may make the same row
/// at once; both get the same text.
fn cached(
    cell: &OnceLock<String>,
    make: impl FnOnce() -> Result<String, PageError>,
) -> Result<&String, PageError> {
    if let Some(text) = cell.get() {
        return Ok(text);
    }
    let text = make()?;
    Ok(cell.get_or_init(|| text))
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
        let html = self.renderer.retro_rows.row(index, &self.at, |root| {
            let mut context = Context::new();
            context.insert("root", root);
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
