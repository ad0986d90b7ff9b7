//! Inline Markdown: links (with pulldown-cmark), bare URLs (with linkify) and
//! plain text.

use std::collections::HashMap;
use std::ops::Range;

use linkify::{LinkFinder, LinkKind as FoundKind};
use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::model::{Link, LinkKind, NodeId, TextRef};

/// Reference definitions of a document (`[label]: url`), keyed by folded label.
#[derive(Default)]
pub struct RefDefs {
    urls: HashMap<String, String>,
}

impl RefDefs {
    /// Collects the definitions of a whole document.
    pub fn collect(source: &str) -> RefDefs {
        // A full CommonMark pass only to find definitions: skipped when there can be none.
        if !source.contains("]:") {
            return RefDefs::default();
        }
        let parser = Parser::new_ext(source, options());
        let urls = parser
            .reference_definitions()
            .iter()
            .map(|(label, def)| (fold_label(label), def.dest.to_string()))
            .collect();
        RefDefs { urls }
    }

    fn get(&self, label: &str) -> Option<&str> {
        self.urls.get(&fold_label(label)).map(String::as_str)
    }
}

fn fold_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// A link found in one node's text, before it is stored.
pub struct FoundLink {
    /// Text shown.
    pub text: String,
    /// Byte range of the text in the node's content, when the text is verbatim there.
    pub text_at: Option<Range<usize>>,
    /// Target.
    pub url: String,
    /// Byte range of the target in the content, when verbatim there.
    pub url_at: Option<Range<usize>>,
    /// Where the link starts in the content.
    pub offset: usize,
}

fn bare_url_finder() -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.kinds(&[FoundKind::Url]);
    finder
}

/// Finds the links of one node's text.
pub fn find_links(text: &str, refs: &RefDefs) -> Vec<FoundLink> {
    let mut found = Vec::new();
    // Most lines hold no link at all; skip the Markdown parser for them.
    if !text.contains(['[', '<', ':']) {
        return found;
    }
    let callback = |broken: BrokenLink<'_>| {
        refs.get(&broken.reference)
            .map(|url| (CowStr::from(url.to_string()), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(text, options(), Some(callback));
    let finder = bare_url_finder();

    struct Open {
        url: String,
        offset: usize,
        text: String,
        text_range: Option<Range<usize>>,
        autolink: bool,
    }
    let mut open: Option<Open> = None;
    let mut skip_depth = 0usize; // inside images and code blocks
    let mut pending: Option<(String, Range<usize>)> = None;

    let flush_text = |pending: &mut Option<(String, Range<usize>)>, found: &mut Vec<FoundLink>| {
        if let Some((s, range)) = pending.take() {
            bare_urls(&finder, &s, range, text, found);
        }
    };

    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) | Event::Start(Tag::CodeBlock(_)) => {
                flush_text(&mut pending, &mut found);
                skip_depth += 1;
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::CodeBlock) => {
                skip_depth = skip_depth.saturating_sub(1);
            }
            _ if skip_depth > 0 => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                flush_text(&mut pending, &mut found);
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                open = Some(Open {
                    url,
                    offset: range.start,
                    text: String::new(),
                    text_range: None,
                    autolink: matches!(link_type, LinkType::Autolink | LinkType::Email),
                });
            }
            Event::End(TagEnd::Link) => {
                if let Some(link) = open.take() {
                    let text_at = link
                        .text_range
                        .filter(|r| text.get(r.clone()) == Some(link.text.as_str()));
                    let link_range = link.offset..range.end;
                    let url_at = locate(text, link_range, &link.url, link.autolink);
                    found.push(FoundLink {
                        text: link.text,
                        text_at,
                        url: link.url,
                        url_at,
                        offset: link.offset,
                    });
                }
            }
            Event::Code(s) => {
                if let Some(link) = open.as_mut() {
                    link.text.push_str(&s);
                    // Backticks make the text differ from the source: it goes to the arena.
                    link.text_range = Some(match link.text_range.take() {
                        Some(r) => r.start..range.end,
                        None => range.clone(),
                    });
                } else {
                    flush_text(&mut pending, &mut found);
                }
            }
            Event::Text(s) => {
                if let Some(link) = open.as_mut() {
                    link.text.push_str(&s);
                    link.text_range = Some(match link.text_range.take() {
                        Some(r) => r.start..range.end,
                        None => range.clone(),
                    });
                } else {
                    // Adjacent text events (split at `_`, `(`, `[` …) are joined so a
                    // URL with parentheses is seen whole.
                    match pending.as_mut() {
                        Some((p, r)) if r.end == range.start => {
                            p.push_str(&s);
                            r.end = range.end;
                        }
                        _ => {
                            flush_text(&mut pending, &mut found);
                            pending = Some((s.to_string(), range));
                        }
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(link) = open.as_mut() {
                    link.text.push(' ');
                } else {
                    flush_text(&mut pending, &mut found);
                }
            }
            _ => {
                if open.is_none() {
                    flush_text(&mut pending, &mut found);
                }
            }
        }
    }
    flush_text(&mut pending, &mut found);
    found.sort_by_key(|l| l.offset);
    found
}

/// Where `url` stands verbatim inside a link's source.
fn locate(text: &str, link: Range<usize>, url: &str, autolink: bool) -> Option<Range<usize>> {
    let raw = text.get(link.clone())?;
    // The target follows the text, so search from the end (`[https://a](https://a)`).
    let at = if autolink {
        raw.find(url)
    } else {
        raw.rfind(url)
    }?;
    Some(link.start + at..link.start + at + url.len())
}

