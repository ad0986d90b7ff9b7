//! The Actions view through real key presses: what postmortems and meetings
//! leave to do, marked done with `space` writing only the checkbox bytes.

mod common;

use common::{Harness, draw, screen};

const PM: &str = "# PM2026-002 - Cache stampede\n\n## Summary\n\nThe cache restarted on 2026-11-02.\n\n## Timeline\n\n- 2026-11-02 09:00 restart\n\n## Action items\n\n- [ ] Coalesce requests @maria due:2026-11-20\n- Warm caches before traffic (ops)\n  - detail, not an action\n- [x] Alert on hit rate\n";

const MEETING: &str = "# Standup\n\n- Nov 30, 2026 - Weekly\n  - Action: rotate the API keys @sam\n  - [ ] book the room by Dec 20\n";

fn harness() -> Harness {
    Harness::with_notes(&[
        ("PM2026-002 - Cache stampede.md", PM),
        ("standup.md", MEETING),
    ])
}

#[test]
fn the_actions_view_lists_open_actions_by_source_with_owner_and_due() {
    let mut h = harness();
    h.press("5");
    let s = screen(&draw(&mut h.app, 200, 16));
    let rows: Vec<&str> = s
        .lines()
        .skip(2)
        .take(8)
        .map(|l| l.split('│').nth(1).unwrap_or("").trim_end())
        .collect();
    assert_eq!(
        rows,
        vec![
            "▾ PM2026-002 - Cache stampede  2 open · PM2026-002 - Cache stampede.md",
            "    [ ] Coalesce requests @maria due:2026-11-20  @maria · due 2026-11-20 overdue",
            "    [ ] Warm caches before traffic (ops)  @ops",
            "    [x] Alert on hit rate",
            "▾ Standup  2 open · standup.md",
            "    [ ] rotate the API keys @sam  @sam",
            "    [ ] book the room by Dec 20  due 2026-12-20",
            "",
        ]
    );
}

#[test]
fn space_marks_an_action_done_writing_only_its_checkbox_and_a_plain_bullet_gets_one() {
    let mut h = harness();
    h.press("5 j space");
    assert_eq!(
        h.read("PM2026-002 - Cache stampede.md"),
        PM.replace("- [ ] Coalesce", "- [x] Coalesce")
    );
    // The plain bullet of a postmortem's Action items gets a checkbox.
    h.press("j space");
    assert_eq!(
        h.read("PM2026-002 - Cache stampede.md"),
        PM.replace("- [ ] Coalesce", "- [x] Coalesce")
            .replace("- Warm caches", "- [x] Warm caches")
    );
    // And back: open again, only the mark changing.
    h.press("space");
    assert_eq!(
        h.read("PM2026-002 - Cache stampede.md"),
        PM.replace("- [ ] Coalesce", "- [x] Coalesce")
            .replace("- Warm caches", "- [ ] Warm caches")
    );
    h.press("k space");
    assert_eq!(
        h.read("PM2026-002 - Cache stampede.md"),
        PM.replace("- Warm caches", "- [ ] Warm caches")
    );
    assert_eq!(h.read("standup.md"), MEETING);
}

#[test]
fn enter_goes_to_the_action_in_its_note() {
    let mut h = harness();
    h.press("5 j j j j j enter");
    assert_eq!(h.app.view, opsbook::app::View::Notebook);
    let s = screen(&draw(&mut h.app, 120, 20));
    assert!(s.contains("rotate the API keys"), "{s}");
    let selected = h.app.pane().selected_target();
    let doc = h
        .app
        .notebook
        .document_index(std::path::Path::new("standup.md"));
    assert!(
        matches!(selected, Some(opsbook::app::tree::Target::Node(d, _)) if Some(d as usize) == doc),
        "{selected:?}"
    );
}

#[test]
fn p_writes_the_next_postmortem_from_the_template_and_edits_its_summary() {
    let template = "---\ntemplate: true\n---\n# PMyyyy-nnn - Title\n\nDate: YYYY-MM-DD\n\n## Summary\n\n## Action items\n";
    let mut h = Harness::with_notes(&[
        ("PM2026-002 - Cache stampede.md", PM),
        ("PMyyyy-nnn - template.md", template),
    ]);
    h.press("P");
    h.type_text("DNS outage");
    h.press("enter");
    let name = "PM2026-003 - DNS outage.md";
    let written = "# DNS outage\n\nDate: 2026-11-23\n\n## Summary\n\n\n\n## Action items\n";
    assert_eq!(h.read(name), written);
    // The editor is on the line under Summary: typing goes there.
    h.type_text("Resolvers stopped answering.");
    h.press("ctrl-s");
    assert_eq!(
        h.read(name),
        "# DNS outage\n\nDate: 2026-11-23\n\n## Summary\n\nResolvers stopped answering.\n\n## Action items\n\n"
    );
    // A second one with the same title continues the numbering; none is overwritten.
    h.press("esc P");
    h.type_text("DNS outage");
    h.press("enter");
    assert_eq!(h.read("PM2026-004 - DNS outage.md"), written);
    assert_eq!(h.read("PM2026-002 - Cache stampede.md"), PM);
}

