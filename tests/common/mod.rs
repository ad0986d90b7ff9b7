//! Helpers shared by the UI tests: the app on the bundled notebook, driven
//! by real key events through the keymap, with searches run synchronously.

#![allow(dead_code)]

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use opsbook::app::{App, Effect, Input, Scope};
use opsbook::input::Keys;
use opsbook::keymap::{KeyPress, Keymap};
use opsbook::runtime::{Console, Files, OpenError, Opener, Runtime};
use opsbook::search::Corpus;
use opsbook::search::worker::search_ranked;

use opsbook::search::Results;
use opsbook::storage::journal::Journal;
use opsbook::storage::load;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The app with the keys that drive it, as the event loop holds them.
pub struct Ui {
    /// The state.
    pub app: App,
    /// The keymap and the keys of a sequence typed so far.
    pub keys: Keys,
}

impl Ui {
    /// An app driven by the default keymap.
    pub fn new(app: App) -> Ui {
        Ui::with(app, Keymap::defaults())
    }

    /// An app driven by `keymap`.
    pub fn with(app: App, keymap: Keymap) -> Ui {
        Ui {
            app,
            keys: Keys::new(keymap),
        }
    }

    /// Presses one key: through the keymap into the app.
    pub fn key(&mut self, key: KeyPress) -> Vec<Effect> {
        match self.keys.press(key, self.app.mode()) {
            Some(input) => self.app.update(input, Instant::now()),
            None => Vec::new(),
        }
    }

    /// Applies one input.
    pub fn input(&mut self, input: Input) -> Vec<Effect> {
        self.app.update(input, Instant::now())
    }
}

