//! Block structure: a tolerant, line-based reading of Markdown into nodes.
//!
//! Real notes are not CommonMark: bullets may be `•`, indented by four spaces
//! (CommonMark would see a code block), separated by blank or whitespace-only
//! lines, or fall back to column 0 after a gap. This reader treats any line
//! that starts with a marker as a list item and nests items by indentation.

use super::markers::{heading_level, indentation, list_marker, memchr_newline};
use super::model::LINE_STEP;
use super::node::{NODE_MASK, Node, NodeId, NodeKind, ROOT, Span};

/// One line of the source.
struct Line<'a> {
    /// Byte offset of the line's first byte.
    start: usize,
    /// Byte offset after the line ending.
    end: usize,
    /// The line without its ending (`\n` or `\r\n`).
    text: &'a str,
}

fn lines(source: &str, from: usize) -> impl Iterator<Item = Line<'_>> {
    let mut at = from;
    std::iter::from_fn(move || {
        if at >= source.len() {
            return None;
        }
        let rest = &source[at..];
        let (len, text_len) = match memchr_newline(rest.as_bytes()) {
            // A lone CR ends a line too, as CommonMark says.
            Some(i) if rest.as_bytes()[i] == b'\r' => (i + 1, i),
            Some(i) => {
                let text_len = if i > 0 && rest.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                (i + 1, text_len)
            }
            None => (rest.len(), rest.len()),
        };
        let line = Line {
            start: at,
            end: at + len,
            text: &rest[..text_len],
        };
        at += len;
        Some(line)
    })
}

