//! CPU and wall time of the pages, dashboards and feeds stages alone, without the search
//! threads that share the cores during a build, so a change to rendering can be measured.
//!
//!     cargo run --release --example render_cost ROOT OUTPUT [ROUNDS] [--now YYYY-MM-DD]
//!
//! Loads the library at ROOT and computes what the pages need once (facets, Markdown, similar
//! incidents, insights), then ROUNDS times (default 3) renders the pages, dashboards and feeds
//! into a staging folder published as OUTPUT, as `hindsight build` does. Prints one line per
//! round and stage, and one (round 0) for similar incidents: wall time and the process's user
//! and system CPU (Linux only). Run by hand.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hindsight::cache::Caches;
use hindsight::feeds::sitemap::Recorder;
use hindsight::library::Selection;
use hindsight::markdown::Bodies;
use hindsight::output::{Sink, Staging};
use hindsight::pages::{Inputs, Renderer};
use hindsight::site::Site;
use hindsight::{facets, feeds, insights, pages, similar, templates};
use rayon::prelude::*;

/// The binary's allocator, so allocation costs are what a build pays.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// User and system CPU of this process so far, from `/proc/self/stat` (clock ticks of 10 ms).
fn cpu() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("").split_whitespace().collect();
    let ticks =
        |i: usize| Duration::from_millis(fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0) * 10);
    (ticks(11), ticks(12))
}

/// Runs `stage`, printing its wall time and CPU.
fn measure<T>(round: usize, name: &str, stage: impl FnOnce() -> T) -> T {
    let (user, system) = cpu();
    let started = Instant::now();
    let value = stage();
    let wall = started.elapsed();
    let (user2, system2) = cpu();
    println!(
        "round {round} {name:<10} wall {:6.2} s  user {:6.2} s  sys {:5.2} s",
        wall.as_secs_f64(),
        (user2 - user).as_secs_f64(),
        (system2 - system).as_secs_f64()
    );
    value
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: render_cost ROOT OUTPUT [ROUNDS] [--now YYYY-MM-DD]";
    let root = PathBuf::from(args.get(1).ok_or(usage)?);
    let output = PathBuf::from(args.get(2).ok_or(usage)?);
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(3);
    let today = match args.iter().position(|a| a == "--now") {
        Some(at) => chrono::NaiveDate::parse_from_str(args.get(at + 1).ok_or(usage)?, "%Y-%m-%d")?,
        None => chrono::Local::now().date_naive(),
    };
    let validated = hindsight::site::validate(&root, None).map_err(|e| format!("{e}"))?;
    let caches = Arc::new(Caches::default());
    let site = Site::new(&root, validated, Selection::default(), today, caches.clone());
    let library = &site.library;
    let templates = templates::load(&root, &library.config.theme).map_err(|e| e.message.clone())?;
    let facets = facets::build(library);
    let bodies = Bodies::new(library.retros.par_iter().map(|r| caches.markdown.render(r.body())).collect());
    let (similar, _) = measure(0, "similar", || similar::compute(library, &bodies));
    let insights = insights::compute(library);
    let inputs = Inputs { library, facets: &facets, bodies: &bodies, similar: &similar, insights: &insights };
    println!("{} retros", library.retros.len());
    for round in 1..=rounds {
        let staging = Staging::create(&root, &output)?;
        let recorder = Recorder::new(&staging);
        let sink: &dyn Sink = &recorder;
        let renderer = Renderer::new(&templates, library, sink);
        let progress = indicatif::ProgressBar::hidden();
        let (user, system) = cpu();
        let started = Instant::now();
        measure(round, "pages", || pages::render_site(&renderer, &inputs, &progress))?;
        measure(round, "dashboards", || pages::render_dashboards(&renderer, &inputs))?;
        measure(round, "feeds", || feeds::write(&renderer, &inputs))?;
        let (user2, system2) = cpu();
        println!(
            "round {round} {:<10} wall {:6.2} s  user {:6.2} s  sys {:5.2} s",
            "all three",
            started.elapsed().as_secs_f64(),
            (user2 - user).as_secs_f64(),
            (system2 - system).as_secs_f64()
        );
        measure(round, "publish", || staging.publish())?;
    }
    Ok(())
}
