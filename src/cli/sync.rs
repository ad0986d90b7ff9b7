//! `opsbook sync`: commit, pull (merging three ways), push.

use std::process::ExitCode;

use anyhow::Result;

use super::args::Cli;
use super::setup::{notebook_dir, say, settings_to_write};
use crate::escape::visible;

/// Exit code of a sync that left notes changed on the same lines on both sides.
pub const SYNC_CONFLICT: u8 = 3;

/// Syncs the notebook and says what happened.
pub fn exec(args: &Cli) -> Result<ExitCode> {
    let config = match settings_to_write() {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
    Ok(match crate::sync::sync(&dir) {
        Ok(report) => {
            println!("{}", visible(&report.summary()));
            if report.conflicts.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(SYNC_CONFLICT)
            }
        }
        Err(e) => {
            say(&format!("sync: {e}"));
            ExitCode::FAILURE
        }
    })
}
