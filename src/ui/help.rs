//! The help overlay: every key of a mode, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme;
use crate::app::layout::centered;
use crate::app::{ACTIONS, Mode};
use crate::keymap::{Keymap, keys_to_string};

/// The help lines of a mode: keys, then what they do, in the order of the
/// action table.
pub fn lines(keymap: &Keymap, mode: Mode) -> Vec<Line<'static>> {
    let bindings = keymap.bindings(mode);
    let mut out = Vec::new();
    for spec in ACTIONS {
        let action = spec.action;
        let keys: Vec<String> = bindings
            .iter()
            .filter(|(_, a, _)| *a == action)
            .map(|(k, _, _)| keys_to_string(k))
            .collect();
        if keys.is_empty() {
            continue;
        }
        out.push(Line::from(vec![
            Span::styled(format!("{:>18}  ", keys.join(", ")), theme::matched()),
            Span::raw(spec.description),
        ]));
    }
    if let Some(what) = mode.typing() {
        out.push(Line::from(vec![
            Span::styled(format!("{:>18}  ", "other keys"), theme::matched()),
            Span::raw(what),
        ]));
    }
    out
}

/// Draws the overlay.
pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, mode: Mode, scroll: u16) {
    let lines = lines(keymap, mode);
    let h = (lines.len() as u16 + 2).min(area.height);
    // As wide as the longest line where the screen allows (60 at least).
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let w = u16::try_from(widest + 2).unwrap_or(u16::MAX).max(60);
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    // Where the list goes on past the box, the border says so.
    let shown = usize::from(rect.height.saturating_sub(2));
    // Scrolled past the end, the last page stays in sight.
    let scroll = scroll.min(lines.len().saturating_sub(shown) as u16);
    let below = lines.len().saturating_sub(usize::from(scroll) + shown);
    let mut block = Block::bordered()
        .title(format!(" Keys — {} ", mode.name()))
        .title_bottom(Line::from(" keymaps.toml ").right_aligned())
        .border_style(theme::focus_border());
    if below > 0 {
        block = block.title_bottom(Line::from(format!(" ↓ {below} more ")).left_aligned());
    }
    if scroll > 0 {
        block = block.title(Line::from(format!(" ↑ {scroll} more ")).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}
