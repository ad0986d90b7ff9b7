//! The runtime: terminal set-up, the event loop, and the effects the app
//! asks for (opening links, the clipboard, searching, reloading).

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use base64::Engine;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::app::state::Effect;
use crate::app::{App, Scope};
use crate::keymap::KeyPress;
use crate::notebook::Notebook;
use crate::search::SearchWorker;
use crate::ui::{self, Areas};

/// Opens URLs; the real one starts the system browser, tests use a double.
pub trait Opener: Send + Sync {
    /// Starts opening `url` without waiting for the browser; says why it cannot.
    fn open(&self, url: &str) -> Result<(), String>;
}

/// The system browser, through the `open` crate.
pub struct SystemOpener;

impl Opener for SystemOpener {
    fn open(&self, url: &str) -> Result<(), String> {
        if no_display() {
            return Err("no browser can be started here (no display)".into());
        }
        open::that_detached(url).map_err(|e| format!("cannot start a browser: {e}"))
    }
}

/// Over SSH or on a console, xdg-open would start a text browser inside our
/// terminal: better to say so and copy the URL.
fn no_display() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return false;
    }
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    !set("DISPLAY") && !set("WAYLAND_DISPLAY") && !set("BROWSER")
}

/// Writes an OSC 52 sequence: the terminal puts the text on the clipboard,
/// over SSH too.
fn copy_osc52(text: &str) -> io::Result<()> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

enum Message {
    Terminal(Event),
    SearchReady,
    OpenFailed(String, String),
}

struct Workers {
    links: SearchWorker,
    notes: SearchWorker,
}

impl Workers {
    fn start(app: &App, tx: &Sender<Message>) -> Workers {
        let wake = |tx: Sender<Message>| {
            move || {
                let _ = tx.send(Message::SearchReady);
            }
        };
        Workers {
            links: SearchWorker::start(Arc::clone(&app.links), wake(tx.clone())),
            notes: SearchWorker::start(Arc::clone(&app.notes), wake(tx.clone())),
        }
    }
}

/// Runs the terminal UI until the user quits. `reload` reads the notebook again.
pub fn run(
    mut app: App,
    opener: Arc<dyn Opener>,
    reload: &dyn Fn() -> Result<(Notebook, usize), String>,
) -> io::Result<()> {
    // Installed before ratatui's hook, so ratatui restores the screen first.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let mut terminal = ratatui::try_init()?;
    let result = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .and_then(|()| event_loop(&mut terminal, &mut app, opener, reload));
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    opener: Arc<dyn Opener>,
    reload: &dyn Fn() -> Result<(Notebook, usize), String>,
) -> io::Result<()> {
    let (tx, rx) = mpsc::channel();
    let input = tx.clone();
    std::thread::Builder::new()
        .name("opsbook-input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                if input.send(Message::Terminal(ev)).is_err() {
                    return;
                }
            }
        })?;
    let mut workers = Workers::start(app, &tx);
    let size = terminal.size()?;
    resize(
        app,
        ratatui::layout::Rect::new(0, 0, size.width, size.height),
    );

    loop {
        terminal.draw(|f| ui::draw(f, app))?;
        let first = match rx.recv_timeout(Duration::from_millis(250)) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Handle everything that has arrived before drawing again.
        let pending = first.into_iter().chain(drain(&rx));
        for message in pending {
            let effects = match message {
                Message::Terminal(ev) => handle_terminal(app, ev),
                Message::SearchReady => {
                    take_results(app, &workers);
                    Vec::new()
                }
                Message::OpenFailed(url, why) => app.open_failed(url, &why),
            };
            for effect in effects {
                carry_out(app, effect, &opener, &tx, &mut workers, reload);
            }
        }
        app.expire_message(Instant::now());
        if app.quit {
            return Ok(());
        }
    }
}

fn drain(rx: &Receiver<Message>) -> Vec<Message> {
    rx.try_iter().collect()
}

