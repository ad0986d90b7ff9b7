//! Saving the editor's buffer: autosave after a pause, the crash journal,
//! conflicts with changes made by other programs, and computed edits (new
//! links) written the same safe way.

use std::time::{Duration, Instant};

use super::action::Action;
use super::editor::AfterSave;
use super::effect::{Effect, UndoStep, WriteRequest, Written};
use super::overlay::{Overlay, Question};
use super::state::App;
use crate::notebook::Document;
use crate::notebook::edit::{self, content_hash};
use crate::storage::SaveError;

/// How long typing must pause before the buffer is saved, unless
/// `config.toml` says otherwise (`App::autosave_after`).
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(1);

impl App {
    /// The save of the buffer, if it needs one.
    fn save_request(&self) -> Option<WriteRequest> {
        let e = self.editor()?;
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

    /// Saves now; `then` says what follows a successful save. One save at a
    /// time: while one is under way, this only says what follows it.
    pub fn save_now(&mut self, then: AfterSave) -> Vec<Effect> {
        let Some(e) = self.editor_mut() else {
            return Vec::new();
        };
        if then != AfterSave::Stay && !e.read_only {
            e.drop_empty_last_item();
        }
        if e.in_flight.is_some() {
            // Closing or quitting wins over staying.
            if then != AfterSave::Stay {
                e.after_save = then;
            }
            return Vec::new();
        }
        e.after_save = then;
        match self.save_request() {
            Some(req) => {
                if let Some(e) = self.editor_mut() {
                    e.in_flight = Some(e.body());
                }
                vec![Effect::Save(req)]
            }
            None => {
                self.after_saved();
                Vec::new()
            }
        }
    }

    fn after_saved(&mut self) {
        let then = self.editor().map_or(AfterSave::Stay, |e| e.after_save);
        match then {
            AfterSave::Stay => {}
            AfterSave::Close => {
                self.browse();
                self.editor_closed();
            }
            AfterSave::Quit => {
                self.browse();
                self.quit = true;
            }
        }
    }

    /// The outcome of writing the editor's buffer with `req`.
    pub fn save_finished(
        &mut self,
        req: &WriteRequest,
        result: Result<String, SaveError>,
    ) -> Vec<Effect> {
        let Some(e) = self.editor_mut() else {
            return Vec::new();
        };
        if result.is_err() {
            e.in_flight = None;
        }
        match result {
            Ok(content) if req.range != (e.start..e.end) => {
                // A whole-file write: a merge or an overwrite.
                let path = e.path.clone();
                if !e.rebased(content) {
                    self.browse();
                    self.warn(format!(
                        "{}: your text was not kept, so the editor closed",
                        path.display()
                    ));
                    return vec![
                        Effect::DropJournal(path.clone()),
                        Effect::ReloadDocument(path),
                    ];
                }
                let mut effects = vec![Effect::ReloadDocument(path.clone())];
                let then = e.after_save;
                self.note_saved();
                if self.editor().is_some_and(|e| !e.dirty()) {
                    effects.insert(0, Effect::DropJournal(path));
                    self.after_saved();
                } else if then != AfterSave::Stay {
                    effects.extend(self.save_now(then));
                }
                effects
            }
            Ok(content) => {
                let old_len = e.end - e.start;
                let at = e.start;
                // The first save of today's new session (`n`): `u` takes it
                // out again while the file is as this save left it.
                // Only a session with nothing typed under it yet: `u` never
                // takes back what the user wrote.
                let untouched = req
                    .text
                    .trim_start_matches(['\r', '\n'])
                    .lines()
                    .skip(1)
                    .all(|l| matches!(l.trim(), "" | "-" | "*" | "+"));
                let new_session = e.saved.starts_with('\u{0}') && old_len == 0 && untouched;
                if new_session && self.session_since.is_some() {
                    let undo = WriteRequest {
                        path: req.path.clone(),
                        base_hash: content_hash(content.as_bytes()),
                        range: at..at + req.text.len(),
                        text: String::new(),
                    };
                    self.undo
                        .push((UndoStep::Write(undo), "today's new session".into()));
                } else {
                    // The last write is the user's own text, which `u`
                    // never takes back: nor, now, anything before it.
                    self.undo.clear();
                }
                let Some(e) = self.editor_mut() else {
                    return Vec::new();
                };
                e.saved_as(content, &req.text);
                let new_len = e.end - at;
                let path = e.path.clone();
                let typed_since = e.dirty();
                let then = e.after_save;
                self.last_write = Some((path.clone(), at, old_len, new_len));
                self.say(format!("saved {}", path.display()));
                self.note_saved();
                let mut effects = vec![Effect::ReloadDocument(path.clone())];
                if !typed_since {
                    effects.insert(0, Effect::DropJournal(path));
                    self.after_saved();
                } else if then != AfterSave::Stay {
                    // Typed after the request: saved too, before closing.
                    effects.extend(self.save_now(then));
                }
                effects
            }
            Err(SaveError::Conflict { disk, .. }) => {
                e.after_save = AfterSave::Stay;
                self.conflicted(disk)
            }
            Err(SaveError::Gone(_)) => {
                e.after_save = AfterSave::Stay;
                let path = e.path.clone();
                self.ask(Question::Gone { path });
                Vec::new()
            }
            Err(err) => {
                e.after_save = AfterSave::Stay;
                let kept = self.where_text_is_kept();
                self.warn(format!("{err}; {kept}"));
                Vec::new()
            }
        }
    }

    /// Where unsaved text is, truthfully: the editor and the journal, or the
    /// editor only while the journal cannot be written (a full disk).
    pub fn where_text_is_kept(&self) -> String {
        match &self.journal_failed {
            None => "your text is kept in the editor and the journal".to_string(),
            Some(why) => format!(
                "your text is only in the editor (the journal failed too: {why}): free some space on that disk; opsbook keeps trying"
            ),
        }
    }

    /// The crash journal was written (`None`), or failed: a failed write is
    /// tried again at the next tick.
    pub fn journal_written(&mut self, failed: Option<String>) {
        if failed.is_some()
            && let Some(e) = self.editor_mut()
        {
            e.journaled = None;
        }
        self.journal_failed = failed;
    }

    /// Asked to stop (SIGTERM, SIGHUP): the buffer goes to the journal and to
    /// the file, and opsbook leaves whatever the save gives (the journal
    /// keeps the text if it failed).
    pub fn terminate(&mut self, now: Instant) -> Vec<Effect> {
        self.now = now;
        self.quit = true;
        let Some(e) = self.editor_mut() else {
            return Vec::new();
        };
        if !e.dirty() {
            return Vec::new();
        }
        let entry = e.journal_entry();
        e.in_flight = None;
        e.after_save = AfterSave::Quit;
        let mut effects = vec![Effect::Journal(entry)];
        effects.extend(self.save_now(AfterSave::Quit));
        effects
    }

    /// Called often (every few hundred milliseconds): journals unsaved text,
    /// and saves once typing has paused for a second.
    pub fn tick(&mut self, now: Instant) -> Vec<Effect> {
        self.now = now;
        self.expire_message(now);
        let mut effects = self.git_tick(now);
        // A question (a conflict) stops saving until answered; help does not.
        let asking = matches!(self.overlay, Some(Overlay::Question { .. }));
        let autosave_after = self.autosave_after;
        let Some(e) = self.editor_mut() else {
            return effects;
        };
        if !e.dirty() || asking {
            return effects;
        }
        let text = e.file_text();
        if e.journaled.as_deref() != Some(text.as_str()) {
            effects.push(Effect::Journal(e.journal_entry()));
            e.journaled = Some(text);
        }
        let paused = e
            .last_edit
            .is_none_or(|t| now.duration_since(t) >= autosave_after);
        if paused && !e.hold_autosave {
            effects.extend(self.save_now(AfterSave::Stay));
        }
        effects
    }

    /// Says that the editor's file changed on disk, when it did.
    pub fn check_disk(&mut self, disk_hash: Option<u64>) {
        let Some(e) = self.editor_mut() else {
            return;
        };
        if let Some(h) = disk_hash
            && h != e.base_hash
            && !e.changed_on_disk
        {
            e.changed_on_disk = true;
            let path = e.path.display().to_string();
            self.warn(format!(
                "{path} changed on disk; saving merges it with your text, and asks only where both changed a line"
            ));
        }
    }

    /// Answers to a conflict or a recovery offer.
    pub(super) fn answer(&mut self, action: Action) -> Vec<Effect> {
        match self.question().cloned() {
            Some(Question::Conflict { path, disk, .. }) => self.answer_conflict(action, path, disk),
            Some(Question::Overwrite { path, disk, .. }) => {
                self.answer_overwrite(action, path, disk)
            }
            Some(Question::Recover {
                entry,
                in_place,
                current,
            }) => self.answer_recovery(action, entry, in_place, current),
            Some(Question::Gone { path }) => self.answer_gone(action, path),
            Some(Question::DiscardUnsaved { path, .. }) => self.answer_discard(action, path),
            _ => Vec::new(),
        }
    }

    pub(super) fn write_edit(
        &mut self,
        doc: &Document,
        e: edit::Edit,
        written: Written,
    ) -> Vec<Effect> {
        if doc.read_only {
            self.warn(format!("{} is read-only: not written", doc.path.display()));
            return Vec::new();
        }
        // What takes it back: the bytes it replaces, over the file as it
        // will be, checked as any write is.
        let after = edit::splice(&doc.source, e.range.clone(), &e.text);
        let what = match &written {
            Written::NewLink => "the link added".to_string(),
            Written::Rewrite { .. } => "the link rewritten".to_string(),
            Written::Action(done) => done.clone(),
            Written::Undo(_) => String::new(),
        };
        self.pending_undo = (!matches!(written, Written::Undo(_))).then(|| {
            (
                WriteRequest {
                    path: doc.path.clone(),
                    base_hash: content_hash(after.as_bytes()),
                    range: e.range.start..e.range.start + e.text.len(),
                    text: doc.source[e.range.clone()].to_string(),
                },
                what,
            )
        });
        vec![Effect::Write(
            WriteRequest {
                path: doc.path.clone(),
                base_hash: content_hash(doc.source.as_bytes()),
                range: e.range,
                text: e.text,
            },
            written,
        )]
    }

    /// `u`: takes back opsbook's last write to a note (a link added, a URL
    /// rewritten, an action marked), unless the file changed since.
    pub(super) fn undo_last_write(&mut self) -> Vec<Effect> {
        let Some((step, what)) = self.undo.pop() else {
            self.say("nothing to undo: a, n, N, P, F and marking an action are undone with u");
            return Vec::new();
        };
        match step {
            UndoStep::Write(req) => vec![Effect::Write(req, Written::Undo(what))],
            UndoStep::Remove { path, hash } => vec![Effect::RemoveNote { path, hash, what }],
        }
    }

    /// The outcome of writing a computed edit (a new link, a rewritten URL).
    pub fn write_finished(
        &mut self,
        req: WriteRequest,
        written: Written,
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
                match written {
                    // The rewritten link stays selected: it starts before its URL.
                    Written::Rewrite { done, link_offset } => {
                        self.reveal_link = Some((path.clone(), link_offset));
                        self.say(done);
                    }
                    Written::NewLink => {
                        self.reveal_link = Some((path.clone(), req.range.start));
                        self.say(format!("link added to {}", path.display()));
                    }
                    Written::Action(done) => self.say(done),
                    Written::Undo(what) => self.say(format!("undone: {what}")),
                }
                if let Some((u, what)) = self.pending_undo.take().filter(|(u, _)| u.path == path) {
                    self.undo.push((UndoStep::Write(u), what));
                }
                vec![Effect::ReloadDocument(path)]
            }
            Err(e) => {
                let what = match written {
                    Written::Rewrite { .. } => "link not rewritten",
                    Written::NewLink => "no link added",
                    Written::Action(_) => "action not marked",
                    Written::Undo(_) => "nothing undone",
                };
                self.pending_undo = None;
                self.warn(format!("{e}: {what} (reload with ctrl-r and try again)"));
                Vec::new()
            }
        }
    }
}
