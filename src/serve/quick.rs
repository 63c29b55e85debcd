//! The dev server's quick path after an edit to retro files: the changed files alone are
//! validated again and only the pages that show them are rendered again, from the last site,
//! and swapped in together. The full rebuild that follows brings the rest up to date (similar
//! incidents, feeds, the sitemap, search), so the site always ends equal to a full build.
//!
//! - A body edit: that retro's page.
//! - A front-matter edit of one retro: its page, the pages that link to it (its neighbours, its
//!   related retros, the retros it is a similar incident of), the home page, the facet
//!   overviews, and the pages of facet values and of all retros that list it, from a library
//!   with the edited retro swapped in. The dashboards wait for the full rebuild: most of their
//!   bytes (follow-through by owner and team) would have to be rendered again to find the rows.
//!
//! Anything else (an added, removed or invalid file, a changed id, a date that reorders the
//! library, a retro that leaves the selection) takes the full rebuild alone.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::rebuild::Rebuilder;
use super::state::{MemorySink, State};
use crate::facets::{FacetValue, Facets};
use crate::library::Library;
use crate::model::Retro;
use crate::pages::{self, Inputs, Renderer, RetroAlone};
use crate::similar::SimilarIncidents;
use crate::site::{Rendered, Site};
use crate::{content, facets, insights, urls, validate};

impl Rebuilder {
    /// Renders the pages that show the `changed` files from the last site and swaps them in;
    /// returns false (doing nothing) when the change needs the full rebuild.
    pub fn update_quickly(&self, state: &State, changed: &[PathBuf]) -> bool {
        let Some(site) = &self.last else { return false };
        let Some(rendered) = &site.rendered else { return false };
        // Atomic saves leave temporaries in the event list; only the retro files matter, once
        // each (one save is several events).
        let retro_files: BTreeSet<&PathBuf> =
            changed.iter().filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))).collect();
        let edits: Option<Vec<(usize, Retro)>> =
            retro_files.into_iter().map(|path| self.revalidate(site, path)).collect();
        let Some(edits) = edits.filter(|edits| !edits.is_empty()) else { return false };
        let sink = MemorySink::default();
        let bodies_only =
            edits.iter().all(|(index, new)| site.library.retros[*index].differs_only_in_body(new));
        let done = match edits.as_slice() {
            _ if bodies_only => self.render_bodies(site, rendered, &edits, &sink),
            [(index, new)] => self.render_front_matter(site, rendered, *index, new, &sink),
            _ => false,
        };
        if done {
            state.publish_pages(sink.into_files());
        }
        done
    }

    /// The new version of the retro file at `relative`, and its place in the last library:
    /// `None` unless it validates and is the same retro (same id, same file).
    fn revalidate(&self, site: &Site, relative: &Path) -> Option<(usize, Retro)> {
        let library = &site.library;
        let file = content::read(&self.root, &self.root.join(relative)).ok()?;
        let checked = validate::validate_file(file, &library.taxonomy, &library.config.lint);
        if checked.diagnostics.iter().any(crate::diagnostic::Diagnostic::is_error) {
            return None;
        }
        let new = checked.retro?;
        let index = library.index_of(&new.id)?;
        (library.retros[index].source == new.source).then_some((index, new))
    }

    /// The pages of retros whose body alone changed.
    fn render_bodies(
        &self,
        site: &Site,
        rendered: &Rendered,
        edits: &[(usize, Retro)],
        sink: &MemorySink,
    ) -> bool {
        let renderer = Renderer::new(&rendered.templates, &site.library, sink);
        edits.iter().all(|(index, new)| {
            let body = self.caches.markdown.render(new.body());
            let alone = RetroAlone {
                library: &site.library,
                facets: &rendered.facets,
                index: *index,
                body: &body,
                similar: rendered.similar.of(*index),
            };
            pages::render_retro(&renderer, &alone).is_ok()
        })
    }

    /// The pages that show retro `index`, whose front matter changed to `new`'s.
    fn render_front_matter(
        &self,
        site: &Site,
        rendered: &Rendered,
        index: usize,
        new: &Retro,
        sink: &MemorySink,
    ) -> bool {
        let old = &site.library;
        let Some(library) = self.swapped_in(old, index, new) else { return false };
        let facets = facets::build(&library);
        let insights = insights::compute(&library);
        let inputs = Inputs {
            library: &library,
            facets: &facets,
            bodies: &rendered.bodies,
            similar: &rendered.similar,
            insights: &insights,
        };
        let shown = showing(old, &library, &rendered.similar, index);
        let renderer = Renderer::new(&rendered.templates, &library, sink);
        let mut paths = lists_showing(&renderer, (&rendered.facets, &facets), &library, index);
        paths.extend(shown.iter().map(|&i| urls::retro(&library.retros[i].id)));
        let renderer = renderer.only(&paths);
        let body = self.caches.markdown.render(new.body());
        let retro_pages = shown.into_iter().all(|shown| {
            let alone = RetroAlone {
                library: &library,
                facets: &facets,
                index: shown,
                body: if shown == index { &body } else { rendered.bodies.of(shown) },
                similar: rendered.similar.of(shown),
            };
            pages::render_retro(&renderer, &alone).is_ok()
        });
        retro_pages && pages::render_lists(&renderer, &inputs).is_ok()
    }

    /// The library `old` with retro `index` replaced by `new`, when its retros stay the same
    /// and in the same order: then the last render's bodies and similar incidents still line
    /// up with it (the edited retro's are replaced by the full rebuild).
    fn swapped_in(&self, old: &Library, index: usize, new: &Retro) -> Option<Library> {
        let mut retros = old.retros.clone();
        retros[index] = new.clone();
        let library =
            Library::new(old.config.clone(), old.taxonomy.clone(), retros, self.selection, old.today);
        let same_order = library.retros.len() == old.retros.len()
            && library.retros.iter().zip(&old.retros).all(|(a, b)| a.id == b.id);
        same_order.then_some(library)
    }
}

