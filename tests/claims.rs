//! Promises the README makes that no other test kept: each with exact
//! expected values, so that breaking one fails here.

mod common;

use common::opsbook;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Harness, press, type_text};
use opsbook::app::{Action, Effect, Input, Point};
use opsbook::notebook::document::parse_document;
use opsbook::notebook::{Bucket, NodeKind};
use opsbook::runtime::{Files, OpenError, Opener, Runtime};
use opsbook::storage::journal::Journal;

fn doc(text: &str) -> opsbook::notebook::Document {
    parse_document("t.md".into(), text.to_string(), false)
}

fn kinds(text: &str) -> Vec<(NodeKind, usize)> {
    let d = doc(text);
    let mut depth = vec![0usize; d.nodes.len()];
    (1..d.nodes.len())
        .map(|i| {
            depth[i] = depth[d.nodes[i].parent() as usize] + 1;
            (d.nodes[i].kind(), depth[i])
        })
        .collect()
}

#[test]
fn star_and_plus_are_list_markers() {
    let item = NodeKind::Item { ordered: false };
    assert_eq!(
        kinds("* a\n+ b\n- c\n"),
        vec![(item, 1), (item, 1), (item, 1)]
    );
}

#[test]
fn a_tab_counts_to_the_next_multiple_of_four() {
    let item = NodeKind::Item { ordered: false };
    // A tab is as deep as four spaces: nested under the item above it.
    assert_eq!(
        kinds("- a\n\t- b\n    - c\n"),
        vec![(item, 1), (item, 2), (item, 2)]
    );
    // Two spaces and a tab also reach column four.
    assert_eq!(kinds("- a\n  \t- b\n"), vec![(item, 1), (item, 2)]);
}

#[test]
fn setext_headings_are_not_headings() {
    let d = doc("Title\n=====\n\nText\n-----\n");
    assert!(d.sections.is_empty());
    assert!(
        !d.nodes
            .iter()
            .any(|n| matches!(n.kind(), NodeKind::Heading { .. }))
    );
}

#[test]
fn toml_front_matter_gives_the_title_and_tags() {
    let d = doc("+++\ntitle = \"Ops plan\"\ntags = [\"devops\", \"postmortem\"]\n+++\n# Heading\n");
    assert_eq!(&*d.title, "Ops plan");
    assert_eq!(*d.tags, ["devops", "postmortem"]);
}

#[test]
fn reference_definitions_are_not_links() {
    let d = doc("See [the docs][d].\n\n[d]: https://docs.example\n");
    let links: Vec<(&str, &str)> = d
        .links
        .iter()
        .map(|l| (d.link_text(l), d.link_url(l)))
        .collect();
    assert_eq!(links, vec![("the docs", "https://docs.example")]);
}

#[test]
fn year_headings_run_from_1970_to_2100() {
    let d = doc(
        "# Postmortems\n## 1969\n- [a](https://a)\n## 1970\n- [b](https://b)\n## 2100\n- [c](https://c)\n## 2101\n- [d](https://d)\n",
    );
    let buckets: Vec<Bucket> = d.links.iter().map(|l| d.link_bucket(l)).collect();
    assert_eq!(
        buckets,
        vec![
            Bucket::General,
            Bucket::Year(1970),
            Bucket::Year(2100),
            Bucket::General
        ]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_skipped_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "- [a](https://a.example)\n").unwrap();
    std::os::unix::fs::symlink("/nonexistent/gone.md", dir.path().join("gone.md")).unwrap();
    let o = opsbook(&["links", "--notebook", dir.path().to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "a  https://a.example  a.md:1\n"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("opsbook: gone.md: skipped: "), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn every_json_kind_and_tags_in_tsv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("k.md"),
        "---\ntags: [ops]\n---\n- [web](https://w.example) [mail](mailto:a@b.example) [rel](/x) [ph](#) [js](javascript:alert(1))\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("other.md"), "- [o](https://o.example)\n").unwrap();
    let root = dir.path().to_str().unwrap();
    let o = opsbook(&["links", "--format", "json", "--notebook", root]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["web", "mailto", "relative", "placeholder", "other", "web"]
    );
    let o = opsbook(&[
        "links",
        "--tag",
        "ops",
        "--format",
        "tsv",
        "--notebook",
        root,
    ]);
    let rows: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split('\t').take(4).collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(
        rows,
        vec![
            "year|text|url|kind",
            "|web|https://w.example|web",
            "|mail|mailto:a@b.example|mailto",
            "|rel|/x|relative",
            "|ph|#|placeholder",
            "|js|javascript:alert(1)|other",
        ]
    );
}

#[test]
fn clicking_another_row_saves_the_editor_first() {
    let mut h = Harness::new();
    h.run(vec![]);
    h.app.input(Input::Resize {
        width: 100,
        height: 30,
    });
    h.press("e end");
    h.type_text(" clicked away");
    // The tree's fifth row on screen (its border is row 1).
    let effects = h
        .app
        .input(Input::Action(Action::Click(Point { x: 5, y: 6 })));
    h.run(effects);
    assert!(h.app.editor().is_none());
    assert!(
        h.read("plan.md")
            .contains("incident-report/) clicked away\n")
    );
}

#[test]
fn recovery_d_discards_and_n_asks_next_time() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" unsaved");
    h.tick(Instant::now());
    h.restart();
    h.app.recoveries = h.files.journal.leftovers();
    h.app.offer_recovery();
    // n: nothing done now, asked again at the next start.
    h.press("n");
    assert!(h.app.question().is_none());
    assert_eq!(h.files.journal.leftovers().len(), 1);
    h.restart();
    h.app.recoveries = h.files.journal.leftovers();
    h.app.offer_recovery();
    assert!(h.app.question().is_some());
    // d: thrown away, the file as it was.
    h.press("d");
    assert!(h.files.journal.leftovers().is_empty());
    assert_eq!(h.read("plan.md"), Harness::original("plan.md"));
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("discarded the unsaved text of plan.md")
    );
}

