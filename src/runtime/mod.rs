//! The runtime: the one place the app's effects are carried out. Files are
//! written through `storage`, links opened through an [`Opener`], searches
//! run on worker threads, and the terminal is reached only through a
//! [`Console`], so every effect can be carried out in a test as well.

pub mod browser;

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use crate::app::{App, Effect, Scope, WriteRequest};
use crate::notebook::Notebook;
use crate::notebook::edit::content_hash;
use crate::search::SearchWorker;
use crate::storage::journal::Journal;
use crate::storage::{self, SaveError};
use crate::sync::GitRequest;

pub use browser::{OpenError, Opener, SystemOpener};

/// Where files go.
pub struct Files {
    /// The notebook folder.
    pub root: PathBuf,
    /// The crash journal.
    pub journal: Journal,
    /// Where link-check results are kept (`None`: not kept).
    pub health_cache: Option<PathBuf>,
    /// Where the text of linked pages is kept (`None`: not kept).
    pub pages: Option<PathBuf>,
}

/// What the terminal does for effects: the clipboard, and handing the
/// screen to another program.
pub trait Console {
    /// Puts text on the clipboard.
    fn copy(&mut self, text: &str) -> io::Result<()>;
    /// Runs a program in the terminal and takes the terminal back after.
    fn run(&mut self, command: &mut Command) -> io::Result<ExitStatus>;
}

/// Something that happened outside the event loop's thread.
#[derive(Debug)]
pub enum Notice {
    /// A terminal event.
    Terminal(ratatui::crossterm::event::Event),
    /// A search thread has results.
    SearchReady,
    /// The browser could not be started.
    OpenFailed {
        /// The URL.
        url: String,
        /// Why.
        why: String,
    },
    /// Notes in the notebook folder changed (another program, or a save).
    FilesChanged(Vec<PathBuf>),
    /// SIGTERM or SIGHUP: save what can be saved and leave.
    Terminate,
    /// Git did what it was asked.
    Git(crate::sync::GitAnswer),
    /// The results of earlier checks, read from the cache.
    HealthRead(Vec<crate::health::Health>),
    /// A link check has a result.
    LinkChecked(crate::health::Health),
    /// The link check ended; why its results could not be kept, if so.
    CheckDone(Option<String>),
    /// The link check stopped: this many links got no answer and no host
    /// answered at all.
    CheckOffline(usize),
    /// The kept pages, read from the data folder, and their words.
    PagesRead(
        Vec<crate::pages::Page>,
        Arc<crate::search::pages::PageIndex>,
    ),
    /// A page of the fetch under way was fetched: whether its text was kept.
    PageFetched(bool),
    /// The fetch ended; what went wrong, if anything did.
    FetchDone(Option<String>),
    /// The title of the page of a link being added, or why there is none.
    TitleFetched(String, Result<String, String>),
}

struct Workers {
    /// The notebook they search.
    notebook: Arc<Notebook>,
    links: SearchWorker,
    notes: SearchWorker,
}

/// Carries out effects for one app.
pub struct Runtime {
    files: Files,
    opener: Arc<dyn Opener>,
    notices: Sender<Notice>,
    workers: Option<Workers>,
    /// The thread that runs git, started on the first request.
    git: Option<Sender<GitRequest>>,
    /// Set to stop a link check under way.
    stop_check: Arc<AtomicBool>,
}

impl Runtime {
    /// A runtime writing to `files` and opening links with `opener`, with
    /// the receiving end of its notices of finished work (search results,
    /// failed browsers) for the event loop.
    pub fn new(files: Files, opener: Arc<dyn Opener>) -> (Runtime, Receiver<Notice>) {
        let (notices, receiver) = mpsc::channel();
        let runtime = Runtime {
            files,
            opener,
            notices,
            workers: None,
            git: None,
            stop_check: Arc::new(AtomicBool::new(false)),
        };
        (runtime, receiver)
    }

    /// Another sender of notices, for threads of the event loop's own.
    pub fn notifier(&self) -> Sender<Notice> {
        self.notices.clone()
    }

