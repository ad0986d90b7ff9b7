//! Applying actions to the state. No I/O: what needs the outside world is
//! returned as effects for the runtime to carry out.

use super::action::Action;
use super::safety::{Verdict, check};
use super::state::{App, Effect, Question, Scope, Search};
use super::tree::{LinkOrder, Target, View, ancestors};
use crate::keymap::{KeyPress, Mode, Resolution, keys_to_string};
use crate::search::Results;

impl App {
    /// Handles one key press: resolves it through the keymap and applies it.
    pub fn handle_key(&mut self, key: KeyPress) -> Vec<Effect> {
        let mode = self.mode();
        let pending = std::mem::take(&mut self.pending);
        match self.keymap.resolve(mode, &pending, key) {
            Resolution::Action(a) => self.apply(a),
            Resolution::Text(c) => match mode {
                Mode::Editor => self.editor_type(&c.to_string()),
                Mode::Prompt => self.prompt_type(&c.to_string()),
                _ => self.type_char(c),
            },
            Resolution::Pending => {
                self.pending = vec![key];
                Vec::new()
            }
            Resolution::Unbound => {
                if mode == Mode::Normal {
                    let help = self.keymap.keys_for(Mode::Normal, Action::Help);
                    let hint = help
                        .first()
                        .map_or(String::new(), |k| format!(" ({k} for help)"));
                    self.say(format!("{} is not bound{hint}", keys_to_string(&[key])));
                }
                Vec::new()
            }
        }
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        match self.mode() {
            Mode::Confirm => self.apply_confirm(action),
            Mode::Help => self.apply_help(action),
            Mode::Search => self.apply_search(action),
            Mode::Normal => self.apply_normal(action),
            Mode::Editor => self.apply_editor(action),
            Mode::Prompt => self.apply_prompt(action),
        }
    }

    fn apply_confirm(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(self.question, Some(Question::OpenSuspiciousHost { .. })) {
            return self.answer(action);
        }
        match action {
            Action::Confirm => match self.question.take() {
                Some(Question::OpenSuspiciousHost { url, .. }) => {
                    self.say(format!("opening {url}"));
                    vec![Effect::Open(url)]
                }
                _ => Vec::new(),
            },
            Action::Cancel | Action::Close => {
                self.question = None;
                self.say("not opened");
                Vec::new()
            }
            Action::Quit => self.quit(),
            _ => Vec::new(),
        }
    }

    fn apply_help(&mut self, action: Action) -> Vec<Effect> {
        if let Some(d) = &mut self.diff {
            match action {
                Action::Close | Action::Help => self.diff = None,
                Action::Down => d.scroll = d.scroll.saturating_add(1),
                Action::Up => d.scroll = d.scroll.saturating_sub(1),
                _ => {}
            }
            return Vec::new();
        }
        if let Some((_, scroll)) = &mut self.help {
            match action {
                Action::Close | Action::Help => self.help = None,
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Quit => return self.quit(),
                _ => {}
            }
        }
        Vec::new()
    }

    fn quit(&mut self) -> Vec<Effect> {
        if self.editor.is_some() {
            // Unsaved text is written first; a failed save keeps opsbook open.
            self.help = None;
            return self.save_now(super::editor::AfterSave::Quit);
        }
        self.quit = true;
        Vec::new()
    }

