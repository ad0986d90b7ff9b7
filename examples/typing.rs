//! Typing a query into the search pane over a large notebook: per keystroke,
//! the time until its first results arrive from the search thread and until
//! they are complete, and the time to draw each frame.
//! `cargo run --release --example typing -- 1000000`
//!
//! First, keys are sent every 60 ms (a fast typist); a key whose search is
//! overtaken by the next key counts as answered when the newer answer
//! arrives. Then the query is typed again one key at a time, each key
//! waiting for its complete results (a typist who looks). The search
//! index is built first, as the UI builds it after the first frame
//! (`NO_INDEX=1`: without it). `PAGES=10000` keeps page text (600 words
//! each) for 10,000 links spread over the notebook, searched as kept pages
//! are. `PER_KEY=1` prints each key's complete results time too. Last, the
//! process's memory: resident before typing (the index built, free pages
//! given back) and its peak while typing (VmHWM, reset before typing
//! through /proc/self/clear_refs), against the notebook's bytes. The
//! allocator is set up as the binary sets it (`GLIBC_DEFAULTS=1`: as
//! glibc comes).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use opsbook::app::{App, Scope};
use opsbook::input::Keys;
use opsbook::keymap::{KeyPress, Keymap};
use opsbook::search::SearchWorker;
use opsbook::storage::load;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// An answer (even a first, partial one) answers every older key still waiting.
fn answered(sent: &mut Vec<(u64, Instant)>, generation: u64, latencies: &mut Vec<f64>) {
    let now = Instant::now();
    sent.retain(|&(g, at)| {
        if g <= generation {
            latencies.push(now.duration_since(at).as_secs_f64() * 1e3);
            false
        } else {
            true
        }
    });
}

/// A field of /proc/self/status, in bytes.
fn status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let (_, dir) = opsbook::synth::existing_example_notebook();
    let nb = load(Path::new(&dir)).expect("loads").notebook;
    // As the UI does once loaded (`GLIBC_DEFAULTS=1`: glibc's own settings).
    if std::env::var_os("GLIBC_DEFAULTS").is_none() {
        opsbook::memory::tune_allocator();
    }
    let mut app = App::new(nb, Instant::now());
    // As the UI does after its first frame; `NO_INDEX=1` measures the
    // ranked pass reading every link instead.
    if std::env::var_os("NO_INDEX").is_none() {
        let t = Instant::now();
        app.links.build_index(&|| false);
        println!("index built in {:.2} s", t.elapsed().as_secs_f64());
    }
    if let Some(n) = std::env::var("PAGES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let every = (app.notebook.link_count() / n.max(1)).max(1);
        let urls: Vec<String> = app
            .notebook
            .links()
            .step_by(every)
            .take(n)
            .map(|l| l.url().to_string())
            .collect();
        let pages = opsbook::synth::page_words(&urls, 600);
        let t = Instant::now();
        let index = opsbook::search::pages::PageIndex::build(&pages);
        println!(
            "{} pages kept ({} MB of text), their index built in {:.2} s",
            pages.len(),
            pages.iter().map(|p| p.text.len()).sum::<usize>() >> 20,
            t.elapsed().as_secs_f64()
        );
        app.links.set_pages(Some(Arc::new(index)));
    }
    // As the UI does after its index build; then the peak counts from here.
    opsbook::memory::give_back_free_pages();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let resident_before = status("VmRSS:");
    let mut keys = Keys::new(Keymap::defaults());
    let mut worker = SearchWorker::start(Arc::clone(&app.links), || {});
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
    if let Some(input) = keys.press(KeyPress::char('/'), app.mode()) {
        app.update(input, Instant::now());
    }

    let mut latencies = Vec::new();
    let mut frames = Vec::new();
    let query = "kubernetes outage";
    let mut sent: Vec<(u64, Instant)> = Vec::new();
    // The newest generation asked for, and the newest answered in full: an
    // answer may come complete within the wait after the last key.
    let mut last_sent = 0;
    let mut newest_done = 0;
    for c in query.chars() {
        let key = if c == ' ' {
            KeyPress::parse("space").expect("space")
        } else {
            KeyPress::char(c)
        };
        let t = Instant::now();
        let input = keys.press(key, app.mode());
        let effects = input.map_or_else(Vec::new, |i| app.update(i, Instant::now()));
        for effect in effects {
            if let opsbook::app::Effect::Search(_, q) = effect {
                last_sent = worker.search(&q);
                sent.push((last_sent, Instant::now()));
            }
        }
        let key_time = t.elapsed();
        let t = Instant::now();
        terminal
            .draw(|f| opsbook::ui::draw(f, &app, &keys))
            .expect("draw");
        frames.push((t.elapsed() + key_time).as_secs_f64() * 1e3);
        let deadline = Instant::now() + Duration::from_millis(60);
        while Instant::now() < deadline {
            if let Ok(r) = worker
                .results
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                answered(&mut sent, r.generation, &mut latencies);
                if r.done {
                    newest_done = newest_done.max(r.generation);
                }
                app.search_answered(Scope::Links, r);
                let t = Instant::now();
                terminal
                    .draw(|f| opsbook::ui::draw(f, &app, &keys))
                    .expect("draw");
                frames.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    while !sent.is_empty() || newest_done < last_sent {
        let r = worker.results.recv().expect("answer");
        if r.done {
            newest_done = newest_done.max(r.generation);
        }
        answered(&mut sent, r.generation, &mut latencies);
        app.search_answered(Scope::Links, r);
    }
    let max_latency = latencies.iter().cloned().fold(0.0, f64::max);
    let max_frame = frames.iter().cloned().fold(0.0, f64::max);
    println!(
        "{} links, typing {query:?} at 60 ms a key: first results per keystroke median {:.1} ms, max {:.1} ms; frames median {:.2} ms, max {:.2} ms ({} frames); {} hits",
        app.notebook.link_count(),
        median(&mut latencies),
        max_latency,
        median(&mut frames),
        max_frame,
        frames.len(),
        app.search().map_or(0, |s| s.hits.len()),
    );

    // Again, one key at a time, each waiting for its complete results.
    let mut first = Vec::new();
    let mut complete = Vec::new();
    for n in 1..=query.len() {
        let at = Instant::now();
        let generation = worker.search(&query[..n]);
        let mut got_first = false;
        loop {
            let r = worker.results.recv().expect("answer");
            if r.generation < generation {
                continue;
            }
            if !got_first {
                first.push(at.elapsed().as_secs_f64() * 1e3);
                got_first = true;
            }
            if r.done {
                complete.push(at.elapsed().as_secs_f64() * 1e3);
                if std::env::var_os("PER_KEY").is_some() {
                    println!(
                        "{:>20} {:6.1} ms",
                        format!("{:?}", &query[..n]),
                        complete[n - 1]
                    );
                }
                break;
            }
        }
    }
    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let (max_first, max_complete) = (max(&first), max(&complete));
    println!(
        "one key at a time: first results median {:.1} ms, max {:.1} ms; complete results median {:.1} ms, max {:.1} ms",
        median(&mut first),
        max_first,
        median(&mut complete),
        max_complete,
    );
    let bytes = app.notebook.source_bytes() as f64;
    let peak = status("VmHWM:") as f64;
    println!(
        "memory: resident before typing {:.1} MB = {:.2}x the notebook ({:.1} MB), peak while typing {:.1} MB = {:.2}x",
        resident_before as f64 / 1e6,
        resident_before as f64 / bytes,
        bytes / 1e6,
        peak / 1e6,
        peak / bytes
    );
}
