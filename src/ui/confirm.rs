//! A yes/no question over everything else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::text::clean;
use super::{centered, theme};
use crate::app::state::Question;

/// Draws the question.
pub fn draw(frame: &mut Frame, area: Rect, question: &Question) {
    let Question::OpenSuspiciousHost { url, decoded, raw } = question;
    let lines = vec![
        Line::styled("This link's host may pass for another one.", theme::title()),
        Line::default(),
        Line::raw(format!("  reads as:  {}", clean(decoded))),
        Line::raw(format!("  really is: {}", clean(raw))),
        Line::styled(format!("  {}", clean(url)), theme::dim()),
        Line::default(),
        Line::styled("Open it?  y: open   n: cancel", theme::matched()),
    ];
    let rect = centered(area, 64, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(" Open link? ")
        .border_style(theme::error());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