#[test]
fn u_takes_back_opsbooks_last_writes_one_by_one_unless_the_file_changed() {
    let mut h = harness();
    // An action marked, then a link added: undone newest first.
    h.press("5 j space");
    h.press("1 a");
    h.type_text("https://status.example.com/42");
    h.press("enter");
    h.type_text("Queue backlog");
    h.press("enter enter");
    let pm = h.read("PM2026-002 - Cache stampede.md");
    assert!(pm.contains("- [x] Coalesce"), "{pm}");
    let where_added = ["PM2026-002 - Cache stampede.md", "standup.md"]
        .into_iter()
        .find(|n| h.read(n).contains("status.example.com/42"))
        .expect("the link is written");
    h.press("u");
    assert!(
        !h.read(where_added).contains("status.example.com/42"),
        "the link is taken back"
    );
    assert!(
        h.read("PM2026-002 - Cache stampede.md")
            .contains("- [x] Coalesce")
    );
    h.press("u");
    assert_eq!(h.read("PM2026-002 - Cache stampede.md"), PM);
    assert_eq!(h.read("standup.md"), MEETING);
    // Nothing left: said so, nothing written.
    h.press("u");
    assert_eq!(h.read("PM2026-002 - Cache stampede.md"), PM);

    // A file changed since the write: said so, nothing undone.
    h.press("5 j space");
    let changed = h.read("PM2026-002 - Cache stampede.md") + "- [ ] added by hand\n";
    std::fs::write(
        h.files.root.join("PM2026-002 - Cache stampede.md"),
        &changed,
    )
    .unwrap();
    h.press("u");
    assert_eq!(h.read("PM2026-002 - Cache stampede.md"), changed);
    let said = h
        .app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("nothing undone"), "{said}");
}

#[test]
fn u_removes_a_note_made_with_n_or_p_and_an_untouched_new_session() {
    let calendar = "# Standup\n\n- Nov 2, 2026 - Retro\n";
    let mut h = Harness::with_notes(&[
        ("standup.md", calendar),
        ("PM2026-002 - Cache stampede.md", PM),
    ]);
    // `N`, closed as made: removed again.
    h.press("N");
    h.type_text("scratch");
    h.press("enter esc");
    assert!(h.files.root.join("scratch.md").exists());
    h.press("u");
    assert!(!h.files.root.join("scratch.md").exists());
    // `P`, then typed into: the last write is the user's text, which `u`
    // never takes back, nor what came before it.
    h.press("P");
    h.type_text("DNS");
    h.press("enter");
    h.type_text("resolvers down");
    h.press("esc");
    let made = h.files.root.join("PM2026-003 - DNS.md");
    assert!(made.exists());
    h.press("u");
    assert!(made.exists());
    let said = h
        .app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("nothing to undo"), "{said}");
    // `P` closed as made: removed again.
    h.press("P");
    h.type_text("Disk");
    h.press("enter esc");
    let made = h.files.root.join("PM2026-004 - Disk.md");
    assert!(made.exists());
    h.press("u");
    assert!(!made.exists());
    // `n` with nothing typed under it: taken out, the calendar as it was.
    h.press("2 n");
    h.type_text("Retro two");
    h.press("enter esc");
    assert_eq!(
        h.read("standup.md"),
        format!("{calendar}- Nov 23, 2026 - Retro two\n")
    );
    h.press("u");
    assert_eq!(h.read("standup.md"), calendar);
    // With a topic typed, `u` leaves the session alone.
    h.press("n");
    h.type_text("Retro three");
    h.press("enter");
    h.type_text("notes");
    h.press("esc u");
    assert_eq!(
        h.read("standup.md"),
        format!("{calendar}- Nov 23, 2026 - Retro three\n  - notes\n")
    );
    let said = h
        .app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("nothing to undo"), "{said}");
}
