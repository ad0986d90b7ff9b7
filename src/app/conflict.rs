//! When the file being saved changed on disk: a three-way merge of what
//! opsbook read, my buffer and the disk. What merges is saved with a
//! message; hunks changed on both sides are chosen one by one in the merge
//! view; overwriting says what it drops before it drops it.

use std::path::PathBuf;

use super::action::Action;
use super::effect::{Effect, WriteRequest};
use super::overlay::{DiffView, MergeTarget, MergeView, Overlay, Question};
use super::recovery::diff_lines;
use super::state::App;
use crate::notebook::edit::content_hash;
use crate::notebook::merge::{Choice, merge3};

/// Lines of theirs listed when overwriting would drop them.
const DROPS_SHOWN: usize = 5;

impl App {
    /// A save found the file changed on disk to `disk`.
    pub(super) fn conflicted(&mut self, disk: String) -> Vec<Effect> {
        let Some(e) = self.editor() else {
            return Vec::new();
        };
        let path = e.path.clone();
        let merge = merge3(&e.base, &e.result(), &disk);
        if merge.is_clean() {
            self.say(format!(
                "{} changed on disk: merged with your text",
                path.display()
            ));
            return self.write_whole(path, &disk, merge.text(&[]));
        }
        let hunks = merge.conflicts().count();
        self.ask(Question::Conflict { path, disk, hunks });
        Vec::new()
    }

    /// Saves a whole file over `disk` (as read just now), from the editor.
    fn write_whole(&mut self, path: PathBuf, disk: &str, text: String) -> Vec<Effect> {
        if let Some(e) = self.editor_mut() {
            e.in_flight = Some(e.body());
        }
        vec![Effect::Save(WriteRequest {
            path,
            base_hash: content_hash(disk.as_bytes()),
            range: 0..disk.len(),
            text,
        })]
    }

