//! Editing: byte-exact saves, atomic writes, autosave and the crash journal,
//! conflicts, today's session, new links and notes, paste, read-only files.

mod common;

use std::time::{Duration, Instant};

use common::Harness;
use opsbook::app::overlay::Question;
use opsbook::app::{Effect, Input, View};

use opsbook::app::tree::Target;
use opsbook::notebook::document::parse_document;
use opsbook::notebook::edit::{content_hash, splice};
use opsbook::storage::{atomic_write, atomic_write_checked, write_edit};
use opsbook::synth::{Shape, notebook as synth};

fn editor_body(h: &Harness) -> String {
    h.app.editor().expect("editor open").body()
}

#[test]
fn editing_one_item_changes_only_its_bytes() {
    let mut h = Harness::new();
    // CircleCI is selected; `e` opens its item.
    h.press("e");
    assert_eq!(
        editor_body(&h),
        "- [CircleCI Security Breach](https://circleci.com/blog/jan-4-2023-incident-report/)"
    );
    h.press("end");
    h.type_text(" - token rotation");
    h.press("ctrl-s");
    let before = Harness::original("plan.md");
    let after = h.read("plan.md");
    let start = before.find("- [CircleCI").unwrap();
    let end = start + before[start..].find('\n').unwrap();
    assert_eq!(&after[..end], &before[..end]);
    assert_eq!(&after[end..end + 17], " - token rotation");
    assert_eq!(&after[end + 17..], &before[end..]);
    // The tree was read again and the edited link is still selected.
    assert_eq!(
        h.app.pane().selected_target(),
        Some(Target::Link(
            h.app
                .notebook
                .links()
                .find(|l| l.text() == "CircleCI Security Breach")
                .unwrap()
                .id
        ))
    );
    assert!(!h.app.editor().unwrap().dirty());
}

#[test]
fn saves_are_byte_identical_outside_the_range_on_every_node_of_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut docs: Vec<(String, String)> = ["plan.md", "lunch-and-learn.md", "reinvent-notes.md"]
        .iter()
        .map(|n| (n.to_string(), Harness::original(n)))
        .collect();
    for seed in 1..=5 {
        docs.extend(synth(Shape {
            documents: 1,
            links: 60,
            seed,
        }));
    }
    let mut checked = 0;
    for (name, text) in docs {
        let doc = parse_document(name.clone().into(), text.clone(), false);
        let file = dir.path().join(name.replace('/', "_"));
        for i in 0..doc.nodes.len() {
            std::fs::write(&file, &text).unwrap();
            let range = doc.subtree(i as u32);
            let replacement = format!("- edited {i} ü\n");
            let written = write_edit(
                &file,
                content_hash(text.as_bytes()),
                range.clone(),
                &replacement,
            )
            .expect("writes");
            let on_disk = std::fs::read_to_string(&file).unwrap();
            assert_eq!(written, on_disk);
            assert_eq!(
                on_disk.as_bytes()[..range.start],
                text.as_bytes()[..range.start]
            );
            assert_eq!(
                on_disk.as_bytes()[range.start + replacement.len()..],
                text.as_bytes()[range.end..]
            );
            assert_eq!(
                &on_disk[range.start..range.start + replacement.len()],
                replacement,
                "the middle is the replacement"
            );
            checked += 1;
        }
    }
    // Every node of every file, the root (the whole file) included: 501 in
    // the three notes of data/, 367 in the five synthetic ones.
    assert_eq!(checked, 868);
}

#[test]
fn a_failed_write_leaves_the_original_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.md");
    std::fs::write(&file, "original\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let err = atomic_write_checked(&file, b"new\n", |_| Err(std::io::Error::other("disk full")))
        .unwrap_err();
    assert_eq!(err.to_string(), "disk full");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "original\n");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("plan.md")]);
    atomic_write(&file, b"new\n").unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "new\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}

#[test]
fn a_failed_save_keeps_the_buffer_dirty_and_says_why() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text("!");
    // A folder takes the file's place: the save cannot happen.
    std::fs::remove_file(h.files.root.join("plan.md")).unwrap();
    std::fs::create_dir(h.files.root.join("plan.md")).unwrap();
    h.press("ctrl-s");
    let e = h.app.editor().unwrap();
    assert!(e.dirty());
    let m = h.app.message.as_ref().unwrap();
    assert!(m.error);
    assert!(
        m.text.starts_with(&format!(
            "cannot write {}: a folder, not a regular file",
            h.files.root.join("plan.md").display()
        )),
        "{}",
        m.text
    );
    assert!(
        m.text
            .ends_with("; your text is kept in the editor and the journal")
    );
}

#[test]
fn autosave_follows_a_pause_and_the_journal_follows_typing() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" typed");
    let now = Instant::now();
    h.tick(now);
    // Typing just happened: journaled, not saved.
    let left = h.files.journal.leftovers();
    assert_eq!(left.len(), 1);
    assert!(left[0].text.ends_with("incident-report/) typed\n"));
    assert_eq!(h.read("plan.md"), Harness::original("plan.md"));
    h.tick(now + Duration::from_millis(1100));
    assert!(h.read("plan.md").contains("incident-report/) typed\n"));
    assert!(h.files.journal.leftovers().is_empty());
}

#[test]
fn help_over_the_editor_does_not_stop_the_journal_or_autosave() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" typed");
    h.press("f1");
    assert_eq!(h.app.help(), Some((opsbook::app::Mode::Editor, 0)));
    let now = Instant::now();
    h.tick(now);
    let left = h.files.journal.leftovers();
    assert_eq!(left.len(), 1, "journaled while help is open");
    assert!(left[0].text.ends_with("incident-report/) typed\n"));
    h.tick(now + Duration::from_millis(1100));
    assert!(h.read("plan.md").contains("incident-report/) typed\n"));
    assert!(h.files.journal.leftovers().is_empty());
    assert_eq!(h.app.help(), Some((opsbook::app::Mode::Editor, 0)));
}

