//! Load and search over synthetic notebooks of 10k, 100k and 1M links.
//! `cargo bench`; figures go in the closing notes and docs/benchmarks.md.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use opsbook::search::worker::search_all;
use opsbook::search::{LinkCorpus, Query};
use opsbook::storage::load;
use opsbook::synth::{Shape, notebook};

/// Writes a synthetic notebook once per size into the target folder.
fn synthetic(links: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("synth-{links}"));
    if !dir.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in notebook(Shape {
            documents: (links / 2000).max(1),
            links,
            seed: 7,
        }) {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        std::fs::write(dir.join(".complete"), "").expect("marker");
    }
    dir
}

fn sizes() -> Vec<usize> {
    match std::env::var("OPSBOOK_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) => vec![10_000, 100_000, 1_000_000],
    }
}

fn bench_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for links in sizes() {
        let dir = synthetic(links);
        let bytes = load(&dir).expect("load").notebook.source_bytes();
        group.throughput(criterion::Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::from_parameter(links), &dir, |b, dir| {
            b.iter(|| black_box(load(dir).expect("load")))
        });
    }
    group.finish();
}

fn bench_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    for links in sizes() {
        let nb = Arc::new(load(&synthetic(links)).expect("load").notebook);
        let corpus = LinkCorpus::new(Arc::clone(&nb));
        for q in ["kubernetes outage", "grafana", "zzzzqqq"] {
            group.bench_with_input(BenchmarkId::new(q, links), &Query::new(q), |b, q| {
                b.iter(|| black_box(search_all(&corpus, q)))
            });
        }
        // Typing a query one key at a time, each search narrowing the last.
        group.bench_with_input(
            BenchmarkId::new("typing 'kubernetes' narrowing", links),
            &(),
            |b, _| {
                b.iter(|| {
                    let mut previous: Option<Vec<u32>> = None;
                    for n in 1..="kubernetes".len() {
                        let q = Query::new(&"kubernetes"[..n]);
                        let hits = opsbook::search::filter(
                            nb.link_count(),
                            previous.as_deref(),
                            |id, s| {
                                let l = nb.link(id)?;
                                s.score(&q, &[l.text(), l.url()])
                            },
                            &|| false,
                        )
                        .expect("not cancelled");
                        let mut ids: Vec<u32> = hits.iter().map(|h| h.id).collect();
                        ids.sort_unstable();
                        previous = Some(ids);
                    }
                    black_box(previous)
                })
            },
        );
    }
    group.finish();
}

/// One frame of the search pane with every link matching, as while typing.
fn bench_frame(c: &mut Criterion) {
    use opsbook::app::{Action, App, Input, Scope};
    use opsbook::input::Keys;
    use opsbook::keymap::Keymap;
    use opsbook::search::Results;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::Instant;

    let mut group = c.benchmark_group("frame");
    for links in sizes() {
        let nb = load(&synthetic(links)).expect("load").notebook;
        let keys = Keys::new(Keymap::defaults());
        let mut app = App::new(nb, Instant::now());
        app.update(Input::Action(Action::SearchLinks), Instant::now());
        app.update(Input::Text("k".into()), Instant::now());
        let hits = search_all(app.links.as_ref(), &Query::new("k"))
            .iter()
            .map(|h| h.id)
            .collect();
        let total = app.notebook.link_count();
        app.search_answered(
            Scope::Links,
            Results {
                query: "k".into(),
                hits,
                total,
                generation: 1,
                done: true,
            },
        );
        let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
        group.bench_function(BenchmarkId::new("search pane 120x36", links), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| opsbook::ui::draw(f, &app, &keys))
                    .map(|_| ())
                    .expect("draw")
            })
        });
        app.update(Input::Action(Action::Close), Instant::now());
        group.bench_function(BenchmarkId::new("postmortems view 120x36", links), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| opsbook::ui::draw(f, &app, &keys))
                    .map(|_| ())
                    .expect("draw")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load, bench_search, bench_frame);
criterion_main!(benches);
