//! The `opsbook` binary: parse arguments, load the notebook and keymap, run a
//! command or the terminal UI.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

use opsbook::app::App;
use opsbook::capture::{self, Place};
use opsbook::cli::{self, Cli, Command};
use opsbook::config::{Config, user_config_path};
use opsbook::escape::visible;
use opsbook::input::Keys;
use opsbook::keymap::{Keymap, KeymapError, Mode, keys_to_string, user_keymap_path};
use opsbook::runtime::{Files, Runtime, SystemOpener};
use opsbook::storage::journal::Journal;
use opsbook::storage::process;
use opsbook::storage::{self as store, Loaded};
use opsbook::tui;

/// Exit code of a keymap that cannot be used.
const KEYMAP_ERROR: u8 = 2;

/// Exit code of a sync that left notes changed on the same lines on both sides.
const SYNC_CONFLICT: u8 = 3;

fn main() -> ExitCode {
    let args = Cli::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("opsbook: {}", visible(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

/// `opsbook config`: every setting in effect, as lines that paste into
/// config.toml, each with where its value comes from.
fn print_config(args: &Cli) -> Result<ExitCode> {
    let path = user_config_path();
    let text = path.as_ref().and_then(|p| std::fs::read_to_string(p).ok());
    // The text read once serves both the settings and where each comes from.
    let parsed = match (&path, &text) {
        (Some(p), Some(t)) => Some(Config::parse(t, &p.display().to_string())),
        (Some(p), None) => Some(Config::load(p)),
        (None, _) => None,
    };
    let config = match parsed {
        Some(Err(mistake)) => {
            eprintln!("opsbook: {}", visible(&mistake.to_string()));
            return Ok(ExitCode::from(KEYMAP_ERROR));
        }
        Some(Ok(c)) => c,
        None => Config::default(),
    };
    let mut out = io::stdout().lock();
    match (&path, &text) {
        (Some(p), Some(_)) => writeln!(out, "# settings in effect; the file: {}", p.display())?,
        (Some(p), None) => writeln!(
            out,
            "# settings in effect; no file at {}, so defaults",
            p.display()
        )?,
        (None, _) => writeln!(out, "# settings in effect; no config folder, so defaults")?,
    }
    let from_env = std::env::var_os("OPSBOOK_NOTEBOOK");
    let (notebook, origin) = match (&args.notebook, &config.notebook) {
        (Some(d), _) if from_env.as_deref() == Some(d.as_os_str()) => {
            (Some(d.clone()), "OPSBOOK_NOTEBOOK")
        }
        (Some(d), _) => (Some(d.clone()), "--notebook"),
        (None, Some(d)) => (Some(expand_home(d)), "config.toml"),
        (None, None) => (store::default_notebook_dir(), "default"),
    };
    let line = |key: &str, value: Option<String>, origin: &str| match value {
        Some(v) => format!("{:<40} # {origin}", format!("{key} = {v}")),
        None => format!("# {key}: {origin}"),
    };
    let quoted = |p: PathBuf| toml::Value::String(p.display().to_string()).to_string();
    writeln!(
        out,
        "{}",
        visible(&line("notebook", notebook.map(quoted), origin))
    )?;
    let browser_env = std::env::var("BROWSER").ok();
    for e in config.effective(
        text.as_deref(),
        std::env::var_os("NO_COLOR").as_deref(),
        browser_env.as_deref(),
    ) {
        writeln!(out, "{}", visible(&line(e.key, e.value, &e.origin)))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A capture command's outcome: where it wrote on stdout, or why not on
/// stderr.
fn report(command: &str, outcome: Result<String, capture::CaptureError>) -> ExitCode {
    match outcome {
        Ok(place) => {
            println!("{}", visible(&place));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("opsbook: {command}: {}", visible(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// The user's settings for a headless command: a mistake is said, and the
/// defaults used.
fn user_config() -> Config {
    match user_config_path().map(|p| Config::load(&p)) {
        Some(Ok(c)) => c,
        Some(Err(mistake)) => {
            eprintln!(
                "opsbook: {} (using the default settings)",
                visible(&mistake.to_string())
            );
            Config::default()
        }
        None => Config::default(),
    }
}

/// The notebook folder (`--notebook`, else the config's, else the default),
/// and whether it was just created from the examples.
/// The config is asked only when `--notebook` is not given.
fn notebook_dir(
    arg: Option<PathBuf>,
    configured: impl FnOnce() -> Option<PathBuf>,
) -> Result<(PathBuf, bool)> {
    if let Some(dir) = arg {
        return Ok((dir, false));
    }
    if let Some(dir) = configured() {
        return Ok((expand_home(&dir), false));
    }
    let dir = store::default_notebook_dir()
        .context("no home folder to keep the notebook in; pass --notebook DIR")?;
    if dir.exists() {
        return Ok((dir, false));
    }
    store::create_from_examples(&dir)
        .with_context(|| format!("cannot create the notebook folder {}", dir.display()))?;
    eprintln!(
        "opsbook: created a new notebook with the bundled examples in {}",
        dir.display()
    );
    Ok((dir, true))
}

/// `~/x` as a path under the home folder.
fn expand_home(p: &Path) -> PathBuf {
    match (p.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(base)) => base.home_dir().join(rest),
        _ => p.to_path_buf(),
    }
}

fn load(dir: &Path) -> Result<Option<Loaded>> {
    let loaded = store::load(dir)?;
    for p in &loaded.problems {
        eprintln!("opsbook: {}", visible(&p.to_string()));
    }
    if loaded.notebook.documents.is_empty() && loaded.problems.iter().any(|p| p.skipped) {
        eprintln!(
            "opsbook: nothing could be loaded from {}",
            visible(&dir.display().to_string())
        );
        return Ok(None);
    }
    Ok(Some(loaded))
}

/// The keymap file in use, if any: `--keymap`, else the user's when it exists.
fn keymap_file(args: &Cli) -> Option<PathBuf> {
    args.keymap
        .clone()
        .or_else(|| user_keymap_path().filter(|p| p.exists()))
}

/// The keymap (with a warning when it fell back to the defaults), or the
/// mistake that stops the start.
fn keymap(args: &Cli) -> Result<(Keymap, Option<String>), KeymapError> {
    let Some(file) = keymap_file(args) else {
        return Ok((Keymap::defaults(), None));
    };
    match Keymap::with_file(&file) {
        Ok(k) => Ok((k, None)),
        Err(e) if args.keymap_fallback => Ok((
            Keymap::defaults(),
            Some(format!("{e} (using the default keymap)")),
        )),
        Err(e) => Err(e),
    }
}

fn print_keys(keymap: &Keymap, out: &mut dyn Write) -> io::Result<()> {
    for mode in Mode::ALL {
        for (keys, action, origin) in keymap.bindings(mode) {
            writeln!(
                out,
                "{:<8} {:<12} {:<18} {origin}",
                mode.name(),
                keys_to_string(&keys),
                action.name()
            )?;
        }
    }
    Ok(())
}

fn run(args: Cli) -> Result<ExitCode> {
    match &args.command {
        Some(Command::Completions { shell }) => {
            let mut out = io::stdout().lock();
            cli::completions(*shell, &mut out);
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man { dir: None }) => {
            let mut out = io::stdout().lock();
            cli::man(&mut out)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man { dir: Some(dir) }) => {
            cli::man_pages(dir)
                .with_context(|| format!("cannot write the manual pages to {}", dir.display()))?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    if let Some(Command::Sync) = &args.command {
        let (dir, _) = notebook_dir(args.notebook.clone(), || user_config().notebook)?;
        return Ok(match opsbook::sync::sync(&dir) {
            Ok(report) => {
                println!("{}", visible(&report.summary()));
                if report.conflicts.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(SYNC_CONFLICT)
                }
            }
            Err(e) => {
                eprintln!("opsbook: sync: {}", visible(&e.to_string()));
                ExitCode::FAILURE
            }
        });
    }
    if let Some(Command::Add {
        url,
        title,
        year,
        section,
        document,
    }) = &args.command
    {
        let place = match (year, section) {
            (_, Some(s)) => Place::Section(s.clone()),
            (Some(y), None) => match capture::year_place(*y) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("opsbook: add: {}", visible(&e.to_string()));
                    return Ok(ExitCode::from(2));
                }
            },
            (None, None) => Place::ThisYear(opsbook::tui::today().year.clamp(1970, 2100) as u16),
        };
        let (dir, _) = notebook_dir(args.notebook.clone(), || user_config().notebook)?;
        let Some(loaded) = load(&dir)? else {
            return Ok(ExitCode::FAILURE);
        };
        let title = title.as_deref().unwrap_or_default();
        return Ok(report(
            "add",
            capture::add_link(
                &loaded.notebook,
                &dir,
                url,
                title,
                &place,
                document.as_deref(),
            ),
        ));
    }
    if let Some(Command::Import { file, name }) = &args.command {
        let (dir, _) = notebook_dir(args.notebook.clone(), || user_config().notebook)?;
        return Ok(report(
            "import",
            capture::import_bookmarks(&dir, file, name.as_deref()),
        ));
    }
    if let Some(Command::Config) = &args.command {
        return print_config(&args);
    }
    if let Some(Command::Check {
        year,
        document,
        tag,
        format,
        force,
        fix_archived,
        fix_redirects,
    }) = &args.command
    {
        let config = user_config();
        let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
        let Some(loaded) = load(&dir)? else {
            return Ok(ExitCode::FAILURE);
        };
        let request = opsbook::check::Request {
            year: *year,
            document: document.clone(),
            tag: tag.clone(),
            force: *force,
            fix_archived: *fix_archived,
            fix_redirects: *fix_redirects,
            format: *format,
            progress: if io::stderr().is_terminal() {
                opsbook::check::Progress::Bar
            } else {
                opsbook::check::Progress::Lines
            },
        };
        let cache = opsbook::health::cache::Cache::default_path();
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        let outcome = opsbook::check::run(
            &loaded.notebook,
            &dir,
            &config.check,
            cache.as_deref(),
            &request,
            &mut out,
            &mut io::stderr(),
        )?;
        out.flush()?;
        if let Some(m) = &outcome.mistake {
            eprintln!("opsbook: check: {}", visible(m));
            return Ok(ExitCode::from(2));
        }
        for f in &outcome.failures {
            eprintln!("opsbook: check: {}", visible(f));
        }
        let clean = outcome.dead_left == 0 && outcome.failures.is_empty();
        return Ok(if clean {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    if let Some(Command::Jot { text }) = &args.command {
        let config = user_config();
        let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
        let Some(loaded) = load(&dir)? else {
            return Ok(ExitCode::FAILURE);
        };
        let today = opsbook::tui::today();
        return Ok(report(
            "jot",
            capture::jot(
                &loaded.notebook,
                &dir,
                today,
                &text.join(" "),
                config.sessions.date_style,
            ),
        ));
    }
    // Headless commands need no keys: a broken keymap must not stop scripts.
    if let Some(command) = args
        .command
        .as_ref()
        .filter(|c| !matches!(c, Command::Keys))
    {
        let (dir, _) = notebook_dir(args.notebook.clone(), || user_config().notebook)?;
        let Some(loaded) = load(&dir)? else {
            return Ok(ExitCode::FAILURE);
        };
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        cli::run(&loaded.notebook, command, &mut out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let (keymap, keymap_warning) = match keymap(&args) {
        Ok(k) => k,
        Err(mistake) => {
            eprintln!("opsbook: {mistake}");
            return Ok(ExitCode::from(KEYMAP_ERROR));
        }
    };
    if let Some(Command::Keys) = &args.command {
        if let Some(w) = &keymap_warning {
            eprintln!("opsbook: {w}");
        }
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        if let Some(file) = keymap_file(&args) {
            writeln!(out, "# defaults merged with {}", file.display())?;
        } else if let Some(user) = user_keymap_path() {
            writeln!(
                out,
                "# defaults; your keymap would go in {}",
                user.display()
            )?;
        }
        print_keys(&keymap, &mut out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }

    if !has_terminal() {
        eprintln!(
            "opsbook: the terminal UI needs a terminal; for scripts see `opsbook --help` (tree, links, search, sessions, sync, keys)"
        );
        return Ok(ExitCode::FAILURE);
    }
    let config = match user_config_path().map(|p| Config::load(&p)) {
        Some(Err(mistake)) => {
            eprintln!("opsbook: {}", visible(&mistake.to_string()));
            return Ok(ExitCode::from(KEYMAP_ERROR));
        }
        Some(Ok(c)) => c,
        None => Config::default(),
    };
    let (dir, created) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
    let Some(loaded) = load(&dir)? else {
        return Ok(ExitCode::FAILURE);
    };
    let created = created.then(|| {
        format!(
            "created a new notebook with the bundled examples in {}",
            dir.display()
        )
    });
    run_tui(loaded, keymap, keymap_warning, created, dir, config)
}

/// The terminal UI needs a terminal on both ends.
fn has_terminal() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

fn run_tui(
    loaded: Loaded,
    keymap: Keymap,
    keymap_warning: Option<String>,
    created: Option<String>,
    dir: PathBuf,
    config: Config,
) -> Result<ExitCode> {
    let problems = loaded.problems.len();
    let mut app = App::new(loaded.notebook, Instant::now());
    app.theme = config.theme(std::env::var_os("NO_COLOR").as_deref());
    app.session_date_style = config.sessions.date_style;
    app.git.settings = config.sync;
    app.health.settings = config.check;
    app.health.wall = Some((opsbook::health::now_secs(), Instant::now()));
    let browser = config.browser;
    app.autosave_after = std::time::Duration::from_millis(config.editor.autosave_after_ms);
    if let Some(c) = created {
        app.say(c);
    }
    if let Some(w) = keymap_warning {
        app.warn(w);
    } else if problems > 0 {
        app.warn(format!(
            "{problems} file(s) had problems: run `opsbook tree` to see them"
        ));
    }
    let journal_dir =
        Journal::default_dir().unwrap_or_else(|| std::env::temp_dir().join("opsbook-journal"));
    // Temporary files of saves that a killed opsbook never finished.
    process::clean_stale_temp_files(&dir);
    process::clean_stale_temp_files(&journal_dir);
    let journal = Journal::new(journal_dir, &dir);
    app.recoveries = journal.leftovers();
    app.offer_recovery();
    let files = Files {
        root: dir,
        journal,
        health_cache: opsbook::health::cache::Cache::default_path(),
    };
    let (runtime, notices) = Runtime::new(files, Arc::new(SystemOpener::from_env(browser)));
    tui::run(app, Keys::new(keymap), runtime, notices).context("terminal error")?;
    Ok(ExitCode::SUCCESS)
}
