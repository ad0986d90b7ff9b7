//! The app driven by key events: selection, expansion, what Enter opens.

mod common;

use common::{Ui, app, app_with, draw, line, press, screen, type_text};
use opsbook::app::overlay::Question;
use opsbook::app::tree::Target;
use opsbook::app::{Action, Effect, Input, Point};
use opsbook::app::{App, View};
use opsbook::keymap::{Keymap, Origin};
use opsbook::notebook::Bucket;
use std::time::Instant;

fn selected_text(app: &App) -> String {
    match app.pane().selected_target() {
        Some(Target::Link(id)) => app.notebook.link(id).unwrap().text().to_string(),
        Some(Target::Bucket(Bucket::Year(y))) => y.to_string(),
        Some(Target::Session(d, i)) => app.notebook.documents[d as usize].sessions[i as usize]
            .title
            .clone(),
        other => format!("{other:?}"),
    }
}

const REDDIT: &str =
    "https://www.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/";

#[test]
fn reddit_pi_day_opens_in_four_keystrokes() {
    let mut app = app();
    assert_eq!(app.view, View::Postmortems);
    assert_eq!(selected_text(&app), "CircleCI Security Breach");
    let effects = press(&mut app, "j j j enter");
    assert_eq!(effects, vec![Effect::Open(REDDIT.to_string())]);
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some(format!("opening {REDDIT}").as_str())
    );
}

#[test]
fn expand_collapse_and_step_out() {
    let mut app = app();
    press(&mut app, "j");
    assert_eq!(selected_text(&app), "NameCheap Spam Email");
    assert_eq!(app.pane().rows.len(), 25);
    press(&mut app, "l");
    assert_eq!(app.pane().rows.len(), 26);
    press(&mut app, "l");
    assert_eq!(selected_text(&app), "Details based on spam I received");
    press(&mut app, "h");
    assert_eq!(selected_text(&app), "NameCheap Spam Email");
    press(&mut app, "h");
    assert_eq!(app.pane().rows.len(), 25);
    press(&mut app, "h");
    assert_eq!(selected_text(&app), "2023");
    press(&mut app, "space");
    assert_eq!(app.pane().rows.len(), 19);
    assert_eq!(
        app.pane().rows[1].target,
        Target::Bucket(Bucket::Year(2022))
    );
}

/// The rows of the current view as the tree shows them: depth and label.
fn row_labels(app: &common::Ui) -> Vec<String> {
    app.pane()
        .rows
        .iter()
        .map(|r| {
            let text = opsbook::ui::nav::row_line(app, r, 60)
                .spans
                .iter()
                .map(|s| s.content.to_string())
                .collect::<String>();
            text.trim_end().to_string()
        })
        .collect()
}

#[test]
fn views_remember_what_was_open() {
    let mut app = app();
    press(&mut app, "3 j l");
    let opened = vec![
        "▸ DevOps Lunch And Learn  lunch-and-learn.md",
        "▾ Plan  plan.md",
        "    ¶ Planning for a DevOps Cycle",
        "  ▸ ## Architecture",
        "  ▸ ## Statistics",
        "  ▸ ## Tech Debt",
        "  ▸ ## Post-Mortem",
        "  ▸ ## Small Environment/Home Lab",
        "▸ reinvent-notes  reinvent-notes.md",
    ];
    assert_eq!(row_labels(&app), opened, "`l` opens Plan's children");
    assert_eq!(app.pane().selected, 1);
    press(&mut app, "1 space 3");
    assert_eq!(app.view, View::Notebook);
    assert_eq!(row_labels(&app), opened, "the view remembers what was open");
    assert_eq!(app.pane().selected, 1);
    press(&mut app, "tab");
    assert_eq!(app.view, View::Links);
    press(&mut app, "shift-tab shift-tab");
    assert_eq!(app.view, View::Sessions);
}

#[test]
fn top_bottom_and_sequences() {
    let mut app = app();
    press(&mut app, "G");
    assert_eq!(
        selected_text(&app),
        "Scaling up Prive Video By Migration to a Monolith"
    );
    press(&mut app, "g");
    assert_eq!(app.keys.pending().len(), 1);
    let t = draw(&mut app, 100, 30);
    assert!(line(&t, 29).contains("g…"), "{}", line(&t, 29));
    press(&mut app, "g");
    assert!(app.keys.pending().is_empty());
    assert_eq!(selected_text(&app), "2023");
}

