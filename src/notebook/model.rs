//! The in-memory model: documents, their links, sections and sessions (the
//! nodes of their trees are in `node.rs`).
//!
//! Nodes and links refer to their document's source by byte range instead of
//! copying strings, so a notebook costs little more memory than its files.

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use super::node::{NODE_BITS, NODE_MASK};
pub use super::node::{Node, NodeId, NodeKind, ROOT, Span};

/// Lines between two entries of a document's line index.
pub const LINE_STEP: usize = 8;

/// The kind of a link's target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `http` or `https`.
    Web,
    /// `mailto:`.
    Mailto,
    /// A path or anchor inside the site, such as `/info/post-mortem-namecheap`.
    Relative,
    /// `#` or empty: a link still to be filled in.
    Placeholder,
    /// Any other scheme (`ftp:`, `file:`, `javascript:` …).
    Other,
}

impl LinkKind {
    /// Classifies a link target.
    pub fn of(url: &str) -> LinkKind {
        let url = url.trim();
        if url.is_empty() || url == "#" {
            return LinkKind::Placeholder;
        }
        match scheme(url) {
            Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
                LinkKind::Web
            }
            Some(s) if s.eq_ignore_ascii_case("mailto") => LinkKind::Mailto,
            Some(_) => LinkKind::Other,
            None => LinkKind::Relative,
        }
    }

    /// The lower-case name used in output.
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::Web => "web",
            LinkKind::Mailto => "mailto",
            LinkKind::Relative => "relative",
            LinkKind::Placeholder => "placeholder",
            LinkKind::Other => "other",
        }
    }
}

/// The scheme of a URL (`https` of `https://…`), if it has one.
pub fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(s)
}

/// Text of a link: either a range of the source or of the document's arena
/// (used when unescaping made the text differ from the source).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextRef(Span);

const ARENA_BIT: u32 = 1 << 31;

impl TextRef {
    /// Text that stands as-is in the source.
    pub fn source(start: usize, end: usize) -> Self {
        TextRef(Span::new(start, end))
    }

    /// Text held in the document's arena.
    pub fn arena(start: usize, end: usize) -> Self {
        TextRef(Span {
            start: start as u32 | ARENA_BIT,
            end: end as u32,
        })
    }

    /// Whether the text is a range of the source.
    pub fn in_source(self) -> bool {
        self.0.start & ARENA_BIT == 0
    }

    /// The byte range, in the source or the arena.
    pub fn range(self) -> Range<usize> {
        (self.0.start & !ARENA_BIT) as usize..self.0.end as usize
    }
}

/// A link found in a document: 16 bytes. Its text and target are ranges of
/// the source, most often just after the link itself, so they are kept as
/// distances from it; those that are not (in the arena, before the link, or
/// far from it) are kept apart, in the document's `far_links`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The node in the low 28 bits, the kind in the next 3, and in the top
    /// bit whether the text and target are in `far_links`.
    node_kind: u32,
    /// Byte offset of the link in the source.
    pub offset: u32,
    /// Near: where the text starts after `offset` (the high 16 bits) and
    /// its length (the low 16). Far: the index in `far_links`.
    text: u32,
    /// Near: the same for the target. Far: nothing.
    url: u32,
}

/// The bit of `Link::node_kind` that says its texts are in `far_links`.
const FAR_BIT: u32 = 1 << 31;

/// A text as a distance from `offset` and a length, when it is a range of
/// the source that starts at most 64 KiB after it and is shorter than that.
fn near(text: TextRef, offset: u32) -> Option<u32> {
    if !text.in_source() {
        return None;
    }
    let range = text.range();
    let after = range.start.checked_sub(offset as usize)?;
    (after <= 0xFFFF && range.len() <= 0xFFFF).then(|| (after as u32) << 16 | range.len() as u32)
}

const KINDS: [LinkKind; 5] = [
    LinkKind::Web,
    LinkKind::Mailto,
    LinkKind::Relative,
    LinkKind::Placeholder,
    LinkKind::Other,
];

