//! What can be searched: every link of a notebook, or every piece of note text.

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use super::pages::{PageIndex, PageSearch};

use super::index::LinkIndex;
use rayon::prelude::*;

use super::found::{Found, merge, rank};
use super::rank::{Field, weight};
use super::relaxed::{Explained, Relaxed};
use super::worker::Corpus;
use super::{Hit, Query, Scorer};
use crate::notebook::{Document, NodeKind, Notebook};

/// Texts longer than this match words only, never scattered letters.
pub const FUZZY_MAX_BYTES: usize = 64;

/// What each query atom is worth in the context of a section (document
/// title, heading path, tags), computed the first time a candidate of that
/// section is scored: a query that stops early never values the rest.
pub struct ContextValues {
    /// Index of each document's first cell in `cells`: one per section, and
    /// one for what stands before the first heading.
    starts: Vec<usize>,
    cells: Vec<OnceLock<Vec<Option<u32>>>>,
}

impl ContextValues {
    fn new(notebook: &Notebook) -> ContextValues {
        let mut starts = Vec::with_capacity(notebook.documents.len());
        let mut n = 0;
        for d in &notebook.documents {
            starts.push(n);
            n += d.sections.len() + 1;
        }
        ContextValues {
            starts,
            cells: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    fn get<'a>(
        &'a self,
        notebook: &Notebook,
        doc: usize,
        section: u32,
        query: &Query,
        scorer: &mut Scorer,
    ) -> &'a [Option<u32>] {
        let d = &notebook.documents[doc];
        let cell = (section as usize).min(d.sections.len());
        self.cells[self.starts[doc] + cell].get_or_init(|| {
            // Each heading, the document's title and each tag on its own:
            // scattered letters do not match across them.
            let mut best: Vec<Option<u32>> = vec![None; query.len()];
            let mut value = |part: &str| {
                let field = Field {
                    text: part,
                    weight: weight::CONTEXT,
                    fuzzy: part.len() <= FUZZY_MAX_BYTES,
                };
                for (b, v) in best.iter_mut().zip(scorer.atom_values(query, field)) {
                    *b = (*b).max(v);
                }
            };
            let path = if cell < d.sections.len() {
                d.section_path(section)
            } else {
                Vec::new()
            };
            for part in &path {
                value(part);
            }
            if path.first() != Some(&&*d.title) {
                value(&d.title);
            }
            let mut tag = String::new();
            for t in &d.tags {
                tag.clear();
                tag.push('#');
                tag.push_str(t);
                value(&tag);
            }
            best
        })
    }
}

/// Every link: its title, the text of its item, its URL, and its context
/// (document title, headings, tags). Ids are link ids.
pub struct LinkCorpus<N> {
    notebook: N,
    /// How many links: counted once, as every entry's scoring asks.
    links: u32,
    /// The postmortem documents, by document index: entries of the search
    /// after the links (entry `links + k` is `documents[k]`).
    documents: Vec<u32>,
    /// The words of every link, once built: the ranked search reads
    /// every link's text until then.
    index: OnceLock<LinkIndex>,
    /// Whether a build of the index was started.
    building: AtomicBool,
    /// Whether a newer notebook took its place: a build under way stops.
    retired: AtomicBool,
    /// The kept pages its links point at, once loaded.
    pages: RwLock<Option<Arc<PageSearch>>>,
}

impl<N: Deref<Target = Notebook>> LinkCorpus<N> {
    /// The links of a notebook, not indexed yet.
    pub fn new(notebook: N) -> Self {
        let documents = notebook.postmortem_document_indexes().to_vec();
        LinkCorpus {
            links: notebook.link_count() as u32,
            notebook,
            documents,
            index: OnceLock::new(),
            building: AtomicBool::new(false),
            retired: AtomicBool::new(false),
            pages: RwLock::new(None),
        }
    }