#[test]
fn links_that_must_not_open_say_why() {
    let mut app = app();
    press(&mut app, "j l j");
    assert_eq!(selected_text(&app), "Details based on spam I received");
    assert_eq!(press(&mut app, "enter"), vec![]);
    let m = app.message.clone().unwrap();
    assert!(m.error);
    assert_eq!(
        m.text,
        "`/info/post-mortem-namecheap` is a relative link: no site to resolve it against"
    );
    press(&mut app, "4 home");
    assert_eq!(press(&mut app, "enter"), vec![]);
    assert_eq!(
        app.message.clone().unwrap().text,
        "`#` is a placeholder link: nothing to open"
    );
}

#[test]
fn copy_puts_the_url_on_the_clipboard() {
    let mut app = app();
    assert_eq!(
        press(&mut app, "y"),
        vec![Effect::Copy(
            "https://circleci.com/blog/jan-4-2023-incident-report/".into()
        )]
    );
    press(&mut app, "k");
    assert_eq!(press(&mut app, "y"), vec![]);
    assert_eq!(
        app.message.clone().unwrap().text,
        "no link selected: nothing to copy"
    );
}

#[test]
fn a_failed_open_copies_the_url_and_says_so() {
    let mut app = app();
    let why = opsbook::runtime::OpenError::NoDisplay.to_string();
    let effects = app.open_failed(REDDIT.into(), &why);
    assert_eq!(effects, vec![Effect::Copy(REDDIT.into())]);
    assert_eq!(
        app.message.clone().unwrap().text,
        "No browser here: URL copied to the clipboard"
    );
}

#[test]
fn search_opens_jumps_and_closes() {
    let mut app = app();
    press(&mut app, "4");
    press(&mut app, "/");
    type_text(&mut app, "reddit pi");
    let s = app.search().unwrap();
    let titles: Vec<String> = s
        .hits
        .iter()
        .map(|h| app.notebook.link(*h).unwrap().title().into_owned())
        .collect();
    // The second is a bare URL (…/you_broke_reddit_the_piday_outage/) titled
    // by its item; the third holds only `reddit` of the query, so it follows.
    assert_eq!(
        titles,
        vec![
            "Reddit Pi Day Outage",
            "Retrospective on Reddit's k8s-related outage",
            "Reddit Thread: Wiedest Outages"
        ]
    );
    assert_eq!(press(&mut app, "enter"), vec![Effect::Open(REDDIT.into())]);
    press(&mut app, "tab");
    assert!(app.search().is_none());
    assert_eq!(app.view, View::Postmortems);
    assert_eq!(selected_text(&app), "Reddit Pi Day Outage");
    press(&mut app, "/");
    type_text(&mut app, "xyzzy");
    assert_eq!(app.search().unwrap().hits.len(), 0);
    press(&mut app, "ctrl-w");
    assert_eq!(app.search().unwrap().query, "");
    press(&mut app, "esc");
    assert!(app.search().is_none());
}

#[test]
fn a_nested_link_jumps_with_its_parent_opened() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "plex media");
    press(&mut app, "tab");
    assert_eq!(
        selected_text(&app),
        "Root Cause: APT against Sr. DevOps Engineer Though Plex Media Player"
    );
    let i = app.pane().selected;
    assert_eq!(app.pane().rows[i].depth, 2);
    assert!(app.pane().rows[i - 1].expanded);
}

#[test]
fn notes_search_jumps_to_the_session_or_the_note() {
    let mut app = app();
    press(&mut app, "f");
    type_text(&mut app, "Welcome Back 2024");
    press(&mut app, "tab");
    assert_eq!(app.view, View::Sessions);
    assert_eq!(
        selected_text(&app),
        "Welcome Back and 2024 look forward (tech side)"
    );
    press(&mut app, "f");
    type_text(&mut app, "cornstarch");
    press(&mut app, "enter");
    assert_eq!(app.view, View::Notebook);
    let t = draw(&mut app, 120, 40);
    assert!(screen(&t).contains("Read a bit about fund fees"));
}

