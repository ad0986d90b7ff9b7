//! What sits over the views: the main area shows the tree, the search pane
//! or the editor; at most one overlay (help, a prompt, a question) takes the
//! keys above it. `App::mode` is derived from these, so no two can fight.

use std::path::PathBuf;

use super::action::Mode;
use super::editor::Editor;
use crate::notebook::NodeId;
use crate::search::Hit;
use crate::storage::journal::Entry;

/// What the main area shows.
pub enum Main {
    /// The navigation tree and the detail pane.
    Browse,
    /// The search pane.
    Search(Search),
    /// The editor pane beside the tree.
    Edit(Box<Editor>),
}

/// A layer over the main area that takes the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of a mode.
    Help {
        /// The mode described.
        mode: Mode,
        /// Scroll.
        scroll: u16,
    },
    /// A one-line prompt.
    Prompt(Prompt),
    /// Choosing between my lines and theirs, hunk by hunk.
    Merge(MergeView),
    /// A question, and the two versions it is about when the user looks.
    Question {
        /// What is asked.
        question: Question,
        /// Both versions shown (`b`), until closed.
        diff: Option<DiffView>,
    },
}

/// What the search pane searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Link text, URL and heading path.
    Links,
    /// All note text: headings, items, paragraphs.
    Notes,
}

/// The open search pane.
#[derive(Clone, Debug)]
pub struct Search {
    /// Links or notes.
    pub scope: Scope,
    /// As typed.
    pub query: String,
    /// Results of the newest answered query, best first.
    pub hits: Vec<Hit>,
    /// The query the hits answer.
    pub answered: Option<String>,
    /// The hits are all the matches, not the best found so far.
    pub complete: bool,
    /// Candidates in all.
    pub total: usize,
    /// Selected result.
    pub selected: usize,
    /// First result on screen.
    pub offset: usize,
}

impl Search {
    /// A new, empty search.
    pub fn new(scope: Scope, total: usize) -> Search {
        Search {
            scope,
            query: String::new(),
            hits: Vec::new(),
            answered: None,
            complete: false,
            total,
            selected: 0,
            offset: 0,
        }
    }

    /// Whether the shown results are for an older query than the one typed.
    pub fn is_refining(&self) -> bool {
        self.answered.as_deref() != Some(self.query.as_str()) || !self.complete
    }
}

/// A question waiting for an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Open a link whose host may pass for another.
    OpenSuspiciousHost {
        /// The URL.
        url: String,
        /// What the link reads as.
        decoded: String,
        /// The host on the wire.
        raw: String,
        /// Why it may deceive.
        why: String,
    },
    /// Open a link a check found dead? Its archived copy is offered.
    OpenDead {
        /// The URL.
        url: String,
        /// Why it is dead (`HTTP 404`).
        reason: String,
        /// The closest archived copy and its day, if one was found.
        archived: Option<(String, String)>,
        /// The link, to rewrite to the copy.
        link: Option<crate::notebook::LinkId>,
    },
    /// The file being saved changed on disk, and changed the lines I
    /// changed: merge hunk by hunk, reload, overwrite, or look.
    Conflict {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// What is on disk now.
        disk: String,
        /// Hunks changed on both sides.
        hunks: usize,
    },
    /// The file being edited is gone from disk: recreate it, save the text
    /// as a new note, or discard it.
    Gone {
        /// The file, relative to the notebook.
        path: PathBuf,
    },
    /// Throw away the editor's unsaved text? Asked once more.
    DiscardUnsaved {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// Lines that would be lost.
        lines: usize,
    },
    /// Overwriting would drop lines written on disk: say which, then ask.
    Overwrite {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// What is on disk now.
        disk: String,
        /// Lines on disk that my version does not have.
        drops: Vec<String>,
    },
    /// Unsaved text from an earlier run: recover, keep for later, discard.
    Recover {
        /// The journal entry (its file relative to the notebook).
        entry: Entry,
        /// The file is unchanged since: the text can go back where it was.
        in_place: bool,
        /// The text the entry would replace, as the file has it now.
        current: String,
    },
}

/// Where a new link goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkDest {
    /// At the end of a section's own items.
    Section {
        /// Document index.
        doc: usize,
        /// Heading node (or the root).
        node: NodeId,
    },
    /// Under a year heading of a post-mortem document.
    Postmortem {
        /// Document index.
        doc: usize,
    },
}

/// What a one-line prompt is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The title of today's session.
    SessionTitle {
        /// The calendar's document.
        doc: usize,
    },
    /// The URL of a new link.
    LinkUrl(LinkDest),
    /// Its title.
    LinkTitle(LinkDest, String),
    /// The year of a new postmortem link.
    LinkYear {
        /// Document index.
        doc: usize,
        /// The URL.
        url: String,
        /// The title.
        title: String,
    },
    /// The title of a new postmortem document.
    PostmortemTitle,
    /// The file name of a new note, and what goes in it (`None`: a heading).
    NoteName {
        /// The editor's text, saved as a new note.
        body: Option<String>,
    },
}

/// A one-line prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What it asks for.
    pub purpose: Purpose,
    /// The question shown.
    pub label: String,
    /// What has been typed.
    pub input: String,
}

/// A read-only view of two versions of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffView {
    /// Title.
    pub title: String,
    /// Unified diff lines.
    pub lines: Vec<String>,
    /// Scroll.
    pub scroll: u16,
}

/// Whose merge is being chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeTarget {
    /// The editor's save found the file changed on disk.
    Editor {
        /// What is on disk (theirs), to write over once chosen.
        disk: String,
    },
    /// A sync found a note changed on the same lines on both sides.
    Sync,
}

/// A merge being chosen: the pieces of the three-way merge and what the
/// user chose for each conflicting hunk so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeView {
    /// The file, relative to the notebook.
    pub path: PathBuf,
    /// Whose merge it is: the editor's save, or a sync.
    pub target: MergeTarget,
    /// The merge.
    pub merge: crate::notebook::merge::Merge,
    /// One per conflicting hunk, in order.
    pub choices: Vec<Option<crate::notebook::merge::Choice>>,
    /// The hunk shown.
    pub current: usize,
}
