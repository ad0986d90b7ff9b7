//! Everything the UI shows, and nothing about how it is drawn.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use super::action::Mode;
use super::editor::Editor;
use super::effect::{UndoStep, WriteRequest};
use super::layout::Areas;
use super::overlay::{DiffView, Main, Overlay, Prompt, Purpose, Question, Scope, Search};
use super::tree::{Index, LinkOrder, Row, Target, View, flatten};
use crate::notebook::edit::Date;
use crate::notebook::{Bucket, Notebook};
use crate::search::{LinkCorpus, NoteCorpus};
use crate::storage::journal::Entry;

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
    /// Whether `rows` has been computed: a view's rows are first listed
    /// when it is first shown (the Links view of a big notebook lists a
    /// million).
    pub built: bool,
}

impl Pane {
    /// The selected row's target.
    pub fn selected_target(&self) -> Option<Target> {
        self.rows.get(self.selected).map(|r| r.target)
    }
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
    /// The view shown.
    pub view: View,
    /// One navigation pane per view, in `View::ALL` order.
    pub panes: [Pane; 5],
    /// Order of the Links view.
    pub link_order: LinkOrder,
    /// What the main area shows: the tree, the search pane or the editor.
    pub main: Main,
    /// The layer over it that takes the keys, if any.
    pub overlay: Option<Overlay>,
    /// The status-bar message.
    pub message: Option<Message>,
    /// Scroll of the detail pane.
    pub detail_scroll: u16,
    /// The terminal's area (empty until the runtime tells the size).
    pub screen: Rect,
    /// Set once the user has quit and nothing is left to save.
    pub quit: bool,
    /// Unsaved text of earlier runs still to offer.
    pub recoveries: Vec<Entry>,
    /// Why the crash journal could not be written last time, if it could
    /// not: then unsaved text is in the editor only, and messages say so.
    pub journal_failed: Option<String>,
    /// Today's date (set by the runtime; tests set their own).
    pub today: Date,
    /// The time of day, hours and minutes, as of the input being applied
    /// (set by the runtime with each input; tests set their own).
    pub clock: (u8, u8),
    /// The last write to a file: where, how many bytes it replaced and with how
    /// many — so rows after it keep their selection when the file is re-read.
    pub last_write: Option<(PathBuf, usize, usize, usize)>,
    /// A link just added, to select once its file is re-read (path, offset).
    pub reveal_link: Option<(PathBuf, usize)>,
    /// A note being created and the 0-based line its editor starts on
    /// (a new postmortem's Summary), once the runtime has written it.
    pub new_note_line: Option<(PathBuf, usize)>,
    /// The time of the input being applied (the runtime's clock; tests set their own).
    pub now: Instant,
    /// The notebook's git work tree, as far as known.
    pub git: super::git::GitState,
    /// How long typing must pause before the editor's buffer saves itself.
    pub autosave_after: Duration,
    /// The colours the screen is drawn in.
    pub theme: crate::config::Theme,
    /// How new sessions write their date (`None`: `Nov 23, 2026`).
    pub session_date_style: Option<crate::notebook::edit::DateStyle>,
    /// Topics a new session starts with (`[sessions] template`).
    pub session_template: Option<String>,
    /// When the editor was opened on today's session (`n`).
    pub session_since: Option<Instant>,
    /// Opsbook's own writes (`a`, `F`, an action marked), newest last, each
    /// as the write that takes it back and what it was; `u` takes them back.
    pub undo: Vec<(UndoStep, String)>,
    /// The undo of the write under way, kept once it is written.
    pub(super) pending_undo: Option<(WriteRequest, String)>,
    /// What checks found of the links.
    pub health: super::health::HealthState,
    /// The text kept of linked pages.
    pub pages: super::pages::PagesState,
}

/// Links listed by the postmortem years opened at start, at most: a list
/// of hundreds of thousands is read a year at a time.
pub const OPEN_AT_START: usize = 5_000;

