//! Turning one file's text into a `Document`: blocks, sections, links, sessions.

use std::path::{Path, PathBuf};

use super::links::{LinkSink, RefDefs, find_links, plain_text};
use super::model::{
    Bucket, Document, NO_SECTION, NodeId, NodeKind, Section, Session, heading_year,
    is_postmortem_word,
};
use super::parse::{FrontMatterBlock, parse_blocks};
use super::sessions::{
    DatedEntry, date_prefix, infer_years, may_start_with_month, says_no_meeting, title_after_date,
};

/// Title and tags read from front matter.
#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    tags: Vec<String>,
}

fn read_front_matter(source: &str, block: &FrontMatterBlock) -> FrontMatter {
    let body = &source[block.body.range()];
    if block.toml {
        let Ok(table) = body.parse::<toml::Table>() else {
            return FrontMatter::default();
        };
        let title = table
            .get("title")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let tags = match table.get("tags") {
            Some(toml::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect(),
            Some(toml::Value::String(s)) => split_tags(s),
            _ => Vec::new(),
        };
        FrontMatter { title, tags }
    } else {
        use yaml_rust2::{Yaml, YamlLoader};
        let Ok(docs) = YamlLoader::load_from_str(body) else {
            return FrontMatter::default();
        };
        let Some(doc) = docs.first() else {
            return FrontMatter::default();
        };
        let title = doc["title"].as_str().map(str::to_string);
        let tags = match &doc["tags"] {
            Yaml::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect(),
            Yaml::String(s) => split_tags(s),
            _ => Vec::new(),
        };
        FrontMatter { title, tags }
    }
}

fn split_tags(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a node's content holds inline Markdown worth reading for links.
fn has_inline_text(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Heading { .. }
            | NodeKind::Item { .. }
            | NodeKind::Paragraph
            | NodeKind::Quote
            | NodeKind::Table
    )
}

/// The latest year a link's item can name when no date says what today is.
pub const LATEST_YEAR: u16 = 2100;

/// Parses one file's text.
pub fn parse_document(path: PathBuf, source: String, read_only: bool) -> Document {
    parse_document_in(path, source, read_only, LATEST_YEAR)
}

/// Parses one file's text in the year `this_year`: a year after it read from
/// a link's item is no year.
pub fn parse_document_in(
    path: PathBuf,
    source: String,
    read_only: bool,
    this_year: u16,
) -> Document {
    let blocks = parse_blocks(&source);
    let nodes = blocks.nodes;
    let line_index = blocks.line_index;
    let front = blocks
        .front_matter
        .as_ref()
        .map(|b| read_front_matter(&source, b))
        .unwrap_or_default();
    let tagged_postmortem = front.tags.iter().any(|t| is_postmortem_word(t));

    // Sections, and for each node the section it stands in.
    let mut sections: Vec<Section> = Vec::new();
    let mut section_of: Vec<u32> = vec![NO_SECTION; nodes.len()];
    for (i, node) in nodes.iter().enumerate().skip(1) {
        let parent_section = section_of[node.parent as usize];
        if let NodeKind::Heading { .. } = node.kind {
            let heading = plain_text(&source[node.content_span(&source).range()]);
            let parent = sections.get(parent_section as usize);
            let bucket = match (heading_year(&heading), parent.map(|p| p.bucket)) {
                (Some(y), _) => Bucket::Year(y),
                (None, Some(b @ Bucket::Year(_))) => b,
                _ if is_postmortem_word(&heading) => Bucket::General,
                (None, Some(Bucket::General)) => Bucket::General,
                _ => Bucket::None,
            };
            section_of[i] = sections.len() as u32;
            sections.push(Section {
                node: i as NodeId,
                parent: parent_section,
                title: heading.into_boxed_str(),
                bucket,
            });
        } else {
            section_of[i] = parent_section;
        }
    }
    // A document tagged post-mortem without a post-mortem heading is a
    // post-mortem list as a whole.
    let whole_document = tagged_postmortem && !sections.iter().any(|s| s.bucket == Bucket::General);
    if whole_document {
        for s in sections.iter_mut().filter(|s| s.bucket == Bucket::None) {
            s.bucket = Bucket::General;
        }
    }
    let intro_bucket = if whole_document {
        Bucket::General
    } else {
        Bucket::None
    };

    let refs = RefDefs::collect(&source);
    let mut links = Vec::new();
    let mut arena = String::new();
    {
        let mut sink = LinkSink {
            source: &source,
            arena: &mut arena,
            links: &mut links,
        };
        for (i, node) in nodes.iter().enumerate() {
            if !has_inline_text(node.kind) {
                continue;
            }
            let span = node.content_span(&source);
            let content = &source[span.range()];
            let found = find_links(content, &refs);
            if found.is_empty() {
                continue;
            }
            sink.add(i as NodeId, content, span.start as usize, found);
        }
    }

    let sessions = find_sessions(&source, &nodes, &section_of);

    let title = front
        .title
        .filter(|t| !t.trim().is_empty())
        .or_else(|| sections.first().map(|s| s.title.to_string()))
        .unwrap_or_else(|| file_stem(&path));

    let mut doc = Document {
        path,
        source,
        arena,
        title,
        tags: front.tags,
        nodes,
        intro_bucket,
        line_index,
        links,
        inferred_years: Vec::new(),
        sections,
        sessions,
        read_only,
    };
    doc.inferred_years = doc
        .links
        .iter()
        .filter(|l| {
            let section = doc.sections.get(doc.section_index(l.node()) as usize);
            section.map_or(doc.intro_bucket, |s| s.bucket) == Bucket::General
        })
        .filter_map(|l| Some((l.offset, doc.read_link_year(l, this_year)?)))
        .collect();
    doc.arena.shrink_to_fit();
    doc.links.shrink_to_fit();
    doc.nodes.shrink_to_fit();
    doc
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn find_sessions(source: &str, nodes: &[super::model::Node], section_of: &[u32]) -> Vec<Session> {
    let mut sessions: Vec<Session> = Vec::new();
    let mut entries: Vec<DatedEntry> = Vec::new();
    let mut sections: Vec<u32> = Vec::new();
    let mut is_session = vec![false; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        if !matches!(node.kind, NodeKind::Item { .. }) {
            continue;
        }
        // Dated items nested in a session are its topics, not sessions.
        let mut ancestor = node.parent;
        let mut inside_session = false;
        while ancestor != 0 {
            if is_session[ancestor as usize] {
                inside_session = true;
                break;
            }
            ancestor = nodes[ancestor as usize].parent;
        }
        if inside_session {
            continue;
        }
        let content = &source[node.content_span(source).range()];
        if !may_start_with_month(content) {
            continue;
        }
        let text = plain_text(content);
        let Some(date) = date_prefix(&text) else {
            continue;
        };
        is_session[i] = true;
        let title = title_after_date(&text[date.rest..]);
        let cancelled = says_no_meeting(&title)
            || descendants_text(source, nodes, i as NodeId).any(|t| says_no_meeting(&t));
        entries.push(DatedEntry::new(date.month, date.day, date.year));
        sections.push(section_of[i]);
        sessions.push(Session {
            node: i as NodeId,
            year: None,
            month: date.month,
            day: date.day,
            year_inferred: false,
            title,
            cancelled,
            warnings: Vec::new(),
        });
    }
    // Years are inferred within each section.
    let mut start = 0;
    while start < entries.len() {
        let mut end = start + 1;
        while end < entries.len() && sections[end] == sections[start] {
            end += 1;
        }
        infer_years(&mut entries[start..end]);
        start = end;
    }
    for (s, e) in sessions.iter_mut().zip(entries) {
        s.year = e.year;
        s.year_inferred = e.inferred;
        s.warnings = e.warnings;
    }
    sessions
}

/// Plain text of every item below a node, in document order.
pub fn descendants_text<'a>(
    source: &'a str,
    nodes: &'a [super::model::Node],
    id: NodeId,
) -> impl Iterator<Item = String> + 'a {
    let node = &nodes[id as usize];
    let range = (id as usize + 1)..(node.next as usize);
    nodes[range]
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Item { .. } | NodeKind::Paragraph))
        .map(move |n| plain_text(&source[n.content_span(source).range()]))
        .filter(|t| !t.is_empty())
}