#[test]
fn closing_and_quitting_save_first() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" closed");
    h.press("esc");
    assert!(h.app.editor().is_none());
    assert!(h.read("plan.md").contains("incident-report/) closed\n"));
    h.press("e end");
    h.type_text(" quit");
    h.press("ctrl-q");
    assert!(h.app.quit);
    assert!(
        h.read("plan.md")
            .contains("incident-report/) closed quit\n")
    );
}

#[test]
fn changes_on_disk_to_other_lines_merge_and_save() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" mine");
    let theirs = Harness::original("plan.md")
        .replace("Planning for a DevOps Cycle", "Planning, edited elsewhere");
    std::fs::write(h.files.root.join("plan.md"), &theirs).unwrap();
    h.press("ctrl-s");
    assert!(h.app.question().is_none());
    assert_eq!(
        h.read("plan.md"),
        theirs.replace("incident-report/)\n", "incident-report/) mine\n")
    );
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("plan.md changed on disk: merged with your text")
    );
    // The editor goes on over the merged file.
    assert!(!h.app.editor().unwrap().dirty());
    h.type_text(" more");
    h.press("ctrl-s");
    assert!(h.read("plan.md").contains("incident-report/) mine more\n"));
    assert!(h.read("plan.md").contains("Planning, edited elsewhere"));
}

/// The CircleCI line, edited elsewhere.
fn edit_the_same_line(h: &Harness) -> String {
    let theirs = Harness::original("plan.md").replace(
        "jan-4-2023-incident-report/)\n",
        "jan-4-2023-incident-report/) theirs\n",
    );
    std::fs::write(h.files.root.join("plan.md"), &theirs).unwrap();
    theirs
}

#[test]
fn a_file_changed_underneath_is_never_overwritten_without_asking() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" mine");
    let theirs = edit_the_same_line(&h);
    h.press("ctrl-s");
    assert!(matches!(
        h.app.question(),
        Some(Question::Conflict { hunks: 1, .. })
    ));
    assert_eq!(h.read("plan.md"), theirs);
    h.press("b");
    let diff = h.app.diff().unwrap();
    assert!(
        diff.lines
            .iter()
            .any(|l| l.ends_with("incident-report/) theirs"))
    );
    assert!(
        diff.lines
            .iter()
            .any(|l| l.starts_with('+') && l.ends_with("incident-report/) mine"))
    );
    h.press("esc r");
    assert!(h.app.editor().is_none());
    assert_eq!(h.read("plan.md"), theirs);
    let conflict = h.read("plan.md.conflict");
    assert!(conflict.contains("incident-report/) mine\n"));
    // The tree shows what is on disk now.
    assert!(
        h.app.notebook.documents[1]
            .source
            .contains("report/) theirs")
    );
}

#[test]
fn overlapping_hunks_are_chosen_one_by_one() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" mine");
    let theirs = edit_the_same_line(&h);
    h.press("ctrl-s m");
    assert_eq!(h.app.mode(), opsbook::app::Mode::Merge);
    // Nothing chosen: nothing written.
    h.press("enter");
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("1 hunk still to choose (m mine, t theirs, b both)")
    );
    assert_eq!(h.read("plan.md"), theirs);
    h.press("b enter");
    assert!(h.app.overlay.is_none());
    let both = Harness::original("plan.md").replace(
        "jan-4-2023-incident-report/)\n",
        "jan-4-2023-incident-report/) mine\n- [CircleCI Security Breach](https://circleci.com/blog/jan-4-2023-incident-report/) theirs\n",
    );
    assert_eq!(h.read("plan.md"), both);
    assert!(h.app.editor().is_some(), "mine is kept: the editor goes on");
}

#[test]
fn keeping_theirs_closes_the_editor_and_says_so() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" mine");
    let theirs = edit_the_same_line(&h);
    h.press("ctrl-s m t enter");
    assert_eq!(h.read("plan.md"), theirs);
    assert!(h.app.editor().is_none());
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("plan.md: your text was not kept, so the editor closed")
    );
}

#[test]
fn overwrite_says_what_it_drops_before_it_drops_it() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" mine");
    std::fs::write(h.files.root.join("plan.md"), "replaced\n").unwrap();
    h.press("ctrl-s o");
    assert!(matches!(
        h.app.question(),
        Some(Question::Overwrite { drops, .. }) if drops == &vec!["replaced".to_string()]
    ));
    assert_eq!(h.read("plan.md"), "replaced\n");
    h.press("y");
    assert!(h.app.question().is_none());
    assert_eq!(
        h.read("plan.md"),
        Harness::original("plan.md").replace("incident-report/)\n", "incident-report/) mine\n")
    );
    assert!(!h.app.editor().unwrap().dirty());
}

#[test]
fn a_session_closed_without_topics_leaves_no_empty_topic_line() {
    let mut h = Harness::new();
    h.press("2 n");
    h.type_text("No topics yet");
    h.press("enter esc");
    assert!(h.app.editor().is_none());
    let original = Harness::original("lunch-and-learn.md");
    assert_eq!(
        h.read("lunch-and-learn.md"),
        format!("{original}\n- Nov 23, 2026 - No topics yet\n")
    );
}

#[test]
fn the_configured_date_style_dates_a_new_session() {
    let mut h = Harness::new();
    h.app.session_date_style = Some(opsbook::notebook::edit::DateStyle::FullMonthDayYear);
    h.press("2 n");
    h.type_text("Retro");
    h.press("enter");
    assert_eq!(editor_body(&h), "- November 23, 2026 - Retro\n  - ");
}

#[test]
fn todays_session_goes_at_the_end_of_the_calendar() {
    let mut h = Harness::new();
    h.press("2 n");
    h.type_text("Incident review");
    h.press("enter");
    assert_eq!(editor_body(&h), "- Nov 23, 2026 - Incident review\n  - ");
    h.type_text("timeline");
    h.press("enter");
    h.type_text("action items");
    h.press("ctrl-s");
    let original = Harness::original("lunch-and-learn.md");
    assert_eq!(
        h.read("lunch-and-learn.md"),
        format!("{original}\n- Nov 23, 2026 - Incident review\n  - timeline\n  - action items\n")
    );
    let (_, s) = h
        .app
        .notebook
        .sessions()
        .find(|(_, s)| s.title == "Incident review")
        .expect("new session parsed");
    assert_eq!(s.iso_date().as_deref(), Some("2026-11-23"));
    assert!(!s.year_inferred);
    // Selected in the Sessions view.
    assert!(matches!(
        h.app.pane().selected_target(),
        Some(Target::Session(..))
    ));
}

