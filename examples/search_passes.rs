//! The two passes of a search over a large notebook, each timed alone.
//!
//! `cargo run --release --example search_passes -- 1000000 kuber kubernetes "kubernetes ou"`
//! times the strict pass (every term as fzf matches it, the score of each
//! hit) of each query after the first over the links the first one
//! matched, as typing narrows them; `RANKED=1` builds the search index and
//! times instead the ranked pass and its merge with the strict hits of
//! each query. `REPS` runs each (5 by default); the median and the
//! fastest are printed.

use std::path::Path;
use std::time::Instant;

use opsbook::search::{Candidates, Corpus, LinkCorpus, Query, Scorer, score_all};

fn main() {
    let (_, dir) = opsbook::synth::existing_example_notebook();
    let nb = opsbook::storage::load(Path::new(&dir))
        .expect("loads")
        .notebook;
    let corpus = LinkCorpus::new(&nb);
    let queries: Vec<String> = std::env::args().skip(2).collect();
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let strict = |q: &Query, candidates: Candidates<'_>| {
        let prepared = corpus.prepare(q, &mut Scorer::default());
        score_all(
            candidates,
            |id, s| corpus.score(&prepared, q, id, s),
            &|| false,
        )
        .unwrap_or_default()
    };
    let timed = |run: &mut dyn FnMut()| {
        let mut times: Vec<f64> = (0..reps.max(1))
            .map(|_| {
                let t = Instant::now();
                run();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        (times[times.len() / 2], times[0])
    };
    let everything = Candidates::Range(0, corpus.len() as u32);
    if std::env::var_os("RANKED").is_some() {
        corpus.build_index(&|| false);
        for q in &queries {
            let hits = strict(&Query::new(q), everything);
            let (median, fastest) = timed(&mut || {
                std::hint::black_box(corpus.relaxed(q, &hits, &|| false));
            });
            println!("{q:?}: ranked and merged, median {median:.1} ms (fastest {fastest:.1})");
        }
        return;
    }
    let Some(first) = queries.first() else {
        eprintln!("usage: search_passes N QUERY [QUERY ...]");
        return;
    };
    let ids: Vec<u32> = strict(&Query::new(first), everything)
        .into_iter()
        .map(|h| h.id)
        .collect();
    println!("{} links match {first:?}", ids.len());
    for q in &queries[1..] {
        let query = Query::new(q);
        let mut found = 0;
        let (median, fastest) = timed(&mut || found = strict(&query, Candidates::List(&ids)).len());
        println!("{q:?}: {found} hits, strict pass median {median:.1} ms (fastest {fastest:.1})");
    }
}
