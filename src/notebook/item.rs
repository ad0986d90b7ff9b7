//! What a link stands in: the text of its item (what people remember about
//! it), the title shown for it, and the year its item names when no year
//! heading files it.

use std::borrow::Cow;
use std::ops::Range;

use super::dates::{strip_leading_date, year_in_text, year_in_title, year_in_url};
use super::links::{plain_text, rough_text};
use super::model::{Document, Link, NodeKind};

/// Bytes of item text kept on each side of a link, at most: an item or a
/// paragraph with thousands of links gives each a bounded part of it.
pub const CONTEXT_WINDOW: usize = 320;

/// Links in a context window beyond which it is crowded and shrinks.
const CROWDED: usize = 16;

/// Bytes on each side of a bare link read for its title.
pub const TITLE_WINDOW: usize = 160;

/// Bytes of an item read for the year it names.
pub const YEAR_WINDOW: usize = 4096;

impl Document {
    /// The links (with their index) that start in a byte range, found by
    /// a binary search: links are kept in offset order.
    pub fn links_within(&self, range: Range<usize>) -> impl Iterator<Item = (usize, &Link)> {
        let first = self
            .links
            .partition_point(|l| (l.offset as usize) < range.start);
        self.links[first..]
            .iter()
            .take_while(move |l| (l.offset as usize) < range.end)
            .enumerate()
            .map(move |(i, l)| (first + i, l))
    }

    /// The raw Markdown a link stands in: its item with the detail lines
    /// nested under it, or its line of a paragraph, quote or table; at most
    /// `CONTEXT_WINDOW` bytes on each side of the link.
    pub fn link_item_span(&self, link: &Link) -> Range<usize> {
        let id = link.node();
        let node = self.node(id);
        let content = node.content_span(&self.source).range();
        let at = (link.offset as usize).clamp(content.start, content.end);
        let span = match node.kind() {
            NodeKind::Item { .. } => content.start..self.subtree(id).end.max(content.end),
            // A note that is a link: what its front matter and body say.
            NodeKind::FrontMatter => {
                let end = ceil_char(&self.source, 2 * CONTEXT_WINDOW);
                return 0..end;
            }
            _ => {
                // The line the link is on, looked for no further than the window.
                let from = floor_char(
                    &self.source,
                    content.start.max(at.saturating_sub(CONTEXT_WINDOW)),
                );
                let to = ceil_char(&self.source, content.end.min(at + CONTEXT_WINDOW));
                let start = self.source[from..at]
                    .rfind('\n')
                    .map_or(from, |i| from + i + 1);
                let end = self.source[at..to].find('\n').map_or(to, |i| at + i);
                start..end
            }
        };
        // Descriptions follow the link: its item from the start when that is
        // near, else a little before it (from a line or word boundary).
        let start = if at - span.start <= 2 * CONTEXT_WINDOW {
            span.start
        } else {
            let from = floor_char(&self.source, at - CONTEXT_WINDOW / 2);
            let before = &self.source[from..at];
            before
                .find('\n')
                .or_else(|| before.find(' '))
                .map_or(from, |i| from + i + 1)
        };
        let mut end = ceil_char(&self.source, span.end.min(at + 3 * CONTEXT_WINDOW / 2));
        if end < span.end {
            // Cut where a line ends (a nested detail line whole), else between words.
            let window = &self.source[at..end];
            end = window
                .rfind('\n')
                .or_else(|| window.rfind(' '))
                .map_or(end, |i| at + i);
        }
        let (mut start, mut end) = (start, end);
        let window = &self.source[start..end];
        if crowded(window) {
            // Among hundreds of links, each one's own neighbourhood only.
            let from = floor_char(
                &self.source,
                start.max(at.saturating_sub(CONTEXT_WINDOW / 4)),
            );
            start = self.source[from..at]
                .find(' ')
                .map_or(from, |i| from + i + 1);
            let to = ceil_char(&self.source, end.min(at + CONTEXT_WINDOW / 2));
            end = self.source[at..to].rfind(' ').map_or(to, |i| at + i);
        }
        let raw = &self.source[start..end];
        // No trailing line ending or indentation of a next line.
        start..start + raw.trim_end().len()
    }