impl App {
    /// The app over a notebook, in the Postmortems view, started at `now`.
    pub fn new(notebook: impl Into<Arc<Notebook>>, now: Instant) -> App {
        let notebook = notebook.into();
        let today = Date {
            year: 2026,
            month: 1,
            day: 1,
        };
        let index = Index::new(&notebook, today.into());
        let mut app = App {
            links: Arc::new(LinkCorpus::new(Arc::clone(&notebook))),
            notes: Arc::new(NoteCorpus::new(Arc::clone(&notebook))),
            notebook,
            index,
            view: View::Postmortems,
            panes: Default::default(),
            link_order: LinkOrder::Document,
            main: Main::Browse,
            overlay: None,
            message: None,
            detail_scroll: 0,
            screen: Rect::default(),
            quit: false,
            recoveries: Vec::new(),
            journal_failed: None,
            today,
            clock: (0, 0),
            last_write: None,
            reveal_link: None,
            new_note_line: None,
            now,
            git: Default::default(),
            autosave_after: super::save::AUTOSAVE_AFTER,
            theme: crate::config::Theme::Dark,
            session_date_style: None,
            session_template: None,
            session_since: None,
            undo: Vec::new(),
            pending_undo: None,
            health: Default::default(),
            pages: Default::default(),
        };
        app.open_defaults();
        app
    }

    /// Opens what a first look wants: the postmortem years, newest first,
    /// as long as they list at most `OPEN_AT_START` links together (at least
    /// the newest), the newest session year; selects the first link of the
    /// newest year.
    fn open_defaults(&mut self) {
        let pm = &mut self.panes[View::Postmortems.index()];
        let mut listed = 0;
        for (i, (b, ids)) in self.index.buckets.iter().enumerate() {
            listed += ids.len();
            if i > 0 && listed > OPEN_AT_START {
                break;
            }
            pm.expanded.insert(Target::Bucket(*b));
        }
        if let Some((y, _)) = self.index.session_years.first() {
            self.panes[View::Sessions.index()]
                .expanded
                .insert(Target::SessionYear(*y));
        }
        // The Links view, a row per link, is listed when first shown.
        for v in [View::Postmortems, View::Sessions, View::Notebook] {
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

    /// Says what day it is: postmortem documents are dated as of it.
    pub fn set_today(&mut self, today: Date) {
        if today != self.today {
            self.today = today;
            self.index.date_postmortems(&self.notebook, today.into());
        }
    }

    /// Puts a new notebook and its indexes in place.
    pub(super) fn replace_notebook(&mut self, notebook: Notebook) {
        let notebook = Arc::new(notebook);
        self.index = Index::new(&notebook, self.today.into());
        self.links.retire();
        self.links = Arc::new(LinkCorpus::new(Arc::clone(&notebook)));
        self.links.set_pages(self.pages.index.clone());
        self.notes = Arc::new(NoteCorpus::new(Arc::clone(&notebook)));
        self.notebook = notebook;
        // Views are rebuilt by the caller, which knows what to keep open.
        if let Some(s) = self.search_mut() {
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
        pane.built = true;
        if let Some(t) = keep
            && let Some(i) = pane.rows.iter().position(|r| r.target == t)
        {
            pane.selected = i;
        }
        pane.selected = pane.selected.min(pane.rows.len().saturating_sub(1));
    }

    /// Rows the navigation list shows on this screen.
    pub fn nav_rows(&self) -> usize {
        Areas::of(self.screen).map_or(20, |a| a.nav_rows())
    }

    /// Rows the search results show on this screen.
    pub fn result_rows(&self) -> usize {
        Areas::of(self.screen).map_or(10, |a| a.result_rows())
    }

    /// Says something in the status bar.
    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
            at: self.now,
        });
    }

