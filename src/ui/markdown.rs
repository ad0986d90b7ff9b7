//! Markdown of a node and its nested items, rendered as styled lines:
//! headings, bold, italic, code, links, and bullets drawn as bullets.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::text::clean;
use super::theme;
use crate::notebook::NodeKind;
use crate::notebook::parse::parse_blocks;

/// Renders Markdown text as lines (not wrapped: the paragraph widget wraps).
pub fn render(markdown: &str) -> Vec<Line<'static>> {
    let blocks = parse_blocks(markdown);
    let nodes = &blocks.nodes;
    let mut depth = vec![0usize; nodes.len()];
    let mut lines = Vec::new();
    for (i, node) in nodes.iter().enumerate().skip(1) {
        let parent = node.parent() as usize;
        let nested = !matches!(
            nodes[parent].kind(),
            NodeKind::Heading { .. } | NodeKind::Document
        );
        depth[i] = if nested { depth[parent] + 1 } else { 0 };
        let indent = "  ".repeat(depth[i]);
        let content = &markdown[node.content_span(markdown).range()];
        match node.kind() {
            NodeKind::Heading { .. } => {
                if !lines.is_empty() {
                    lines.push(Line::default());
                }
                let mut spans = inline(content, theme::heading());
                spans.insert(0, Span::styled("▌ ", theme::heading()));
                lines.push(Line::from(spans));
            }
            NodeKind::Item { ordered } => {
                let marker = if ordered {
                    let raw = markdown[node.span.range()].trim_start();
                    let n: String = raw.chars().take_while(char::is_ascii_digit).collect();
                    format!("{n}. ")
                } else {
                    "• ".to_string()
                };
                let mut spans = vec![Span::raw(indent), Span::styled(marker, theme::dim())];
                spans.extend(inline(content, Style::new()));
                lines.push(Line::from(spans));
            }
            NodeKind::Paragraph => {
                let mut spans = vec![Span::raw(indent)];
                spans.extend(inline(content, Style::new()));
                lines.push(Line::from(spans));
            }
            NodeKind::Quote => {
                for l in content.lines() {
                    let text = l.trim_start().trim_start_matches('>').trim_start();
                    let mut spans =
                        vec![Span::raw(indent.clone()), Span::styled("│ ", theme::dim())];
                    spans.extend(inline(text, Style::new().add_modifier(Modifier::ITALIC)));
                    lines.push(Line::from(spans));
                }
            }
            NodeKind::Table | NodeKind::Code => {
                for l in markdown[node.span.range()].lines() {
                    lines.push(Line::from(vec![
                        Span::raw(indent.clone()),
                        Span::styled(clean(l).into_owned(), theme::code()),
                    ]));
                }
            }
            NodeKind::Rule => lines.push(Line::styled("────────", theme::dim())),
            NodeKind::FrontMatter | NodeKind::Document => {}
        }
    }
    lines
}

/// Inline Markdown as styled spans.
pub fn inline(markdown: &str, base: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut styles = vec![base];
    let style = |styles: &Vec<Style>| *styles.last().unwrap_or(&base);
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Strong) => styles.push(style(&styles).add_modifier(Modifier::BOLD)),
            Event::Start(Tag::Emphasis) => {
                styles.push(style(&styles).add_modifier(Modifier::ITALIC))
            }
            Event::Start(Tag::Strikethrough) => {
                styles.push(style(&styles).add_modifier(Modifier::CROSSED_OUT))
            }
            Event::Start(Tag::Link { .. }) => styles.push(style(&styles).patch(theme::link())),
            Event::End(
                TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link,
            ) if styles.len() > 1 => {
                styles.pop();
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                spans.push(Span::styled(clean(&t).into_owned(), style(&styles)))
            }
            Event::Code(t) => spans.push(Span::styled(
                clean(&t).into_owned(),
                style(&styles).patch(theme::code()),
            )),
            Event::SoftBreak | Event::HardBreak => spans.push(Span::raw(" ")),
            _ => {}
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn bullets_are_drawn_as_bullets_and_nest() {
        let lines = render("- **Lastpass** [breach](https://x)\n  - `root` cause\n    • deeper\n");
        assert_eq!(
            plain(&lines),
            vec!["• Lastpass breach", "  • root cause", "    • deeper"]
        );
        let bold = &lines[0].spans[2];
        assert_eq!(bold.content, "Lastpass");
        assert!(bold.style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(lines[0].spans[4].style, theme::link());
    }

    #[test]
    fn headings_and_numbers() {
        assert_eq!(
            plain(&render("## 2023\n1. one\n2) two\n")),
            vec!["▌ 2023", "1. one", "2. two"]
        );
    }
}
