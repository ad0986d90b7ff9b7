//! A deterministic generator of synthetic notebooks, for benchmarks and tests.

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Number of documents.
    pub documents: usize,
    /// Number of links in all documents.
    pub links: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
}

/// A small xorshift generator: the same seed always gives the same notebook.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 24] = [
    "kubernetes",
    "outage",
    "postmortem",
    "database",
    "latency",
    "Grafana",
    "terraform",
    "DNS",
    "incident",
    "rollback",
    "région",
    "café",
    "東京",
    "cluster",
    "upgrade",
    "failover",
    "etcd",
    "certificate",
    "ingress",
    "quota",
    "Ops",
    "🚀 launch",
    "pipeline",
    "backup",
];

const HOSTS: [&str; 8] = [
    "github.com",
    "status.cloud.google.com",
    "aws.amazon.com",
    "blog.example.org",
    "www.reddit.com",
    "k8s.af",
    "engineering.example.io",
    "incident.io",
];

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

fn url(rng: &mut Rng, i: usize) -> String {
    format!(
        "https://{}/{}/{}-{}",
        HOSTS[rng.below(HOSTS.len())],
        2000 + rng.below(25),
        WORDS[rng.below(4)],
        i
    )
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A URL with a date in its path or slug, as blogs write them.
fn dated_url(rng: &mut Rng, i: usize) -> String {
    let host = HOSTS[rng.below(HOSTS.len())];
    let year = 2005 + rng.below(20);
    match rng.below(3) {
        0 => format!(
            "https://{host}/blog/{year}/{:02}/incident-{i}",
            1 + rng.below(12)
        ),
        1 => format!(
            "https://{host}/post/outage-on-{}-{}-{year}",
            MONTHS[rng.below(12)].to_lowercase(),
            1 + rng.below(28)
        ),
        _ => format!("https://{host}/incidents/{i}"),
    }
}

/// A post-mortem list filed by category, in the style of public lists: one
/// item per incident, `[Name](url). What happened.`, a date in the text or
/// the URL, sometimes detail lines nested under it.
fn category_list(rng: &mut Rng, d: usize, links: usize, first: usize) -> String {
    let mut s = format!(
        "# Post-mortems {d}
"
    );
    for k in 0..links {
        if k % 40 == 0 {
            s.push_str(&format!("\n## {}\n\n", words(rng, 2)));
        }
        let i = first + k;
        let n = 1 + rng.below(2);
        let name = words(rng, n);
        let u = dated_url(rng, i);
        let n = 8 + rng.below(10);
        let what = words(rng, n);
        let date = match rng.below(3) {
            0 => format!(
                " On {} {}, {}.",
                MONTHS[rng.below(12)],
                1 + rng.below(28),
                2005 + rng.below(20)
            ),
            1 => format!(
                " ({}-{:02}-{:02})",
                2005 + rng.below(20),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
            _ => String::new(),
        };
        s.push_str(&format!("- [{name}]({u}). {what}.{date}\n"));
        if rng.below(4) == 0 {
            s.push_str(&format!(
                "  - impact: {}\n  - involved: {}\n",
                words(rng, 5),
                words(rng, 3)
            ));
        }
    }
    s
}

/// A note that is one link: front matter with its URL, title, tags, summary
/// and date, and a short body.
fn link_note(rng: &mut Rng, i: usize) -> String {
    format!(
        "---\ntitle: \"{}\"\nurl: {}\ntags: [postmortem, {}]\nsummary: {}\ndate: {}-{:02}-{:02}\n---\n\n{}\n",
        words(rng, 3),
        dated_url(rng, i),
        WORDS[rng.below(4)],
        words(rng, 12),
        2005 + rng.below(20),
        1 + rng.below(12),
        1 + rng.below(28),
        words(rng, 30)
    )
}

/// Generates `(file name, text)` pairs: year headings, nested lists, paragraphs,
/// every link syntax, CRLF files and non-ASCII text; one document in five a
/// list filed by category with dates in its items and URLs, and one in fifty
/// a folder of notes that are one link each.
pub fn notebook(shape: Shape) -> Vec<(String, String)> {
    let mut rng = Rng(shape.seed.max(1));
    let per_doc = shape.links.div_ceil(shape.documents.max(1));
    let mut made = 0;
    let mut docs = Vec::new();
    for d in 0..shape.documents {
        let folder = format!("notes/{:03}", d % 100);
        if d % 50 == 7 {
            for k in 0..per_doc.min(shape.links - made) {
                docs.push((
                    format!("{folder}/postmortems/note-{d:05}-{k:04}.md"),
                    link_note(&mut rng, made),
                ));
                made += 1;
            }
            continue;
        }
        if d % 5 == 4 {
            let n = per_doc.min(shape.links - made);
            docs.push((
                format!("{folder}/post-mortems-{d:05}.md"),
                category_list(&mut rng, d, n, made),
            ));
            made += n;
            continue;
        }
        let mut s = String::with_capacity(per_doc * 130);
        if d % 3 == 0 {
            s.push_str("---\ntitle: \"Synthetic ");
            s.push_str(&d.to_string());
            s.push_str("\"\ntags: [\"postmortem\"]\n---\n\n");
        }
        s.push_str(&format!(
            "# Notes {d}: {}\n\n## Post-Mortem\n",
            words(&mut rng, 3)
        ));
        let mut in_doc = 0;
        let mut year = 2024;
        while in_doc < per_doc && made < shape.links {
            if in_doc % 40 == 0 {
                s.push_str(&format!("\n### {year}\n\n"));
                year = if year <= 1990 { 2024 } else { year - 1 };
            }
            let i = made;
            let n = 2 + rng.below(4);
            let text = words(&mut rng, n);
            let u = url(&mut rng, i);
            let line = match rng.below(8) {
                0 => format!("- [{text}]({u}) - {}\n", words(&mut rng, 6)),
                1 => format!("  - [{text}]({u})\n"),
                2 => format!("- {text}: <{u}>\n"),
                3 => format!("    • {text} {u}.\n"),
                4 => format!("{text} [ref {i}][r{i}] and more.\n\n[r{i}]: {u}\n\n"),
                5 => format!("1. **{text}** [{text}]({u}) `code https://not.a/link`\n"),
                6 => format!("- [{text}]({u})\r\n"),
                _ => format!("* {text} — {u} ({})\n", words(&mut rng, 2)),
            };
            s.push_str(&line);
            if rng.below(10) == 0 {
                s.push_str(&format!("\n{}\n\n", words(&mut rng, 12)));
            }
            made += 1;
            in_doc += 1;
        }
        docs.push((format!("{folder}/doc-{d:05}.md"), s));
    }
    docs
}

/// Page text for each of `urls`, as `opsbook fetch` would keep it: about
/// `words` words a page in sentences, drawn from the notebook's words and
/// a vocabulary of 20,000 more, so the page index is not trivially small.
pub fn page_words(urls: &[String], words: usize) -> Vec<crate::search::pages::PageWords> {
    let mut rng = Rng(0x005e_ed0f_9a9e);
    let vocabulary: Vec<String> = (0..20_000)
        .map(|i| {
            let syllables = [
                "ka", "ro", "ti", "mes", "lon", "da", "qui", "vor", "sen", "pla",
            ];
            let mut w = String::new();
            let mut n = i;
            loop {
                w.push_str(syllables[n % syllables.len()]);
                n /= syllables.len();
                if n == 0 {
                    break;
                }
            }
            w
        })
        .collect();
    urls.iter()
        .map(|url| {
            let mut text = String::with_capacity(words * 8);
            for k in 0..words {
                let w: &str = if rng.below(8) == 0 {
                    WORDS[rng.below(WORDS.len())]
                } else {
                    &vocabulary[rng.below(vocabulary.len())]
                };
                text.push_str(w);
                text.push_str(if k % 14 == 13 { ". " } else { " " });
            }
            crate::search::pages::PageWords {
                url: url.clone(),
                title: String::new(),
                text,
            }
        })
        .collect()
}

/// The link count given as the first argument of a benchmark example
/// (default 1M), and where `measure` keeps that notebook.
pub fn example_notebook() -> (usize, std::path::PathBuf) {
    let links: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    (
        links,
        std::path::PathBuf::from(format!("/tmp/opsbook-synth-{links}")),
    )
}

/// `example_notebook`, which must exist already: else says how to make it
/// and exits.
pub fn existing_example_notebook() -> (usize, std::path::PathBuf) {
    let (links, dir) = example_notebook();
    if !dir.exists() {
        eprintln!(
            "run `cargo run --release --example measure -- {links}` first to generate {}",
            dir.display()
        );
        std::process::exit(1);
    }
    (links, dir)
}

/// The pathological inputs of the hostile-input audit at `n` units each:
/// (name, text, links in it). Linear parsing reads each in time that grows
/// with `n`; the benchmark and the tests share them.
pub fn hostile_inputs(n: usize) -> Vec<(&'static str, String, usize)> {
    vec![
        (
            "nested brackets",
            format!("{}{}\n", "[a".repeat(n), "](http://x)".repeat(n)),
            n,
        ),
        ("`]:` on one line", format!("x{}\n", "]:".repeat(25 * n)), 0),
        (
            "lone CR line endings",
            (0..n)
                .map(|i| format!("- [l{i}](http://x/{i})\r"))
                .collect(),
            n,
        ),
        (
            "one paragraph of links",
            (0..n)
                .map(|i| format!("[l{i}](http://x/{i}) "))
                .collect::<String>()
                + "\n",
            n,
        ),
        (
            "one item of bare URLs",
            format!(
                "- {}\n",
                (0..n)
                    .map(|i| format!("http://h{i}.example/ "))
                    .collect::<String>()
            ),
            n,
        ),
        (
            "a table of links",
            "| a | b |\n|---|---|\n".to_string()
                + &(0..n)
                    .map(|i| format!("| [l{i}](http://x/{i}) | text {i} |\n"))
                    .collect::<String>(),
            n,
        ),
    ]
}
