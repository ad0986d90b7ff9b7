//! The `opsbook` binary: parse the arguments, then run a headless command
//! or open the terminal UI.

use std::io;
use std::process::ExitCode;

use clap::Parser;

use opsbook::cli::{self, Cli};
use opsbook::escape::visible;
use opsbook::tui;

fn main() -> ExitCode {
    let args = Cli::parse();
    let outcome = match &args.command {
        Some(command) => cli::run(&args, command),
        None => tui::start::start(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("opsbook: {}", visible(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

/// A reader that closed the pipe early (`opsbook links | head`) is no error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
