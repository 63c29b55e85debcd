//! The dev server's search worker: builds the static search bundle and the search index of each
//! new site on its own thread, so an edit that arrives meanwhile is not kept waiting behind
//! them. Only the newest site waiting is built; its bundle is swapped in without reloading
//! open pages. A bundle is never built while a full rebuild renders (see
//! [`State::one_heavy_build_at_a_time`]).

use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};

use super::state::{MemorySink, State};
use crate::site::Site;

/// Starts the worker; each site sent is built unless a newer one is waiting. Every site sent
/// must have been counted with [`State::begin`]; the worker ends each.
pub fn start(state: Arc<State>) -> Sender<Arc<Site>> {
    let (sender, receiver) = channel::<Arc<Site>>();
    std::thread::spawn(move || {
        while let Ok(mut site) = receiver.recv() {
            let alone = state.one_heavy_build_at_a_time();
            // A rebuild that held the turn may have sent a newer site meanwhile.
            for newer in receiver.try_iter() {
                site = newer;
                state.end();
            }
            let bundle = MemorySink::default();
            let written = site.write_bundle(&bundle);
            drop(alone);
            match written {
                Ok(()) => state.replace_bundle(bundle.into_files()),
                Err(error) => eprintln!("error: the search bundle could not be built: {error}"),
            }
            if let Err(error) = site.write_rendered_index() {
                eprintln!("error: the search index could not be built: {error}");
            }
            drop(site);
            state.end();
        }
    });
    sender
}
