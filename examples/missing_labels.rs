//! Leave-one-out precision and recall of H111 likely-missing-label, per threshold.
//!
//!     cargo run --release --example missing_labels ROOT
//!
//! For every valid retro of the library at ROOT and every one of its failure modes and
//! contributing factors: hide that label, ask H111's own functions what the retro lacks, and
//! count whether the hidden label comes back (recall = found / trials) and how many suggestions
//! are not among the retro's true labels (precision = found / all suggestions). Hiding a label
//! does not move a retro's neighbours, which are found by text and tags only, so they are found
//! once. Also printed: how many findings H111 makes on the library as it is. Run by hand.

use std::path::PathBuf;

use hindsight::model::Retro;
use hindsight::review::missing_labels::{NEIGHBOURS, missing, neighbours};

/// Counts at one threshold.
#[derive(Default)]
struct Tally {
    trials: usize,
    found: usize,
    suggested: usize,
    on_library: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::args().nth(1).ok_or("usage: missing_labels ROOT")?);
    let validated = hindsight::site::validate(&root, None).map_err(|e| format!("{e}"))?;
    let retros = &validated.retros;
    let all = neighbours(retros, NEIGHBOURS);
    println!("{} retros; {NEIGHBOURS} neighbours each, by text and tags", retros.len());
    println!(
        "| agreeing | min similarity | trials | suggested back | recall | wrong | precision | findings on the library |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for min_similarity in [0.0, 0.1, 0.2, 0.3] {
        for agreeing in 2..=NEIGHBOURS {
            let tally = measure(retros, &all, agreeing, min_similarity);
            let wrong = tally.suggested - tally.found;
            let precision = if tally.suggested == 0 {
                "-".to_owned()
            } else {
                format!("{:.2}", tally.found as f64 / tally.suggested as f64)
            };
            println!(
                "| {agreeing} | {min_similarity:.1} | {} | {} | {:.2} | {wrong} | {precision} | {} |",
                tally.trials,
                tally.found,
                tally.found as f64 / tally.trials.max(1) as f64,
                tally.on_library
            );
        }
    }
    Ok(())
}

fn measure(retros: &[Retro], all: &[Vec<(usize, f64)>], agreeing: usize, min_similarity: f64) -> Tally {
    let mut tally = Tally::default();
    for (retro, nearest) in retros.iter().zip(all) {
        let nearest: Vec<&Retro> =
            nearest.iter().filter(|(_, s)| *s >= min_similarity).map(|&(i, _)| &retros[i]).collect();
        tally.on_library += missing(retro, &nearest, agreeing).len();
        let hidden = retro
            .failure_modes
            .iter()
            .map(|m| (true, m))
            .chain(retro.contributing_factors.iter().map(|f| (false, f)));
        for (is_mode, label) in hidden {
            let mut without = retro.clone();
            let list = if is_mode { &mut without.failure_modes } else { &mut without.contributing_factors };
            list.retain(|l| l != label);
            let suggested = missing(&without, &nearest, agreeing);
            tally.trials += 1;
            tally.suggested += suggested.len();
            tally.found += usize::from(suggested.iter().any(|m| {
                &m.name == label && m.key.starts_with(if is_mode { "failure" } else { "contributing" })
            }));
        }
    }
    tally
}
