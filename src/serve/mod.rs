//! `hindsight serve`: builds the site into memory, serves it on loopback, rebuilds when a
//! source changes and tells open pages to reload (or shows the errors on top of them).
//!
//! A reader never sees a half-built site: each rebuild renders a complete snapshot in memory
//! and swaps it in whole.

mod http;
mod quick;
mod rebuild;
mod searching;
mod state;
mod stored;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use chrono::NaiveDate;

use crate::diagnostic::HumanPrinter;
use crate::library::Selection;
use rebuild::Rebuilder;
use state::{OverlayError, State};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on.
    pub port: u16,
    /// Open the site in a browser once it is up.
    pub open: bool,
    /// Drafts and restricted retros.
    pub selection: Selection,
    /// The build date.
    pub today: NaiveDate,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port could not be bound.
    #[error("cannot listen on {address}: {message}")]
    Listen {
        /// Where we tried.
        address: SocketAddr,
        /// Why it failed.
        message: String,
    },
    /// The file watcher could not start.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
}

/// Builds, serves and rebuilds until the process is stopped (Ctrl-C).
pub fn run(options: &ServeOptions) -> Result<(), ServeError> {
    let state = Arc::new(State::default());
    let search = searching::start(Arc::clone(&state));
    let mut rebuilder = Rebuilder::new(&options.root, options.selection, options.today, search);
    let started = Instant::now();
    let diagnostics = rebuilder.rebuild(&state);
    // The first site is served with its search, as a build would be.
    state.wait_until_idle();
    report(&diagnostics, "built", started);

    let (_watcher, changes) = watch::watch(&options.root)?;
    let address = SocketAddr::new(options.bind, options.port);
    let server = tiny_http::Server::http(address)
        .map_err(|error| ServeError::Listen { address, message: error.to_string() })?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {address}, reachable from other machines; the dev server is not hardened for that"
        );
    }
    let url = format!("http://{address}/");
    eprintln!("Serving {} at {url} (Ctrl-C to stop)", options.root.display());
    if options.open
        && let Err(error) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {error}");
    }

    let rebuild_state = Arc::clone(&state);
    std::thread::spawn(move || rebuild_on_changes(&mut rebuilder, &rebuild_state, &changes));

    for request in server.incoming_requests() {
        let state = Arc::clone(&state);
        let root = options.root.clone();
        std::thread::spawn(move || http::handle(request, &state, &root));
    }
    Ok(())
}

/// The rebuild loop: for each change, the quick path when it applies, then the full rebuild.
/// A rebuild that panics (a bug) is shown on the open pages, and the next change rebuilds.
fn rebuild_on_changes(rebuilder: &mut Rebuilder, state: &State, changes: &Receiver<watch::ChangeKind>) {
    while let Ok(change) = changes.recv() {
        state.begin();
        // Changes that arrived while the last rebuild ran are folded into this one.
        let pending: Vec<watch::ChangeKind> = changes.try_iter().collect();
        if catch_unwind(AssertUnwindSafe(|| rebuild_for(rebuilder, state, &change, pending.is_empty())))
            .is_err()
        {
            eprintln!(
                "error: the rebuild stopped on a bug in hindsight (above); the last good site is still served"
            );
            state.publish(None, vec![OverlayError::bug()]);
        }
        state.end();
    }
}

/// Rebuilds for `change` (`alone` when no other change came with it) and reports it.
fn rebuild_for(rebuilder: &mut Rebuilder, state: &State, change: &watch::ChangeKind, alone: bool) {
    let started = Instant::now();
    let quick = match (change, alone) {
        (watch::ChangeKind::Content(paths), true) => rebuilder.update_quickly(state, paths),
        _ => false,
    };
    if quick {
        eprintln!(
            "updated the pages of the change in {} ms; rebuilding the rest",
            started.elapsed().as_millis()
        );
    }
    let diagnostics = rebuilder.rebuild(state);
    let what = match change {
        watch::ChangeKind::Content(_) if alone => "rebuilt (content change)",
        _ => "rebuilt",
    };
    report(&diagnostics, what, started);
}

/// Prints the errors (the same diagnostics the overlay shows) and a one-line summary.
fn report(diagnostics: &[crate::diagnostic::Diagnostic], what: &str, started: Instant) {
    let printer = HumanPrinter::for_stderr();
    for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
        printer.print(diagnostic);
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let note = if errors > 0 { "; the last good version of what failed is still served" } else { "" };
    eprintln!("{what} in {} ms, {errors} errors{note}", started.elapsed().as_millis());
}
