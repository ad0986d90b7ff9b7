//! The formats the headless commands print in, as data types: the format
//! names the user picks, the records of the scripting contract (JSON and
//! TSV), and the writers of the formats other programs read (iCalendar,
//! Netscape bookmarks, the shared HTML page).

pub mod bookmarks;
pub mod ics;
pub mod ics_read;
pub mod page;

use clap::ValueEnum;
use serde::Serialize;

use crate::notebook::LinkRef;

/// The order `sessions` lists in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SessionOrder {
    /// Newest year first, by date within a year; unknown years last.
    Date,
    /// As written in the files.
    File,
}

/// Output format of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: one record a line; sessions in columns.
    Text,
    /// Tab-separated, one record a line.
    Tsv,
    /// One JSON array.
    Json,
    /// A Netscape bookmarks file (browsers import it): a folder per note and heading.
    Html,
}

/// Output format of `sessions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SessionFormat {
    /// In columns, for people.
    Text,
    /// Tab-separated, one record a line.
    Tsv,
    /// One JSON array.
    Json,
    /// iCalendar, for calendar apps (sessions with an unknown year left out).
    Ics,
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The links that are not ok, and a closing count.
    Text,
    /// One JSON array of every link checked.
    Json,
}

/// A link as printed by `--format json`: the scripting contract.
#[derive(Debug, Serialize)]
pub struct LinkRecord {
    /// The link's own text (escapes undone).
    pub text: String,
    /// The title shown: the text, or for a bare URL the words of its item.
    pub title: String,
    /// Target.
    pub url: String,
    /// `web`, `mailto`, `relative`, `placeholder` or `other`.
    pub kind: &'static str,
    /// Path relative to the notebook.
    pub document: String,
    /// Headings from the top of the document.
    pub headings: Vec<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// Postmortem year.
    pub year: Option<u16>,
    /// The year was read from the item (a date in its text or URL), not a heading.
    pub year_inferred: bool,
    /// Text of the item the link stands in, with its detail lines (bounded).
    pub context: String,
}

impl LinkRecord {
    /// The record of a link at `(line, column)`.
    pub fn of(l: &LinkRef<'_>, (line, column): (u32, u32)) -> LinkRecord {
        LinkRecord {
            text: l.text().to_string(),
            title: l.title().into_owned(),
            url: l.url().to_string(),
            kind: l.kind().name(),
            document: display_path(&l.doc.path),
            headings: l.headings().into_iter().map(str::to_string).collect(),
            line,
            column,
            year: l.year(),
            year_inferred: l.year_inferred(),
            context: l.context(),
        }
    }
}

/// A piece of note text as printed by `search --notes --format json`.
#[derive(Debug, Serialize)]
pub struct NoteRecord {
    /// `heading`, `item`, `paragraph`, `quote`, `table` or `code`.
    pub kind: &'static str,
    /// Its text, on one line.
    pub text: String,
    /// Path relative to the notebook.
    pub document: String,
    /// Headings from the top of the document.
    pub headings: Vec<String>,
    /// 1-based line.
    pub line: u32,
}

impl NoteRecord {
    /// The record of node `node` of `doc`.
    pub fn of(doc: &crate::notebook::Document, node: u32) -> NoteRecord {
        use crate::notebook::NodeKind;
        let kind = match doc.node(node).kind() {
            NodeKind::Heading { .. } => "heading",
            NodeKind::Item { .. } => "item",
            NodeKind::Quote => "quote",
            NodeKind::Table => "table",
            NodeKind::Code => "code",
            _ => "paragraph",
        };
        let section = doc.section_index(node);
        let headings = if (section as usize) < doc.sections.len() {
            doc.section_path(section)
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        NoteRecord {
            kind,
            text: crate::notebook::item::one_line(&crate::notebook::links::plain_text(
                doc.content(node),
            )),
            document: display_path(&doc.path),
            headings,
            line: doc.node_line(node),
        }
    }
}

/// A session as printed by `--format json`: the scripting contract.
#[derive(Debug, Serialize)]
pub struct SessionRecord {
    /// `YYYY-MM-DD`, or null when the year is unknown.
    pub date: Option<String>,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// The year was inferred or corrected.
    pub year_inferred: bool,
    /// Text after the date.
    pub title: String,
    /// "No meeting".
    pub cancelled: bool,
    /// Nested items.
    pub topics: Vec<String>,
    /// Path relative to the notebook.
    pub document: String,
    /// 1-based line.
    pub line: u32,
    /// Problems with the date.
    pub warnings: Vec<String>,
}

/// A path relative to the notebook, written with `/` on every system.
pub fn display_path(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Text and attribute values with HTML's special characters escaped.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
