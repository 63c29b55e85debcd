//! Rendering every page of the site into a [`Sink`]: retro pages, the facet pages, lists,
//! the home page, the dashboards (follow-through and insights), `404.html` and the assets.

mod actions;
mod insights;
mod lists;
mod paging;
mod retro;
mod rows;

pub use lists::render_lists;
pub use paging::Pager;
pub use rows::{ListRow, Rows};

use std::collections::HashSet;
use std::path::Path;

use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::facets::Facets;
use crate::insights::Insights;
use crate::library::Library;
use crate::markdown::{Bodies, RenderedBody};
use crate::output::{OutputError, Sink};
use crate::similar::{SimilarIncidents, Suggestion};
use crate::templates::{self, Theme};
use crate::views::SiteView;
use crate::{highlight, urls};

thread_local! {
    /// The page being rendered on this thread. Reused for every page: tera's own buffer starts
    /// at 2 KB and doubles, copying, up to pages of 20 to 200 KB, then the text is checked
    /// again as UTF-8 before a page can be written. Nothing that renders into it renders a page.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Why a page could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// A template failed to render.
    #[error("template error: {}", .0.message)]
    Template(Box<Diagnostic>),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Renders pages with the shared parts of every template context.
pub struct Renderer<'a> {
    tera: &'a Tera,
    library: &'a Library,
    site: SiteView<'a>,
    theme: &'a str,
    /// Where the pages go.
    pub sink: &'a dyn Sink,
    page_size: usize,
    base_url: Option<&'a crate::urls::BaseUrl>,
    /// When set, only these paths are rendered (the dev server's quick path); others are skipped.
    only: Option<&'a HashSet<String>>,
    /// The retros' list rows rendered so far.
    retro_rows: rows::RowCache,
    /// Whether lists give templates their rows' fields, or only their HTML.
    lists_read_row_fields: bool,
}

impl<'a> Renderer<'a> {
    /// A renderer of `theme`'s templates writing into `sink`.
    pub fn new(theme: &'a Theme, library: &'a Library, sink: &'a dyn Sink) -> Self {
        let tera = &theme.tera;
        Renderer {
            tera,
            library,
            site: SiteView::new(library),
            theme: &library.config.theme,
            sink,
            page_size: library.config.page_size,
            base_url: library.config.base_url.as_ref(),
            only: None,
            retro_rows: rows::RowCache::new(library.retros.len(), tera, templates::RETRO_ROW),
            lists_read_row_fields: theme.lists_read_row_fields,
        }
    }

    /// This renderer, rendering only the pages at `paths` and skipping every other.
    pub fn only(self, paths: &'a HashSet<String>) -> Self {
        Renderer { only: Some(paths), ..self }
    }

    /// Whether the page at `path` is to be rendered.
    fn wanted(&self, path: &str) -> bool {
        self.only.is_none_or(|paths| paths.contains(path))
    }

    /// The pages of a list of `total` items whose first page is at `first_path`.
    pub fn paginate(&self, total: usize, first_path: &str) -> Vec<paging::Page> {
        paging::paginate(total, self.page_size, first_path)
    }

    /// The retro list rows of the page at `path`.
    pub fn rows(&self, path: &str) -> Rows<'_, 'a> {
        Rows::new(self, self.at(path))
    }

    /// Where the page at `path` sits, for rows rendered once per depth.
    fn at(&self, path: &str) -> rows::PageAt {
        rows::PageAt::new(path, self.root(path))
    }

