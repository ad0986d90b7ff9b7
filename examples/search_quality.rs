//! Search quality on a judged query set: top-1, top-3 and MRR of
//! `opsbook search` beside `fzf --filter` and a plain BM25 over the same
//! text of each link, per kind of query. One command:
//!
//! ```sh
//! cargo run --release --example search_quality -- [QUERIES.tsv] [NOTEBOOK-DIR...]
//! ```
//!
//! Defaults: `benches/search/queries.tsv` over the example notebook, the
//! corpus and the fixtures of real list styles. `fzf` is run when it is on
//! the PATH (`apt install fzf`); else its column says so. `MISSES=1` lists
//! the queries opsbook does not put in its top 3.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One judged query.
struct Judged {
    kind: String,
    query: String,
    target: String,
}

/// Ranks (1-based) of each query's target per system; `None`: not found.
#[derive(Default)]
struct Tally {
    ranks: Vec<Option<usize>>,
}

impl Tally {
    fn line(&self) -> String {
        let n = self.ranks.len().max(1) as f64;
        let top = |k: usize| {
            self.ranks
                .iter()
                .filter(|r| r.is_some_and(|r| r <= k))
                .count()
        };
        let mrr: f64 = self
            .ranks
            .iter()
            .map(|r| r.map_or(0.0, |r| 1.0 / r as f64))
            .sum::<f64>()
            / n;
        let none = self.ranks.iter().filter(|r| r.is_none()).count();
        format!(
            "top-1 {:>5.1}%  top-3 {:>5.1}%  MRR {:.3}  not found {:>2}",
            100.0 * top(1) as f64 / n,
            100.0 * top(3) as f64 / n,
            mrr,
            none
        )
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let queries_path = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("benches/search/queries.tsv"));
    let mut dirs: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if dirs.is_empty() {
        dirs = [
            "data",
            "tests/fixtures/corpus",
            "tests/fixtures/lists",
            "tests/fixtures/search",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
    }
    let judged = read_queries(&queries_path);
    // One notebook of every folder's notes, each in a subfolder of its own.
    let tmp = tempfile::tempdir().expect("temporary folder");
    for (i, d) in dirs.iter().enumerate() {
        copy_tree(d, &tmp.path().join(format!("{i}")));
    }
    let loaded = opsbook::storage::load(tmp.path()).expect("the notebook loads");
    let nb = loaded.notebook;
    // The same text of each link for BM25 and fzf: title, item text with
    // its detail lines, URL, headings, note title and tags.
    let links: Vec<(u32, String, String)> = nb
        .links()
        .enumerate()
        .map(|(i, l)| {
            let text = format!(
                "{} {} {} {} {} {}",
                l.title(),
                l.context(),
                l.url(),
                l.heading_path(),
                l.doc.title,
                l.doc.tags.join(" ")
            )
            .replace(['\n', '\t'], " ");
            (i as u32, l.url().to_string(), text)
        })
        .collect();
    let url_of: HashMap<u32, &str> = links.iter().map(|(id, u, _)| (*id, u.as_str())).collect();
    let bm25 = Bm25::new(links.iter().map(|(_, _, t)| t.as_str()));
    let fzf = fzf_file(&links, tmp.path());
    let mut by_kind: BTreeMap<String, [Tally; 3]> = BTreeMap::new();
    let mut all: [Tally; 3] = Default::default();
    let rank = |ids: &[u32], target: &str| {
        ids.iter()
            .position(|id| url_of.get(id) == Some(&target))
            .map(|p| p + 1)
    };
    for j in &judged {
        let ours = opsbook::search::search_links(&nb, &j.query);
        let plain = bm25.search(&j.query);
        let theirs = fzf.as_ref().map(|f| fzf_search(f, &j.query));
        let ranks = [
            rank(&ours, &j.target),
            rank(&plain, &j.target),
            theirs.as_ref().and_then(|t| rank(t, &j.target)),
        ];
        if std::env::var_os("MISSES").is_some() && ranks[0].is_none_or(|r| r > 3) {
            let first = ours
                .first()
                .and_then(|id| url_of.get(id))
                .copied()
                .unwrap_or("-");
            println!(
                "miss [{}] {:?}: rank {:?}, want {}, first {}",
                j.kind, j.query, ranks[0], j.target, first
            );
        }
        let k = by_kind.entry(j.kind.clone()).or_default();
        for s in 0..3 {
            k[s].ranks.push(ranks[s]);
            all[s].ranks.push(ranks[s]);
        }
    }
    println!(
        "{} judged queries over {} links ({} notes)",
        judged.len(),
        links.len(),
        nb.documents.len()
    );
    let names = ["opsbook search", "plain BM25", "fzf --filter"];
    for (kind, tallies) in by_kind
        .iter()
        .chain(std::iter::once((&"all".to_string(), &all)))
    {
        println!("\n{kind} ({} queries)", tallies[0].ranks.len());
        for (s, name) in names.iter().enumerate() {
            if s == 2 && fzf.is_none() {
                println!("  {name:<15} not run: fzf is not on the PATH");
                continue;
            }
            println!("  {name:<15} {}", tallies[s].line());
        }
    }
}

fn read_queries(path: &Path) -> Vec<Judged> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some(Judged {
                kind: c.next()?.trim().to_string(),
                query: c.next()?.trim().to_string(),
                target: c.next()?.trim().to_string(),
            })
        })
        .filter(|j| !j.query.is_empty())
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&dest);
        } else if e.file_type().is_file() {
            let _ = std::fs::create_dir_all(dest.parent().unwrap_or(to));
            let _ = std::fs::copy(e.path(), &dest);
        }
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A plain BM25 (k1 = 1.2, b = 0.75) over whole words, no stemming, no
/// typos: the baseline any ranked search should beat.
struct Bm25 {
    docs: Vec<HashMap<String, usize>>,
    lengths: Vec<usize>,
    df: HashMap<String, usize>,
    average: f64,
}