impl Link {
    /// A link standing in `node` (documents hold fewer than 2^28 nodes: they
    /// are at most 64 MiB); a text or target not near it goes in `far`, the
    /// document's `far_links`.
    pub fn new(
        text: TextRef,
        url: TextRef,
        node: NodeId,
        offset: u32,
        kind: LinkKind,
        far: &mut Vec<(TextRef, TextRef)>,
    ) -> Link {
        let k = KINDS.iter().position(|&x| x == kind).unwrap_or(0) as u32;
        let node_kind = (node & NODE_MASK) | (k << NODE_BITS);
        match (near(text, offset), near(url, offset)) {
            (Some(text), Some(url)) => Link {
                node_kind,
                offset,
                text,
                url,
            },
            _ => {
                far.push((text, url));
                Link {
                    node_kind: node_kind | FAR_BIT,
                    offset,
                    text: (far.len() - 1) as u32,
                    url: 0,
                }
            }
        }
    }

    /// The text and the target, given the document's `far_links`.
    pub fn texts(&self, far: &[(TextRef, TextRef)]) -> (TextRef, TextRef) {
        if self.node_kind & FAR_BIT != 0 {
            let none = TextRef::source(0, 0);
            return far.get(self.text as usize).copied().unwrap_or((none, none));
        }
        let at = |packed: u32| {
            let start = self.offset as usize + (packed >> 16) as usize;
            TextRef::source(start, start + (packed & 0xFFFF) as usize)
        };
        (at(self.text), at(self.url))
    }

    /// The node (item, paragraph, heading …) the link stands in.
    pub fn node(&self) -> NodeId {
        self.node_kind & NODE_MASK
    }

    /// What the target is.
    pub fn kind(&self) -> LinkKind {
        KINDS[((self.node_kind & !FAR_BIT) >> NODE_BITS) as usize % KINDS.len()]
    }
}

/// The section index of what stands before any heading.
pub const NO_SECTION: u32 = u32::MAX;

/// Where a link is filed in the postmortems view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    /// Not a postmortem.
    None,
    /// In a post-mortem section or document but under no year.
    General,
    /// Under a year heading.
    Year(u16),
}

/// A heading: its text, and the section it stands in (its path is derived).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading node.
    pub node: NodeId,
    /// Index of the enclosing section, or `NO_SECTION`.
    pub parent: u32,
    /// Plain text of the heading.
    pub title: Box<str>,
    /// Where links directly in this section are filed.
    pub bucket: Bucket,
}

/// A calendar entry: a list item that starts with a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The item.
    pub node: NodeId,
    /// Year, when written or inferred.
    pub year: Option<i32>,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// The year was not written (or was impossible) and comes from the neighbours.
    pub year_inferred: bool,
    /// The text after the date.
    pub title: String,
    /// Marked "no meeting".
    pub cancelled: bool,
    /// Problems found with the date.
    pub warnings: Vec<String>,
}

impl Session {
    /// The date as `YYYY-MM-DD`, when the year is known.
    pub fn iso_date(&self) -> Option<String> {
        self.year
            .map(|y| format!("{y:04}-{:02}-{:02}", self.month, self.day))
    }
}

