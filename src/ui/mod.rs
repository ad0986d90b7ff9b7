//! Drawing the app: one file per pane or overlay, all drawing from `&App`.
//! The UI knows nothing of files on disk.

pub mod confirm;
pub mod detail;
pub mod diff;
pub mod editor;
pub mod help;
pub mod markdown;
pub mod nav;
pub mod prompt;
pub mod search;
pub mod status;
pub mod tabs;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;

/// Smallest terminal the full screen is drawn in.
pub const MIN_WIDTH: u16 = 40;
/// Smallest terminal height the full screen is drawn in.
pub const MIN_HEIGHT: u16 = 8;

/// Where each part of the screen goes; a pure function of the terminal size,
/// so mouse clicks can be placed without asking the last frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    /// The view bar.
    pub tabs: Rect,
    /// The navigation tree (with its border).
    pub nav: Rect,
    /// The detail pane (with its border).
    pub detail: Rect,
    /// The status bar.
    pub status: Rect,
    /// The search pane, over nav and detail.
    pub search: Rect,
}

impl Areas {
    /// The layout of a terminal of this size, or `None` when it is too small.
    pub fn of(area: Rect) -> Option<Areas> {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return None;
        }
        let [tabs, main, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let [nav, detail] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(main);
        Some(Areas {
            tabs,
            nav,
            detail,
            status,
            search: main,
        })
    }

    /// Rows of the navigation list (inside its border).
    pub fn nav_rows(&self) -> usize {
        self.nav.height.saturating_sub(2) as usize
    }

    /// Rows of the search results.
    pub fn result_rows(&self) -> usize {
        search::results_area(self.search).height as usize
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let Some(areas) = Areas::of(area) else {
        let msg = Paragraph::new(
            text::truncate(
                "terminal too small",
                area.width as usize * area.height as usize,
            )
            .into_owned(),
        )
        .wrap(Wrap { trim: true });
        frame.render_widget(msg, area);
        return;
    };
    tabs::draw(frame, areas.tabs, app);
    if let Some(s) = &app.search {
        search::draw(frame, areas.search, app, s);
    } else {
        nav::draw(frame, areas.nav, app);
        match &app.editor {
            Some(e) => editor::draw(frame, areas.detail, e),
            None => detail::draw(frame, areas.detail, app),
        }
    }
    status::draw(frame, areas.status, app);
    if let Some(p) = &app.prompt {
        prompt::draw(frame, areas.status, p);
    }
    if let Some(q) = &app.question {
        confirm::draw(frame, area, app, q);
    }
    if let Some((mode, scroll)) = app.help {
        help::draw(frame, area, app, mode, scroll);
    }
    if let Some(d) = &app.diff {
        diff::draw(frame, area, d);
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