fn fence(rest: &str) -> Option<(u8, usize)> {
    let c = *rest.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = rest.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

fn is_rule(rest: &str) -> bool {
    let mut chars = rest.chars().filter(|c| !c.is_whitespace());
    let Some(c) = chars.next() else { return false };
    if !matches!(c, '-' | '*' | '_') {
        return false;
    }
    let mut n = 1;
    for d in chars {
        if d != c {
            return false;
        }
        n += 1;
    }
    n >= 3
}

/// Front matter found at the top of a file.
pub struct FrontMatterBlock {
    /// The whole block, delimiters included.
    pub span: Span,
    /// The text between the delimiters.
    pub body: Span,
    /// `---` (YAML) or `+++` (TOML).
    pub toml: bool,
}

fn front_matter(source: &str, from: usize) -> Option<FrontMatterBlock> {
    let mut it = lines(source, from);
    let first = it.next()?;
    let delim = match first.text.trim_end() {
        "---" => "---",
        "+++" => "+++",
        _ => return None,
    };
    for line in it {
        let t = line.text.trim_end();
        if t == delim || (delim == "---" && t == "...") {
            return Some(FrontMatterBlock {
                span: Span::new(first.start, line.end),
                body: Span::new(first.end, line.start),
                toml: delim == "+++",
            });
        }
    }
    None
}

/// The parsed block structure of one document.
pub struct Blocks {
    /// All nodes in pre-order, node 0 the document.
    pub nodes: Vec<Node>,
    /// Where every `LINE_STEP`-th line starts.
    pub line_index: Vec<u32>,
    /// Front matter, if the file starts with it.
    pub front_matter: Option<FrontMatterBlock>,
}

/// Which open node a text line may continue.
#[derive(Clone, Copy)]
struct OpenLeaf {
    node: NodeId,
    kind: NodeKind,
}

struct Builder {
    nodes: Vec<Node>,
    /// Open list items with the indentation of their marker.
    items: Vec<(NodeId, u32)>,
    /// Open headings with their level.
    headings: Vec<(NodeId, u8)>,
    leaf: Option<OpenLeaf>,
}

impl Builder {
    fn section(&self) -> NodeId {
        self.headings.last().map_or(ROOT, |h| h.0)
    }

    /// Adds a node starting at `line`; where its text starts is read again
    /// from the line by [`super::node::content_offset`].
    fn push(&mut self, kind: NodeKind, parent: NodeId, line: &Line) -> NodeId {
        let id = self.nodes.len() as NodeId;
        if id >= NODE_MASK {
            // More nodes than a node id can name (only an edited note
            // hundreds of MiB long gets here): the last node takes the line.
            self.extend(id - 1, line);
            return id - 1;
        }
        self.nodes
            .push(Node::new(kind, parent, Span::new(line.start, line.end)));
        id
    }

    /// Extends a node by one more line.
    fn extend(&mut self, id: NodeId, line: &Line) {
        self.nodes[id as usize].span.end = line.end as u32;
    }

    /// The container for a block that is not a list item: the deepest open
    /// item indented less than the block, else the current section.
    fn container_for(&mut self, indent: u32) -> NodeId {
        while let Some(&(_, item_indent)) = self.items.last() {
            if item_indent < indent {
                break;
            }
            self.items.pop();
        }
        self.items.last().map_or_else(|| self.section(), |i| i.0)
    }
}

/// Reads the block structure of a document.
pub fn parse_blocks(source: &str) -> Blocks {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut scratch = NODES.take();
    scratch.clear();
    let mut b = Builder {
        nodes: scratch,
        items: Vec::new(),
        headings: Vec::new(),
        leaf: None,
    };
    b.nodes
        .push(Node::new(NodeKind::Document, ROOT, Span::new(bom, bom)));

    let front_matter = front_matter(source, bom);
    let mut from = bom;
    let mut line_no = 1usize;
    let mut line_index = vec![bom as u32];
    if let Some(fm) = &front_matter {
        let end = fm.span.end as usize;
        let first = Line {
            start: bom,
            end,
            text: "",
        };
        b.push(NodeKind::FrontMatter, ROOT, &first);
        for l in lines(source, bom).take_while(|l| l.start < end) {
            note_line(&mut line_index, l.start, line_no);
            line_no += 1;
        }
        from = end;
    }

    // An open fenced code block: its node, fence character and length.
    let mut code: Option<(NodeId, u8, usize)> = None;
    // An open indented code block.
    let mut indented: Option<NodeId> = None;
    let mut after_blank = false;

    for line in lines(source, from) {
        note_line(&mut line_index, line.start, line_no);
        line_no += 1;
        if let Some((id, c, n)) = code {
            b.extend(id, &line);
            let rest = line.text.trim_start();
            if fence(rest).is_some_and(|(fc, fnum)| fc == c && fnum >= n)
                && rest.trim_start_matches(c as char).trim().is_empty()
            {
                code = None;
            }
            continue;
        }
        let (indent, ws) = indentation(line.text);
        let rest = &line.text[ws..];
        if rest.is_empty() {
            after_blank = true;
            // Blank lines end paragraphs, not lists.
            b.leaf = None;
            continue;
        }
        match indented {
            Some(id) if indent >= 4 => {
                b.extend(id, &line);
                continue;
            }
            Some(_) => indented = None,
            None => {}
        }

        if indent <= 3
            && let Some((level, _)) = heading_level(rest)
        {
            b.items.clear();
            while b.headings.last().is_some_and(|h| h.1 >= level) {
                b.headings.pop();
            }
            let parent = b.section();
            let id = b.push(NodeKind::Heading { level }, parent, &line);
            b.headings.push((id, level));
            b.leaf = None;
        } else if let Some((c, n)) = fence(rest) {
            let parent = b.container_for(indent + 1);
            let id = b.push(NodeKind::Code, parent, &line);
            code = Some((id, c, n));
            b.leaf = None;
        } else if is_rule(rest) {
            let parent = b.container_for(indent + 1);
            b.push(NodeKind::Rule, parent, &line);
            b.leaf = None;
        } else if let Some((_, ordered)) = list_marker(rest) {
            while b.items.last().is_some_and(|i| i.1 >= indent) {
                b.items.pop();
            }
            let parent = b.items.last().map_or_else(|| b.section(), |i| i.0);
            let kind = NodeKind::Item { ordered };
            let id = b.push(kind, parent, &line);
            b.items.push((id, indent));
            b.leaf = Some(OpenLeaf { node: id, kind });
        } else if indent >= 4 && b.items.is_empty() && b.leaf.is_none() {
            // Text indented four columns outside any list, not continuing a
            // paragraph: an indented code block, as CommonMark reads it.
            // Under a list item the same indentation is the item's detail.
            let parent = b.section();
            indented = Some(b.push(NodeKind::Code, parent, &line));
        } else {
            let kind = if rest.starts_with('>') {
                NodeKind::Quote
            } else if rest.starts_with('|') {
                NodeKind::Table
            } else {
                NodeKind::Paragraph
            };
            match b.leaf {
                // A line of text right after a paragraph or an item continues it,
                // as CommonMark's lazy continuation does.
                Some(leaf)
                    if !after_blank
                        && (leaf.kind == kind
                            || (kind == NodeKind::Paragraph
                                && matches!(leaf.kind, NodeKind::Item { .. }))) =>
                {
                    b.extend(leaf.node, &line);
                }
                _ => {
                    let parent = b.container_for(indent);
                    let id = b.push(kind, parent, &line);
                    b.leaf = Some(OpenLeaf { node: id, kind });
                }
            }
        }
        after_blank = false;
    }

    let mut scratch = b.nodes;
    finish(&mut scratch);
    let nodes = exact(&NODES, scratch);
    Blocks {
        nodes,
        front_matter,
        line_index,
    }
}

thread_local! {
    /// The nodes being read, reused from note to note: each note's nodes are
    /// then allocated once, at their final size, and loading thousands of
    /// notes leaves no trail of outgrown arrays in the heap.
    static NODES: std::cell::RefCell<Vec<Node>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Bytes of scratch space a thread keeps between notes, at most: the
/// space a huge note needed is given back.
const SCRATCH_KEPT: usize = 256 << 10;

/// What a scratch vector holds, allocated at its size; the scratch is kept
/// for the next note, emptied, unless it grew large: then it is what is
/// returned, shrunk, and no copy of a huge note's array is ever made.
pub(super) fn exact<T: Clone + 'static>(
    slot: &'static std::thread::LocalKey<std::cell::RefCell<Vec<T>>>,
    mut scratch: Vec<T>,
) -> Vec<T> {
    if scratch.capacity() * std::mem::size_of::<T>() > SCRATCH_KEPT {
        scratch.shrink_to_fit();
        return scratch;
    }
    let out = scratch.to_vec();
    scratch.clear();
    slot.set(scratch);
    out
}

/// Records where line `no` starts when it is one of every `LINE_STEP`.
fn note_line(index: &mut Vec<u32>, start: usize, no: usize) {
    if no > 1 && (no - 1).is_multiple_of(LINE_STEP) {
        index.push(start as u32);
    }
}

/// Computes the index after each node's subtree.
fn finish(nodes: &mut [Node]) {
    let count = nodes.len() as NodeId;
    let mut stack: Vec<NodeId> = vec![ROOT];
    for i in 1..count {
        let parent = nodes[i as usize].parent();
        while let Some(&top) = stack.last() {
            if top == parent {
                break;
            }
            nodes[top as usize].next = i;
            stack.pop();
        }
        stack.push(i);
    }
    for id in stack {
        nodes[id as usize].next = count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(src: &str) -> Vec<(NodeKind, u32, String)> {
        let blocks = parse_blocks(src);
        blocks.nodes[1..]
            .iter()
            .map(|n| {
                (
                    n.kind(),
                    n.parent(),
                    src[n.content_span(src).range()].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn bullets_nest_by_indentation_whatever_the_marker() {
        let src = "• Monday\n\n    • talk\n      • point\n    • other\n";
        let item = NodeKind::Item { ordered: false };
        assert_eq!(
            outline(src),
            vec![
                (item, 0, "Monday".into()),
                (item, 1, "talk".into()),
                (item, 2, "point".into()),
                (item, 1, "other".into()),
            ]
        );
    }

    #[test]
    fn item_falls_back_to_column_zero_after_a_gap() {
        let src = "## Cal\n- a\n  - b\n\n- c\n-";
        let item = NodeKind::Item { ordered: false };
        assert_eq!(
            outline(src),
            vec![
                (NodeKind::Heading { level: 2 }, 0, "Cal".into()),
                (item, 1, "a".into()),
                (item, 2, "b".into()),
                (item, 1, "c".into()),
                (item, 1, "".into()),
            ]
        );
    }

    #[test]
    fn lazy_continuation_line_belongs_to_the_item() {
        let src = "- July 18 - Retro  \n[link](https://x.y)\n- next\n";
        let blocks = parse_blocks(src);
        assert_eq!(blocks.nodes.len(), 3);
        assert_eq!(
            &src[blocks.nodes[1].content_span(src).range()],
            "July 18 - Retro  \n[link](https://x.y)"
        );
        assert_eq!(blocks.nodes[1].span, Span::new(0, 40));
    }

    #[test]
    fn paragraph_after_blank_closes_the_list() {
        let src = "- a\n  - b\n\nEdge Smart NIC\n\n- c\n";
        let item = NodeKind::Item { ordered: false };
        assert_eq!(
            outline(src),
            vec![
                (item, 0, "a".into()),
                (item, 1, "b".into()),
                (NodeKind::Paragraph, 0, "Edge Smart NIC".into()),
                (item, 0, "c".into()),
            ]
        );
    }

    #[test]
    fn headings_nest_by_level_and_ordered_items_are_items() {
        let src = "# A\n## B ##\n1. one\n2) two\n### C\n## D\n";
        let kinds: Vec<_> = parse_blocks(src).nodes[1..]
            .iter()
            .map(|n| (n.kind(), n.parent(), n.next))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (NodeKind::Heading { level: 1 }, 0, 7),
                (NodeKind::Heading { level: 2 }, 1, 6),
                (NodeKind::Item { ordered: true }, 2, 4),
                (NodeKind::Item { ordered: true }, 2, 5),
                (NodeKind::Heading { level: 3 }, 2, 6),
                (NodeKind::Heading { level: 2 }, 1, 7),
            ]
        );
        assert_eq!(
            &src[parse_blocks(src).nodes[2].content_span(src).range()],
            "B"
        );
    }

    #[test]
    fn code_fences_quotes_tables_and_rules_are_nodes() {
        let src = "```sh\n- not an item\n# not a heading\n```\n> quote\n> more\n| a | b |\n|---|---|\n---\n";
        let kinds: Vec<_> = parse_blocks(src).nodes[1..]
            .iter()
            .map(|n| n.kind())
            .collect();
        assert_eq!(
            kinds,
            vec![
                NodeKind::Code,
                NodeKind::Quote,
                NodeKind::Table,
                NodeKind::Rule
            ]
        );
    }

    #[test]
    fn tabs_indent_and_crlf_and_bom_are_understood() {
        let src = "\u{feff}- a\r\n\t- b\r\n";
        let blocks = parse_blocks(src);
        assert_eq!(blocks.nodes[2].parent(), 1);
        assert_eq!(&src[blocks.nodes[2].content_span(src).range()], "b");
        assert_eq!(blocks.nodes[1].span, Span::new(3, 8));
    }

    #[test]
    fn front_matter_is_one_node() {
        let src = "---\ntitle: x\n---\n\nText\n";
        let blocks = parse_blocks(src);
        assert_eq!(blocks.nodes[1].kind(), NodeKind::FrontMatter);
        assert_eq!(blocks.nodes[1].span, Span::new(0, 17));
        assert_eq!(blocks.line_index, vec![0]);
        let fm = blocks.front_matter.expect("front matter");
        assert_eq!(&src[fm.body.range()], "title: x\n");
    }

    #[test]
    fn where_text_starts_is_read_again_from_each_nodes_first_line() {
        let src = "---\r\ntitle: x\r\n---\r\n#\r\n  ##\tTwo ##\n-\r\n  12)   twelve\n\
                   •\tdot\n> quoted\n\n>bare\n\n   para\n  | t |\n  ~~~\n  code\n  ~~~\n***\n";
        let texts: Vec<(NodeKind, &str)> = parse_blocks(src).nodes[1..]
            .iter()
            .map(|n| (n.kind(), &src[n.content_span(src).range()]))
            .collect();
        assert_eq!(
            texts,
            vec![
                (NodeKind::FrontMatter, "title: x\r\n"),
                (NodeKind::Heading { level: 1 }, ""),
                (NodeKind::Heading { level: 2 }, "Two"),
                (NodeKind::Item { ordered: false }, ""),
                (NodeKind::Item { ordered: true }, "twelve"),
                (NodeKind::Item { ordered: false }, "dot"),
                (NodeKind::Quote, "quoted"),
                (NodeKind::Quote, "bare"),
                (NodeKind::Paragraph, "para"),
                (NodeKind::Table, "| t |"),
                (NodeKind::Code, "~~~\n  code\n  ~~~"),
                (NodeKind::Rule, ""),
            ]
        );
        // Lone carriage returns end lines as well.
        let src = "---\rtitle: x\r---\r- a\r- b\r# H\r";
        let texts: Vec<&str> = parse_blocks(src).nodes[1..]
            .iter()
            .map(|n| &src[n.content_span(src).range()])
            .collect();
        assert_eq!(texts, vec!["title: x\r", "a", "b", "H"]);
    }
}
