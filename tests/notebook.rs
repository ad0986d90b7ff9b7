//! The notebook core on the bundled data and on generated input.

use std::path::Path;

use opsbook::notebook::model::{Bucket, LinkKind, NodeKind};
use opsbook::notebook::{Document, Notebook, document::parse_document};
use opsbook::storage::load;
use opsbook::synth::{Shape, notebook as synth};

fn data() -> Notebook {
    let loaded =
        load(Path::new(env!("CARGO_MANIFEST_DIR")).join("data").as_path()).expect("data/ loads");
    assert!(loaded.problems.is_empty());
    loaded.notebook
}

fn count(nb: &Notebook, bucket: Bucket) -> usize {
    nb.links().filter(|l| l.bucket() == bucket).count()
}

/// Every byte of the file is in exactly one node or in a blank gap between nodes.
fn assert_lossless(doc: &Document) {
    assert_eq!(doc.write_back(), doc.source, "{}", doc.path.display());
    let mut at = 0usize;
    for node in &doc.nodes[1..] {
        let span = node.span.range();
        assert!(
            span.start >= at,
            "{}: node at line {} overlaps",
            doc.path.display(),
            doc.line_of(span.start)
        );
        let gap = &doc.source[at..span.start];
        assert!(
            gap.trim_start_matches('\u{feff}').trim().is_empty(),
            "{}: text outside any node: {gap:?}",
            doc.path.display()
        );
        at = span.end;
    }
    assert!(doc.source[at..].trim().is_empty());
}

#[test]
fn documents_load_in_path_order_with_titles_and_tags() {
    let nb = data();
    let docs: Vec<_> = nb
        .documents
        .iter()
        .map(|d| (d.path.to_string_lossy().into_owned(), d.title.clone()))
        .collect();
    assert_eq!(
        docs,
        vec![
            ("lunch-and-learn.md".into(), "DevOps Lunch And Learn".into()),
            ("plan.md".into(), "Plan".into()),
            ("reinvent-notes.md".into(), "reinvent-notes".into()),
        ]
    );
    assert_eq!(*nb.documents[1].tags, ["dev", "devops", "postmortem"]);
}

#[test]
fn every_data_file_writes_back_byte_for_byte() {
    for doc in &data().documents {
        assert_lossless(doc);
    }
}

#[test]
fn generated_notebooks_write_back_byte_for_byte() {
    for seed in 1..=20 {
        for (name, text) in synth(Shape {
            documents: 3,
            links: 150,
            seed,
        }) {
            assert_lossless(&parse_document(name.into(), text, false));
        }
    }
    // Odd inputs: BOM, CRLF, tabs, no final newline, unclosed fence and front matter.
    for text in [
        "\u{feff}# T\r\n\r\n- a\r\n\t- b",
        "```\nunclosed\n- x",
        "---\ntitle: x\n",
        "\n\n   \n-",
        "+++\ntitle = \"t\"\n+++\n# h #\n> q\n| a |\n***\n",
    ] {
        assert_lossless(&parse_document("odd.md".into(), text.to_string(), false));
    }
}

#[test]
fn postmortems_are_filed_by_year_and_general() {
    let nb = data();
    let buckets: Vec<(Bucket, usize)> = nb
        .postmortems()
        .into_iter()
        .map(|(b, ids)| (b, ids.len()))
        .collect();
    assert_eq!(
        buckets,
        vec![
            (Bucket::Year(2023), 7),
            (Bucket::Year(2022), 6),
            (Bucket::Year(2020), 1),
            (Bucket::Year(2019), 2),
            (Bucket::Year(2017), 2),
            (Bucket::General, 4),
        ]
    );
    let relative: Vec<_> = nb
        .links()
        .filter(|l| l.bucket() == Bucket::Year(2023) && l.kind() == LinkKind::Relative)
        .map(|l| l.url())
        .collect();
    assert_eq!(relative, vec!["/info/post-mortem-namecheap"]);
    let nested: Vec<_> = nb
        .links()
        .filter(|l| l.bucket() == Bucket::Year(2022) && l.position().1 == 5)
        .map(|l| l.text())
        .collect();
    assert_eq!(
        nested,
        vec![
            "Root Cause: APT against Sr. DevOps Engineer Though Plex Media Player",
            "Why Not to Use Lastpass, and use 1Password and Bitwarden Instead"
        ]
    );
    assert_eq!(count(&nb, Bucket::Year(2019)), 2);
}

#[test]
fn a_year_heading_with_trailing_spaces_is_a_year() {
    let nb = data();
    let l = nb
        .links()
        .find(|l| l.text() == "Matrix Apr 2019")
        .expect("link");
    assert_eq!(l.headings(), ["Post-Mortem", "2019"]);
    assert_eq!(l.year(), Some(2019));
}

