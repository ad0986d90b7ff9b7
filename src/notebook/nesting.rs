//! Postmortem links as the views list them: by bucket (year or General),
//! and a link nested under another when it stands in an item under that
//! link's item (a follow-up, a detail), as the Postmortems view and the
//! shared page show them.

use std::collections::HashMap;

use super::model::ROOT;
use super::{Bucket, LinkId, NodeKind, Notebook};

/// Links nested under another link (a link in an item under a link's
/// item), as pairs sorted both ways: 16 bytes a nested link, where maps of
/// lists took 90.
#[derive(Default)]
pub struct Nesting {
    /// (parent, child), sorted: a link's children are one run.
    by_parent: Vec<(LinkId, LinkId)>,
    /// (child, parent), sorted.
    by_child: Vec<(LinkId, LinkId)>,
}

impl Nesting {
    /// The links nested directly under `id`, in document order.
    pub fn children(&self, id: LinkId) -> impl Iterator<Item = LinkId> + '_ {
        let from = self.by_parent.partition_point(|&(p, _)| p < id);
        self.by_parent[from..]
            .iter()
            .take_while(move |&&(p, _)| p == id)
            .map(|&(_, c)| c)
    }

    /// Whether any link is nested under `id`.
    pub fn has_children(&self, id: LinkId) -> bool {
        self.children(id).next().is_some()
    }

    /// The link `id` is nested under.
    pub fn parent(&self, id: LinkId) -> Option<LinkId> {
        self.by_child
            .binary_search_by_key(&id, |&(c, _)| c)
            .ok()
            .map(|i| self.by_child[i].1)
    }
}

/// The postmortem links by bucket, newest first, with what is nested where.
pub struct PostmortemTree {
    /// Buckets, newest first, with their top-level links.
    pub buckets: Vec<(Bucket, Vec<LinkId>)>,
    /// Number of links in each bucket, nested ones included.
    pub counts: HashMap<Bucket, usize>,
    /// Links nested under another link of the same bucket.
    pub nesting: Nesting,
}

impl PostmortemTree {
    /// The tree of a notebook's postmortem links.
    pub fn new(nb: &Notebook) -> PostmortemTree {
        let mut buckets: Vec<(Bucket, Vec<LinkId>)> = Vec::new();
        let mut counts = HashMap::new();
        let mut by_child: Vec<(LinkId, LinkId)> = Vec::new();
        for (bucket, ids) in nb.postmortems() {
            counts.insert(bucket, ids.len());
            // The first link of each item, to nest links of nested items under it.
            let mut first_link_of_node: HashMap<(usize, u32), LinkId> = HashMap::new();
            let mut roots = Vec::new();
            for &id in &ids {
                let Some(l) = nb.link(id) else { continue };
                let mut parent = None;
                let mut node = l.doc.node(l.link.node()).parent();
                while node != ROOT {
                    if let Some(&p) = first_link_of_node.get(&(l.doc_index, node)) {
                        parent = Some(p);
                        break;
                    }
                    if let NodeKind::Heading { .. } = l.doc.node(node).kind() {
                        break;
                    }
                    node = l.doc.node(node).parent();
                }
                first_link_of_node
                    .entry((l.doc_index, l.link.node()))
                    .or_insert(id);
                match parent {
                    Some(p) => by_child.push((id, p)),
                    None => roots.push(id),
                }
            }
            roots.shrink_to_fit();
            buckets.push((bucket, roots));
        }
        by_child.sort_unstable();
        let mut by_parent: Vec<(LinkId, LinkId)> = by_child.iter().map(|&(c, p)| (p, c)).collect();
        by_parent.sort_unstable();

        PostmortemTree {
            buckets,
            counts,
            nesting: Nesting {
                by_parent,
                by_child,
            },
        }
    }
}
