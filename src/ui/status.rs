//! The status bar: mode, notebook, counts, key hints or a message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clean, truncate, truncate_middle, width};
use super::theme;
use crate::app::overlay::Overlay;
use crate::app::{Action, App, Mode};
use crate::input::Keys;
use crate::keymap::{Keymap, keys_to_string};

/// Short hints for a mode, from the keymap: the first key of a few actions.
pub fn hints(keymap: &Keymap, mode: Mode) -> String {
    let actions: &[(Action, &str)] = match mode {
        Mode::Normal => &[
            (Action::SearchLinks, "search"),
            (Action::Open, "open"),
            (Action::CopyUrl, "copy"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        Mode::Search => &[
            (Action::SearchOpen, "open"),
            (Action::SearchJump, "go to"),
            (Action::SearchScope, "links/notes"),
            (Action::Close, "close"),
        ],
        Mode::Help | Mode::Diff => &[(Action::Close, "close")],
        Mode::Editor => &[
            (Action::Save, "save"),
            (Action::Close, "save & close"),
            (Action::Undo, "undo"),
            (Action::Help, "keys"),
        ],
        Mode::Prompt => &[(Action::Confirm, "ok"), (Action::Close, "cancel")],
        // A question brings its own hint (`confirm::status_hint`).
        Mode::Confirm => &[],
        Mode::Merge => &[(Action::Confirm, "save"), (Action::Close, "back")],
        Mode::Reader => &[
            (Action::FindInPage, "find"),
            (Action::NextMatch, "next"),
            (Action::Open, "open the link"),
            (Action::Close, "close"),
        ],
    };
    actions
        .iter()
        .filter_map(|&(a, word)| keymap.first_key(mode, a).map(|k| format!("{k} {word}")))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Draws the status bar.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, keys: &Keys) {
    let mode = app.mode();
    let nb = &app.notebook;
    let mut spans = vec![Span::styled(
        format!(" {} ", mode.name().to_uppercase()),
        theme::mode(),
    )];
    // A meeting under way: how long today's session has been open.
    if let Some(open) = app.in_session_for() {
        let minutes = open.as_secs() / 60;
        spans.push(Span::styled(
            format!(" ● in session {:02}:{:02} ", minutes / 60, minutes % 60),
            theme::matched(),
        ));
    }
    if !keys.pending().is_empty() {
        spans.push(Span::styled(
            format!(" {}… ", keys_to_string(keys.pending())),
            theme::matched(),
        ));
    }
    let mut git = app.git_facts().map_or(String::new(), |g| format!(" {g} ·"));
    // A check under way stays in sight while messages come and go.
    if let Some((done, total)) = app.health.running {
        git = format!(" checking {done}/{total} ·{git}");
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let (docs, links) = (nb.documents.len(), nb.link_count());
    let sessions: usize = app.index.session_years.iter().map(|(_, s)| s.len()).sum();
    // With no editor open: the next session.
    let next = app
        .editor()
        .is_none()
        .then(|| app.index.next_session(nb))
        .flatten()
        .map_or(String::new(), |(d, i)| {
            let doc = &nb.documents[d as usize];
            let s = &doc.sessions[i as usize];
            let when = if app.index.is_upcoming(s) {
                format!(
                    "{} {}",
                    crate::notebook::sessions::month_abbrev(s.month),
                    s.day
                )
            } else {
                "today".to_string()
            };
            let title = crate::notebook::session_shown_title(doc, s);
            format!("· next {when} {} ", crate::notebook::item::one_line(&title))
        });
    let facts = format!(
        "{git} {} · {docs} doc{} · {links} link{} · {sessions} session{} {next}",
        nb.root.display(),
        s(docs),
        s(links),
        s(sessions),
    );
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    let (right, style) = match &app.message {
        Some(m) => (
            format!(" {} ", clean(&m.text)),
            if m.error {
                theme::error()
            } else {
                theme::info()
            },
        ),
        None => {
            let hint = match &app.overlay {
                Some(Overlay::Question {
                    question,
                    diff: None,
                }) => super::confirm::status_hint(&keys.keymap, question),
                _ => hints(&keys.keymap, mode),
            };
            (format!(" {hint} "), theme::status())
        }
    };
    // The message or hints come first; the notebook facts get what is left.
    // A message too long keeps its end, where a path says where things went.
    let right = if app.message.is_some() {
        truncate_middle(&right, room).into_owned()
    } else {
        truncate(&right, room).into_owned()
    };
    let left_room = room.saturating_sub(width(&right));
    spans.push(Span::styled(
        truncate(&clean(&facts), left_room).into_owned(),
        theme::status(),
    ));
    let pad = room.saturating_sub(width(&right) + width(&truncate(&clean(&facts), left_room)));
    spans.push(Span::styled(" ".repeat(pad), theme::status()));
    spans.push(Span::styled(right, style));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status()),
        area,
    );
}