#[test]
fn a_link_added_without_a_title_gets_the_pages_unless_one_was_typed() {
    let mut h = Harness::new();
    h.press("a");
    h.type_text("https://status.example.com/42");
    h.press("enter");
    let url = "https://status.example.com/42".to_string();
    assert_eq!(h.rest, [Effect::FetchTitle(url.clone())]);
    assert_eq!(h.app.prompt().unwrap().label, "Title (asking the page…)");
    h.app
        .title_fetched(&url, Ok("Example status: DNS outage".into()));
    assert_eq!(
        (
            h.app.prompt().unwrap().label.as_str(),
            h.app.prompt().unwrap().input.as_str()
        ),
        ("Title", "Example status: DNS outage")
    );
    // A title typed before the page answered is kept; failing, one line says why.
    h.press("ctrl-u");
    h.type_text("Mine");
    h.app.title_fetched(&url, Ok("Theirs".into()));
    assert_eq!(h.app.prompt().unwrap().input, "Mine");
    h.app.title_fetched(&url, Err("timed out after 3 s".into()));
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("no title from the page (timed out after 3 s): type one, or enter for none")
    );
    // An answer for another URL changes nothing.
    h.app
        .title_fetched("https://other.example/", Ok("Other".into()));
    assert_eq!(h.app.prompt().unwrap().input, "Mine");
}

#[test]
fn a_new_postmortem_year_is_created_in_order() {
    let mut h = Harness::new();
    h.press("a");
    h.type_text("https://status.example.com/42");
    h.press("enter");
    h.type_text("Example [DNS] outage");
    h.press("enter");
    assert_eq!(h.app.prompt().unwrap().input, "2023");
    h.press("ctrl-u");
    h.type_text("2021");
    h.press("enter");
    let plan = h.read("plan.md");
    let original = Harness::original("plan.md");
    let at = original.find("### 2020").unwrap();
    assert_eq!(
        plan,
        format!(
            "{}### 2021\n\n- [Example \\[DNS\\] outage](https://status.example.com/42)\n\n{}",
            &original[..at],
            &original[at..]
        )
    );
    assert_eq!(h.app.view, View::Postmortems);
    let Some(Target::Link(id)) = h.app.pane().selected_target() else {
        panic!("no link selected")
    };
    let l = h.app.notebook.link(id).unwrap();
    assert_eq!((l.text(), l.year()), ("Example [DNS] outage", Some(2021)));
}

#[test]
fn a_typed_url_that_is_no_url_and_a_wrong_year_are_asked_again_keeping_the_rest() {
    let mut h = Harness::new();
    h.press("a");
    h.type_text("not a url");
    h.press("enter");
    // Asked again with the text kept; nothing written.
    assert_eq!(h.app.prompt().unwrap().input, "not a url");
    assert_eq!(
        h.app.message.clone().unwrap().text,
        "`not a url` is not a URL: mend it, or esc"
    );
    assert_eq!(h.read("plan.md"), Harness::original("plan.md"));
    h.press("ctrl-u");
    h.type_text("status.example.com/7");
    h.press("enter");
    h.type_text("Queue backlog");
    h.press("enter");
    h.press("ctrl-u");
    h.type_text("20x");
    h.press("enter");
    assert_eq!(h.app.prompt().unwrap().input, "20x");
    assert_eq!(h.read("plan.md"), Harness::original("plan.md"));
    h.press("ctrl-u");
    h.type_text("general");
    h.press("enter");
    let original = Harness::original("plan.md");
    let at = original.find("\n### 2023").unwrap();
    assert_eq!(
        h.read("plan.md"),
        format!(
            "{}- [Queue backlog](https://status.example.com/7)\n{}",
            &original[..at],
            &original[at..]
        )
    );
}

#[test]
fn a_link_under_general_prefills_general() {
    let mut h = Harness::new();
    // The first row of the Postmortems view is General, newest years after.
    let general = h
        .app
        .pane()
        .rows
        .iter()
        .position(|r| r.target == Target::Bucket(opsbook::notebook::Bucket::General))
        .unwrap();
    h.app.select(general);
    h.press("a");
    h.type_text("https://x.test/");
    h.press("enter");
    h.type_text("X");
    h.press("enter");
    assert_eq!(h.app.prompt().unwrap().input, "general");
}

#[test]
fn a_link_is_added_to_the_selected_section() {
    let mut h = Harness::new();
    h.press("3 j l j j");
    h.press("a");
    h.type_text("https://backstage.io");
    h.press("enter");
    h.type_text("Backstage");
    h.press("enter");
    assert!(h.read("plan.md").contains("- [Who Cares If It Scales](https://betterprogramming.pub/who-cares-if-it-scales-1946adca8167) - Avoiding pre-mature optimization.\n- [Backstage](https://backstage.io)\n\n## Statistics"));
}

#[test]
fn a_new_note_is_created_and_never_over_an_existing_file() {
    let mut h = Harness::new();
    h.press("N");
    h.type_text("standup");
    h.press("enter");
    assert_eq!(h.read("standup.md"), "# standup\n\n");
    assert_eq!(h.app.view, View::Notebook);
    assert!(h.app.editor().is_some());
    h.type_text("- first");
    h.press("esc");
    assert_eq!(h.read("standup.md"), "# standup\n\n- first\n");
    h.press("N");
    h.type_text("plan");
    h.press("enter");
    assert_eq!(
        h.app.message.as_ref().unwrap().text,
        "plan.md exists already: not overwritten"
    );
    assert_eq!(h.read("plan.md"), Harness::original("plan.md"));
}

#[test]
fn pasted_text_goes_in_as_text() {
    let mut h = Harness::new();
    h.press("e end");
    let effects = h
        .app
        .input(Input::Text("\n- pasted one\r\n- pasted two".into()));
    h.run(effects);
    assert_eq!(
        editor_body(&h),
        "- [CircleCI Security Breach](https://circleci.com/blog/jan-4-2023-incident-report/)\n- pasted one\n- pasted two"
    );
}

