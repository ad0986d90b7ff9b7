//! The index ranks as reading every link does: the same links, in the same
//! order, each matched the same way, on every judged query and on
//! generated notebooks.

use opsbook::notebook::Notebook;
use opsbook::notebook::document::parse_document;
use opsbook::search::index::LinkIndex;
use opsbook::search::ranked::rank_links;
use proptest::prelude::*;

fn both_ways(nb: &Notebook, index: &LinkIndex, query: &str) {
    let read = rank_links(nb, None, None, query, &[], &|| false);
    let indexed = rank_links(nb, Some(index), None, query, &[], &|| false);
    assert_eq!(read, indexed, "query {query:?}");
}

#[test]
fn every_judged_query_ranks_the_same_from_the_index() {
    let queries = std::fs::read_to_string("benches/search/queries.tsv").expect("judged set");
    let mut asked = 0;
    for dir in [
        "data",
        "tests/fixtures/corpus",
        "tests/fixtures/lists",
        "tests/fixtures/search",
    ] {
        let nb = opsbook::storage::load(std::path::Path::new(dir))
            .expect("fixture loads")
            .notebook;
        let index = LinkIndex::build(&nb, &|| false).expect("not cancelled");
        assert_eq!(index.len(), nb.link_count());
        for line in queries.lines().skip(1) {
            let query = line.split('\t').nth(1).expect("a query column");
            both_ways(&nb, &index, query);
            asked += 1;
        }
    }
    assert_eq!(asked, 4 * 156);
}

#[test]
fn typos_stems_synonyms_and_headings_come_from_the_index() {
    let doc = parse_document(
        "n.md".into(),
        "# Outages\n## 2019\n- [Kubernetes restarts](https://e.com/k8s-nodes) the load balancer failed\n  - detail: postgres replication lag\n## Databases\n- [Other](https://e.com/x) nothing here\n".into(),
        false,
    );
    let nb = Notebook::new(".".into(), vec![doc]);
    let index = LinkIndex::build(&nb, &|| false).expect("not cancelled");
    let ranked = |q: &str| {
        rank_links(&nb, Some(&index), None, q, &[], &|| false)
            .expect("plain words")
            .into_iter()
            .map(|(h, m)| (h.id, m))
            .collect::<Vec<_>>()
    };
    use opsbook::search::relaxed::How::*;
    // A typo and a stem in the title, a two-word synonym, a heading.
    assert_eq!(
        ranked("kuberntes restarting lb databases nodes"),
        vec![
            (
                0,
                vec![
                    Some((0, Typo)),
                    Some((0, Stem)),
                    Some((1, Synonym)),
                    None,
                    // The entry is read raw: its link's URL is in it.
                    Some((1, Exact))
                ]
            ),
            (1, vec![None, None, None, Some((2, Exact)), None]),
        ]
    );
    assert_eq!(ranked("pg")[0].1, vec![Some((1, Synonym))]);
    for q in [
        "kuberntes restarting lb databases nodes",
        "pg",
        "2019 outage",
        "zzz",
    ] {
        both_ways(&nb, &index, q);
    }
}

const WORDS: &[&str] = &[
    "kubernetes",
    "kuberntes",
    "restart",
    "restarting",
    "restarted",
    "load",
    "balancer",
    "lb",
    "postgres",
    "postgresql",
    "pg",
    "database",
    "db",
    "outage",
    "incident",
    "2019",
    "dns",
    "é",
    "Straße",
    "東京",
    "s3",
    "removed",
    "wiped",
    "oom",
    "memory",
    "the",
    "of",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_string)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..6).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn generated_notebooks_rank_the_same_from_the_index(
        entries in prop::collection::vec((text(), text(), text(), 0..3usize), 1..12),
        queries in prop::collection::vec(text(), 1..5),
    ) {
        let mut md = String::new();
        for (i, (heading, title, rest, nested)) in entries.iter().enumerate() {
            if i % 3 == 0 {
                md.push_str(&format!("## {heading}\n"));
            }
            let slug = title.replace(' ', "-");
            md.push_str(&format!("- [{title}](https://e.com/{slug}) {rest}\n"));
            for _ in 0..*nested {
                md.push_str(&format!("  - {rest} {heading}\n"));
            }
        }
        let nb = Notebook::new(".".into(), vec![parse_document("g.md".into(), md, false)]);
        let index = LinkIndex::build(&nb, &|| false).expect("not cancelled");
        for q in &queries {
            both_ways(&nb, &index, q);
        }
    }
}
