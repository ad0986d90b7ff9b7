//! Editing flows: the editor pane, prompts for new sessions, links and
//! notes, saving with conflict checks, and recovering unsaved text.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui_textarea::CursorMove;

use super::action::Action;
use super::editor::{AfterSave, Editor, Opening};
use super::state::{App, DiffView, Effect, LinkDest, Prompt, Purpose, Question, WriteRequest};
use super::tree::{Target, View};
use crate::notebook::edit::{self, content_hash};
use crate::notebook::journal::Entry;
use crate::notebook::model::ROOT;
use crate::notebook::store::SaveError;
use crate::notebook::{Bucket, Document, NodeId, NodeKind, Notebook};

/// How long typing must pause before the buffer is saved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(1);

/// Where a row points into a document: its path and a byte offset, which
/// survive a re-parse where node and link ids do not.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Anchor {
    Node(PathBuf, u32),
    Link(PathBuf, u32),
    Session(PathBuf, u32),
    Document(PathBuf),
    Other(Target),
}

fn anchor(nb: &Notebook, t: Target) -> Anchor {
    match t {
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            Anchor::Node(doc.path.clone(), doc.node(n).span.start)
        }
        Target::Link(id) => match nb.link(id) {
            Some(l) => Anchor::Link(l.doc.path.clone(), l.link.offset),
            None => Anchor::Other(t),
        },
        Target::Session(d, i) => {
            let doc = &nb.documents[d as usize];
            Anchor::Session(
                doc.path.clone(),
                doc.node(doc.sessions[i as usize].node).span.start,
            )
        }
        Target::Document(d) => Anchor::Document(nb.documents[d as usize].path.clone()),
        other => Anchor::Other(other),
    }
}

/// An anchor moved past a write that replaced `old` bytes at `at` with `new` bytes.
fn shifted(a: Anchor, write: Option<&(PathBuf, usize, usize, usize)>) -> Anchor {
    let Some((path, at, old, new)) = write else {
        return a;
    };
    let moved = |p: &PathBuf, off: u32| -> u32 {
        if p == path && off as usize >= at + old {
            (off as usize + new - old) as u32
        } else {
            off
        }
    };
    match a {
        Anchor::Node(p, o) => Anchor::Node(p.clone(), moved(&p, o)),
        Anchor::Link(p, o) => Anchor::Link(p.clone(), moved(&p, o)),
        Anchor::Session(p, o) => Anchor::Session(p.clone(), moved(&p, o)),
        other => other,
    }
}

fn node_at(doc: &Document, offset: u32) -> Option<NodeId> {
    let i = doc.nodes.partition_point(|n| n.span.start < offset);
    (doc.nodes.get(i)?.span.start == offset).then_some(i as NodeId)
}

fn resolve(nb: &Notebook, a: &Anchor) -> Option<Target> {
    match a {
        Anchor::Node(p, off) => {
            let d = nb.document_index(p)?;
            node_at(&nb.documents[d], *off).map(|n| Target::Node(d as u32, n))
        }
        Anchor::Link(p, off) => {
            let d = nb.document_index(p)?;
            let i = nb.documents[d]
                .links
                .iter()
                .position(|l| l.offset == *off)?;
            Some(Target::Link(nb.link_id(d, i)))
        }
        Anchor::Session(p, off) => {
            let d = nb.document_index(p)?;
            let doc = &nb.documents[d];
            let i = doc
                .sessions
                .iter()
                .position(|s| doc.node(s.node).span.start == *off)?;
            Some(Target::Session(d as u32, i as u32))
        }
        Anchor::Document(p) => nb.document_index(p).map(|d| Target::Document(d as u32)),
        Anchor::Other(t) => Some(*t),
    }
}