#[test]
fn read_only_files_are_never_written() {
    let mut h = Harness::new();
    std::fs::write(h.files.root.join("latin1.md"), b"# Caf\xe9\n- item\n").unwrap();
    h.press("ctrl-r");
    h.press("3 home e");
    assert!(h.app.editor().unwrap().read_only);
    h.type_text("x");
    assert_eq!(editor_body(&h), "# Caf\u{fffd}\n- item");
    assert_eq!(
        h.app.message.as_ref().unwrap().text,
        "read-only: this file is never written by opsbook"
    );
    h.press("esc");
    assert_eq!(
        std::fs::read(h.files.root.join("latin1.md")).unwrap(),
        b"# Caf\xe9\n- item\n"
    );
}

#[test]
fn leftover_text_is_offered_and_recovered_in_place() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" unsaved");
    h.tick(Instant::now());
    // The process dies here: a new app over the same files.
    let entries = h.files.journal.leftovers();
    h.restart();
    h.app.recoveries = entries;
    h.app.offer_recovery();
    assert!(matches!(
        h.app.question(),
        Some(Question::Recover { in_place: true, .. })
    ));
    h.press("b");
    assert!(
        h.app
            .diff()
            .unwrap()
            .lines
            .iter()
            .any(|l| l.ends_with("incident-report/) unsaved"))
    );
    h.press("esc y");
    assert!(h.app.question().is_none());
    assert!(editor_body(&h).ends_with("incident-report/) unsaved"));
    // The cursor is where the recovered text ends: typing goes on there.
    h.type_text(" and more");
    assert!(editor_body(&h).ends_with("incident-report/) unsaved and more"));
    h.tick(Instant::now() + Duration::from_secs(2));
    assert!(
        h.read("plan.md")
            .contains("incident-report/) unsaved and more\n")
    );
    assert!(h.files.journal.leftovers().is_empty());
}

#[test]
fn leftover_text_for_a_changed_file_goes_beside_it() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" unsaved");
    h.tick(Instant::now());
    let entries = h.files.journal.leftovers();
    std::fs::write(h.files.root.join("plan.md"), "changed\n").unwrap();
    h.restart();
    h.app.recoveries = entries;
    h.app.offer_recovery();
    h.press("y");
    assert_eq!(h.read("plan.md"), "changed\n");
    assert!(
        h.read("plan.md.recovered")
            .ends_with("incident-report/) unsaved\n")
    );
    assert!(h.files.journal.leftovers().is_empty());
}

#[test]
fn external_edit_asks_the_runtime_for_the_files_line() {
    let mut h = Harness::new();
    h.press("j j j E");
    assert_eq!(
        h.rest,
        vec![Effect::ExternalEdit {
            path: "plan.md".into(),
            line: 40
        }]
    );
}

#[test]
fn splice_replaces_only_its_range() {
    assert_eq!(splice("a\nb\nc\n", 2..4, "B\nB2\n"), "a\nB\nB2\nc\n");
}

#[cfg(unix)]
#[test]
fn the_watcher_never_reads_a_special_file_that_appears() {
    let mut h = Harness::new();
    let fifo = h.files.root.join("new.md");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let zero = h.files.root.join("zero.md");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    // Both would block or read for ever with a plain read.
    h.runtime.files_changed(&mut h.app.app, [fifo, zero]);
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("zero.md: not read: a device, not a regular file")
    );
    assert_eq!(h.app.notebook.documents.len(), 3);
}

#[cfg(unix)]
#[test]
fn a_symlinked_note_is_written_through_to_its_target() {
    let mut h = Harness::new();
    let outside = h.tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::rename(h.files.root.join("plan.md"), outside.join("plan.md")).unwrap();
    std::os::unix::fs::symlink(outside.join("plan.md"), h.files.root.join("plan.md")).unwrap();
    h.restart();
    h.press("e end");
    h.type_text(" through");
    h.press("ctrl-s");
    let link = h.files.root.join("plan.md");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let real = std::fs::read_to_string(outside.join("plan.md")).unwrap();
    assert!(real.contains("incident-report/) through\n"), "{real}");
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        1,
        "no temporary file left beside the target"
    );
}

#[cfg(unix)]
#[test]
fn a_note_reached_twice_is_loaded_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "- [x](https://x.example)\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("a.md"), dir.path().join("b.md")).unwrap();
    let loaded = opsbook::storage::load(dir.path()).unwrap();
    assert_eq!(loaded.notebook.documents.len(), 1);
    assert_eq!(
        loaded.notebook.documents[0].path,
        std::path::Path::new("a.md")
    );
    assert_eq!(
        loaded
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec!["b.md: skipped: the same file as a.md"]
    );
}

#[cfg(unix)]
#[test]
fn a_file_made_read_only_while_editing_is_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" kept");
    let plan = h.files.root.join("plan.md");
    std::fs::set_permissions(&plan, std::fs::Permissions::from_mode(0o444)).unwrap();
    h.tick(Instant::now() + Duration::from_secs(2));
    assert_eq!(h.read("plan.md"), Harness::original("plan.md"));
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.clone()),
        Some(format!(
            "{} is read-only: not written; your text is kept in the editor and the journal",
            plan.display()
        ))
    );
    assert!(editor_body(&h).ends_with("incident-report/) kept"));
}

#[test]
fn two_saves_asked_at_once_write_once_and_ask_nothing() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" once");
    // ctrl-s and an autosave in the same pass of the event loop.
    let mut effects = h
        .app
        .key(opsbook::keymap::KeyPress::parse("ctrl-s").unwrap());
    effects.extend(h.app.tick(Instant::now() + Duration::from_secs(2)));
    assert_eq!(
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Save(_)))
            .count(),
        1
    );
    h.run(effects);
    assert!(h.app.question().is_none());
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("saved plan.md")
    );
    assert!(h.read("plan.md").contains("incident-report/) once\n"));
}

