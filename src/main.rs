//! The `opsbook` binary: parse arguments, load the notebook, run a command or the UI.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};

use opsbook::cli::{self, Cli, Command};
use opsbook::notebook::store::{self, Loaded};

fn main() -> ExitCode {
    let args = Cli::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("opsbook: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

fn notebook_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = arg {
        return Ok(dir);
    }
    let dir = store::default_notebook_dir()
        .context("no home folder to keep the notebook in; pass --notebook DIR")?;
    if !dir.exists() {
        store::create_from_examples(&dir)
            .with_context(|| format!("cannot create the notebook folder {}", dir.display()))?;
        eprintln!(
            "opsbook: created a new notebook with the bundled examples in {}",
            dir.display()
        );
    }
    Ok(dir)
}

fn load(dir: &Path) -> Result<Option<Loaded>> {
    let loaded = store::load(dir)?;
    for p in &loaded.problems {
        eprintln!("opsbook: {p}");
    }
    let nothing_loaded = loaded.notebook.documents.is_empty();
    if nothing_loaded && loaded.problems.iter().any(|p| p.skipped) {
        eprintln!("opsbook: nothing could be loaded from {}", dir.display());
        return Ok(None);
    }
    Ok(Some(loaded))
}

fn run(args: Cli) -> Result<ExitCode> {
    let Some(command) = &args.command else {
        Cli::command().print_help()?;
        return Ok(ExitCode::SUCCESS);
    };
    let dir = notebook_dir(args.notebook.clone())?;
    let Some(loaded) = load(&dir)? else {
        return Ok(ExitCode::FAILURE);
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    cli::run(&loaded.notebook, command, &mut out)?;
    out.flush()?;
    let _ = Command::Keys;
    Ok(ExitCode::SUCCESS)
}