    /// Says something went wrong.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            at: self.now,
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
        let search = self.search()?;
        let &hit = search.hits.get(i)?;
        match search.scope {
            Scope::Links => {
                if let Some(d) = self.links.document_of(hit) {
                    return Some((View::Postmortems, Target::Postmortem(d)));
                }
                let l = self.notebook.link(hit)?;
                if l.bucket() != Bucket::None {
                    return Some((View::Postmortems, Target::Link(hit)));
                }
                Some(self.place_of_node(l.doc_index as u32, l.link.node()))
            }
            Scope::Notes => {
                let e = self.notes.entry(hit)?;
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
        if document.node(node).kind() == crate::notebook::NodeKind::FrontMatter {
            // A note that is a link: the note itself.
            return (View::Notebook, Target::Document(doc));
        }
        let mut cur = document.node(node).parent();
        while cur != 0 {
            if self.index.session_of_node.contains_key(&(doc, cur)) {
                return (View::Sessions, Target::Node(doc, node));
            }
            cur = document.node(cur).parent();
        }
        (View::Notebook, Target::Node(doc, node))
    }

    /// The URL of the selected row (or search result), if it is a link.
    pub fn selected_url(&self) -> Option<(String, crate::notebook::LinkKind)> {
        let l = self.notebook.link(self.selected_link()?)?;
        Some((l.url().to_string(), l.kind()))
    }
}

impl App {
    /// Where the keys go now.
    pub fn mode(&self) -> Mode {
        match (&self.overlay, &self.main) {
            (Some(Overlay::Help { .. }), _) => Mode::Help,
            (Some(Overlay::Prompt(_)), _) => Mode::Prompt,
            (Some(Overlay::Merge(_)), _) => Mode::Merge,
            (Some(Overlay::Question { diff: Some(_), .. }), _) => Mode::Diff,
            (Some(Overlay::Question { .. }), _) => Mode::Confirm,
            (None, Main::Edit(_)) => Mode::Editor,
            (None, Main::Read(_)) => Mode::Reader,
            (None, Main::Search(_)) => Mode::Search,
            (None, Main::Browse) => Mode::Normal,
        }
    }

    /// The search pane, when open.
    pub fn search(&self) -> Option<&Search> {
        match &self.main {
            Main::Search(s) => Some(s),
            _ => None,
        }
    }

    /// The search pane, to change.
    pub fn search_mut(&mut self) -> Option<&mut Search> {
        match &mut self.main {
            Main::Search(s) => Some(s),
            _ => None,
        }
    }

    /// The editor pane, when open.
    pub fn editor(&self) -> Option<&Editor> {
        match &self.main {
            Main::Edit(e) => Some(e),
            _ => None,
        }
    }

    /// The editor pane, to change.
    pub fn editor_mut(&mut self) -> Option<&mut Editor> {
        match &mut self.main {
            Main::Edit(e) => Some(e),
            _ => None,
        }
    }

    /// The question asked, if one is.
    pub fn question(&self) -> Option<&Question> {
        match &self.overlay {
            Some(Overlay::Question { question, .. }) => Some(question),
            _ => None,
        }
    }

    /// The prompt, when open.
    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.overlay {
            Some(Overlay::Prompt(p)) => Some(p),
            _ => None,
        }
    }

    /// Both versions of a text, when shown.
    pub fn diff(&self) -> Option<&DiffView> {
        match &self.overlay {
            Some(Overlay::Question { diff, .. }) => diff.as_ref(),
            _ => None,
        }
    }

    /// The help overlay, when open: the mode it describes and its scroll.
    pub fn help(&self) -> Option<(Mode, u16)> {
        match self.overlay {
            Some(Overlay::Help { mode, scroll }) => Some((mode, scroll)),
            _ => None,
        }
    }

    /// Asks a question (replacing any overlay).
    pub(super) fn ask(&mut self, question: Question) {
        self.overlay = Some(Overlay::Question {
            question,
            diff: None,
        });
    }

    /// Opens a prompt.
    pub(super) fn open_prompt(&mut self, purpose: Purpose, label: &str, input: String) {
        self.overlay = Some(Overlay::Prompt(Prompt {
            purpose,
            label: label.to_string(),
            input,
        }));
    }

    /// Shows both versions a question is about, over it.
    pub(super) fn show_both(&mut self, view: DiffView) {
        if let Some(Overlay::Question { diff, .. }) = &mut self.overlay {
            *diff = Some(view);
        }
    }

    /// Closes the search pane or the editor: the tree shows again.
    pub(super) fn browse(&mut self) {
        self.main = Main::Browse;
    }
}
