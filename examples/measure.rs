//! Measures a synthetic notebook of N links end to end: generation, load time,
//! throughput, peak memory and search times. `cargo run --release --example measure -- 1000000`
//!
//! Peak memory is read from /proc/self/status (VmHWM) after loading, minus
//! the resident size before. A run that has to generate the notebook first
//! stops after writing it: measure in a process that only loads.

use std::time::Instant;

use opsbook::storage::load;
use opsbook::synth::{Shape, notebook};

fn vm(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
        * 1024
}

fn main() {
    let (links, default_dir) = opsbook::synth::example_notebook();
    let out = std::env::args()
        .nth(2)
        .map_or(default_dir, std::path::PathBuf::from);
    let dir = out.as_path();
    if !dir.exists() {
        let docs = (links / 2000).max(1);
        for (name, text) in notebook(Shape {
            documents: docs,
            links,
            seed: 7,
        }) {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        println!(
            "generated {}; run again to measure a process that only loads",
            out.display()
        );
        return;
    }
    let before = vm("VmRSS:");
    let t = Instant::now();
    let loaded = load(dir).expect("loads");
    let load_s = t.elapsed().as_secs_f64();
    let nb = loaded.notebook;
    let bytes = nb.source_bytes() as f64;
    let peak = vm("VmHWM:").saturating_sub(before) as f64;
    let after = vm("VmRSS:").saturating_sub(before) as f64;
    println!(
        "links {} docs {} bytes {:.1} MB: load {:.3} s, {:.0} MB/s, peak memory {:.1} MB = {:.2}x the notebook ({:.2}x resident after the load)",
        nb.link_count(),
        nb.documents.len(),
        bytes / 1e6,
        load_s,
        bytes / 1e6 / load_s,
        peak / 1e6,
        peak / bytes,
        after / bytes
    );
    const QUERIES: [&str; 6] = [
        "kubernetes outage",
        "kuberntes outage",
        "grafana",
        "etcd 2019",
        "東京",
        "zzzzqqq",
    ];
    for q in QUERIES
        .iter()
        .filter(|_| std::env::var_os("SKIP_ONE_SHOT").is_none())
    {
        let t = Instant::now();
        let hits = opsbook::search::search_links(&nb, q);
        println!(
            "search {q:?}: {} hits in {:.1} ms (one-shot: strict, then ranked reading every link)",
            hits.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    println!(
        "peak memory after the one-shot searches {:.1} MB",
        vm("VmHWM:").saturating_sub(before) as f64 / 1e6
    );
    // The index the UI builds after its first frame, and the ranked pass
    // answered from it.
    let t = Instant::now();
    let index = opsbook::search::index::LinkIndex::build(&nb, &|| false).expect("not cancelled");
    let build_s = t.elapsed().as_secs_f64();
    let peak_now = vm("VmHWM:").saturating_sub(before) as f64;
    println!(
        "index built in {:.2} s: {:.1} MB ({:.2}x the notebook); peak memory now {:.1} MB = {:.2}x the notebook",
        build_s,
        index.bytes() as f64 / 1e6,
        index.bytes() as f64 / bytes,
        peak_now / 1e6,
        peak_now / bytes
    );
    for q in QUERIES {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let t = Instant::now();
            n = opsbook::search::ranked::rank_hits(&nb, Some(&index), q, &|| false)
                .map_or(0, |r| r.len());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "ranked {q:?} from the index: {n} links, median {:.1} ms, max {:.1} ms",
            times[2], times[4]
        );
    }
    // The terminal UI's start on top of the load: its indexes and corpora.
    let t = Instant::now();
    let app = opsbook::app::App::new(nb, Instant::now());
    println!(
        "UI state ready in {:.1} ms ({} rows in the Postmortems view)",
        t.elapsed().as_secs_f64() * 1e3,
        app.pane().rows.len()
    );
}