    /// Searches the words of these kept pages too (in place of any before).
    pub fn set_pages(&self, pages: Option<Arc<PageIndex>>) {
        let search = pages.map(|p| Arc::new(PageSearch::new(p)));
        *self.pages.write().unwrap_or_else(|e| e.into_inner()) = search;
    }

    /// The kept pages searched, if any.
    pub fn pages(&self) -> Option<Arc<PageSearch>> {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Says a newer notebook took its place, so its index is not worth
    /// finishing.
    pub fn retire(&self) {
        self.retired.store(true, Ordering::Relaxed);
    }

    /// The notebook searched.
    pub fn notebook(&self) -> &Notebook {
        &self.notebook
    }

    /// The postmortem document an entry is (its document index), when it is
    /// one rather than a link.
    pub fn document_of(&self, entry: u32) -> Option<u32> {
        let k = entry.checked_sub(self.links)?;
        self.documents.get(k as usize).copied()
    }

    /// The index of its words, if built.
    pub fn index(&self) -> Option<&LinkIndex> {
        self.index.get()
    }

    /// Builds the index now (unless built), giving up when `cancelled`
    /// says so; whether it is there after.
    pub fn build_index(&self, cancelled: &dyn Fn() -> bool) -> bool {
        if self.index.get().is_none()
            && let Some(index) = LinkIndex::build(&self.notebook, cancelled)
        {
            let _ = self.index.set(index);
        }
        self.index.get().is_some()
    }
}

impl<N: Deref<Target = Notebook> + Send + Sync + 'static> LinkCorpus<N> {
    /// Builds the index on a thread of its own, once: it stops when the
    /// corpus is retired or nobody else holds it (the notebook was
    /// replaced meanwhile).
    pub fn build_index_in_background(self: &Arc<Self>) {
        if self.building.swap(true, Ordering::Relaxed) {
            return;
        }
        let corpus = Arc::clone(self);
        let _ = std::thread::Builder::new()
            .name("opsbook-index".into())
            .spawn(move || {
                // A notebook replaced at once (a save while typing) is not
                // worth indexing: wait a little, then see.
                std::thread::sleep(std::time::Duration::from_millis(300));
                let unwanted =
                    || corpus.retired.load(Ordering::Relaxed) || Arc::strong_count(&corpus) == 1;
                if !unwanted() {
                    crate::memory::give_back_free_pages();
                    corpus.build_index(&unwanted);
                    crate::memory::give_back_free_pages();
                }
            });
    }
}

/// What scoring a link learns that the next query, while it narrows, can
/// reuse: where its item text is in its document's source (finding it
/// reads the item's lines). Kept for every hit while typing, so small:
/// the item's bounds as distances from the link. (The values of the words
/// typed before were kept too, once: they saved 3% of the time, within
/// the noise, for 8 bytes a hit.)
#[derive(Clone, Copy, Debug)]
pub struct LinkMemo {
    /// Where the item text starts, from the link's offset; `UNKNOWN`
    /// when not known yet (or too far to keep).
    from: i16,
    /// Where it ends, from the link's offset.
    to: i16,
}

/// A [`LinkMemo`] that knows nothing.
const UNKNOWN: i16 = i16::MIN;

impl Default for LinkMemo {
    /// Nothing known yet.
    fn default() -> Self {
        LinkMemo {
            from: UNKNOWN,
            to: 0,
        }
    }
}

impl LinkMemo {
    /// The item text's bounds in the source, if known, for a link at `offset`.
    fn span(&self, offset: u32) -> Option<std::ops::Range<usize>> {
        if self.from == UNKNOWN {
            return None;
        }
        let at = |d: i16| (i64::from(offset) + i64::from(d)) as usize;
        Some(at(self.from)..at(self.to))
    }

    /// Keeps the item text's bounds, when near enough the link's `offset`.
    fn keep_span(&mut self, span: &std::ops::Range<usize>, offset: u32) {
        let from = i16::try_from(span.start as i64 - i64::from(offset));
        let to = i16::try_from(span.end as i64 - i64::from(offset));
        (self.from, self.to) = match (from, to) {
            (Ok(from), Ok(to)) if from != UNKNOWN => (from, to),
            _ => (UNKNOWN, 0),
        };
    }
}

