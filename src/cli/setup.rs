//! What every command and the UI find first: the settings, the notebook
//! folder, the notebook itself; each problem said in one line on stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::config::{Config, user_config_path};
use crate::escape::visible;
use crate::storage::{self as store, Loaded};

/// Exit code of a mistake in what was asked or in a settings file.
pub const MISTAKE: u8 = 2;

/// Says one line on stderr, made safe for the terminal.
pub fn say(line: &str) {
    eprintln!("opsbook: {}", visible(line));
}

/// The user's settings for a command that only reads: a mistake is said,
/// and every other setting used.
pub fn settings_to_read() -> Config {
    let Some(path) = user_config_path() else {
        return Config::default();
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Config::default(),
        Err(e) => {
            say(&format!(
                "{}: cannot read: {e} (using the default settings)",
                path.display()
            ));
            return Config::default();
        }
    };
    let (config, mistake) = Config::parse_lenient(&text, &path.display().to_string());
    if let Some(m) = mistake {
        say(&format!("{m} (using the other settings)"));
    }
    config
}

/// The user's settings for a command that writes, or the UI: a mistake is
/// said and stops it (the exit code is returned), since the defaults could
/// name another notebook.
pub fn settings_to_write() -> Result<Config, ExitCode> {
    match user_config_path().map(|p| Config::load(&p)) {
        Some(Ok(c)) => Ok(c),
        Some(Err(mistake)) => {
            say(&mistake.to_string());
            Err(ExitCode::from(MISTAKE))
        }
        None => Ok(Config::default()),
    }
}

/// The notebook folder (`--notebook`, else the config's, else the default),
/// and whether it was just created from the examples.
/// The config is asked only when `--notebook` is not given.
pub fn notebook_dir(
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
pub fn expand_home(p: &Path) -> PathBuf {
    match (p.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(base)) => base.home_dir().join(rest),
        _ => p.to_path_buf(),
    }
}

/// The notebook in `dir`, each file's problem said; `None` when nothing
/// could be loaded.
pub fn load(dir: &Path) -> Result<Option<Loaded>> {
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
