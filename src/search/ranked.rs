//! The ranked search itself: each link's match from the index when there
//! is one, else read from every link's text ([`super::relaxed`] says how
//! a word matches; [`super::index`] finds the words), then ranked.

use std::collections::HashMap;

use rayon::prelude::*;

use super::Hit;
use super::index::LinkIndex;
use super::pages::PageSearch;
use super::relaxed::{
    Codes, Explained, Relaxed, explained, link_context, link_fields, rank, scores, settle_typos,
};
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
    let terms = relaxed.len();
    let ranked = rank(&found, notebook.link_count(), terms);
    let codes: HashMap<u32, &Codes> = found.iter().map(|(id, c)| (*id, c)).collect();
    Some(
        ranked
            .into_iter()
            .map(|h| {
                let why = codes
                    .get(&h.id)
                    .map_or_else(Vec::new, |c| explained(c, terms));
                (h, why)
            })
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
    Some(rank(&found, notebook.link_count(), relaxed.len()))
}

/// The links [`rank_links`] ranks, and the postmortem `documents` (entry
/// ids after the links', in their order) ranked alike by their title, text
/// and path, with the scores they rank by, in no particular order (the
/// merge with the strict hits sorts them once).
pub fn rank_scores(
    notebook: &Notebook,
    index: Option<&LinkIndex>,
    pages: Option<&PageSearch>,
    documents: &[u32],
    query: &str,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Hit>> {
    let relaxed = Relaxed::new(query, &[])?;
    let mut found = unsettled(notebook, index, &relaxed, cancelled);
    let first = notebook.link_count() as u32;
    let mut lower = String::new();
    for (k, &d) in documents.iter().enumerate() {
        let doc = &notebook.documents[d as usize];
        let path = doc.path.to_string_lossy();
        let tags = doc.tags.join(" ");
        let fields = [&*doc.title, document_body(doc), tags.as_str(), &*path];
        let m = relaxed.matches(&fields, &mut lower);
        if m.iter().any(|&c| c > 0) {
            found.push((first + k as u32, m));
        }
    }
    // As `find` settles them, the documents' words counting as the links'.
    // Settling before the pages' matches join gives what settling after
    // would, because a page code never displaces a link's own whole-word
    // code (the page field weighs less than every other: see
    // `relaxed::FIELD_WEIGHTS`), so the terms typed whole stay the same.
    settle_typos(&mut found, relaxed.len());
    if let Some(pages) = pages {
        pages.add_matches(notebook, &relaxed, &mut found, cancelled);
        settle_typos(&mut found, relaxed.len());
    }
    Some(scores(
        &found,
        notebook.link_count() + documents.len(),
        relaxed.len(),
    ))
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
) -> Vec<(u32, Codes)> {
    let mut found = unsettled(notebook, index, relaxed, cancelled);
    // Whether a word was typed whole is the links' own words' to say:
    // some page holds almost any word, whole.
    settle_typos(&mut found, relaxed.len());
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
) -> Vec<(u32, Codes)> {
    match index {
        Some(index) => index.matches(relaxed, cancelled),
        None => scan(notebook, relaxed, cancelled),
    }
}

/// Every link's match, read from its text: what the index gives without
/// reading anything.
fn scan(
    notebook: &Notebook,
    relaxed: &Relaxed,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Vec<(u32, Codes)> {
    let n = notebook.link_count();
    (0..n as u32)
        .into_par_iter()
        .with_min_len(4096)
        .map_init(
            || (String::new(), 0usize, (usize::MAX, u32::MAX), String::new()),
            |(lower, hint, run, context), id| {
                if cancelled() {
                    return None;
                }
                let l = notebook.link_near(id, hint)?;
                // Links under one heading share their context.
                let key = (l.doc_index, l.doc.section_index(l.link.node()));
                if *run != key {
                    *run = key;
                    *context = link_context(&l);
                }
                let mut keep = Default::default();
                let fields = link_fields(&l, context, &mut keep);
                let m = relaxed.matches(&fields, lower);
                m.iter().any(|&c| c > 0).then_some((id, m))
            },
        )
        .flatten()
        .collect()
}