fn bare_urls(
    finder: &LinkFinder,
    s: &str,
    range: Range<usize>,
    source: &str,
    found: &mut Vec<FoundLink>,
) {
    if !s.contains(':') {
        return;
    }
    let verbatim = source.get(range.clone()) == Some(s);
    for link in finder.links(s) {
        let url = link.as_str().to_string();
        let at = verbatim.then(|| range.start + link.start()..range.start + link.end());
        found.push(FoundLink {
            text: url.clone(),
            text_at: at.clone(),
            url,
            offset: at.as_ref().map_or(range.start, |r| r.start),
            url_at: at,
        });
    }
}

/// The text of inline Markdown as it reads: markup removed, escapes undone.
pub fn plain_text(markdown: &str) -> String {
    if !markdown.contains(['*', '_', '`', '[', '<', '\\', '&', '~']) {
        return markdown.trim().to_string();
    }
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(s) | Event::Code(s) => out.push_str(&s),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Html(s) | Event::InlineHtml(s) => out.push_str(&s),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Stores found links of a node into the document's link list and arena.
pub struct LinkSink<'a> {
    /// The document's source.
    pub source: &'a str,
    /// Strings not verbatim in the source.
    pub arena: &'a mut String,
    /// The links.
    pub links: &'a mut Vec<Link>,
}

impl LinkSink<'_> {
    /// Adds the links of a node whose content starts at `base` in the source.
    pub fn add(
        &mut self,
        node: NodeId,
        section: u32,
        base: usize,
        line_of: &dyn Fn(usize) -> (u32, u32),
        found: Vec<FoundLink>,
    ) {
        for f in found {
            let text = self.text_ref(f.text_at.map(|r| base + r.start..base + r.end), &f.text);
            let url = self.text_ref(f.url_at.map(|r| base + r.start..base + r.end), &f.url);
            let (line, column) = line_of(base + f.offset);
            self.links.push(Link {
                text,
                url,
                node,
                section,
                line,
                column,
                kind: LinkKind::of(&f.url),
            });
        }
    }

    fn text_ref(&mut self, at: Option<Range<usize>>, s: &str) -> TextRef {
        match at {
            Some(r) => TextRef::source(r.start, r.end),
            None => {
                let start = self.arena.len();
                self.arena.push_str(s);
                TextRef::arena(start, self.arena.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        find_links(text, &RefDefs::default())
            .into_iter()
            .map(|l| (l.text, l.url))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn inline_links_autolinks_and_bare_urls() {
        assert_eq!(
            links(
                "[CircleCI](https://circleci.com/x) and <https://zoom.us/j/1> and https://github.com/aws/karpenter."
            ),
            vec![
                pair("CircleCI", "https://circleci.com/x"),
                pair("https://zoom.us/j/1", "https://zoom.us/j/1"),
                pair(
                    "https://github.com/aws/karpenter",
                    "https://github.com/aws/karpenter"
                ),
            ]
        );
    }

    #[test]
    fn email_autolink_is_mailto() {
        assert_eq!(links("mail <a@b.c>"), vec![pair("a@b.c", "mailto:a@b.c")]);
    }

    #[test]
    fn code_and_images_hold_no_links() {
        assert_eq!(
            links("`https://a.b/c` ![img](https://i.png) [x](#)"),
            vec![pair("x", "#")]
        );
    }

    #[test]
    fn urls_with_parentheses_or_a_url_inside_are_one_link() {
        assert_eq!(
            links("see https://en.wikipedia.org/wiki/Shellshock_(software_bug) now"),
            vec![pair(
                "https://en.wikipedia.org/wiki/Shellshock_(software_bug)",
                "https://en.wikipedia.org/wiki/Shellshock_(software_bug)"
            )]
        );
        let archived = "https://web.archive.org/web/2020/https://example.com/a";
        assert_eq!(
            links(&format!("at {archived}")),
            vec![pair(archived, archived)]
        );
    }

    #[test]
    fn escapes_are_undone_in_link_text() {
        let found = find_links(
            "[https://en.wikipedia.org/wiki/IDN\\\\_homograph\\\\_attack](https://en.wikipedia.org/wiki/IDN_homograph_attack)",
            &RefDefs::default(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].text,
            "https://en.wikipedia.org/wiki/IDN\\_homograph\\_attack"
        );
        assert_eq!(found[0].text_at, None);
        assert_eq!(found[0].url_at, Some(57..107));
    }

    #[test]
    fn reference_links_resolve_through_the_documents_definitions() {
        let refs = RefDefs::collect("x\n\n[Docs]: https://docs.rs\n");
        let found = find_links("read [the docs][docs] or [Docs]", &refs);
        let got: Vec<_> = found.into_iter().map(|l| (l.text, l.url)).collect();
        assert_eq!(
            got,
            vec![
                pair("the docs", "https://docs.rs"),
                pair("Docs", "https://docs.rs")
            ]
        );
    }

    #[test]
    fn plain_text_removes_markup() {
        assert_eq!(plain_text("**May 23 - NO MEETING**"), "May 23 - NO MEETING");
        assert_eq!(plain_text("[Jan 31 - x](https://y)"), "Jan 31 - x");
        assert_eq!(plain_text("\\* as code!"), "* as code!");
    }
}
