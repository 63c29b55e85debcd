//! The dev server's quick path after an edit to retro files: the changed files alone are
//! validated again and only the pages that show them are rendered again, from the last site,
//! and swapped in together. The full rebuild that follows brings the rest up to date (similar
//! incidents, feeds, the sitemap, search), so the site always ends equal to a full build.
//!
//! - A body edit: that retro's page.
//! - A front-matter edit of one retro: its page, the pages that link to it (its neighbours, its
//!   related retros, the retros it is a similar incident of), every list and facet page, the
//!   home page and the dashboards, from a library with the edited retro swapped in.
//!
//! Anything else (an added, removed or invalid file, a changed id or date order, a retro that
//! leaves the selection) takes the full rebuild alone.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::rebuild::Rebuilder;
use super::state::{MemorySink, State};
use crate::library::Library;
use crate::model::Retro;
use crate::pages::{self, Inputs, Renderer, RetroAlone};
use crate::similar::SimilarIncidents;
use crate::site::{Rendered, Site};
use crate::{content, facets, insights, validate};

impl Rebuilder {
    /// Renders the pages that show the `changed` files from the last site and swaps them in;
    /// returns false (doing nothing) when the change needs the full rebuild.
    pub fn update_quickly(&self, state: &State, changed: &[PathBuf]) -> bool {
        let Some(site) = &self.last else { return false };
        let Some(rendered) = &site.rendered else { return false };
        let retro_files =
            changed.iter().filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")));
        // Atomic saves leave temporaries in the event list; only the retro files matter.
        let edits: Option<Vec<(usize, Retro)>> =
            retro_files.map(|path| self.revalidate(site, path)).collect();
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
    fn revalidate(&self, site: &Site, relative: &PathBuf) -> Option<(usize, Retro)> {
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
        let mut retros = old.retros.clone();
        retros[index] = new.clone();
        let library =
            Library::new(old.config.clone(), old.taxonomy.clone(), retros, self.selection, old.today);
        // The same retros in the same order: the last render's bodies and similar incidents
        // still line up with them (the edited retro's are replaced by the full rebuild).
        let same_order = library.retros.len() == old.retros.len()
            && library.retros.iter().zip(&old.retros).all(|(a, b)| a.id == b.id);
        if !same_order {
            return false;
        }
        let facets = facets::build(&library);
        let insights = insights::compute(&library);
        let inputs = Inputs {
            library: &library,
            facets: &facets,
            bodies: &rendered.bodies,
            similar: &rendered.similar,
            insights: &insights,
        };
        let renderer = Renderer::new(&rendered.templates, &library, sink);
        let body = self.caches.markdown.render(new.body());
        let retro_pages = showing(old, &library, &rendered.similar, index).into_iter().all(|shown| {
            let alone = RetroAlone {
                library: &library,
                facets: &facets,
                index: shown,
                body: if shown == index { &body } else { rendered.bodies.of(shown) },
                similar: rendered.similar.of(shown),
            };
            pages::render_retro(&renderer, &alone).is_ok()
        });
        retro_pages
            && pages::render_lists(&renderer, &inputs).is_ok()
            && pages::render_dashboards(&renderer, &inputs).is_ok()
    }
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
