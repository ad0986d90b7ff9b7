//! Drawing the app: one file per pane or overlay, all drawing from `&App`.
//! The UI knows nothing of files on disk.

pub mod confirm;
pub mod detail;
pub mod diff;
pub mod editor;
pub mod help;
pub mod markdown;
pub mod merge;
pub mod nav;
pub mod prompt;
pub mod reader;
pub mod search;
pub mod status;
pub mod tabs;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Main, Overlay};
use crate::input::Keys;

pub use crate::app::layout::{Areas, MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App, keys: &Keys) {
    draw_screen(frame, app, keys);
    theme::recolour(frame.buffer_mut(), app.theme);
}

/// Draws everything in the dark theme's colours.
fn draw_screen(frame: &mut Frame, app: &App, keys: &Keys) {
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
    match &app.main {
        Main::Search(s) => search::draw(frame, &areas, app, s),
        Main::Edit(e) => {
            nav::draw(frame, areas.nav, app);
            editor::draw(frame, areas.detail, e);
        }
        Main::Browse => {
            nav::draw(frame, areas.nav, app);
            detail::draw(frame, areas.detail, app, &keys.keymap);
        }
        Main::Read(r) => reader::draw(frame, areas.search, r),
    }
    status::draw(frame, areas.status, app, keys);
    match &app.overlay {
        None => {}
        Some(Overlay::Prompt(p)) => prompt::draw(frame, areas.status, p, app.message.as_ref()),
        Some(Overlay::Merge(view)) => merge::draw(frame, area, &keys.keymap, view),
        Some(Overlay::Help { mode, scroll }) => {
            help::draw(frame, area, &keys.keymap, *mode, *scroll);
        }
        Some(Overlay::Question { question, diff }) => {
            confirm::draw(frame, area, &keys.keymap, question);
            if let Some(d) = diff {
                diff::draw(frame, area, d);
            }
        }
    }
}