    /// The link's own node's text (not what is nested under it), at most
    /// `TITLE_WINDOW` bytes on each side of the link.
    fn own_window(&self, link: &Link) -> Range<usize> {
        let content = self.node(link.node()).content_span(&self.source).range();
        let at = (link.offset as usize).clamp(content.start, content.end);
        let start = floor_char(
            &self.source,
            content.start.max(at.saturating_sub(TITLE_WINDOW)),
        );
        let end = ceil_char(&self.source, content.end.min(at + TITLE_WINDOW));
        start..end
    }

    /// A link's whole entry, as its year is read and search reads it: its item with the detail
    /// lines under it (a date is often the item's last words, or on a
    /// wrapped line below), up to `YEAR_WINDOW` bytes; else its item text.
    pub fn link_entry_text(&self, link: &Link) -> String {
        if let Some(range) = self.link_entry_span(link) {
            let raw = &self.source[range];
            let text = if crowded(raw) || raw.matches("](").count() > 8 {
                rough_text(&strip_markers(raw))
            } else {
                plain_text(&strip_markers(raw))
            };
            return one_line(&text);
        }
        self.link_item_text(link)
    }

    /// Where a link's whole entry stands in the source (its item with the
    /// detail lines, or a paragraph that opens with it), up to
    /// `YEAR_WINDOW` bytes; `None` for a link that is no entry of its own
    /// (one inside a paragraph, a table, a note's front matter).
    pub fn link_entry_span(&self, link: &Link) -> Option<Range<usize>> {
        let id = link.node();
        let content = self.node(id).content_span(&self.source).range();
        // A paragraph that opens with its link (`[Name](url). What
        // happened. From 1980.`) is that link's entry, as an item is.
        let entry = match self.node(id).kind() {
            NodeKind::Item { .. } => true,
            NodeKind::Paragraph => link.offset as usize == content.start,
            _ => false,
        };
        if !entry {
            return None;
        }
        let end = self.subtree(id).end.max(content.end);
        let end = ceil_char(&self.source, end.min(content.start + YEAR_WINDOW));
        Some(content.start..end)
    }

    /// Plain text of the link's own item, paragraph or line, without what
    /// is nested under it, on one line (bounded as the item text is).
    pub fn link_own_text(&self, link: &Link) -> String {
        let content = self.node(link.node()).content_span(&self.source).range();
        let end = ceil_char(
            &self.source,
            content.end.min(content.start + 3 * CONTEXT_WINDOW),
        );
        let raw = &self.source[content.start..end];
        let text = if raw.matches("](").count() > 8 {
            rough_text(raw)
        } else {
            plain_text(raw)
        };
        one_line(&text)
    }

    /// Plain text of what a link stands in (see [`Document::link_item_span`]),
    /// on one line.
    pub fn link_item_text(&self, link: &Link) -> String {
        if self.node(link.node()).kind() == NodeKind::FrontMatter {
            let said = format!("{} {}", self.summary(), self.body_start());
            return one_line(&said);
        }
        let raw = &self.source[self.link_item_span(link)];
        // A window crowded with links (thousands in one paragraph) is read
        // the cheap way: the parser would read each link's crowd again.
        let crowded = raw.matches("](").count() > 8;
        let text = if crowded {
            rough_text(&strip_markers(raw))
        } else {
            plain_text(&strip_markers(raw))
        };
        one_line(&text)
    }