/// One Markdown file of the notebook.
#[derive(Clone, Debug)]
pub struct Document {
    /// Path relative to the notebook folder.
    pub path: PathBuf,
    /// The file's text (with replacement characters if it was not UTF-8).
    pub source: String,
    /// Strings that are not verbatim in the source (unescaped link texts).
    pub arena: Box<str>,
    /// From front matter, the first heading, or the file name.
    pub title: Box<str>,
    /// From front matter.
    pub tags: Box<[String]>,
    /// All nodes in pre-order; node 0 is the document.
    pub nodes: Box<[Node]>,
    /// Where links before the first heading are filed (General in a document
    /// tagged post-mortem that has no post-mortem heading of its own).
    pub intro_bucket: Bucket,
    /// Byte offset where every `LINE_STEP`-th line starts (lines 1, 9, 17 …).
    pub line_index: Box<[u32]>,
    /// What the front matter's `summary` or `description` says (empty when
    /// none), in the source or the arena: see [`Document::summary`].
    pub summary: TextRef,
    /// Links in document order: by offset, as nodes come in source order and
    /// each node's links are sorted.
    pub links: Box<[Link]>,
    /// The text and target of each link whose texts are not near it (see [`Link`]).
    pub far_links: Box<[(TextRef, TextRef)]>,
    /// Years read from the items of postmortem links under no year heading,
    /// by link offset (sorted).
    pub inferred_years: Box<[(u32, u16)]>,
    /// Every heading, in document order.
    pub sections: Box<[Section]>,
    /// Dated list items.
    pub sessions: Box<[Session]>,
    /// Loaded lossily or not writable: never written back.
    pub read_only: bool,
    /// What was not read in the file, and why (front matter with YAML aliases).
    pub warnings: Box<[String]>,
    /// What front matter states of an incident, for postmortem documents
    /// (`None` when nothing: most notes, and 8 bytes each at a million links).
    pub front: Option<Box<FrontFacts>>,
}

