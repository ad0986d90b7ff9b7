use opsbook::search::{Candidates, Corpus, LinkCorpus, Query, Scorer, score_all};
use std::path::Path;
use std::time::Instant;
fn main() {
    let (_, dir) = opsbook::synth::existing_example_notebook();
    let nb = opsbook::storage::load(Path::new(&dir))
        .expect("loads")
        .notebook;
    let c = LinkCorpus::new(&nb);
    let args: Vec<String> = std::env::args().skip(2).collect();
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    if std::env::var_os("RANKED").is_some() {
        c.build_index(&|| false);
        eprintln!("index built");
        for q in &args {
            let query = Query::new(q);
            let p = c.prepare(&query, &mut Scorer::default());
            let strict = score_all(
                Candidates::Range(0, c.len() as u32),
                |id, s| c.score(&p, &query, id, s),
                &|| false,
            )
            .unwrap();
            let mut times = Vec::new();
            for _ in 0..reps {
                let t = Instant::now();
                let m = c.relaxed(q, &strict, &|| false).unwrap();
                times.push(t.elapsed().as_secs_f64() * 1e3);
                std::hint::black_box(m);
            }
            times.sort_by(|a, b| a.total_cmp(b));
            println!(
                "{q:?}: ranked+merge median {:.1} ms (min {:.1})",
                times[reps / 2],
                times[0]
            );
        }
        return;
    }
    let base = Query::new(&args[0]);
    let p = c.prepare(&base, &mut Scorer::default());
    let mut ids: Vec<u32> = score_all(
        Candidates::Range(0, c.len() as u32),
        |id, s| c.score(&p, &base, id, s),
        &|| false,
    )
    .unwrap()
    .into_iter()
    .map(|h| h.id)
    .collect();
    ids.sort_unstable();
    println!("{} candidates from {:?}", ids.len(), args[0]);
    for q in args.iter().skip(1) {
        let query = Query::new(q);
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..reps {
            let p = c.prepare(&query, &mut Scorer::default());
            let t = Instant::now();
            let hits = score_all(
                Candidates::List(&ids),
                |id, s| c.score(&p, &query, id, s),
                &|| false,
            )
            .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            n = hits.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{q:?}: {n} hits, median {:.1} ms (min {:.1})",
            times[reps / 2],
            times[0]
        );
    }
}