    /// The notebook folder.
    pub fn root(&self) -> &Path {
        &self.files.root
    }

    /// Carries out effects and every effect they lead to; then, if the
    /// notebook changed, brings the search threads and the editor up to date.
    pub fn perform_all(
        &mut self,
        app: &mut App,
        effects: Vec<Effect>,
        console: &mut dyn Console,
    ) -> io::Result<()> {
        let before = Arc::clone(&app.notebook);
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            queue.extend(self.perform(app, effect, console)?);
        }
        if !Arc::ptr_eq(&before, &app.notebook) {
            self.notebook_changed(app);
        }
        Ok(())
    }

    /// Carries out one effect; returns the effects that follow from it.
    fn perform(
        &mut self,
        app: &mut App,
        effect: Effect,
        console: &mut dyn Console,
    ) -> io::Result<Vec<Effect>> {
        Ok(match effect {
            Effect::Save(req) => {
                let result = self.write(&req);
                app.save_finished(&req, result)
            }
            Effect::Write(req, written) => {
                let result = self.write(&req);
                app.write_finished(req, written, result)
            }
            Effect::Journal(entry) => {
                match self.files.journal.write(&entry) {
                    Ok(()) => app.journal_written(None),
                    Err(e) => {
                        // Said once, then tried again at every tick.
                        if app.journal_failed.is_none() {
                            app.warn(format!("cannot write the recovery journal: {e}"));
                        }
                        app.journal_written(Some(e.to_string()));
                    }
                }
                Vec::new()
            }
            Effect::DropJournal(path) => {
                if let Err(e) = self.files.journal.remove(&path) {
                    app.warn(format!("cannot clear the recovery journal: {e}"));
                }
                Vec::new()
            }
            Effect::DropLeftover(path) => {
                if let Err(e) = self.files.journal.remove_leftover(&path) {
                    app.warn(format!("cannot clear the recovery journal: {e}"));
                }
                Vec::new()
            }
            Effect::WriteCopy {
                path,
                suffix,
                text,
                then,
            } => {
                let target = free_copy_path(&self.files.root.join(&path), suffix);
                match storage::write_new(&target, text.as_bytes()) {
                    Ok(()) => {
                        let copy = target.strip_prefix(&self.files.root).unwrap_or(&target);
                        app.copy_written(&path, suffix, copy);
                        then
                    }
                    Err(e) => {
                        // The journal keeps the text: it is offered at the next start.
                        app.warn(format!(
                            "cannot write {}: {e}; the text stays in the recovery journal",
                            target.display()
                        ));
                        Vec::new()
                    }
                }
            }
            Effect::CreateNote { path, text } => self.create_note(app, &path, &text),
            Effect::RemoveNote { path, hash, what } => self.remove_note(app, &path, hash, &what),
            Effect::Recreate(req) => {
                let file = self.files.root.join(&req.path);
                let written = file
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| storage::write_new(&file, req.text.as_bytes()))
                    .map(|()| req.text.clone())
                    .map_err(|source| SaveError::Io {
                        path: file.clone(),
                        source,
                    });
                app.save_finished(&req, written)
            }
            Effect::ReloadDocument(path) => {
                match storage::reload_document(&self.files.root, &path) {
                    Ok(doc) => app.document_reloaded(doc),
                    Err(p) => app.warn(format!(
                        "cannot read {} again: {}",
                        path.display(),
                        p.message
                    )),
                }
                Vec::new()
            }
            Effect::Reload => {
                match storage::load(&self.files.root) {
                    Ok(loaded) => app.notebook_reloaded(loaded.notebook, loaded.problems.len()),
                    Err(e) => app.warn(format!("cannot reload: {e}")),
                }
                Vec::new()
            }
            Effect::Open(url) => {
                self.open(app, url);
                Vec::new()
            }
            Effect::Copy(text) => {
                if let Err(e) = console.copy(&text) {
                    app.warn(format!("cannot copy: {e}"));
                }
                Vec::new()
            }
            Effect::Search(scope, query) => {
                self.workers(app).search(scope, &query);
                Vec::new()
            }
            Effect::Git(request) => {
                self.git(request);
                Vec::new()
            }
            Effect::CheckLinks(urls) => {
                self.check_links(urls, app.health.settings.clone());
                Vec::new()
            }
            Effect::FetchTitle(url) => {
                let notices = self.notices.clone();
                let check = app.health.settings.clone();
                let timeout = app.pages.settings.title_timeout();
                let _ = std::thread::Builder::new()
                    .name("opsbook-title".into())
                    .spawn(move || {
                        let title = crate::pages::extract::fetch_title(&url, &check, timeout);
                        let _ = notices.send(Notice::TitleFetched(url, title));
                    });
                Vec::new()
            }
            Effect::FetchPages(urls) => {
                self.fetch_pages(
                    urls,
                    app.health.settings.clone(),
                    app.pages.settings.clone(),
                );
                Vec::new()
            }
            Effect::ExternalEdit { path, line } => {
                let mut command = external_editor_command(&self.files.root.join(&path), line);
                match console.run(&mut command) {
                    Ok(status) if status.success() => {}
                    Ok(status) => app.warn(format!("the editor exited with {status}")),
                    Err(e) => app.warn(format!(
                        "cannot start `{}`: {e}",
                        command.get_program().to_string_lossy()
                    )),
                }
                vec![Effect::ReloadDocument(path)]
            }
        })
    }

    /// Checks links on threads of their own, each result a notice as it
    /// comes; results are kept in the cache every few seconds and at the
    /// end, so quitting during a check loses at most the last few.
    fn check_links(&mut self, urls: Vec<String>, settings: crate::config::CheckSettings) {
        let notices = self.notices.clone();
        let stop = Arc::clone(&self.stop_check);
        let cache_path = self.files.health_cache.clone();
        let spawned = std::thread::Builder::new()
            .name("opsbook-check".into())
            .spawn(move || {
                let unsaved = std::sync::Mutex::new((Vec::new(), std::time::Instant::now()));
                let failed = std::sync::Mutex::new(None::<String>);
                let save = |batch: Vec<crate::health::Health>| {
                    let Some(path) = &cache_path else { return };
                    let cache: crate::health::cache::Cache = batch.into_iter().collect();
                    if let Err(e) = cache.save(path) {
                        *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
                    }
                };
                let tx = notices.clone();
                let found = |h: crate::health::Health| {
                    let _ = tx.send(Notice::LinkChecked(h.clone()));
                    let mut u = unsaved.lock().unwrap_or_else(|e| e.into_inner());
                    u.0.push(h);
                    if u.1.elapsed() >= std::time::Duration::from_secs(2) {
                        u.1 = std::time::Instant::now();
                        save(std::mem::take(&mut u.0));
                    }
                };
                let ended = crate::health::pool::check_all(urls, &settings, &stop, &found);
                let rest = std::mem::take(&mut unsaved.lock().unwrap_or_else(|e| e.into_inner()).0);
                save(rest);
                let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
                let _ = notices.send(match ended {
                    crate::health::pool::Ended::Offline { tried } => Notice::CheckOffline(tried),
                    crate::health::pool::Ended::Done => Notice::CheckDone(failed),
                });
            });
        if spawned.is_err() {
            let _ = self
                .notices
                .send(Notice::CheckDone(Some("no thread to check on".into())));
        }
    }

    /// Reads the kept pages on a thread of its own, and indexes their
    /// words; they come as a notice (none when there are none).
    pub fn read_pages(&self) {
        let Some(dir) = self.files.pages.clone() else {
            return;
        };
        let notices = self.notices.clone();
        let _ = std::thread::Builder::new()
            .name("opsbook-pages".into())
            .spawn(move || read_pages_in(&dir, &notices));
    }

    /// Fetches pages on threads of their own through the link checker's
    /// pool, keeping each page's text as it comes; the kept pages are read
    /// again at the end.
    fn fetch_pages(
        &mut self,
        urls: Vec<String>,
        check: crate::config::CheckSettings,
        fetch: crate::config::FetchSettings,
    ) {
        let notices = self.notices.clone();
        let Some(dir) = self.files.pages.clone() else {
            let _ = notices.send(Notice::FetchDone(Some(
                "no data folder to keep pages in".into(),
            )));
            return;
        };
        let stop = Arc::clone(&self.stop_check);
        let spawned = std::thread::Builder::new()
            .name("opsbook-fetch".into())
            .spawn(move || {
                let store = crate::pages::store::PageStore::new(&dir);
                let failed = std::sync::Mutex::new(None::<String>);
                let tx = notices.clone();
                let found = |h: crate::health::Health, body: Option<crate::health::check::Body>| {
                    let kept = body.is_some_and(|b| {
                        let page = crate::pages::extract::page_from(&h.url, &b, h.checked_at);
                        match store.put_unless_emptier(&page) {
                            Ok(kept) => kept,
                            Err(e) => {
                                *failed.lock().unwrap_or_else(|e| e.into_inner()) =
                                    Some(format!("not kept: {e}"));
                                false
                            }
                        }
                    });
                    // What the fetch learnt of the link is a check's result too.
                    let _ = tx.send(Notice::LinkChecked(h));
                    let _ = tx.send(Notice::PageFetched(kept));
                };
                let ended = crate::health::pool::check_and_read_all(
                    urls,
                    &check,
                    Some(fetch.max_page_bytes()),
                    &stop,
                    &found,
                );
                read_pages_in(&dir, &notices);
                let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
                if let crate::health::pool::Ended::Offline { tried } = ended {
                    failed = Some(format!(
                        "no host answered the first {tried} addresses: offline?"
                    ));
                }
                let _ = notices.send(Notice::FetchDone(failed));
            });
        if spawned.is_err() {
            let _ = self
                .notices
                .send(Notice::FetchDone(Some("no thread to fetch on".into())));
        }
    }

    /// Reads the results of earlier checks on a thread of its own, so that a
    /// large cache never holds up the first frame; they come as a notice.
    pub fn read_health(&self) {
        let Some(path) = self.files.health_cache.clone() else {
            return;
        };
        let notices = self.notices.clone();
        let _ = std::thread::Builder::new()
            .name("opsbook-health".into())
            .spawn(move || {
                // A cache that cannot be read only means no marks until a check.
                if let Ok(cache) = crate::health::cache::Cache::load(&path) {
                    let _ = notices.send(Notice::HealthRead(cache.iter().cloned().collect()));
                }
            });
    }

    /// Keeps what this session's link checks found, on the way out: a check
    /// still under way has kept only what it had every few seconds.
    pub fn keep_health(&self, app: &App) {
        if !app.health.unsaved {
            return;
        }
        if let Some(path) = &self.files.health_cache {
            let cache: crate::health::cache::Cache = app.health.results.values().cloned().collect();
            // Quitting goes on: a cache that cannot be written costs a refetch.
            let _ = cache.save(path);
        }
    }

    /// Hands a request to the git thread (started the first time): git may
    /// take seconds over a network, and typing never waits for it.
    fn git(&mut self, request: GitRequest) {
        if self.git.is_none() {
            let (tx, rx) = mpsc::channel::<GitRequest>();
            let notices = self.notices.clone();
            let dir = self.files.root.clone();
            let spawned = std::thread::Builder::new()
                .name("opsbook-git".into())
                .spawn(move || {
                    for request in rx {
                        let answer = crate::sync::answer(&dir, request);
                        if notices.send(Notice::Git(answer)).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_ok() {
                self.git = Some(tx);
            }
        }
        if let Some(tx) = &self.git {
            let _ = tx.send(request);
        }
    }

    fn write(&self, req: &WriteRequest) -> Result<String, SaveError> {
        storage::write_edit(
            &self.files.root.join(&req.path),
            req.base_hash,
            req.range.clone(),
            &req.text,
        )
    }

    /// Removes a note opsbook made, only if it is still as made.
    fn remove_note(&self, app: &mut App, path: &Path, hash: u64, what: &str) -> Vec<Effect> {
        let file = self.files.root.join(path);
        match storage::read_bounded(&file) {
            Ok(bytes) if crate::notebook::edit::content_hash(&bytes) == hash => {
                match std::fs::remove_file(&file) {
                    Ok(()) => {
                        app.say(format!("undone: {what}"));
                        vec![Effect::Reload]
                    }
                    Err(e) => {
                        app.warn(format!("cannot remove {}: {e}", path.display()));
                        Vec::new()
                    }
                }
            }
            Ok(_) => {
                app.warn(format!(
                    "{} changed since it was made: nothing undone",
                    path.display()
                ));
                Vec::new()
            }
            Err(e) => {
                app.warn(format!("{}: {e}: nothing undone", path.display()));
                Vec::new()
            }
        }
    }

    fn create_note(&self, app: &mut App, path: &Path, text: &str) -> Vec<Effect> {
        let file = self.files.root.join(path);
        let created = file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| storage::write_new(&file, text.as_bytes()));
        match created {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                app.warn(format!(
                    "{} exists already: not overwritten",
                    path.display()
                ));
                Vec::new()
            }
            Err(e) => {
                app.warn(format!("cannot create {}: {e}", path.display()));
                Vec::new()
            }
            Ok(()) => match storage::reload_document(&self.files.root, path) {
                Ok(doc) => app.note_created(doc),
                Err(p) => {
                    app.warn(format!("cannot create {}: {}", path.display(), p.message));
                    Vec::new()
                }
            },
        }
    }

    fn open(&self, app: &mut App, url: String) {
        let opener = Arc::clone(&self.opener);
        let notices = self.notices.clone();
        // Never wait for the browser: it may take seconds, or never return.
        let spawned = std::thread::Builder::new()
            .name("opsbook-open".into())
            .spawn(move || {
                if let Err(why) = opener.open(&url) {
                    let why = why.to_string();
                    let _ = notices.send(Notice::OpenFailed { url, why });
                }
            });
        if let Err(e) = spawned {
            app.warn(format!("cannot open the link: {e}"));
        }
    }

    /// The search threads over the app's notebook: the one place they are
    /// (re)started.
    fn workers(&mut self, app: &App) -> &mut Workers {
        let current = self
            .workers
            .as_ref()
            .is_some_and(|w| Arc::ptr_eq(&w.notebook, &app.notebook));
        if !current {
            let wake = |tx: Sender<Notice>| {
                move || {
                    let _ = tx.send(Notice::SearchReady);
                }
            };
            self.workers = Some(Workers {
                notebook: Arc::clone(&app.notebook),
                links: SearchWorker::start(Arc::clone(&app.links), wake(self.notices.clone())),
                notes: SearchWorker::start(Arc::clone(&app.notes), wake(self.notices.clone())),
            });
        }
        self.workers.as_mut().expect("just started")
    }

    /// After the notebook changed: the open search asked again of threads
    /// over the new notebook, and the editor told if its file is no longer
    /// what it read.
    fn notebook_changed(&mut self, app: &mut App) {
        if let Some((scope, query)) = app.search().map(|s| (s.scope, s.query.clone())) {
            self.workers(app).search(scope, &query);
        }
        let disk = app
            .editor()
            .and_then(|e| storage::read_bounded(&self.files.root.join(&e.path)).ok())
            .map(|b| content_hash(&b));
        app.check_disk(disk);
    }

    /// Hands the newest search results to the app.
    pub fn take_results(&mut self, app: &mut App) {
        let Some(workers) = &self.workers else { return };
        let links = workers.links.latest();
        let notes = workers.notes.latest();
        // Answers nobody waits for any more are dropped.
        let answer = match app.search().map(|s| s.scope) {
            Some(Scope::Links) => links.map(|r| (Scope::Links, r)),
            Some(Scope::Notes) => notes.map(|r| (Scope::Notes, r)),
            None => None,
        };
        if let Some((scope, results)) = answer {
            app.search_answered(scope, results);
        }
    }

    /// Re-reads the notes another program changed; files opsbook wrote itself
    /// (already in memory as they are on disk) are left alone.
    pub fn files_changed(&mut self, app: &mut App, paths: impl IntoIterator<Item = PathBuf>) {
        let before = Arc::clone(&app.notebook);
        let root = &self.files.root;
        let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
        for path in paths {
            let relative = path
                .strip_prefix(&canonical)
                .or_else(|_| path.strip_prefix(root))
                .unwrap_or(&path)
                .to_path_buf();
            let bytes = match storage::read_bounded(&path) {
                Ok(bytes) => bytes,
                // Not a regular file (a FIFO, a device), or too big: said, never read.
                Err(e @ (storage::ReadError::NotRegular(_) | storage::ReadError::TooBig(_))) => {
                    app.warn(format!("{}: not read: {e}", relative.display()));
                    continue;
                }
                Err(storage::ReadError::Io(_)) => {
                    // Removed or renamed: read the whole folder again.
                    match storage::load(root) {
                        Ok(loaded) => app.swap_notebook(loaded.notebook),
                        Err(e) => app.warn(format!("cannot reload: {e}")),
                    }
                    break;
                }
            };
            let same = app
                .notebook
                .document_index(&relative)
                .is_some_and(|d| app.notebook.documents[d].source.as_bytes() == bytes.as_slice());
            if same {
                continue;
            }
            match storage::reload_document(root, &relative) {
                Ok(doc) => app.document_reloaded(doc),
                Err(p) => app.warn(p.to_string()),
            }
        }
        if !Arc::ptr_eq(&before, &app.notebook) {
            self.notebook_changed(app);
        }
    }
}

