//! Turning one file's text into a `Document`: blocks, sections, links, sessions.

use std::path::{Path, PathBuf};

use super::dates::year_in_text;
use super::links::{LinkSink, RefDefs, find_links, plain_text};
use super::model::FrontFacts;
use super::model::{
    Bucket, Document, Link, LinkKind, NO_SECTION, NodeId, NodeKind, Section, Session, TextRef,
    heading_year, is_postmortem_word,
};
use super::parse::{FrontMatterBlock, parse_blocks};
use super::sessions::{
    DatedEntry, date_prefix, infer_years, may_start_with_month, says_no_meeting, title_after_date,
};

thread_local! {
    /// The links being found, reused from note to note (see `parse::NODES`).
    static LINKS: std::cell::RefCell<Vec<Link>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What front matter says of a note.
#[derive(Debug, Default, PartialEq)]
pub(super) struct FrontMatter {
    title: Option<String>,
    /// `tags`, `categories` and `keywords` together.
    tags: Vec<String>,
    /// `url`, `source` or `link`: the note stands for this link.
    url: Option<String>,
    /// `summary` or `description`.
    summary: Option<String>,
    /// `date` or `published`.
    date: Option<String>,
    /// `company` or `organization`: whose incident it was.
    company: Option<String>,
    /// What a postmortem document's front matter states: see [`FrontFacts`].
    facts: FrontFacts,
}

const URL_KEYS: [&str; 3] = ["url", "source", "link"];
const SUMMARY_KEYS: [&str; 2] = ["summary", "description"];
const DATE_KEYS: [&str; 2] = ["date", "published"];
const TAG_KEYS: [&str; 3] = ["tags", "categories", "keywords"];

/// Reads front matter through `field` (a key's text, if it is a string,
/// number or date) and `list` (a key's strings, if it is a list).
fn front_matter_of(
    field: impl Fn(&str) -> Option<String>,
    list: impl Fn(&str) -> Option<Vec<String>>,
) -> FrontMatter {
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| field(k))
            .filter(|v| !v.trim().is_empty())
    };
    let mut tags = Vec::new();
    for key in TAG_KEYS {
        match list(key) {
            Some(items) => tags.extend(items),
            None => tags.extend(field(key).map(|s| split_tags(&s)).unwrap_or_default()),
        }
    }
    FrontMatter {
        title: field("title"),
        tags,
        url: first(&URL_KEYS),
        summary: first(&SUMMARY_KEYS),
        date: first(&DATE_KEYS),
        company: first(&["company", "organization", "org"]),
        facts: FrontFacts {
            kind: first(&["type", "layout"]).map(String::into_boxed_str),
            date: first(&["incident_date", "date"]).map(String::into_boxed_str),
            template: field("template").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            fields: FACT_KEYS
                .iter()
                .filter_map(|&(name, keys)| Some((name, first(keys)?.into_boxed_str())))
                .collect(),
        },
    }
}

/// The facts of an incident front matter may state, by the name shown and
/// the keys read, in the order shown.
const FACT_KEYS: [(&str, &[&str]); 7] = [
    ("summary", &["summary", "description"]),
    ("impact", &["impact"]),
    ("severity", &["severity", "sev", "priority"]),
    ("duration", &["duration"]),
    ("detection", &["time_to_detect", "ttd", "detection"]),
    ("recovery", &["time_to_recover", "ttr", "mttr", "recovery"]),
    ("category", &["category", "cause"]),
];

/// Why YAML front matter is not read: aliases can make a few hundred bytes
/// expand to gigabytes ("billion laughs"), so front matter that uses any is
/// refused, found by one linear pass over the parser's events.
fn yaml_refusal(body: &str) -> Option<&'static str> {
    struct Aliases(usize);
    impl yaml_rust2::parser::EventReceiver for Aliases {
        fn on_event(&mut self, ev: yaml_rust2::parser::Event) {
            if matches!(ev, yaml_rust2::parser::Event::Alias(_)) {
                self.0 += 1;
            }
        }
    }
    let mut aliases = Aliases(0);
    let mut parser = yaml_rust2::parser::Parser::new_from_str(body);
    if parser.load(&mut aliases, false).is_err() {
        return Some("front matter is not valid YAML: title and tags not read");
    }
    (aliases.0 > 0).then_some("front matter uses YAML aliases (`*name`): not read")
}

