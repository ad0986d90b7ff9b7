//! Everything the UI shows, and nothing about how it is drawn.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::editor::Editor;
use super::tree::{Index, LinkOrder, Row, Target, View, flatten};
use crate::keymap::{KeyPress, Keymap, Mode};
use crate::notebook::NodeId;
use crate::notebook::edit::Date;
use crate::notebook::journal::Entry;
use crate::notebook::{Bucket, Notebook};
use crate::search::{Hit, LinkCorpus, NoteCorpus};
use std::path::PathBuf;

/// How long a message stays in the status bar.
pub const MESSAGE_TTL: Duration = Duration::from_secs(5);

/// The navigation pane of one view.
#[derive(Clone, Debug, Default)]
pub struct Pane {
    /// Rows whose children are shown.
    pub expanded: HashSet<Target>,
    /// The visible rows.
    pub rows: Vec<Row>,
    /// Index of the selected row.
    pub selected: usize,
    /// Index of the first row on screen.
    pub offset: usize,
}

impl Pane {
    /// The selected row's target.
    pub fn selected_target(&self) -> Option<Target> {
        self.rows.get(self.selected).map(|r| r.target)
    }
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
        /// The host as read.
        decoded: String,
        /// The host on the wire.
        raw: String,
    },
    /// The file being saved changed on disk: reload, overwrite, or look.
    Conflict {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// What is on disk now.
        disk: String,
    },
    /// Unsaved text from an earlier run: recover, keep for later, discard.
    Recover {
        /// The journal entry.
        entry: Entry,
        /// The file, relative to the notebook.
        path: PathBuf,
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
    /// The file name of a new note.
    NoteName,
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

/// A line in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// What to say.
    pub text: String,
    /// Shown in the error colour.
    pub error: bool,
    /// When it was said.
    pub at: Instant,
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
    /// Write a computed edit (a new link).
    Write(WriteRequest),
    /// Record the editor's unsaved buffer in the crash journal.
    Journal(Entry),
    /// Forget the crash journal of a file (absolute path).
    DropJournal(PathBuf),
    /// Write text beside a file as `file.SUFFIX`, never over an existing file.
    WriteCopy {
        /// Relative path of the file.
        path: PathBuf,
        /// `conflict`, `recovered`.
        suffix: &'static str,
        /// The text.
        text: String,
    },
    /// Create a new note file (never over an existing one).
    CreateNote {
        /// Relative path.
        path: PathBuf,
        /// First content.
        text: String,
    },
    /// Read one document again.
    ReloadDocument(PathBuf),
    /// Open a file at a line in $VISUAL / $EDITOR.
    ExternalEdit {
        /// Relative path.
        path: PathBuf,
        /// 1-based line.
        line: u32,
    },
}

/// The whole state of the terminal UI.
pub struct App {
    /// The notebook shown.
    pub notebook: Arc<Notebook>,
    /// Indexes for the views.
    pub index: Index,
    /// Searchable links.
    pub links: Arc<LinkCorpus<Arc<Notebook>>>,
    /// Searchable note text.
    pub notes: Arc<NoteCorpus<Arc<Notebook>>>,
    /// Key bindings.
    pub keymap: Arc<Keymap>,
    /// The view shown.
    pub view: View,
    /// One navigation pane per view, in `View::ALL` order.
    pub panes: [Pane; 4],
    /// Order of the Links view.
    pub link_order: LinkOrder,
    /// The search pane, when open.
    pub search: Option<Search>,
    /// The help overlay, when open: the mode it describes and its scroll.
    pub help: Option<(Mode, u16)>,
    /// A question, when one is asked.
    pub question: Option<Question>,
    /// The status-bar message.
    pub message: Option<Message>,
    /// Keys of an unfinished sequence.
    pub pending: Vec<KeyPress>,
    /// Scroll of the detail pane.
    pub detail_scroll: u16,
    /// Rows the navigation pane shows (set from the terminal size).
    pub nav_height: usize,
    /// Rows the search results show.
    pub results_height: usize,
    /// Set when the user quits.
    pub quit: bool,
    /// The editor pane, when open.
    pub editor: Option<Editor>,
    /// A one-line prompt, when open.
    pub prompt: Option<Prompt>,
    /// Two versions side by side, when shown.
    pub diff: Option<DiffView>,
    /// Unsaved text of earlier runs still to offer.
    pub recoveries: Vec<Entry>,
    /// Today's date (set by the runtime; tests set their own).
    pub today: Date,
    /// The last write to a file: where, how many bytes it replaced and with how
    /// many — so rows after it keep their selection when the file is re-read.
    pub last_write: Option<(PathBuf, usize, usize, usize)>,
    /// A link just added, to select once its file is re-read (path, offset).
    pub reveal_link: Option<(PathBuf, usize)>,
}

impl App {
    /// The app over a notebook, in the Postmortems view.
    pub fn new(notebook: Notebook, keymap: Keymap) -> App {
        let notebook = Arc::new(notebook);
        let index = Index::new(&notebook);
        let mut app = App {
            links: Arc::new(LinkCorpus(Arc::clone(&notebook))),
            notes: Arc::new(NoteCorpus::new(Arc::clone(&notebook))),
            notebook,
            index,
            keymap: Arc::new(keymap),
            view: View::Postmortems,
            panes: Default::default(),
            link_order: LinkOrder::Document,
            search: None,
            help: None,
            question: None,
            message: None,
            pending: Vec::new(),
            detail_scroll: 0,
            nav_height: 20,
            results_height: 10,
            quit: false,
            editor: None,
            prompt: None,
            diff: None,
            recoveries: Vec::new(),
            today: Date {
                year: 2026,
                month: 1,
                day: 1,
            },
            last_write: None,
            reveal_link: None,
        };
        app.open_defaults();
        app
    }

