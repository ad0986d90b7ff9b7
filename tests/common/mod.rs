//! Helpers shared by the UI tests: the app on the bundled notebook, driven
//! by real key events, with searches run synchronously.

#![allow(dead_code)]

use std::path::Path;

use opsbook::app::state::Effect;
use opsbook::app::{App, Scope};
use opsbook::keymap::{KeyPress, Keymap};
use opsbook::notebook::store::load;
use opsbook::search::worker::search_all;
use opsbook::search::{Query, Results};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The app over `data/`, with the notebook root shown as `data`.
pub fn app() -> App {
    app_with(Keymap::defaults())
}

/// The app over `data/` with a keymap.
pub fn app_with(keymap: Keymap) -> App {
    let loaded = load(Path::new("data")).expect("data/ loads");
    App::new(loaded.notebook, keymap)
}

/// Carries out searches at once; returns the other effects.
pub fn settle(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let mut rest = Vec::new();
    for e in effects {
        match e {
            Effect::Search(scope, q) => {
                let query = Query::new(&q);
                let (hits, total) = match scope {
                    Scope::Links => (
                        search_all(app.links.as_ref(), &query),
                        app.notebook.link_count(),
                    ),
                    Scope::Notes => (
                        search_all(app.notes.as_ref(), &query),
                        app.notes.entries.len(),
                    ),
                };
                app.search_answered(
                    scope,
                    Results {
                        query: q,
                        hits,
                        total,
                        generation: 0,
                        done: true,
                    },
                );
            }
            other => rest.push(other),
        }
    }
    rest
}

/// Presses keys written as in keymaps.toml, separated by spaces (`j j enter`).
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for k in keys.split_whitespace() {
        let key = KeyPress::parse(k).expect(k);
        let effects = app.handle_key(key);
        out.extend(settle(app, effects));
    }
    out
}

/// Types text character by character.
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        let key = if c == ' ' {
            KeyPress::parse("space").expect("space")
        } else {
            KeyPress::char(c)
        };
        let effects = app.handle_key(key);
        out.extend(settle(app, effects));
    }
    out
}

/// Draws the app on a test terminal.
pub fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    if let Some(areas) = opsbook::ui::Areas::of(ratatui::layout::Rect::new(0, 0, width, height)) {
        app.nav_height = areas.nav_rows();
        app.results_height = areas.result_rows();
        app.keep_in_view();
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| opsbook::ui::draw(f, app)).expect("draw");
    terminal
}

/// The text of one screen line.
pub fn line(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buf = terminal.backend().buffer();
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

/// The whole screen as text.
pub fn screen(terminal: &Terminal<TestBackend>) -> String {
    let h = terminal.backend().buffer().area.height;
    (0..h)
        .map(|y| line(terminal, y))
        .collect::<Vec<_>>()
        .join("\n")
}
