//! Finding what people remember in notes shaped the way real people keep
//! them: a category list (`[Name](url). What happened.`), an awesome list
//! (`- [Title](url) - description`), a folder of one-note-per-link files,
//! and a real public list (tests/fixtures/corpus, see its SOURCES.md).

mod common;

use std::path::Path;
use std::process::Command;

use common::{app, draw, press, screen, type_text};
use opsbook::app::App;
use opsbook::notebook::{Bucket, Notebook};
use opsbook::search::search_links;
use opsbook::storage::load;

/// The fixture files copied into a temporary notebook, loaded.
fn notebook(files: &[&str]) -> (tempfile::TempDir, Notebook) {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let from = Path::new("tests/fixtures").join(f);
        let to = dir
            .path()
            .join(from.strip_prefix("tests/fixtures/lists").unwrap_or(&from));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    let nb = load(dir.path()).unwrap().notebook;
    (dir, nb)
}

fn titles(nb: &Notebook, query: &str, n: usize) -> Vec<String> {
    search_links(nb, query)
        .into_iter()
        .take(n)
        .map(|id| nb.link(id).unwrap().title().into_owned())
        .collect()
}

#[test]
fn a_category_list_is_found_by_what_happened() {
    let (_dir, nb) = notebook(&["lists/post-mortems.md"]);
    // None of these words but `acme` is in the link's text.
    for q in [
        "acme health checks",
        "balancer failover",
        "config push us-east",
    ] {
        assert_eq!(titles(&nb, q, 1), vec!["Acme"], "{q}");
    }
    // Whole words first (by where they stand), scattered letters after.
    assert_eq!(
        titles(&nb, "health", 3),
        vec!["Hooli", "Acme", "Initech"],
        "Health opens Hooli's item, Acme's says it later, Initech's URL has the letters"
    );
    // Detail lines nested under an item are part of its text.
    assert_eq!(titles(&nb, "facilities uploads", 1), vec!["Umbrella"]);
    assert_eq!(titles(&nb, "raid rebuild", 1), vec!["Vandelay"]);
}

#[test]
fn an_awesome_list_is_found_by_its_descriptions() {
    let (_dir, nb) = notebook(&["lists/awesome.md"]);
    // The link that holds both words; `retro`, a typo away from `retry`,
    // is no match, since the notebook holds `retry` as typed.
    assert_eq!(
        titles(&nb, "retry storm", 9),
        vec!["The day the queue stood still"]
    );
    assert_eq!(
        titles(&nb, "retrx storm", 9),
        vec![
            "The day the queue stood still",
            "Retrospective on the DNS outage"
        ],
        "a word the notebook does not hold matches its typos"
    );
    assert_eq!(titles(&nb, "ntp", 1), vec!["Clock skew in the ledger"]);
    assert_eq!(
        titles(&nb, "inodes build", 1),
        vec!["Running out of inodes"]
    );
    // A word in the title beats the same word in another item's description.
    assert_eq!(
        titles(&nb, "power", 1),
        vec!["Balance of power"],
        "the title says power"
    );
    // A bare URL is titled by its item, without the leading date.
    assert_eq!(
        titles(&nb, "dns retro", 1),
        vec!["Retrospective on the DNS outage"]
    );
}

#[test]
fn notes_that_are_links_have_titles_tags_and_years() {
    let (_dir, nb) = notebook(&[
        "lists/vault/postmortems/acme-lb.md",
        "lists/vault/postmortems/queue.md",
        "lists/vault/postmortems/inodes.md",
        "lists/vault/bookmark.md",
    ]);
    let links: Vec<(String, String, Bucket, bool, Vec<String>)> = nb
        .links()
        .map(|l| {
            (
                l.title().into_owned(),
                l.url().to_string(),
                l.bucket(),
                l.year_inferred(),
                l.doc.tags.to_vec(),
            )
        })
        .collect();
    assert_eq!(
        links,
        vec![
            (
                "Kubernetes failure stories".into(),
                "https://k8s.af/".into(),
                Bucket::None,
                false,
                vec![]
            ),
            (
                "Acme load balancer outage".into(),
                "https://status.acme.example/incidents/42".into(),
                // The incident date in the body beats the front matter date.
                Bucket::Year(2021),
                true,
                vec!["networking".into(), "postmortem".into()]
            ),
            (
                "Running out of inodes".into(),
                "https://inodes.example/blog/inodes".into(),
                Bucket::General,
                false,
                vec!["storage".into(), "ci".into()]
            ),
            (
                "Queue deadlock".into(),
                "https://queue.example/2018/11/the-day".into(),
                // `published = 2018-12-01`; the body names no date.
                Bucket::Year(2018),
                true,
                vec!["messaging".into()]
            ),
        ]
    );
    assert_eq!(
        titles(&nb, "balancer failover", 9),
        vec!["Acme load balancer outage"]
    );
    assert_eq!(titles(&nb, "unacked", 9), vec!["Queue deadlock"]);
    // Tags count in the search too.
    assert_eq!(titles(&nb, "#messaging", 9), vec!["Queue deadlock"]);
}