    /// Renders a list of `total` items page by page with `template`, the first page at
    /// `first_path`; `context` builds a page's context from its items' positions, its pager
    /// and its retro list rows. Returns how many pages were written.
    pub fn list_pages<'r, T, F>(
        &'r self,
        template: &str,
        first_path: &str,
        title: &str,
        total: usize,
        context: F,
    ) -> Result<usize, PageError>
    where
        T: Serialize,
        F: Fn(std::ops::Range<usize>, Pager, &Rows<'r, 'a>) -> Result<T, PageError> + Sync,
    {
        let pages = self.paginate(total, first_path);
        pages.par_iter().filter(|page| self.wanted(&page.path)).try_for_each(|page| {
            let title = paging::title(title, &page.pager);
            let rows = self.rows(&page.path);
            self.page(template, &page.path, &title, &context(page.items.clone(), page.pager.clone(), &rows)?)
        })?;
        Ok(pages.len())
    }

    /// Renders `template` with `page` and writes it to `path` (site-relative, `/`-separated).
    pub fn page<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        title: &str,
        page: &T,
    ) -> Result<(), PageError> {
        if !self.wanted(path) {
            return Ok(());
        }
        let mut context = Context::new();
        context.insert("root", &self.root(path));
        context.insert("site", &self.site);
        context.insert("title", title);
        context.insert("page", page);
        // Only with `base_url`: a canonical link must be absolute. The not-found page is served
        // at any address, so it names none.
        let canonical = self.base_url.filter(|_| path != urls::NOT_FOUND).map(|base| base.absolute(path));
        context.insert("canonical", &canonical);
        PAGE_BUFFER.with_borrow_mut(|html| {
            html.clear();
            self.tera
                .render_to(template, &context, &mut *html)
                .map_err(|error| self.template_error(&error))?;
            self.sink.write(path, html)?;
            Ok(())
        })
    }

    /// `template` rendered with `context`.
    fn render(&self, template: &str, context: &Context) -> Result<String, PageError> {
        self.tera.render(template, context).map_err(|error| self.template_error(&error))
    }

    /// A template's error, naming the theme's template file.
    fn template_error(&self, error: &tera::Error) -> PageError {
        PageError::Template(templates::template_error(&Path::new("themes").join(self.theme), error))
    }

    /// How the page at `path` reaches the site root. A server sends the not-found page for a
    /// missing address at any depth, where no relative way back works; with `base_url` it uses
    /// the site's root path (`/incidents/`), which works on any host serving that path.
    fn root(&self, path: &str) -> String {
        match self.base_url {
            Some(base) if path == urls::NOT_FOUND => base.root_path().to_owned(),
            _ => urls::root_of(path),
        }
    }
}

/// What the pages are rendered from: the library and the products of the stages before.
pub struct Inputs<'a> {
    /// The published retros.
    pub library: &'a Library,
    /// The retros grouped by every facet.
    pub facets: &'a Facets,
    /// Every retro's rendered body.
    pub bodies: &'a Bodies,
    /// Every retro's similar incidents.
    pub similar: &'a SimilarIncidents,
    /// The analyses the dashboards show.
    pub insights: &'a Insights<'a>,
}

/// Renders the retro pages, the list pages and the search page; returns how many were written.
pub fn render_site(
    renderer: &Renderer<'_>,
    inputs: &Inputs<'_>,
    progress: &ProgressBar,
) -> Result<usize, PageError> {
    let library = inputs.library;
    (0..library.retros.len()).into_par_iter().try_for_each(|index| {
        let similar = inputs.similar.of(index);
        let retro = &library.retros[index];
        let path = urls::retro(&retro.id);
        let rows = renderer.rows(&path);
        let page =
            retro::RetroPage::new(library, inputs.facets, index, inputs.bodies.of(index), similar, &rows)?;
        renderer.page("retro.html", &path, &retro.title, &page)?;
        progress.inc(1);
        Ok::<(), PageError>(())
    })?;
    let list_pages = lists::render_lists(renderer, inputs)?;
    let shards = urls::bundle_shards(library.retros.len());
    renderer.page("search.html", urls::SEARCH, "Search", &SearchPage { merge: &shards[1..] })?;
    write_assets(renderer.sink)?;
    Ok(library.retros.len() + list_pages + 1)
}

/// What the search page needs: the bundle folders to merge into the first one's results.
#[derive(serde::Serialize)]
struct SearchPage<'a> {
    merge: &'a [String],
}

/// One retro's page alone, for the dev server's quick path after a body edit.
pub struct RetroAlone<'a> {
    /// The library the retro belongs to.
    pub library: &'a Library,
    /// The retros grouped by every facet.
    pub facets: &'a Facets,
    /// Which retro.
    pub index: usize,
    /// Its new body.
    pub body: &'a RenderedBody,
    /// Its similar incidents, as last computed.
    pub similar: &'a [Suggestion],
}

/// Renders one retro's page, for the dev server's quick path after a body edit.
pub fn render_retro(renderer: &Renderer<'_>, alone: &RetroAlone<'_>) -> Result<(), PageError> {
    let retro = &alone.library.retros[alone.index];
    let path = urls::retro(&retro.id);
    let rows = renderer.rows(&path);
    let page =
        retro::RetroPage::new(alone.library, alone.facets, alone.index, alone.body, alone.similar, &rows)?;
    renderer.page("retro.html", &path, &retro.title, &page)
}

/// Renders the follow-through and analytics pages; returns the number of HTML pages written.
pub fn render_dashboards(renderer: &Renderer<'_>, inputs: &Inputs<'_>) -> Result<usize, PageError> {
    Ok(actions::render(renderer, inputs)? + insights::render(renderer, inputs)?)
}

/// The theme's stylesheet (overridable), the highlighting stylesheet, and `static/`.
fn write_assets(sink: &dyn Sink) -> Result<(), OutputError> {
    for (path, text) in templates::STATIC_FILES {
        sink.write(path, text.as_bytes())?;
    }
    sink.write(urls::SYNTAX_CSS, highlight::stylesheet().as_bytes())?;
    Ok(())
}