    /// The title shown for a link: its text; for a bare URL (or a link
    /// whose text is a URL), the text of its item without URLs and a leading
    /// date; failing that, for a paragraph, the heading it stands under (a
    /// bookmark note: `# Title` then `<https://…>`); failing that, the URL.
    pub fn link_title(&self, link: &Link) -> Cow<'_, str> {
        let url = self.link_url(link);
        if !self.is_bare(link) {
            return Cow::Borrowed(self.link_text(link));
        }
        let range = self.own_window(link);
        let window = &self.source[range.clone()];
        if crowded(window) {
            // A crowd of URLs has no words around each to title it.
            return Cow::Borrowed(url);
        }
        let content = self.node(link.node()).content_span(&self.source).range();
        let at = (link.offset as usize).clamp(range.start, range.end) - range.start;
        let sentence = sentence_of(
            window,
            at,
            range.start > content.start,
            range.end < content.end,
        );
        let own = plain_text(sentence);
        let words: Vec<&str> = own.split_whitespace().filter(|w| !is_url_word(w)).collect();
        let joined = words.join(" ");
        let title = strip_leading_date(&joined)
            .trim_matches(|c: char| c.is_whitespace() || "-–—:|,;".contains(c));
        if is_lead_in(title) {
            // `(inspired by <url>)` under a session: the URL's own words,
            // else what the item it stands under says.
            if let Some(t) = slug_title(url).or_else(|| self.parent_item_title(link)) {
                return Cow::Owned(t);
            }
        }
        if !title.is_empty() {
            return Cow::Owned(title.to_string());
        }
        match self.section_of(link.node()) {
            Some(s)
                if !s.title.is_empty() && self.node(link.node()).kind() == NodeKind::Paragraph =>
            {
                Cow::Owned(s.title.to_string())
            }
            _ => Cow::Borrowed(url),
        }
    }

    /// The first line of the item a link's item stands under, as plain
    /// text without its date, if there is such an item and it says something.
    fn parent_item_title(&self, link: &Link) -> Option<String> {
        let is_item = |n| matches!(self.node(n).kind(), NodeKind::Item { .. });
        let mut own = link.node();
        while !is_item(own) && own != super::model::ROOT {
            own = self.node(own).parent();
        }
        let mut parent = self.node(own).parent();
        while !is_item(parent) {
            if parent == super::model::ROOT {
                return None;
            }
            parent = self.node(parent).parent();
        }
        let first = self.content(parent).lines().next().unwrap_or("");
        let text = plain_text(first);
        let title = strip_leading_date(&text)
            .trim_matches(|c: char| c.is_whitespace() || "-–—:|,;".contains(c));
        (!title.is_empty() && !is_lead_in(title)).then(|| title.to_string())
    }

    /// The start of the text after the front matter (at most
    /// `2 × CONTEXT_WINDOW` bytes), as plain text.
    pub fn body_start(&self) -> String {
        let start = self
            .nodes
            .iter()
            .find(|n| n.kind() == NodeKind::FrontMatter)
            .map_or(0, |n| n.span.end as usize);
        let end = ceil_char(&self.source, start + 2 * CONTEXT_WINDOW);
        plain_text(&strip_markers(&self.source[start..end]))
    }

    /// Whether a link shows its URL rather than words: a bare URL, an
    /// autolink, or a link whose text is a URL.
    pub fn is_bare(&self, link: &Link) -> bool {
        let text = self.link_text(link);
        text.is_empty() || text == self.link_url(link) || is_url_word(text)
    }

    /// The year a link's item names: a date in its text, else a date in its
    /// URL, else a year in its title. The text's date wins over the URL's,
    /// which is often when the write-up was published.
    pub fn read_link_year(&self, link: &Link, latest: u16) -> Option<u16> {
        year_in_text(&self.link_entry_text(link), latest)
            .or_else(|| year_in_url(self.link_url(link), latest))
            .or_else(|| year_in_title(&self.link_title(link), latest))
    }
}

/// The sentence of `window` that holds the byte `at` (a link), or the one
/// before it when the link stands alone after it (`… called Karpenter.
/// https://…`); a word cut by the window's start or end (`cut_start`,
/// `cut_end`) is left out.
fn sentence_of(window: &str, at: usize, cut_start: bool, cut_end: bool) -> &str {
    // Where sentences start: after `.`, `!` or `?` and whitespace.
    let bytes = window.as_bytes();
    let mut starts = vec![0];
    for i in 1..bytes.len() {
        if bytes[i].is_ascii_whitespace() && matches!(bytes[i - 1], b'.' | b'!' | b'?') {
            starts.push(i + 1);
        }
    }
    let k = starts.partition_point(|&s| s <= at).saturating_sub(1);
    let end_of = |k: usize| starts.get(k + 1).copied().unwrap_or(window.len());
    let words_in = |r: &str| r.split_whitespace().any(|w| !is_url_word(w));
    let mut pick = starts[k]..end_of(k);
    if !words_in(&window[pick.clone()]) && k > 0 {
        pick = starts[k - 1]..end_of(k - 1);
    }
    let mut text = &window[pick.clone()];
    if cut_start && pick.start == 0 {
        text = text
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest);
    }
    if cut_end && pick.end == window.len() {
        text = text
            .rsplit_once(char::is_whitespace)
            .map_or("", |(keep, _)| keep);
    }
    text
}

