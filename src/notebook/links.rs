//! Inline Markdown: links (with pulldown-cmark), bare URLs (with linkify) and
//! plain text.

use std::ops::Range;

use linkify::LinkFinder;
use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

pub use super::inline::{FoundLink, Piece, RefDefs};
use super::inline::{bare_url_finder, bare_urls};
use super::model::{Link, LinkKind, NodeId, TextRef};
use super::node::{Node, NodeKind};

impl RefDefs {
    /// Collects the definitions of a whole document.
    pub fn collect(source: &str) -> RefDefs {
        Self::collect_in(source, &super::parse::parse_blocks(source).nodes)
    }

    /// Collects the definitions of a document whose blocks are `nodes`.
    pub fn collect_in(source: &str, nodes: &[Node]) -> RefDefs {
        Self::collect_with(source, nodes, true)
    }

    /// The definitions, with plain lines read without the parser or not.
    ///
    /// A definition stands at the start of a paragraph, block quote or list
    /// item, or
    /// right after another definition: never in code, never inside a
    /// paragraph's text. Only blocks that start with `[` are looked at, and
    /// their plain `[label]: destination` lines without the parser; what
    /// remains (a destination or title on the next lines, a label over two
    /// lines, a quote) goes to pulldown-cmark, block by block: a full
    /// CommonMark pass over the document would double the load time.
    pub(super) fn collect_with(source: &str, nodes: &[Node], simple: bool) -> RefDefs {
        let mut defs = RefDefs::default();
        if memchr::memmem::find(source.as_bytes(), b"]:").is_none() {
            return defs;
        }
        let parse = |text: &str, defs: &mut RefDefs| {
            let parser = Parser::new_ext(text, options());
            for (label, def) in parser.reference_definitions().iter() {
                let at = position_in(source, &def.dest);
                defs.define(label, def.dest.to_string(), at);
            }
        };
        for node in nodes {
            let kind = node.kind();
            if !matches!(
                kind,
                NodeKind::Paragraph | NodeKind::Quote | NodeKind::Item { .. }
            ) {
                continue;
            }
            let content = node.content_span(source).range();
            let text = &source[content.clone()];
            if !text.starts_with('[') || memchr::memmem::find(text.as_bytes(), b"]:").is_none() {
                continue;
            }
            if kind == NodeKind::Quote {
                parse(
                    &source[node.span.start as usize..node.span.end as usize],
                    &mut defs,
                );
                continue;
            }
            // Plain definitions, a line each, while they last.
            let mut at = content.start;
            while simple && at < content.end {
                let end = source[at..content.end]
                    .find('\n')
                    .map_or(content.end, |i| at + i);
                let line = source[at..end].trim_end_matches('\r');
                let Some((label, dest)) = super::simple::reference_definition(line) else {
                    break;
                };
                let dest = at + dest.start..at + dest.end;
                defs.define(label, source[dest.clone()].to_string(), Some(dest));
                at = (end + 1).min(content.end);
            }
            let rest = &source[at..content.end];
            if rest.trim_start().starts_with('[') {
                parse(rest, &mut defs);
            }
        }
        defs
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Where a borrowed piece of `text` stands in it (pulldown-cmark borrows from
/// its input whenever nothing had to be unescaped).
fn position_in(text: &str, s: &CowStr<'_>) -> Option<Range<usize>> {
    let CowStr::Borrowed(b) = s else { return None };
    let start = (b.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + b.len() <= text.len()).then(|| start..start + b.len())
}

/// Link text being collected between a link's start and end.
struct OpenLink {
    url: Piece,
    offset: usize,
    /// Contiguous verbatim range so far, while the text is verbatim.
    at: Option<Range<usize>>,
    verbatim: bool,
    copy: String,
}

impl OpenLink {
    /// Adds a piece of link text; `at` is where it stands verbatim in `text`.
    /// Nothing is copied while the link text is one verbatim range.
    fn push(&mut self, s: &str, at: Option<Range<usize>>, text: &str) {
        if self.verbatim {
            match (&mut self.at, at) {
                (None, Some(r)) => {
                    self.at = Some(r);
                    return;
                }
                (Some(cur), Some(r)) if cur.end == r.start => {
                    cur.end = r.end;
                    return;
                }
                _ => {
                    self.verbatim = false;
                    if let Some(cur) = &self.at {
                        self.copy.push_str(&text[cur.clone()]);
                    }
                }
            }
        }
        self.copy.push_str(s);
    }

    fn finish(self) -> FoundLink {
        let text = match self.at {
            Some(r) if self.verbatim => Piece::At(r),
            _ => Piece::Owned(self.copy),
        };
        FoundLink {
            text,
            url: self.url,
            offset: self.offset,
        }
    }
}

/// One pass over the bytes: whether the text may hold a link at all (`[`,
/// `<`, `:`), and whether it holds Markdown that needs the parser.
fn classify(text: &str) -> (bool, bool) {
    let bytes = text.as_bytes();
    // Most texts are settled by one vectorised search or two.
    if memchr::memchr2(b'[', b'<', bytes).is_some() {
        return (true, true);
    }
    if memchr::memchr2(b':', b'@', bytes).is_none()
        && memchr::memmem::find(bytes, b"www.").is_none()
    {
        return (false, false);
    }
    let markup = bytes
        .iter()
        .any(|b| matches!(b, b'`' | b'\\' | b'*' | b'_' | b'&' | b'~' | b'!'));
    (true, markup)
}

/// Finds the links of one node's text, in order.
pub fn find_links(text: &str, refs: &RefDefs) -> Vec<FoundLink> {
    let mut found = Vec::new();
    let (linkish, markup) = classify(text);
    if !linkish {
        return found;
    }
    let finder = bare_url_finder();
    // Without brackets, markup or escapes, only bare URLs can be links: the
    // Markdown parser is not needed.
    if !markup {
        bare_urls(&finder, text, 0..text.len(), &mut found);
        return found;
    }
    if let Some(simple) = super::simple::inline_links(text, refs, &finder) {
        return simple;
    }
    parsed_links(text, refs, &finder)
}

/// The links of one node's text as pulldown-cmark reads them.
pub(super) fn parsed_links(text: &str, refs: &RefDefs, finder: &LinkFinder) -> Vec<FoundLink> {
    let mut found = Vec::new();
    let callback = |broken: BrokenLink<'_>| {
        refs.get(&broken.reference)
            .map(|url| (CowStr::from(url.to_string()), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(text, Options::empty(), Some(callback));

    let mut open: Option<OpenLink> = None;
    let mut skip_depth = 0usize; // inside images and code blocks
    // Adjacent text events (split at `_`, `(`, `[` …) are joined so a URL with
    // parentheses is seen whole.
    let mut pending: Option<Range<usize>> = None;
    let flush = |pending: &mut Option<Range<usize>>, found: &mut Vec<FoundLink>| {
        if let Some(range) = pending.take() {
            bare_urls(finder, &text[range.clone()], range, found);
        }
    };

    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) | Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut pending, &mut found);
                skip_depth += 1;
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::CodeBlock) => {
                skip_depth = skip_depth.saturating_sub(1);
            }
            _ if skip_depth > 0 => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            }) => {
                flush(&mut pending, &mut found);
                let is_reference = matches!(
                    link_type,
                    LinkType::Reference
                        | LinkType::ReferenceUnknown
                        | LinkType::Collapsed
                        | LinkType::CollapsedUnknown
                        | LinkType::Shortcut
                        | LinkType::ShortcutUnknown
                );
                let definition = is_reference.then(|| refs.source_range(&id)).flatten();
                let url = match (link_type, definition) {
                    (LinkType::Email, _) => Piece::Owned(format!("mailto:{dest_url}")),
                    (_, Some(at)) => Piece::Source(at),
                    _ => position_in(text, &dest_url)
                        .map_or_else(|| Piece::Owned(dest_url.to_string()), Piece::At),
                };
                open = Some(OpenLink {
                    url,
                    offset: range.start,
                    at: None,
                    verbatim: true,
                    copy: String::new(),
                });
            }
            Event::End(TagEnd::Link) => {
                if let Some(link) = open.take() {
                    found.push(link.finish());
                }
            }
            Event::Text(s) => {
                let at = position_in(text, &s);
                if let Some(link) = open.as_mut() {
                    link.push(&s, at, text);
                } else {
                    match (&mut pending, at) {
                        (Some(p), Some(r)) if p.end == r.start => p.end = r.end,
                        // An escape (`a\_b`) splits the text, not a bare URL:
                        // the references keep the backslash in it.
                        (Some(p), Some(r))
                            if p.end + 1 == r.start && text.as_bytes()[p.end] == b'\\' =>
                        {
                            p.end = r.end;
                        }
                        (_, Some(r)) => {
                            flush(&mut pending, &mut found);
                            pending = Some(r);
                        }
                        (_, None) => {
                            // Unescaped text: its URLs are found where its raw range starts.
                            flush(&mut pending, &mut found);
                            let before = found.len();
                            bare_urls(finder, &s, 0..s.len(), &mut found);
                            for f in &mut found[before..] {
                                f.offset = range.start;
                                f.text = Piece::Owned(f.text.get(&s, &s).to_string());
                                f.url = Piece::Owned(f.url.get(&s, &s).to_string());
                            }
                        }
                    }
                }
            }
            Event::Code(s) => {
                if let Some(link) = open.as_mut() {
                    // Backticks make the text differ from the source.
                    link.push(&s, None, text);
                } else {
                    flush(&mut pending, &mut found);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(link) = open.as_mut() {
                    link.push(" ", None, text);
                } else {
                    flush(&mut pending, &mut found);
                }
            }
            _ => {
                if open.is_none() {
                    flush(&mut pending, &mut found);
                }
            }
        }
    }
    flush(&mut pending, &mut found);
    found.sort_by_key(|l| l.offset);
    found
}