#[cfg(unix)]
#[test]
fn files_that_are_not_writable_open_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ro.md");
    std::fs::write(&file, "- item\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let loaded = opsbook::storage::load(dir.path()).unwrap();
    assert!(loaded.notebook.documents[0].read_only);
    let mut ui = common::Ui::new(opsbook::app::App::new(loaded.notebook, Instant::now()));
    press(&mut ui, "3 l j e");
    assert!(ui.editor().unwrap().read_only);
    type_text(&mut ui, "x");
    assert_eq!(ui.editor().unwrap().body(), "- item");
    assert_eq!(
        ui.message.as_ref().map(|m| m.text.as_str()),
        Some("read-only: this file is never written by opsbook")
    );
}

#[test]
fn y_in_search_copies_the_selected_result() {
    let mut ui = common::app();
    press(&mut ui, "/");
    type_text(&mut ui, "circleci");
    assert_eq!(
        press(&mut ui, "ctrl-y"),
        vec![Effect::Copy(
            "https://circleci.com/blog/jan-4-2023-incident-report/".into()
        )]
    );
}

/// An opener that waits until the test lets it go, and says when it returned.
struct SlowBrowser(
    Mutex<mpsc::Receiver<()>>,
    mpsc::Sender<String>,
    Arc<std::sync::atomic::AtomicBool>,
);

impl Opener for SlowBrowser {
    fn open(&self, url: &str) -> Result<(), OpenError> {
        let _ = self.1.send(url.to_string());
        let _ = self.0.lock().unwrap().recv();
        self.2.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn links_open_without_waiting_for_the_browser() {
    let (release, wait) = mpsc::channel();
    let (called, calls) = mpsc::channel();
    let dir = tempfile::tempdir().unwrap();
    let files = Files {
        root: dir.path().to_path_buf(),
        journal: Journal::new(dir.path().join("journal"), dir.path()),
        health_cache: None,
        pages: None,
    };
    let returned = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let browser = SlowBrowser(Mutex::new(wait), called, Arc::clone(&returned));
    let (mut runtime, _notices) = Runtime::new(files, Arc::new(browser));
    let mut ui = common::app();
    let mut console = common::TestConsole::default();
    // Should the runtime wait for the browser, this lets it go in the end.
    let valve = release.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(10));
        let _ = valve.send(());
    });
    runtime
        .perform_all(
            &mut ui.app,
            vec![Effect::Open("https://x.example/".into())],
            &mut console,
        )
        .unwrap();
    assert!(
        !returned.load(std::sync::atomic::Ordering::SeqCst),
        "the runtime came back before the browser did"
    );
    assert_eq!(
        calls.recv_timeout(Duration::from_secs(10)).unwrap(),
        "https://x.example/"
    );
    release.send(()).unwrap();
}

#[test]
fn named_keys_up_to_f24_bind_and_resolve() {
    use opsbook::keymap::{KeyPress, Keymap, Mode, Origin, Resolution};
    let mut map = Keymap::default();
    map.merge(
        "[normal]\nf24 = \"help\"\ninsert = \"edit\"\nshift-tab = \"prev_view\"\nalt-enter = \"open\"\n",
        "t.toml",
        &Origin::Default,
    )
    .unwrap();
    for (key, action) in [
        ("f24", Action::Help),
        ("insert", Action::Edit),
        ("shift-tab", Action::PrevView),
        ("alt-enter", Action::Open),
    ] {
        let press = KeyPress::parse(key).unwrap();
        // As the terminal sends it.
        let from_terminal = KeyPress::from_event(press.to_event()).unwrap();
        assert_eq!(
            map.resolve(Mode::Normal, &[], from_terminal),
            Resolution::Action(action),
            "{key}"
        );
    }
    assert!(KeyPress::parse("f25").is_err());
}
