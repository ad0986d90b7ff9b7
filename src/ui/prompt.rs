//! A one-line prompt over the status bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::text::{clean, truncate, width};
use super::theme;
use crate::app::overlay::Prompt;
use crate::app::state::Message;

/// Draws the prompt in the status line, with a warning about what was typed
/// (the status bar it covers would have said it) at its right.
pub fn draw(frame: &mut Frame, area: Rect, p: &Prompt, message: Option<&Message>) {
    let label = format!(" {}: ", p.label);
    let warning = message
        .filter(|m| m.error)
        .map(|m| format!(" {} ", clean(&m.text)))
        .map(|w| truncate(&w, (area.width as usize).saturating_sub(width(&label)) / 2).into_owned())
        .unwrap_or_default();
    let room = (area.width as usize).saturating_sub(width(&label) + 1 + width(&warning));
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
        Span::raw(shown.clone()),
        Span::styled("▏", theme::dim()),
    ]);
    let used = width(&label) + width(&shown) + 1;
    let pad = (area.width as usize).saturating_sub(used + width(&warning));
    let mut line = line;
    if !warning.is_empty() {
        line.push_span(Span::raw(" ".repeat(pad)));
        line.push_span(Span::styled(warning, theme::error()));
    }
    frame.render_widget(Paragraph::new(line), area);
}
