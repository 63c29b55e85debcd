//! The dev server's search worker: builds the static search bundle and the search index of each
//! new site on its own thread, so an edit that arrives meanwhile is not kept waiting behind
//! them. Only the newest site waiting is built; its bundle is swapped in without reloading
//! open pages. A bundle is never built while a full rebuild renders (see
//! [`State::one_heavy_build_at_a_time`]).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};

use super::state::{MemorySink, State, Turn};
use crate::site::Site;

/// Starts the worker; each site sent is built unless a newer one is waiting. Every site sent
/// must have been counted with [`State::begin`]; the worker ends each, even when building it
/// panics (the panic is printed, the last bundle stays served and the next site is built).
pub fn start(state: Arc<State>) -> Sender<Arc<Site>> {
    let (sender, receiver) = channel::<Arc<Site>>();
    std::thread::spawn(move || {
        while let Ok(mut site) = receiver.recv() {
            let turn = state.one_heavy_build_at_a_time();
            // A rebuild hands its site over before it ends its turn, so every site rendered
            // before this turn began is here.
            for newer in receiver.try_iter() {
                site = newer;
                state.end();
            }
            if catch_unwind(AssertUnwindSafe(|| build(&state, &site, turn))).is_err() {
                eprintln!(
                    "error: building the search of the last change stopped on a bug in hindsight (above); the last search bundle is still served"
                );
            }
            drop(site);
            state.end();
        }
    });
    sender
}

/// Builds `site`'s search bundle during `turn` and swaps it in, then its search index after
/// the turn: the index writer holds at most 50 MB, and the seconds it takes at 10,000 retros
/// should not keep the next edit's full render waiting.
fn build(state: &State, site: &Site, turn: Turn<'_>) {
    let bundle = MemorySink::default();
    match site.write_bundle(&bundle) {
        Ok(()) => state.replace_bundle(bundle.into_files(), &turn),
        Err(error) => eprintln!("error: the search bundle could not be built: {error}"),
    }
    drop(turn);
    if let Err(error) = site.write_rendered_index() {
        eprintln!("error: the search index could not be built: {error}");
    }
}