/// List markers and indentation at the start of nested lines, which are not
/// part of what the item says.
fn strip_markers(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\n') {
        return Cow::Borrowed(raw);
    }
    let lines: Vec<&str> = raw
        .lines()
        .map(|l| {
            let t = l.trim_start();
            for m in ["- ", "* ", "+ ", "• "] {
                if let Some(rest) = t.strip_prefix(m) {
                    return rest;
                }
            }
            t
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// Whether a window holds more than `CROWDED` URLs (counting stops there).
fn crowded(window: &str) -> bool {
    scheme_ends(window).take(CROWDED + 1).count() > CROWDED
}

/// Where `://` stands in `text`. Search reads a million windows a key:
/// colons are few, so looking for them, then at what follows, is quicker
/// than a substring search.
fn scheme_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).filter(|&i| bytes.get(i + 1..i + 3) == Some(b"//"))
}

/// Text cut at a word boundary to at most `max` characters, with `…` when
/// cut; a single word longer than that is cut inside it.
pub fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    let cut = head
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
        .unwrap_or(limit);
    format!("{}…", head[..cut].trim_end())
}

/// Text on one line: every run of whitespace one space, none at the ends.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_url_word(w: &str) -> bool {
    let w = w.trim_start_matches(['(', '<', '[']);
    scheme_ends(w).next().is_some() || w.starts_with("www.")
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Words that only lead in to a link (`based on`, `(inspired by`, `see`):
/// no title of their own.
fn is_lead_in(title: &str) -> bool {
    const LEAD_INS: &[&str] = &[
        "based on",
        "inspired by",
        "see",
        "see also",
        "via",
        "from",
        "source",
        "link",
        "ref",
        "more",
        "details",
        "read more",
    ];
    let t = title
        .trim_matches(|c: char| c.is_whitespace() || "()[]:.".contains(c))
        .to_lowercase();
    LEAD_INS.contains(&t.as_str())
}

