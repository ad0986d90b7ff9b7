//! Two versions of a text as a unified diff, over everything else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::text::clean;
use super::theme;
use crate::app::overlay::DiffView;

/// Draws the diff.
pub fn draw(frame: &mut Frame, area: Rect, d: &DiffView) {
    let rect = crate::app::layout::centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let lines: Vec<Line> = d
        .lines
        .iter()
        .map(|l| {
            let style = if l.starts_with('+') && !l.starts_with("+++") {
                Style::new().fg(Color::Green)
            } else if l.starts_with('-') && !l.starts_with("---") {
                Style::new().fg(Color::Red)
            } else if l.starts_with("@@") {
                theme::dim()
            } else {
                Style::new()
            };
            Line::styled(clean(l).into_owned(), style)
        })
        .collect();
    let block = Block::bordered()
        .title(format!(" {} ", clean(&d.title)))
        .title_bottom(Line::from(" esc: back ").right_aligned())
        .border_style(theme::focus_border());
    // Wrapped: the change at the end of a long line must be seen.
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        rect,
    );
}