impl<N: Deref<Target = Notebook> + Send + Sync> Corpus for LinkCorpus<N> {
    type Prepared = ContextValues;
    type Memo = LinkMemo;

    fn len(&self) -> usize {
        self.links as usize + self.documents.len()
    }

    fn prepare(&self, _: &Query, _: &mut Scorer) -> ContextValues {
        ContextValues::new(&self.notebook)
    }

    fn relaxed(
        &self,
        query: &str,
        strict: &[Hit],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<u32>> {
        let pages = self.pages();
        let found = super::ranked::found_entries(
            &self.notebook,
            self.index(),
            pages.as_deref(),
            &self.documents,
            query,
            cancelled,
        )?;
        if cancelled() {
            return None;
        }
        let n = found.len();
        Some(bind_and_merge(self, query, strict, found, n))
    }

    fn score(
        &self,
        prepared: &ContextValues,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        self.score_memo(prepared, query, id, &mut LinkMemo::default(), scorer)
    }

    fn score_memo(
        &self,
        prepared: &ContextValues,
        query: &Query,
        id: u32,
        memo: &mut LinkMemo,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        if let Some(d) = self.document_of(id) {
            // A postmortem document: its title, then what it says.
            let doc = &self.notebook.documents[d as usize];
            let body = super::ranked::document_body(doc);
            let fields = [
                Field {
                    text: &doc.title,
                    weight: weight::TITLE,
                    fuzzy: true,
                },
                Field {
                    text: body,
                    weight: weight::TEXT,
                    fuzzy: false,
                },
            ];
            return scorer.rank(query, &fields, &[], doc.title.len() + body.len());
        }
        let l = self.notebook.link_near(id, &mut scorer.doc_hint)?;
        let context = prepared.get(
            &self.notebook,
            l.doc_index,
            l.doc.section_index(l.link.node()),
            query,
            scorer,
        );
        let text = l.text();
        let url = l.url();
        let offset = l.link.offset;
        let span = memo.span(offset).unwrap_or_else(|| {
            let span = l.doc.link_item_span(l.link);
            memo.keep_span(&span, offset);
            span
        });
        let item = l.doc.source.get(span).unwrap_or_default();
        let fields = [
            Field {
                // A bare URL's title comes from its item, scored as the item.
                text: if l.doc.is_bare(l.link) { "" } else { text },
                weight: weight::TITLE,
                fuzzy: true,
            },
            Field {
                text: item,
                weight: weight::TEXT,
                fuzzy: false,
            },
            Field {
                text: url,
                weight: weight::URL,
                fuzzy: url.len() <= FUZZY_MAX_BYTES,
            },
        ];
        // The first link of an item (the write-up) before the ones after it
        // (the company, a source) when they match alike.
        let penalty = if l.follows_another_in_its_item() {
            super::rank::SECONDARY
        } else {
            0
        };
        scorer.rank_less(query, &fields, context, text.len() + item.len(), penalty)
    }
}

/// What was found that fzf's strict terms (`'word`, `^word`, `word$`,
/// `!word`) of `query` allow, merged with the strict hits into one order
/// of ids; `n` entries weigh the terms.
fn bind_and_merge<C: Corpus>(
    corpus: &C,
    query: &str,
    strict: &[Hit],
    mut found: Found,
    n: usize,
) -> Vec<u32> {
    let bound = super::relaxed::strict_terms(query);
    if !bound.is_empty() {
        let q = Query::new(&bound);
        let mut scorer = Scorer::default();
        let prepared = corpus.prepare(&q, &mut scorer);
        for id in 0..found.len() as u32 {
            if found.holds(id) && corpus.score(&prepared, &q, id, &mut scorer).is_none() {
                found.clear(id);
            }
        }
    }
    merge(strict, &found, n)
}

/// A piece of note text: a heading, item, paragraph, quote or table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteRef {
    /// Index of the document.
    pub doc: u32,
    /// The node.
    pub node: u32,
    /// The section it stands in.
    pub section: u32,
}

