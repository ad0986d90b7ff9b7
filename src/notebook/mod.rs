//! The notebook: a folder of Markdown notes read into a tree of documents,
//! headings, items and links. Knows nothing of terminals.

pub mod actions;
pub mod autolink;
pub mod dates;
pub mod document;
pub mod edit;
pub mod inline;
pub mod item;
pub mod links;
mod markers;
pub mod merge;
pub mod model;
pub mod nesting;
pub mod node;
pub mod parse;
mod plain_yaml;
pub mod postmortem;
pub mod rewrite;
pub mod sessions;
mod simple;
pub mod typed;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use model::{Bucket, Document, Link, LinkKind, Node, NodeId, NodeKind, Section, Session};

/// Whether a file name is a note (`.md`, `.markdown`, `.txt`).
pub fn is_note(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt")
    )
}

/// Global index of a link across the notebook, in document order.
pub type LinkId = u32;

/// A link together with the document it stands in.
#[derive(Clone, Copy)]
pub struct LinkRef<'a> {
    /// Global index.
    pub id: LinkId,
    /// Index of the document.
    pub doc_index: usize,
    /// The document.
    pub doc: &'a Document,
    /// The link.
    pub link: &'a Link,
    /// Its index in the document's `links`.
    pub index: usize,
}

impl<'a> LinkRef<'a> {
    /// Whether another link of the same item (or paragraph) comes before it:
    /// the company or source link after the write-up, a follow-up.
    pub fn follows_another_in_its_item(&self) -> bool {
        self.index > 0 && self.doc.links[self.index - 1].node() == self.link.node()
    }

    /// The text shown for the link.
    pub fn text(&self) -> &'a str {
        self.doc.link_text(self.link)
    }

    /// The target.
    pub fn url(&self) -> &'a str {
        self.doc.link_url(self.link)
    }

    /// Headings from the top of the document to the link.
    pub fn headings(&self) -> Vec<&'a str> {
        self.doc.link_headings(self.link)
    }

    /// The headings joined with ` > `.
    pub fn heading_path(&self) -> String {
        self.headings().join(" > ")
    }

    /// What the target is.
    pub fn kind(&self) -> LinkKind {
        self.link.kind()
    }

    /// 1-based line and column (in characters).
    pub fn position(&self) -> (u32, u32) {
        self.doc.link_position(self.link)
    }

    /// Where the link is filed in the postmortems view.
    pub fn bucket(&self) -> Bucket {
        self.doc.link_bucket(self.link)
    }

    /// The year of a postmortem link.
    pub fn year(&self) -> Option<u16> {
        match self.bucket() {
            Bucket::Year(y) => Some(y),
            _ => None,
        }
    }

    /// Plain text of the item (with its detail lines) or the line of a
    /// paragraph or table the link stands in, bounded around the link.
    pub fn context(&self) -> String {
        self.doc.link_item_text(self.link)
    }

    /// Plain text of the link's own item or line, without its detail lines.
    pub fn own_text(&self) -> String {
        self.doc.link_own_text(self.link)
    }

    /// The title shown for the link (for a bare URL, from its item).
    pub fn title(&self) -> std::borrow::Cow<'a, str> {
        self.doc.link_title(self.link)
    }

    /// Whether the link's year was read from its item rather than a heading.
    pub fn year_inferred(&self) -> bool {
        self.doc.inferred_year(self.link).is_some()
    }
}

/// All documents of a notebook folder.
pub struct Notebook {
    /// The folder.
    pub root: PathBuf,
    /// Documents in path order (shared, so replacing one after a save is cheap).
    pub documents: Vec<Arc<Document>>,
    /// Global id of each document's first link.
    link_starts: Vec<LinkId>,
    /// Links in all: asked per link by scoring loops, so counted once.
    link_total: usize,
    /// Which documents are postmortem documents, found when first asked
    /// (`postmortem.rs`): the views, the search corpus and the dating all
    /// want them at start.
    postmortem_docs: std::sync::OnceLock<Vec<u32>>,
}

impl Notebook {
    /// A notebook of parsed documents.
    pub fn new(root: PathBuf, documents: Vec<Document>) -> Notebook {
        Notebook::from_shared(root, documents.into_iter().map(Arc::new).collect())
    }

    /// A notebook of documents that may be shared with another notebook.
    pub fn from_shared(root: PathBuf, documents: Vec<Arc<Document>>) -> Notebook {
        let mut link_starts = Vec::with_capacity(documents.len());
        let mut n = 0u32;
        for d in &documents {
            link_starts.push(n);
            n += d.links.len() as u32;
        }
        Notebook {
            root,
            documents,
            link_starts,
            link_total: n as usize,
            postmortem_docs: std::sync::OnceLock::new(),
        }
    }

    /// Number of links in all documents.
    pub fn link_count(&self) -> usize {
        self.link_total
    }

