//! The ranked search itself: each link's match from the index when there
//! is one, else read from every link's text ([`super::relaxed`] says how
//! a word matches; [`super::index`] finds the words), then ranked.

use rayon::prelude::*;

use super::Hit;
use super::found::{Found, rank};
use super::index::LinkIndex;
use super::pages::PageSearch;
use super::relaxed::{Explained, Relaxed, link_context, link_fields};
use crate::notebook::Notebook;

/// The links ranked by how much of `query` they hold, best first, each
/// with what matched: most terms matched first, then the sum of each
/// term's weight (its field's boost, how it matched, its rarity). `None`
/// when the query has no plain word. Uses `index` when given (it must be
/// of this notebook), else reads every link. Stops early, with what it
/// has, when `cancelled` says so.
pub fn rank_links(
    notebook: &Notebook,
    index: Option<&LinkIndex>,
    pages: Option<&PageSearch>,
    query: &str,
    extra: &[Vec<String>],
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(Hit, Explained)>> {
    let relaxed = Relaxed::new(query, extra)?;
    let found = find(notebook, index, pages, &relaxed, cancelled);
    Some(
        rank(&found, notebook.link_count())
            .into_iter()
            .map(|h| (h, found.explained(h.id)))
            .collect(),
    )
}

/// The links ranked as [`rank_links`] ranks them, best first, without
/// saying why.
pub fn rank_hits(
    notebook: &Notebook,
    index: Option<&LinkIndex>,
    query: &str,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Hit>> {
    let relaxed = Relaxed::new(query, &[])?;
    let found = find(notebook, index, None, &relaxed, cancelled);
    Some(rank(&found, notebook.link_count()))
}

/// What [`rank_links`] finds of the links, and of the postmortem
/// `documents` (entries after the links', in their order) what their
/// title, text and path hold: for the merge with the strict hits, which
/// weighs the terms among all of these entries.
pub fn found_entries(
    notebook: &Notebook,
    index: Option<&LinkIndex>,
    pages: Option<&PageSearch>,
    documents: &[u32],
    query: &str,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Found> {
    let relaxed = Relaxed::new(query, &[])?;
    let mut found = unsettled(notebook, index, &relaxed, cancelled);
    let first = notebook.link_count();
    found.grow(first + documents.len());
    let mut lower = String::new();
    for (k, &d) in documents.iter().enumerate() {
        let doc = &notebook.documents[d as usize];
        let path = doc.path.to_string_lossy();
        let tags = doc.tags.join(" ");
        let fields = [&*doc.title, document_body(doc), tags.as_str(), &*path];
        relaxed.matches(&fields, &mut lower, found.codes_mut((first + k) as u32));
    }
    // As `find` settles them, the documents' words counting as the links'.
    // Settling before the pages' matches join gives what settling after
    // would, because a page code never displaces a link's own whole-word
    // code (the page field weighs less than every other: see
    // `relaxed::FIELD_WEIGHTS`), so the terms typed whole stay the same.
    found.settle_typos();
    if let Some(pages) = pages {
        pages.add_matches(notebook, &relaxed, &mut found, cancelled);
        found.settle_typos();
    }
    Some(found)
}

/// A document's text after its front matter (whose summary is in it too).
pub fn document_body(doc: &crate::notebook::Document) -> &str {
    use crate::notebook::NodeKind;
    let start = doc
        .children(crate::notebook::model::ROOT)
        .find(|&c| doc.node(c).kind() != NodeKind::FrontMatter)
        .map_or(doc.source.len(), |c| doc.node(c).span.range().start);
    let summary = doc.summary();
    // The summary stands first: front matter is not otherwise read.
    if summary.is_empty() {
        &doc.source[start..]
    } else {
        &doc.source[..]
    }
}

/// Every link's match, from the index or by reading every link, and
/// from the kept pages the links point at.
fn find(
    notebook: &Notebook,
    index: Option<&LinkIndex>,
    pages: Option<&PageSearch>,
    relaxed: &Relaxed,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Found {
    let mut found = unsettled(notebook, index, relaxed, cancelled);
    // Whether a word was typed whole is the links' own words' to say:
    // some page holds almost any word, whole.
    found.settle_typos();
    if let Some(pages) = pages {
        pages.add_matches(notebook, relaxed, &mut found, cancelled);
    }
    found
}

/// Every link's match from the index, else by reading every link, typos
/// not yet set aside.
fn unsettled(
    notebook: &Notebook,
    index: Option<&LinkIndex>,
    relaxed: &Relaxed,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Found {
    match index {
        Some(index) => index.matches(relaxed, cancelled),
        None => scan(notebook, relaxed, cancelled),
    }
}

/// Every link's match, read from its text: what the index gives without
/// reading anything.
fn scan(notebook: &Notebook, relaxed: &Relaxed, cancelled: &(dyn Fn() -> bool + Sync)) -> Found {
    let mut found = Found::new(notebook.link_count(), relaxed.len());
    found.par_entries_mut().with_min_len(4096).for_each_init(
        || (String::new(), 0usize, (usize::MAX, u32::MAX), String::new()),
        |(lower, hint, run, context), (id, codes)| {
            if cancelled() {
                return;
            }
            let Some(l) = notebook.link_near(id, hint) else {
                return;
            };
            // Links under one heading share their context.
            let key = (l.doc_index, l.doc.section_index(l.link.node()));
            if *run != key {
                *run = key;
                *context = link_context(&l);
            }
            let mut keep = Default::default();
            let fields = link_fields(&l, context, &mut keep);
            relaxed.matches(&fields, lower, codes);
        },
    );
    found
}