/// Every piece of note text with its heading path. A node's id is its
/// document's first id plus its index less one (the root is not text): ids
/// are computed, not stored, so the corpus costs 4 bytes a document.
pub struct NoteCorpus<N> {
    notebook: N,
    /// The id of each document's node 1.
    starts: Vec<u32>,
    /// One past the last id.
    end: u32,
    /// How many nodes hold text that can be searched: counted at the
    /// first search, not at the UI's start (30 ms at 1M links).
    searchable: OnceLock<usize>,
}

impl<N: Deref<Target = Notebook>> NoteCorpus<N> {
    /// Numbers the nodes of a notebook.
    pub fn new(notebook: N) -> Self {
        let mut starts = Vec::with_capacity(notebook.documents.len());
        let mut next = 0u32;
        for doc in &notebook.documents {
            starts.push(next);
            next += doc.nodes.len().saturating_sub(1) as u32;
        }
        NoteCorpus {
            notebook,
            starts,
            end: next,
            searchable: OnceLock::new(),
        }
    }

    /// How many nodes hold text that can be searched.
    fn count_searchable(&self) -> usize {
        *self.searchable.get_or_init(|| {
            self.notebook
                .documents
                .iter()
                .map(|doc| {
                    (1..doc.nodes.len())
                        .filter(|&i| holds_text(doc, i as u32))
                        .count()
                })
                .sum()
        })
    }

    /// The piece of text with id `id`, if that node holds text.
    pub fn entry(&self, id: u32) -> Option<NoteRef> {
        self.entry_near(id, &mut 0)
    }

    /// The piece of text with id `id`, its document looked for first at `hint`.
    fn entry_near(&self, id: u32, hint: &mut usize) -> Option<NoteRef> {
        let d = crate::notebook::range_holding(&self.starts, id, *hint)?;
        let doc = &self.notebook.documents[d];
        let node = id - self.starts[d] + 1;
        if (node as usize) >= doc.nodes.len() {
            return None;
        }
        *hint = d;
        holds_text(doc, node).then(|| NoteRef {
            doc: d as u32,
            node,
            section: doc.section_index(node),
        })
    }
}

impl<N: Deref<Target = Notebook> + Sync> NoteCorpus<N> {
    /// Each piece of text's match of `relaxed`, read from its text and its
    /// context (heading path, document title, tags), in id order.
    fn ranked_matches(&self, relaxed: &Relaxed, cancelled: &(dyn Fn() -> bool + Sync)) -> Found {
        let mut found = Found::new(self.end as usize, relaxed.len());
        found.par_entries_mut().with_min_len(4096).for_each_init(
            || (String::new(), 0usize, (u32::MAX, u32::MAX), String::new()),
            |(lower, hint, run, context), (id, codes)| {
                if cancelled() {
                    return;
                }
                let Some(e) = self.entry_near(id, hint) else {
                    return;
                };
                // Pieces under one heading share their context.
                if *run != (e.doc, e.section) {
                    *run = (e.doc, e.section);
                    *context = self.context(e);
                }
                relaxed.matches(&self.fields(e, context), lower, codes);
            },
        );
        found.settle_typos();
        found
    }

