//! Applying inputs to the state: the one entry point, the dispatch by mode,
//! and browsing the views. No I/O: what needs the outside world is returned
//! as effects for the runtime to carry out.

use std::time::Instant;

use ratatui::layout::Rect;

use super::action::{Action, Input, Mode, Point};
use super::editor::AfterSave;
use super::effect::Effect;
use super::layout::{Areas, Spot};
use super::overlay::{Main, Overlay, Question, Scope};
use super::safety::{Verdict, check};
use super::state::App;
use super::tree::{LinkOrder, Target, View, ancestors};

impl App {
    /// Applies one input at time `now`: the only way keys and the mouse
    /// change the state.
    pub fn update(&mut self, input: Input, now: Instant) -> Vec<Effect> {
        self.now = now;
        match input {
            Input::Action(a) => self.apply(a),
            Input::Text(text) => self.type_text(&text),
            Input::Unbound { key, help } => {
                let hint = help.map_or(String::new(), |k| format!(" ({k} for help)"));
                self.say(format!("{key} is not bound{hint}"));
                Vec::new()
            }
            Input::Resize { width, height } => {
                self.screen = Rect::new(0, 0, width, height);
                self.keep_in_view();
                Vec::new()
            }
        }
    }

    /// Applies one action in the current mode.
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Click(at) => return self.click(at),
            Action::ScrollDown(at) => return self.wheel(at, 3),
            Action::ScrollUp(at) => return self.wheel(at, -3),
            Action::Quit => return self.quit(),
            _ => {}
        }
        match self.mode() {
            Mode::Confirm => self.apply_confirm(action),
            Mode::Help => self.apply_help(action),
            Mode::Diff => self.apply_diff(action),
            Mode::Search => self.apply_search(action),
            Mode::Normal => self.apply_normal(action),
            Mode::Editor => self.apply_editor(action),
            Mode::Prompt => self.apply_prompt(action),
            Mode::Merge => self.apply_merge(action),
            Mode::Reader => self.apply_reader(action),
        }
    }

    /// Text typed or pasted: into the editor, the prompt or the query.
    fn type_text(&mut self, text: &str) -> Vec<Effect> {
        match self.mode() {
            Mode::Editor => self.editor_type(text),
            Mode::Prompt => self.prompt_type(text),
            Mode::Search => {
                let clean: String = text
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                self.edit_query(|q| q.push_str(&clean))
            }
            _ => Vec::new(),
        }
    }

    /// Leaves opsbook: the only way out. Unsaved text is written first, and a
    /// failed save keeps opsbook open.
    fn quit(&mut self) -> Vec<Effect> {
        if matches!(self.overlay, Some(Overlay::Help { .. })) {
            self.overlay = None;
        }
        if self.editor().is_some() {
            return self.save_now(AfterSave::Quit);
        }
        self.quit = true;
        Vec::new()
    }

    fn apply_confirm(&mut self, action: Action) -> Vec<Effect> {
        if let Some(q @ Question::OpenDead { .. }) = self.question().cloned() {
            return self.answer_dead(action, q);
        }
        let Some(Question::OpenSuspiciousHost { url, .. }) = self.question().cloned() else {
            return self.answer(action);
        };
        match action {
            Action::Confirm => {
                self.overlay = None;
                self.say(format!("opening {url}"));
                vec![Effect::Open(url)]
            }
            Action::Cancel | Action::Close => {
                self.overlay = None;
                self.say("not opened");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn apply_help(&mut self, action: Action) -> Vec<Effect> {
        let screen_rows = self.screen.height;
        if let Some(Overlay::Help { scroll, mode }) = &mut self.overlay {
            // A line for each action of the mode and one for typing, at
            // most: scrolling stops where the last of them is in sight.
            let lines = super::ACTIONS
                .iter()
                .filter(|s| s.modes.contains(mode))
                .count() as u16
                + u16::from(mode.typing().is_some());
            let shown = (lines + 2).min(screen_rows).saturating_sub(2);
            let last = lines.saturating_sub(shown);
            match action {
                Action::Close | Action::Help => self.overlay = None,
                Action::Down => *scroll = (*scroll + 1).min(last),
                Action::Up => *scroll = scroll.saturating_sub(1),
                _ => {}
            }
        }
        Vec::new()
    }

    fn apply_diff(&mut self, action: Action) -> Vec<Effect> {
        if let Some(Overlay::Question { diff, .. }) = &mut self.overlay {
            match (action, diff.as_mut()) {
                (Action::Close | Action::Help, _) => *diff = None,
                (Action::Down, Some(d)) => d.scroll = d.scroll.saturating_add(1),
                (Action::Up, Some(d)) => d.scroll = d.scroll.saturating_sub(1),
                _ => {}
            }
        }
        Vec::new()
    }

    /// Opens help on the keys of `mode`.
    pub(super) fn open_help(&mut self, mode: Mode) {
        self.overlay = Some(Overlay::Help { mode, scroll: 0 });
    }

    fn apply_normal(&mut self, action: Action) -> Vec<Effect> {
        let page = self.nav_rows().max(1) as isize;
        match action {
            Action::Down => self.move_selection(1),
            Action::Up => self.move_selection(-1),
            Action::PageDown => self.move_selection(page),
            Action::PageUp => self.move_selection(-page),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::Expand => self.expand(),
            Action::Collapse => self.collapse(),
            Action::Toggle => {
                if let Some(Target::Action(d, n)) = self.pane().selected_target() {
                    return self.toggle_action(d, n);
                }
                self.toggle()
            }
            Action::Open => {
                if let Some((url, kind)) = self.selected_url() {
                    return self.open_url(&url, kind);
                }
                // An action: to where its note says it.
                if let Some(Target::Action(d, n)) = self.pane().selected_target() {
                    self.reveal(View::Notebook, Target::Node(d, n));
                    return Vec::new();
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
            Action::ViewActions => self.switch_view(View::Actions),
            Action::NextView => {
                let n = View::ALL.len();
                self.switch_view(View::ALL[(self.view.index() + 1) % n])
            }
            Action::PrevView => {
                let n = View::ALL.len();
                self.switch_view(View::ALL[(self.view.index() + n - 1) % n])
            }
            Action::ToggleSort => self.toggle_sort(),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(3),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Action::Reload => return vec![Effect::Reload],
            Action::Sync => return self.sync_now(),
            Action::CheckLinks => return self.check_links(self.wall_secs()),
            Action::FetchPages => return self.fetch_pages(self.wall_secs()),
            Action::ReadPage => return self.read_page(),
            Action::FixLink => return self.fix_link(self.selected_link()),
            Action::Help => self.open_help(Mode::Normal),
            Action::Edit => return self.start_editing(),
            Action::NewSession => return self.new_session_prompt(),
            Action::AddLink => return self.add_link_prompt(),
            Action::NewNote => return self.new_note_prompt(),
            Action::NewPostmortem => return self.new_postmortem_prompt(),
            Action::UndoWrite => return self.undo_last_write(),
            Action::GoToday => match self.index.next_session(&self.notebook) {
                Some((d, i)) => self.reveal(View::Sessions, Target::Session(d, i)),
                None => self.say("no session today or after it"),
            },
            Action::ExternalEdit => return self.external_edit(),
            _ => {}
        }
        Vec::new()
    }

    fn toggle_sort(&mut self) {
        if self.view != View::Links {
            self.say("sorting applies to the Links view (4)");
            return;
        }
        self.link_order = self.link_order.next();
        self.rebuild(View::Links);
        self.keep_in_view();
        self.say(match self.link_order {
            LinkOrder::Document => "links in document order",
            LinkOrder::Year => "links by year, newest first",
            LinkOrder::Tag => "links by the tags of their notes",
        });
    }

    /// The left button at a point: a tab shows its view, a row or result is
    /// selected (with the editor open, its buffer is saved and closed first).
    fn click(&mut self, at: Point) -> Vec<Effect> {
        let Some(areas) = Areas::of(self.screen) else {
            return Vec::new();
        };
        match areas.hit(at, self.search().is_some()) {
            Spot::Tab(view) => self.switch_view(view),
            Spot::Result(n) => {
                if let Some(s) = self.search_mut() {
                    let i = s.offset + n;
                    if i < s.hits.len() {
                        s.selected = i;
                    }
                }
            }
            Spot::NavLine(line) => return self.click_row(line),
            Spot::Nav | Spot::Detail | Spot::Search | Spot::Elsewhere => {}
        }
        Vec::new()
    }

    /// The wheel at a point: scrolls the results, the detail or the tree.
    fn wheel(&mut self, at: Point, delta: isize) -> Vec<Effect> {
        let Some(areas) = Areas::of(self.screen) else {
            return Vec::new();
        };
        if self.search().is_some() {
            self.move_result(delta);
        } else if areas.hit(at, false) == Spot::Detail {
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
        } else {
            self.move_selection(delta);
        }
        Vec::new()
    }

    fn click_row(&mut self, line: usize) -> Vec<Effect> {
        let i = self.pane().offset + line;
        if i >= self.pane().rows.len() {
            return Vec::new();
        }
        let effects = if self.editor().is_some() {
            self.save_now(AfterSave::Close)
        } else {
            Vec::new()
        };
        self.select(i);
        effects
    }

    pub(super) fn open_url(&mut self, url: &str, kind: crate::notebook::LinkKind) -> Vec<Effect> {
        self.open_checked(url, kind, true)
    }

    /// Opens a URL that passes the safety check (a strange scheme is refused,
    /// a look-alike host asked about); a dead one, when `ask_if_dead`, only
    /// after the dead-link question.
    pub(super) fn open_checked(
        &mut self,
        url: &str,
        kind: crate::notebook::LinkKind,
        ask_if_dead: bool,
    ) -> Vec<Effect> {
        match check(url, kind) {
            Verdict::Open(u) => {
                if ask_if_dead && let Some(q) = self.dead_link_question(url, &u) {
                    self.ask(q);
                    return Vec::new();
                }
                self.say(format!("opening {u}"));
                vec![Effect::Open(u)]
            }
            Verdict::Refuse(why) => {
                self.warn(why);
                Vec::new()
            }
            Verdict::Confirm {
                url,
                decoded,
                raw,
                why,
            } => {
                self.ask(Question::OpenSuspiciousHost {
                    url,
                    decoded,
                    raw,
                    why,
                });
                Vec::new()
            }
        }
    }

    pub(super) fn copy_url(&mut self) -> Vec<Effect> {
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
        // The URL itself would push the reason off a narrow status bar.
        self.warn(format!("{why}: URL copied to the clipboard"));
        vec![Effect::Copy(url)]
    }

    /// Shows a view.
    pub fn switch_view(&mut self, view: View) {
        if view != self.view && self.message.as_ref().is_some_and(|m| !m.error) {
            // What was said of the view left (its order, say) is not said
            // of this one; a warning stays its time.
            self.message = None;
        }
        self.view = view;
        self.detail_scroll = 0;
        if !self.pane().built {
            if view == View::Actions {
                // First shown: the notes with open actions, open.
                let open: Vec<Target> = self
                    .index
                    .action_sources(&self.notebook)
                    .into_iter()
                    .filter(|&(_, n)| n > 0)
                    .map(|(d, _)| Target::Document(d))
                    .collect();
                self.pane_mut().expanded.extend(open);
            }
            self.rebuild(view);
        }
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

    fn selection_changed(&mut self) {
        self.detail_scroll = 0;
        self.keep_in_view();
    }

    /// Scrolls so the selected row is on screen.
    pub fn keep_in_view(&mut self) {
        let height = self.nav_rows().max(1);
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

    /// Closes the search pane (if open) and shows the tree.
    pub(super) fn close_search(&mut self) {
        if matches!(self.main, Main::Search(_)) {
            self.browse();
        }
    }
}