impl Deref for Ui {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl DerefMut for Ui {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// A process id no kernel hands out: the instance that "crashed".
pub const DEAD_PID: u32 = 2_147_483_000;

/// The app over `data/`, with the notebook root shown as `data`.
pub fn app() -> Ui {
    app_with(Keymap::defaults())
}

/// The app over `data/` with a keymap.
pub fn app_with(keymap: Keymap) -> Ui {
    let loaded = load(Path::new("data")).expect("data/ loads");
    Ui::with(App::new(loaded.notebook, Instant::now()), keymap)
}

/// Carries out searches at once; returns the other effects.
pub fn settle(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let mut rest = Vec::new();
    for e in effects {
        match e {
            Effect::Search(scope, q) => {
                // As the worker answers: the strict hits, then the ranking
                // by how much of the query each candidate holds.
                let (hits, total) = match scope {
                    Scope::Links => (
                        search_ranked(app.links.as_ref(), &q),
                        app.notebook.link_count(),
                    ),
                    Scope::Notes => (
                        search_ranked(app.notes.as_ref(), &q),
                        app.notes.searchable(),
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
pub fn press(ui: &mut Ui, keys: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for k in keys.split_whitespace() {
        let key = KeyPress::parse(k).expect(k);
        let effects = ui.key(key);
        out.extend(settle(&mut ui.app, effects));
    }
    out
}

/// Types text character by character.
pub fn type_text(ui: &mut Ui, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        let key = if c == ' ' {
            KeyPress::parse("space").expect("space")
        } else {
            KeyPress::char(c)
        };
        let effects = ui.key(key);
        out.extend(settle(&mut ui.app, effects));
    }
    out
}

/// Draws the app on a test terminal of this size (the app is told the size first).
pub fn draw(ui: &mut Ui, width: u16, height: u16) -> Terminal<TestBackend> {
    ui.input(Input::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| opsbook::ui::draw(f, &ui.app, &ui.keys))
        .expect("draw");
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

/// The runtime's console in tests: the clipboard and programs are recorded.
#[derive(Default)]
pub struct TestConsole {
    /// Text put on the clipboard.
    pub copied: Vec<String>,
}

impl Console for TestConsole {
    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        self.copied.push(text.to_string());
        Ok(())
    }

    fn run(
        &mut self,
        command: &mut std::process::Command,
    ) -> std::io::Result<std::process::ExitStatus> {
        command.status()
    }
}

/// An opener that opens nothing.
pub struct NoBrowser;

impl Opener for NoBrowser {
    fn open(&self, _url: &str) -> Result<(), OpenError> {
        Err(OpenError::NoDisplay)
    }
}

/// The app over a temporary copy of `data/`, with file effects carried out
/// for real in that copy by the runtime, and a journal in a temporary data folder.
pub struct Harness {
    /// The app and its keys.
    pub app: Ui,
    /// Where effects write.
    pub files: TestFiles,
    /// Carries out the effects.
    pub runtime: Runtime,
    /// Keeps the folders alive.
    pub tmp: tempfile::TempDir,
    /// Effects a terminal would carry out (open, copy, external edit …).
    pub rest: Vec<Effect>,
}

/// The notebook copy and its journal.
pub struct TestFiles {
    /// The notebook folder (canonical).
    pub root: PathBuf,
    /// The crash journal.
    pub journal: Journal,
}

impl Harness {
    /// A copy of `data/` in a temporary folder.
    pub fn new() -> Harness {
        let notes: Vec<(String, String)> = std::fs::read_dir("data")
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let text = std::fs::read_to_string(e.path()).unwrap();
                (e.file_name().to_string_lossy().into_owned(), text)
            })
            .collect();
        let notes: Vec<(&str, &str)> = notes.iter().map(|(n, t)| (&n[..], &t[..])).collect();
        Harness::with_notes(&notes)
    }

    /// A notebook of these notes (name, text) in a temporary folder.
    pub fn with_notes(notes: &[(&str, &str)]) -> Harness {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("notes");
        std::fs::create_dir_all(&root).unwrap();
        for (name, text) in notes {
            std::fs::write(root.join(name), text).unwrap();
        }
        let root = root.canonicalize().unwrap();
        // The app writes its journal as an instance that will have died by
        // the time the test restarts it (a pid no kernel hands out); the test
        // reads leftovers as the next instance would.
        let journal = Journal::new(tmp.path().join("journal"), &root);
        let dying = Journal::for_instance(tmp.path().join("journal"), &root, DEAD_PID);
        let loaded = load(&root).expect("loads");
        let mut app = App::new(loaded.notebook, Instant::now());
        app.set_today(opsbook::notebook::edit::Date {
            year: 2026,
            month: 11,
            day: 23,
        });
        let files = Files {
            root: root.clone(),
            journal: dying,
            health_cache: None,
            pages: None,
        };
        let (runtime, _notices) = Runtime::new(files, Arc::new(NoBrowser));
        Harness {
            app: Ui::new(app),
            files: TestFiles { root, journal },
            runtime,
            tmp,
            rest: Vec::new(),
        }
    }

    /// A new app over the same files, as after a crash and a restart: a new
    /// instance with a journal of its own.
    pub fn restart(&mut self) {
        let loaded = load(&self.files.root).expect("loads");
        let mut app = App::new(loaded.notebook, Instant::now());
        app.set_today(self.app.today);
        self.app = Ui::new(app);
        let files = Files {
            root: self.files.root.clone(),
            journal: Journal::new(self.tmp.path().join("journal"), &self.files.root),
            health_cache: None,
            pages: None,
        };
        self.runtime = Runtime::new(files, Arc::new(NoBrowser)).0;
    }

    /// Carries out effects until none are left: searches at once, files
    /// through the runtime; what needs a terminal is kept in `rest`.
    pub fn run(&mut self, effects: Vec<Effect>) {
        let mut for_runtime = Vec::new();
        for e in settle(&mut self.app.app, effects) {
            match e {
                // A link check or a fetch would reach the internet: tests
                // feed results instead.
                Effect::Open(_)
                | Effect::Copy(_)
                | Effect::ExternalEdit { .. }
                | Effect::CheckLinks(_)
                | Effect::FetchPages(_)
                | Effect::FetchTitle(_) => self.rest.push(e),
                other => for_runtime.push(other),
            }
        }
        self.runtime
            .perform_all(&mut self.app.app, for_runtime, &mut TestConsole::default())
            .expect("no terminal error");
    }

    /// Presses keys and carries out what follows.
    pub fn press(&mut self, keys: &str) {
        for k in keys.split_whitespace() {
            let key = KeyPress::parse(k).expect(k);
            let effects = self.app.key(key);
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

/// The real binary run with `args` in a temporary home, so no test reads or
/// writes the real one.
pub fn opsbook(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap()
}
