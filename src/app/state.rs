//! Everything the UI shows, and nothing about how it is drawn.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::tree::{Index, LinkOrder, Row, Target, View, flatten};
use crate::keymap::{KeyPress, Keymap, Mode};
use crate::notebook::{Bucket, Notebook};
use crate::search::{Hit, LinkCorpus, NoteCorpus};

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

/// A question waiting for yes or no.
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

    /// Puts a freshly loaded notebook in place, keeping views and selections where they still exist.
    pub fn replace_notebook(&mut self, notebook: Notebook) {
        let notebook = Arc::new(notebook);
        self.index = Index::new(&notebook);
        self.links = Arc::new(LinkCorpus(Arc::clone(&notebook)));
        self.notes = Arc::new(NoteCorpus::new(Arc::clone(&notebook)));
        self.notebook = notebook;
        for v in View::ALL {
            self.rebuild(v);
        }
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
        if self.question.is_some() {
            Mode::Confirm
        } else if self.help.is_some() {
            Mode::Help
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
                Some(self.place_of_node(l.doc_index as u32, l.link.node))
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