    pub(super) fn answer_conflict(
        &mut self,
        action: Action,
        path: PathBuf,
        disk: String,
    ) -> Vec<Effect> {
        let Some(e) = self.editor() else {
            self.overlay = None;
            return Vec::new();
        };
        let mine = e.result();
        match action {
            Action::Merge => {
                let merge = merge3(&e.base, &mine, &disk);
                let n = merge.conflicts().count();
                self.overlay = Some(Overlay::Merge(MergeView {
                    path,
                    target: MergeTarget::Editor { disk },
                    merge,
                    choices: vec![None; n],
                    current: 0,
                }));
                Vec::new()
            }
            Action::Reload => {
                // Keep my version beside the file, then show what is on disk.
                self.overlay = None;
                self.browse();
                vec![
                    Effect::WriteCopy {
                        path: path.clone(),
                        suffix: "conflict",
                        text: mine,
                        then: vec![Effect::DropJournal(path.clone())],
                    },
                    Effect::ReloadDocument(path),
                ]
            }
            Action::Overwrite => {
                // Say what goes before it goes.
                let drops = dropped_lines(&disk, &mine);
                self.ask(Question::Overwrite { path, disk, drops });
                Vec::new()
            }
            Action::ShowBoth => {
                self.show_both(DiffView {
                    title: format!("{}: on disk (-) and yours (+)", path.display()),
                    lines: diff_lines(&disk, &mine),
                    scroll: 0,
                });
                Vec::new()
            }
            Action::Cancel | Action::Close => {
                self.overlay = None;
                self.say("not saved; the editor keeps your text (ctrl-s asks again)");
                if let Some(e) = self.editor_mut() {
                    e.changed_on_disk = true;
                    e.hold_autosave = true;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn answer_overwrite(
        &mut self,
        action: Action,
        path: PathBuf,
        disk: String,
    ) -> Vec<Effect> {
        match action {
            Action::Confirm => {
                self.overlay = None;
                let mine = self.editor().map(|e| e.result()).unwrap_or_default();
                self.say(format!("{} overwritten with your version", path.display()));
                self.write_whole(path, &disk, mine)
            }
            Action::Cancel | Action::Close => {
                let merge = self
                    .editor()
                    .map(|e| merge3(&e.base, &e.result(), &disk).conflicts().count())
                    .unwrap_or(0);
                self.ask(Question::Conflict {
                    path,
                    disk,
                    hunks: merge,
                });
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Actions in the merge view.
    pub(super) fn apply_merge(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Merge(view)) = &mut self.overlay else {
            return Vec::new();
        };
        let n = view.choices.len();
        let choose = |view: &mut MergeView, c: Choice| {
            view.choices[view.current] = Some(c);
            // On to the next hunk still to choose, if any.
            if let Some(next) = (view.current + 1..n)
                .chain(0..view.current)
                .find(|&i| view.choices[i].is_none())
            {
                view.current = next;
            }
        };
        match action {
            Action::TakeMine => choose(view, Choice::Mine),
            Action::TakeTheirs => choose(view, Choice::Theirs),
            Action::TakeBoth => choose(view, Choice::Both),
            Action::Down => view.current = (view.current + 1).min(n.saturating_sub(1)),
            Action::Up => view.current = view.current.saturating_sub(1),
            Action::Confirm => {
                let open = view.choices.iter().filter(|c| c.is_none()).count();
                if open > 0 {
                    let s = if open == 1 { "" } else { "s" };
                    self.warn(format!(
                        "{open} hunk{s} still to choose (m mine, t theirs, b both)"
                    ));
                    return Vec::new();
                }
                let choices: Vec<Choice> = view.choices.iter().flatten().copied().collect();
                let text = view.merge.text(&choices);
                let path = view.path.clone();
                let target = view.target.clone();
                self.overlay = None;
                self.say(format!("{} merged as chosen", path.display()));
                return match target {
                    MergeTarget::Editor { disk } => self.write_whole(path, &disk, text),
                    MergeTarget::Sync => self.sync_note_chosen(path, text),
                };
            }
            Action::Close => match view.target.clone() {
                MergeTarget::Editor { disk } => {
                    let path = view.path.clone();
                    self.ask(Question::Conflict {
                        path,
                        disk,
                        hunks: n,
                    });
                }
                MergeTarget::Sync => self.sync_merge_left(),
            },
            _ => {}
        }
        Vec::new()
    }
}

impl App {
    /// The editor's file is gone from disk.
    pub(super) fn answer_gone(&mut self, action: Action, path: PathBuf) -> Vec<Effect> {
        let Some(e) = self.editor() else {
            self.overlay = None;
            return Vec::new();
        };
        let text = e.result();
        let lines = e.textarea.lines().len();
        match action {
            Action::Confirm => {
                self.overlay = None;
                self.say(format!("{} written anew", path.display()));
                if let Some(e) = self.editor_mut() {
                    e.in_flight = Some(e.body());
                }
                vec![Effect::Recreate(WriteRequest {
                    path,
                    base_hash: content_hash(b""),
                    range: 0..0,
                    text,
                })]
            }
            Action::SaveAs => {
                let name = path
                    .file_stem()
                    .map(|s| format!("{}-saved.md", s.to_string_lossy()))
                    .unwrap_or_default();
                self.open_prompt(
                    super::overlay::Purpose::NoteName { body: Some(text) },
                    "Save as a new note (file name)",
                    name,
                );
                Vec::new()
            }
            Action::Discard => {
                self.ask(Question::DiscardUnsaved { path, lines });
                Vec::new()
            }
            Action::Cancel | Action::Close => {
                self.overlay = None;
                self.say("not saved; the editor keeps your text (esc asks again)");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Discard the text of a file gone from disk, asked once more.
    pub(super) fn answer_discard(&mut self, action: Action, path: PathBuf) -> Vec<Effect> {
        match action {
            Action::Confirm => {
                self.overlay = None;
                self.browse();
                self.say(format!("discarded your text of {}", path.display()));
                vec![Effect::DropJournal(path)]
            }
            Action::Cancel | Action::Close => {
                self.ask(Question::Gone { path });
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

impl App {
    /// A copy was written beside a file: say where it really is.
    pub fn copy_written(&mut self, path: &std::path::Path, suffix: &str, copy: &std::path::Path) {
        let (path, copy) = (path.display(), copy.display());
        self.say(match suffix {
            "conflict" => format!("reloaded {path}; your version is in {copy}"),
            _ => format!("{path} changed since; the unsaved text is in {copy}"),
        });
    }
}

/// Lines of `disk` that `mine` does not have (what overwriting drops).
fn dropped_lines(disk: &str, mine: &str) -> Vec<String> {
    similar::TextDiff::from_lines(disk, mine)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| c.value().trim_end_matches(['\n', '\r']).to_string())
        .collect()
}

/// The lines overwriting drops, as the question shows them.
pub fn drops_summary(drops: &[String]) -> Vec<String> {
    let mut out: Vec<String> = drops.iter().take(DROPS_SHOWN).cloned().collect();
    if drops.len() > DROPS_SHOWN {
        out.push(format!("… and {} more", drops.len() - DROPS_SHOWN));
    }
    out
}
