//! The search pane's actions: the query, moving through results, opening
//! and jumping to them, and taking the answers of the search threads.

use super::action::{Action, Mode};
use super::effect::Effect;
use super::overlay::{Main, Scope, Search};
use super::state::App;
use crate::search::{Corpus, Results};

impl App {
    pub(super) fn apply_search(&mut self, action: Action) -> Vec<Effect> {
        let page = self.result_rows().max(1) as isize;
        match action {
            Action::Close => self.close_search(),
            Action::Down => self.move_result(1),
            Action::Up => self.move_result(-1),
            Action::PageDown => self.move_result(page),
            Action::PageUp => self.move_result(-page),
            Action::SearchOpen => {
                let selected = self.search().map_or(0, |s| s.selected);
                match self.search().map(|s| s.scope) {
                    Some(Scope::Links) => {
                        if let Some((url, kind)) = self.selected_url() {
                            return self.open_url(&url, kind);
                        }
                        // A postmortem document: shown in its view.
                        self.jump_to_result(selected);
                    }
                    Some(Scope::Notes) => self.jump_to_result(selected),
                    None => {}
                }
            }
            Action::SearchJump => {
                let selected = self.search().map_or(0, |s| s.selected);
                self.jump_to_result(selected);
            }
            Action::SearchScope => {
                if let Some(s) = self.search_mut() {
                    let scope = match s.scope {
                        Scope::Links => Scope::Notes,
                        Scope::Notes => Scope::Links,
                    };
                    let query = std::mem::take(&mut s.query);
                    let mut fresh = Search::new(scope, self.candidates(scope));
                    fresh.query = query.clone();
                    self.main = Main::Search(fresh);
                    return vec![Effect::Search(scope, query)];
                }
            }
            Action::DeleteChar => {
                return self.edit_query(|q| {
                    q.pop();
                });
            }
            Action::DeleteWord => return self.edit_query(delete_word),
            Action::ClearQuery => return self.edit_query(String::clear),
            Action::CopyUrl => return self.copy_url(),
            Action::Help => self.open_help(Mode::Search),
            _ => {}
        }
        Vec::new()
    }

    fn jump_to_result(&mut self, i: usize) {
        if let Some((view, target)) = self.result_target(i) {
            self.close_search();
            self.reveal(view, target);
        }
    }

    fn candidates(&self, scope: Scope) -> usize {
        match scope {
            Scope::Links => self.links.searchable(),
            Scope::Notes => self.notes.searchable(),
        }
    }

    /// Changes the query; a changed query is searched again.
    pub(super) fn edit_query(&mut self, edit: impl FnOnce(&mut String)) -> Vec<Effect> {
        let Some(s) = self.search_mut() else {
            return Vec::new();
        };
        let before = s.query.clone();
        edit(&mut s.query);
        if s.query == before {
            return Vec::new();
        }
        vec![Effect::Search(s.scope, s.query.clone())]
    }

    pub(super) fn open_search(&mut self, scope: Scope) -> Vec<Effect> {
        self.main = Main::Search(Search::new(scope, self.candidates(scope)));
        vec![Effect::Search(scope, String::new())]
    }

    /// Takes the answer of a search, if it answers the open search.
    pub fn search_answered(&mut self, scope: Scope, results: Results) {
        let Some(s) = self.search_mut() else { return };
        if s.scope != scope {
            return;
        }
        // Answers to older queries still show while typing: better than nothing.
        let keep_selection = s.answered.as_deref() == Some(results.query.as_str());
        s.hits = results.hits;
        s.total = results.total;
        s.complete = results.done;
        s.answered = Some(results.query);
        if !keep_selection {
            s.selected = 0;
            s.offset = 0;
        }
        s.selected = s.selected.min(s.hits.len().saturating_sub(1));
    }

    pub(super) fn move_result(&mut self, delta: isize) {
        let height = self.result_rows().max(1);
        if let Some(s) = self.search_mut() {
            if s.hits.is_empty() {
                return;
            }
            let max = s.hits.len() - 1;
            s.selected = s.selected.saturating_add_signed(delta).min(max);
            if s.selected < s.offset {
                s.offset = s.selected;
            } else if s.selected >= s.offset + height {
                s.offset = s.selected + 1 - height;
            }
        }
    }
}

/// Deletes the last word of a line of input (and the spaces after it).
pub(super) fn delete_word(line: &mut String) {
    let trimmed = line.trim_end().len();
    line.truncate(trimmed);
    let cut = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    line.truncate(cut);
}
