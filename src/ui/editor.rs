//! The editor pane: the buffer with line numbers, and a title saying which
//! file, where, and whether it is saved.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::text::clean;
use super::theme;
use crate::app::editor::Editor;

/// The pane's title: file, line, and `●` while unsaved.
pub fn title(e: &Editor) -> Line<'static> {
    let mut spans = vec![Span::raw(format!(
        " {}:{} ",
        clean(&e.path.display().to_string()),
        e.line
    ))];
    if e.read_only {
        spans.push(Span::styled("read-only ", theme::inferred()));
    } else if e.dirty() {
        spans.push(Span::styled("● ", theme::inferred()));
    } else {
        spans.push(Span::styled("saved ", theme::dim()));
    }
    if e.changed_on_disk {
        spans.push(Span::styled("changed on disk ", theme::error()));
    }
    Line::from(spans)
}

/// Draws the editor.
pub fn draw(frame: &mut Frame, area: Rect, e: &Editor) {
    let block = Block::bordered()
        .title(title(e))
        .border_style(theme::focus_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&e.textarea, inner);
}
