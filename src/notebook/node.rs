//! The nodes of a document's tree: what each is, where it stands in the
//! source, and its place in the tree, in 16 bytes.

use std::ops::Range;

use serde::Serialize;

use super::markers::{heading_level, indentation, list_marker, memchr_newline};

/// Index of a node inside its document's `nodes`.
pub type NodeId = u32;

/// The root node of every document.
pub const ROOT: NodeId = 0;

/// A byte range inside a document's source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from two byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The span as a `Range<usize>` for slicing.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Number of bytes covered.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// The document itself (always node 0).
    Document,
    /// `---` YAML or `+++` TOML front matter.
    FrontMatter,
    /// An ATX heading, `#` to `######`.
    Heading {
        /// 1 to 6.
        level: u8,
    },
    /// A list item, whatever its marker.
    Item {
        /// `1.` or `1)` rather than a bullet.
        ordered: bool,
    },
    /// Lines of text not in a list.
    Paragraph,
    /// Lines starting with `>`.
    Quote,
    /// Lines starting with `|`.
    Table,
    /// A fenced code block.
    Code,
    /// A thematic break (`---`, `***`, `___`).
    Rule,
}

/// One node of a document's tree: 16 bytes, everything else is derived
/// from the source (where its text starts is read again from its first line).
#[derive(Clone, PartialEq, Eq)]
pub struct Node {
    /// The node's own lines, with their line endings.
    pub span: Span,
    /// Index of the first node after this node's subtree (nodes are stored in pre-order).
    pub next: NodeId,
    /// The parent node in the low `NODE_BITS` bits (the root is its own
    /// parent), the kind's code in the high 4.
    parent_kind: u32,
}

/// Bits of a node id inside a packed field: documents hold fewer than 2^28
/// nodes, as a note is at most 64 MiB and a node takes a line of its own.
pub(crate) const NODE_BITS: u32 = 28;
/// The low `NODE_BITS` bits.
pub(crate) const NODE_MASK: u32 = (1 << NODE_BITS) - 1;

impl NodeKind {
    /// The kind as 4 bits: 15 kinds in all, counting each heading level.
    fn code(self) -> u32 {
        match self {
            NodeKind::Document => 0,
            NodeKind::FrontMatter => 1,
            NodeKind::Heading { level } => 1 + u32::from(level.clamp(1, 6)),
            NodeKind::Item { ordered } => 8 + u32::from(ordered),
            NodeKind::Paragraph => 10,
            NodeKind::Quote => 11,
            NodeKind::Table => 12,
            NodeKind::Code => 13,
            NodeKind::Rule => 14,
        }
    }

    /// The kind a code of [`NodeKind::code`] stands for.
    fn from_code(code: u32) -> NodeKind {
        match code {
            0 => NodeKind::Document,
            1 => NodeKind::FrontMatter,
            2..=7 => NodeKind::Heading {
                level: (code - 1) as u8,
            },
            8 | 9 => NodeKind::Item { ordered: code == 9 },
            10 => NodeKind::Paragraph,
            11 => NodeKind::Quote,
            12 => NodeKind::Table,
            13 => NodeKind::Code,
            _ => NodeKind::Rule,
        }
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("kind", &self.kind())
            .field("parent", &self.parent())
            .field("span", &self.span)
            .field("next", &self.next)
            .finish()
    }
}

impl Node {
    /// A node of `kind` under `parent` covering `span`, its subtree's end still to be set.
    pub fn new(kind: NodeKind, parent: NodeId, span: Span) -> Node {
        Node {
            span,
            next: 0,
            parent_kind: (parent & NODE_MASK) | (kind.code() << NODE_BITS),
        }
    }

    /// What the node is.
    pub fn kind(&self) -> NodeKind {
        NodeKind::from_code(self.parent_kind >> NODE_BITS)
    }

    /// The parent node (the root is its own parent).
    pub fn parent(&self) -> NodeId {
        self.parent_kind & NODE_MASK
    }

    /// The node's text: after the list marker or `#`s (and closing `#`s),
    /// without the final line ending. A code block's text is the whole block.
    pub fn content_span(&self, source: &str) -> Span {
        let own = &source[self.span.range()];
        let kind = self.kind();
        let start = self.span.start as usize + content_offset(kind, own);
        let start = start.min(self.span.end as usize);
        let bytes = source.as_bytes();
        let mut end = self.span.end as usize;
        // The line ending: `\n`, `\r\n` or a lone `\r`, as lines are read.
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        match kind {
            NodeKind::Heading { .. } => heading_text(source, start, end),
            NodeKind::Rule | NodeKind::Document => Span::new(start, start),
            NodeKind::FrontMatter => {
                // Between the delimiter lines.
                let body_end = source[start..end]
                    .rfind(['\n', '\r'])
                    .map_or(start, |i| start + i + 1);
                Span::new(start, body_end)
            }
            _ => Span::new(start, end),
        }
    }
}

/// A heading's text without leading spaces and a closing sequence of `#`s.
fn heading_text(source: &str, start: usize, end: usize) -> Span {
    let raw = &source[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let mut body = raw.trim();
    // A closing sequence of #s is only closing when preceded by a space.
    let without_hashes = body.trim_end_matches('#');
    if without_hashes.is_empty() {
        body = "";
    } else if without_hashes.len() != body.len() && without_hashes.ends_with([' ', '\t']) {
        body = without_hashes.trim_end();
    }
    Span::new(start + lead, start + lead + body.len())
}

/// Where the text of a node of `kind` starts in its own lines `own`: after
/// the indentation, and the list marker, `#`s or `>` with the spaces after
/// them. Nodes do not store it: it is read again from the first line.
pub(super) fn content_offset(kind: NodeKind, own: &str) -> usize {
    let (_, ws) = indentation(own);
    let rest = &own[ws..];
    match kind {
        NodeKind::Document | NodeKind::Rule => 0,
        // Past the whole opening delimiter line.
        NodeKind::FrontMatter => memchr_newline(own.as_bytes()).map_or(own.len(), |i| i + 1),
        // The builder made the node from this very line: its marker is there.
        NodeKind::Heading { .. } => {
            let found = heading_level(rest);
            debug_assert!(found.is_some(), "a heading without its #s: {rest:.20?}");
            ws + found.map_or(0, |(_, offset)| offset)
        }
        NodeKind::Item { .. } => {
            let found = list_marker(rest);
            debug_assert!(found.is_some(), "an item without its marker: {rest:.20?}");
            ws + found.map_or(0, |(len, _)| len)
        }
        // A quote's text starts after its `>` and one space.
        NodeKind::Quote => {
            debug_assert!(rest.starts_with('>'), "a quote without its >: {rest:.20?}");
            ws + 1 + usize::from(rest.get(1..).is_some_and(|r| r.starts_with(' ')))
        }
        NodeKind::Paragraph | NodeKind::Table | NodeKind::Code => ws,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_16_bytes_and_keeps_every_kind_and_parent() {
        assert_eq!(std::mem::size_of::<Node>(), 16);
        let mut kinds = vec![
            NodeKind::Document,
            NodeKind::FrontMatter,
            NodeKind::Item { ordered: false },
            NodeKind::Item { ordered: true },
            NodeKind::Paragraph,
            NodeKind::Quote,
            NodeKind::Table,
            NodeKind::Code,
            NodeKind::Rule,
        ];
        kinds.extend((1..=6).map(|level| NodeKind::Heading { level }));
        for kind in kinds {
            let node = Node::new(kind, NODE_MASK, Span::new(1, 2));
            assert_eq!((node.kind(), node.parent()), (kind, NODE_MASK));
        }
    }
}
