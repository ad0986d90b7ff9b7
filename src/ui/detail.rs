//! The detail pane: everything about the selected row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::markdown;
use super::text::{clean, truncate};
use super::theme;
use crate::app::tree::Target;
use crate::app::{Action, App, Mode};
use crate::health::{FixKind, Status, local_time, skip_reason};
use crate::keymap::Keymap;
use crate::notebook::LinkKind;
use crate::notebook::sessions::{month_abbrev, weekday};
use crate::notebook::{Bucket, Document, LinkRef, NodeId};

/// Draws the detail pane.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, keymap: &Keymap) {
    let lines = match app.pane().selected_target() {
        Some(t) => {
            let mut lines = lines(app, t);
            if let Target::Link(id) = t
                && let Some(l) = app.notebook.link(id)
            {
                // Under the title and URL: what the last check found.
                let at = 2.min(lines.len());
                let mut under = health_lines(app, keymap, l.url(), l.kind());
                under.extend(page_lines(app, keymap, l.url()));
                lines.splice(at..at, under);
            } else {
                lines.extend(dead_links_under(app, keymap, t));
            }
            lines
        }
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

/// An action: what, who, when, where, and its item with what is nested under it.
fn action_lines(app: &App, d: u32, n: NodeId) -> Vec<Line<'static>> {
    let nb = &app.notebook;
    let doc = &nb.documents[d as usize];
    let Some(a) = app.index.action(nb, d, n) else {
        return Vec::new();
    };
    let today = app.index.today();
    let state = if a.done {
        Span::styled("done", theme::dim())
    } else if a.overdue(today) {
        Span::styled("open · overdue", theme::inferred())
    } else {
        Span::styled("open", theme::dim())
    };
    let mut out = vec![
        Line::styled(owned(&a.text), theme::title()),
        Line::from(vec![Span::styled("action · ", theme::dim()), state]),
        Line::styled(
            owned(&format!(
                "owner: {}",
                a.owner.as_deref().unwrap_or("(none said)")
            )),
            theme::dim(),
        ),
        Line::styled(
            format!("due: {}", a.due.map_or("(none said)".into(), |d| d.iso())),
            theme::dim(),
        ),
        Line::styled(
            owned(&format!(
                "{} · {}:{}",
                doc.title,
                doc.path.display(),
                a.line
            )),
            theme::dim(),
        ),
        Line::default(),
    ];
    out.extend(subtree(doc, n));
    out
}

