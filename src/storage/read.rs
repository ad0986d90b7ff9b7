//! Reading notes with bounds: only regular files, their size checked before
//! reading, never more than the limit, and never blocking on a special file
//! (a FIFO, a device, `/proc/kmsg`) that a symlink or a rename put in the
//! notebook.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use thiserror::Error;

/// Files larger than this are skipped.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a note was not read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// Not a regular file.
    #[error("{0}, not a regular file")]
    NotRegular(&'static str),
    /// Over the size limit.
    #[error("{} MiB is over the 64 MiB limit", .0 / (1024 * 1024))]
    TooBig(u64),
    /// A read that would have waited, or failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// What a file that is not a regular file is, in a few words.
pub(super) fn file_kind(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

fn open(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO waits for a writer, and reading some special files
        // waits for data: neither may ever hold opsbook up.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The bytes of a regular file of at most `MAX_FILE_BYTES` (checked before
/// and while reading, so a file that grows meanwhile is caught too).
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_bounded_with_metadata(path).map(|(bytes, _)| bytes)
}

/// [`read_bounded`], with the metadata of the file read (from the open file,
/// so it is the file's even if the path changes meanwhile).
pub fn read_bounded_with_metadata(path: &Path) -> Result<(Vec<u8>, fs::Metadata), ReadError> {
    let file = open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(file_kind(meta.file_type())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooBig(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooBig(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_others_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("a.md");
        fs::write(&note, "# A\n").unwrap();
        assert_eq!(read_bounded(&note).unwrap(), b"# A\n");
        assert_eq!(
            read_bounded(dir.path()).unwrap_err().to_string(),
            "a folder, not a regular file"
        );
        #[cfg(unix)]
        {
            let fifo = dir.path().join("f.md");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            // No writer: a blocking open would wait here for ever.
            assert_eq!(
                read_bounded(&fifo).unwrap_err().to_string(),
                "a FIFO, not a regular file"
            );
            assert_eq!(
                read_bounded(Path::new("/dev/zero"))
                    .unwrap_err()
                    .to_string(),
                "a device, not a regular file"
            );
        }
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.md");
        let f = fs::File::create(&big).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert_eq!(
            read_bounded(&big).unwrap_err().to_string(),
            "64 MiB is over the 64 MiB limit"
        );
    }
}