#[test]
fn years_are_read_from_items_by_every_rule() {
    let (_dir, nb) = notebook(&["lists/post-mortems.md"]);
    let filed: Vec<(String, Bucket, bool)> = nb
        .links()
        .map(|l| (l.title().into_owned(), l.bucket(), l.year_inferred()))
        .collect();
    assert_eq!(
        filed,
        vec![
            // No date anywhere.
            ("Acme".into(), Bucket::General, false),
            // The text's incident date beats the URL's publication date (2017).
            ("Globex".into(), Bucket::Year(2016), true),
            // A date spelled out in the URL's slug.
            ("Initech".into(), Bucket::Year(2021), true),
            // `/blog/2231-march-3rd-incident`: an id and a date without a year.
            ("Hooli".into(), Bucket::General, false),
            // The archive's snapshot stamp is not the incident's date.
            ("Umbrella".into(), Bucket::Year(2014), true),
            // `2015-06-02-disk-failure` in the URL.
            ("Vandelay".into(), Bucket::Year(2015), true),
            // A year in the title alone.
            ("Stark 2019".into(), Bucket::Year(2019), true),
            // `9 June 2022`.
            ("Wayne".into(), Bucket::Year(2022), true),
        ]
    );
}

fn opsbook(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn the_command_line_files_inferred_years_and_says_so() {
    let (dir, _nb) = notebook(&["lists/post-mortems.md"]);
    let root = dir.path().to_str().unwrap();
    assert_eq!(
        opsbook(&["links", "--year", "2016", "--notebook", root]),
        "Globex  https://globex.example/blog/2017/01/outage-write-up  post-mortems.md:9\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&opsbook(&["links", "--format", "json", "--notebook", root])).unwrap();
    assert_eq!(json[1]["year"], 2016);
    assert_eq!(json[1]["year_inferred"], true);
    assert_eq!(json[0]["year"], serde_json::Value::Null);
    assert_eq!(json[0]["year_inferred"], false);
    assert_eq!(
        json[4]["context"],
        "Umbrella. A power failure in one hall took down the storage array (2014-06-09, Umbrella). \
         involved: storage team, facilities impact: uploads failed for six hours"
    );
}

#[test]
fn the_real_list_is_browsable_by_year() {
    // github.com/snakescott/awesome-tech-postmortems (CC BY 4.0), filed by
    // kind, not year: every year below is read from the items.
    let (_dir, nb) = notebook(&["corpus/awesome-tech-postmortems.md"]);
    let by_year = |y: u16| -> Vec<String> {
        nb.links()
            .filter(|l| l.bucket() == Bucket::Year(y))
            .map(|l| l.title().into_owned())
            .collect()
    };
    assert_eq!(
        by_year(2017),
        vec![
            "Incident review: API and Dashboard outage on 10 October 2017",
            "GoCardless",
            "Postmortem of database outage of January 31",
            "GitLab"
        ]
    );
    assert_eq!(
        by_year(2018),
        vec![
            "Postmortem: Azure DevOps Service Outages in October 2018",
            "Azure DevOps Service"
        ]
    );
    assert_eq!(by_year(2019).len(), 11);
    assert!(
        nb.links()
            .all(|l| !matches!(l.bucket(), Bucket::Year(y) if y < 2017))
    );
    // The write-up first, the company after it.
    assert_eq!(
        titles(&nb, "memory honeycomb", 2),
        vec![
            "Incident Report: Running Dry on Memory Without Noticing",
            "Honeycomb"
        ]
    );
    assert_eq!(
        titles(&nb, "database gitlab", 2),
        vec!["Postmortem of database outage of January 31", "GitLab"]
    );
}

#[test]
fn sessions_are_listed_by_date_unless_asked_for_file_order() {
    let (dir, _nb) = notebook(&["lists/vault/calendar.md"]);
    let root = dir.path().to_str().unwrap();
    assert_eq!(
        opsbook(&["sessions", "--notebook", root]),
        "2024-01-11  Kickoff                 vault/calendar.md:6\n\
         2024-02-08  Incident review drills  vault/calendar.md:7\n\
         2024-03-14  Chaos engineering       vault/calendar.md:5\n"
    );
    assert_eq!(
        opsbook(&["sessions", "--order", "file", "--notebook", root]),
        "2024-03-14  Chaos engineering       vault/calendar.md:5\n\
         2024-01-11  Kickoff                 vault/calendar.md:6\n\
         2024-02-08  Incident review drills  vault/calendar.md:7\n"
    );
}

#[test]
fn the_links_view_groups_by_tag() {
    let (_dir, nb) = notebook(&[
        "lists/vault/postmortems/acme-lb.md",
        "lists/vault/postmortems/queue.md",
        "lists/vault/bookmark.md",
    ]);
    let mut ui = common::Ui::new(App::new(nb, std::time::Instant::now()));
    press(&mut ui, "4 s s");
    let s = screen(&draw(&mut ui, 100, 12));
    let rows: Vec<&str> = s.lines().skip(2).take(5).collect();
    let first_cells: Vec<String> = rows
        .iter()
        .map(|r| {
            r.chars()
                .skip(1)
                .take(30)
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect();
    assert_eq!(
        first_cells,
        vec![
            "▸ #messaging  1",
            "▸ #networking  1",
            "▸ #postmortem  1",
            "▸ (no tag)  1",
            ""
        ]
    );
    assert!(s.contains("Links · by tag"), "{s}");
    press(&mut ui, "g g l");
    let s = screen(&draw(&mut ui, 100, 12));
    assert!(s.contains("│▾ #messaging  1"), "{s}");
    assert!(
        s.contains("│    Queue deadlock  ~2018 · queue.example"),
        "{s}"
    );
    assert!(s.contains("#messaging — 1 link "), "{s}");
}

#[test]
fn a_result_shows_the_part_of_its_item_that_matched() {
    let mut ui = app();
    press(&mut ui, "/");
    type_text(&mut ui, "upgrade");
    let s = screen(&draw(&mut ui, 100, 30));
    let lines: Vec<&str> = s.lines().collect();
    assert!(
        lines[4].starts_with("│Reddit Pi Day Outage  reddit.com"),
        "{s}"
    );
    assert!(
        lines[5].starts_with("│  Great overview of a Kubernetes outage centered around an upgrade"),
        "{s}"
    );
}

/// The URL of the first link a query finds.
fn first_url(nb: &Notebook, query: &str) -> String {
    search_links(nb, query)
        .first()
        .map(|&id| nb.link(id).unwrap().url().to_string())
        .unwrap_or_default()
}

#[test]
fn what_people_half_remember_finds_the_link_first() {
    let (_dir, nb) = notebook(&[
        "lists/post-mortems.md",
        "search/lists/ops-links.md",
        "search/vault/slack-transit-gateway-2021.md",
        "search/vault/instapaper-2tb-limit.md",
        "search/vault/heroku-oauth-tokens-2022.md",
        "search/vault/joyent-us-east-1-reboot.md",
    ]);
    for (query, url) in [
        // Typos, in any field.
        (
            "heorku oauth tokens",
            "https://blog.heroku.com/april-2022-incident-review",
        ),
        (
            "vandeley disks raid rebuild",
            "https://vandelay.example/2015-06-02-disk-failure",
        ),
        // Ops vocabulary, both ways.
        (
            "slack tgw scaling",
            "https://slack.engineering/slacks-outage-on-january-4th-2021/",
        ),
        (
            "instapaper rds 2tb limit",
            "https://medium.com/making-instapaper/instapaper-outage-cause-recovery-3c32a7e9cc5f",
        ),
        (
            "config push disabled lb health checks",
            "https://status.acme.example/incidents/42",
        ),
        // Word forms.
        (
            "cert rotation script deleted active cert",
            "https://initech.example/post/outage-on-march-3-2021",
        ),
    ] {
        assert_eq!(first_url(&nb, query), url, "{query}");
    }
}

#[test]
fn a_link_that_holds_most_of_the_query_still_comes_below_one_that_holds_it_all() {
    let (_dir, nb) = notebook(&["lists/post-mortems.md"]);
    // `wiped` is in no item: Acme still comes, and first.
    assert_eq!(titles(&nb, "acme config push wiped", 1), vec!["Acme"]);
    // Strict fzf terms alone stay strict: nothing holds `'wiped`.
    assert_eq!(titles(&nb, "'wiped", 9), Vec::<String>::new());
    assert_eq!(titles(&nb, "acme 'wiped", 9), Vec::<String>::new());
}