/// A postmortem document: its title, date and the facts it states, the
/// links in it, then the document rendered.
fn postmortem_lines(app: &App, d: u32) -> Vec<Line<'static>> {
    let doc = &app.notebook.documents[d as usize];
    let mut out = vec![
        Line::styled(owned(&doc.title), theme::title()),
        Line::styled(owned(&doc.path.display().to_string()), theme::dim()),
    ];
    if let Some(p) = app.index.postmortem(d) {
        use crate::notebook::postmortem::DateSource;
        let when = match (p.date, p.year, p.dated_by) {
            (Some(day), _, Some(DateSource::Timeline)) => Span::styled(
                format!("~{} (from its Timeline)", day.iso()),
                theme::inferred(),
            ),
            (Some(day), _, Some(DateSource::Summary)) => Span::styled(
                format!("~{} (from its Summary)", day.iso()),
                theme::inferred(),
            ),
            (Some(day), _, _) => Span::styled(day.iso(), theme::dim()),
            (None, Some(y), _) => Span::styled(y.to_string(), theme::dim()),
            (None, None, _) => Span::styled("undated", theme::inferred()),
        };
        out.push(Line::from(vec![
            Span::styled("postmortem document · ", theme::dim()),
            when,
        ]));
        out.push(Line::default());
        for (name, value) in &p.facts {
            out.push(Line::from(vec![
                Span::styled(format!("{name}: "), theme::heading()),
                Span::raw(owned(value)),
            ]));
        }
    }
    let links = &doc.links;
    if !links.is_empty() {
        out.push(Line::styled(
            format!(
                "{} link{} in it:",
                links.len(),
                if links.len() == 1 { "" } else { "s" }
            ),
            theme::dim(),
        ));
        for l in links.iter().take(MAX_LISTED) {
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(owned(doc.link_url(l)), theme::link()),
            ]));
        }
    }
    out.push(Line::default());
    // The body, without its front matter.
    let start = doc
        .children(crate::notebook::model::ROOT)
        .find(|&c| doc.node(c).kind() != crate::notebook::NodeKind::FrontMatter)
        .map_or(doc.source.len(), |c| doc.node(c).span.range().start);
    let text = &doc.source[start..];
    let cut = if text.len() <= MAX_RENDERED {
        text.len()
    } else {
        text[..MAX_RENDERED]
            .rfind('\n')
            .map_or(MAX_RENDERED, |i| i + 1)
    };
    out.extend(markdown::render(&text[..cut]));
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
            let docs: Vec<_> = app.index.postmortems_in(b).collect();
            let documents = match docs.len() {
                0 => String::new(),
                1 => " · 1 document".to_string(),
                k => format!(" · {k} documents"),
            };
            let mut out = vec![
                Line::styled(
                    format!(
                        "{name} — {n} postmortem link{}{documents}",
                        if n == 1 { "" } else { "s" }
                    ),
                    theme::title(),
                ),
                Line::default(),
            ];
            for p in docs.iter().take(MAX_LISTED) {
                let title = nb.documents[p.doc as usize].title.to_string();
                out.push(Line::from(vec![
                    Span::styled("▤ ", theme::heading()),
                    Span::raw(owned(&title)),
                ]));
            }
            // The index lists the bucket's links: no scan of the notebook per frame.
            let ids = app
                .index
                .buckets
                .iter()
                .find(|(x, _)| *x == b)
                .map_or(&[][..], |(_, ids)| ids.as_slice());
            for &id in ids.iter().take(MAX_LISTED) {
                let nested = app.index.nesting.children(id).map(|c| (1, c));
                for (depth, id) in std::iter::once((0, id)).chain(nested) {
                    if let Some(l) = nb.link(id) {
                        out.push(bullet(depth, &l.title()));
                    }
                }
            }
            out.extend(more(ids.len()));
            out
        }
        Target::Tag(t) => {
            let Some((name, ids)) = app.index.tags(&app.notebook).get(t as usize) else {
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
                    {
                        let shown = crate::notebook::session_shown_title(doc, s);
                        owned(if shown.is_empty() {
                            "(no title)"
                        } else {
                            &shown
                        })
                    },
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
        Target::Postmortem(d) => postmortem_lines(app, d),
        Target::Action(d, n) => action_lines(app, d, n),
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

/// The first key of an action while browsing, or its name when unbound.
fn normal_key(keymap: &Keymap, a: Action) -> String {
    keymap
        .first_key(Mode::Normal, a)
        .unwrap_or_else(|| a.name().to_string())
}

/// What the link's kept page says: when it was kept, its description and
/// first lines, and the key that reads it.
fn page_lines(app: &App, keymap: &Keymap, url: &str) -> Vec<Line<'static>> {
    let Some(p) = app.page_of(url) else {
        return Vec::new();
    };
    let read = if p.text.is_empty() {
        "no text".to_string()
    } else {
        format!("{} reads it", normal_key(keymap, Action::ReadPage))
    };
    let mut out = vec![Line::styled(
        format!(
            "page kept {} ({}){} · {read}",
            p.day(),
            p.kind.label(),
            if p.truncated { ", cut" } else { "" },
        ),
        theme::matched(),
    )];
    if !p.description.is_empty() {
        out.push(Line::styled(
            format!("  {}", owned(&p.description)),
            theme::dim(),
        ));
    }
    for line in p.first_lines(3) {
        if !line.starts_with('#') {
            out.push(Line::styled(
                format!("  {}", owned(&truncate(line, 240))),
                theme::dim(),
            ));
        }
    }
    out
}

/// What the last check found of a link, and what can be done about it.
fn health_lines(app: &App, keymap: &Keymap, url: &str, kind: LinkKind) -> Vec<Line<'static>> {
    if skip_reason(url, kind).is_some() {
        return Vec::new();
    }
    let key = |a: Action| normal_key(keymap, a);
    // Unchecked links say nothing: help and the status bar tell of the check.
    let Some(h) = app.health_of(url) else {
        return Vec::new();
    };
    let (mark, style) = match h.status {
        Status::Ok => ("✓", theme::dim()),
        Status::Redirected => ("↪", theme::inferred()),
        Status::Dead => ("✗", theme::error()),
        Status::Error | Status::Skipped => ("?", theme::inferred()),
    };
    let mut out = vec![Line::from(vec![
        Span::styled(format!("{mark} {}", owned(&h.summary())), style),
        Span::styled(
            format!(" · checked {}", local_time(h.checked_at)),
            theme::dim(),
        ),
    ])];
    if let Some(s) = &h.archived {
        out.push(Line::styled(
            format!("archived copy of {}:", s.day()),
            theme::dim(),
        ));
        out.push(Line::styled(format!("  {}", owned(&s.url)), theme::link()));
    } else if h.status == Status::Dead {
        out.push(Line::styled(
            match &h.archive_error {
                Some(e) => format!("no archived copy: {}", owned(e)),
                None if app.health.settings.archive_api.is_empty() => {
                    "archive lookup off (check.archive_api)".to_string()
                }
                None => "no archived copy found".to_string(),
            },
            theme::dim(),
        ));
    }
    if let Some((_, fix)) = h.fix() {
        out.push(Line::styled(
            format!(
                "{} rewrites the link to {}",
                key(Action::FixLink),
                match fix {
                    FixKind::Archived => "the archived copy",
                    FixKind::Redirect => "its new address",
                }
            ),
            theme::matched(),
        ));
    }
    out
}

