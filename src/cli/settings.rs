//! `opsbook config` and `opsbook keys`: the settings and the key bindings in
//! effect, each with where it comes from.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::args::Cli;
use super::setup::{MISTAKE, expand_home, say};
use crate::config::{Config, user_config_path};
use crate::escape::visible;
use crate::keymap::{Keymap, Mode, keymap_file, keys_to_string, load_keymap, user_keymap_path};
use crate::storage as store;

/// `opsbook config`: every setting in effect, as lines that paste into
/// config.toml, each with where its value comes from.
pub fn config(args: &Cli) -> Result<ExitCode> {
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
            say(&mistake.to_string());
            return Ok(ExitCode::from(MISTAKE));
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
    writeln!(
        out,
        "# search's built-in vocabulary (words that stand for each other; add a team's own in [search] synonyms):"
    )?;
    for l in crate::search::relaxed::vocabulary_lines() {
        writeln!(out, "#   {l}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `opsbook keys`: the keymap in effect, a binding a line.
pub fn keys(args: &Cli) -> Result<ExitCode> {
    let file = keymap_file(args.keymap.as_deref());
    let keymap = match load_keymap(file.as_deref(), args.keymap_fallback) {
        Ok((keymap, warning)) => {
            if let Some(w) = &warning {
                say(w);
            }
            keymap
        }
        Err(mistake) => {
            say(&mistake.to_string());
            return Ok(ExitCode::from(MISTAKE));
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if let Some(file) = &file {
        writeln!(out, "# defaults merged with {}", file.display())?;
    } else if let Some(user) = user_keymap_path() {
        writeln!(
            out,
            "# defaults; your keymap would go in {}",
            user.display()
        )?;
    }
    print_bindings(&keymap, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_bindings(keymap: &Keymap, out: &mut dyn Write) -> io::Result<()> {
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
