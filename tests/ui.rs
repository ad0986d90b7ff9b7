//! Snapshots of every view and overlay on the bundled notebook, and style
//! checks where colour carries meaning.

mod common;

use common::{Ui, app, draw, line, press, screen, type_text};
use opsbook::ui::theme;
use ratatui::style::Modifier;

#[test]
fn postmortems_view() {
    let mut app = app();
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn sessions_view() {
    let mut app = app();
    press(&mut app, "2 j");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn notebook_view_with_a_document_open() {
    let mut app = app();
    press(&mut app, "3 j l j j l j");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn links_view_by_year() {
    let mut app = app();
    press(&mut app, "4 s");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn search_pane_with_a_query() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "reddit pi");
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn notes_search() {
    let mut app = app();
    press(&mut app, "f");
    type_text(&mut app, "karpenter");
    insta::assert_snapshot!(draw(&mut app, 100, 24).backend());
}

#[test]
fn help_overlay() {
    let mut app = app();
    press(&mut app, "?");
    insta::assert_snapshot!(draw(&mut app, 100, 44).backend());
}

#[test]
fn tiny_terminals() {
    let mut app = app();
    insta::assert_snapshot!("twenty_by_five", draw(&mut app, 20, 5).backend());
    insta::assert_snapshot!("one_by_one", draw(&mut app, 1, 1).backend());
}

#[test]
fn every_size_shows_the_screen_or_says_it_is_too_small() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "k8s 東京");
    for w in 0..60u16 {
        for h in 0..12u16 {
            let s = screen(&draw(&mut app, w, h));
            let big_enough = w >= opsbook::ui::MIN_WIDTH && h >= opsbook::ui::MIN_HEIGHT;
            if big_enough {
                // The view bar, the search pane's title and the status bar's mode.
                assert!(s.starts_with("  1 Postmortems"), "{w}x{h}:\n{s}");
                assert!(s.contains("Search links"), "{w}x{h}:\n{s}");
                assert!(
                    line(&draw(&mut app, w, h), h - 1).starts_with(" SEARCH "),
                    "{w}x{h}"
                );
            } else {
                // As much of the message as fits (wrapping in a narrow
                // column drops its spaces), `…` where it is cut.
                let cells: String = s.chars().filter(|c| *c != '\n' && *c != ' ').collect();
                assert!(
                    (w * h == 0 || !cells.is_empty())
                        && "terminaltoosmall".starts_with(cells.trim_end_matches('…')),
                    "{w}x{h}: {cells:?}"
                );
            }
        }
    }
}

#[test]
fn matched_characters_are_highlighted() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "reddit pi");
    let t = draw(&mut app, 100, 30);
    // First result row: "Reddit Pi Day Outage", selected.
    assert!(
        line(&t, 4).starts_with("│Reddit Pi Day Outage"),
        "{}",
        line(&t, 4)
    );
    let buf = t.backend().buffer();
    let r = buf[(1, 4)].style();
    assert_eq!(r.fg, theme::matched().fg);
    assert!(r.add_modifier.contains(Modifier::BOLD));
    // `D` of Day is not matched.
    assert_ne!(buf[(11, 4)].style().fg, theme::matched().fg);
}

