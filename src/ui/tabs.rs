//! The view bar: the four views with their number keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::app::{App, View};

/// The columns each tab takes, for mouse clicks: (view, first column, width).
pub fn tab_spans(area: Rect) -> Vec<(View, u16, u16)> {
    let mut x = area.x + 1;
    let mut out = Vec::new();
    for (i, v) in View::ALL.iter().enumerate() {
        let w = label(i, *v).chars().count() as u16;
        out.push((*v, x, w));
        x += w + 1;
    }
    out
}

fn label(i: usize, v: View) -> String {
    format!(" {} {} ", i + 1, v.title())
}

/// Draws the view bar.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = vec![Span::raw(" ")];
    for (i, v) in View::ALL.iter().enumerate() {
        let style = if *v == app.view {
            theme::selected()
        } else {
            Style::new().add_modifier(Modifier::DIM)
        };
        spans.push(Span::styled(label(i, *v), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(" opsbook", theme::dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tab_has_its_columns_for_clicks() {
        let spans = tab_spans(Rect::new(0, 0, 80, 1));
        assert_eq!(
            spans,
            vec![
                (View::Postmortems, 1, 15),
                (View::Sessions, 17, 12),
                (View::Notebook, 30, 12),
                (View::Links, 43, 9),
            ]
        );
    }
}