    /// Opens what a first look wants: every postmortem year, the newest
    /// session year; selects the first link of the newest year.
    fn open_defaults(&mut self) {
        let pm = &mut self.panes[View::Postmortems.index()];
        for (b, _) in &self.index.buckets {
            pm.expanded.insert(Target::Bucket(*b));
        }
        if let Some((y, _)) = self.index.session_years.first() {
            self.panes[View::Sessions.index()]
                .expanded
                .insert(Target::SessionYear(*y));
        }
        for v in View::ALL {
            self.rebuild(v);
        }
        let pm = &mut self.panes[View::Postmortems.index()];
        if pm.rows.len() > 1 && matches!(pm.rows[0].target, Target::Bucket(Bucket::Year(_))) {
            pm.selected = 1;
        }
        let sessions = &mut self.panes[View::Sessions.index()];
        if let Some(first) = sessions
            .rows
            .iter()
            .position(|r| matches!(r.target, Target::Session(..)))
        {
            sessions.selected = first;
        }
    }

    /// Puts a new notebook and its indexes in place.
    pub(super) fn replace_notebook(&mut self, notebook: Notebook) {
        let notebook = Arc::new(notebook);
        self.index = Index::new(&notebook);
        self.links = Arc::new(LinkCorpus(Arc::clone(&notebook)));
        self.notes = Arc::new(NoteCorpus::new(Arc::clone(&notebook)));
        self.notebook = notebook;
        // Views are rebuilt by the caller, which knows what to keep open.
        if let Some(s) = &mut self.search {
            s.hits.clear();
            s.answered = None;
        }
    }

    /// The pane of the current view.
    pub fn pane(&self) -> &Pane {
        &self.panes[self.view.index()]
    }

    /// The pane of the current view, to change.
    pub fn pane_mut(&mut self) -> &mut Pane {
        &mut self.panes[self.view.index()]
    }

    /// Recomputes a view's rows, keeping the selected target selected.
    pub fn rebuild(&mut self, view: View) {
        let rows = flatten(
            &self.notebook,
            &self.index,
            view,
            self.link_order,
            &self.panes[view.index()].expanded,
        );
        let pane = &mut self.panes[view.index()];
        let keep = pane.selected_target();
        pane.rows = rows;
        if let Some(t) = keep
            && let Some(i) = pane.rows.iter().position(|r| r.target == t)
        {
            pane.selected = i;
        }
        pane.selected = pane.selected.min(pane.rows.len().saturating_sub(1));
    }

    /// Where the keys go now.
    pub fn mode(&self) -> Mode {
        if self.diff.is_some() || self.help.is_some() {
            Mode::Help
        } else if self.question.is_some() {
            Mode::Confirm
        } else if self.prompt.is_some() {
            Mode::Prompt
        } else if self.editor.is_some() {
            Mode::Editor
        } else if self.search.is_some() {
            Mode::Search
        } else {
            Mode::Normal
        }
    }

    /// Says something in the status bar.
    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
            at: Instant::now(),
        });
    }

    /// Says something went wrong.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            at: Instant::now(),
        });
    }

    /// Drops a message that has been shown long enough; true when something changed.
    pub fn expire_message(&mut self, now: Instant) -> bool {
        if self
            .message
            .as_ref()
            .is_some_and(|m| now.duration_since(m.at) >= MESSAGE_TTL)
        {
            self.message = None;
            return true;
        }
        false
    }

    /// The target of the search result at `i`, with the view it belongs in.
    pub fn result_target(&self, i: usize) -> Option<(View, Target)> {
        let search = self.search.as_ref()?;
        let hit = search.hits.get(i)?;
        match search.scope {
            Scope::Links => {
                let l = self.notebook.link(hit.id)?;
                if l.bucket() != Bucket::None {
                    return Some((View::Postmortems, Target::Link(hit.id)));
                }
                Some(self.place_of_node(l.doc_index as u32, l.link.node()))
            }
            Scope::Notes => {
                let e = self.notes.entries.get(hit.id as usize)?;
                Some(self.place_of_node(e.doc, e.node))
            }
        }
    }

    /// A node shows in the Sessions view when it is or stands in a session,
    /// in the Notebook view otherwise.
    fn place_of_node(&self, doc: u32, node: u32) -> (View, Target) {
        if let Some(&(d, i)) = self.index.session_of_node.get(&(doc, node)) {
            return (View::Sessions, Target::Session(d, i));
        }
        let document = &self.notebook.documents[doc as usize];
        let mut cur = document.node(node).parent;
        while cur != 0 {
            if self.index.session_of_node.contains_key(&(doc, cur)) {
                return (View::Sessions, Target::Node(doc, node));
            }
            cur = document.node(cur).parent;
        }
        (View::Notebook, Target::Node(doc, node))
    }

    /// The URL of the selected row (or search result), if it is a link.
    pub fn selected_url(&self) -> Option<(String, crate::notebook::LinkKind)> {
        let id = match &self.search {
            Some(s) if s.scope == Scope::Links => s.hits.get(s.selected)?.id,
            Some(_) => return None,
            None => match self.pane().selected_target()? {
                Target::Link(id) => id,
                _ => return None,
            },
        };
        let l = self.notebook.link(id)?;
        Some((l.url().to_string(), l.kind()))
    }
}
