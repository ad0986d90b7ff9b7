//! Postmortem links as the views list them: by bucket (year or General),
//! and a link nested under another when it stands in an item under that
//! link's item (a follow-up, a detail), as the Postmortems view and the
//! shared page show them.

use std::collections::HashMap;

use super::model::ROOT;
use super::{Bucket, LinkId, NodeId, NodeKind, Notebook};

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
        // The first link of each node on the way from the root to the last
        // link's node, outermost first. A bucket lists a document's links
        // in document order, where a node's descendants follow it: a node
        // that is not an ancestor of this link's is not one of any link
        // after it either, so it leaves the stack for good. A map of every
        // node's first link took the tree 134 ms at 1M links, against 57.
        let mut firsts: Vec<(NodeId, LinkId)> = Vec::new();
        let mut ancestors: Vec<NodeId> = Vec::new();
        for (bucket, ids) in nb.postmortems() {
            counts.insert(bucket, ids.len());
            let mut roots = Vec::new();
            let (mut hint, mut doc_of_stack) = (0, usize::MAX);
            for &id in &ids {
                let Some(l) = nb.link_near(id, &mut hint) else {
                    continue;
                };
                if l.doc_index != doc_of_stack {
                    doc_of_stack = l.doc_index;
                    firsts.clear();
                }
                let own = l.link.node();
                ancestors.clear();
                let mut node = l.doc.node(own).parent();
                while node != ROOT {
                    ancestors.push(node);
                    node = l.doc.node(node).parent();
                }
                while firsts
                    .last()
                    .is_some_and(|&(n, _)| n != own && !ancestors.contains(&n))
                {
                    firsts.pop();
                }
                // Nested under the nearest item above with a link, looked
                // for up to the link's heading (whose own link counts).
                let nearest = firsts.iter().rev().find(|&&(n, _)| n != own);
                let mut parent = None;
                if let Some(&(holder, first)) = nearest {
                    for &a in &ancestors {
                        if a == holder {
                            parent = Some(first);
                            break;
                        }
                        if let NodeKind::Heading { .. } = l.doc.node(a).kind() {
                            break;
                        }
                    }
                }
                if firsts.last().is_none_or(|&(n, _)| n != own) {
                    firsts.push((own, id));
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;

    /// Each link's parent, by id.
    fn parents(docs: &[(&str, &str)]) -> Vec<Option<LinkId>> {
        let nb = Notebook::new(
            ".".into(),
            docs.iter()
                .map(|(path, text)| parse_document((*path).into(), (*text).into(), false))
                .collect(),
        );
        let tree = PostmortemTree::new(&nb);
        (0..nb.link_count() as LinkId)
            .map(|id| tree.nesting.parent(id))
            .collect()
    }

    #[test]
    fn a_link_nests_under_the_nearest_item_above_it_that_holds_one() {
        let text = "# Post-mortems\n## 2020\n\
                    - [A](https://a) and [A'](https://a2)\n\
                    \x20 - [B](https://b)\n\
                    \x20   - plain detail\n\
                    \x20     - [C](https://c)\n\
                    \n\
                    \x20 after the list, [D](https://d)\n\
                    - [E](https://e)\n";
        // A' shares A's item: not nested under it. C skips the item without
        // a link; D, in A's item after its list, comes back to A.
        assert_eq!(
            parents(&[("pm.md", text)]),
            vec![None, None, Some(0), Some(2), Some(0), None]
        );
    }

    #[test]
    fn a_heading_bounds_the_nesting_but_its_own_link_is_a_parent() {
        let text = "# [Post-mortems](https://pm)\n## Sub\n- [A](https://a)\n\
                    ## [Heading](https://h)\n- [B](https://b)\n  - [C](https://c)\n";
        // A stops at its heading, which holds no link; the second heading
        // holds one, which takes B (and is itself under the first's).
        assert_eq!(
            parents(&[("pm.md", text)]),
            vec![None, None, Some(0), Some(2), Some(3)]
        );
    }

    #[test]
    fn nesting_stays_within_a_document() {
        // The second note's item `x` is node 4, as the first's item `A` is.
        let first = "# Post-mortems\n## 2022\n- [A](https://a)\n";
        let second = "# Post-mortems\n## 2022\n- x\n  - [B](https://b)\n";
        assert_eq!(
            parents(&[("a.md", first), ("b.md", second)]),
            vec![None, None]
        );
    }
}