impl Bm25 {
    fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Bm25 {
        let mut docs = Vec::new();
        let mut lengths = Vec::new();
        let mut df: HashMap<String, usize> = HashMap::new();
        for t in texts {
            let w = words(t);
            lengths.push(w.len());
            let mut tf: HashMap<String, usize> = HashMap::new();
            for x in w {
                *tf.entry(x).or_default() += 1;
            }
            for k in tf.keys() {
                *df.entry(k.clone()).or_default() += 1;
            }
            docs.push(tf);
        }
        let average = lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64;
        Bm25 {
            docs,
            lengths,
            df,
            average,
        }
    }

    fn search(&self, query: &str) -> Vec<u32> {
        let n = self.docs.len() as f64;
        let terms = words(query);
        let mut scored: Vec<(f64, u32)> = self
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, tf)| {
                let len = self.lengths[i] as f64;
                let s: f64 = terms
                    .iter()
                    .filter_map(|t| {
                        let f = *tf.get(t)? as f64;
                        let df = *self.df.get(t)? as f64;
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        Some(idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len / self.average)))
                    })
                    .sum();
                (s > 0.0).then_some((s, i as u32))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

/// The file of one line per link that fzf reads, if fzf is here.
fn fzf_file(links: &[(u32, String, String)], dir: &Path) -> Option<PathBuf> {
    Command::new("fzf").arg("--version").output().ok()?;
    let path = dir.join("fzf-lines.txt");
    let mut f = std::fs::File::create(&path).ok()?;
    for (id, _, text) in links {
        writeln!(f, "{id}\t{text}").ok()?;
    }
    Some(path)
}

fn fzf_search(file: &Path, query: &str) -> Vec<u32> {
    let input = std::fs::File::open(file).expect("the fzf file");
    let out = Command::new("fzf")
        .args(["--filter", query, "--delimiter", "\t", "--nth", "2.."])
        .stdin(Stdio::from(input))
        .output()
        .expect("fzf runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split('\t').next()?.parse().ok())
        .collect()
}
