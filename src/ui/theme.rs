//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

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