/// The list pages that show retro `index` after its edit: the home page, every facet's overview
/// (counts), the page of all retros that holds it, and for each facet value it had or has, the
/// first page (its summary covers every retro of the value) and the page that holds it, or
/// every page from its place on when it joined or left the value (the rest shift by one).
fn lists_showing(
    renderer: &Renderer<'_>,
    (old, new): (&Facets, &Facets),
    library: &Library,
    index: usize,
) -> HashSet<String> {
    let holding = |total: usize, first: &str, from: usize, to: usize| {
        renderer
            .paginate(total, first)
            .into_iter()
            .enumerate()
            .filter(move |(number, page)| *number == 0 || (page.items.end > from && page.items.start <= to))
            .map(|(_, page)| page.path)
    };
    let mut paths = HashSet::from([urls::HOME.to_owned()]);
    paths.extend(holding(library.retros.len(), urls::ALL_RETROS, index, index));
    for (old_index, new_index) in old.iter().zip(new.iter()) {
        paths.insert(urls::facet_index(new_index.facet));
        for value in &new_index.values {
            let place = |value: &FacetValue| value.retros.iter().position(|&i| i == index);
            let before = old_index.get(&value.name).and_then(place);
            let after = place(value);
            let (from, to) = match (before, after) {
                (None, None) => continue,
                (Some(at), Some(now)) if at == now => (at, at),
                (before, after) => (before.into_iter().chain(after).min().unwrap_or(0), usize::MAX),
            };
            paths.extend(holding(
                value.retros.len(),
                &urls::facet_value(new_index.facet, &value.slug),
                from,
                to,
            ));
        }
    }
    paths
}

/// The retros whose pages show retro `index`: itself, its neighbours, its related retros before
/// and after the edit, and the retros it is a similar incident of.
fn showing(old: &Library, new: &Library, similar: &SimilarIncidents, index: usize) -> BTreeSet<usize> {
    let mut shown = BTreeSet::from([index]);
    shown.extend(index.checked_sub(1));
    shown.extend(Some(index + 1).filter(|&next| next < new.retros.len()));
    shown.extend(old.related(index).iter().chain(new.related(index)).copied());
    shown.extend((0..new.retros.len()).filter(|&other| similar.of(other).iter().any(|s| s.index == index)));
    shown
}
