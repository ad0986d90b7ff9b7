//! The navigation pane: the current view's tree.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::text::{clean, host, truncate, width};
use super::theme;
use crate::app::tree::{LinkOrder, Row, Target};
use crate::app::{App, View};
use crate::notebook::links::plain_text;
use crate::notebook::sessions::month_abbrev;
use crate::notebook::{Bucket, NodeKind};

/// Draws the navigation pane.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let pane = app.pane();
    let mut title = format!(" {} ", app.view.title());
    if app.view == View::Links {
        title.push_str(match app.link_order {
            LinkOrder::Document => "· by document ",
            LinkOrder::Year => "· by year ",
            LinkOrder::Tag => "· by tag ",
        });
    }
    let block = Block::bordered()
        .title(title)
        .title_bottom(
            // An empty view has no row selected: 0/0, not 1/0.
            Line::from(format!(
                " {}/{} ",
                (pane.selected + 1).min(pane.rows.len()),
                pane.rows.len()
            ))
            .right_aligned(),
        )
        .border_style(theme::focus_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let lines: Vec<Line> = pane
        .rows
        .iter()
        .enumerate()
        .skip(pane.offset)
        .take(height)
        .map(|(i, row)| {
            let line = row_line(app, row, inner.width as usize);
            if i == pane.selected {
                line.patch_style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        let empty = match app.view {
            View::Postmortems => {
                "No postmortems: put links under a year heading (### 2023) in a Post-Mortem section, or write one with `opsbook new postmortem TITLE`."
            }
            View::Sessions => {
                "No sessions: list items starting with a date (- May 25 Title) show here."
            }
            View::Notebook => "No documents in this notebook.",
            View::Links => "No links in this notebook.",
            View::Actions => {
                "No actions: task items (- [ ] …), Action: items and a postmortem's Action items show here."
            }
        };
        frame.render_widget(
            Paragraph::new(empty)
                .style(theme::dim())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The mark of the links in a byte range of a document: `✗ ` when one was
/// found dead, else `↪ ` when one moved.
fn links_mark(app: &App, d: usize, range: std::ops::Range<usize>) -> Option<Span<'static>> {
    use crate::health::Status;
    if app.health.marked == (0, 0) {
        return None;
    }
    let doc = &app.notebook.documents[d];
    let mut moved = false;
    for (_, l) in doc.links_within(range) {
        match app.health_of(doc.link_url(l)).map(|h| h.status) {
            Some(Status::Dead) => return mark(Status::Dead),
            Some(Status::Redirected) => moved = true,
            _ => {}
        }
    }
    moved.then(|| mark(Status::Redirected)).flatten()
}

/// `✗ ` before a link found dead, `↪ ` before one that moved.
pub fn health_mark(app: &App, url: &str) -> Option<Span<'static>> {
    mark(app.health_of(url)?.status)
}

/// The mark of a status: `✗ ` dead, `↪ ` moved, none for the rest.
fn mark(status: crate::health::Status) -> Option<Span<'static>> {
    match status {
        crate::health::Status::Dead => Some(Span::styled("✗ ", theme::error())),
        crate::health::Status::Redirected => Some(Span::styled("↪ ", theme::inferred())),
        _ => None,
    }
}

/// One row of the tree, fitted to `max` columns.
pub fn row_line(app: &App, row: &Row, max: usize) -> Line<'static> {
    let nb = &app.notebook;
    let mut spans = vec![Span::raw("  ".repeat(row.depth as usize))];
    spans.push(Span::styled(
        if !row.expandable {
            "  "
        } else if row.expanded {
            "▾ "
        } else {
            "▸ "
        },
        theme::dim(),
    ));
    let (label, style, suffix): (String, Style, String) = match row.target {
        Target::Bucket(b) => {
            // Its links and documents.
            let n = app.index.bucket_counts.get(&b).copied().unwrap_or(0)
                + app.index.postmortems_in(b).count();
            let name = match b {
                Bucket::Year(y) => y.to_string(),
                Bucket::General => "General".to_string(),
                Bucket::None => "Other".to_string(),
            };
            (name, theme::title(), format!("  {n}"))
        }
        Target::Link(id) => match nb.link(id) {
            Some(l) => {
                let text = crate::notebook::item::one_line(&l.title());
                let text = if text.is_empty() {
                    l.url().to_string()
                } else {
                    text
                };
                if let Some(mark) = health_mark(app, l.url()) {
                    spans.push(mark);
                }
                // `~`: the year was read from the item, as for sessions.
                let suffix = match (app.view, l.year(), l.year_inferred()) {
                    (View::Links, Some(y), false) => format!("  {y} · {}", host(l.url())),
                    (_, Some(y), true) => format!("  ~{y} · {}", host(l.url())),
                    _ => format!("  {}", host(l.url())),
                };
                (text, Style::new(), suffix)
            }
            None => ("?".into(), Style::new(), String::new()),
        },
        Target::Tag(t) => {
            let (name, ids) = app
                .index
                .tags(&app.notebook)
                .get(t as usize)
                .map_or(("", 0), |(n, ids)| (n.as_str(), ids.len()));
            let name = if name.is_empty() {
                "(no tag)".to_string()
            } else {
                format!("#{name}")
            };
            (name, theme::title(), format!("  {ids}"))
        }
        Target::SessionYear(y) => {
            let n = app
                .index
                .session_years
                .iter()
                .find(|(x, _)| *x == y)
                .map_or(0, |(_, s)| s.len());
            let name = y.map_or("Year unknown".to_string(), |y| y.to_string());
            (name, theme::title(), format!("  {n}"))
        }
        Target::Session(d, i) => {
            let s = &nb.documents[d as usize].sessions[i as usize];
            let date = format!(
                "{} {:>2}{} ",
                month_abbrev(s.month),
                s.day,
                if s.year_inferred { "~" } else { " " }
            );
            spans.push(Span::styled(
                date,
                if s.year_inferred {
                    theme::inferred()
                } else {
                    theme::dim()
                },
            ));
            let shown = crate::notebook::session_shown_title(&nb.documents[d as usize], s);
            let title = if shown.is_empty() {
                "(no title)".to_string()
            } else {
                shown
            };
            let doc = &nb.documents[d as usize];
            spans.extend(links_mark(app, d as usize, doc.subtree(s.node)));
            let style = if s.cancelled {
                theme::cancelled()
            } else {
                Style::new()
            };
            let upcoming = if app.index.is_upcoming(s) {
                "  upcoming".to_string()
            } else {
                String::new()
            };
            (title, style, upcoming)
        }
        Target::Action(d, n) => match app.index.action(nb, d, n) {
            Some(a) => {
                let today = app.index.today();
                spans.push(Span::styled(
                    if a.done { "[x] " } else { "[ ] " },
                    theme::dim(),
                ));
                let mut extra = Vec::new();
                if let Some(o) = &a.owner {
                    extra.push(format!("@{o}"));
                }
                if let Some(due) = a.due {
                    extra.push(format!(
                        "due {}{}",
                        due.iso(),
                        if a.overdue(today) { " overdue" } else { "" }
                    ));
                }
                let style = if a.done {
                    theme::dim()
                } else if a.overdue(today) {
                    theme::inferred()
                } else {
                    Style::new()
                };
                let suffix = if extra.is_empty() {
                    String::new()
                } else {
                    format!("  {}", extra.join(" · "))
                };
                (a.text.clone(), style, suffix)
            }
            None => ("?".into(), Style::new(), String::new()),
        },
        Target::Document(d) if app.view == View::Actions => {
            let doc = &nb.documents[d as usize];
            let open = app
                .index
                .action_sources(nb)
                .iter()
                .find(|(x, _)| *x == d)
                .map_or(0, |(_, n)| *n);
            (
                doc.title.to_string(),
                theme::title(),
                format!("  {open} open · {}", doc.path.display()),
            )
        }
        Target::Postmortem(d) => {
            let doc = &nb.documents[d as usize];
            // Marked apart from links: a document the team wrote.
            spans.push(Span::styled("▤ ", theme::heading()));
            let when = match app.index.postmortem(d) {
                Some(p) => match (p.date, p.year_inferred) {
                    (Some(day), true) => format!("  ~{}", day.iso()),
                    (Some(day), false) => format!("  {}", day.iso()),
                    (None, _) => String::new(),
                },
                None => String::new(),
            };
            (
                doc.title.to_string(),
                Style::new(),
                format!("{when} · {}", doc.path.display()),
            )
        }
        Target::Document(d) => {
            let doc = &nb.documents[d as usize];
            let ro = if doc.read_only { "  read-only" } else { "" };
            (
                doc.title.to_string(),
                theme::title(),
                format!("  {}{ro}", doc.path.display()),
            )
        }
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            let node = doc.node(n);
            // Its own lines' links: those of nested items mark their own rows.
            spans.extend(links_mark(app, d as usize, node.span.range()));
            let text = crate::notebook::item::one_line(&plain_text(doc.content(n)));
            match node.kind() {
                NodeKind::Heading { level } => (
                    format!("{} {text}", "#".repeat(level as usize)),
                    theme::heading(),
                    String::new(),
                ),
                NodeKind::Paragraph => (format!("¶ {text}"), Style::new(), String::new()),
                NodeKind::Quote => (format!("│ {text}"), Style::new(), String::new()),
                NodeKind::Table => ("▦ table".into(), theme::dim(), String::new()),
                NodeKind::Code => ("``` code".into(), theme::code(), String::new()),
                NodeKind::Rule => ("────".into(), theme::dim(), String::new()),
                _ => (text, Style::new(), String::new()),
            }
        }
    };
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = max.saturating_sub(used);
    let label = clean(&label).into_owned();
    let suffix = clean(&suffix).into_owned();
    // An action's owner and due date are what its row is read for: its
    // text gives way first, down to ten columns.
    let suffix_first = matches!(row.target, Target::Action(..)) && width(&suffix) + 10 <= room;
    if width(&label) + width(&suffix) <= room {
        spans.push(Span::styled(label, style));
        spans.push(Span::styled(suffix, theme::dim()));
    } else if suffix_first {
        let rest = room - width(&suffix);
        spans.push(Span::styled(truncate(&label, rest).into_owned(), style));
        spans.push(Span::styled(suffix, theme::dim()));
    } else if width(&label) < room {
        let rest = room - width(&label);
        spans.push(Span::styled(label, style));
        spans.push(Span::styled(
            truncate(&suffix, rest).into_owned(),
            theme::dim(),
        ));
    } else {
        spans.push(Span::styled(truncate(&label, room).into_owned(), style));
    }
    Line::from(spans)
}
