//! The notebook's git state, and when to sync: in auto mode, pull on start
//! and every few minutes while nothing is uncommitted, commit when the
//! editor closes or a few minutes after typing stops (never once per
//! autosave), push shortly after a commit. Git itself runs on the runtime's
//! thread; this only decides and shows.

use std::path::PathBuf;
use std::time::Instant;

use super::effect::Effect;
use super::overlay::{MergeTarget, MergeView, Overlay};
use super::state::App;
use crate::config::{SyncMode, SyncSettings};
use crate::sync::{FileConflict, GitAnswer, GitRequest, Status};

/// Git as the app knows it.
#[derive(Clone, Debug, Default)]
pub struct GitState {
    /// The settings of `config.toml`.
    pub settings: SyncSettings,
    /// Where the work tree stands, once known (`None` outside one).
    pub status: Option<Status>,
    /// A request is under way: one at a time.
    pub busy: bool,
    /// When the last pull was.
    pub last_pull: Option<Instant>,
    /// When saved notes are to be committed.
    pub commit_due: Option<Instant>,
    /// When a commit is to be pushed.
    pub push_due: Option<Instant>,
    /// Notes changed on the same lines on both sides, still to choose.
    pub pending: Vec<FileConflict>,
    /// Notes chosen so far.
    pub chosen: Vec<(PathBuf, String)>,
}

impl App {
    /// What to do once the UI runs: learn where git stands.
    pub fn started(&mut self, now: Instant) -> Vec<Effect> {
        self.now = now;
        if self.git.settings.mode == SyncMode::Off {
            return Vec::new();
        }
        self.ask_git(GitRequest::Status)
    }

    fn ask_git(&mut self, request: GitRequest) -> Vec<Effect> {
        if self.git.busy && request != GitRequest::Status {
            return Vec::new();
        }
        if request != GitRequest::Status {
            self.git.busy = true;
        }
        vec![Effect::Git(request)]
    }

    fn auto(&self) -> bool {
        self.git.settings.mode == SyncMode::Auto
            && self
                .git
                .status
                .as_ref()
                .is_some_and(|s| s.upstream && s.branch.is_some())
    }

    /// `S`: sync now.
    pub(super) fn sync_now(&mut self) -> Vec<Effect> {
        match (&self.git.status, self.git.settings.mode) {
            (_, SyncMode::Off) => {
                self.say("sync is off (config.toml: [sync] mode)");
                Vec::new()
            }
            (None, _) => {
                self.say("the notebook is not in a git work tree: nothing to sync");
                Vec::new()
            }
            _ if self.git.busy => {
                self.say("git is busy: a sync is under way");
                Vec::new()
            }
            _ => {
                self.say("syncing…");
                self.ask_git(GitRequest::Sync)
            }
        }
    }

    /// A note was saved: in auto mode, commit once typing has stopped a while.
    pub(super) fn note_saved(&mut self) {
        if self.git.settings.mode == SyncMode::Auto && self.git.status.is_some() {
            self.git.commit_due = Some(self.now + self.git.settings.commit_after());
        }
    }

    /// The editor closed: in auto mode, commit now.
    pub(super) fn editor_closed(&mut self) -> Vec<Effect> {
        if self.git.settings.mode == SyncMode::Auto && self.git.status.is_some() {
            self.git.commit_due = Some(self.now);
        }
        Vec::new()
    }

