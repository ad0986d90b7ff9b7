//! What can be searched: every link of a notebook, or every piece of note text.

use std::ops::Deref;
use std::sync::OnceLock;

use super::rank::{Field, weight};
use super::worker::Corpus;
use super::{Query, Scorer};
use crate::notebook::{NodeKind, Notebook};

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
            let mut parts: Vec<String> = if cell < d.sections.len() {
                d.section_path(section)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            } else {
                Vec::new()
            };
            if parts.first().map(String::as_str) != Some(&*d.title) {
                parts.push(d.title.to_string());
            }
            parts.extend(d.tags.iter().map(|t| format!("#{t}")));
            let mut best: Vec<Option<u32>> = vec![None; query.len()];
            for part in &parts {
                let field = Field {
                    text: part,
                    weight: weight::CONTEXT,
                    fuzzy: part.len() <= FUZZY_MAX_BYTES,
                };
                for (b, v) in best.iter_mut().zip(scorer.atom_values(query, field)) {
                    *b = (*b).max(v);
                }
            }
            best
        })
    }
}

/// Every link: its title, the text of its item, its URL, and its context
/// (document title, headings, tags). Ids are link ids.
pub struct LinkCorpus<N>(pub N);

impl<N: Deref<Target = Notebook> + Send + Sync> Corpus for LinkCorpus<N> {
    type Prepared = ContextValues;

    fn len(&self) -> usize {
        self.0.link_count()
    }

    fn prepare(&self, _: &Query, _: &mut Scorer) -> ContextValues {
        ContextValues::new(&self.0)
    }

    fn score(
        &self,
        prepared: &ContextValues,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        let l = self.0.link_near(id, &mut scorer.doc_hint)?;
        let context = prepared.get(
            &self.0,
            l.doc_index,
            l.doc.section_index(l.link.node()),
            query,
            scorer,
        );
        let text = l.text();
        let url = l.url();
        let item = &l.doc.source[l.doc.link_item_span(l.link)];
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

/// Every piece of note text with its heading path. Ids index `entries`.
pub struct NoteCorpus<N> {
    notebook: N,
    /// The searchable nodes, in document order.
    pub entries: Vec<NoteRef>,
}

impl<N: Deref<Target = Notebook>> NoteCorpus<N> {
    /// Indexes the text nodes of a notebook.
    pub fn new(notebook: N) -> Self {
        let mut entries = Vec::new();
        for (d, doc) in notebook.documents.iter().enumerate() {
            for (i, node) in doc.nodes.iter().enumerate().skip(1) {
                let searchable = matches!(
                    node.kind(),
                    NodeKind::Heading { .. }
                        | NodeKind::Item { .. }
                        | NodeKind::Paragraph
                        | NodeKind::Quote
                        | NodeKind::Table
                        | NodeKind::Code
                );
                if searchable && !node.content_span(&doc.source).is_empty() {
                    entries.push(NoteRef {
                        doc: d as u32,
                        node: i as u32,
                        section: doc.section_index(i as u32),
                    });
                }
            }
        }
        NoteCorpus { notebook, entries }
    }
}

impl<N: Deref<Target = Notebook> + Send + Sync> Corpus for NoteCorpus<N> {
    type Prepared = ContextValues;

    fn len(&self) -> usize {
        self.entries.len()
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
        let e = self.entries.get(id as usize)?;
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
    use crate::search::worker::search_all;

    fn notebook() -> Notebook {
        let doc = parse_document(
            "n.md".into(),
            "# Post-Mortem\n## 2019\n- [Matrix](https://matrix.org)\n## 2023\n- [Reddit Pi](https://reddit.com) kubernetes upgrade\n".into(),
            false,
        );
        Notebook::new(".".into(), vec![doc])
    }

    #[test]
    fn links_match_on_text_url_and_heading_path() {
        let nb = notebook();
        let corpus = LinkCorpus(&nb);
        let ids = |q: &str| {
            search_all(&corpus, &Query::new(q))
                .into_iter()
                .map(|h| h.id)
                .collect::<Vec<_>>()
        };
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
        assert_eq!(corpus.entries.len(), 5);
        let hits = search_all(&corpus, &Query::new("kubernetes upgrade"));
        assert_eq!(hits.len(), 1);
        assert_eq!(
            corpus.entries[hits[0].id as usize],
            NoteRef {
                doc: 0,
                node: 5,
                section: 2
            }
        );
    }
}
