//! The headless commands: the arguments (`args`), what every command finds
//! first (`setup`), and a file per command or family of commands, each with
//! what it does; the formats they print in are data types of `format`.
//!
//! A command that writes to the notebook refuses to start on a mistake in
//! config.toml (the defaults could name another notebook); one that only
//! reads says the mistake and goes on.

pub mod args;
pub mod capture;
pub mod check;
pub mod fetch;
pub mod format;
pub mod postmortems;
pub mod print;
pub mod select;
pub mod settings;
pub mod setup;
pub mod sync;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

pub use args::{Cli, Command};
pub use setup::{MISTAKE, say};

/// Runs the headless command `command` with the options of `args`.
pub fn run(args: &Cli, command: &Command) -> Result<ExitCode> {
    match command {
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            args::completions(*shell, &mut out);
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir: None } => {
            let mut out = io::stdout().lock();
            args::man(&mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir: Some(dir) } => {
            args::man_pages(dir)
                .with_context(|| format!("cannot write the manual pages to {}", dir.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config => settings::config(args),
        Command::Keys => settings::keys(args),
        Command::Sync => sync::exec(args),
        Command::Add { .. } | Command::Jot { .. } | Command::Import { .. } => {
            capture::exec(args, command)
        }
        Command::Check { .. } => check::exec(args, command),
        Command::Fetch { .. } | Command::PageText { .. } => fetch::exec(args, command),
        Command::Postmortems { .. } | Command::New { .. } | Command::Actions { .. } => {
            postmortems::exec(args, command)
        }
        Command::Tree
        | Command::Links { .. }
        | Command::Search { .. }
        | Command::Sessions { .. }
        | Command::Page { .. } => print::exec(args, command),
    }
}