#[test]
fn without_colours_the_match_is_bold_and_the_selection_reversed() {
    use ratatui::style::Color;
    let mut app = app();
    app.app.theme = opsbook::config::Theme::None;
    press(&mut app, "/");
    type_text(&mut app, "reddit pi");
    let t = draw(&mut app, 100, 30);
    let buf = t.backend().buffer();
    for cell in &buf.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    // The selected result: reversed, its matched letters bold as well.
    let r = buf[(1, 4)].style();
    assert!(r.add_modifier.contains(Modifier::REVERSED | Modifier::BOLD));
    assert!(
        buf[(11, 4)]
            .style()
            .add_modifier
            .contains(Modifier::REVERSED)
    );
    // The next result row is not selected.
    assert!(
        !buf[(11, 6)]
            .style()
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn the_light_theme_has_no_yellow_or_cyan_text() {
    use ratatui::style::Color;
    let mut app = app();
    app.app.theme = opsbook::config::Theme::Light;
    press(&mut app, "/");
    type_text(&mut app, "reddit pi");
    let t = draw(&mut app, 100, 30);
    let buf = t.backend().buffer();
    for cell in &buf.content {
        assert!(
            ![Color::Yellow, Color::Cyan, Color::Gray].contains(&cell.fg),
            "{cell:?}"
        );
    }
    assert_eq!(buf[(1, 4)].style().fg, Some(Color::Indexed(130)));
}

#[test]
fn cancelled_sessions_are_dimmed() {
    let mut app = app();
    press(&mut app, "2 home space j l");
    let t = draw(&mut app, 100, 64);
    let s = screen(&t);
    let y = s
        .lines()
        .position(|l| l.contains("NO MEETING Holiday"))
        .expect("cancelled session shown") as u16;
    let buf = t.backend().buffer();
    let col = (0..100)
        .find(|&x| buf[(x, y)].symbol() == "N")
        .expect("title");
    let style = buf[(col, y)].style();
    assert_eq!(style.fg, theme::cancelled().fg);
    assert!(style.add_modifier.contains(Modifier::CROSSED_OUT));
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.md"),
        "# Evil\n- [bell\x07 \x1b[31mred](https://x.example/\x1b)\n",
    )
    .unwrap();
    let loaded = opsbook::storage::load(dir.path()).unwrap();
    let mut app = Ui::new(opsbook::app::App::new(
        loaded.notebook,
        std::time::Instant::now(),
    ));
    press(&mut app, "4");
    let s = screen(&draw(&mut app, 80, 12));
    assert!(!s.contains('\x1b') && !s.contains('\x07'));
    assert!(s.contains("bell␇ ␛[31mred"), "{s}");
}

#[test]
fn a_year_lists_its_links_with_nested_ones_indented() {
    let mut app = app();
    press(&mut app, "j j j j j j");
    let s = screen(&draw(&mut app, 120, 30));
    assert!(s.contains("2022 — 6 postmortem links"), "{s}");
    assert!(s.contains("│• Lastpass Security Breach"), "{s}");
    assert!(
        s.contains("│  • Root Cause: APT against Sr. DevOps Engineer"),
        "{s}"
    );
}

#[test]
fn the_conflict_dialog_fits_80_columns_without_cutting_a_choice() {
    let mut h = common::Harness::new();
    h.press("e end");
    h.type_text(" mine");
    let theirs = common::Harness::original("plan.md").replace(
        "jan-4-2023-incident-report/)\n",
        "jan-4-2023-incident-report/) theirs\n",
    );
    std::fs::write(h.files.root.join("plan.md"), theirs).unwrap();
    h.press("ctrl-s");
    let s = screen(&draw(&mut h.app, 80, 24));
    for choice in [
        "m: merge hunk by hunk",
        "b: see both",
        "r: reload",
        "o: overwrite",
        "n: later",
    ] {
        assert!(s.contains(choice), "{choice} cut off:\n{s}");
    }
    // The status bar points at the dialog and repeats only the way out: no
    // `y yes` where y answers nothing.
    let status = s.lines().last().unwrap();
    assert!(
        status
            .trim_end()
            .ends_with("answer in the dialog · n later"),
        "{status}"
    );
}

#[test]
fn see_both_wraps_so_the_end_of_a_long_changed_line_shows() {
    let mut h = common::Harness::new();
    h.press("e end");
    h.type_text(" mine");
    // Theirs changes the same line, far past the screen's right edge.
    let theirs = common::Harness::original("plan.md").replace(
        "jan-4-2023-incident-report/)\n",
        &format!(
            "jan-4-2023-incident-report/) {} THEIRS-AT-THE-END\n",
            "long ".repeat(40)
        ),
    );
    std::fs::write(h.files.root.join("plan.md"), theirs).unwrap();
    h.press("ctrl-s");
    h.press("b");
    let s = screen(&draw(&mut h.app, 80, 24));
    assert!(s.contains("THEIRS-AT-THE-END"), "{s}");
}

/// The README's first screen shows the Postmortems view of the example
/// notebook as it is drawn: `UPDATE_README=1` writes it there.
#[test]
fn readme_screen() {
    let mut app = app();
    let terminal = draw(&mut app, 100, 16);
    let shown: String = screen(&terminal)
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let marker = readme
        .find("<!-- the Postmortems view at 100 columns")
        .expect("the README marks where the screen goes");
    let open = marker
        + readme[marker..]
            .find("```\n")
            .expect("a code block after the mark")
        + 4;
    let close = open + readme[open..].find("```\n").expect("the code block ends");
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{shown}{}", &readme[..open], &readme[close..]);
        std::fs::write(&path, updated).expect("README.md written");
        return;
    }
    assert_eq!(
        &readme[open..close],
        shown,
        "the README's screen is not what the UI draws: UPDATE_README=1 cargo test --test ui readme_screen"
    );
}