impl App {
    /// Puts a re-read document in place, keeping selections and open rows.
    pub fn document_reloaded(&mut self, doc: Document) {
        let notebook = self.notebook.with_document(doc);
        self.swap_notebook(notebook);
        if let Some((path, offset)) = self.reveal_link.take()
            && let Some(d) = self.notebook.document_index(&path)
            && let Some(i) = self.notebook.documents[d]
                .links
                .iter()
                .position(|l| l.offset as usize >= offset)
        {
            let id = self.notebook.link_id(d, i);
            match self.view {
                View::Postmortems | View::Links => self.reveal(self.view, Target::Link(id)),
                _ => {
                    let node = self.notebook.documents[d].links[i].node();
                    self.reveal(View::Notebook, Target::Node(d as u32, node));
                }
            }
        }
        self.follow_editor();
    }

    /// Selects the row of the node being edited once it exists in the tree
    /// (a new session shows up in the calendar after its first save).
    fn follow_editor(&mut self) {
        let Some(e) = self.editor.as_ref() else {
            return;
        };
        let Some(d) = self.notebook.document_index(&e.path) else {
            return;
        };
        let doc = &self.notebook.documents[d];
        let Some(node) = node_at(doc, e.start as u32) else {
            return;
        };
        if let Some(&(sd, si)) = self.index.session_of_node.get(&(d as u32, node)) {
            if self.view == View::Sessions {
                self.reveal(View::Sessions, Target::Session(sd, si));
            }
            if let Some(e) = self.editor.as_mut() {
                e.target = Target::Session(sd, si);
            }
        }
    }

    /// Replaces the notebook, carrying every view's selection and open rows
    /// over by position in the files.
    pub fn swap_notebook(&mut self, notebook: Notebook) {
        let old = Arc::clone(&self.notebook);
        let shift = self.last_write.take();
        let anchor = |nb: &Notebook, t: Target| shifted(anchor(nb, t), shift.as_ref());
        let saved: Vec<(Option<Anchor>, Vec<Anchor>)> = self
            .panes
            .iter()
            .map(|p| {
                (
                    p.selected_target().map(|t| anchor(&old, t)),
                    p.expanded.iter().map(|&t| anchor(&old, t)).collect(),
                )
            })
            .collect();
        let editor_anchor = self.editor.as_ref().map(|e| anchor(&old, e.target));
        for p in &mut self.panes {
            p.expanded.clear();
        }
        self.replace_notebook(notebook);
        for (v, (selected, expanded)) in View::ALL.into_iter().zip(saved) {
            let pane = &mut self.panes[v.index()];
            pane.expanded = expanded
                .iter()
                .filter_map(|a| resolve(&self.notebook, a))
                .collect();
            self.rebuild(v);
            if let Some(t) = selected.and_then(|a| resolve(&self.notebook, &a)) {
                let pane = &mut self.panes[v.index()];
                if let Some(i) = pane.rows.iter().position(|r| r.target == t) {
                    pane.selected = i;
                }
            }
        }
        if let (Some(e), Some(Some(t))) = (
            self.editor.as_mut(),
            editor_anchor.map(|a| resolve(&self.notebook, &a)),
        ) {
            e.target = t;
        }
        self.keep_in_view();
    }

    /// The node an edit of the selected row starts from, with its document.
    fn selected_node(&self) -> Option<(usize, NodeId, Target)> {
        let t = self.pane().selected_target()?;
        let nb = &self.notebook;
        match t {
            Target::Node(d, n) => Some((d as usize, n, t)),
            Target::Link(id) => nb.link(id).map(|l| (l.doc_index, l.link.node(), t)),
            Target::Session(d, i) => Some((
                d as usize,
                nb.documents[d as usize].sessions[i as usize].node,
                t,
            )),
            Target::Document(d) => Some((d as usize, ROOT, t)),
            Target::Bucket(b) => {
                let l = nb.links().find(|l| l.bucket() == b)?;
                let section = l
                    .doc
                    .sections
                    .get(l.doc.section_index(l.link.node()) as usize)?;
                Some((l.doc_index, section.node, t))
            }
            Target::SessionYear(_) => None,
        }
    }

