//! Carrying out the app's file effects: saves, link writes, the crash
//! journal, conflict copies, new notes. Used by the runtime and by tests,
//! so both go through the same code.

use std::fs;
use std::path::{Path, PathBuf};

use crate::app::App;
use crate::app::state::{Effect, WriteRequest};
use crate::notebook::journal::Journal;
use crate::notebook::store::{self, SaveError};

/// Where files go.
pub struct Files {
    /// The notebook folder.
    pub root: PathBuf,
    /// The crash journal.
    pub journal: Journal,
}

fn write(files: &Files, req: &WriteRequest) -> Result<String, SaveError> {
    store::write_edit(
        &files.root.join(&req.path),
        req.base_hash,
        req.range.clone(),
        &req.text,
    )
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

/// Carries out one effect if it is a file effect; gives it back otherwise.
/// Effects that follow from it are returned for the caller to carry out.
pub fn perform(app: &mut App, files: &Files, effect: Effect) -> Result<Vec<Effect>, Effect> {
    Ok(match effect {
        Effect::Save(req) => {
            let result = write(files, &req);
            app.save_finished(result)
        }
        Effect::Write(req) => {
            let result = write(files, &req);
            app.write_finished(req, result)
        }
        Effect::Journal(entry) => {
            if let Err(e) = files.journal.write(&entry) {
                app.warn(format!("cannot write the recovery journal: {e}"));
            }
            Vec::new()
        }
        Effect::DropJournal(file) => {
            if let Err(e) = files.journal.remove(&file) {
                app.warn(format!("cannot clear the recovery journal: {e}"));
            }
            Vec::new()
        }
        Effect::WriteCopy { path, suffix, text } => {
            let target = free_copy_path(&files.root.join(&path), suffix);
            if let Err(e) = store::write_new(&target, text.as_bytes()) {
                app.warn(format!("cannot write {}: {e}", target.display()));
            }
            Vec::new()
        }
        Effect::CreateNote { path, text } => {
            let file = files.root.join(&path);
            let created = file
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| store::write_new(&file, text.as_bytes()));
            match created
                .map_err(|e| e.to_string())
                .and_then(|()| store::reload_document(&files.root, &path))
            {
                Ok(doc) => app.note_created(doc),
                Err(e) => app.warn(format!("cannot create {}: {e}", path.display())),
            }
            Vec::new()
        }
        Effect::ReloadDocument(path) => {
            match store::reload_document(&files.root, &path) {
                Ok(doc) => app.document_reloaded(doc),
                Err(e) => app.warn(format!("cannot read {} again: {e}", path.display())),
            }
            Vec::new()
        }
        other => return Err(other),
    })
}
