//! The detail pane: everything about the selected row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::markdown;
use super::text::clean;
use super::theme;
use crate::app::App;
use crate::app::tree::Target;
use crate::notebook::sessions::{month_abbrev, weekday};
use crate::notebook::{Bucket, Document, LinkRef, NodeId};

/// Draws the detail pane.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let lines = match app.pane().selected_target() {
        Some(t) => lines(app, t),
        None => vec![Line::styled("Nothing selected.", theme::dim())],
    };
    let block = Block::bordered()
        .title(" Detail ")
        .border_style(theme::dim());
    let p = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll, 0));
    frame.render_widget(p, area);
}

fn owned(s: &str) -> String {
    clean(s).into_owned()
}

fn place(doc: &Document, node: NodeId) -> Line<'static> {
    Line::styled(
        owned(&format!("{}:{}", doc.path.display(), doc.node_line(node))),
        theme::dim(),
    )
}

fn headings(path: &[&str]) -> Option<Line<'static>> {
    (!path.is_empty()).then(|| Line::styled(owned(&path.join(" › ")), theme::dim()))
}

/// Rows listed at most in a summary.
const MAX_LISTED: usize = 200;

/// Bytes of a subtree rendered at most: the pane shows a screenful, and a
/// year heading over a huge list must not slow every frame.
const MAX_RENDERED: usize = 16 * 1024;

/// The Markdown of a node with its nested items.
fn subtree(doc: &Document, node: NodeId) -> Vec<Line<'static>> {
    let range = doc.subtree(node);
    let text = &doc.source[range];
    if text.len() <= MAX_RENDERED {
        return markdown::render(text);
    }
    let cut = text[..MAX_RENDERED]
        .rfind('\n')
        .map_or(MAX_RENDERED, |i| i + 1);
    let mut out = markdown::render(&text[..cut]);
    let rest = text[cut..].lines().count();
    out.push(Line::styled(format!("… {rest} more lines"), theme::dim()));
    out
}

fn link_lines(l: &LinkRef<'_>) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(owned(&l.title()), theme::title()),
        Line::styled(owned(l.url()), theme::link()),
    ];
    out.extend(headings(&l.headings()));
    let (line, col) = l.position();
    let mut facts = vec![
        Span::styled(
            owned(&format!("{}:{line}:{col}", l.doc.path.display())),
            theme::dim(),
        ),
        Span::styled(format!(" · {}", l.kind().name()), theme::dim()),
    ];
    match l.year() {
        Some(y) if l.year_inferred() => facts.push(Span::styled(
            format!(" · postmortem ~{y} (read from the item)"),
            theme::inferred(),
        )),
        Some(y) => facts.push(Span::styled(format!(" · postmortem {y}"), theme::dim())),
        None => {}
    }
    out.push(Line::from(facts));
    out.push(Line::default());
    out.extend(subtree(l.doc, l.link.node()));
    out
}

