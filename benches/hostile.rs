//! The pathological inputs of the hostile-input audit, each at two sizes
//! four times apart: parsing and `links --format json` take time linear in
//! the input when the larger runs about four times as long as the smaller.
//! `cargo bench --bench hostile`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use opsbook::cli::Command;
use opsbook::cli::format::Format;
use opsbook::cli::print::run;
use opsbook::notebook::Notebook;
use opsbook::notebook::document::parse_document;
use std::hint::black_box;

fn bench_hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile: parse and links as JSON");
    group.sample_size(10);
    for n in [5_000, 20_000] {
        for (name, text, _) in opsbook::synth::hostile_inputs(n) {
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
                        run(&nb, None, &command, &mut out).expect("written");
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