#[test]
fn typing_after_a_save_was_asked_stays_unsaved() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" one");
    let effects = h
        .app
        .key(opsbook::keymap::KeyPress::parse("ctrl-s").unwrap());
    // A key typed before the runtime carried the save out.
    h.app.input(Input::Text(" two".into()));
    h.run(effects);
    assert!(h.read("plan.md").contains("incident-report/) one\n"));
    assert!(h.app.editor().unwrap().dirty(), "` two` is not saved yet");
    h.tick(Instant::now() + Duration::from_secs(2));
    assert!(h.read("plan.md").contains("incident-report/) one two\n"));
}

#[test]
fn a_file_deleted_while_editing_is_written_anew_when_asked() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" kept");
    std::fs::remove_file(h.files.root.join("plan.md")).unwrap();
    // esc saves first: the question comes instead of nothing happening.
    h.press("esc");
    assert!(matches!(h.app.question(), Some(Question::Gone { .. })));
    assert!(h.app.editor().is_some());
    h.press("y");
    assert_eq!(
        h.read("plan.md"),
        Harness::original("plan.md").replace("incident-report/)\n", "incident-report/) kept\n")
    );
    assert!(!h.app.editor().unwrap().dirty());
}

#[test]
fn a_file_deleted_while_editing_can_become_a_new_note_or_be_discarded() {
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" kept");
    std::fs::remove_file(h.files.root.join("plan.md")).unwrap();
    h.press("ctrl-q");
    assert!(matches!(h.app.question(), Some(Question::Gone { .. })));
    assert!(!h.app.quit, "quitting waits for the answer");
    // Save as a new note: the prompt offers a name.
    h.press("s");
    assert_eq!(h.app.prompt().unwrap().input, "plan-saved.md");
    h.press("enter");
    assert!(h.read("plan-saved.md").contains("incident-report/) kept\n"));
    assert_eq!(
        h.app.editor().unwrap().path,
        std::path::Path::new("plan-saved.md")
    );

    // Discard asks once more.
    let mut h = Harness::new();
    h.press("e end");
    h.type_text(" gone");
    std::fs::remove_file(h.files.root.join("plan.md")).unwrap();
    h.press("esc d");
    assert!(matches!(
        h.app.question(),
        Some(Question::DiscardUnsaved { lines: 1, .. })
    ));
    h.press("n");
    assert!(matches!(h.app.question(), Some(Question::Gone { .. })));
    h.press("d y");
    assert!(h.app.editor().is_none());
    assert!(!h.files.root.join("plan.md").exists());
}

/// A note whose file is `/proc/sys/kernel/hostname`: readable and writable
/// in place, but no temporary file can be made beside it, so the atomic
/// write itself fails (as root too).
#[cfg(target_os = "linux")]
#[test]
fn a_write_that_fails_leaves_the_file_and_keeps_the_buffer_unsaved() {
    let mut h = Harness::new();
    let host = std::path::Path::new("/proc/sys/kernel/hostname");
    let before = std::fs::read_to_string(host).unwrap();
    std::os::unix::fs::symlink(host, h.files.root.join("host.md")).unwrap();
    h.restart();
    let d = h
        .app
        .notebook
        .document_index(std::path::Path::new("host.md"))
        .unwrap();
    assert!(!h.app.notebook.documents[d].read_only);
    // The Notebook view: the documents in path order, host.md first.
    h.press("3 g g e");
    assert_eq!(
        h.app.editor().unwrap().path,
        std::path::Path::new("host.md")
    );
    h.type_text(" edited");
    h.press("ctrl-s");
    let e = h.app.editor().expect("still open");
    assert!(e.dirty(), "nothing was saved");
    let m = h.app.message.as_ref().unwrap();
    assert!(m.error);
    assert!(m.text.starts_with("cannot write "), "{}", m.text);
    assert!(
        m.text
            .ends_with("; your text is kept in the editor and the journal"),
        "{}",
        m.text
    );
    assert_eq!(std::fs::read_to_string(host).unwrap(), before);
}

/// The rows of the tree pane as drawn, marks and all, one a line.
fn tree_rows(h: &mut Harness) -> String {
    let t = common::draw(&mut h.app, 80, 14);
    (2..12)
        .map(|y| {
            let l = common::line(&t, y);
            let row: String = l.chars().skip(1).take_while(|&c| c != '│').collect();
            row.trim_end().to_string()
        })
        .filter(|r| !r.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_notebook_view_keeps_its_place_and_what_was_open_after_an_edit() {
    let beta = "# Beta\n- Check disk\n- Restart the pod\n  - only after logs\n- Escalate\n";
    let mut h = Harness::with_notes(&[("b.md", beta), ("c.md", "# Other\n")]);
    h.press("3 l j l j j");
    let before = tree_rows(&mut h);
    h.press("e end");
    h.type_text(" x");
    h.press("esc");
    assert_eq!(
        h.read("b.md"),
        "# Beta\n- Check disk\n- Restart the pod x\n  - only after logs\n- Escalate\n"
    );
    let after = tree_rows(&mut h);
    assert_eq!(
        after,
        before.replace("Restart the pod", "Restart the pod x")
    );
    // The next key acts on the edited note, not the next file.
    h.press("E");
    let Some(Effect::ExternalEdit { path, line, .. }) = h.rest.last() else {
        panic!("no external edit: {:?}", h.rest);
    };
    assert_eq!(
        (path.file_name().unwrap().to_str(), *line),
        (Some("b.md"), 3)
    );
}

#[test]
fn an_edit_that_removes_the_selected_node_selects_its_nearest_neighbour() {
    let beta = "# Beta\n- Check disk\n- Restart the pod\n  - only after logs\n- Escalate\n";
    let mut h = Harness::with_notes(&[("b.md", beta), ("c.md", "# Other\n")]);
    h.press("3 l j l j j e ctrl-a backspace esc");
    assert_eq!(h.read("b.md"), "# Beta\n- Check disk\n\n- Escalate\n");
    let rows = tree_rows(&mut h);
    assert_eq!(
        rows,
        "▾ Beta  b.md\n  ▾ # Beta\n      Check disk\n      Escalate\n▸ Other  c.md"
    );
    h.press("E");
    let Some(Effect::ExternalEdit { path, line, .. }) = h.rest.last() else {
        panic!("no external edit: {:?}", h.rest);
    };
    assert_eq!(
        (path.file_name().unwrap().to_str(), *line),
        (Some("b.md"), 2)
    );
}

#[test]
fn with_the_journal_failing_too_a_failed_save_says_the_text_is_in_the_editor_only_and_the_journal_is_tried_again()
 {
    let mut h = Harness::new();
    h.press("3 l j e");
    h.type_text("x");
    let now = Instant::now() + Duration::from_millis(100);
    // The journal's disk is full: said once, and tried again at the next tick.
    h.app
        .journal_written(Some("No space left on device (os error 28)".into()));
    let effects = h.app.tick(now);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Journal(_))),
        "{effects:?}"
    );
    let save = h
        .app
        .save_now(opsbook::app::editor::AfterSave::Stay)
        .into_iter()
        .find_map(|e| match e {
            Effect::Save(req) => Some(req),
            _ => None,
        })
        .expect("a save");
    h.app.save_finished(
        &save,
        Err(opsbook::storage::SaveError::Io {
            path: save.path.clone(),
            source: std::io::Error::from_raw_os_error(28),
        }),
    );
    let said = h
        .app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        said.ends_with(
            "; your text is only in the editor (the journal failed too: No space left on device (os error 28)): free some space on that disk; opsbook keeps trying"
        ),
        "{said}"
    );
    // Once the journal is written again, the message is the usual one.
    h.app.journal_written(None);
    assert_eq!(
        h.app.where_text_is_kept(),
        "your text is kept in the editor and the journal"
    );
}