    /// `e`: opens the editor on the selected node.
    pub fn start_editing(&mut self) -> Vec<Effect> {
        let Some((d, node, target)) = self.selected_node() else {
            self.warn("select a session, link, heading or item to edit");
            return Vec::new();
        };
        let doc = Arc::clone(&self.notebook.documents[d]);
        // A heading with its section, an item with its nested items, the root: the whole file.
        let range = doc.subtree(node);
        self.open_editor(&doc, range, None, false, String::new(), target, (0, 0));
        Vec::new()
    }

    #[allow(clippy::too_many_arguments)]
    fn open_editor(
        &mut self,
        doc: &Document,
        range: std::ops::Range<usize>,
        text: Option<String>,
        unsaved: bool,
        prefix: String,
        target: Target,
        cursor: (usize, usize),
    ) {
        let file = self.notebook.root.join(&doc.path);
        let editor = Editor::open(Opening {
            path: doc.path.clone(),
            file: file.canonicalize().unwrap_or(file),
            base: Arc::new(doc.source.clone()),
            range,
            text,
            unsaved,
            prefix,
            read_only: doc.read_only,
            target,
            cursor,
        });
        if editor.read_only {
            self.warn(format!(
                "{} is read-only (not UTF-8, or not writable): opsbook will not write it",
                doc.path.display()
            ));
        }
        self.editor = Some(editor);
        self.detail_scroll = 0;
    }

    /// Applies an action in the editor.
    pub(super) fn apply_editor(&mut self, action: Action) -> Vec<Effect> {
        let Some(e) = self.editor.as_mut() else {
            return Vec::new();
        };
        let ta = &mut e.textarea;
        let before = e.read_only.then(|| ta.lines().to_vec());
        match action {
            Action::Close => return self.close_editor(AfterSave::Close),
            Action::Quit => return self.close_editor(AfterSave::Quit),
            Action::Save => return self.save_now(AfterSave::Stay),
            Action::Help => {
                self.help = Some((crate::keymap::Mode::Editor, 0));
                return Vec::new();
            }
            Action::Undo => {
                ta.undo();
            }
            Action::Redo => {
                ta.redo();
            }
            Action::Copy => ta.copy(),
            Action::Cut => {
                ta.cut();
            }
            Action::Paste => {
                ta.paste();
            }
            Action::SelectAll => ta.select_all(),
            Action::Left | Action::Right | Action::Up | Action::Down => {
                ta.cancel_selection();
                ta.move_cursor(match action {
                    Action::Left => CursorMove::Back,
                    Action::Right => CursorMove::Forward,
                    Action::Up => CursorMove::Up,
                    _ => CursorMove::Down,
                });
            }
            Action::SelectLeft | Action::SelectRight | Action::SelectUp | Action::SelectDown => {
                if !ta.is_selecting() {
                    ta.start_selection();
                }
                ta.move_cursor(match action {
                    Action::SelectLeft => CursorMove::Back,
                    Action::SelectRight => CursorMove::Forward,
                    Action::SelectUp => CursorMove::Up,
                    _ => CursorMove::Down,
                });
            }
            Action::WordLeft => ta.move_cursor(CursorMove::WordBack),
            Action::WordRight => ta.move_cursor(CursorMove::WordForward),
            Action::LineStart => ta.move_cursor(CursorMove::Head),
            Action::LineEnd => ta.move_cursor(CursorMove::End),
            Action::Top => ta.move_cursor(CursorMove::Top),
            Action::Bottom => ta.move_cursor(CursorMove::Bottom),
            Action::PageUp => ta.scroll(ratatui_textarea::Scrolling::PageUp),
            Action::PageDown => ta.scroll(ratatui_textarea::Scrolling::PageDown),
            Action::DeleteChar => {
                ta.delete_char();
            }
            Action::DeleteNextChar => {
                ta.delete_next_char();
            }
            Action::DeleteWord => {
                ta.delete_word();
            }
            Action::Newline => e.newline(),
            Action::Indent => e.indent(),
            Action::Outdent => e.outdent(),
            _ => {}
        }
        self.after_edit(before);
        Vec::new()
    }