/// Brackets beyond which a text is read without a CommonMark parser: nested
/// brackets cost a parser time that grows with their square.
const MAX_BRACKETS: usize = 64;

/// The text of inline Markdown as it reads: markup removed, escapes undone.
pub fn plain_text(markdown: &str) -> String {
    if !markdown.contains(['*', '_', '`', '[', '<', '\\', '&', '~']) {
        return markdown.trim().to_string();
    }
    if markdown.bytes().filter(|&b| b == b'[').count() > MAX_BRACKETS {
        return rough_text(markdown);
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

/// Text with link syntax taken out the cheap way, in one pass: `[t](u)` reads
/// as `t`, brackets and emphasis marks go. For hostile or huge texts only.
pub fn rough_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | ']' | '*' | '`' => {
                if c == ']' && chars.peek() == Some(&'(') {
                    // Skip the destination.
                    for d in chars.by_ref() {
                        if d == ')' {
                            break;
                        }
                    }
                }
            }
            _ => out.push(c),
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
    /// The texts of links not near them (see [`Link`]).
    pub far: &'a mut Vec<(TextRef, TextRef)>,
}

impl LinkSink<'_> {
    /// Adds the links of a node whose text `content` starts at byte `base` of the source.
    pub fn add(&mut self, node: NodeId, content: &str, base: usize, found: Vec<FoundLink>) {
        for f in found {
            let kind = LinkKind::of(f.url.get(content, self.source));
            let text = self.text_ref(&f.text, base);
            let url = self.text_ref(&f.url, base);
            let offset = (base + f.offset) as u32;
            self.links
                .push(Link::new(text, url, node, offset, kind, self.far));
        }
    }

    fn text_ref(&mut self, piece: &Piece, base: usize) -> TextRef {
        match piece {
            Piece::At(r) => TextRef::source(base + r.start, base + r.end),
            Piece::Source(r) => TextRef::source(r.start, r.end),
            Piece::Owned(s) => {
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
            .map(|l| {
                (
                    l.text.get(text, text).to_string(),
                    l.url.get(text, text).to_string(),
                )
            })
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
        assert_eq!(
            found,
            vec![FoundLink {
                text: Piece::Owned("https://en.wikipedia.org/wiki/IDN\\_homograph\\_attack".into()),
                url: Piece::At(57..107),
                offset: 0,
            }]
        );
    }

    #[test]
    fn reference_links_resolve_through_the_documents_definitions() {
        let source = "read [the docs][docs] or [Docs]\n\n[Docs]: https://docs.rs\n";
        let refs = RefDefs::collect(source);
        let text = &source[..31];
        let found = find_links(text, &refs);
        // The target is read where the definition stands: nothing is copied.
        assert_eq!(found[0].url, Piece::Source(41..56));
        let got: Vec<_> = found
            .into_iter()
            .map(|l| {
                (
                    l.text.get(text, source).to_string(),
                    l.url.get(text, source).to_string(),
                )
            })
            .collect();
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