#[test]
fn another_programs_append_merges_with_the_users_saves_and_autosave_goes_on() {
    let cal = "# Cal\n\n- Nov 22, 2026 - Retro\n  - first\n\n## Other\n\n- tea\n";
    let mut h = Harness::with_notes(&[("cal.md", cal)]);
    // Edit the session, type a topic, save.
    h.press("3 l j l j e ctrl-end");
    h.press("enter");
    h.type_text("second");
    h.press("ctrl-s");
    let saved = h.read("cal.md");
    assert_eq!(
        saved,
        "# Cal\n\n- Nov 22, 2026 - Retro\n  - first\n  - second\n\n## Other\n\n- tea\n"
    );
    // Another program appends to the file, on lines nobody here touches.
    let appended = format!("{saved}- coffee\n");
    std::fs::write(h.files.root.join("cal.md"), &appended).unwrap();
    // As the watcher would, the runtime tells the editor.
    h.app.check_disk(Some(opsbook::notebook::edit::content_hash(
        appended.as_bytes(),
    )));
    h.press("enter");
    h.type_text("third");
    // No ctrl-s: the autosave after the pause saves, merged, no question.
    let later = Instant::now() + Duration::from_secs(5);
    h.tick(later);
    assert!(h.app.question().is_none(), "{:?}", h.app.question());
    assert_eq!(
        h.read("cal.md"),
        "# Cal\n\n- Nov 22, 2026 - Retro\n  - first\n  - second\n  - third\n\n## Other\n\n- tea\n- coffee\n"
    );
    assert!(!h.app.editor().unwrap().dirty());
}

#[test]
fn many_rounds_of_typing_and_appends_elsewhere_never_conflict() {
    let cal = "# Cal\n\n- Nov 22, 2026 - Retro\n  - first\n\n## Other\n\n- tea\n";
    let mut h = Harness::with_notes(&[("cal.md", cal)]);
    h.press("3 l j l j e ctrl-end");
    let mut now = Instant::now();
    for round in 0..6 {
        h.press("enter");
        h.type_text(&format!("mine {round}"));
        now += Duration::from_secs(5);
        h.tick(now);
        let disk = h.read("cal.md");
        let appended = format!("{disk}- theirs {round}\n");
        std::fs::write(h.files.root.join("cal.md"), &appended).unwrap();
        h.app.check_disk(Some(opsbook::notebook::edit::content_hash(
            appended.as_bytes(),
        )));
        if round % 2 == 0 {
            h.press("ctrl-s");
        }
        assert!(
            h.app.question().is_none(),
            "round {round}: {:?}",
            h.app.question()
        );
    }
    now += Duration::from_secs(5);
    h.tick(now);
    let text = h.read("cal.md");
    for round in 0..6 {
        assert_eq!(
            text.matches(&format!("mine {round}\n")).count(),
            1,
            "{text}"
        );
        assert_eq!(
            text.matches(&format!("theirs {round}\n")).count(),
            1,
            "{text}"
        );
    }
}

#[test]
fn the_merge_base_is_the_newest_file_opsbook_read_or_wrote() {
    let cal = "# Cal\n\n- Nov 22, 2026 - Retro\n  - first\n\n## Other\n\n- tea\n";
    let mut h = Harness::with_notes(&[("cal.md", cal)]);
    h.press("3 l j l j e ctrl-end enter");
    h.type_text("mine");
    h.press("ctrl-s");
    // Another program appends; the watcher reads the file again.
    let appended = format!("{}- coffee\n", h.read("cal.md"));
    std::fs::write(h.files.root.join("cal.md"), &appended).unwrap();
    let doc = parse_document("cal.md".into(), appended.clone(), false);
    h.app.document_reloaded(doc);
    let e = h.app.editor().unwrap();
    assert_eq!(e.base.as_str(), appended);
    assert!(!e.changed_on_disk);
    // The next save is a plain one over what was read: nothing to merge.
    h.press("enter");
    h.type_text("more");
    h.press("ctrl-s");
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("saved cal.md")
    );
    assert_eq!(
        h.read("cal.md"),
        "# Cal\n\n- Nov 22, 2026 - Retro\n  - first\n  - mine\n  - more\n\n## Other\n\n- tea\n- coffee\n"
    );
}