    /// Text typed (or pasted) into the editor.
    pub(super) fn editor_type(&mut self, text: &str) -> Vec<Effect> {
        let Some(e) = self.editor.as_mut() else {
            return Vec::new();
        };
        let before = e.read_only.then(|| e.textarea.lines().to_vec());
        // A pasted block arrives with its line breaks: insert them as text.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        e.textarea.insert_str(&text);
        self.after_edit(before);
        Vec::new()
    }

    /// Notes the time of a change; undoes changes to a read-only buffer.
    fn after_edit(&mut self, read_only_lines: Option<Vec<String>>) {
        let Some(e) = self.editor.as_mut() else {
            return;
        };
        if let Some(lines) = read_only_lines {
            if e.textarea.lines() != lines.as_slice() {
                let cursor = e.textarea.cursor();
                e.textarea = ratatui_textarea::TextArea::new(lines);
                e.textarea
                    .move_cursor(CursorMove::Jump(cursor.0 as u16, cursor.1 as u16));
                self.warn("read-only: this file is never written by opsbook");
            }
            return;
        }
        e.last_edit = Some(Instant::now());
    }

    /// The save of the buffer, if it needs one.
    fn save_request(&self) -> Option<WriteRequest> {
        let e = self.editor.as_ref()?;
        if !e.dirty() {
            return None;
        }
        let mut text = e.prefix.clone();
        text.push_str(&e.file_text());
        Some(WriteRequest {
            path: e.path.clone(),
            base_hash: e.base_hash,
            range: e.start..e.end,
            text,
        })
    }

    /// Saves now; `then` says what follows a successful save.
    pub fn save_now(&mut self, then: AfterSave) -> Vec<Effect> {
        let Some(e) = self.editor.as_mut() else {
            return Vec::new();
        };
        e.after_save = then;
        match self.save_request() {
            Some(req) => vec![Effect::Save(req)],
            None => {
                self.after_saved();
                Vec::new()
            }
        }
    }

    fn close_editor(&mut self, then: AfterSave) -> Vec<Effect> {
        self.save_now(then)
    }

    fn after_saved(&mut self) {
        let then = self
            .editor
            .as_ref()
            .map_or(AfterSave::Stay, |e| e.after_save);
        match then {
            AfterSave::Stay => {}
            AfterSave::Close => {
                self.editor = None;
            }
            AfterSave::Quit => {
                self.editor = None;
                self.quit = true;
            }
        }
    }

    /// The outcome of writing the editor's buffer.
    pub fn save_finished(&mut self, result: Result<String, SaveError>) -> Vec<Effect> {
        let Some(e) = self.editor.as_mut() else {
            return Vec::new();
        };
        match result {
            Ok(content) => {
                let old_len = e.end - e.start;
                let at = e.start;
                e.saved_as(content);
                let new_len = e.end - at;
                self.last_write = Some((e.path.clone(), at, old_len, new_len));
                let e = self.editor.as_ref().expect("editor is open");
                let file = e.file.clone();
                let path = e.path.clone();
                self.say(format!("saved {}", path.display()));
                self.after_saved();
                vec![Effect::DropJournal(file), Effect::ReloadDocument(path)]
            }
            Err(SaveError::Conflict(_)) => {
                e.after_save = AfterSave::Stay;
                let disk = std::fs::read_to_string(&e.file).unwrap_or_default();
                self.question = Some(Question::Conflict {
                    path: e.path.clone(),
                    disk,
                });
                Vec::new()
            }
            Err(err) => {
                e.after_save = AfterSave::Stay;
                self.warn(format!(
                    "{err}; your text is kept in the editor and the journal"
                ));
                Vec::new()
            }
        }
    }