/// A title made of the words of a URL's last path segment
/// (`…/rust-mod-team-resigns-in-protest/` → `rust mod team resigns in
/// protest`), when it holds three words or more.
fn slug_title(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let (_, after_host) = path.split_once("://")?;
    let (_, path) = after_host.split_once('/')?;
    let segment = path.trim_end_matches('/').rsplit('/').next()?;
    let segment = segment
        .strip_suffix(".html")
        .or_else(|| segment.strip_suffix(".htm"))
        .unwrap_or(segment);
    let words: Vec<&str> = segment
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .collect();
    let wordy = words
        .iter()
        .filter(|w| w.chars().all(char::is_alphanumeric) && w.chars().any(char::is_alphabetic))
        .count();
    (words.len() >= 3 && wordy >= 3).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::{CROWDED, crowded, is_url_word, scheme_ends};
    use crate::notebook::document::parse_document;

    #[test]
    fn urls_are_counted_by_their_scheme_ends() {
        let text = "see https://a.example, c:d, ftp://b and :// then a colon at the end:";
        assert_eq!(scheme_ends(text).collect::<Vec<_>>(), vec![9, 31, 40]);
        assert!(is_url_word("(https://a.example)"));
        assert!(is_url_word("www.example.com"));
        assert!(!is_url_word("c:d"));
        let many = "https://x ".repeat(CROWDED);
        assert!(!crowded(&many));
        assert!(crowded(&format!("{many} http://y")));
    }

    fn doc(text: &str) -> crate::notebook::Document {
        parse_document("t.md".into(), text.to_string(), false)
    }

    #[test]
    fn bare_links_take_their_title_from_the_item() {
        // The third item as data/lunch-and-learn.md writes it.
        let d = doc("# Talks\n\n\
             - July 18 - Retrospective on Reddit's k8s-related outage https://x.example/r\n\
             - <https://y.example/a>\n\
             - [https://z.example](https://z.example) you\\_broke it\n\
             - [Named](https://n.example) and more\n\
             - July 18 - Retrospective  \n\
             [https://old.example/you\\\\_broke/](https://old.example/you_broke/)\n\
             - [https://old.example/you\\\\_broke/](https://old.example/you_broke/)\n\n\
             # Bookmark\n\n<https://b.example>\n");
        let titles: Vec<String> = d
            .links
            .iter()
            .map(|l| d.link_title(l).into_owned())
            .collect();
        assert_eq!(
            titles,
            vec![
                "Retrospective on Reddit's k8s-related outage",
                "https://y.example/a",
                "you_broke it",
                "Named",
                "Retrospective",
                "https://old.example/you_broke/",
                "Bookmark",
            ]
        );
    }

    #[test]
    fn a_link_led_in_by_based_on_is_titled_by_its_url_or_the_item_above() {
        // As data/lunch-and-learn.md writes them, under their sessions.
        let d = doc(concat!(
            "- Jan 11, 2022 - Tools becoming abandoned\n",
            "  - (inspired by <https://n.example/rust-mod-team-resigns-in-protest/>)\n",
            "- Apr 19, 2022 - Corporate Promotions hazardous to OSS?\n",
            "  - Based on <https://twitter.com/kantrn/status/1511791378497384454>\n",
            "- See <https://t.example/1>\n",
        ));
        let titles: Vec<String> = d
            .links
            .iter()
            .map(|l| d.link_title(l).into_owned())
            .collect();
        // With neither, the words stay.
        assert_eq!(
            titles,
            vec![
                "rust mod team resigns in protest",
                "Corporate Promotions hazardous to OSS?",
                "See",
            ]
        );
    }

    #[test]
    fn item_text_holds_the_detail_lines_but_not_a_whole_paragraph() {
        let d = doc(
            "- [Acme](https://acme.example). Config push.\n  - involved: LB team\n  - impact: us-east down\n\npara one [a](https://a.example) here\nline two [b](https://b.example)\n",
        );
        assert_eq!(
            d.link_item_text(&d.links[0]),
            "Acme. Config push. involved: LB team impact: us-east down"
        );
        assert_eq!(d.link_item_text(&d.links[1]), "para one a here");
        assert_eq!(d.link_item_text(&d.links[2]), "line two b");
    }

    #[test]
    fn item_text_is_bounded_around_the_link() {
        let mut text = String::from("- ");
        for i in 0..2000 {
            text.push_str(&format!("https://h{i}.example/ "));
        }
        let d = doc(&text);
        assert_eq!(d.links.len(), 2000);
        let span = d.link_item_span(&d.links[1000]);
        assert!(
            span.len() <= super::CONTEXT_WINDOW / 2 + 2 * super::CONTEXT_WINDOW,
            "{}",
            span.len()
        );
        assert!(d.source[span].contains("https://h1000.example/"));
    }

    #[test]
    fn years_read_from_text_before_url_before_title() {
        let d = doc(
            "- [Outage](https://x.example/2019/05/post) on March 3rd, 2016\n\
             - [Matrix Apr 2018](https://m.example/blog)\n\
             - [DNS](https://web.archive.org/web/20190312093015/https://d.example/) fell\n\
             - [Later](https://l.example/2019/05/) (2030-01-01)\n",
        );
        let years: Vec<Option<u16>> = d.links.iter().map(|l| d.read_link_year(l, 2026)).collect();
        assert_eq!(years, vec![Some(2016), Some(2018), None, Some(2019)]);
    }

    #[test]
    fn positions_are_counted_after_a_byte_order_mark_one_link_or_all() {
        // Found by the fuzz target: a note starting with a BOM.
        let d = doc("\u{feff}(https://a.example/x) and\r\n[b](https://b.example)\n");
        let each: Vec<(u32, u32)> = d.links.iter().map(|l| d.link_position(l)).collect();
        assert_eq!(each, vec![(1, 2), (2, 1)]);
        assert_eq!(d.link_positions(), each);
    }
}
