//! The editor pane: opening it over a node's bytes, and its actions.

use std::sync::Arc;

use ratatui_textarea::CursorMove;

use super::action::{Action, Mode};
use super::editor::{AfterSave, Change, Editor, Opening};
use super::effect::Effect;
use super::overlay::Main;
use super::state::App;
use super::tree::Target;
use crate::notebook::model::ROOT;
use crate::notebook::{Document, NodeId};

impl App {
    /// The node an edit of the selected row starts from, with its document.
    pub(super) fn selected_node(&self) -> Option<(usize, NodeId, Target)> {
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
            Target::Document(d) | Target::Postmortem(d) => Some((d as usize, ROOT, t)),
            Target::Action(d, n) => Some((d as usize, n, t)),
            Target::Bucket(b) => {
                let l = nb.links().find(|l| l.bucket() == b)?;
                let section = l
                    .doc
                    .sections
                    .get(l.doc.section_index(l.link.node()) as usize)?;
                Some((l.doc_index, section.node, t))
            }
            Target::SessionYear(_) | Target::Tag(_) => None,
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
    pub(super) fn open_editor(
        &mut self,
        doc: &Document,
        range: std::ops::Range<usize>,
        text: Option<String>,
        unsaved: bool,
        prefix: String,
        target: Target,
        cursor: (usize, usize),
    ) {
        let editor = Editor::open(Opening {
            path: doc.path.clone(),
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
        self.main = Main::Edit(Box::new(editor));
        self.detail_scroll = 0;
        // A session is running only in an editor opened on today's session.
        self.session_since = None;
    }

    /// How long the editor has been open on today's session, if it is.
    pub fn in_session_for(&self) -> Option<std::time::Duration> {
        let since = self.session_since?;
        self.editor()?;
        Some(self.now.saturating_duration_since(since))
    }

    /// Applies an action in the editor.
    pub(super) fn apply_editor(&mut self, action: Action) -> Vec<Effect> {
        let self_clock = self.clock;
        let now = self.now;
        let Some(e) = self.editor_mut() else {
            return Vec::new();
        };
        // Undo goes by word or pause, not a character at a time.
        let stepped = match action {
            Action::Undo => Some(e.undo()),
            Action::Redo => Some(e.redo()),
            _ => None,
        };
        if let Some(stepped) = stepped {
            if stepped {
                self.after_edit(None);
            }
            return Vec::new();
        }
        let snapshot = e.snapshot();
        let ta = &mut e.textarea;
        let before = e.read_only.then(|| ta.lines().to_vec());
        match action {
            Action::Close => return self.save_now(AfterSave::Close),
            Action::Save => return self.save_now(AfterSave::Stay),
            Action::Help => {
                self.open_help(Mode::Editor);
                return Vec::new();
            }
            Action::Copy => ta.copy(),
            Action::Cut => {
                ta.cut();
            }
            Action::Paste => {
                ta.paste();
            }
            Action::InsertTime => {
                let (h, m) = self_clock;
                ta.insert_str(format!("[{h:02}:{m:02}] "));
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
            Action::Bottom => {
                // The end of the buffer, not the start of its last line.
                ta.move_cursor(CursorMove::Bottom);
                ta.move_cursor(CursorMove::End);
            }
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
        if e.textarea.lines() != snapshot.0.as_slice() {
            e.changed(snapshot, Change::Other, now);
        }
        self.after_edit(before);
        Vec::new()
    }

    /// Text typed (or pasted) into the editor.
    pub(super) fn editor_type(&mut self, text: &str) -> Vec<Effect> {
        let Some(e) = self.editor_mut() else {
            return Vec::new();
        };
        let before = e.read_only.then(|| e.textarea.lines().to_vec());
        let snapshot = e.snapshot();
        // A pasted block arrives with its line breaks: insert them as text.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        e.textarea.insert_str(&text);
        let mut chars = text.chars();
        let change = match (chars.next(), chars.next()) {
            (Some(c), None) if c != '\n' => Change::Typed(c),
            _ => Change::Other,
        };
        let now = self.now;
        if let Some(e) = self.editor_mut() {
            e.changed(snapshot, change, now);
        }
        self.after_edit(before);
        Vec::new()
    }

    /// Notes the time of a change; undoes changes to a read-only buffer.
    fn after_edit(&mut self, read_only_lines: Option<Vec<String>>) {
        let now = self.now;
        let Some(e) = self.editor_mut() else {
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
        e.last_edit = Some(now);
    }
}