#[test]
fn links_know_their_place() {
    let nb = data();
    let l = nb
        .links()
        .find(|l| l.text() == "Reddit Pi Day Outage")
        .expect("link");
    assert_eq!(
        l.url(),
        "https://www.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/"
    );
    assert_eq!(l.kind(), LinkKind::Web);
    assert_eq!(l.doc.path, Path::new("plan.md"));
    assert_eq!(l.headings(), ["Post-Mortem", "2023"]);
    assert_eq!(l.position(), (40, 3));
    assert_eq!(
        l.context(),
        "Reddit Pi Day Outage - Great overview of a Kubernetes outage centered around an upgrade from 1.23 to 1.24"
    );
}

#[test]
fn bare_urls_autolinks_placeholders_and_escapes_in_data() {
    let nb = data();
    let urls: Vec<_> = nb.links().map(|l| l.url().to_string()).collect();
    assert!(urls.contains(&"https://github.com/aws/karpenter".to_string()));
    assert!(urls.contains(&"https://us02web.zoom.us/j/86216295721".to_string()));
    let placeholders = nb
        .links()
        .filter(|l| l.kind() == LinkKind::Placeholder)
        .count();
    assert_eq!(placeholders, 5);
    let idn = nb
        .links()
        .find(|l| l.url() == "https://en.wikipedia.org/wiki/IDN_homograph_attack")
        .expect("link");
    assert_eq!(
        idn.text(),
        "https://en.wikipedia.org/wiki/IDN\\_homograph\\_attack"
    );
    assert_eq!(
        idn.headings(),
        [
            "DevOps Lunch And Learn",
            "Outline for Secure Development Practices (Sept 7)"
        ]
    );
    // The lazy continuation line of the Reddit retrospective belongs to its item.
    let retro = nb
        .links()
        .find(|l| l.url().starts_with("https://old.reddit.com/"))
        .expect("link");
    assert_eq!(retro.position(), (411, 1));
    assert!(
        retro
            .context()
            .starts_with("July 18 - Retrospective on Reddit's k8s-related outage")
    );
    assert_eq!(nb.link_count(), 61);
}

#[test]
fn bullets_with_four_space_indents_are_nested_items() {
    let nb = data();
    let doc = &nb.documents[2];
    let monday = doc
        .nodes
        .iter()
        .position(|n| doc.source[n.content_span(&doc.source).range()] == *"Monday")
        .expect("Monday") as u32;
    let children: Vec<_> = doc
        .children(monday)
        .map(|c| doc.content(c).to_string())
        .collect();
    assert_eq!(children.len(), 4);
    assert_eq!(children[0], "Peter Thiel’s stanford talk.");
    assert!(
        doc.nodes
            .iter()
            .all(|n| !matches!(n.kind(), NodeKind::Code))
    );
}

fn session(nb: &Notebook, title_start: &str) -> (Option<String>, bool, bool, Vec<String>) {
    let (_, s) = nb
        .sessions()
        .find(|(_, s)| s.title.starts_with(title_start))
        .expect(title_start);
    (
        s.iso_date(),
        s.year_inferred,
        s.cancelled,
        s.warnings.clone(),
    )
}

#[test]
fn sessions_have_dates_with_inferred_years() {
    let nb = data();
    assert_eq!(
        session(&nb, "Challenges for Distributed"),
        (Some("2021-08-31".into()), false, false, vec![])
    );
    assert_eq!(
        session(&nb, "Centos and the Linux reshuffle"),
        (Some("2021-05-18".into()), true, false, vec![])
    );
    assert_eq!(
        session(&nb, "Welcome Back and 2024"),
        (Some("2024-01-02".into()), true, false, vec![])
    );
    assert_eq!(
        session(&nb, "OPA / Policy"),
        (
            Some("2022-11-15".into()),
            true,
            false,
            vec!["year 200 is not plausible; read as 2022 from the sessions around it".to_string()]
        )
    );
    let (_, lisa) = nb
        .sessions()
        .find(|(_, s)| s.title.starts_with("LISA"))
        .expect("LISA");
    assert_eq!(
        (lisa.year, lisa.month, lisa.day, lisa.year_inferred),
        (None, 6, 1, false)
    );
    assert_eq!(
        session(&nb, "NO MEETING THANKSGIVING"),
        (Some("2022-11-22".into()), true, true, vec![])
    );
    assert_eq!(nb.sessions().count(), 141);
    assert_eq!(nb.sessions().filter(|(_, s)| s.cancelled).count(), 26);
}

