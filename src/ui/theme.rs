//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

pub use crate::config::Theme;

/// Selected row.
pub fn selected() -> Style {
    Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

/// Secondary text: counts, hosts, paths.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Cancelled sessions.
pub fn cancelled() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::CROSSED_OUT)
}

/// Matched characters in search results.
pub fn matched() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// Links and URLs.
pub fn link() -> Style {
    Style::new()
        .fg(Color::Cyan)
        .add_modifier(Modifier::UNDERLINED)
}

/// Headings.
pub fn heading() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

/// Titles in the detail pane.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Inline code.
pub fn code() -> Style {
    Style::new().fg(Color::Green)
}

/// Error messages.
pub fn error() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}

/// Ordinary messages.
pub fn info() -> Style {
    Style::new().fg(Color::Black).bg(Color::Green)
}

/// The status bar.
pub fn status() -> Style {
    Style::new().bg(Color::Indexed(236)).fg(Color::Gray)
}

/// Mode badge in the status bar.
pub fn mode() -> Style {
    Style::new()
        .bg(Color::Cyan)
        .fg(Color::Black)
        .add_modifier(Modifier::BOLD)
}

/// Border of the focused pane.
pub fn focus_border() -> Style {
    Style::new().fg(Color::Cyan)
}

/// Inferred years and warnings.
pub fn inferred() -> Style {
    Style::new().fg(Color::Yellow)
}

/// Turns a screen drawn in the dark theme's colours into `theme`'s. One
/// pass over the finished frame, so no widget needs to know the theme.
pub fn recolour(buf: &mut ratatui::buffer::Buffer, theme: Theme) {
    match theme {
        Theme::Dark => {}
        Theme::Light => {
            for cell in &mut buf.content {
                cell.fg = light(cell.fg);
                if cell.bg == Color::Indexed(236) {
                    cell.bg = Color::Indexed(253);
                }
            }
        }
        Theme::None => {
            for cell in &mut buf.content {
                // Whatever stood out by its background (selection, status
                // bar, messages) stands out in reverse video instead.
                if cell.bg != Color::Reset {
                    cell.modifier.insert(Modifier::REVERSED);
                }
                cell.fg = Color::Reset;
                cell.bg = Color::Reset;
                cell.underline_color = Color::Reset;
            }
        }
    }
}

/// A dark theme's foreground as it reads on a white background.
fn light(fg: Color) -> Color {
    match fg {
        Color::Yellow => Color::Indexed(130),
        Color::Cyan => Color::Indexed(25),
        Color::Green => Color::Indexed(28),
        Color::Magenta => Color::Indexed(90),
        Color::Red => Color::Indexed(124),
        Color::Gray => Color::Black,
        other => other,
    }
}
