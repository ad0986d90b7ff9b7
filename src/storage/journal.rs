//! The crash journal: while an editor buffer is unsaved, its text is kept in
//! the user's data folder (never in the notebook), so a crash or a kill
//! loses at most the last moment of typing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::process;
use super::write::atomic_write;

fn remove_if_there(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
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
    /// The instance whose entries this writes: its pid and start time, so
    /// that a dead instance's pid handed to another program does not keep
    /// its unsaved text from being offered.
    instance: process::Instance,
}

impl Journal {
    /// A journal kept in `dir` for the notebook in `root`.
    pub fn new(dir: PathBuf, root: &Path) -> Journal {
        Journal::as_instance(dir, root, process::Instance::this())
    }

    /// A journal writing as the process `pid` (tests play a process that
    /// dies); its start time unknown.
    pub fn for_instance(dir: PathBuf, root: &Path, pid: u32) -> Journal {
        let instance = process::Instance { pid, started: 0 };
        Journal::as_instance(dir, root, instance)
    }

    /// A journal writing as `instance`.
    pub fn as_instance(dir: PathBuf, root: &Path, instance: process::Instance) -> Journal {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Journal {
            dir,
            root,
            instance,
        }
    }

    /// The journal in the user's data folder.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "opsbook").map(|d| d.data_dir().join("journal"))
    }

    /// This instance's entry for a file: keyed by its path and this
    /// process, so two instances editing one file never share an entry.
    fn entry_path(&self, relative: &Path) -> PathBuf {
        let file = self.root.join(relative);
        let key = content_hash(file.to_string_lossy().as_bytes());
        let who = match self.instance.started {
            0 => self.instance.pid.to_string(),
            _ => self.instance.label(),
        };
        self.dir.join(format!("{key:016x}-{who}.json"))
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

    /// Forgets this instance's buffer of a file (after a successful save).
    pub fn remove(&self, relative: &Path) -> io::Result<()> {
        remove_if_there(&self.entry_path(relative))
    }

    /// Forgets a leftover entry of a dead instance (recovered or discarded).
    pub fn remove_leftover(&self, relative: &Path) -> io::Result<()> {
        let file = self.root.join(relative);
        let key = format!("{:016x}", content_hash(file.to_string_lossy().as_bytes()));
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Ok(());
        };
        for e in dir.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(&key) else {
                continue;
            };
            let owner = rest
                .strip_prefix('-')
                .and_then(|r| r.strip_suffix(".json"))
                .and_then(process::Instance::parse);
            if owner.is_none_or(|o| !self.is_me(o) && !o.alive()) {
                remove_if_there(&e.path())?;
            }
        }
        Ok(())
    }

    /// Leftover entries whose text is not in their file, offered back; those
    /// whose text already is (a kill between a save's rename and the
    /// journal's clean-up) are dropped, as nothing of them is lost.
    pub fn unsaved_leftovers(&self) -> Vec<Entry> {
        let (saved, unsaved): (Vec<Entry>, Vec<Entry>) =
            self.leftovers().into_iter().partition(|e| self.in_file(e));
        for e in saved {
            let _ = self.remove_leftover(&e.file);
        }
        unsaved
    }

    /// Whether a file holds an entry's text where the entry would put it.
    fn in_file(&self, e: &Entry) -> bool {
        let Ok(bytes) = super::read_bounded(&self.root.join(&e.file)) else {
            return false;
        };
        let written = format!("{}{}", e.prefix, e.text);
        bytes
            .get(e.start..)
            .is_some_and(|rest| rest.starts_with(written.as_bytes()))
    }

    /// Whether an entry's owner is this journal's instance.
    fn is_me(&self, owner: process::Instance) -> bool {
        owner.pid == self.instance.pid
            && (owner.started == 0
                || self.instance.started == 0
                || owner.started == self.instance.started)
    }

    /// Entries left by instances no longer running (never a live one's) for
    /// files of this notebook, with paths relative to it.
    pub fn leftovers(&self) -> Vec<Entry> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<Entry> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                // `key-pid-started.json` (`key-pid.json` before start times
                // were kept, `key.json` before pids were).
                name.split_once('-')
                    .and_then(|(_, rest)| rest.strip_suffix(".json"))
                    .and_then(process::Instance::parse)
                    .is_none_or(|o| !self.is_me(o) && !o.alive())
            })
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
        // Written by an instance that has since died (a pid no kernel hands out).
        let j = Journal::for_instance(tmp.path().join("journal"), &notes, 2_147_483_000);
        let next = Journal::new(tmp.path().join("journal"), &notes);
        let e = Entry {
            file: PathBuf::from("plan.md"),
            base_hash: 7,
            start: 3,
            end: 9,
            prefix: String::new(),
            text: "- typed\n".into(),
        };
        j.write(&e).unwrap();
        assert_eq!(next.leftovers(), vec![e.clone()]);
        let elsewhere = Journal::new(tmp.path().join("journal"), Path::new("/elsewhere"));
        assert_eq!(elsewhere.leftovers(), vec![]);
        // A live instance's entries are never offered nor removed by another.
        let live = Journal::new(tmp.path().join("journal"), &notes);
        let other = Journal::for_instance(tmp.path().join("journal"), &notes, 1);
        let theirs = Entry {
            text: "- theirs\n".into(),
            ..e.clone()
        };
        other.write(&theirs).unwrap();
        assert_eq!(live.leftovers(), vec![e.clone()], "pid 1 is alive");
        live.remove(&e.file).unwrap();
        next.remove_leftover(&e.file).unwrap();
        assert_eq!(next.leftovers(), vec![]);
        assert!(
            tmp.path().join("journal").read_dir().unwrap().count() == 1,
            "pid 1's entry stays"
        );
        j.remove(&e.file).unwrap();
    }

    #[test]
    fn a_leftover_whose_text_the_file_holds_is_not_offered() {
        let tmp = tempfile::tempdir().unwrap();
        let notes = tmp.path().join("notes");
        fs::create_dir_all(&notes).unwrap();
        fs::write(notes.join("plan.md"), "# Plan\n- saved line\n- next\n").unwrap();
        let dead = Journal::for_instance(tmp.path().join("journal"), &notes, 2_147_483_000);
        let saved = Entry {
            file: PathBuf::from("plan.md"),
            base_hash: 7,
            start: 7,
            end: 7,
            prefix: String::new(),
            text: "- saved line\n".into(),
        };
        dead.write(&saved).unwrap();
        let next = Journal::new(tmp.path().join("journal"), &notes);
        assert_eq!(next.unsaved_leftovers(), vec![]);
        assert_eq!(tmp.path().join("journal").read_dir().unwrap().count(), 0);
        // Text the file does not hold is offered.
        let lost = Entry {
            text: "- never saved\n".into(),
            ..saved
        };
        dead.write(&lost).unwrap();
        assert_eq!(next.unsaved_leftovers(), vec![lost]);
    }

    #[test]
    fn a_dead_instances_pid_given_to_another_program_does_not_hide_its_text() {
        let tmp = tempfile::tempdir().unwrap();
        let notes = tmp.path().join("notes");
        fs::create_dir_all(&notes).unwrap();
        // The instance that died had pid 1's number, but started at another
        // time: pid 1 now is some other program.
        let init_started = process::start_time(1).unwrap_or(1);
        let dead = process::Instance {
            pid: 1,
            started: init_started + 12_345,
        };
        let j = Journal::as_instance(tmp.path().join("journal"), &notes, dead);
        let e = Entry {
            file: PathBuf::from("plan.md"),
            base_hash: 7,
            start: 0,
            end: 0,
            prefix: String::new(),
            text: "- unsaved\n".into(),
        };
        j.write(&e).unwrap();
        let next = Journal::new(tmp.path().join("journal"), &notes);
        assert_eq!(next.leftovers(), vec![e.clone()]);
        next.remove_leftover(&e.file).unwrap();
        assert_eq!(next.leftovers(), vec![]);
    }
}