#[test]
fn line_numbers_are_right_far_into_a_file() {
    let text: String = (1..=300).map(|i| format!("- item {i}\n")).collect();
    let doc = parse_document("l.md".into(), text, false);
    for id in [1u32, 64, 65, 129, 300] {
        assert_eq!(doc.node_line(id), id, "item {id}");
    }
    let fm = parse_document("f.md".into(), "---\ntitle: t\n---\n\n- a\n".into(), false);
    assert_eq!(fm.node_line(2), 5);
}

#[test]
fn links_in_fenced_code_are_not_links() {
    let doc = parse_document(
        "c.md".into(),
        "# C\n```sh\ncurl https://not.a.link/x\n[no](https://no)\n```\n- [yes](https://yes.example)\n".into(),
        false,
    );
    let urls: Vec<&str> = doc.links.iter().map(|l| doc.link_url(l)).collect();
    assert_eq!(urls, vec!["https://yes.example"]);
}

#[test]
fn a_document_tagged_postmortem_without_such_a_heading_is_all_general() {
    let doc = parse_document(
        "pm.md".into(),
        "---\ntags: [postmortem]\n---\n- [Intro](https://a)\n## Notes\n- [Inside](https://b)\n### 2021\n- [Dated](https://c)\n".into(),
        false,
    );
    let buckets: Vec<Bucket> = doc.links.iter().map(|l| doc.link_bucket(l)).collect();
    assert_eq!(
        buckets,
        vec![Bucket::General, Bucket::General, Bucket::Year(2021)]
    );
    let plain = parse_document("p.md".into(), "- [Intro](https://a)\n".into(), false);
    assert_eq!(plain.link_bucket(&plain.links[0]), Bucket::None);
}

#[test]
fn a_link_looked_for_near_a_hint_is_the_link_of_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let notes = [
        (
            "a.md",
            "- [A](https://a.example/1)\n- [B](https://a.example/2)\n",
        ),
        ("b.md", "# No links\n"),
        (
            "c.md",
            "- https://c.example/1\n- https://c.example/2\n- https://c.example/3\n",
        ),
        ("d.md", "- [D](https://d.example/)\n"),
    ];
    for (name, text) in notes {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let nb = opsbook::storage::load(dir.path()).unwrap().notebook;
    let at = |l: Option<opsbook::notebook::LinkRef<'_>>| l.map(|l| (l.doc_index, l.index));
    for start in 0..6 {
        let mut hint = start;
        for id in (0..7).chain((0..7).rev()) {
            assert_eq!(
                at(nb.link_near(id, &mut hint)),
                at(nb.link(id)),
                "id {id} from hint {start}"
            );
        }
    }
    assert_eq!(at(nb.link(5)), Some((3, 0)));
    assert_eq!(at(nb.link(6)), None);
}

#[test]
fn links_within_a_range_are_those_starting_in_it() {
    let text = "- [A](https://a.example/) one\n- [B](https://b.example/) two\n- [C](https://c.example/) three\n";
    let doc = opsbook::notebook::document::parse_document("n.md".into(), text.to_string(), false);
    let second = text.find("- [B]").unwrap();
    let third = text.find("- [C]").unwrap();
    let got: Vec<usize> = doc.links_within(second..third).map(|(i, _)| i).collect();
    assert_eq!(got, [1]);
    assert_eq!(doc.links_within(0..text.len()).count(), 3);
    assert_eq!(doc.links_within(third + 3..text.len()).count(), 0);
}

/// The title shown for the first link of a note.
fn first_link_title(name: &str, text: &str) -> String {
    let nb = opsbook::notebook::Notebook::new(
        "n".into(),
        vec![parse_document(name.into(), text.to_string(), false)],
    );
    nb.links().next().expect("a link").title().into_owned()
}

#[test]
fn a_note_that_is_a_link_without_a_title_is_titled_by_what_it_says_not_its_file_name() {
    let uuid = "04f5afd8-09fc-4b1e-9b0a-6a1c2f3d4e5f.md";
    // Its first heading.
    assert_eq!(
        first_link_title(
            uuid,
            "---\nurl: https://example.com/a/b\n---\n# Kinesis in us-east-1\n"
        ),
        "Kinesis in us-east-1"
    );
    // Its company and the words of the URL's last path segment.
    assert_eq!(
        first_link_title(
            uuid,
            "---\nurl: https://blog.rust-lang.org/inside-rust/2023/07/21/crates-io-postmortem.html\ncompany: rust-lang\n---\nA deploy broke downloads.\n"
        ),
        "rust-lang: crates io postmortem"
    );
    // No company: the site's name.
    assert_eq!(
        first_link_title(
            uuid,
            "---\nurl: https://www.bbc.co.uk/news/2021/cdn-outage_report\n---\n"
        ),
        "bbc: cdn outage report"
    );
    // A URL that says nothing (numbers, an id): the first sentence of its summary.
    assert_eq!(
        first_link_title(
            uuid,
            "---\nurl: https://status.example.com/incidents/8f3k2j1h9g7f6d5s\nsummary: SimpleDB nodes failed to rejoin. It took hours.\n---\n"
        ),
        "SimpleDB nodes failed to rejoin"
    );
    // Else its body's first sentence; a bare host says its site.
    assert_eq!(
        first_link_title(
            uuid,
            "---\nurl: https://example.com/\n---\nThe queue backed up for an hour. Then it drained.\n"
        ),
        "The queue backed up for an hour"
    );
    assert_eq!(
        first_link_title(uuid, "---\nurl: https://acme.example.com/\n---\n"),
        "example"
    );
    // A title in the front matter still wins.
    assert_eq!(
        first_link_title(
            uuid,
            "---\nurl: https://a.example/x-y\ntitle: Given\n---\n# Heading\n"
        ),
        "Given"
    );
}