#[test]
fn scope_switch_keeps_the_query() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "lisa");
    press(&mut app, "ctrl-t");
    let s = app.search().unwrap();
    assert_eq!((s.query.as_str(), s.total), ("lisa", 496));
    // The whole word first; letters scattered over short notes after it
    // (no typos of it: the notebook holds it as typed).
    assert_eq!(s.hits.len(), 101);
    let first = app.notes.entry(s.hits[0]).expect("a piece of text");
    assert_eq!(
        app.notebook.documents[first.doc as usize].node_line(first.node),
        152
    );
}

#[test]
fn paste_types_into_the_search() {
    let mut app = app();
    press(&mut app, "/");
    let effects = app.input(Input::Text("kinesis\n".into()));
    assert_eq!(
        effects,
        vec![Effect::Search(
            opsbook::app::Scope::Links,
            "kinesis ".into()
        )]
    );
    assert_eq!(
        app.input(Input::Text("x".into())),
        vec![Effect::Search(
            opsbook::app::Scope::Links,
            "kinesis x".into()
        )]
    );
    press(&mut app, "esc");
    assert_eq!(app.input(Input::Text("ignored".into())), vec![]);
}

#[test]
fn mouse_clicks_select_rows() {
    let mut app = app();
    draw(&mut app, 100, 30);
    // The tree's border is on row 1: its fifth row on screen is row 6.
    let nav_row_4 = Point { x: 5, y: 6 };
    app.input(Input::Action(Action::Click(nav_row_4)));
    assert_eq!(selected_text(&app), "Reddit Pi Day Outage");
    app.input(Input::Action(Action::ScrollDown(nav_row_4)));
    assert_eq!(selected_text(&app), "2022");
}

#[test]
fn suspicious_hosts_ask_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("n.md"),
        "## 2024\n- [Apple](https://аpple.com/login)\n",
    )
    .unwrap();
    let loaded = opsbook::storage::load(dir.path()).unwrap();
    let mut app = Ui::new(App::new(loaded.notebook, Instant::now()));
    assert_eq!(press(&mut app, "enter"), vec![]);
    assert_eq!(
        app.question().cloned(),
        Some(Question::OpenSuspiciousHost {
            url: "https://xn--pple-43d.com/login".into(),
            decoded: "аpple.com".into(),
            raw: "xn--pple-43d.com".into(),
            why: "The link's host is not plain ASCII and looks like apple.com.".into(),
        })
    );
    let t = draw(&mut app, 100, 30);
    assert!(screen(&t).contains("really is: xn--pple-43d.com"));
    assert_eq!(press(&mut app, "n"), vec![]);
    assert!(app.question().is_none());
    press(&mut app, "enter");
    assert_eq!(
        press(&mut app, "y"),
        vec![Effect::Open("https://xn--pple-43d.com/login".into())]
    );
}

#[test]
fn a_remapped_key_drives_the_app_and_the_old_one_does_not() {
    let mut keymap = Keymap::defaults();
    keymap
        .merge(
            "[normal]\nj = \"none\"\nn = \"down\"\n",
            "mine.toml",
            &Origin::File("mine.toml".into()),
        )
        .unwrap();
    let mut app = app_with(keymap);
    press(&mut app, "j");
    assert_eq!(selected_text(&app), "CircleCI Security Breach");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "j is not bound (? for help)"
    );
    press(&mut app, "n");
    assert_eq!(selected_text(&app), "NameCheap Spam Email");
    press(&mut app, "?");
    let s = screen(&draw(&mut app, 100, 44));
    assert!(s.contains("down, n  down"), "{s}");
}

#[test]
fn quit_from_every_mode() {
    for keys in ["q", "/ ctrl-c q", "? ctrl-c"] {
        let mut app = app();
        press(&mut app, keys);
        assert!(app.quit, "{keys}");
    }
}

#[test]
fn every_link_of_data_is_found_by_part_of_its_title_or_url() {
    let mut app = app();
    let links: Vec<(u32, String, String)> = app
        .notebook
        .links()
        .map(|l| (l.id, l.text().to_string(), l.url().to_string()))
        .collect();
    for (id, text, url) in links {
        // A part of the title (its longest word), else the end of the URL.
        let word = text
            .split(|c: char| !c.is_alphanumeric())
            .max_by_key(|w| w.len())
            .filter(|w| w.len() >= 4)
            .map(str::to_string)
            .unwrap_or_else(|| {
                url.chars()
                    .rev()
                    .take(12)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect()
            });
        press(&mut app, "/");
        type_text(&mut app, &word);
        let hits = &app.search().unwrap().hits;
        assert!(hits.contains(&id), "`{word}` does not find {text} {url}");
        press(&mut app, "esc");
    }
}