    fn apply_normal(&mut self, action: Action) -> Vec<Effect> {
        let page = self.nav_height.max(1);
        match action {
            Action::Quit => return self.quit(),
            Action::Down => self.move_selection(1),
            Action::Up => self.move_selection(-1),
            Action::PageDown => self.move_selection(page as isize),
            Action::PageUp => self.move_selection(-(page as isize)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::Expand => self.expand(),
            Action::Collapse => self.collapse(),
            Action::Toggle => self.toggle(),
            Action::Open => {
                if let Some((url, kind)) = self.selected_url() {
                    return self.open_url(&url, kind);
                }
                self.toggle();
            }
            Action::CopyUrl => return self.copy_url(),
            Action::SearchLinks => return self.open_search(Scope::Links),
            Action::SearchNotes => return self.open_search(Scope::Notes),
            Action::ViewPostmortems => self.switch_view(View::Postmortems),
            Action::ViewSessions => self.switch_view(View::Sessions),
            Action::ViewNotebook => self.switch_view(View::Notebook),
            Action::ViewLinks => self.switch_view(View::Links),
            Action::NextView => self.switch_view(View::ALL[(self.view.index() + 1) % 4]),
            Action::PrevView => self.switch_view(View::ALL[(self.view.index() + 3) % 4]),
            Action::ToggleSort => {
                if self.view == View::Links {
                    self.link_order = match self.link_order {
                        LinkOrder::Document => LinkOrder::Year,
                        LinkOrder::Year => LinkOrder::Document,
                    };
                    self.rebuild(View::Links);
                    self.keep_in_view();
                    self.say(match self.link_order {
                        LinkOrder::Document => "links in document order",
                        LinkOrder::Year => "links by year, newest first",
                    });
                } else {
                    self.say("sorting applies to the Links view (4)");
                }
            }
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(3),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Action::Reload => return vec![Effect::Reload],
            Action::Help => self.help = Some((Mode::Normal, 0)),
            Action::Edit => return self.start_editing(),
            Action::NewSession => return self.new_session_prompt(),
            Action::AddLink => return self.add_link_prompt(),
            Action::NewNote => return self.new_note_prompt(),
            Action::ExternalEdit => return self.external_edit(),
            _ => {}
        }
        Vec::new()
    }

    fn apply_search(&mut self, action: Action) -> Vec<Effect> {
        let page = self.results_height.max(1) as isize;
        match action {
            Action::Close => self.search = None,
            Action::Quit => return self.quit(),
            Action::Down => self.move_result(1),
            Action::Up => self.move_result(-1),
            Action::PageDown => self.move_result(page),
            Action::PageUp => self.move_result(-page),
            Action::SearchOpen => {
                let selected = self.search.as_ref().map_or(0, |s| s.selected);
                match self.search.as_ref().map(|s| s.scope) {
                    Some(Scope::Links) => {
                        if let Some((url, kind)) = self.selected_url() {
                            return self.open_url(&url, kind);
                        }
                    }
                    Some(Scope::Notes) => {
                        if let Some((view, target)) = self.result_target(selected) {
                            self.search = None;
                            self.reveal(view, target);
                        }
                    }
                    None => {}
                }
            }
            Action::SearchJump => {
                let selected = self.search.as_ref().map_or(0, |s| s.selected);
                if let Some((view, target)) = self.result_target(selected) {
                    self.search = None;
                    self.reveal(view, target);
                }
            }
            Action::SearchScope => {
                if let Some(s) = &mut self.search {
                    let scope = match s.scope {
                        Scope::Links => Scope::Notes,
                        Scope::Notes => Scope::Links,
                    };
                    let query = std::mem::take(&mut s.query);
                    let total = match scope {
                        Scope::Links => self.notebook.link_count(),
                        Scope::Notes => self.notes.entries.len(),
                    };
                    let mut fresh = Search::new(scope, total);
                    fresh.query = query.clone();
                    self.search = Some(fresh);
                    return vec![Effect::Search(scope, query)];
                }
            }
            Action::DeleteChar => {
                return self.edit_query(|q| {
                    q.pop();
                });
            }
            Action::DeleteWord => {
                return self.edit_query(|q| {
                    let trimmed = q.trim_end().len();
                    q.truncate(trimmed);
                    let cut = q.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                    q.truncate(cut);
                });
            }
            Action::ClearQuery => return self.edit_query(String::clear),
            Action::CopyUrl => return self.copy_url(),
            Action::Help => self.help = Some((Mode::Search, 0)),
            _ => {}
        }
        Vec::new()
    }

    fn type_char(&mut self, c: char) -> Vec<Effect> {
        self.edit_query(|q| q.push(c))
    }

    fn edit_query(&mut self, edit: impl FnOnce(&mut String)) -> Vec<Effect> {
        let Some(s) = &mut self.search else {
            return Vec::new();
        };
        let before = s.query.clone();
        edit(&mut s.query);
        if s.query == before {
            return Vec::new();
        }
        vec![Effect::Search(s.scope, s.query.clone())]
    }

    fn open_search(&mut self, scope: Scope) -> Vec<Effect> {
        let total = match scope {
            Scope::Links => self.notebook.link_count(),
            Scope::Notes => self.notes.entries.len(),
        };
        self.search = Some(Search::new(scope, total));
        vec![Effect::Search(scope, String::new())]
    }

    /// Takes the answer of a search, if it answers the open search.
    pub fn search_answered(&mut self, scope: Scope, results: Results) {
        let Some(s) = &mut self.search else { return };
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

    fn move_result(&mut self, delta: isize) {
        let height = self.results_height.max(1);
        if let Some(s) = &mut self.search {
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

    /// Pasted text: typed into the search query (line breaks as spaces).
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        match self.mode() {
            Mode::Editor => return self.editor_type(text),
            Mode::Prompt => return self.prompt_type(text),
            Mode::Search => {}
            _ => return Vec::new(),
        }
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.edit_query(|q| q.push_str(&clean))
    }

    /// Moves through the search results (mouse wheel).
    pub fn scroll_results(&mut self, delta: isize) {
        self.move_result(delta);
    }

    /// Scrolls the detail pane (mouse wheel).
    pub fn scroll_detail(&mut self, delta: isize) {
        self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
    }

    /// Selects a search result by its row on screen (mouse).
    pub fn click_result(&mut self, row: usize) {
        if let Some(s) = &mut self.search {
            let i = s.offset + row;
            if i < s.hits.len() {
                s.selected = i;
            }
        }
    }

    fn open_url(&mut self, url: &str, kind: crate::notebook::LinkKind) -> Vec<Effect> {
        match check(url, kind) {
            Verdict::Open(u) => {
                self.say(format!("opening {u}"));
                vec![Effect::Open(u)]
            }
            Verdict::Refuse(why) => {
                self.warn(why);
                Vec::new()
            }
            Verdict::Confirm { url, decoded, raw } => {
                self.question = Some(Question::OpenSuspiciousHost { url, decoded, raw });
                Vec::new()
            }
        }
    }

    fn copy_url(&mut self) -> Vec<Effect> {
        match self.selected_url() {
            Some((url, _)) => {
                self.say(format!("copied {url}"));
                vec![Effect::Copy(url)]
            }
            None => {
                self.warn("no link selected: nothing to copy");
                Vec::new()
            }
        }
    }

    /// Tells the user a link could not be opened, and copies it instead.
    pub fn open_failed(&mut self, url: String, why: &str) -> Vec<Effect> {
        self.warn(format!("{why}; URL copied to the clipboard: {url}"));
        vec![Effect::Copy(url)]
    }

    /// Shows a view.
    pub fn switch_view(&mut self, view: View) {
        self.view = view;
        self.detail_scroll = 0;
    }

    fn move_selection(&mut self, delta: isize) {
        let pane = self.pane_mut();
        if pane.rows.is_empty() {
            return;
        }
        let max = pane.rows.len() - 1;
        pane.selected = pane.selected.saturating_add_signed(delta).min(max);
        self.selection_changed();
    }

    /// Selects a row by index (clamped).
    pub fn select(&mut self, i: usize) {
        let pane = self.pane_mut();
        pane.selected = i.min(pane.rows.len().saturating_sub(1));
        self.selection_changed();
    }

    /// Selects a row by its line on screen (mouse). With the editor open,
    /// its buffer is saved and the editor closed first.
    pub fn click_row(&mut self, line: usize) -> Vec<Effect> {
        let i = self.pane().offset + line;
        if i >= self.pane().rows.len() {
            return Vec::new();
        }
        let effects = if self.editor.is_some() {
            self.save_now(super::editor::AfterSave::Close)
        } else {
            Vec::new()
        };
        self.select(i);
        effects
    }

    /// Scrolls the navigation pane (mouse wheel) without moving past the ends.
    pub fn scroll(&mut self, delta: isize) {
        self.move_selection(delta);
    }

    fn selection_changed(&mut self) {
        self.detail_scroll = 0;
        self.keep_in_view();
    }

    /// Scrolls so the selected row is on screen.
    pub fn keep_in_view(&mut self) {
        let height = self.nav_height.max(1);
        let pane = self.pane_mut();
        if pane.selected < pane.offset {
            pane.offset = pane.selected;
        } else if pane.selected >= pane.offset + height {
            pane.offset = pane.selected + 1 - height;
        }
        let max_offset = pane.rows.len().saturating_sub(height);
        pane.offset = pane.offset.min(max_offset);
    }

    fn expand(&mut self) {
        let Some(row) = self.pane().rows.get(self.pane().selected).copied() else {
            return;
        };
        if !row.expandable {
            return;
        }
        if row.expanded {
            self.move_selection(1);
        } else {
            self.pane_mut().expanded.insert(row.target);
            self.rebuild(self.view);
        }
    }

    fn collapse(&mut self) {
        let pane = self.pane();
        let Some(row) = pane.rows.get(pane.selected).copied() else {
            return;
        };
        if row.expanded {
            self.pane_mut().expanded.remove(&row.target);
            self.rebuild(self.view);
            self.keep_in_view();
            return;
        }
        // Step out to the parent row.
        if row.depth > 0
            && let Some(parent) = pane.rows[..pane.selected]
                .iter()
                .rposition(|r| r.depth < row.depth)
        {
            self.select(parent);
        }
    }

    fn toggle(&mut self) {
        let Some(row) = self.pane().rows.get(self.pane().selected).copied() else {
            return;
        };
        if !row.expandable {
            return;
        }
        if row.expanded {
            self.pane_mut().expanded.remove(&row.target);
        } else {
            self.pane_mut().expanded.insert(row.target);
        }
        self.rebuild(self.view);
        self.keep_in_view();
    }

    /// Shows `target` in `view`: opens its ancestors and selects it.
    /// (Not while the editor is open: its pane shows the edited node.)
    pub fn reveal(&mut self, view: View, target: Target) {
        let opened = ancestors(&self.notebook, &self.index, view, target);
        let pane = &mut self.panes[view.index()];
        pane.expanded.extend(opened);
        self.view = view;
        self.rebuild(view);
        if let Some(i) = self.pane().rows.iter().position(|r| r.target == target) {
            self.select(i);
        }
    }
}