/// What a note's front matter states that makes it a postmortem document,
/// dates it and describes the incident.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontFacts {
    /// `type` or `layout` (`postmortem`, `incident`).
    pub kind: Option<Box<str>>,
    /// `incident_date` or `date`, as written.
    pub date: Option<Box<str>>,
    /// `template: true`: a template, not an incident.
    pub template: bool,
    /// Stated facts (`severity`, `impact`, `duration` …) by their shown name.
    pub fields: Box<[(&'static str, Box<str>)]>,
}

impl Document {
    /// What front matter states of an incident (all empty when nothing).
    pub fn front(&self) -> &FrontFacts {
        static NOTHING: std::sync::LazyLock<FrontFacts> =
            std::sync::LazyLock::new(FrontFacts::default);
        self.front.as_deref().unwrap_or(&NOTHING)
    }

    /// Where a link's text is, in the source or the arena.
    pub fn link_text_ref(&self, link: &Link) -> TextRef {
        link.texts(&self.far_links).0
    }

    /// Where a link's target is, in the source or the arena.
    pub fn link_url_ref(&self, link: &Link) -> TextRef {
        link.texts(&self.far_links).1
    }

    /// The text shown for a link.
    pub fn link_text(&self, link: &Link) -> &str {
        self.text(self.link_text_ref(link))
    }

    /// A link's target.
    pub fn link_url(&self, link: &Link) -> &str {
        self.text(self.link_url_ref(link))
    }

    /// What the front matter's `summary` or `description` says (empty when none).
    pub fn summary(&self) -> &str {
        self.text(self.summary)
    }

    /// The text of a link field.
    pub fn text(&self, t: TextRef) -> &str {
        if t.in_source() {
            &self.source[t.range()]
        } else {
            &self.arena[t.range()]
        }
    }

    /// A node by id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// 1-based line and column (in characters) of a byte offset inside a node.
    pub fn position(&self, node: NodeId, offset: u32) -> (u32, u32) {
        let start = self.node(node).span.start as usize;
        let offset = (offset as usize).clamp(start, self.source.len());
        let before = &self.source[start..offset];
        // A line feed or a lone carriage return ends a line.
        let line_start = before.rfind(['\n', '\r']).map_or(start, |i| start + i + 1);
        let column = self.source[line_start..offset].chars().count() as u32 + 1;
        (self.line_of(offset), column)
    }

    /// 1-based line and column (in characters) of every link, in the order
    /// of `links`: one pass over the source, however many links share a
    /// line (asking [`Document::link_position`] of each would go back to the
    /// start of the line every time).
    pub fn link_positions(&self) -> Vec<(u32, u32)> {
        let mut order: Vec<usize> = (0..self.links.len()).collect();
        order.sort_by_key(|&i| self.links[i].offset);
        let mut out = vec![(0, 0); self.links.len()];
        // Columns are counted after a byte-order mark, as `position` counts them.
        let bom = if self.source.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let (mut at, mut line, mut column) = (bom, 1u32, 1u32);
        for i in order {
            let mut offset = (self.links[i].offset as usize).min(self.source.len());
            while !self.source.is_char_boundary(offset) {
                offset -= 1;
            }
            let mut chars = self.source[at.min(offset)..].chars().peekable();
            let mut pos = at.min(offset);
            while pos < offset {
                let Some(c) = chars.next() else { break };
                pos += c.len_utf8();
                // A line feed, or a carriage return not followed by one, ends a line.
                if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
            at = at.max(offset);
            out[i] = (line, column);
        }
        out
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        let k = self
            .line_index
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let from = self
            .line_index
            .get(k)
            .map_or(0, |&s| s as usize)
            .min(offset);
        let bytes = self.source.as_bytes();
        let newlines = (from..offset)
            .filter(|&i| {
                bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            })
            .count();
        (k * LINE_STEP + 1 + newlines) as u32
    }

    /// 1-based line of a node's first line.
    pub fn node_line(&self, id: NodeId) -> u32 {
        self.line_of(self.node(id).span.start as usize)
    }

    /// 1-based line and column of a link.
    pub fn link_position(&self, link: &Link) -> (u32, u32) {
        self.position(link.node(), link.offset)
    }

    /// The raw text of a node's content (after its marker).
    pub fn content(&self, id: NodeId) -> &str {
        &self.source[self.node(id).content_span(&self.source).range()]
    }

    /// The byte range of a node with all its descendants.
    pub fn subtree(&self, id: NodeId) -> Range<usize> {
        let node = self.node(id);
        if id == ROOT {
            return node.span.start as usize..self.source.len();
        }
        // Spans grow in pre-order: the subtree's last node ends last.
        let last = self.node(node.next - 1);
        node.span.start as usize..last.span.end.max(node.span.end) as usize
    }

    /// The direct children of a node, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        let node = self.node(id);
        Children {
            doc: self,
            next: id + 1,
            stop: node.next,
        }
    }

    /// Index in `sections` of the section a node stands in, or `NO_SECTION`.
    pub fn section_index(&self, mut id: NodeId) -> u32 {
        loop {
            let node = self.node(id);
            if let NodeKind::Heading { .. } = node.kind() {
                return self
                    .sections
                    .binary_search_by_key(&id, |s| s.node)
                    .map_or(NO_SECTION, |i| i as u32);
            }
            if id == ROOT {
                return NO_SECTION;
            }
            id = node.parent();
        }
    }

    /// The section (heading) a node stands in, if any.
    pub fn section_of(&self, id: NodeId) -> Option<&Section> {
        self.sections.get(self.section_index(id) as usize)
    }

    /// The heading path of a link.
    pub fn link_headings(&self, link: &Link) -> Vec<&str> {
        self.section_path(self.section_index(link.node()))
    }

    /// Heading texts from the outermost section down to section `index`.
    pub fn section_path(&self, index: u32) -> Vec<&str> {
        let mut path = Vec::new();
        let mut i = index;
        while let Some(s) = self.sections.get(i as usize) {
            path.push(&*s.title);
            i = s.parent;
        }
        path.reverse();
        path
    }

    /// The path of section `index` joined with `sep`.
    pub fn section_joined(&self, index: u32, sep: &str) -> String {
        self.section_path(index).join(sep)
    }

    /// Where a link is filed in the postmortems view: under its year
    /// heading, else under the year its item names, else General.
    pub fn link_bucket(&self, link: &Link) -> Bucket {
        let bucket = self
            .sections
            .get(self.section_index(link.node()) as usize)
            .map_or(self.intro_bucket, |s| s.bucket);
        match bucket {
            Bucket::General => self.inferred_year(link).map_or(bucket, Bucket::Year),
            other => other,
        }
    }

    /// The year read from a link's item, when no year heading files it.
    pub fn inferred_year(&self, link: &Link) -> Option<u16> {
        self.inferred_years
            .binary_search_by_key(&link.offset, |(o, _)| *o)
            .ok()
            .map(|i| self.inferred_years[i].1)
    }

    /// Whether the front matter tags say post-mortem.
    pub fn is_tagged_postmortem(&self) -> bool {
        self.tags.iter().any(|t| is_postmortem_word(t))
    }

    /// Whether any heading says post-mortem.
    pub fn has_postmortem_heading(&self) -> bool {
        self.sections.iter().any(|s| is_postmortem_word(&s.title))
    }

    /// Whether new postmortems go in this note: a heading or its tags say
    /// post-mortem.
    pub fn is_postmortem_list(&self) -> bool {
        self.has_postmortem_heading() || self.is_tagged_postmortem()
    }

    /// The whole file rebuilt from the tree: every node's own bytes and the
    /// blank lines between them.
    pub fn write_back(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        let mut at = 0usize;
        for node in &self.nodes[1..] {
            let span = node.span.range();
            out.push_str(&self.source[at..span.start]);
            out.push_str(&self.source[span.clone()]);
            at = span.end;
        }
        out.push_str(&self.source[at..]);
        out
    }
}

/// Iterator over the direct children of a node.
pub struct Children<'a> {
    doc: &'a Document,
    next: NodeId,
    stop: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next >= self.stop {
            return None;
        }
        let id = self.next;
        self.next = self.doc.node(id).next;
        Some(id)
    }
}