    /// Called often (every few hundred milliseconds): journals unsaved text,
    /// and saves once typing has paused for a second.
    pub fn tick(&mut self, now: Instant) -> Vec<Effect> {
        self.expire_message(now);
        let mut effects = Vec::new();
        let Some(e) = self.editor.as_mut() else {
            return effects;
        };
        if !e.dirty() || self.question.is_some() {
            return effects;
        }
        let text = e.file_text();
        if e.journaled.as_deref() != Some(text.as_str()) {
            effects.push(Effect::Journal(e.journal_entry()));
            e.journaled = Some(text);
        }
        let paused = e
            .last_edit
            .is_none_or(|t| now.duration_since(t) >= AUTOSAVE_AFTER);
        if paused && !e.changed_on_disk {
            effects.extend(self.save_now(AfterSave::Stay));
        }
        effects
    }

    /// Says that the editor's file changed on disk, when it did.
    pub fn check_disk(&mut self, disk_hash: Option<u64>) {
        let Some(e) = self.editor.as_mut() else {
            return;
        };
        if let Some(h) = disk_hash
            && h != e.base_hash
            && !e.changed_on_disk
        {
            e.changed_on_disk = true;
            let path = e.path.display().to_string();
            self.warn(format!(
                "{path} changed on disk; saving will ask what to do (ctrl-s)"
            ));
        }
    }

    /// Answers to a conflict or a recovery offer.
    pub(super) fn answer(&mut self, action: Action) -> Vec<Effect> {
        match self.question.clone() {
            Some(Question::Conflict { path, disk }) => self.answer_conflict(action, path, disk),
            Some(Question::Recover {
                entry,
                path,
                in_place,
                current,
            }) => self.answer_recovery(action, entry, path, in_place, current),
            _ => Vec::new(),
        }
    }