#[test]
fn help_at_80_by_24_says_there_is_more_below_and_above_as_it_scrolls() {
    let mut app = app();
    press(&mut app, "?");
    let t = draw(&mut app, 80, 24);
    let bottom = line(&t, 23);
    assert!(bottom.contains(" ↓ "), "{}", screen(&t));
    assert!(
        bottom.contains(" more ") && bottom.contains(" keymaps.toml "),
        "{bottom}"
    );
    assert!(!line(&t, 0).contains('↑'), "{}", line(&t, 0));
    press(&mut app, "j j");
    let t = draw(&mut app, 80, 24);
    assert!(line(&t, 0).contains(" ↑ 2 more "), "{}", screen(&t));
    // At the end, nothing is said below, however far it is pressed on.
    press(&mut app, &"j ".repeat(40));
    let t = draw(&mut app, 80, 24);
    assert!(!line(&t, 23).contains('↓'), "{}", screen(&t));
    // And one key up shows more below again at once.
    press(&mut app, "k");
    let t = draw(&mut app, 80, 24);
    assert!(line(&t, 23).contains(" ↓ 1 more "), "{}", screen(&t));
}

#[test]
fn a_long_message_at_80_columns_keeps_the_end_of_its_path() {
    let mut app = app();
    app.say(
        "created a new notebook with the bundled examples in /home/someone/.local/share/opsbook/notebook"
            .to_string(),
    );
    let t = draw(&mut app, 80, 24);
    let status = line(&t, 23);
    assert!(
        status
            .trim_end()
            .ends_with("/.local/share/opsbook/notebook"),
        "{status}"
    );
    assert!(status.contains("created a new"), "{status}");
}

#[test]
fn a_result_found_by_a_typo_shows_the_word_it_matched() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "kuberntes upgrade reddit");
    let t = draw(&mut app, 100, 30);
    let buf = t.backend().buffer();
    // The first result's detail line: "Kubernetes" (matched by the typo)
    // and "upgrade" (as typed) stand out.
    let (y, x) = (0..30u16)
        .find_map(|y| {
            let l = line(&t, y);
            l.find("Great overview of a Kubernetes").map(|b| {
                let before = &l[..b + "Great overview of a ".len()];
                (y, before.chars().count() as u16)
            })
        })
        .expect("the detail line of Reddit Pi Day Outage");
    assert_eq!(
        buf[(x, y)].style().fg,
        theme::matched().fg,
        "{}",
        screen(&t)
    );
    assert_ne!(buf[(x - 2, y)].style().fg, theme::matched().fg);
}

/// The app over `tests/fixtures/postmortem_docs` (a team's own postmortem
/// documents beside a list of postmortem links), on 2026-12-06.
fn postmortem_docs_app() -> Ui {
    let loaded = opsbook::storage::load(std::path::Path::new("tests/fixtures/postmortem_docs"))
        .expect("loads");
    let mut app = opsbook::app::App::new(loaded.notebook, std::time::Instant::now());
    app.set_today(opsbook::notebook::edit::Date {
        year: 2026,
        month: 12,
        day: 6,
    });
    Ui::new(app)
}

#[test]
fn postmortem_documents_under_their_years_marked_apart_from_links() {
    let mut app = postmortem_docs_app();
    insta::assert_snapshot!(draw(&mut app, 120, 24).backend());
}

