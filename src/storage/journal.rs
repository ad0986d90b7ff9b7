//! The crash journal: while an editor buffer is unsaved, its text is kept in
//! the user's data folder (never in the notebook), so a crash or a kill
//! loses at most the last moment of typing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write::atomic_write;
use crate::notebook::edit::content_hash;

/// One unsaved buffer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The note, relative to the notebook (absolute in the journal's files,
    /// so that two notebooks never share an entry).
    pub file: PathBuf,
    /// Hash of the whole file when the editor read it.
    pub base_hash: u64,
    /// First byte of the edited range in that file.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Written before the text when saving (a line ending the file lacked).
    pub prefix: String,
    /// The buffer.
    pub text: String,
}

/// The folder of journal entries, for one notebook.
#[derive(Clone, Debug)]
pub struct Journal {
    dir: PathBuf,
    /// The notebook folder, canonical: entries are keyed by absolute path.
    root: PathBuf,
}

impl Journal {
    /// A journal kept in `dir` for the notebook in `root`.
    pub fn new(dir: PathBuf, root: &Path) -> Journal {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Journal { dir, root }
    }

    /// The journal in the user's data folder.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "opsbook").map(|d| d.data_dir().join("journal"))
    }

    fn entry_path(&self, relative: &Path) -> PathBuf {
        let file = self.root.join(relative);
        let key = content_hash(file.to_string_lossy().as_bytes());
        self.dir.join(format!("{key:016x}.json"))
    }

    /// Records a buffer (replacing the previous record of the same file).
    pub fn write(&self, entry: &Entry) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let stored = Entry {
            file: self.root.join(&entry.file),
            ..entry.clone()
        };
        let json = serde_json::to_vec(&stored).map_err(io::Error::other)?;
        atomic_write(&self.entry_path(&entry.file), &json)
    }

    /// Forgets the buffer of a file (after a successful save).
    pub fn remove(&self, relative: &Path) -> io::Result<()> {
        match fs::remove_file(self.entry_path(relative)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Entries left by an earlier run for files of this notebook, with
    /// paths relative to it.
    pub fn leftovers(&self) -> Vec<Entry> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<Entry> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| fs::read(e.path()).ok())
            .filter_map(|b| serde_json::from_slice::<Entry>(&b).ok())
            .filter_map(|e| {
                let file = e.file.strip_prefix(&self.root).ok()?.to_path_buf();
                Some(Entry { file, ..e })
            })
            .collect();
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_written_listed_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let notes = tmp.path().join("notes");
        fs::create_dir_all(&notes).unwrap();
        let j = Journal::new(tmp.path().join("journal"), &notes);
        let e = Entry {
            file: PathBuf::from("plan.md"),
            base_hash: 7,
            start: 3,
            end: 9,
            prefix: String::new(),
            text: "- typed\n".into(),
        };
        j.write(&e).unwrap();
        assert_eq!(j.leftovers(), vec![e.clone()]);
        let elsewhere = Journal::new(tmp.path().join("journal"), Path::new("/elsewhere"));
        assert_eq!(elsewhere.leftovers(), vec![]);
        j.remove(&e.file).unwrap();
        assert_eq!(j.leftovers(), vec![]);
        j.remove(&e.file).unwrap();
    }
}
