//! What can be searched: every link of a notebook, or every piece of note text.

use std::ops::Deref;
use std::sync::OnceLock;

use super::worker::Corpus;
use super::{Query, Scorer};
use crate::notebook::{NodeKind, Notebook};

/// Atom scores of heading paths, computed the first time a candidate of
/// that section is scored: a query that stops early never scores the rest.
pub struct SectionScores {
    /// Index of each document's first section in `cells`.
    starts: Vec<usize>,
    cells: Vec<OnceLock<Vec<Option<u16>>>>,
}

impl SectionScores {
    fn new(notebook: &Notebook) -> SectionScores {
        let mut starts = Vec::with_capacity(notebook.documents.len());
        let mut n = 0;
        for d in &notebook.documents {
            starts.push(n);
            n += d.sections.len();
        }
        SectionScores {
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
    ) -> &'a [Option<u16>] {
        let d = &notebook.documents[doc];
        if section as usize >= d.sections.len() {
            return &[];
        }
        self.cells[self.starts[doc] + section as usize]
            .get_or_init(|| scorer.atom_scores(query, &d.section_joined(section, " > ")))
    }
}

/// Every link: its text, URL and heading path. Ids are link ids.
pub struct LinkCorpus<N>(pub N);

impl<N: Deref<Target = Notebook> + Send + Sync> Corpus for LinkCorpus<N> {
    type Prepared = SectionScores;

    fn len(&self) -> usize {
        self.0.link_count()
    }

    fn prepare(&self, _: &Query, _: &mut Scorer) -> SectionScores {
        SectionScores::new(&self.0)
    }

    fn score(
        &self,
        prepared: &SectionScores,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        let l = self.0.link(id)?;
        let sections = prepared.get(
            &self.0,
            l.doc_index,
            l.doc.section_index(l.link.node()),
            query,
            scorer,
        );
        scorer.score_with(query, &[l.text(), l.url()], sections)
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
                    node.kind,
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
    type Prepared = SectionScores;

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn prepare(&self, _: &Query, _: &mut Scorer) -> SectionScores {
        SectionScores::new(&self.notebook)
    }

    fn score(
        &self,
        prepared: &SectionScores,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        let e = self.entries.get(id as usize)?;
        let doc = &self.notebook.documents[e.doc as usize];
        let text = doc.content(e.node);
        let sections = prepared.get(&self.notebook, e.doc as usize, e.section, query, scorer);
        scorer.score_with(query, &[text], sections)
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
        assert_eq!(ids("kubernetes"), Vec::<u32>::new());
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
