//! The runtime: terminal set-up, the event loop, and the effects the app
//! asks for (opening links, the clipboard, searching, reloading).

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
use crate::effects::{self, Files};
use crate::keymap::KeyPress;
use crate::notebook::Notebook;
use crate::notebook::edit::{Date, content_hash};
use crate::notebook::store;
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
    /// Notes in the notebook folder changed (another program, or a save).
    FilesChanged(Vec<std::path::PathBuf>),
}

/// Today in the local time zone.
pub fn today() -> Date {
    let now = jiff::Zoned::now();
    Date {
        year: i32::from(now.year()),
        month: now.month() as u8,
        day: now.day() as u8,
    }
}

/// Watches the notebook folder for changed notes.
fn watch(root: &std::path::Path, tx: Sender<Message>) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        if matches!(ev.kind, notify::EventKind::Access(_)) {
            return;
        }
        let notes: Vec<_> = ev
            .paths
            .into_iter()
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                store::is_note(p) && !name.starts_with(".opsbook-")
            })
            .collect();
        if !notes.is_empty() {
            let _ = tx.send(Message::FilesChanged(notes));
        }
    })
    .ok()?;
    watcher.watch(root, notify::RecursiveMode::Recursive).ok()?;
    Some(watcher)
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
    files: Files,
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
        .and_then(|()| event_loop(&mut terminal, &mut app, opener, &files, reload));
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// What the event loop shares with the effects it carries out.
struct Runtime<'a> {
    opener: Arc<dyn Opener>,
    files: &'a Files,
    tx: Sender<Message>,
    workers: Workers,
    reload: &'a dyn Fn() -> Result<(Notebook, usize), String>,
    /// Set while another program has the terminal.
    input_paused: Arc<AtomicBool>,
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    opener: Arc<dyn Opener>,
    files: &Files,
    reload: &dyn Fn() -> Result<(Notebook, usize), String>,
) -> io::Result<()> {
    let (tx, rx) = mpsc::channel();
    let input = tx.clone();
    let input_paused = Arc::new(AtomicBool::new(false));
    let paused = Arc::clone(&input_paused);
    std::thread::Builder::new()
        .name("opsbook-input".into())
        .spawn(move || {
            loop {
                // Polling, not blocking: while $EDITOR runs, its keys are not ours.
                if paused.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                match event::poll(Duration::from_millis(50)) {
                    Ok(true) => match event::read() {
                        Ok(ev) => {
                            if input.send(Message::Terminal(ev)).is_err() {
                                return;
                            }
                        }
                        Err(_) => return,
                    },
                    Ok(false) => {}
                    Err(_) => return,
                }
            }
        })?;
    let _watcher = watch(&files.root, tx.clone());
    let mut rt = Runtime {
        workers: Workers::start(app, &tx),
        opener,
        files,
        tx,
        reload,
        input_paused,
    };
    let size = terminal.size()?;
    resize(
        app,
        ratatui::layout::Rect::new(0, 0, size.width, size.height),
    );
    app.today = today();
    // Changed notes wait here until the writes settle.
    let mut files_changed: Option<(Instant, std::collections::BTreeSet<std::path::PathBuf>)> = None;

    loop {
        terminal.draw(|f| ui::draw(f, app))?;
        let wait = if app.editor.is_some() || files_changed.is_some() {
            200
        } else {
            250
        };
        let first = match rx.recv_timeout(Duration::from_millis(wait)) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Handle everything that has arrived before drawing again.
        let mut effects = VecDeque::new();
        for message in first.into_iter().chain(drain(&rx)) {
            effects.extend(match message {
                Message::Terminal(ev) => handle_terminal(app, ev),
                Message::SearchReady => {
                    take_results(app, &rt.workers);
                    Vec::new()
                }
                Message::OpenFailed(url, why) => app.open_failed(url, &why),
                Message::FilesChanged(paths) => {
                    files_changed
                        .get_or_insert_with(|| (Instant::now(), Default::default()))
                        .1
                        .extend(paths);
                    Vec::new()
                }
            });
        }
        let now = Instant::now();
        effects.extend(app.tick(now));
        // Other programs write in bursts: reload once they have settled.
        if files_changed
            .as_ref()
            .is_some_and(|(t, _)| now.duration_since(*t) >= Duration::from_millis(300))
            && let Some((_, paths)) = files_changed.take()
        {
            files_updated(app, &mut rt, paths);
        }
        while let Some(effect) = effects.pop_front() {
            effects.extend(carry_out(app, effect, &mut rt, terminal)?);
        }
        if app.quit {
            return Ok(());
        }
    }
}

