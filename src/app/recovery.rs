//! Unsaved text left by an earlier run: offered back one entry at a time.

use std::sync::Arc;

use super::action::Action;
use super::anchor::node_at;
use super::effect::Effect;
use super::overlay::{DiffView, Question};
use super::state::App;
use super::tree::Target;
use crate::notebook::edit::content_hash;
use crate::storage::journal::Entry;

impl App {
    /// Offers the next leftover journal entry, if any.
    pub fn offer_recovery(&mut self) {
        if self.overlay.is_some() {
            return;
        }
        let Some(entry) = self.recoveries.first().cloned() else {
            return;
        };
        let (in_place, current) = match self.notebook.document_index(&entry.file) {
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
        self.ask(Question::Recover {
            entry,
            in_place,
            current,
        });
    }

    pub(super) fn answer_recovery(
        &mut self,
        action: Action,
        entry: Entry,
        in_place: bool,
        current: String,
    ) -> Vec<Effect> {
        let path = entry.file.clone();
        let next = |app: &mut App| {
            app.overlay = None;
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
                // Where the recovered text ends: typing goes on from there.
                let cursor = end_of(&text);
                next(self);
                self.open_editor(
                    &doc,
                    entry.start..entry.end,
                    Some(text),
                    true,
                    entry.prefix.clone(),
                    target,
                    cursor,
                );
                self.say(format!(
                    "recovered unsaved text of {}: it saves as you go",
                    path.display()
                ));
                // Journaled as this instance's before the old entry goes.
                let own = self.editor().map(|e| Effect::Journal(e.journal_entry()));
                own.into_iter()
                    .chain([Effect::DropLeftover(entry.file.clone())])
                    .collect()
            }
            Action::Confirm => {
                // The file changed since: put the text beside it, never over it.
                next(self);
                vec![Effect::WriteCopy {
                    path,
                    suffix: "recovered",
                    text: entry.text.clone(),
                    then: vec![Effect::DropLeftover(entry.file.clone())],
                }]
            }
            Action::Discard => {
                next(self);
                self.say(format!("discarded the unsaved text of {}", path.display()));
                vec![Effect::DropLeftover(entry.file.clone())]
            }
            Action::ShowBoth => {
                self.show_both(DiffView {
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

/// The row and column (in characters) where `text` ends, its last line
/// ending aside: the editor keeps a final empty line of its own.
pub(super) fn end_of(text: &str) -> (usize, usize) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let row = body.matches('\n').count();
    let col = body.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (row, col)
}