fn resize(app: &mut App, area: ratatui::layout::Rect) {
    if let Some(areas) = Areas::of(area) {
        app.nav_height = areas.nav_rows();
        app.results_height = areas.result_rows();
        app.keep_in_view();
    }
}

fn take_results(app: &mut App, workers: &Workers) {
    let Some(scope) = app.search.as_ref().map(|s| s.scope) else {
        // Drain answers nobody waits for any more.
        let _ = workers.links.latest();
        let _ = workers.notes.latest();
        return;
    };
    let (answer, other) = match scope {
        Scope::Links => (workers.links.latest(), workers.notes.latest()),
        Scope::Notes => (workers.notes.latest(), workers.links.latest()),
    };
    drop(other);
    if let Some(results) = answer {
        app.search_answered(scope, results);
    }
}

fn handle_terminal(app: &mut App, ev: Event) -> Vec<Effect> {
    match ev {
        Event::Key(_) => match ev.as_key_press_event().and_then(KeyPress::from_event) {
            Some(key) => app.handle_key(key),
            None => Vec::new(),
        },
        Event::Paste(text) => app.paste(&text),
        Event::Resize(w, h) => {
            resize(app, ratatui::layout::Rect::new(0, 0, w, h));
            Vec::new()
        }
        Event::Mouse(m) => {
            mouse(app, m.kind, m.column, m.row);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    // The layout is a pure function of the size, so it can be recomputed here.
    let Ok((w, h)) = ratatui::crossterm::terminal::size() else {
        return;
    };
    let Some(areas) = Areas::of(ratatui::layout::Rect::new(0, 0, w, h)) else {
        return;
    };
    let inside = |r: ratatui::layout::Rect| r.contains(ratatui::layout::Position::new(column, row));
    match kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if inside(areas.tabs) {
                for (view, x, width) in ui::tabs::tab_spans(areas.tabs) {
                    if column >= x && column < x + width {
                        app.switch_view(view);
                    }
                }
            } else if app.search.is_some() {
                let results = ui::search::results_area(areas.search);
                if inside(results) {
                    app.click_result((row - results.y) as usize);
                }
            } else if inside(areas.nav) && row > areas.nav.y {
                app.click_row((row - areas.nav.y - 1) as usize);
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let delta = if kind == MouseEventKind::ScrollDown {
                3
            } else {
                -3
            };
            if app.search.is_some() {
                app.scroll_results(delta);
            } else if inside(areas.detail) {
                app.scroll_detail(delta);
            } else {
                app.scroll(delta);
            }
        }
        _ => {}
    }
}

fn carry_out(
    app: &mut App,
    effect: Effect,
    opener: &Arc<dyn Opener>,
    tx: &Sender<Message>,
    workers: &mut Workers,
    reload: &dyn Fn() -> Result<(Notebook, usize), String>,
) {
    match effect {
        Effect::Open(url) => {
            let opener = Arc::clone(opener);
            let tx = tx.clone();
            // Never wait for the browser: it may take seconds, or never return.
            let spawned = std::thread::Builder::new()
                .name("opsbook-open".into())
                .spawn(move || {
                    if let Err(why) = opener.open(&url) {
                        let _ = tx.send(Message::OpenFailed(url, why));
                    }
                });
            if let Err(e) = spawned {
                app.warn(format!("cannot open the link: {e}"));
            }
        }
        Effect::Copy(text) => {
            if let Err(e) = copy_osc52(&text) {
                app.warn(format!("cannot copy: {e}"));
            }
        }
        Effect::Search(Scope::Links, q) => {
            workers.links.search(&q);
        }
        Effect::Search(Scope::Notes, q) => {
            workers.notes.search(&q);
        }
        Effect::Reload => match reload() {
            Ok((notebook, problems)) => {
                app.replace_notebook(notebook);
                *workers = Workers::start(app, tx);
                if problems > 0 {
                    app.warn(format!(
                        "reloaded; {problems} file(s) had problems (see `opsbook tree`)"
                    ));
                } else {
                    app.say("reloaded");
                }
            }
            Err(e) => app.warn(format!("cannot reload: {e}")),
        },
    }
}
