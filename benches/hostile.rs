//! The pathological inputs of the hostile-input audit, each at two sizes
//! four times apart: parsing and `links --format json` take time linear in
//! the input when the larger runs about four times as long as the smaller.
//! `cargo bench --bench hostile`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use opsbook::cli::{Command, Format, run};
use opsbook::notebook::Notebook;
use opsbook::notebook::document::parse_document;
use std::hint::black_box;

/// (name, text of `n` units).
fn inputs(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "nested brackets",
            format!("{}{}\n", "[a".repeat(n), "](http://x)".repeat(n)),
        ),
        ("`]:` on one line", format!("x{}\n", "]:".repeat(25 * n))),
        (
            "lone CR line endings",
            (0..n)
                .map(|i| format!("- [l{i}](http://x/{i})\r"))
                .collect(),
        ),
        (
            "one paragraph of links",
            (0..n)
                .map(|i| format!("[l{i}](http://x/{i}) "))
                .collect::<String>()
                + "\n",
        ),
        (
            "one item of bare URLs",
            format!(
                "- {}\n",
                (0..n)
                    .map(|i| format!("http://h{i}.example/ "))
                    .collect::<String>()
            ),
        ),
        (
            "a table of links",
            "| a | b |\n|---|---|\n".to_string()
                + &(0..n)
                    .map(|i| format!("| [l{i}](http://x/{i}) | text {i} |\n"))
                    .collect::<String>(),
        ),
    ]
}

fn bench_hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile: parse and links as JSON");
    group.sample_size(10);
    for n in [5_000, 20_000] {
        for (name, text) in inputs(n) {
            group.bench_with_input(
                BenchmarkId::new(name, format!("{} KB", text.len() / 1000)),
                &text,
                |b, text| {
                    b.iter(|| {
                        let doc = parse_document("n.md".into(), text.clone(), false);
                        let nb = Notebook::new(".".into(), vec![doc]);
                        let command = Command::Links {
                            year: None,
                            tag: None,
                            format: Format::Json,
                        };
                        let mut out = std::io::sink();
                        run(&nb, &command, &mut out).expect("written");
                        black_box(nb.link_count())
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench_hostile);
criterion_main!(benches);