#[test]
fn a_bare_links_title_is_the_sentence_that_holds_it_cut_at_words() {
    let text = std::fs::read_to_string("data/reinvent-notes.md").unwrap();
    let nb = opsbook::notebook::Notebook::new(
        "n".into(),
        vec![parse_document("reinvent-notes.md".into(), text, false)],
    );
    let karpenter = nb
        .links()
        .find(|l| l.url() == "https://github.com/aws/karpenter")
        .expect("the Karpenter link");
    assert_eq!(
        karpenter.title(),
        "They have a custom next-gen autoscaler called Karpenter (although HPA/VPA/CA are avail)."
    );
    // The link inside its sentence; a window cut mid-word leaves that word out.
    let long = format!(
        "- {}Grafana dashboards went blank https://grafana.example/d/1 after the upgrade. Then more.\n",
        "word ".repeat(60)
    );
    assert_eq!(
        first_link_title("x.md", &long),
        format!(
            "{}Grafana dashboards went blank after the upgrade.",
            "word ".repeat(25)
        )
    );
}

#[test]
fn the_year_an_item_tells_beats_the_date_its_url_was_published() {
    let text = "# Post-mortems\n## Transport\n\
        - [Vasa](https://x.example/2019/05/vasa-essay). The ship sank in 1628, on her maiden voyage.\n\
        - [2017: S3 outage](https://x.example/blog/2018/03/s3-retro)\n\
        - [Therac-25](https://x.example/news/20190508-therac). From 1985.\n\
        - [Undated](https://x.example/ticket/12345678) in 2000 ms\n\n\
        [Net](https://x.example/rfc/789). A router corrupted its tables, and the\n\
        [bad checksums](https://wiki.example/Checksum) spread them; the nodes left the network one by one, \
        until the whole of it had to be restarted by hand, site by site, over a day and a night, \
        as the operators of the time tell it in their own long report, which says much more. From 1980.\n";
    let nb = opsbook::notebook::Notebook::new(
        "n".into(),
        vec![parse_document(
            "post-mortems.md".into(),
            text.to_string(),
            false,
        )],
    );
    let years: Vec<(String, Option<u16>)> = nb
        .links()
        .map(|l| (l.title().into_owned(), l.year()))
        .collect();
    assert_eq!(
        years,
        [
            ("Vasa".to_string(), Some(1628)),
            ("2017: S3 outage".to_string(), Some(2017)),
            ("Therac-25".to_string(), Some(1985)),
            ("Undated".to_string(), None),
            // A paragraph that opens with its link is that link's entry: its
            // year is at its end, far past the words around the link.
            ("Net".to_string(), Some(1980)),
            // A link inside the entry tells of the same incident.
            ("bad checksums".to_string(), Some(1980)),
        ]
    );
}

#[test]
fn the_link_count_follows_a_document_replaced_or_added() {
    let doc = |name: &str, text: &str| parse_document(name.into(), text.to_string(), false);
    let nb = Notebook::new(
        "/nb".into(),
        vec![
            doc(
                "a.md",
                "- [A](https://a.example)\n- [B](https://b.example)\n",
            ),
            doc("c.md", "- [C](https://c.example)\n"),
        ],
    );
    assert_eq!(nb.link_count(), 3);
    let replaced = nb.with_document(doc("a.md", "- [A](https://a.example)\n"));
    assert_eq!(replaced.link_count(), 2);
    let added =
        replaced.with_document(doc("b.md", "see https://d.example and https://e.example\n"));
    assert_eq!(added.link_count(), 4);
    // b.md stands between a.md and c.md: its links take ids 1 and 2.
    let urls: Vec<&str> = (0..4)
        .filter_map(|id| added.link(id))
        .map(|l| l.url())
        .collect();
    assert_eq!(
        urls,
        [
            "https://a.example",
            "https://d.example",
            "https://e.example",
            "https://c.example"
        ]
    );
}