/// Re-reads the notes another program changed; files opsbook wrote itself
/// (already in memory as they are on disk) are left alone.
fn files_updated(
    app: &mut App,
    rt: &mut Runtime,
    paths: std::collections::BTreeSet<std::path::PathBuf>,
) {
    let root = rt
        .files
        .root
        .canonicalize()
        .unwrap_or_else(|_| rt.files.root.clone());
    let mut changed = false;
    for path in paths {
        let relative = path
            .strip_prefix(&root)
            .or_else(|_| path.strip_prefix(&rt.files.root))
            .unwrap_or(&path)
            .to_path_buf();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let same = app.notebook.document_index(&relative).is_some_and(|d| {
                    app.notebook.documents[d].source.as_bytes() == bytes.as_slice()
                });
                if same {
                    continue;
                }
                match store::reload_document(&rt.files.root, &relative) {
                    Ok(doc) => {
                        app.document_reloaded(doc);
                        changed = true;
                    }
                    Err(e) => app.warn(e),
                }
            }
            // Removed or renamed: read the whole folder again.
            Err(_) => {
                reload_from_disk(app, rt, false);
                return;
            }
        }
    }
    if changed {
        notebook_changed(app, rt);
    }
}

/// After the notebook was read again: new search threads over it, and the
/// editor told if its file is not what it read.
fn notebook_changed(app: &mut App, rt: &mut Runtime) {
    rt.workers = Workers::start(app, &rt.tx);
    let disk = app
        .editor
        .as_ref()
        .and_then(|e| std::fs::read(&e.file).ok())
        .map(|b| content_hash(&b));
    app.check_disk(disk);
}

fn reload_from_disk(app: &mut App, rt: &mut Runtime, asked: bool) {
    match (rt.reload)() {
        Ok((notebook, problems)) => {
            app.swap_notebook(notebook);
            notebook_changed(app, rt);
            if asked {
                if problems > 0 {
                    app.warn(format!(
                        "reloaded; {problems} file(s) had problems (see `opsbook tree`)"
                    ));
                } else {
                    app.say("reloaded");
                }
            }
        }
        Err(e) => app.warn(format!("cannot reload: {e}")),
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
        Event::Mouse(m) => mouse(app, m.kind, m.column, m.row),
        _ => Vec::new(),
    }
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) -> Vec<Effect> {
    // The layout is a pure function of the size, so it can be recomputed here.
    let Ok((w, h)) = ratatui::crossterm::terminal::size() else {
        return Vec::new();
    };
    let Some(areas) = Areas::of(ratatui::layout::Rect::new(0, 0, w, h)) else {
        return Vec::new();
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
                return app.click_row((row - areas.nav.y - 1) as usize);
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
    Vec::new()
}

fn carry_out(
    app: &mut App,
    effect: Effect,
    rt: &mut Runtime,
    terminal: &mut DefaultTerminal,
) -> io::Result<Vec<Effect>> {
    let before = Arc::clone(&app.notebook);
    let effect = match effects::perform(app, rt.files, effect) {
        Ok(more) => {
            if !Arc::ptr_eq(&before, &app.notebook) {
                // The notebook changed: the search threads need its new version.
                rt.workers = Workers::start(app, &rt.tx);
            }
            return Ok(more);
        }
        Err(effect) => effect,
    };
    match effect {
        Effect::Open(url) => {
            let opener = Arc::clone(&rt.opener);
            let tx = rt.tx.clone();
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
            rt.workers.links.search(&q);
        }
        Effect::Search(Scope::Notes, q) => {
            rt.workers.notes.search(&q);
        }
        Effect::Reload => reload_from_disk(app, rt, true),
        Effect::ExternalEdit { path, line } => {
            let file = rt.files.root.join(&path);
            let result = external_editor(terminal, &rt.input_paused, &file, line)?;
            match result {
                Ok(status) if status.success() => {}
                Ok(status) => app.warn(format!("the editor exited with {status}")),
                Err(e) => app.warn(e),
            }
            // A clean screen for the next frame (ratatui's own clear would ask the
            // terminal where its cursor is, which not every terminal answers).
            execute!(
                io::stdout(),
                ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
            )?;
            return Ok(vec![Effect::ReloadDocument(path)]);
        }
        // File effects were carried out above.
        other => app.warn(format!("unexpected effect {other:?}")),
    }
    Ok(Vec::new())
}

/// `$VISUAL`, `$EDITOR`, or `vi`.
fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Hands the terminal to the user's editor and takes it back.
fn external_editor(
    terminal: &mut DefaultTerminal,
    paused: &AtomicBool,
    file: &std::path::Path,
    line: u32,
) -> io::Result<Result<std::process::ExitStatus, String>> {
    let command = editor_command();
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("vi").to_string();
    let args: Vec<String> = words.map(str::to_string).collect();
    paused.store(true, Ordering::Relaxed);
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    let status = std::process::Command::new(&program)
        .args(&args)
        .arg(format!("+{line}"))
        .arg(file)
        .status()
        .map_err(|e| format!("cannot start `{command}`: {e}"));
    // Take the terminal back whatever happened.
    *terminal = ratatui::try_init()?;
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    paused.store(false, Ordering::Relaxed);
    Ok(status)
}