/// Whether a heading or tag names post-mortems (`Post-Mortem`, `postmortems`, `Post mortem`).
pub fn is_postmortem_word(s: &str) -> bool {
    let folded: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    folded == "postmortem" || folded == "postmortems"
}

/// The year a heading names, if it is just a year between 1970 and 2100.
pub fn heading_year(s: &str) -> Option<u16> {
    let t = s.trim();
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u16 = t.parse().ok()?;
    (1970..=2100).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;

    fn texts(source: &str) -> (Vec<(String, String)>, usize) {
        let doc = parse_document("n.md".into(), source.to_string(), false);
        let texts = doc
            .links
            .iter()
            .map(|l| (doc.link_text(l).to_string(), doc.link_url(l).to_string()))
            .collect();
        (texts, doc.far_links.len())
    }

    #[test]
    fn a_link_takes_16_bytes() {
        assert_eq!(std::mem::size_of::<Link>(), 16);
    }

    #[test]
    fn texts_just_after_a_link_are_kept_in_it() {
        let (got, far) =
            texts("- [Acme](https://acme.example/pm). Disk full.\n- <https://b.example>\n");
        assert_eq!(
            got,
            vec![
                ("Acme".into(), "https://acme.example/pm".into()),
                ("https://b.example".into(), "https://b.example".into()),
            ]
        );
        assert_eq!(far, 0);
    }

    #[test]
    fn a_target_defined_before_its_link_is_kept_apart() {
        // CommonMark example 192: the definition stands before the link.
        let (got, far) = texts("[foo]: /url \"title\"\n\n[foo]\n");
        assert_eq!(got, vec![("foo".into(), "/url".into())]);
        assert_eq!(far, 1);
    }

    #[test]
    fn escaped_and_long_texts_are_kept_apart() {
        // The text unescaped lives in the arena.
        let (got, far) = texts("[a\\*b](https://x.example)\n");
        assert_eq!(got, vec![("a*b".into(), "https://x.example".into())]);
        assert_eq!(far, 1);
        let long = "w".repeat(70_000);
        let (got, far) = texts(&format!("[t](https://x.example/{long})\n"));
        assert_eq!(got[0].1.len(), "https://x.example/".len() + 70_000);
        assert_eq!(far, 1);
    }

    #[test]
    fn the_kind_survives_the_far_bit() {
        let doc = parse_document("n.md".into(), "[a\\*b](mailto:x@y.example)\n".into(), false);
        assert_eq!(doc.links[0].kind(), LinkKind::Mailto);
        assert_eq!(doc.far_links.len(), 1);
    }
}
