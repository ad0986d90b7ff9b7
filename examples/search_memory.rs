//! The heap a search passes through, key by key, over a large notebook.
//! `cargo run --release --example search_memory -- 1000000 ["kubernetes outage"]`
//!
//! The search index is built first, as the UI builds it after the first
//! frame; then the query is typed one key at a time into a search worker,
//! each key waiting for its complete results, the last results kept as the
//! UI keeps them. For each key: the heap held once it is answered, and its
//! peak while answering, both above the heap at rest. Bytes are counted by
//! a counting allocator, so the figures are the program's own, exact and
//! free of the allocator's reuse of pages (for the resident memory, see
//! `typing`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use opsbook::search::{LinkCorpus, Results, SearchWorker};

/// The system's allocator, counting the bytes held and their peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn add(bytes: usize) {
    let held = HELD.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(held, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as a copy: old and new are both held for a moment.
        add(new_size);
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        HELD.fetch_sub(layout.size(), Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let (_, dir) = opsbook::synth::existing_example_notebook();
    let nb = opsbook::storage::load(Path::new(&dir))
        .expect("loads")
        .notebook;
    let bytes = nb.source_bytes();
    let corpus = Arc::new(LinkCorpus::new(Arc::new(nb)));
    corpus.build_index(&|| false);
    let rest = HELD.load(Relaxed);
    println!(
        "heap at rest (notebook and index): {:.1} MB = {:.2}x the notebook ({:.1} MB)",
        mb(rest),
        rest as f64 / bytes as f64,
        mb(bytes)
    );
    let query = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "kubernetes outage".into());
    let mut worker = SearchWorker::start(corpus, || {});
    let mut kept: Option<Results> = None;
    let mut worst = 0;
    PEAK.store(rest, Relaxed);
    println!(
        "{:>24} {:>9} {:>12} {:>12}",
        "key", "results", "held after", "peak"
    );
    for (n, _) in query.char_indices().skip(1).chain([(query.len(), ' ')]) {
        let generation = worker.search(&query[..n]);
        let answer = loop {
            let r = worker.results.recv().expect("worker alive");
            if r.generation == generation && r.done {
                break r;
            }
        };
        let results = answer.hits.len();
        // The UI drops its last results for the new ones.
        kept = Some(answer);
        let peak = PEAK.swap(HELD.load(Relaxed), Relaxed);
        worst = worst.max(peak);
        println!(
            "{:>24} {results:>9} {:>9.1} MB {:>9.1} MB",
            format!("{:?}", &query[..n]),
            mb(HELD.load(Relaxed) - rest),
            mb(peak - rest)
        );
    }
    drop(kept);
    println!(
        "peak heap while typing: {:.1} MB = {:.2}x the notebook ({:.1} MB above rest)",
        mb(worst),
        worst as f64 / bytes as f64,
        mb(worst - rest)
    );
}