fn read_front_matter(
    source: &str,
    block: &FrontMatterBlock,
    warnings: &mut Vec<String>,
) -> FrontMatter {
    let body = &source[block.body.range()];
    if block.toml {
        let Ok(table) = body.parse::<toml::Table>() else {
            warnings.push("front matter is not valid TOML: title and tags not read".into());
            return FrontMatter::default();
        };
        front_matter_of(
            |k| match table.get(k)? {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(i) => Some(i.to_string()),
                toml::Value::Datetime(d) => Some(d.to_string()),
                toml::Value::Boolean(b) => Some(b.to_string()),
                _ => None,
            },
            |k| match table.get(k)? {
                toml::Value::Array(a) => Some(
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(str::to_string)
                        .collect(),
                ),
                _ => None,
            },
        )
    } else {
        yaml_front_matter(body, warnings, true)
    }
}

/// YAML front matter, the plain `key: value` lines most notes have read
/// without the YAML parser when `simple` (the same, as a property test checks).
pub(super) fn yaml_front_matter(
    body: &str,
    warnings: &mut Vec<String>,
    simple: bool,
) -> FrontMatter {
    {
        use super::plain_yaml::{YamlValue, yaml_mapping};
        if let Some(map) = simple.then(|| yaml_mapping(body)).flatten() {
            return front_matter_of(
                |k| match map.get(k)? {
                    YamlValue::Str(s) => Some(s.clone()),
                    YamlValue::List(_) => None,
                },
                |k| match map.get(k)? {
                    YamlValue::List(items) => Some(items.clone()),
                    YamlValue::Str(_) => None,
                },
            );
        }
    }
    {
        use yaml_rust2::{Yaml, YamlLoader};
        if let Some(why) = yaml_refusal(body) {
            warnings.push(why.to_string());
            return FrontMatter::default();
        }
        let Ok(docs) = YamlLoader::load_from_str(body) else {
            return FrontMatter::default();
        };
        let Some(doc) = docs.first() else {
            return FrontMatter::default();
        };
        front_matter_of(
            |k| match &doc[k] {
                Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
                Yaml::Integer(i) => Some(i.to_string()),
                Yaml::Boolean(b) => Some(b.to_string()),
                _ => None,
            },
            |k| match &doc[k] {
                Yaml::Array(a) => Some(
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(str::to_string)
                        .collect(),
                ),
                _ => None,
            },
        )
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
    let mut warnings = Vec::new();
    let front = blocks
        .front_matter
        .as_ref()
        .map(|b| read_front_matter(&source, b, &mut warnings))
        .unwrap_or_default();
    // Tagged post-mortem, or named so (`post-mortems.md`, `postmortems/x.md`).
    let tagged_postmortem = front.tags.iter().any(|t| is_postmortem_word(t))
        || path
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .any(|c| is_postmortem_word(&c.as_os_str().to_string_lossy()))
        || is_postmortem_word(&file_stem(&path));

    // Sections, and for each node the section it stands in.
    let mut sections: Vec<Section> = Vec::new();
    let mut section_of: Vec<u32> = vec![NO_SECTION; nodes.len()];
    for (i, node) in nodes.iter().enumerate().skip(1) {
        let parent_section = section_of[node.parent() as usize];
        if let NodeKind::Heading { .. } = node.kind() {
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

    let title = front
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| sections.first().map(|s| s.title.to_string()))
        .or_else(|| {
            let url = front.url.as_deref()?;
            note_link_title(url, front.company.as_deref(), || {
                first_paragraph(&source, &nodes, front.summary.as_deref())
            })
        })
        .unwrap_or_else(|| file_stem(&path));

    let refs = RefDefs::collect_in(&source, &nodes);
    let mut links = LINKS.take();
    links.clear();
    let mut arena = String::new();
    let mut far_links = Vec::new();
    // A note whose front matter names a URL is itself a link, before any other.
    if let (Some(url), Some(block)) = (&front.url, &blocks.front_matter) {
        let url_ref = front_matter_text(&source, block, url, &mut arena);
        let at = url_ref.in_source().then(|| url_ref.range().start);
        arena.push_str(&title);
        let text_ref = TextRef::arena(arena.len() - title.len(), arena.len());
        let node = nodes
            .iter()
            .position(|n| n.kind() == NodeKind::FrontMatter)
            .unwrap_or(0) as NodeId;
        let offset = at.unwrap_or(block.body.start as usize) as u32;
        links.push(Link::new(
            text_ref,
            url_ref,
            node,
            offset,
            LinkKind::of(url),
            &mut far_links,
        ));
    }
    {
        let mut sink = LinkSink {
            source: &source,
            arena: &mut arena,
            links: &mut links,
            far: &mut far_links,
        };
        for (i, node) in nodes.iter().enumerate() {
            if !has_inline_text(node.kind()) {
                continue;
            }
            let span = node.content_span(&source);
            let content = &source[span.range()];
            // A huge node (a paragraph of thousands of links) is read in
            // pieces, so that the parser's own memory stays bounded.
            let mut at = 0;
            for piece in pieces(content) {
                let found = find_links(piece, &refs);
                if !found.is_empty() {
                    sink.add(i as NodeId, piece, span.start as usize + at, found);
                }
                at += piece.len();
            }
        }
    }

    let section_years: Vec<Option<i32>> = sections
        .iter()
        .map(|s| match s.bucket {
            Bucket::Year(y) => Some(i32::from(y)),
            _ => None,
        })
        .collect();
    let sessions = find_sessions(&source, &nodes, &section_of, &section_years);
    let summary = match (front.summary.as_deref(), &blocks.front_matter) {
        (Some(s), Some(block)) => front_matter_text(&source, block, s, &mut arena),
        _ => TextRef::source(0, 0),
    };
    let links = super::parse::exact(&LINKS, links);

    let mut doc = Document {
        path,
        source,
        arena: arena.into_boxed_str(),
        title: title.into_boxed_str(),
        tags: front.tags.clone().into_boxed_slice(),
        summary,
        nodes: nodes.into_boxed_slice(),
        intro_bucket,
        line_index: line_index.into_boxed_slice(),
        links: links.into_boxed_slice(),
        far_links: far_links.into_boxed_slice(),
        inferred_years: Box::default(),
        sections: sections.into_boxed_slice(),
        sessions: sessions.into_boxed_slice(),
        read_only,
        warnings: warnings.into_boxed_slice(),
        front: (front.facts != FrontFacts::default()).then(|| Box::new(front.facts.clone())),
    };
    // Read after the document is whole: a year is read with its methods.
    let inferred_years: Vec<(u32, u16)> = doc
        .links
        .iter()
        .filter(|l| {
            let section = doc.sections.get(doc.section_index(l.node()) as usize);
            section.map_or(doc.intro_bucket, |s| s.bucket) == Bucket::General
        })
        .filter_map(|l| {
            let year = if doc.node(l.node()).kind() == NodeKind::FrontMatter {
                // A note that is a link: the incident date in its summary or
                // body, else its front matter date, else its URL or title.
                let said = format!(
                    "{} {}",
                    front.summary.as_deref().unwrap_or(""),
                    doc.body_start()
                );
                year_in_text(&said, this_year)
                    .or_else(|| front.date.as_deref().and_then(|d| date_year(d, this_year)))
                    .or_else(|| doc.read_link_year(l, this_year))
            } else {
                doc.read_link_year(l, this_year)
            };
            Some((l.offset, year?))
        })
        .collect();
    doc.inferred_years = inferred_years.into_boxed_slice();
    doc
}

/// A value read from front matter, where it stands in the front matter, or
/// a copy in the arena when quoting or folding made it differ.
fn front_matter_text(
    source: &str,
    block: &FrontMatterBlock,
    value: &str,
    arena: &mut String,
) -> TextRef {
    let body = block.body.range();
    match source[body.clone()].find(value) {
        Some(i) => TextRef::source(body.start + i, body.start + i + value.len()),
        None => {
            arena.push_str(value);
            TextRef::arena(arena.len() - value.len(), arena.len())
        }
    }
}

/// Bytes of a node's text read at once for links, at most (about).
const PIECE: usize = 64 * 1024;

/// A node's text in pieces of about `PIECE` bytes, cut at line breaks, else
/// at a space outside brackets: no link is cut in two. Small texts are one piece.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() <= PIECE {
            return Some(std::mem::take(&mut rest));
        }
        let mut limit = PIECE;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let head = &rest[..limit];
        let cut = head
            .rfind(['\n', '\r'])
            .map(|i| i + 1)
            .or_else(|| {
                // A space where brackets are balanced, looking back from the limit.
                let mut depth = 0i64;
                let mut best = None;
                for (i, b) in head.bytes().enumerate() {
                    match b {
                        b'[' | b'(' | b'<' => depth += 1,
                        b']' | b')' | b'>' => depth -= 1,
                        b' ' if depth <= 0 => best = Some(i + 1),
                        _ => {}
                    }
                }
                best
            })
            .filter(|&c| c > 0)
            // No safe place: the rest is read whole.
            .unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// The year of a front matter date (`2019-11-06`, `2019-11-06T10:00:00Z`, `2019`).
fn date_year(date: &str, this_year: u16) -> Option<u16> {
    let y: u16 = date.trim().get(..4)?.parse().ok()?;
    (super::dates::EARLIEST..=this_year)
        .contains(&y)
        .then_some(y)
}

/// The title of a note that is a link and names none: its company and the
/// words of the URL's last path segment (`rust-lang: crates io
/// postmortem`), else the first sentence of what it says; `None` leaves
/// the file name.
fn note_link_title(
    url: &str,
    company: Option<&str>,
    said: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok();
    let words = parsed.as_ref().and_then(url_path_words);
    let who = company
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .or_else(|| parsed.as_ref().and_then(site_name));
    if let Some(words) = words {
        return Some(match who {
            Some(who) => format!("{who}: {words}"),
            None => words,
        });
    }
    said().and_then(|text| first_sentence(&text)).or(who)
}

/// The words of a URL's last path segment that says something: not a
/// number, a date, an id or `index.html` (`…/2023/07/21/crates-io-postmortem.html`
/// → `crates io postmortem`).
fn url_path_words(url: &url::Url) -> Option<String> {
    let mut segments = url.path_segments()?.rev().filter(|seg| {
        // Dates and numbers (`2023`, `07`, `2023-07-21`) come before the name.
        !seg.is_empty() && !seg.chars().all(|c| c.is_ascii_digit() || c == '-')
    });
    let seg = segments.next()?;
    let seg = seg.split('.').next().unwrap_or(seg);
    let decoded = seg.replace("%20", " ");
    let words: Vec<&str> = decoded
        .split(['-', '_', '+', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let says = words
        .iter()
        .any(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()));
    // An id (`8f3k2j1h9g7f6d5s`) or a listing's name says nothing of the incident.
    let id =
        words.len() == 1 && words[0].len() > 12 && words[0].chars().any(|c| c.is_ascii_digit());
    let generic = matches!(
        seg.to_ascii_lowercase().as_str(),
        "index"
            | "default"
            | "post"
            | "posts"
            | "blog"
            | "news"
            | "incidents"
            | "incident"
            | "status"
    );
    (says && !id && !generic).then(|| words.join(" "))
}

/// The name of a URL's site: the label before its public suffix
/// (`blog.rust-lang.org` → `rust-lang`, `www.bbc.co.uk` → `bbc`).
fn site_name(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n < 2 {
        return labels.first().map(|l| l.to_string());
    }
    // `co.uk`, `com.au`: a short second level under a country code.
    let two_part = n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3;
    Some(labels[n - if two_part { 3 } else { 2 }].to_string())
}

/// The first sentence of a text, cut at a word under 100 characters.
fn first_sentence(text: &str) -> Option<String> {
    let line = super::item::one_line(text);
    let end = line
        .match_indices(['.', '!', '?'])
        .map(|(i, _)| i)
        .find(|&i| line[i + 1..].starts_with(' ') || i + 1 == line.len())
        .unwrap_or(line.len());
    let sentence = super::item::cut_at_word(&line[..end], 100);
    (!sentence.is_empty()).then_some(sentence)
}

/// The note's summary, else the text of its first paragraph or item.
fn first_paragraph(
    source: &str,
    nodes: &[super::model::Node],
    summary: Option<&str>,
) -> Option<String> {
    if let Some(s) = summary.filter(|s| !s.trim().is_empty()) {
        return Some(s.to_string());
    }
    nodes
        .iter()
        .find(|n| matches!(n.kind(), NodeKind::Paragraph | NodeKind::Item { .. }))
        .map(|n| plain_text(&source[n.content_span(source).range()]))
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn find_sessions(
    source: &str,
    nodes: &[super::model::Node],
    section_of: &[u32],
    section_years: &[Option<i32>],
) -> Vec<Session> {
    let mut sessions: Vec<Session> = Vec::new();
    let mut entries: Vec<DatedEntry> = Vec::new();
    let mut sections: Vec<u32> = Vec::new();
    let mut is_session = vec![false; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        if !matches!(node.kind(), NodeKind::Item { .. }) {
            continue;
        }
        // Dated items nested in a session are its topics, not sessions.
        let mut ancestor = node.parent();
        let mut inside_session = false;
        while ancestor != 0 {
            if is_session[ancestor as usize] {
                inside_session = true;
                break;
            }
            ancestor = nodes[ancestor as usize].parent();
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
        let heading_year = section_years
            .get(sections[start] as usize)
            .copied()
            .flatten();
        infer_years(&mut entries[start..end], heading_year);
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
        .filter(|n| matches!(n.kind(), NodeKind::Item { .. } | NodeKind::Paragraph))
        .map(move |n| plain_text(&source[n.content_span(source).range()]))
        .filter(|t| !t.is_empty())
}
