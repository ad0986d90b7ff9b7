//! The search pane: query, results with matched characters highlighted, and
//! a preview of the selected result.

use crate::notebook::item::one_line;
use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::text::{clean, truncate};
use super::theme;
use crate::app::App;
use crate::app::layout::{Areas, SearchAreas, result_height};
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
    let per_result = result_height(results);
    let shown = (results.height / per_result) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, &hit) in search
        .hits
        .iter()
        .enumerate()
        .skip(search.offset)
        .take(shown)
    {
        let r = result_text(app, search.scope, hit);
        // Words only the kept page holds: its sentence stands under the title.
        let from_page = match search.scope {
            Scope::Links => app.notebook.link(hit).and_then(|l| {
                let own = format!("{} {} {}", r.title, r.detail, l.url());
                let query = search.answered.as_deref().unwrap_or("");
                app.page_sentence(l.url(), &own, query, 400)
            }),
            Scope::Notes => None,
        };
        let mark = match search.scope {
            Scope::Links => app
                .notebook
                .link(hit)
                .and_then(|l| super::nav::health_mark(app, l.url())),
            Scope::Notes => None,
        };
        let room = width.saturating_sub(mark.as_ref().map_or(0, |m| m.content.chars().count()));
        let mut first = highlighted(&r.title, &query, &mut scorer, room, Style::new());
        if let Some(mark) = mark {
            first.spans.insert(0, mark);
        }
        let used: usize = first
            .spans
            .iter()
            .map(|s| super::text::width(&s.content))
            .sum();
        if used + 3 < width {
            let rest = truncate(&clean(&r.aside), width - used - 2).into_owned();
            first
                .spans
                .push(Span::styled(format!("  {rest}"), theme::dim()));
        }
        let second = match from_page {
            Some(sentence) => {
                let mut line = excerpt(&sentence, &query, width.saturating_sub(9));
                // In place of the indent: where the words stand.
                if let Some(first) = line.spans.first_mut() {
                    let more = if first.content.contains('…') {
                        "…"
                    } else {
                        ""
                    };
                    *first = Span::styled(format!("  page › {more}"), theme::inferred());
                }
                line
            }
            None => excerpt(&r.detail, &query, width.saturating_sub(2)),
        };
        for line in [first, second].into_iter().take(usize::from(per_result)) {
            lines.push(if i == search.selected {
                line.patch_style(theme::selected())
            } else {
                line
            });
        }
    }
    if lines.is_empty() && !search.is_refining() && !search.query.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("no match", theme::dim())),
            results,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), results);
    }

    if let Some(&hit) = search.hits.get(search.selected) {
        frame.render_widget(
            Paragraph::new(preview_lines(app, search.scope, hit))
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

/// What a result shows: its title, a short note beside it, and under it
/// the text it stands in.
struct ResultText {
    title: String,
    aside: String,
    detail: String,
}

fn result_text(app: &App, scope: Scope, id: u32) -> ResultText {
    let nb = &app.notebook;
    match scope {
        Scope::Links => match nb.link(id) {
            Some(l) => {
                let title = one_line(&l.title());
                // What the item says besides the title and URLs (the host is beside the title).
                let context = l.context();
                let words: Vec<&str> = context
                    .split_whitespace()
                    .filter(|w| !w.contains("://"))
                    .collect();
                let said = words.join(" ");
                // The title is shown above: what else the item says. (Its last
                // occurrence: a link after the write-up names itself last.)
                let said = match said.rfind(title.as_str()) {
                    Some(i) if !title.is_empty() => {
                        one_line(&format!("{} {}", &said[..i], &said[i + title.len()..]))
                    }
                    _ => said.clone(),
                };
                let mut detail = said
                    .trim_matches(|c: char| c.is_whitespace() || ".,-:–—()".contains(c))
                    .to_string();
                if detail.is_empty() {
                    detail = l.headings().join(" › ");
                }
                ResultText {
                    title,
                    aside: super::text::host(l.url()).to_string(),
                    detail,
                }
            }
            None => match app.links.document_of(id) {
                // A postmortem document, said to be one.
                Some(d) => {
                    let doc = &nb.documents[d as usize];
                    let facts = app.index.postmortem(d).map(|p| {
                        p.facts
                            .iter()
                            .find(|(k, _)| *k == "summary")
                            .map_or(String::new(), |(_, v)| one_line(v))
                    });
                    ResultText {
                        title: format!("▤ {}", one_line(&doc.title)),
                        aside: format!("postmortem document · {}", doc.path.display()),
                        detail: facts.unwrap_or_default(),
                    }
                }
                None => ResultText {
                    title: String::new(),
                    aside: String::new(),
                    detail: String::new(),
                },
            },
        },
        Scope::Notes => match app.notes.entry(id) {
            Some(e) => {
                let doc = &nb.documents[e.doc as usize];
                let path = doc
                    .section_of(e.node)
                    .map(|s| doc.section_joined(doc.section_index(s.node), " › "))
                    .unwrap_or_default();
                ResultText {
                    title: one_line(&plain_text(doc.content(e.node))),
                    aside: doc.path.display().to_string(),
                    detail: path,
                }
            }
            None => ResultText {
                title: String::new(),
                aside: String::new(),
                detail: String::new(),
            },
        },
    }
}

/// The part of a long text where the query's words stand, dimmed, with the
/// words in the matched style; the text's start when no word stands in it.
fn excerpt(text: &str, query: &Query, max: usize) -> Line<'static> {
    let text = clean(text);
    // The query's words as typed, and the words the ranking matched by
    // stem, synonym or typo.
    let mut ranges = query.word_ranges(&text);
    ranges.extend(crate::search::relaxed::word_ranges(query.text(), &text));
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    // Start a little before the first word, at a word boundary.
    let first = ranges.first().map_or(0, |r| r.start);
    let mut start = if super::text::width(&text[..first]) + 12 < max {
        0
    } else {
        let back = text[..first]
            .char_indices()
            .rev()
            .nth(12)
            .map_or(0, |(i, _)| i);
        text[back..first].find(' ').map_or(back, |s| back + s + 1)
    };
    start = start.min(first);
    let mut spans = vec![Span::styled(
        if start > 0 { "  …" } else { "  " }.to_string(),
        theme::dim(),
    )];
    let mut at = start;
    for r in ranges.iter().filter(|r| r.start >= start) {
        if r.start < at {
            continue;
        }
        spans.push(Span::styled(text[at..r.start].to_string(), theme::dim()));
        spans.push(Span::styled(text[r.clone()].to_string(), theme::matched()));
        at = r.end;
    }
    spans.push(Span::styled(text[at..].to_string(), theme::dim()));
    fit(spans, max + 2)
}

/// Spans cut to `max` columns.
fn fit(spans: Vec<Span<'static>>, max: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut room = max;
    for s in spans {
        if room == 0 {
            break;
        }
        let w = super::text::width(&s.content);
        if w <= room {
            room -= w;
            out.push(s);
        } else {
            out.push(Span::styled(
                truncate(&s.content, room).into_owned(),
                s.style,
            ));
            room = 0;
        }
    }
    Line::from(out)
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
    let mut marks = scorer.indices(query, &text);
    // The words the ranking matched by stem, synonym or typo, too.
    let ranges = crate::search::relaxed::word_ranges(query.text(), &text);
    if !ranges.is_empty() {
        marks.extend(
            text.char_indices()
                .enumerate()
                .filter(|(_, (b, _))| ranges.iter().any(|r| r.contains(b)))
                .map(|(i, _)| i as u32),
        );
        marks.sort_unstable();
        marks.dedup();
    }
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
            None => match app.links.document_of(id) {
                Some(d) => {
                    let doc = &nb.documents[d as usize];
                    let mut out = vec![Line::styled(
                        clean(&format!("postmortem document · {}", doc.path.display()))
                            .into_owned(),
                        theme::dim(),
                    )];
                    if let Some(p) = app.index.postmortem(d) {
                        for (k, v) in &p.facts {
                            out.push(Line::raw(clean(&format!("{k}: {v}")).into_owned()));
                        }
                    }
                    out
                }
                None => Vec::new(),
            },
        },
        Scope::Notes => match app.notes.entry(id) {
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
