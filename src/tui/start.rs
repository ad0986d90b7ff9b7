//! Opening the terminal UI: the settings (a mistake stops the start), the
//! notebook, the keymap, the journal's leftovers, then the event loop.

use std::io::{self, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::app::App;
use crate::cli::setup::{load, notebook_dir, settings_to_write};
use crate::cli::{Cli, MISTAKE, say};
use crate::config::Config;
use crate::input::Keys;
use crate::keymap::{Keymap, keymap_file, load_keymap};
use crate::runtime::{Files, Runtime, SystemOpener};
use crate::storage::journal::Journal;
use crate::storage::{Loaded, process};

/// Opens the UI on the notebook `args` name, until the user quits.
pub fn start(args: &Cli) -> Result<ExitCode> {
    let file = keymap_file(args.keymap.as_deref());
    let (keymap, keymap_warning) = match load_keymap(file.as_deref(), args.keymap_fallback) {
        Ok(k) => k,
        Err(mistake) => {
            say(&mistake.to_string());
            return Ok(ExitCode::from(MISTAKE));
        }
    };
    if !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
        say(
            "the terminal UI needs a terminal; for scripts see `opsbook --help` (tree, links, search, sessions, sync, keys)",
        );
        return Ok(ExitCode::FAILURE);
    }
    let config = match settings_to_write() {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    crate::search::relaxed::use_team_synonyms(config.search.groups());
    let (dir, created) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
    let Some(loaded) = load(&dir)? else {
        return Ok(ExitCode::FAILURE);
    };
    // After the load, whose many files it would slow, and before the UI's
    // threads start: for the searches to come.
    crate::memory::tune_allocator();
    let created = created.then(|| {
        format!(
            "created a new notebook with the bundled examples in {}",
            dir.display()
        )
    });
    let start = Start {
        loaded,
        keymap,
        keymap_warning,
        created,
        config,
    };
    start.run(dir)
}

/// What the UI starts with.
struct Start {
    loaded: Loaded,
    keymap: Keymap,
    keymap_warning: Option<String>,
    created: Option<String>,
    config: Config,
}

impl Start {
    fn run(self, dir: std::path::PathBuf) -> Result<ExitCode> {
        let Start {
            loaded,
            keymap,
            keymap_warning,
            created,
            config,
        } = self;
        let problems = loaded.problems.len();
        let mut app = App::new(loaded.notebook, Instant::now());
        app.theme = config.theme(std::env::var_os("NO_COLOR").as_deref());
        app.session_date_style = config.sessions.date_style;
        app.session_template = config.sessions.template.clone();
        app.git.settings = config.sync;
        app.health.settings = config.check;
        app.pages.settings = config.fetch;
        app.health.wall = Some((crate::health::now_secs(), Instant::now()));
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
        app.recoveries = journal.unsaved_leftovers();
        app.offer_recovery();
        let files = Files {
            root: dir,
            journal,
            health_cache: crate::health::cache::Cache::default_path(),
            pages: crate::pages::store::PageStore::default_dir(),
        };
        let (runtime, notices) = Runtime::new(files, Arc::new(SystemOpener::from_env(browser)));
        super::run(app, Keys::new(keymap), runtime, notices).context("terminal error")?;
        Ok(ExitCode::SUCCESS)
    }
}
