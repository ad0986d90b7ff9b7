//! The view bar: the four views with their number keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::app::layout::tab_label;
use crate::app::{App, View};

/// Draws the view bar.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = vec![Span::raw(" ")];
    for (i, v) in View::ALL.iter().enumerate() {
        let style = if *v == app.view {
            theme::selected()
        } else {
            Style::new().add_modifier(Modifier::DIM)
        };
        spans.push(Span::styled(tab_label(i, *v), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(" opsbook", theme::dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