impl Workers {
    fn search(&mut self, scope: Scope, query: &str) {
        match scope {
            Scope::Links => self.links.search(query),
            Scope::Notes => self.notes.search(query),
        };
    }
}

/// `file.SUFFIX`, or `file.SUFFIX.1`, `.2` … — the first that does not exist.
pub fn free_copy_path(file: &Path, suffix: &str) -> PathBuf {
    let base = PathBuf::from(format!("{}.{suffix}", file.display()));
    if !base.exists() {
        return base;
    }
    (1..)
        .map(|n| PathBuf::from(format!("{}.{n}", base.display())))
        .find(|p| !p.exists())
        .unwrap_or(base)
}

/// `$VISUAL`, `$EDITOR`, or `vi`, called as `editor +LINE FILE`.
fn external_editor_command(file: &Path, line: u32) -> Command {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let mut words = editor.split_whitespace();
    let mut command = Command::new(words.next().unwrap_or("vi"));
    command.args(words).arg(format!("+{line}")).arg(file);
    command
}

impl Drop for Runtime {
    /// A link check under way stops with opsbook.
    fn drop(&mut self) {
        self.stop_check.store(true, Ordering::Relaxed);
    }
}

/// The hour and minute in the local time zone.
pub fn time_of_day() -> (u8, u8) {
    let now = jiff::Zoned::now();
    (now.hour() as u8, now.minute() as u8)
}

/// Today in the local time zone.
pub fn today() -> crate::notebook::edit::Date {
    let now = jiff::Zoned::now();
    crate::notebook::edit::Date {
        year: i32::from(now.year()),
        month: now.month() as u8,
        day: now.day() as u8,
    }
}

/// Reads every kept page in `dir` and sends them, indexed, as a notice.
fn read_pages_in(dir: &Path, notices: &Sender<Notice>) {
    let store = crate::pages::store::PageStore::new(dir);
    // Pages that cannot be read are fetched again by the next `W`.
    let (pages, _) = store.all();
    let words: Vec<crate::search::pages::PageWords> =
        pages.iter().map(|p| p.clone().into_words()).collect();
    let index = Arc::new(crate::search::pages::PageIndex::build(&words));
    let _ = notices.send(Notice::PagesRead(pages, index));
}
