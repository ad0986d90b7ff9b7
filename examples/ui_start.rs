//! The terminal UI's work between the load and its first frame, piece by
//! piece, on the main thread: the trees of the views, the postmortem
//! documents, the search corpora, then the day set as the event loop does.
//! Five runs over one loaded notebook; the median and the range of each.
//! The allocator is set up as the binary sets it (`GLIBC_DEFAULTS=1`: as
//! glibc comes).
//! `cargo run --release --example ui_start -- 1000000`
//! (after `cargo run --release --example measure -- 1000000` made the notebook).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use opsbook::notebook::Notebook;
use opsbook::notebook::edit::Date;
use opsbook::notebook::nesting::PostmortemTree;
use opsbook::notebook::postmortem::Day;
use opsbook::search::corpus::{LinkCorpus, NoteCorpus};

/// Milliseconds `f` takes.
fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed().as_secs_f64() * 1e3, out)
}

/// "median (min–max) ms" of some runs.
fn spread(mut runs: Vec<f64>) -> String {
    runs.sort_by(f64::total_cmp);
    format!(
        "{:.1} ms ({:.1}–{:.1})",
        runs[runs.len() / 2],
        runs[0],
        runs[runs.len() - 1]
    )
}

fn main() {
    let (links, dir) = opsbook::synth::existing_example_notebook();
    let nb = Arc::new(
        opsbook::storage::load(Path::new(&dir))
            .expect("loads")
            .notebook,
    );
    // As the UI does once loaded.
    if std::env::var_os("GLIBC_DEFAULTS").is_none() {
        opsbook::memory::tune_allocator();
    }
    let today = Date {
        year: 2026,
        month: 12,
        day: 7,
    };
    let day: Day = today.into();
    let mut parts: Vec<(&str, Vec<f64>)> = [
        "postmortem tree",
        "postmortem documents, found and dated",
        "link corpus (finds them too)",
        "note corpus",
        "App::new and set_today (all of the above and the views' rows)",
    ]
    .into_iter()
    .map(|name| (name, Vec::new()))
    .collect();
    // The same documents in a notebook of their own each time: nothing it
    // finds once and keeps is found already.
    let fresh = || Arc::new(Notebook::from_shared(nb.root.clone(), nb.documents.clone()));
    for _ in 0..5 {
        parts[0].1.push(time(|| PostmortemTree::new(&fresh())).0);
        let nb = fresh();
        parts[1].1.push(time(|| nb.postmortem_documents(day)).0);
        parts[2].1.push(time(|| LinkCorpus::new(fresh())).0);
        parts[3].1.push(time(|| NoteCorpus::new(fresh())).0);
        let nb = fresh();
        let (ms, app) = time(|| {
            let mut app = opsbook::app::App::new(nb, Instant::now());
            app.set_today(today);
            app
        });
        drop(app);
        parts[4].1.push(ms);
    }
    println!("{links} links, five runs each:");
    for (name, runs) in parts {
        println!("  {name}: {}", spread(runs));
    }
}
