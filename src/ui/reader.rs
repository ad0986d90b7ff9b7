//! The reader pane: a link's kept page, wrapped, with what `/` found marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph};

use super::text::clean;
use super::theme;
use crate::app::overlay::Reader;

/// Draws the reader over the main area.
pub fn draw(frame: &mut Frame, area: Rect, reader: &Reader) {
    let rows = usize::from(area.height.saturating_sub(2));
    let needle = reader.find.as_deref().map(str::to_lowercase);
    let lines: Vec<Line> = reader
        .lines
        .iter()
        .skip(reader.scroll)
        .take(rows)
        .map(|l| line(l, needle.as_deref()))
        .collect();
    let below = reader.lines.len().saturating_sub(reader.scroll + rows);
    let mut block = Block::bordered()
        .title(format!(" {} ", clean(&reader.title)))
        .title_bottom(Line::from(format!(" {} ", clean(&reader.about))).left_aligned())
        .border_style(theme::focus_border())
        .padding(Padding::horizontal(1));
    if below > 0 {
        block = block.title_bottom(Line::from(format!(" ↓ {below} more ")).right_aligned());
    }
    if reader.scroll > 0 {
        block = block.title(Line::from(format!(" ↑ {} ", reader.scroll)).right_aligned());
    }
    if let (Some(find), Some((at, n))) = (&reader.find, reader.match_count()) {
        block = block.title_bottom(Line::from(format!(" `{}` {at}/{n} ", clean(find))).centered());
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A line of text, headings and quotes styled, each place holding `needle`
/// marked.
fn line<'a>(text: &'a str, needle: Option<&str>) -> Line<'a> {
    let base = if text.starts_with('#') {
        theme::title()
    } else if text.starts_with('>') || text.starts_with('[') {
        theme::dim()
    } else {
        ratatui::style::Style::default()
    };
    let text = clean(text).into_owned();
    let Some(needle) = needle.filter(|n| !n.is_empty()) else {
        return Line::styled(text, base);
    };
    let lower = text.to_lowercase();
    // Lowercasing keeps byte offsets only for ASCII; other text is not marked.
    if lower.len() != text.len() {
        return Line::styled(text, base);
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (i, _) in lower.match_indices(needle) {
        spans.push(Span::styled(text[at..i].to_string(), base));
        spans.push(Span::styled(
            text[i..i + needle.len()].to_string(),
            theme::matched(),
        ));
        at = i + needle.len();
    }
    spans.push(Span::styled(text[at..].to_string(), base));
    Line::from(spans)
}