#[test]
fn a_file_read_again_keeps_the_editor_on_its_own_session_beside_a_twin_topic() {
    let cal = "# Cal\n\n- May 1, 2026 - A\n  - standup\n- May 2, 2026 - B\n  - standup\n";
    let mut h = Harness::with_notes(&[("cal.md", cal)]);
    // Edit May 2's session (its own text is unique), then jot above it.
    h.press("3 l j l j j e");
    let before = h.app.editor().unwrap().base.clone();
    let jotted = cal.replace("- May 1, 2026 - A\n", "- May 1, 2026 - A\n  - jotted\n");
    std::fs::write(h.files.root.join("cal.md"), &jotted).unwrap();
    h.app
        .document_reloaded(parse_document("cal.md".into(), jotted.clone(), false));
    // The session's text stands once: the read becomes the base.
    assert_ne!(h.app.editor().unwrap().base, before);
    h.press("ctrl-end");
    h.type_text(" x");
    h.press("ctrl-s");
    assert_eq!(
        h.read("cal.md"),
        "# Cal\n\n- May 1, 2026 - A\n  - jotted\n  - standup\n- May 2, 2026 - B\n  - standup x\n"
    );
}

#[test]
fn n_on_a_day_that_has_its_session_goes_on_with_it_at_its_end() {
    let mut h = Harness::new();
    h.press("2 n");
    h.type_text("Incident review");
    h.press("enter");
    h.type_text("timeline");
    h.press("ctrl-s esc");
    // Later the same day: no second session, the first one goes on.
    h.press("n");
    assert!(h.app.overlay.is_none(), "no title asked for");
    assert_eq!(
        editor_body(&h),
        "- Nov 23, 2026 - Incident review\n  - timeline"
    );
    h.press("enter");
    h.type_text("actions");
    h.press("ctrl-s");
    let original = Harness::original("lunch-and-learn.md");
    assert_eq!(
        h.read("lunch-and-learn.md"),
        format!("{original}\n- Nov 23, 2026 - Incident review\n  - timeline\n  - actions\n")
    );
}

#[test]
fn a_session_titled_on_its_first_topic_shows_that_title_in_the_ui_and_the_cli() {
    let note = "# Lunch and learn\n\n- June 29, 2026\n  - CDcon\n  - pipelines\n";
    let mut h = Harness::with_notes(&[("lnl.md", note)]);
    h.press("2");
    let s = common::screen(&common::draw(&mut h.app, 100, 12));
    assert!(s.contains("Jun 29  CDcon"), "{s}");
    assert!(!s.contains("(no title)"), "{s}");
    let root = h.files.root.to_string_lossy().into_owned();
    let out = common::opsbook(&["--notebook", &root, "sessions"]);
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.starts_with("2026-06-29  CDcon"), "{out}");
}

#[test]
fn ctrl_t_stamps_the_time_of_day_at_the_cursor() {
    let mut h = Harness::new();
    h.app.clock = (14, 5);
    h.press("2 n");
    h.type_text("Incident review");
    h.press("enter ctrl-t");
    h.type_text("paged");
    h.press("enter");
    h.app.clock = (9, 30);
    h.press("ctrl-t");
    h.type_text("rolled back");
    h.press("ctrl-s");
    let original = Harness::original("lunch-and-learn.md");
    assert_eq!(
        h.read("lunch-and-learn.md"),
        format!(
            "{original}\n- Nov 23, 2026 - Incident review\n  - [14:05] paged\n  - [09:30] rolled back\n"
        )
    );
}

#[test]
fn t_selects_todays_session_or_the_next_and_marks_upcoming_ones() {
    let note = "# Lunch and learn\n\n- Nov 2, 2026 - Retro\n- Nov 30, 2026 - Karpenter\n- Dec 14, 2026 - Chaos day\n";
    let mut h = Harness::with_notes(&[("lnl.md", note)]);
    // Today is 2026-11-23 in the harness: the next is Nov 30.
    h.press("2 t");
    let s = common::screen(&common::draw(&mut h.app, 220, 12));
    let row = s
        .lines()
        .find(|l| l.contains("Nov 30  "))
        .expect("the session row");
    assert!(row.contains("Nov 30  Karpenter  upcoming"), "{s}");
    assert!(!s.contains("Retro  upcoming"), "{s}");
    assert_eq!(
        h.app.pane().selected_target(),
        Some(opsbook::app::tree::Target::Session(0, 1))
    );
    assert!(s.contains("· next Nov 30 Karpenter"), "{s}");
    // On its day, today's session is the one.
    h.app.set_today(opsbook::notebook::edit::Date {
        year: 2026,
        month: 12,
        day: 14,
    });
    h.press("t");
    assert_eq!(
        h.app.pane().selected_target(),
        Some(opsbook::app::tree::Target::Session(0, 2))
    );
    let s = common::screen(&common::draw(&mut h.app, 220, 12));
    assert!(s.contains("· next today Chaos day"), "{s}");
}

#[test]
fn a_session_template_fills_a_new_session_with_its_date_and_title() {
    let mut h = Harness::new();
    h.app.session_template = Some("Attendees:\nNotes on {title}\n  - {date}\n- Actions".into());
    h.press("2 n");
    h.type_text("Retro");
    h.press("enter");
    assert_eq!(
        editor_body(&h),
        "- Nov 23, 2026 - Retro\n  - Attendees:\n  - Notes on Retro\n    - Nov 23, 2026\n  - Actions"
    );
    // The cursor is after the first topic.
    h.type_text(" ana, bo");
    h.press("ctrl-s");
    let original = Harness::original("lunch-and-learn.md");
    assert_eq!(
        h.read("lunch-and-learn.md"),
        format!(
            "{original}\n- Nov 23, 2026 - Retro\n  - Attendees: ana, bo\n  - Notes on Retro\n    - Nov 23, 2026\n  - Actions\n"
        )
    );
}

