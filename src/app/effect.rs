//! What the app asks its runtime to do: the only way anything leaves `app`.

use std::path::PathBuf;

use super::overlay::Scope;
use crate::storage::journal::Entry;

/// A write of one byte range of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteRequest {
    /// Relative path.
    pub path: PathBuf,
    /// Hash of the file as last read.
    pub base_hash: u64,
    /// The range replaced.
    pub range: std::ops::Range<usize>,
    /// What goes there.
    pub text: String,
}

/// What takes back one of opsbook's writes (`u`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndoStep {
    /// Write back the bytes a write replaced.
    Write(WriteRequest),
    /// Remove a note opsbook made, if it is still as made.
    Remove {
        /// Relative path.
        path: PathBuf,
        /// Hash of the note as made.
        hash: u64,
    },
}

/// What a computed edit is, for what to say and select once it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// A new link, selected where it starts.
    NewLink,
    /// An action marked done or open again: what to say once written.
    Action(String),
    /// An earlier write undone (`u`): what it was.
    Undo(String),
    /// A link's URL rewritten (`F`): what to say, and where the link starts
    /// (before its URL) to keep it selected.
    Rewrite {
        /// The message once written.
        done: String,
        /// The link's offset in the note.
        link_offset: usize,
    },
}

/// Something the app asks its runtime to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Open a URL in the system browser.
    Open(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Search the scope for the query.
    Search(Scope, String),
    /// Read the notebook folder again.
    Reload,
    /// Write the editor's buffer.
    Save(WriteRequest),
    /// Write the editor's file anew, the old one gone from disk (never over a file).
    Recreate(WriteRequest),
    /// Write a computed edit (a new link, a rewritten URL).
    Write(WriteRequest, Written),
    /// Record the editor's unsaved buffer in the crash journal.
    Journal(Entry),
    /// Forget this instance's crash journal of a file (relative path).
    DropJournal(PathBuf),
    /// Forget what a dead instance left in the journal for a file (relative path).
    DropLeftover(PathBuf),
    /// Write text beside a file as `file.SUFFIX` (or `file.SUFFIX.1` …),
    /// never over an existing file; only once it is written, what follows.
    WriteCopy {
        /// Relative path of the file.
        path: PathBuf,
        /// `conflict`, `recovered`.
        suffix: &'static str,
        /// The text.
        text: String,
        /// Carried out once the copy is written (forgetting the journal).
        then: Vec<Effect>,
    },
    /// Remove a note opsbook made (`u`), only if it is as made; `what` says
    /// what is undone.
    RemoveNote {
        /// Relative path.
        path: PathBuf,
        /// Hash of the note as made.
        hash: u64,
        /// What was made, for the message.
        what: String,
    },
    /// Create a new note file (never over an existing one), then edit it.
    CreateNote {
        /// Relative path.
        path: PathBuf,
        /// First content.
        text: String,
    },
    /// Read one document again.
    ReloadDocument(PathBuf),
    /// Check these URLs in the background, with these settings.
    CheckLinks(Vec<String>),
    /// Fetch these URLs' pages in the background and keep their text.
    FetchPages(Vec<String>),
    /// Ask the page at this URL for its title (a link being added).
    FetchTitle(String),
    /// Ask git to do something (off the UI thread).
    Git(crate::sync::GitRequest),
    /// Open a file at a line in $VISUAL / $EDITOR.
    ExternalEdit {
        /// Relative path.
        path: PathBuf,
        /// 1-based line.
        line: u32,
    },
}