#[test]
fn the_editor_pane_shows_the_file_line_and_unsaved_marker() {
    let mut app = app();
    press(&mut app, "e");
    let t = draw(&mut app, 100, 12);
    assert!(line(&t, 1).contains("plan.md:36 saved"), "{}", line(&t, 1));
    assert!(
        line(&t, 2).contains(" 1 - [CircleCI Security Breach]"),
        "{}",
        line(&t, 2)
    );
    press(&mut app, "ctrl-e");
    type_text(&mut app, "!");
    let t = draw(&mut app, 100, 12);
    assert!(line(&t, 1).contains("plan.md:36 ●"), "{}", line(&t, 1));
    assert!(line(&t, 11).contains("EDITOR"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn messages_go_away_after_a_few_seconds() {
    let mut app = app();
    app.warn("something failed");
    let at = app.message.as_ref().unwrap().at;
    assert!(!app.expire_message(at + std::time::Duration::from_secs(4)));
    assert!(app.message.is_some());
    assert!(app.expire_message(at + std::time::Duration::from_secs(5)));
    assert!(app.message.is_none());
}

#[test]
fn clicks_on_tabs_and_results_take_the_action_path() {
    let mut app = app();
    draw(&mut app, 100, 30);
    // " 1 Postmortems " is columns 1–15, " 2 Sessions " 17–28.
    app.input(Input::Action(Action::Click(Point { x: 18, y: 0 })));
    assert_eq!(app.view, View::Sessions);
    app.input(Input::Action(Action::Click(Point { x: 16, y: 0 })));
    assert_eq!(app.view, View::Sessions, "the gap between tabs is no tab");
    press(&mut app, "/");
    type_text(&mut app, "outage");
    let hits = app.search().unwrap().hits.len();
    assert!(hits >= 3, "{hits}");
    // Results start under the border (row 1) and the query's two rows, two
    // rows each: row 6 is the second result's title.
    app.input(Input::Action(Action::Click(Point { x: 5, y: 6 })));
    assert_eq!(app.search().unwrap().selected, 1);
    app.input(Input::Action(Action::Click(Point { x: 5, y: 9 })));
    assert_eq!(
        app.search().unwrap().selected,
        2,
        "its item's line counts too"
    );
    app.input(Input::Action(Action::ScrollDown(Point { x: 5, y: 6 })));
    assert_eq!(app.search().unwrap().selected, 5.min(hits - 1));
}

#[test]
fn the_links_view_is_listed_when_first_shown_and_after_a_reload() {
    let mut app = app();
    let links = app.notebook.link_count();
    let listed = |app: &App| {
        let p = &app.panes[View::Links.index()];
        (p.built, p.rows.len())
    };
    assert_eq!(listed(&app), (false, 0));
    // A reload before it is shown leaves it for later.
    let again = opsbook::notebook::Notebook::from_shared(
        app.notebook.root.clone(),
        app.notebook.documents.clone(),
    );
    app.notebook_reloaded(again, 0);
    assert_eq!(listed(&app), (false, 0));
    press(&mut app, "4");
    assert_eq!((app.view, listed(&app)), (View::Links, (true, links)));
    press(&mut app, "j j");
    let selected = app.pane().selected_target();
    // Once shown it is kept, and its selection survives a reload.
    press(&mut app, "1");
    let again = opsbook::notebook::Notebook::from_shared(
        app.notebook.root.clone(),
        app.notebook.documents.clone(),
    );
    app.notebook_reloaded(again, 0);
    assert_eq!(listed(&app), (true, links));
    assert_eq!(app.panes[View::Links.index()].selected_target(), selected);
    assert_eq!(selected, Some(Target::Link(2)));
}

#[test]
fn a_huge_list_opens_its_newest_years_up_to_a_few_thousand_links() {
    use opsbook::notebook::Notebook;
    use opsbook::notebook::document::parse_document;
    let mut text = String::from("# Post-mortems\n");
    for (year, n) in [(2024, 3_000), (2023, 1_999), (2022, 2), (2021, 1)] {
        text.push_str(&format!("## {year}\n"));
        for i in 0..n {
            text.push_str(&format!(
                "- [{year} #{i}](https://example.com/{year}/{i})\n"
            ));
        }
    }
    let doc = parse_document("pm.md".into(), text, false);
    let app = App::new(Notebook::new(".".into(), vec![doc]), Instant::now());
    let pane = &app.panes[View::Postmortems.index()];
    let open: Vec<Target> = pane
        .rows
        .iter()
        .filter(|r| r.expanded)
        .map(|r| r.target)
        .collect();
    // 3,000 + 1,999 links: the third year would pass 5,000.
    assert_eq!(
        open,
        vec![
            Target::Bucket(Bucket::Year(2024)),
            Target::Bucket(Bucket::Year(2023))
        ]
    );
    assert_eq!(pane.rows.len(), 4 + 3_000 + 1_999);
    assert_eq!(pane.selected, 1);
}

#[test]
fn a_dead_link_and_its_archived_copy_pass_the_host_check_first() {
    use opsbook::health::{Health, Snapshot, Status};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("n.md"),
        "## 2024\n- [Apple](https://аpple.com/login)\n- [Gone](https://gone.example/pm)\n",
    )
    .unwrap();
    let loaded = opsbook::storage::load(dir.path()).unwrap();
    let mut app = Ui::new(App::new(loaded.notebook, Instant::now()));
    let dead = |url: &str, copy: &str| {
        let mut h = Health::new(url, Status::Dead, "HTTP 404", 1_000);
        h.archived = Some(Snapshot {
            url: copy.into(),
            timestamp: "20190312093015".into(),
        });
        h
    };
    app.set_health([
        dead(
            "https://аpple.com/login",
            "https://web.archive.org/web/2019/x",
        ),
        dead("https://gone.example/pm", "https://аpple.com/copy"),
    ]);
    // A look-alike host is asked about before the link being dead.
    press(&mut app, "enter");
    assert!(matches!(
        app.question(),
        Some(Question::OpenSuspiciousHost { .. })
    ));
    press(&mut app, "n j enter");
    assert!(matches!(app.question(), Some(Question::OpenDead { .. })));
    // The copy's address is checked as any link's.
    assert_eq!(press(&mut app, "y"), vec![]);
    assert_eq!(
        app.question().cloned().map(|q| match q {
            Question::OpenSuspiciousHost { url, .. } => url,
            other => format!("{other:?}"),
        }),
        Some("https://xn--pple-43d.com/copy".to_string())
    );
}

#[test]
fn notes_search_ranks_by_how_much_of_the_query_a_piece_holds() {
    let mut app = app();
    // Neither "kuberntes" (a typo) nor "updates" (another form) is written
    // anywhere: the session holding all three (a typo, another form, and
    // "chick" in its URL) comes first.
    press(&mut app, "f");
    type_text(&mut app, "chick kuberntes updates");
    let s = app.search().unwrap();
    let first = app.notes.entry(s.hits[0]).expect("a piece of text");
    let doc = &app.notebook.documents[first.doc as usize];
    assert_eq!(
        (doc.path.to_str().unwrap(), doc.node_line(first.node)),
        ("lunch-and-learn.md", 381)
    );
    press(&mut app, "enter");
    assert_eq!(app.view, View::Sessions);
    assert_eq!(
        selected_text(&app),
        "Chic-Fil-A kubernetes update discussion - https://medium.com/chick-fil-atech/enterprise-restaurant-compute-f5e2fd63d20f"
    );
}

#[test]
fn what_was_said_of_a_view_goes_when_another_is_shown_but_a_warning_stays() {
    let mut ui = app();
    press(&mut ui, "4 s");
    assert_eq!(
        ui.message.as_ref().map(|m| m.text.as_str()),
        Some("links by year, newest first")
    );
    press(&mut ui, "5");
    assert!(ui.message.is_none());
    ui.warn("a warning");
    press(&mut ui, "1");
    assert_eq!(
        ui.message.as_ref().map(|m| m.text.as_str()),
        Some("a warning")
    );
}
