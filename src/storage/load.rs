//! Reading a notebook folder from disk, and the bundled example notebook.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use thiserror::Error;

use crate::notebook::document::parse_document_in;
use crate::notebook::{Document, Notebook, is_note};

use super::write::write_new;

pub use super::read::MAX_FILE_BYTES;
use super::read::{file_kind, read_bounded_with_metadata};

/// The bundled example notebook, embedded in the binary.
pub const EXAMPLES: [(&str, &str); 3] = [
    (
        "lunch-and-learn.md",
        include_str!("../../data/lunch-and-learn.md"),
    ),
    ("plan.md", include_str!("../../data/plan.md")),
    (
        "reinvent-notes.md",
        include_str!("../../data/reinvent-notes.md"),
    ),
];

/// Why a notebook could not be loaded at all.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The folder does not exist.
    #[error("notebook folder not found: {0}")]
    NotFound(PathBuf),
    /// The path is a file, not a folder.
    #[error("not a folder: {0}")]
    NotAFolder(PathBuf),
    /// The folder exists but cannot be read.
    #[error("cannot read notebook folder {path}: {source}")]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// Something wrong with one file; the rest of the notebook still loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the notebook when possible.
    pub path: PathBuf,
    /// What is wrong, in a few words.
    pub message: String,
    /// The file was not loaded at all.
    pub skipped: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// A loaded notebook with what went wrong on the way.
pub struct Loaded {
    /// The notebook.
    pub notebook: Notebook,
    /// Files skipped or loaded with a caveat.
    pub problems: Vec<Problem>,
}

/// Loads every note under `root`, recursively, in a stable order.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    let meta = fs::metadata(root).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => LoadError::NotFound(root.to_path_buf()),
        _ => LoadError::Unreadable {
            path: root.to_path_buf(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    fs::read_dir(root).map_err(|e| LoadError::Unreadable {
        path: root.to_path_buf(),
        source: e,
    })?;

    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // Hidden folders (.git, .obsidian) hold no notes of the user's.
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && is_note(e.path()) => files.push(e.into_path()),
            // A FIFO, a device or a socket named like a note (or a symlink
            // to one, `/dev/zero`) is never opened, and the user is told.
            Ok(e) if !e.file_type().is_dir() && is_note(e.path()) => problems.push(Problem {
                path: relative(e.path()),
                message: format!("skipped: {}, not a regular file", file_kind(e.file_type())),
                skipped: true,
            }),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(relative).unwrap_or_else(|| PathBuf::from("."));
                let message = if let Some(ancestor) = e.loop_ancestor() {
                    format!("skipped: symlink loop back to {}", ancestor.display())
                } else {
                    format!(
                        "skipped: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    )
                };
                problems.push(Problem {
                    path,
                    message,
                    skipped: true,
                });
            }
        }
    }

    // Each document is shared (`Arc`) where it is parsed: no list of whole
    // documents is built and then copied.
    let results: Vec<Result<Note<Arc<Document>>, Problem>> = files
        .par_iter()
        .map(|path| read_note(path, relative(path)).map(Note::shared))
        .collect();
    drop(files);
    let mut documents: Vec<Arc<Document>> = Vec::with_capacity(results.len());
    // A note reached twice (through a symlink) is loaded once, at its first
    // path: the file's identity comes from the open file, no path walk.
    let mut seen: std::collections::HashMap<(u64, u64), usize> = Default::default();
    for result in results {
        let note = match result {
            Ok(note) => note,
            Err(skipped) => {
                problems.push(skipped);
                continue;
            }
        };
        if let Some(id) = note.identity {
            if let Some(&first) = seen.get(&id) {
                problems.push(Problem {
                    path: note.doc.path.clone(),
                    message: format!(
                        "skipped: the same file as {}",
                        documents[first].path.display()
                    ),
                    skipped: true,
                });
                continue;
            }
            seen.insert(id, documents.len());
        }
        documents.push(note.doc);
        problems.extend(note.problem);
    }
    Ok(Loaded {
        notebook: Notebook::from_shared(root.to_path_buf(), documents),
        problems,
    })
}

/// The bytes as text if they are UTF-8, validated with SIMD (simdutf8):
/// checking 137 MB is a noticeable part of a load with the standard library's.
fn text(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: simdutf8 has just checked that the bytes are valid UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// A note read: the document, what to say about it, and the file's identity
/// (device and inode) where the system tells it.
struct Note<D> {
    doc: D,
    problem: Option<Problem>,
    identity: Option<(u64, u64)>,
}

impl Note<Document> {
    /// The note with its document shared.
    fn shared(self) -> Note<Arc<Document>> {
        Note {
            doc: Arc::new(self.doc),
            problem: self.problem,
            identity: self.identity,
        }
    }
}

/// Reads and parses one note; a note that cannot be read is its problem.
fn read_note(path: &Path, relative: PathBuf) -> Result<Note<Document>, Problem> {
    let problem = |message: String, skipped: bool| Problem {
        path: relative.clone(),
        message,
        skipped,
    };
    let (bytes, meta) = match read_bounded_with_metadata(path) {
        Ok(b) => b,
        Err(e) => return Err(problem(format!("skipped: {e}"), true)),
    };
    if memchr::memchr(0, &bytes).is_some() {
        return Err(problem(
            "skipped: binary file (contains NUL bytes)".into(),
            true,
        ));
    }
    let writable = !meta.permissions().readonly();
    #[cfg(unix)]
    let identity = {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    };
    #[cfg(not(unix))]
    let identity = None;
    let (source, lossy) = match text(bytes) {
        Ok(source) => (source, false),
        Err(bytes) => (String::from_utf8_lossy(&bytes).into_owned(), true),
    };
    // A read-only file is not a problem until someone tries to edit it.
    let doc = parse_document_in(relative.clone(), source, lossy || !writable, this_year());
    let mut said = Vec::new();
    if lossy {
        said.push("not valid UTF-8: loaded with replacement characters, read-only".to_string());
    }
    said.extend(doc.warnings.iter().cloned());
    let problem = (!said.is_empty()).then(|| problem(said.join("; "), false));
    Ok(Note {
        doc,
        problem,
        identity,
    })
}

/// The notebook folder used when none is given: `notebook` in the user's data folder.
pub fn default_notebook_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "opsbook").map(|d| d.data_dir().join("notebook"))
}

/// Creates `dir` holding the bundled examples. Existing files are never overwritten.
pub fn create_from_examples(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (name, text) in EXAMPLES {
        match write_new(&dir.join(name), text.as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// The current year, the latest a link's item can name.
fn this_year() -> u16 {
    u16::try_from(jiff::Zoned::now().year()).unwrap_or(crate::notebook::document::LATEST_YEAR)
}

/// Loads one document again after a write; the error is the file's problem.
pub fn reload_document(root: &Path, relative: &Path) -> Result<Document, Problem> {
    read_note(&root.join(relative), relative.to_path_buf()).map(|note| note.doc)
}