    /// What a piece of text is matched in, as a link's fields are: a
    /// heading's text as a title, any other's as an entry.
    fn fields<'a>(&'a self, e: NoteRef, context: &'a str) -> [&'a str; 4] {
        let doc = &self.notebook.documents[e.doc as usize];
        let text = doc.content(e.node);
        if matches!(doc.node(e.node).kind(), NodeKind::Heading { .. }) {
            [text, "", context, ""]
        } else {
            ["", text, context, ""]
        }
    }

    /// The headings above a piece of text, its document's title and tags.
    fn context(&self, e: NoteRef) -> String {
        let doc = &self.notebook.documents[e.doc as usize];
        let path = if (e.section as usize) < doc.sections.len() {
            doc.section_joined(e.section, " ")
        } else {
            String::new()
        };
        format!("{path} {} {}", doc.title, doc.tags.join(" "))
    }

    /// The pieces ranked by how much of `query` they hold, each with what
    /// matched (for each word, the field and how): what `search --notes
    /// --explain` says. `None` when the query has no plain word.
    pub fn ranked_explained(&self, query: &str) -> Option<Vec<(Hit, Explained)>> {
        let relaxed = Relaxed::new(query, &[])?;
        let found = self.ranked_matches(&relaxed, &|| false);
        Some(
            rank(&found, self.count_searchable())
                .into_iter()
                .map(|h| (h, found.explained(h.id)))
                .collect(),
        )
    }
}

/// Whether a node holds text to search: headings, items, paragraphs, quotes,
/// tables and code that are not empty.
fn holds_text(doc: &Document, node: u32) -> bool {
    let node = doc.node(node);
    matches!(
        node.kind(),
        NodeKind::Heading { .. }
            | NodeKind::Item { .. }
            | NodeKind::Paragraph
            | NodeKind::Quote
            | NodeKind::Table
            | NodeKind::Code
    ) && !node.content_span(&doc.source).is_empty()
}

impl<N: Deref<Target = Notebook> + Send + Sync> Corpus for NoteCorpus<N> {
    type Prepared = ContextValues;
    type Memo = ();

    fn len(&self) -> usize {
        self.end as usize
    }

    fn searchable(&self) -> usize {
        self.count_searchable()
    }

    fn holds(&self, id: u32, scorer: &mut Scorer) -> bool {
        self.entry_near(id, &mut scorer.doc_hint).is_some()
    }

