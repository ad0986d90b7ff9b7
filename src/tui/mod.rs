//! The terminal: set-up and restore, the thread that reads input, and the
//! event loop. Each terminal event becomes an input through [`Keys`], the
//! app applies it, the runtime carries out what it asks, and the screen is
//! drawn from the state.

use std::io;
use std::process::{Command, ExitStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{Clear, ClearType};

use crate::app::{App, Input};
use crate::input::Keys;
use crate::runtime::{Console, Notice, Runtime, browser, today};
use crate::storage::watch;
use crate::ui;

pub mod start;

/// Runs the terminal UI until the user quits.
pub fn run(
    mut app: App,
    mut keys: Keys,
    mut runtime: Runtime,
    notices: Receiver<Notice>,
) -> io::Result<()> {
    // Installed before ratatui's hook, so ratatui restores the screen first.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let terminal = ratatui::try_init()?;
    let mut screen = Screen {
        terminal,
        input_paused: Arc::new(AtomicBool::new(false)),
    };
    let result = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .and_then(|()| event_loop(&mut screen, &mut app, &mut keys, &mut runtime, &notices));
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// The terminal, as the runtime's console.
struct Screen {
    terminal: DefaultTerminal,
    /// Set while another program has the terminal.
    input_paused: Arc<AtomicBool>,
}

impl Console for Screen {
    fn copy(&mut self, text: &str) -> io::Result<()> {
        browser::copy_to_clipboard(text)
    }

    fn run(&mut self, command: &mut Command) -> io::Result<ExitStatus> {
        self.input_paused.store(true, Ordering::Relaxed);
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
        let status = command.status();
        // Take the terminal back whatever happened.
        self.terminal = ratatui::try_init()?;
        let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
        self.input_paused.store(false, Ordering::Relaxed);
        // A clean screen for the next frame (ratatui's own clear would ask the
        // terminal where its cursor is, which not every terminal answers).
        execute!(io::stdout(), Clear(ClearType::All))?;
        status
    }
}

fn event_loop(
    screen: &mut Screen,
    app: &mut App,
    keys: &mut Keys,
    runtime: &mut Runtime,
    rx: &Receiver<Notice>,
) -> io::Result<()> {
    spawn_input_thread(runtime.notifier(), Arc::clone(&screen.input_paused))?;
    spawn_signal_thread(runtime.notifier())?;
    let changed = runtime.notifier();
    let _watch = watch::watch(runtime.root(), move |paths| {
        let _ = changed.send(Notice::FilesChanged(paths));
    });
    let size = screen.terminal.size()?;
    let now = Instant::now();
    app.update(
        Input::Resize {
            width: size.width,
            height: size.height,
        },
        now,
    );
    app.set_today(today());
    let start = app.started(now);
    runtime.perform_all(app, start, screen)?;
    runtime.read_health();
    runtime.read_pages();
    // Changed notes wait here until the writes settle.
    let mut files_changed: Option<(Instant, std::collections::BTreeSet<std::path::PathBuf>)> = None;

    loop {
        screen.terminal.draw(|f| ui::draw(f, app, keys))?;
        // After the first frame (and each new notebook): the search index,
        // on a thread of its own; searching before it is ready still answers.
        app.links.build_index_in_background();
        let wait = if app.editor().is_some() || files_changed.is_some() {
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
        let mut effects = Vec::new();
        let pending: Vec<Notice> = first.into_iter().chain(rx.try_iter()).collect();
        for notice in pending {
            let now = Instant::now();
            match notice {
                Notice::Terminal(ev) => {
                    if let Some(input) = keys.translate(&ev, app.mode()) {
                        app.clock = crate::runtime::time_of_day();
                        effects.extend(app.update(input, now));
                    }
                }
                Notice::SearchReady => runtime.take_results(app),
                Notice::Terminate => effects.extend(app.terminate(now)),
                Notice::Git(answer) => effects.extend(app.git_answered(answer, now)),
                Notice::OpenFailed { url, why } => effects.extend(app.open_failed(url, &why)),
                Notice::LinkChecked(health) => app.link_checked(health),
                Notice::HealthRead(results) => app.set_health(results),
                Notice::CheckDone(failed) => app.check_finished(failed),
                Notice::CheckOffline(tried) => app.check_offline(tried),
                Notice::PagesRead(pages, index) => app.pages_read(pages, index),
                Notice::PageFetched(kept) => app.page_fetched(kept),
                Notice::FetchDone(failed) => app.fetch_finished(failed),
                Notice::TitleFetched(url, title) => app.title_fetched(&url, title),
                Notice::FilesChanged(paths) => {
                    files_changed
                        .get_or_insert_with(|| (now, Default::default()))
                        .1
                        .extend(paths);
                }
            }
        }
        let now = Instant::now();
        effects.extend(app.tick(now));
        // Other programs write in bursts: reload once they have settled.
        if files_changed
            .as_ref()
            .is_some_and(|(t, _)| now.duration_since(*t) >= Duration::from_millis(300))
            && let Some((_, paths)) = files_changed.take()
        {
            runtime.files_changed(app, paths);
        }
        runtime.perform_all(app, effects, screen)?;
        if app.quit {
            runtime.keep_health(app);
            return Ok(());
        }
    }
}

/// Turns SIGTERM and SIGHUP (the terminal closed, a `kill`) into a notice,
/// so that opsbook saves, restores the terminal and leaves.
fn spawn_signal_thread(tx: Sender<Notice>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("opsbook-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Notice::Terminate);
            }
        })?;
    Ok(())
}

/// Reads terminal events on a thread of their own.
fn spawn_input_thread(
    tx: Sender<Notice>,
    paused: Arc<AtomicBool>,
) -> io::Result<std::thread::JoinHandle<()>> {
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
                            if tx.send(Notice::Terminal(ev)).is_err() {
                                return;
                            }
                        }
                        Err(_) => return,
                    },
                    Ok(false) => {}
                    Err(_) => return,
                }
            }
        })
}