    /// The timers of auto mode, checked on every tick.
    pub(super) fn git_tick(&mut self, now: Instant) -> Vec<Effect> {
        if self.git.busy || self.git.settings.mode != SyncMode::Auto || self.git.status.is_none() {
            return Vec::new();
        }
        let typing = self.editor().is_some_and(|e| e.dirty());
        if self.git.commit_due.is_some_and(|t| now >= t) && !typing {
            self.git.commit_due = None;
            return self.ask_git(GitRequest::Commit);
        }
        if !self.auto() {
            return Vec::new();
        }
        if self.git.push_due.is_some_and(|t| now >= t) {
            self.git.push_due = None;
            return self.ask_git(GitRequest::Sync);
        }
        let clean = self.git.status.as_ref().is_some_and(|s| s.uncommitted == 0) && !typing;
        let pull_due = self
            .git
            .last_pull
            .is_none_or(|t| now.duration_since(t) >= self.git.settings.pull_every());
        if clean && pull_due && self.git.pending.is_empty() {
            self.git.last_pull = Some(now);
            return self.ask_git(GitRequest::Sync);
        }
        Vec::new()
    }

    /// What git answered.
    pub fn git_answered(&mut self, answer: GitAnswer, now: Instant) -> Vec<Effect> {
        self.now = now;
        match answer {
            GitAnswer::Status(status) => {
                self.git.status = status;
                Vec::new()
            }
            GitAnswer::Committed(result) => {
                self.git.busy = false;
                match result {
                    Ok(Some(message)) => {
                        self.say(format!("committed \"{message}\""));
                        self.git.push_due = Some(now + self.git.settings.push_after());
                    }
                    Ok(None) => {}
                    Err(why) => self.warn(format!("{why}; kept locally, tried again later")),
                }
                self.ask_git(GitRequest::Status)
            }
            GitAnswer::Synced(result) => {
                self.git.busy = false;
                self.git.last_pull = Some(now);
                match result {
                    Ok(report) => {
                        self.say(report.summary());
                        if !report.conflicts.is_empty() {
                            self.git.pending = report.conflicts;
                            self.git.chosen.clear();
                            self.next_sync_conflict();
                        }
                    }
                    Err(why) => self.warn(format!("sync: {why}; work goes on locally")),
                }
                self.ask_git(GitRequest::Status)
            }
        }
    }

    /// Opens the merge view on the next note changed on both sides, or
    /// finishes the sync once every one is chosen.
    fn next_sync_conflict(&mut self) -> Vec<Effect> {
        if self.git.pending.is_empty() {
            let chosen = std::mem::take(&mut self.git.chosen);
            return if chosen.is_empty() {
                Vec::new()
            } else {
                self.ask_git(GitRequest::Resolve(chosen))
            };
        }
        let c = self.git.pending.remove(0);
        let n = c.merge.conflicts().count();
        self.overlay = Some(Overlay::Merge(MergeView {
            path: c.path,
            target: MergeTarget::Sync,
            merge: c.merge,
            choices: vec![None; n],
            current: 0,
        }));
        Vec::new()
    }

    /// A note of a sync chosen in the merge view.
    pub(super) fn sync_note_chosen(&mut self, path: PathBuf, text: String) -> Vec<Effect> {
        self.git.chosen.push((path, text));
        self.next_sync_conflict()
    }

    /// Leaving a sync's merge view: the conflicts wait for the next `S`.
    pub(super) fn sync_merge_left(&mut self) {
        self.overlay = None;
        self.git.pending.clear();
        self.git.chosen.clear();
        self.say("not merged: yours stays committed, theirs upstream; S merges again");
    }

    /// The status bar's git facts: branch, ahead, behind, uncommitted notes.
    pub fn git_facts(&self) -> Option<String> {
        if self.git.settings.mode == SyncMode::Off {
            return None;
        }
        let s = self.git.status.as_ref()?;
        let mut out = s.branch.clone().unwrap_or_else(|| "(detached)".into());
        if s.ahead > 0 {
            out.push_str(&format!(" ↑{}", s.ahead));
        }
        if s.behind > 0 {
            out.push_str(&format!(" ↓{}", s.behind));
        }
        if s.uncommitted > 0 {
            out.push_str(&format!(" ●{}", s.uncommitted));
        }
        if self.git.busy {
            out.push_str(" ⟳");
        }
        Some(out)
    }
}
