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
    // What was found and what is below share one place: the right end.
    let mut right = Vec::new();
    if let (Some(find), Some((at, n))) = (&reader.find, reader.match_count()) {
        right.push(format!("`{}` {at}/{n}", clean(find)));
    }
    if below > 0 {
        right.push(format!("↓ {below} more"));
    }
    if !right.is_empty() {
        block = block.title_bottom(Line::from(format!(" {} ", right.join(" · "))).right_aligned());
    }
    if reader.scroll > 0 {
        block = block.title(Line::from(format!(" ↑ {} ", reader.scroll)).right_aligned());
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
    // Lowercasing keeps byte offsets only where it keeps every length
    // (ASCII always): other text is not marked rather than cut wrongly.
    if !text.is_ascii() && lower.len() != text.len() {
        return Line::styled(text, base);
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (i, _) in lower.match_indices(needle) {
        let end = i + needle.len();
        if i < at || !text.is_char_boundary(i) || !text.is_char_boundary(end) {
            continue;
        }
        spans.push(Span::styled(text[at..i].to_string(), base));
        spans.push(Span::styled(text[i..end].to_string(), theme::matched()));
        at = end;
    }
    spans.push(Span::styled(text[at..].to_string(), base));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_found_is_marked_and_text_whose_case_changes_lengths_is_not_cut() {
        let l = line("Etcd lost quorum; etcd came back", Some("etcd"));
        let marked: Vec<&str> = l
            .spans
            .iter()
            .filter(|s| s.style == theme::matched())
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["Etcd", "etcd"]);
        // Lowercasing `İ` and `Ω` changes their lengths: nothing is marked, nothing panics.
        let l = line("İΩ in a title", Some("i"));
        assert_eq!(l.spans.len(), 1);
        let l = line("café crème", Some("crème"));
        assert_eq!(
            l.spans
                .iter()
                .filter(|s| s.style == theme::matched())
                .count(),
            1
        );
    }
}