/// The lines describing a target.
pub fn lines(app: &App, target: Target) -> Vec<Line<'static>> {
    let nb = &app.notebook;
    match target {
        Target::Link(id) => nb.link(id).map(|l| link_lines(&l)).unwrap_or_default(),
        Target::Bucket(b) => {
            let name = match b {
                Bucket::Year(y) => y.to_string(),
                _ => "General".to_string(),
            };
            let n = app.index.bucket_counts.get(&b).copied().unwrap_or(0);
            let mut out = vec![
                Line::styled(
                    format!(
                        "{name} — {n} postmortem link{}",
                        if n == 1 { "" } else { "s" }
                    ),
                    theme::title(),
                ),
                Line::default(),
            ];
            // The index lists the bucket's links: no scan of the notebook per frame.
            let ids = app
                .index
                .buckets
                .iter()
                .find(|(x, _)| *x == b)
                .map_or(&[][..], |(_, ids)| ids.as_slice());
            for &id in ids.iter().take(MAX_LISTED) {
                let nested = app
                    .index
                    .link_children
                    .get(&id)
                    .map_or(&[][..], Vec::as_slice);
                for (depth, id) in std::iter::once((0, id)).chain(nested.iter().map(|&c| (1, c))) {
                    if let Some(l) = nb.link(id) {
                        out.push(bullet(depth, &l.title()));
                    }
                }
            }
            out.extend(more(ids.len()));
            out
        }
        Target::Tag(t) => {
            let Some((name, ids)) = app.index.tags.get(t as usize) else {
                return Vec::new();
            };
            let name = if name.is_empty() {
                "Notes without tags".to_string()
            } else {
                format!("#{name}")
            };
            let mut out = vec![
                Line::styled(
                    format!(
                        "{name} — {} link{}",
                        ids.len(),
                        if ids.len() == 1 { "" } else { "s" }
                    ),
                    theme::title(),
                ),
                Line::default(),
            ];
            for l in ids.iter().take(MAX_LISTED).filter_map(|&id| nb.link(id)) {
                out.push(bullet(0, &l.title()));
            }
            out.extend(more(ids.len()));
            out
        }
        Target::SessionYear(y) => {
            let sessions = app
                .index
                .session_years
                .iter()
                .find(|(x, _)| *x == y)
                .map(|(_, s)| s.as_slice())
                .unwrap_or(&[]);
            let cancelled = sessions
                .iter()
                .filter(|&&(d, i)| nb.documents[d as usize].sessions[i as usize].cancelled)
                .count();
            let name = y.map_or("Year unknown".to_string(), |y| y.to_string());
            let mut out = vec![Line::styled(
                format!(
                    "{name} — {} session{}, {cancelled} cancelled",
                    sessions.len(),
                    if sessions.len() == 1 { "" } else { "s" }
                ),
                theme::title(),
            )];
            if y.is_none() {
                out.push(Line::styled(
                    "These dates stand in sections that give no year.",
                    theme::dim(),
                ));
            }
            out
        }
        Target::Session(d, i) => {
            let doc = &nb.documents[d as usize];
            let s = &doc.sessions[i as usize];
            let date = match s.year {
                Some(y) => format!(
                    "{}, {} {}, {y}",
                    weekday(y, s.month, s.day),
                    month_abbrev(s.month),
                    s.day
                ),
                None => format!("{} {} (year unknown)", month_abbrev(s.month), s.day),
            };
            let mut first = vec![Span::styled(date, theme::title())];
            if s.year_inferred {
                first.push(Span::styled("  year inferred", theme::inferred()));
            }
            if s.cancelled {
                first.push(Span::styled("  cancelled", theme::cancelled()));
            }
            let mut out = vec![
                Line::from(first),
                Line::styled(
                    owned(if s.title.is_empty() {
                        "(no title)"
                    } else {
                        &s.title
                    }),
                    theme::title(),
                ),
            ];
            out.extend(headings(&doc.section_path(doc.section_index(s.node))));
            out.push(place(doc, s.node));
            for w in &s.warnings {
                out.push(Line::styled(format!("⚠ {}", owned(w)), theme::inferred()));
            }
            out.push(Line::default());
            out.extend(subtree(doc, s.node));
            out
        }
        Target::Document(d) => {
            let doc = &nb.documents[d as usize];
            let mut out = vec![
                Line::styled(owned(&doc.title), theme::title()),
                Line::styled(owned(&doc.path.display().to_string()), theme::dim()),
            ];
            if !doc.tags.is_empty() {
                out.push(Line::styled(
                    owned(&format!("tags: {}", doc.tags.join(", "))),
                    theme::dim(),
                ));
            }
            out.push(Line::raw(format!(
                "{} headings · {} links · {} sessions · {} lines",
                doc.sections.len(),
                doc.links.len(),
                doc.sessions.len(),
                doc.source.lines().count()
            )));
            if doc.read_only {
                out.push(Line::styled(
                    "read-only: never written by opsbook",
                    theme::inferred(),
                ));
            }
            out.push(Line::default());
            for (i, s) in doc.sections.iter().enumerate() {
                let depth = doc.section_path(i as u32).len().saturating_sub(1);
                out.push(Line::styled(
                    owned(&format!("{}{}", "  ".repeat(depth), s.title)),
                    theme::heading(),
                ));
            }
            out
        }
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            let mut out = Vec::new();
            out.extend(headings(&doc.section_path(doc.section_index(n))));
            out.push(place(doc, n));
            out.push(Line::default());
            out.extend(subtree(doc, n));
            out
        }
    }
}

/// A listed link's title, as a bullet `depth` levels in.
fn bullet(depth: usize, title: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{}• ", "  ".repeat(depth)), theme::dim()),
        Span::raw(owned(title)),
    ])
}

/// `… N more` under a list cut at `MAX_LISTED`, when it was cut.
fn more(total: usize) -> Option<Line<'static>> {
    (total > MAX_LISTED)
        .then(|| Line::styled(format!("… {} more", total - MAX_LISTED), theme::dim()))
}