    /// A link by global id.
    pub fn link(&self, id: LinkId) -> Option<LinkRef<'_>> {
        self.link_near(id, &mut 0)
    }

    /// A link by global id, looked for first in document `hint` and the one
    /// after it (where the last id in order was), which becomes the hint for
    /// the next: scoring a million links in id order then skips nearly
    /// every search of the documents.
    pub fn link_near(&self, id: LinkId, hint: &mut usize) -> Option<LinkRef<'_>> {
        let doc_index = range_holding(&self.link_starts, id, *hint)?;
        let found = self.link_in(doc_index, id)?;
        *hint = doc_index;
        Some(found)
    }

    /// Link `id` of document `doc_index`, whose links start at or before it.
    fn link_in(&self, doc_index: usize, id: LinkId) -> Option<LinkRef<'_>> {
        let doc = &self.documents[doc_index];
        let index = (id - self.link_starts[doc_index]) as usize;
        let link = doc.links.get(index)?;
        Some(LinkRef {
            id,
            doc_index,
            doc,
            link,
            index,
        })
    }

    /// Global id of a document's link.
    pub fn link_id(&self, doc_index: usize, link_index: usize) -> LinkId {
        self.link_starts[doc_index] + link_index as u32
    }

    /// Every link, in document order.
    pub fn links(&self) -> impl Iterator<Item = LinkRef<'_>> {
        self.documents
            .iter()
            .enumerate()
            .flat_map(move |(doc_index, doc)| {
                let start = self.link_starts[doc_index];
                doc.links.iter().enumerate().map(move |(i, link)| LinkRef {
                    id: start + i as u32,
                    doc_index,
                    doc,
                    link,
                    index: i,
                })
            })
    }

    /// Postmortem links by bucket: years newest first, then General.
    pub fn postmortems(&self) -> Vec<(Bucket, Vec<LinkId>)> {
        let mut buckets: std::collections::BTreeMap<Bucket, Vec<LinkId>> = Default::default();
        for l in self.links() {
            let b = l.bucket();
            if b != Bucket::None {
                buckets.entry(b).or_default().push(l.id);
            }
        }
        // Bucket orders None < General < Year(..): reversing gives newest year first, General last.
        buckets.into_iter().rev().collect()
    }

    /// Every session, in document order, with the index of its document.
    pub fn sessions(&self) -> impl Iterator<Item = (usize, &Session)> {
        self.documents
            .iter()
            .enumerate()
            .flat_map(|(i, d)| d.sessions.iter().map(move |s| (i, s)))
    }

    /// The same notebook with one document replaced (or added, in path order).
    pub fn with_document(&self, doc: Document) -> Notebook {
        let mut documents = self.documents.clone();
        match documents.iter().position(|d| d.path == doc.path) {
            Some(i) => documents[i] = Arc::new(doc),
            None => {
                let at = documents.partition_point(|d| d.path < doc.path);
                documents.insert(at, Arc::new(doc));
            }
        }
        Notebook::from_shared(self.root.clone(), documents)
    }

    /// Index of the document at a path relative to the notebook.
    pub fn document_index(&self, path: &std::path::Path) -> Option<usize> {
        self.documents.iter().position(|d| d.path == path)
    }

    /// The calendar that new sessions go in (`n`, `opsbook jot`): the note
    /// with the most sessions.
    pub fn calendar(&self) -> Option<usize> {
        self.documents
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.sessions.is_empty())
            .max_by_key(|(_, d)| d.sessions.len())
            .map(|(i, _)| i)
    }

    /// The note new postmortems go in when none is named (`a`, `opsbook
    /// add`): the first postmortem list.
    pub fn postmortem_list(&self) -> Option<usize> {
        self.documents.iter().position(|d| d.is_postmortem_list())
    }

    /// Total bytes of all documents.
    pub fn source_bytes(&self) -> usize {
        self.documents.iter().map(|d| d.source.len()).sum()
    }
}

/// The plain text of every item and paragraph nested under a session.
pub fn session_topics(doc: &Document, session: &Session) -> Vec<String> {
    document::descendants_text(&doc.source, &doc.nodes, session.node).collect()
}

/// The title a session is shown by: the text after its date, else its
/// first topic (`- June 29` then `  - CDcon`: where people write it), else
/// empty. The UI and `opsbook sessions` show the same.
pub fn session_shown_title(doc: &Document, session: &Session) -> String {
    if !session.title.trim().is_empty() {
        return session.title.clone();
    }
    document::descendants_text(&doc.source, &doc.nodes, session.node)
        .next()
        .map(|t| item::one_line(&t))
        .unwrap_or_default()
}

/// Which of the ranges starting at `starts` (sorted; each ends where the
/// next starts, the last one open) holds `id`: first tried at `hint` and the
/// range after it, where ids taken in order are found, else by binary search.
pub fn range_holding(starts: &[u32], id: u32, hint: usize) -> Option<usize> {
    let holds = |d: usize| {
        d < starts.len() && starts[d] <= id && starts.get(d + 1).is_none_or(|&next| id < next)
    };
    [hint, hint + 1]
        .into_iter()
        .find(|&d| holds(d))
        .or_else(|| starts.partition_point(|&s| s <= id).checked_sub(1))
}