    fn answer_conflict(&mut self, action: Action, path: PathBuf, disk: String) -> Vec<Effect> {
        let Some(e) = self.editor.as_ref() else {
            self.question = None;
            return Vec::new();
        };
        let mine = e.result();
        match action {
            Action::Reload => {
                // Keep my version beside the file, then show what is on disk.
                self.question = None;
                let file = e.file.clone();
                self.editor = None;
                self.say(format!(
                    "reloaded {}; your version is in {}.conflict",
                    path.display(),
                    path.display()
                ));
                vec![
                    Effect::WriteCopy {
                        path: path.clone(),
                        suffix: "conflict",
                        text: mine,
                    },
                    Effect::DropJournal(file),
                    Effect::ReloadDocument(path),
                ]
            }
            Action::Overwrite => {
                self.question = None;
                let hash = content_hash(disk.as_bytes());
                vec![Effect::Save(WriteRequest {
                    path,
                    base_hash: hash,
                    range: 0..disk.len(),
                    text: mine,
                })]
            }
            Action::ShowBoth => {
                self.diff = Some(DiffView {
                    title: format!("{}: on disk (-) and yours (+)", path.display()),
                    lines: diff_lines(&disk, &mine),
                    scroll: 0,
                });
                Vec::new()
            }
            Action::Cancel | Action::Close => {
                self.question = None;
                self.say("not saved; the editor keeps your text (ctrl-s asks again)");
                if let Some(e) = self.editor.as_mut() {
                    e.changed_on_disk = true;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Offers the next leftover journal entry, if any.
    pub fn offer_recovery(&mut self) {
        if self.question.is_some() {
            return;
        }
        let Some(entry) = self.recoveries.first().cloned() else {
            return;
        };
        let root = self
            .notebook
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.notebook.root.clone());
        let path = entry
            .file
            .strip_prefix(&root)
            .unwrap_or(&entry.file)
            .to_path_buf();
        let (in_place, current) = match self.notebook.document_index(&path) {
            Some(d) => {
                let doc = &self.notebook.documents[d];
                let same = content_hash(doc.source.as_bytes()) == entry.base_hash;
                let current = doc
                    .source
                    .get(entry.start..entry.end)
                    .unwrap_or_default()
                    .to_string();
                (same, current)
            }
            None => (false, String::new()),
        };
        self.question = Some(Question::Recover {
            entry,
            path,
            in_place,
            current,
        });
    }

    fn answer_recovery(
        &mut self,
        action: Action,
        entry: Entry,
        path: PathBuf,
        in_place: bool,
        current: String,
    ) -> Vec<Effect> {
        let next = |app: &mut App| {
            app.question = None;
            app.recoveries.retain(|e| e.file != entry.file);
            app.offer_recovery();
        };
        match action {
            Action::Confirm if in_place => {
                let Some(d) = self.notebook.document_index(&path) else {
                    return Vec::new();
                };
                let doc = Arc::clone(&self.notebook.documents[d]);
                let target = node_at(&doc, entry.start as u32)
                    .map_or(Target::Document(d as u32), |n| Target::Node(d as u32, n));
                let text = entry.text.replace("\r\n", "\n");
                next(self);
                self.open_editor(
                    &doc,
                    entry.start..entry.end,
                    Some(text),
                    true,
                    entry.prefix.clone(),
                    target,
                    (0, 0),
                );
                self.say(format!(
                    "recovered unsaved text of {}: it saves as you go",
                    path.display()
                ));
                Vec::new()
            }
            Action::Confirm => {
                // The file changed since: put the text beside it, never over it.
                next(self);
                self.say(format!(
                    "{} changed since; the unsaved text is in {}.recovered",
                    path.display(),
                    path.display()
                ));
                vec![
                    Effect::WriteCopy {
                        path,
                        suffix: "recovered",
                        text: entry.text.clone(),
                    },
                    Effect::DropJournal(entry.file.clone()),
                ]
            }
            Action::Discard => {
                next(self);
                self.say(format!("discarded the unsaved text of {}", path.display()));
                vec![Effect::DropJournal(entry.file.clone())]
            }
            Action::ShowBoth => {
                self.diff = Some(DiffView {
                    title: format!("{}: in the file (-) and unsaved (+)", path.display()),
                    lines: diff_lines(&current, &entry.text),
                    scroll: 0,
                });
                Vec::new()
            }
            Action::Cancel | Action::Close => {
                next(self);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `n` in the Sessions view: asks for a title, then opens today's session.
    pub(super) fn new_session_prompt(&mut self) -> Vec<Effect> {
        if self.view != View::Sessions {
            self.say("new sessions start in the Sessions view (2)");
            return Vec::new();
        }
        let doc = self
            .notebook
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.sessions.is_empty())
            .max_by_key(|(_, d)| d.sessions.len())
            .map(|(i, _)| i);
        let Some(doc) = doc else {
            self.warn("no calendar in this notebook: write a dated item (- May 25 Title) first");
            return Vec::new();
        };
        self.prompt = Some(Prompt {
            purpose: Purpose::SessionTitle { doc },
            label: "Title of today's session".into(),
            input: String::new(),
        });
        Vec::new()
    }

    /// `a`: asks for a URL, a title (and a year in the Postmortems view).
    pub(super) fn add_link_prompt(&mut self) -> Vec<Effect> {
        let dest = if self.view == View::Postmortems {
            let doc = match self.pane().selected_target() {
                Some(Target::Link(id)) => self.notebook.link(id).map(|l| l.doc_index),
                Some(Target::Bucket(b)) => self
                    .notebook
                    .links()
                    .find(|l| l.bucket() == b)
                    .map(|l| l.doc_index),
                _ => None,
            }
            .or_else(|| {
                self.notebook
                    .documents
                    .iter()
                    .position(|d| d.has_postmortem_heading() || d.is_tagged_postmortem())
            })
            .unwrap_or(0);
            LinkDest::Postmortem { doc }
        } else {
            match self.selected_node() {
                Some((d, node, _)) => {
                    let doc = &self.notebook.documents[d];
                    let section = match doc.node(node).kind {
                        NodeKind::Heading { .. } => node,
                        _ => doc.section_of(node).map_or(ROOT, |s| s.node),
                    };
                    LinkDest::Section {
                        doc: d,
                        node: section,
                    }
                }
                None => LinkDest::Section { doc: 0, node: ROOT },
            }
        };
        if self.notebook.documents.is_empty() {
            self.warn("no document to add a link to: create a note first (N)");
            return Vec::new();
        }
        self.prompt = Some(Prompt {
            purpose: Purpose::LinkUrl(dest),
            label: "URL".into(),
            input: String::new(),
        });
        Vec::new()
    }

    /// `N`: asks for the name of a new note.
    pub(super) fn new_note_prompt(&mut self) -> Vec<Effect> {
        self.prompt = Some(Prompt {
            purpose: Purpose::NoteName,
            label: "New note (file name)".into(),
            input: String::new(),
        });
        Vec::new()
    }

    /// `E`: the selected node's file in the user's own editor.
    pub(super) fn external_edit(&mut self) -> Vec<Effect> {
        let Some((d, node, _)) = self.selected_node() else {
            self.warn("select something in a file to edit it");
            return Vec::new();
        };
        let doc = &self.notebook.documents[d];
        if doc.read_only {
            self.warn(format!(
                "{} is read-only: not opened for editing",
                doc.path.display()
            ));
            return Vec::new();
        }
        vec![Effect::ExternalEdit {
            path: doc.path.clone(),
            line: doc.node_line(node),
        }]
    }

    /// Applies an action in a prompt.
    pub(super) fn apply_prompt(&mut self, action: Action) -> Vec<Effect> {
        let Some(p) = self.prompt.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Close | Action::Cancel => self.prompt = None,
            Action::DeleteChar => {
                p.input.pop();
            }
            Action::DeleteWord => {
                let t = p.input.trim_end().len();
                p.input.truncate(t);
                let cut = p.input.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                p.input.truncate(cut);
            }
            Action::ClearQuery => p.input.clear(),
            Action::Confirm => {
                let p = self.prompt.take().expect("prompt is open");
                return self.prompt_done(p.purpose, p.input.trim().to_string());
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
        Vec::new()
    }

    /// Text typed into a prompt.
    pub(super) fn prompt_type(&mut self, text: &str) -> Vec<Effect> {
        if let Some(p) = self.prompt.as_mut() {
            p.input
                .extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
        }
        Vec::new()
    }

    fn prompt_done(&mut self, purpose: Purpose, input: String) -> Vec<Effect> {
        match purpose {
            Purpose::SessionTitle { doc } => {
                let d = Arc::clone(&self.notebook.documents[doc]);
                if d.read_only {
                    self.warn(format!(
                        "{} is read-only: no session added",
                        d.path.display()
                    ));
                    return Vec::new();
                }
                match edit::new_session(&d, self.today, &input) {
                    Some(n) => {
                        self.open_editor(
                            &d,
                            n.at..n.at,
                            Some(n.text),
                            true,
                            n.prefix,
                            Target::Document(doc as u32),
                            n.cursor,
                        );
                        self.say("today's session: type its topics; it saves as you go");
                    }
                    None => self.warn("no calendar list found"),
                }
                Vec::new()
            }
            Purpose::LinkUrl(dest) => {
                if input.is_empty() {
                    self.warn("no URL: no link added");
                    return Vec::new();
                }
                self.prompt = Some(Prompt {
                    purpose: Purpose::LinkTitle(dest, input),
                    label: "Title".into(),
                    input: String::new(),
                });
                Vec::new()
            }
            Purpose::LinkTitle(LinkDest::Postmortem { doc }, url) => {
                let year = match self.pane().selected_target() {
                    Some(Target::Bucket(Bucket::Year(y))) => y,
                    Some(Target::Link(id)) => self
                        .notebook
                        .link(id)
                        .and_then(|l| l.year())
                        .unwrap_or(self.today.year as u16),
                    _ => self.today.year as u16,
                };
                self.prompt = Some(Prompt {
                    purpose: Purpose::LinkYear {
                        doc,
                        url,
                        title: input,
                    },
                    label: "Year".into(),
                    input: year.to_string(),
                });
                Vec::new()
            }
            Purpose::LinkTitle(LinkDest::Section { doc, node }, url) => {
                let d = Arc::clone(&self.notebook.documents[doc]);
                let e = edit::add_link(&d, node, &input, &url);
                self.write_edit(&d, e)
            }
            Purpose::LinkYear { doc, url, title } => {
                let Some(year) = crate::notebook::model::heading_year(&input) else {
                    self.warn(format!(
                        "`{input}` is not a year between 1970 and 2100: no link added"
                    ));
                    return Vec::new();
                };
                let d = Arc::clone(&self.notebook.documents[doc]);
                let e = edit::add_postmortem_link(&d, year, &title, &url);
                self.write_edit(&d, e)
            }
            Purpose::NoteName => match edit::note_file_name(&input) {
                Ok(name) => {
                    let path = PathBuf::from(name);
                    if self.notebook.document_index(&path).is_some()
                        || self.notebook.root.join(&path).exists()
                    {
                        self.warn(format!(
                            "{} exists already: not overwritten",
                            path.display()
                        ));
                        return Vec::new();
                    }
                    let title = path
                        .file_stem()
                        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
                    vec![Effect::CreateNote {
                        path,
                        text: format!("# {title}\n\n"),
                    }]
                }
                Err(why) => {
                    self.warn(why);
                    Vec::new()
                }
            },
        }
    }

    fn write_edit(&mut self, doc: &Document, e: edit::Edit) -> Vec<Effect> {
        if doc.read_only {
            self.warn(format!("{} is read-only: not written", doc.path.display()));
            return Vec::new();
        }
        vec![Effect::Write(WriteRequest {
            path: doc.path.clone(),
            base_hash: content_hash(doc.source.as_bytes()),
            range: e.range,
            text: e.text,
        })]
    }

    /// The outcome of writing a computed edit (a new link).
    pub fn write_finished(
        &mut self,
        req: WriteRequest,
        result: Result<String, SaveError>,
    ) -> Vec<Effect> {
        let path = req.path.clone();
        match result {
            Ok(_) => {
                self.last_write = Some((
                    path.clone(),
                    req.range.start,
                    req.range.len(),
                    req.text.len(),
                ));
                self.reveal_link = Some((path.clone(), req.range.start));
                self.say(format!("link added to {}", path.display()));
                vec![Effect::ReloadDocument(path)]
            }
            Err(e) => {
                self.warn(format!(
                    "{e}: no link added (reload with ctrl-r and try again)"
                ));
                Vec::new()
            }
        }
    }

    /// A new note was created: show it and start editing it.
    pub fn note_created(&mut self, doc: Document) {
        let path = doc.path.clone();
        self.document_reloaded(doc);
        if let Some(d) = self.notebook.document_index(&path) {
            self.reveal(View::Notebook, Target::Document(d as u32));
            let doc = Arc::clone(&self.notebook.documents[d]);
            let end = doc.source.len();
            // Room to write under the heading; saved only once something is typed.
            let text = format!("{}\n", doc.source.replace("\r\n", "\n"));
            let lines = text.lines().count();
            self.open_editor(
                &doc,
                0..end,
                Some(text),
                false,
                String::new(),
                Target::Document(d as u32),
                (lines, 0),
            );
            self.say(format!("created {}", path.display()));
        }
    }
}

/// A unified diff of two texts, line by line.
pub fn diff_lines(old: &str, new: &str) -> Vec<String> {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.unified_diff()
        .context_radius(3)
        .to_string()
        .lines()
        .map(str::to_string)
        .collect()
}
