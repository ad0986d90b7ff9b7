//! A one-line prompt over the status bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::text::{clean, truncate, width};
use super::theme;
use crate::app::overlay::Prompt;

/// Draws the prompt in the status line.
pub fn draw(frame: &mut Frame, area: Rect, p: &Prompt) {
    let label = format!(" {}: ", p.label);
    let room = (area.width as usize).saturating_sub(width(&label) + 1);
    let input = clean(&p.input);
    // Show the end of a long input: that is where typing happens.
    let shown: String = if width(&input) > room {
        let skip = input.chars().count().saturating_sub(room.saturating_sub(1));
        format!("…{}", input.chars().skip(skip).collect::<String>())
    } else {
        input.into_owned()
    };
    frame.render_widget(Clear, area);
    let line = Line::from(vec![
        Span::styled(
            truncate(&label, area.width as usize).into_owned(),
            theme::mode(),
        ),
        Span::raw(shown),
        Span::styled("▏", theme::dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