#[test]
fn a_postmortem_documents_detail_states_its_date_and_facts() {
    let mut app = postmortem_docs_app();
    press(&mut app, "G");
    insta::assert_snapshot!(draw(&mut app, 120, 30).backend());
}

#[test]
fn a_postmortem_document_is_a_search_result_that_says_so_and_enter_shows_it() {
    let mut app = postmortem_docs_app();
    press(&mut app, "/");
    type_text(&mut app, "adfs certificate expired");
    let s = screen(&draw(&mut app, 120, 24));
    assert!(
        s.contains(
            "▤ PM2021-004 - ADFS outage  postmortem document · pm/PM2021-004 - ADFS outage.md"
        ),
        "{s}"
    );
    press(&mut app, "enter");
    assert_eq!(app.view, opsbook::app::View::Postmortems);
    let docs = &app.notebook.documents;
    let d = docs
        .iter()
        .position(|d| d.path == std::path::Path::new("pm/PM2021-004 - ADFS outage.md"))
        .expect("the document") as u32;
    assert_eq!(
        app.pane().selected_target(),
        Some(opsbook::app::tree::Target::Postmortem(d))
    );
}

/// The bundled notebook with a kept page for the first link selected.
fn app_with_a_kept_page() -> (Ui, String) {
    use opsbook::pages::{Page, PageKind};
    use opsbook::search::pages::PageIndex;
    let mut app = app();
    draw(&mut app, 100, 30);
    while app.selected_link().is_none() {
        press(&mut app, "j");
    }
    let id = app.selected_link().unwrap();
    let url = app.notebook.link(id).unwrap().url().to_string();
    let mut text = String::from("# What happened\n\n");
    text.push_str("Three of five control-plane members were restarted in one window, and the etcd quorum was lost for eleven minutes.\n\n");
    for i in 1..=30 {
        text.push_str(&format!("Paragraph {i} of the timeline.\n\n"));
    }
    text.push_str("The [runbook](https://example.com/runbook) says how to restore a member.");
    let page = Page {
        url: url.clone(),
        final_url: url.clone(),
        // Noon UTC: the same day in every time zone a CI runs in.
        fetched_at: 1_795_000_000 - 1_795_000_000 % 86_400 + 43_200,
        kind: PageKind::Html,
        title: "Incident report 2024-03".into(),
        description: "Quorum lost during maintenance.".into(),
        text,
        truncated: false,
    };
    let words = vec![page.clone().into_words()];
    app.app
        .pages_read(vec![page], std::sync::Arc::new(PageIndex::build(&words)));
    (app, url)
}

#[test]
fn the_reader_shows_a_kept_page_scrolls_finds_and_lists_its_links() {
    let (mut app, _) = app_with_a_kept_page();
    let detail = screen(&draw(&mut app, 100, 30));
    assert!(
        detail.contains("page kept 2026-11-18 (HTML) · v reads it"),
        "{detail}"
    );
    assert!(
        detail.contains("Quorum lost during maintenance."),
        "{detail}"
    );
    press(&mut app, "v");
    assert_eq!(app.mode(), opsbook::app::Mode::Reader);
    insta::assert_snapshot!("reader", draw(&mut app, 100, 30).backend());
    press(&mut app, "/");
    type_text(&mut app, "paragraph 20");
    press(&mut app, "enter");
    let found = draw(&mut app, 100, 30);
    assert!(
        line(&found, 2).starts_with("│ Paragraph 20 of the timeline.  "),
        "{}",
        line(&found, 2)
    );
    assert!(
        line(&found, 28).contains(" `paragraph 20` 1/1 "),
        "{}",
        line(&found, 28)
    );
    // `/` starts empty; enter with nothing typed finds the same again.
    press(&mut app, "/");
    assert_eq!(app.prompt().map(|p| p.input.as_str()), Some(""));
    press(&mut app, "enter");
    assert!(line(&draw(&mut app, 100, 30), 2).starts_with("│ Paragraph 20 of the timeline.  "));
    press(&mut app, "/");
    type_text(&mut app, "timeline");
    press(&mut app, "enter");
    press(&mut app, "n n");
    assert!(line(&draw(&mut app, 100, 30), 28).contains(" `timeline` 22/30 "));
    press(&mut app, "G");
    let end = screen(&draw(&mut app, 100, 30));
    assert!(end.contains("Links in the page (1)"), "{end}");
    assert!(
        end.contains("[1] runbook https://example.com/runbook"),
        "{end}"
    );
    press(&mut app, "esc");
    assert_eq!(app.mode(), opsbook::app::Mode::Normal);
}

