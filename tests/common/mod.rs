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

/// The app over a temporary copy of `data/`, with file effects carried out
/// for real in that copy and a journal in a temporary data folder.
pub struct Harness {
    /// The app.
    pub app: App,
    /// Where effects write.
    pub files: opsbook::effects::Files,
    /// Keeps the folders alive.
    pub tmp: tempfile::TempDir,
    /// Effects the runtime would carry out (open, copy, external edit …).
    pub rest: Vec<Effect>,
}

impl Harness {
    /// A copy of `data/` in a temporary folder.
    pub fn new() -> Harness {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("notes");
        std::fs::create_dir_all(&root).unwrap();
        for e in std::fs::read_dir("data").unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), root.join(e.file_name())).unwrap();
        }
        let root = root.canonicalize().unwrap();
        let journal = opsbook::notebook::journal::Journal::new(tmp.path().join("journal"));
        let loaded = load(&root).expect("loads");
        let mut app = App::new(loaded.notebook, Keymap::defaults());
        app.today = opsbook::notebook::edit::Date {
            year: 2026,
            month: 11,
            day: 23,
        };
        Harness {
            app,
            files: opsbook::effects::Files { root, journal },
            tmp,
            rest: Vec::new(),
        }
    }

    /// Carries out effects until none are left.
    pub fn run(&mut self, effects: Vec<Effect>) {
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        while let Some(e) = queue.pop_front() {
            match opsbook::effects::perform(&mut self.app, &self.files, e) {
                Ok(more) => queue.extend(more),
                Err(Effect::Reload) => {
                    let loaded = load(&self.files.root).expect("reloads");
                    self.app.swap_notebook(loaded.notebook);
                }
                Err(e) => {
                    let left = settle(&mut self.app, vec![e]);
                    self.rest.extend(left);
                }
            }
        }
    }

    /// Presses keys and carries out what follows.
    pub fn press(&mut self, keys: &str) {
        for k in keys.split_whitespace() {
            let key = KeyPress::parse(k).expect(k);
            let effects = self.app.handle_key(key);
            self.run(effects);
        }
    }

    /// Types text and carries out what follows.
    pub fn type_text(&mut self, text: &str) {
        let effects = type_text(&mut self.app, text);
        self.run(effects);
    }

    /// A tick at `now`, with what follows.
    pub fn tick(&mut self, now: std::time::Instant) {
        let effects = self.app.tick(now);
        self.run(effects);
    }

    /// A file of the notebook copy.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.files.root.join(name)).expect("file")
    }

    /// The same file in `data/`.
    pub fn original(name: &str) -> String {
        std::fs::read_to_string(Path::new("data").join(name)).expect("file")
    }
}