/// Dead links in what a row shows (a session, an item, a year), listed at
/// its end so they are seen in every view.
fn dead_links_under(app: &App, keymap: &Keymap, t: Target) -> Vec<Line<'static>> {
    let nb = &app.notebook;
    if app.health.marked.0 == 0 {
        return Vec::new();
    }
    // A year's links are the index's, borrowed: a frame copies none.
    let ids: std::borrow::Cow<'_, [crate::notebook::LinkId]> = match t {
        Target::Session(d, i) => {
            let doc = &nb.documents[d as usize];
            links_in(app, d as usize, doc.subtree(doc.sessions[i as usize].node)).into()
        }
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            links_in(app, d as usize, doc.subtree(n)).into()
        }
        Target::Bucket(b) => app
            .index
            .buckets
            .iter()
            .find(|(x, _)| *x == b)
            .map_or(&[][..], |(_, ids)| ids.as_slice())
            .into(),
        Target::Document(d) => {
            let doc = &nb.documents[d as usize];
            links_in(app, d as usize, 0..doc.source.len()).into()
        }
        _ => return Vec::new(),
    };
    let dead: Vec<_> = ids
        .iter()
        .filter_map(|&id| nb.link(id))
        .filter(|l| {
            app.health_of(l.url())
                .is_some_and(|h| h.status == Status::Dead)
        })
        .collect();
    if dead.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        Line::default(),
        Line::styled(
            format!(
                "{} dead link{}:",
                dead.len(),
                if dead.len() == 1 { "" } else { "s" }
            ),
            theme::error(),
        ),
    ];
    for l in dead.iter().take(MAX_LISTED) {
        out.push(Line::from(vec![
            Span::styled("✗ ", theme::error()),
            Span::raw(owned(&crate::notebook::item::one_line(&l.title()))),
            Span::styled(format!("  {}", owned(l.url())), theme::dim()),
        ]));
    }
    out.extend(more(dead.len()));
    let key = |a: Action| normal_key(keymap, a);
    out.push(Line::styled(
        format!(
            "{} finds one to open it, or {} to rewrite it to its copy",
            key(Action::SearchLinks),
            key(Action::FixLink)
        ),
        theme::dim(),
    ));
    out
}

/// The links of document `d` standing in a byte range.
fn links_in(app: &App, d: usize, range: std::ops::Range<usize>) -> Vec<crate::notebook::LinkId> {
    app.notebook.documents[d]
        .links_within(range)
        .map(|(i, _)| app.notebook.link_id(d, i))
        .collect()
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
