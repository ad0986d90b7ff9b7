//! The search pane: query, results with matched characters highlighted, and
//! a preview of the selected result.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::text::{clean, truncate};
use super::theme;
use crate::app::App;
use crate::app::layout::{Areas, SearchAreas};
use crate::app::overlay::{Scope, Search};
use crate::notebook::links::plain_text;
use crate::search::{Query, Scorer};

/// Draws the search pane.
pub fn draw(frame: &mut Frame, areas: &Areas, app: &App, search: &Search) {
    let area = areas.search;
    let scope = match search.scope {
        Scope::Links => "links",
        Scope::Notes => "notes",
    };
    let counter = if search.answered.is_none() {
        format!(" {} ", search.total)
    } else if search.complete {
        format!(" {}/{} ", search.hits.len(), search.total)
    } else {
        format!(" {}+/{} ", search.hits.len(), search.total)
    };
    let block = Block::bordered()
        .title(format!(" Search {scope} "))
        .title_bottom(Line::from(counter).right_aligned())
        .border_style(theme::focus_border());
    frame.render_widget(block, area);
    let SearchAreas {
        input,
        results,
        preview,
    } = areas.search_parts();

    let refining = if search.is_refining() { " …" } else { "" };
    let input_line = Line::from(vec![
        Span::styled(format!("{scope}> "), theme::matched()),
        Span::raw(clean(&search.query).into_owned()),
        Span::styled("▏", theme::dim()),
        Span::styled(refining, theme::dim()),
    ]);
    frame.render_widget(
        Paragraph::new(vec![
            input_line,
            Line::styled("─".repeat(input.width as usize), theme::dim()),
        ]),
        input,
    );

    let query = Query::new(search.answered.as_deref().unwrap_or(""));
    let mut scorer = Scorer::default();
    let width = results.width as usize;
    let lines: Vec<Line> = search
        .hits
        .iter()
        .enumerate()
        .skip(search.offset)
        .take(results.height as usize)
        .map(|(i, hit)| {
            let (main, extra) = result_text(app, search.scope, hit.id);
            let mut line = highlighted(&main, &query, &mut scorer, width, Style::new());
            let used: usize = line
                .spans
                .iter()
                .map(|s| super::text::width(&s.content))
                .sum();
            if used + 3 < width {
                let rest = truncate(&clean(&extra), width - used - 2).into_owned();
                line.spans
                    .push(Span::styled(format!("  {rest}"), theme::dim()));
            }
            if i == search.selected {
                line.patch_style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() && !search.is_refining() && !search.query.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("no match", theme::dim())),
            results,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), results);
    }

    if let Some(hit) = search.hits.get(search.selected) {
        frame.render_widget(
            Paragraph::new(preview_lines(app, search.scope, hit.id))
                .block(
                    Block::new()
                        .borders(ratatui::widgets::Borders::TOP)
                        .border_style(theme::dim()),
                )
                .wrap(Wrap { trim: true }),
            preview,
        );
    }
}

/// The text a result is matched on first, and what follows it dimmed.
fn result_text(app: &App, scope: Scope, id: u32) -> (String, String) {
    let nb = &app.notebook;
    match scope {
        Scope::Links => match nb.link(id) {
            Some(l) => (
                l.text().split_whitespace().collect::<Vec<_>>().join(" "),
                l.url().to_string(),
            ),
            None => Default::default(),
        },
        Scope::Notes => match app.notes.entries.get(id as usize) {
            Some(e) => {
                let doc = &nb.documents[e.doc as usize];
                let text = plain_text(doc.content(e.node))
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                (text, doc.path.display().to_string())
            }
            None => Default::default(),
        },
    }
}

/// A line with the characters the query matches in the matched style.
pub fn highlighted(
    text: &str,
    query: &Query,
    scorer: &mut Scorer,
    max: usize,
    base: Style,
) -> Line<'static> {
    let text = truncate(&clean(text), max).into_owned();
    let marks = scorer.indices(query, &text);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in text.chars().enumerate() {
        let m = marks.binary_search(&(i as u32)).is_ok();
        if m != run_matched && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_matched {
                    base.patch(theme::matched())
                } else {
                    base
                },
            ));
        }
        run_matched = m;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_matched {
                base.patch(theme::matched())
            } else {
                base
            },
        ));
    }
    Line::from(spans)
}

fn preview_lines(app: &App, scope: Scope, id: u32) -> Vec<Line<'static>> {
    let nb = &app.notebook;
    match scope {
        Scope::Links => match nb.link(id) {
            Some(l) => {
                let (line, _) = l.position();
                vec![
                    Line::styled(
                        clean(&format!(
                            "{} · {}:{line}",
                            l.headings().join(" › "),
                            l.doc.path.display()
                        ))
                        .into_owned(),
                        theme::dim(),
                    ),
                    Line::raw(clean(&l.context()).into_owned()),
                    Line::styled(clean(l.url()).into_owned(), theme::link()),
                ]
            }
            None => Vec::new(),
        },
        Scope::Notes => match app.notes.entries.get(id as usize) {
            Some(e) => {
                let doc = &nb.documents[e.doc as usize];
                let path = doc
                    .section_of(e.node)
                    .map(|s| doc.section_joined(doc.section_index(s.node), " › "))
                    .unwrap_or_default();
                vec![
                    Line::styled(
                        clean(&format!(
                            "{path} · {}:{}",
                            doc.path.display(),
                            doc.node_line(e.node)
                        ))
                        .into_owned(),
                        theme::dim(),
                    ),
                    Line::raw(clean(&plain_text(doc.content(e.node))).into_owned()),
                ]
            }
            None => Vec::new(),
        },
    }
}