#[test]
fn a_dead_link_with_a_kept_page_offers_it_first_and_r_reads_it() {
    use opsbook::health::{Health, Status};
    let (mut app, url) = app_with_a_kept_page();
    app.app
        .set_health(vec![Health::new(&url, Status::Dead, "HTTP 404", 0)]);
    press(&mut app, "o");
    let dialog = screen(&draw(&mut app, 100, 30));
    assert!(
        dialog.contains("│r: read the copy kept on 2026-11-18  "),
        "{dialog}"
    );
    assert!(dialog.contains("No archived copy was found."), "{dialog}");
    // With copies not looked up, the dialog says so rather than "none found".
    press(&mut app, "esc");
    app.app.health.settings.archive_api = String::new();
    press(&mut app, "o");
    let dialog = screen(&draw(&mut app, 100, 30));
    assert!(
        dialog.contains("Archived copies are not looked up (check.archive_api)."),
        "{dialog}"
    );
    press(&mut app, "r");
    assert_eq!(app.mode(), opsbook::app::Mode::Reader);
    assert_eq!(
        app.reader().map(|r| r.title.as_str()),
        Some("Incident report 2024-03")
    );
}

#[test]
fn a_result_found_by_its_pages_words_shows_the_pages_sentence() {
    let (mut app, _) = app_with_a_kept_page();
    press(&mut app, "/");
    type_text(&mut app, "etcd quorum");
    let s = screen(&draw(&mut app, 100, 30));
    let lines: Vec<&str> = s.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("CircleCI Security Breach"))
        .expect(&s);
    assert!(
        lines[at + 1].contains("  page › Three of five control-plane members were restarted in one window, and the etcd quorum"),
        "{s}"
    );
}

#[test]
fn v_before_the_kept_pages_are_read_says_so_and_after_says_none_is_kept() {
    let mut app = app();
    draw(&mut app, 100, 30);
    while app.selected_link().is_none() {
        press(&mut app, "j");
    }
    press(&mut app, "v");
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("the kept pages are still being read: v again in a moment")
    );
    app.app.pages_read(
        Vec::new(),
        std::sync::Arc::new(opsbook::search::pages::PageIndex::build(&[])),
    );
    press(&mut app, "v");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        said.starts_with("no page kept for https://")
            && said.ends_with(": W fetches the pages of every link"),
        "{said}"
    );
    assert_eq!(app.mode(), opsbook::app::Mode::Normal);
}

#[test]
fn an_empty_view_counts_no_row_selected() {
    // The example notebook has no action items: the Actions view is empty.
    let mut ui = app();
    press(&mut ui, "5");
    let t = draw(&mut ui, 100, 20);
    let bottom = line(&t, 18);
    assert!(bottom.contains(" 0/0 "), "{bottom}");
    press(&mut ui, "1");
    let t = draw(&mut ui, 100, 20);
    assert!(!line(&t, 18).contains(" 0/0 "), "{}", line(&t, 18));
}

#[test]
fn a_search_pane_too_low_for_two_rows_a_result_lists_titles() {
    let mut ui = app();
    press(&mut ui, "/");
    type_text(&mut ui, "okta");
    let shown = screen(&draw(&mut ui, 40, 10));
    assert!(!shown.contains("no match"), "{shown}");
    assert!(shown.contains("Okta Security Compromise"), "{shown}");
}

#[test]
fn an_action_row_too_long_keeps_its_owner_and_due_date_in_sight() {
    let mut ui = postmortem_docs_app();
    press(&mut ui, "5");
    let shown = screen(&draw(&mut ui, 120, 30));
    let row = shown
        .lines()
        .find(|l| l.contains("[ ] Alert"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(row.contains("…  @maria · due 2021-04-30 overdue"), "{row}");
}