#[test]
fn the_status_bar_shows_how_long_todays_session_has_been_open() {
    // Drawn without a resize, which would bring the clock back to now.
    fn status_at(h: &mut Harness, at: Instant) -> String {
        h.tick(at);
        let mut t =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 10)).expect("terminal");
        t.draw(|f| opsbook::ui::draw(f, &h.app.app, &h.app.keys))
            .expect("draw");
        common::screen(&t).lines().last().unwrap_or("").to_string()
    }
    let mut h = Harness::new();
    common::draw(&mut h.app, 120, 10);
    h.press("2 n");
    let opened = Instant::now();
    h.type_text("Retro");
    h.press("enter");
    let s = status_at(&mut h, opened + Duration::from_secs(23 * 60 + 5));
    assert!(s.contains("● in session 00:23"), "{s}");
    let s = status_at(&mut h, opened + Duration::from_secs(2 * 3600 + 61));
    assert!(s.contains("● in session 02:01"), "{s}");
    // Closed, or another file edited: no session running.
    h.press("esc 3 j e");
    let s = status_at(&mut h, opened + Duration::from_secs(3 * 3600));
    assert!(!s.contains("in session"), "{s}");
}

#[test]
fn undo_in_the_editor_goes_by_word_not_by_character() {
    let mut h = Harness::new();
    h.press("2 n");
    h.type_text("Retro");
    h.press("enter");
    h.type_text("deploy froze at noon");
    h.press("ctrl-z");
    assert_eq!(
        editor_body(&h),
        "- Nov 23, 2026 - Retro\n  - deploy froze at "
    );
    h.press("ctrl-z");
    assert_eq!(editor_body(&h), "- Nov 23, 2026 - Retro\n  - deploy froze ");
    h.press("ctrl-y");
    assert_eq!(
        editor_body(&h),
        "- Nov 23, 2026 - Retro\n  - deploy froze at "
    );
    // Typing on after an undo starts a step of its own; redo is gone.
    h.type_text("dusk");
    h.press("ctrl-y");
    assert_eq!(
        editor_body(&h),
        "- Nov 23, 2026 - Retro\n  - deploy froze at dusk"
    );
    // A new line is a step of its own.
    h.press("enter");
    h.type_text("rollback");
    h.press("ctrl-z ctrl-z");
    assert_eq!(
        editor_body(&h),
        "- Nov 23, 2026 - Retro\n  - deploy froze at dusk"
    );
    h.press("ctrl-s");
    let original = Harness::original("lunch-and-learn.md");
    assert_eq!(
        h.read("lunch-and-learn.md"),
        format!("{original}\n- Nov 23, 2026 - Retro\n  - deploy froze at dusk\n")
    );
}

#[test]
fn w_fetches_the_pages_of_links_not_kept_lately() {
    use opsbook::pages::{Page, PageKind};
    let mut h = Harness::new();
    h.press("W");
    let Some(Effect::FetchPages(all)) = h.rest.pop() else {
        panic!("no fetch asked: {:?}", h.rest)
    };
    assert_eq!(all.len(), 55, "every web address once");
    assert!(all.iter().all(|u| u.starts_with("http")), "{all:?}");
    // A second W while one runs says so; once done, pages kept lately wait.
    h.press("W");
    assert!(h.rest.is_empty());
    assert_eq!(
        h.app.message.as_ref().map(|m| m.text.as_str()),
        Some("a fetch is under way: 0/55 pages")
    );
    h.app.fetch_finished(None);
    let now = h.app.wall_secs();
    let kept: Vec<Page> = all[1..]
        .iter()
        .map(|u| Page {
            url: u.clone(),
            final_url: u.clone(),
            fetched_at: now,
            kind: PageKind::Html,
            title: String::new(),
            description: String::new(),
            text: "words".into(),
            truncated: false,
        })
        .collect();
    let words: Vec<_> = kept.iter().map(|p| p.clone().into_words()).collect();
    h.app.pages_read(
        kept,
        std::sync::Arc::new(opsbook::search::pages::PageIndex::build(&words)),
    );
    h.press("W");
    assert_eq!(h.rest.pop(), Some(Effect::FetchPages(vec![all[0].clone()])));
}

#[test]
fn adding_a_link_to_a_read_only_note_is_refused_before_any_question() {
    let mut h = Harness::with_notes(&[(
        "plan.md",
        "# Post-mortems\n## 2021\n- [A](https://a.example)\n",
    )]);
    std::fs::write(
        h.files.root.join("a-latin1.md"),
        b"# Post-mortems\n## 2023\n- [Caf\xe9](https://cafe.example)\n",
    )
    .unwrap();
    h.press("ctrl-r");
    // The Notebook view, on the read-only note: no question at all.
    h.press("3 home a");
    assert!(h.app.prompt().is_none());
    assert_eq!(
        h.app.message.as_ref().unwrap().text,
        "a-latin1.md is read-only (not UTF-8, or not writable): no link added"
    );
    // The Postmortems view, on its link: the link goes to a list that can
    // be written, and says so.
    h.press("1 home j a");
    assert!(h.app.prompt().is_some());
    assert_eq!(
        h.app.message.as_ref().unwrap().text,
        "a-latin1.md is read-only: the link goes to plan.md"
    );
    h.type_text("https://b.example");
    h.press("enter");
    h.type_text("B");
    // The year comes filled in from the selected link's: 2023.
    h.press("enter enter");
    assert_eq!(
        h.read("plan.md"),
        "# Post-mortems\n## 2023\n\n- [B](https://b.example)\n\n## 2021\n- [A](https://a.example)\n"
    );
    assert_eq!(
        std::fs::read(h.files.root.join("a-latin1.md")).unwrap(),
        b"# Post-mortems\n## 2023\n- [Caf\xe9](https://cafe.example)\n"
    );
}

#[test]
fn a_year_a_change_brings_opens_in_the_postmortems_view() {
    let mut h = Harness::with_notes(&[(
        "plan.md",
        "# Post-mortems\n## 2021\n- [A](https://a.example)\n",
    )]);
    std::fs::write(
        h.files.root.join("plan.md"),
        "# Post-mortems\n## 2026\n- [B](https://b.example)\n## 2021\n- [A](https://a.example)\n",
    )
    .unwrap();
    h.press("ctrl-r");
    let rows: Vec<String> = h
        .app
        .pane()
        .rows
        .iter()
        .map(|r| format!("{:?} {}", r.target, r.expanded))
        .collect();
    assert_eq!(
        rows,
        [
            "Bucket(Year(2026)) true",
            "Link(0) false",
            "Bucket(Year(2021)) true",
            "Link(1) false"
        ]
    );
}