    fn relaxed(
        &self,
        query: &str,
        strict: &[Hit],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<u32>> {
        let relaxed = Relaxed::new(query, &[])?;
        let found = self.ranked_matches(&relaxed, cancelled);
        if cancelled() {
            return None;
        }
        Some(bind_and_merge(
            self,
            query,
            strict,
            found,
            self.count_searchable(),
        ))
    }

    fn prepare(&self, _: &Query, _: &mut Scorer) -> ContextValues {
        ContextValues::new(&self.notebook)
    }

    fn score(
        &self,
        prepared: &ContextValues,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        let e = self.entry_near(id, &mut scorer.doc_hint)?;
        let doc = &self.notebook.documents[e.doc as usize];
        let text = doc.content(e.node);
        let context = prepared.get(&self.notebook, e.doc as usize, e.section, query, scorer);
        let field = Field {
            text,
            weight: weight::TEXT,
            fuzzy: text.len() <= FUZZY_MAX_BYTES,
        };
        scorer.rank(query, &[field], context, text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;
    use crate::notebook::model::NO_SECTION;
    use crate::search::worker::search_all;

    /// The ids a query finds, best first.
    fn hit_ids<C: Corpus>(corpus: &C, q: &str) -> Vec<u32> {
        search_all(corpus, &Query::new(q))
            .iter()
            .map(|h| h.id)
            .collect()
    }

    fn notebook() -> Notebook {
        let doc = parse_document(
            "n.md".into(),
            "# Post-Mortem\n## 2019\n- [Matrix](https://matrix.org)\n## 2023\n- [Reddit Pi](https://reddit.com) kubernetes upgrade\n".into(),
            false,
        );
        Notebook::new(".".into(), vec![doc])
    }

    #[test]
    fn a_narrowing_search_reuses_where_items_are_and_finds_the_same() {
        let text = "# Notes\n- [Kube](https://k8s.example) kubernetes upgrade\n  - a nested detail on kubelet\n- [Other](https://o.example) kubectl drain\n- [Pi](https://pi.example) not this one\n";
        let doc = parse_document("n.md".into(), text.into(), false);
        let nb = std::sync::Arc::new(Notebook::new(".".into(), vec![doc]));
        let corpus = std::sync::Arc::new(LinkCorpus::new(std::sync::Arc::clone(&nb)));
        let mut worker = crate::search::SearchWorker::start(std::sync::Arc::clone(&corpus), || {});
        // Growing the last word, a space, a new word, a third; and back.
        let typed = [
            "k",
            "ku",
            "kub",
            "kube",
            "kube ",
            "kube d",
            "kube dr",
            "kube drain",
            "kube drain u",
            "kube drain up",
            "kubel",
            "kube d",
        ];
        for q in typed {
            let generation = worker.search(q);
            let done = loop {
                let r = worker.results.recv().expect("worker alive");
                if r.generation == generation && r.done {
                    break r;
                }
            };
            let ids: Vec<u32> = done.hits.clone();
            assert_eq!(
                ids,
                crate::search::worker::search_ranked(corpus.as_ref(), q),
                "{q}"
            );
        }
        // What a memo holds is what scoring without one reads.
        let q = Query::new("kubelet");
        let prepared = corpus.prepare(&q, &mut Scorer::default());
        let mut memo = LinkMemo::default();
        let mut scorer = Scorer::default();
        let first = corpus.score_memo(&prepared, &q, 0, &mut memo, &mut scorer);
        assert!(first.is_some(), "kubelet is in the nested detail");
        assert_ne!(memo.span(0), None);
        assert_eq!(std::mem::size_of::<LinkMemo>(), 4);
        assert_eq!(
            corpus.score_memo(&prepared, &q, 0, &mut memo, &mut scorer),
            first
        );
        assert_eq!(corpus.score(&prepared, &q, 0, &mut scorer), first);
    }

    #[test]
    fn links_match_on_text_url_and_heading_path() {
        let nb = notebook();
        let corpus = LinkCorpus::new(&nb);
        let ids = |q: &str| hit_ids(&corpus, q);
        assert_eq!(ids("matrix 2019"), vec![0]);
        assert_eq!(ids("reddit.com"), vec![1]);
        assert_eq!(ids("postmortem"), vec![0, 1]);
        // The words of the item count too, not only the link text.
        assert_eq!(ids("kubernetes"), vec![1]);
        assert_eq!(ids("upgrade reddit"), vec![1]);
    }

    #[test]
    fn notes_match_on_all_text() {
        let nb = notebook();
        let corpus = NoteCorpus::new(&nb);
        assert_eq!(corpus.searchable(), 5);
        let hits = search_all(&corpus, &Query::new("kubernetes upgrade"));
        assert_eq!(hits.len(), 1);
        assert_eq!(
            corpus.entry(hits[0].id),
            Some(NoteRef {
                doc: 0,
                node: 5,
                section: 2
            })
        );
    }

    #[test]
    fn note_ids_run_over_every_document_and_only_text_nodes_answer() {
        let doc = |name: &str, text: &str| parse_document(name.into(), text.into(), false);
        let nb = Notebook::new(
            ".".into(),
            vec![
                doc("a.md", "---\ntitle: A\n---\n# H\n-\n---\ntext\n"),
                doc("empty.md", ""),
                doc("c.md", "para\n"),
            ],
        );
        let corpus = NoteCorpus::new(&nb);
        assert_eq!((corpus.len(), corpus.searchable()), (6, 3));
        let answers: Vec<Option<(u32, u32, u32)>> = (0..7)
            .map(|id| corpus.entry(id).map(|e| (e.doc, e.node, e.section)))
            .collect();
        assert_eq!(
            answers,
            vec![
                None,
                Some((0, 2, 0)),
                None,
                None,
                Some((0, 5, 0)),
                Some((2, 1, NO_SECTION)),
                None
            ]
        );
        let ids = |q: &str| hit_ids(&corpus, q);
        assert_eq!(ids("para"), vec![5]);
        assert_eq!(ids(""), vec![1, 4, 5]);
    }
}
