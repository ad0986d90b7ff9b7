//! Writing notes safely: new files that never replace one, atomic
//! replacement, and byte-range edits checked against what was read.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::notebook::edit::{content_hash, splice};

/// Writes a new file and syncs it; fails if the file exists (nothing is ever
/// written over a file this way).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    io::Write::write_all(&mut f, bytes)?;
    f.sync_all()
}

/// Writes a file so that it is either all old or all new: a temporary file
/// in the same folder, flushed and synced, then renamed over the original.
/// The original's permissions are kept. A symlink is written through: its
/// target is replaced, beside the target, and the link stays a link. On any
/// failure the original is untouched.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_checked(path, bytes, |_| Ok(()))
}

/// `atomic_write` with a check run on the synced temporary file just before
/// the rename (tests use it to fail at the worst moment).
pub fn atomic_write_checked(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let path = target.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let permissions = fs::metadata(path).ok().map(|m| m.permissions());
    // The pid in the name lets a later start remove it if this process dies.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".opsbook-{}-", super::process::this()))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    io::Write::write_all(&mut tmp, bytes)?;
    io::Write::flush(&mut tmp)?;
    tmp.as_file().sync_all()?;
    if let Some(p) = permissions {
        fs::set_permissions(tmp.path(), p)?;
    }
    before_rename(tmp.path())?;
    // Dropping `tmp` on an error above removes the temporary file.
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = fs::File::open(dir) {
        // The rename itself is durable only once the folder is synced.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Why an edit was not written.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The file changed on disk since it was read: nothing was written.
    #[error("{path} changed on disk since it was read")]
    Conflict {
        /// The file.
        path: PathBuf,
        /// What the file holds now (lossy if it is no longer UTF-8).
        disk: String,
    },
    /// The file is read-only for opsbook (not UTF-8, or not writable).
    #[error("{0} is read-only: not written")]
    ReadOnly(PathBuf),
    /// The file is gone (deleted or moved by another program): nothing was written.
    #[error("{0} is gone from disk")]
    Gone(PathBuf),
    /// Reading or writing failed; the file is as it was.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// An advisory lock (`flock`) on the folder of a note, held while a write
/// reads, checks and replaces it. A folder is locked rather than the note,
/// since the rename puts a new file in the note's place; no lock file is
/// left in the notebook. Where it cannot be taken, writes go on unlocked.
pub struct FolderLock(Option<fs::File>);

impl FolderLock {
    /// Takes the lock of the folder `path` is in, waiting while another
    /// writer holds it; released when dropped.
    pub fn take(path: &Path) -> FolderLock {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let Ok(file) = fs::File::open(dir) else {
            return FolderLock(None);
        };
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // Blocks only while another writer's read-check-rename runs.
            loop {
                let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
                if r == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
        }
        FolderLock(Some(file))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(f) = &self.0 {
            use std::os::unix::io::AsRawFd;
            unsafe {
                libc::flock(f.as_raw_fd(), libc::LOCK_UN);
            }
        }
    }
}

/// Replaces the range of the file that `compute` chooses, given the file's
/// text as it is now, with the text it gives; all under the folder's lock,
/// so no other opsbook writer can change the file between the read and the
/// rename. `Ok(None)` when `compute` chose nothing. For writers that make
/// their edit from the file itself (`jot`, `add`) rather than from a buffer.
pub fn write_computed(
    path: &Path,
    compute: impl FnOnce(&str) -> Option<(std::ops::Range<usize>, String)>,
) -> Result<Option<String>, SaveError> {
    let io_err = |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let _lock = FolderLock::take(path);
    let current = super::read::read_bounded(path).map_err(|e| match e {
        super::read::ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound => {
            SaveError::Gone(path.to_path_buf())
        }
        super::read::ReadError::Io(e) => io_err(e),
        other => io_err(io::Error::other(other.to_string())),
    })?;
    if fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(SaveError::ReadOnly(path.to_path_buf()));
    }
    let current =
        String::from_utf8(current).map_err(|_| SaveError::ReadOnly(path.to_path_buf()))?;
    let Some((range, text)) = compute(&current) else {
        return Ok(None);
    };
    if range.end > current.len()
        || range.start > range.end
        || !current.is_char_boundary(range.start)
        || !current.is_char_boundary(range.end)
    {
        return Ok(None);
    }
    let new = splice(&current, range, &text);
    atomic_write(path, new.as_bytes()).map_err(io_err)?;
    Ok(Some(new))
}

/// Replaces `range` of the file with `text`, if the file still hashes to
/// `base_hash`. Returns the new content.
pub fn write_edit(
    path: &Path,
    base_hash: u64,
    range: std::ops::Range<usize>,
    text: &str,
) -> Result<String, SaveError> {
    let io_err = |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Every opsbook writer (the UI's saves, `jot`, `add`, `check --fix`)
    // takes the folder's lock for its read, check and rename: two writers
    // at once never both pass the check and one lose the other's bytes.
    let _lock = FolderLock::take(path);
    let current = super::read::read_bounded(path).map_err(|e| match e {
        super::read::ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound => {
            SaveError::Gone(path.to_path_buf())
        }
        super::read::ReadError::Io(e) => io_err(e),
        other => io_err(io::Error::other(other.to_string())),
    })?;
    let conflict = |bytes: &[u8]| SaveError::Conflict {
        path: path.to_path_buf(),
        disk: String::from_utf8_lossy(bytes).into_owned(),
    };
    if content_hash(&current) != base_hash {
        return Err(conflict(&current));
    }
    // A file made read-only since it was read (`chmod 444`) is not replaced.
    if fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(SaveError::ReadOnly(path.to_path_buf()));
    }
    let current =
        String::from_utf8(current).map_err(|_| SaveError::ReadOnly(path.to_path_buf()))?;
    if range.end > current.len()
        || !current.is_char_boundary(range.start)
        || !current.is_char_boundary(range.end)
    {
        return Err(conflict(current.as_bytes()));
    }
    let new = splice(&current, range, text);
    atomic_write(path, new.as_bytes()).map_err(io_err)?;
    Ok(new)
}
