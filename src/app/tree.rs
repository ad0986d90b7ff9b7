//! The navigation trees of the five views, built lazily from the notebook:
//! only the children of open rows are ever listed.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::notebook::actions::{ActionItem, notebook_actions};
use crate::notebook::model::ROOT;
use crate::notebook::nesting::{Nesting, PostmortemTree};
use crate::notebook::postmortem::{Day, PostmortemDoc};
use crate::notebook::{Bucket, LinkId, NodeId, NodeKind, Notebook};

/// The five views, in the order of the view bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum View {
    /// Links by year.
    Postmortems,
    /// Sessions by year.
    Sessions,
    /// Documents as written.
    Notebook,
    /// Every link, flat.
    Links,
    /// Action items by the note that leaves them.
    Actions,
}

impl View {
    /// Every view, in order.
    pub const ALL: [View; 5] = [
        View::Postmortems,
        View::Sessions,
        View::Notebook,
        View::Links,
        View::Actions,
    ];

    /// The title in the view bar.
    pub fn title(self) -> &'static str {
        match self {
            View::Postmortems => "Postmortems",
            View::Sessions => "Sessions",
            View::Notebook => "Notebook",
            View::Links => "Links",
            View::Actions => "Actions",
        }
    }

    /// Position in the view bar.
    pub fn index(self) -> usize {
        View::ALL.iter().position(|&v| v == self).unwrap_or(0)
    }
}

/// What a row of a navigation tree stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A postmortem year or General.
    Bucket(Bucket),
    /// A link.
    Link(LinkId),
    /// A year of sessions (`None`: year unknown).
    SessionYear(Option<i32>),
    /// A session: document and index in its `sessions`.
    Session(u32, u32),
    /// A document.
    Document(u32),
    /// A node of a document.
    Node(u32, u32),
    /// A tag of the Links view grouped by tag: index in `Index::tags`.
    Tag(u32),
    /// A postmortem document (Postmortems view): its document index.
    Postmortem(u32),
    /// An action item (Actions view): its document and list item.
    Action(u32, NodeId),
}

/// One visible row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// What it stands for.
    pub target: Target,
    /// Nesting depth, 0 at the top.
    pub depth: u16,
    /// Whether it has children.
    pub expandable: bool,
    /// Whether its children are shown.
    pub expanded: bool,
}

/// How the Links view is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkOrder {
    /// As they stand in the documents.
    Document,
    /// Newest postmortem year first, then the rest in document order.
    Year,
    /// Under the tags of their notes (front matter `tags`, `categories`, `keywords`).
    Tag,
}

impl LinkOrder {
    /// The order after this one (`s` in the Links view).
    pub fn next(self) -> LinkOrder {
        match self {
            LinkOrder::Document => LinkOrder::Year,
            LinkOrder::Year => LinkOrder::Tag,
            LinkOrder::Tag => LinkOrder::Document,
        }
    }
}

/// A session by document index and index in the document's `sessions`.
pub type SessionRef = (u32, u32);

/// Indexes of the notebook that the trees need, built once per load; those
/// of the Links view's other orders when first asked for.
pub struct Index {
    /// Postmortem buckets, newest first, with their top-level links (none
    /// for a year only postmortem documents have).
    pub buckets: Vec<(Bucket, Vec<LinkId>)>,
    /// The postmortem documents, newest first: see [`Index::date_postmortems`].
    pub postmortems: Vec<PostmortemDoc>,
    /// Number of links in each bucket, nested ones included.
    pub bucket_counts: HashMap<Bucket, usize>,
    /// Links nested under another link of the same bucket.
    pub nesting: Nesting,
    /// Session years, newest first (unknown last), with their sessions.
    pub session_years: Vec<(Option<i32>, Vec<SessionRef>)>,
    /// Session of a node, to show sessions in their own view.
    pub session_of_node: HashMap<(u32, u32), SessionRef>,
    /// Links sorted by year, for the Links view.
    links_by_year: OnceLock<Vec<LinkId>>,
    /// Tags (case folded, sorted) with the links of the notes that carry
    /// them; links of untagged notes under an empty tag, last.
    tags: OnceLock<Vec<(String, Vec<LinkId>)>>,
    /// The day postmortems and actions are dated as of.
    today: Day,
    /// Action items, newest postmortem's first: read when first asked for.
    actions: OnceLock<Vec<ActionItem>>,
}

impl Index {
    /// Builds the indexes; postmortem documents are dated as of `today`.
    pub fn new(nb: &Notebook, today: Day) -> Index {
        let PostmortemTree {
            buckets,
            counts: bucket_counts,
            nesting,
        } = PostmortemTree::new(nb);

        let mut years: std::collections::BTreeMap<Option<i32>, Vec<(u32, u32)>> =
            Default::default();
        let mut session_of_node = HashMap::new();
        for (d, doc) in nb.documents.iter().enumerate() {
            for (i, s) in doc.sessions.iter().enumerate() {
                years.entry(s.year).or_default().push((d as u32, i as u32));
                session_of_node.insert((d as u32, s.node), (d as u32, i as u32));
            }
        }
        let mut session_years: Vec<_> = years.into_iter().collect();
        // Newest first; unknown years (None sorts first) go last.
        session_years.sort_by(|a, b| match (a.0, b.0) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Greater,
            (_, None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => y.cmp(&x),
        });
        for (_, sessions) in &mut session_years {
            sessions.sort_by_key(|&(d, i)| {
                let s = &nb.documents[d as usize].sessions[i as usize];
                (s.month, s.day, d, i)
            });
        }

        let mut index = Index {
            buckets,
            postmortems: Vec::new(),
            bucket_counts,
            nesting,
            session_years,
            session_of_node,
            links_by_year: OnceLock::new(),
            tags: OnceLock::new(),
            today,
            actions: OnceLock::new(),
        };
        index.date_postmortems(nb, today);
        index
    }

    /// Finds and dates the postmortem documents as of `today` (no date
    /// after it counts), and lists a bucket for each year they have.
    pub fn date_postmortems(&mut self, nb: &Notebook, today: Day) {
        self.today = today;
        self.actions = OnceLock::new();
        self.postmortems = nb.postmortem_documents(today);
        // Buckets only documents made are made again.
        self.buckets.retain(|(_, ids)| !ids.is_empty());
        for p in &self.postmortems {
            let b = postmortem_bucket(p);
            if !self.buckets.iter().any(|(x, _)| *x == b) {
                self.buckets.push((b, Vec::new()));
            }
        }
        self.buckets.sort_by_key(|b| std::cmp::Reverse(b.0));
    }

    /// The postmortem documents of a bucket, newest first.
    pub fn postmortems_in(&self, b: Bucket) -> impl Iterator<Item = &PostmortemDoc> {
        self.postmortems
            .iter()
            .filter(move |p| postmortem_bucket(p) == b)
    }

    /// The notebook's action items, newest postmortem's first.
    pub fn actions(&self, nb: &Notebook) -> &[ActionItem] {
        self.actions
            .get_or_init(|| notebook_actions(nb, self.today))
    }

    /// The action item at a document's list item.
    pub fn action(&self, nb: &Notebook, doc: u32, node: NodeId) -> Option<&ActionItem> {
        self.actions(nb)
            .iter()
            .find(|a| a.doc == doc && a.node == node)
    }

    /// The documents with actions, in the order of their actions, with
    /// how many are open.
    pub fn action_sources(&self, nb: &Notebook) -> Vec<(u32, usize)> {
        let mut out: Vec<(u32, usize)> = Vec::new();
        for a in self.actions(nb) {
            match out.last_mut() {
                Some((d, n)) if *d == a.doc => *n += usize::from(!a.done),
                _ => out.push((a.doc, usize::from(!a.done))),
            }
        }
        out
    }

    /// Today's session, else the next one after today (sessions of a
    /// known year only).
    pub fn next_session(&self, nb: &Notebook) -> Option<SessionRef> {
        let today = (self.today.year, self.today.month, self.today.day);
        self.session_years
            .iter()
            .flat_map(|(_, s)| s.iter().copied())
            .filter_map(|(d, i)| {
                let s = &nb.documents[d as usize].sessions[i as usize];
                let date = (s.year?, s.month, s.day);
                (date >= today).then_some((date, (d, i)))
            })
            .min()
            .map(|(_, r)| r)
    }

    /// Whether a session is after today.
    pub fn is_upcoming(&self, s: &crate::notebook::Session) -> bool {
        s.year.is_some_and(|y| {
            (y, s.month, s.day) > (self.today.year, self.today.month, self.today.day)
        })
    }

    /// The day postmortems and actions are dated as of.
    pub fn today(&self) -> Day {
        self.today
    }

    /// A postmortem document by its document index.
    pub fn postmortem(&self, doc: u32) -> Option<&PostmortemDoc> {
        self.postmortems.iter().find(|p| p.doc == doc)
    }

    /// Links sorted by year, newest first, then the rest in document order.
    pub fn links_by_year(&self, nb: &Notebook) -> &[LinkId] {
        self.links_by_year.get_or_init(|| {
            // Each link's bucket is worked out once, not at every comparison.
            let mut keyed: Vec<(std::cmp::Reverse<Bucket>, LinkId)> = nb
                .links()
                .map(|l| (std::cmp::Reverse(l.bucket()), l.id))
                .collect();
            keyed.sort_unstable();
            keyed.into_iter().map(|(_, id)| id).collect()
        })
    }

    /// Tags (case folded, sorted) with the links of the notes that carry
    /// them; links of untagged notes under an empty tag, last.
    pub fn tags(&self, nb: &Notebook) -> &[(String, Vec<LinkId>)] {
        self.tags.get_or_init(|| {
            let mut by_tag: std::collections::BTreeMap<String, Vec<LinkId>> = Default::default();
            for l in nb.links() {
                if l.doc.tags.is_empty() {
                    by_tag.entry(String::new()).or_default().push(l.id);
                }
                let mut seen: Vec<String> = Vec::new();
                for t in &l.doc.tags {
                    let t = t.trim_start_matches('#').to_lowercase();
                    if !t.is_empty() && !seen.contains(&t) {
                        by_tag.entry(t.clone()).or_default().push(l.id);
                        seen.push(t);
                    }
                }
            }
            let untagged = by_tag.remove("");
            let mut tags: Vec<(String, Vec<LinkId>)> = by_tag.into_iter().collect();
            tags.extend(untagged.map(|ids| (String::new(), ids)));
            tags
        })
    }
}

/// The bucket a postmortem document is filed under: its year, else General.
pub fn postmortem_bucket(p: &PostmortemDoc) -> Bucket {
    p.year
        .and_then(|y| u16::try_from(y).ok())
        .map_or(Bucket::General, Bucket::Year)
}

/// Children of a target in a view.
pub fn children(nb: &Notebook, index: &Index, view: View, target: Target) -> Vec<Target> {
    match target {
        // A year's documents first, newest first, then its links.
        Target::Bucket(b) => index
            .postmortems_in(b)
            .map(|p| Target::Postmortem(p.doc))
            .chain(
                index
                    .buckets
                    .iter()
                    .find(|(x, _)| *x == b)
                    .into_iter()
                    .flat_map(|(_, ids)| ids.iter().map(|&id| Target::Link(id))),
            )
            .collect(),
        Target::Postmortem(_) | Target::Action(..) => Vec::new(),
        // A note's actions in its order, those done too (dimmed): marking
        // one done never moves it from under the cursor.
        Target::Document(d) if view == View::Actions => index
            .actions(nb)
            .iter()
            .filter(|a| a.doc == d)
            .map(|a| Target::Action(a.doc, a.node))
            .collect(),
        Target::Link(id) if view == View::Postmortems => {
            index.nesting.children(id).map(Target::Link).collect()
        }
        Target::Link(_) => Vec::new(),
        Target::Tag(t) => index
            .tags(nb)
            .get(t as usize)
            .map(|(_, ids)| ids.iter().map(|&id| Target::Link(id)).collect())
            .unwrap_or_default(),
        Target::SessionYear(y) => index
            .session_years
            .iter()
            .find(|(x, _)| *x == y)
            .map(|(_, s)| s.iter().map(|&(d, i)| Target::Session(d, i)).collect())
            .unwrap_or_default(),
        Target::Session(d, i) => {
            let doc = &nb.documents[d as usize];
            let node = doc.sessions[i as usize].node;
            doc.children(node).map(|c| Target::Node(d, c)).collect()
        }
        Target::Document(d) => {
            let doc = &nb.documents[d as usize];
            doc.children(ROOT)
                .filter(|&c| doc.node(c).kind() != NodeKind::FrontMatter)
                .map(|c| Target::Node(d, c))
                .collect()
        }
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            doc.children(n).map(|c| Target::Node(d, c)).collect()
        }
    }
}

fn has_children(nb: &Notebook, index: &Index, view: View, target: Target) -> bool {
    match target {
        Target::Link(id) => view == View::Postmortems && index.nesting.has_children(id),
        Target::Postmortem(_) | Target::Action(..) => false,
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            doc.node(n).next > n + 1
        }
        Target::Session(d, i) => {
            let doc = &nb.documents[d as usize];
            let n = doc.sessions[i as usize].node;
            doc.node(n).next > n + 1
        }
        _ => true,
    }
}

/// The top-level rows of a view.
pub fn roots(nb: &Notebook, index: &Index, view: View, order: LinkOrder) -> Vec<Target> {
    match view {
        View::Postmortems => index
            .buckets
            .iter()
            .map(|(b, _)| Target::Bucket(*b))
            .collect(),
        View::Sessions => index
            .session_years
            .iter()
            .map(|(y, _)| Target::SessionYear(*y))
            .collect(),
        View::Notebook => (0..nb.documents.len() as u32)
            .map(Target::Document)
            .collect(),
        View::Links => match order {
            LinkOrder::Document => (0..nb.link_count() as LinkId).map(Target::Link).collect(),
            LinkOrder::Year => index
                .links_by_year(nb)
                .iter()
                .map(|&id| Target::Link(id))
                .collect(),
            LinkOrder::Tag => (0..index.tags(nb).len() as u32).map(Target::Tag).collect(),
        },
        View::Actions => index
            .action_sources(nb)
            .into_iter()
            .map(|(d, _)| Target::Document(d))
            .collect(),
    }
}

/// The visible rows of a view: the roots and the children of open rows.
pub fn flatten(
    nb: &Notebook,
    index: &Index,
    view: View,
    order: LinkOrder,
    expanded: &HashSet<Target>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut stack: Vec<(Target, u16)> = roots(nb, index, view, order)
        .into_iter()
        .rev()
        .map(|t| (t, 0))
        .collect();
    while let Some((target, depth)) = stack.pop() {
        let expandable = has_children(nb, index, view, target);
        let open = expandable && expanded.contains(&target);
        rows.push(Row {
            target,
            depth,
            expandable,
            expanded: open,
        });
        if open {
            for c in children(nb, index, view, target).into_iter().rev() {
                stack.push((c, depth + 1));
            }
        }
    }
    rows
}

/// The targets to open so that `target` is visible in `view`, outermost first.
pub fn ancestors(nb: &Notebook, index: &Index, view: View, target: Target) -> Vec<Target> {
    let mut out = Vec::new();
    match (view, target) {
        (View::Postmortems, Target::Link(id)) => {
            let mut cur = id;
            while let Some(p) = index.nesting.parent(cur) {
                out.push(Target::Link(p));
                cur = p;
            }
            if let Some(l) = nb.link(id) {
                out.push(Target::Bucket(l.bucket()));
            }
        }
        (View::Actions, Target::Action(d, _)) => out.push(Target::Document(d)),
        (View::Postmortems, Target::Postmortem(d)) => {
            if let Some(p) = index.postmortem(d) {
                out.push(Target::Bucket(postmortem_bucket(p)));
            }
        }
        (View::Sessions, Target::Session(d, i)) => {
            out.push(Target::SessionYear(
                nb.documents[d as usize].sessions[i as usize].year,
            ));
        }
        (View::Sessions, Target::Node(d, n)) => {
            let doc = &nb.documents[d as usize];
            let mut cur = doc.node(n).parent();
            while cur != ROOT {
                if let Some(&(sd, si)) = index.session_of_node.get(&(d, cur)) {
                    out.push(Target::Session(sd, si));
                    out.push(Target::SessionYear(doc.sessions[si as usize].year));
                    break;
                }
                out.push(Target::Node(d, cur));
                cur = doc.node(cur).parent();
            }
        }
        (View::Links, Target::Link(id)) => {
            // Grouped by tag: the first tag of its note.
            // Each tag's ids are in ascending order.
            if let Some(t) = index
                .tags(nb)
                .iter()
                .position(|(_, ids)| ids.binary_search(&id).is_ok())
            {
                out.push(Target::Tag(t as u32));
            }
        }
        (View::Notebook, Target::Node(d, n)) => {
            let doc = &nb.documents[d as usize];
            let mut cur = doc.node(n).parent();
            while cur != ROOT {
                out.push(Target::Node(d, cur));
                cur = doc.node(cur).parent();
            }
            out.push(Target::Document(d));
        }
        _ => {}
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;

    const TODAY: Day = Day {
        year: 2026,
        month: 12,
        day: 6,
    };

    #[test]
    fn postmortem_documents_are_listed_under_their_year_before_its_links() {
        let nb = Notebook::new(
            ".".into(),
            vec![
                parse_document(
                    "pm.md".into(),
                    "# Post-mortems\n## 2021\n- [A](https://a)\n".into(),
                    false,
                ),
                parse_document(
                    "incidents/2021-03-31-adfs.md".into(),
                    "# ADFS\n".into(),
                    false,
                ),
                parse_document(
                    "incidents/2019-01-02-dns.md".into(),
                    "# DNS\n".into(),
                    false,
                ),
                parse_document("incidents/undated.md".into(), "# Disk\n".into(), false),
            ],
        );
        let index = Index::new(&nb, TODAY);
        assert_eq!(
            roots(&nb, &index, View::Postmortems, LinkOrder::Document),
            vec![
                Target::Bucket(Bucket::Year(2021)),
                Target::Bucket(Bucket::Year(2019)),
                Target::Bucket(Bucket::General),
            ]
        );
        let under = |b| children(&nb, &index, View::Postmortems, Target::Bucket(b));
        assert_eq!(
            under(Bucket::Year(2021)),
            vec![Target::Postmortem(1), Target::Link(0)]
        );
        assert_eq!(under(Bucket::Year(2019)), vec![Target::Postmortem(2)]);
        assert_eq!(under(Bucket::General), vec![Target::Postmortem(3)]);
        assert_eq!(
            ancestors(&nb, &index, View::Postmortems, Target::Postmortem(2)),
            vec![Target::Bucket(Bucket::Year(2019))]
        );
        // Dated as of a day before the incident: the name's date is no date.
        let mut index = index;
        index.date_postmortems(
            &nb,
            Day {
                year: 2020,
                month: 1,
                day: 1,
            },
        );
        assert_eq!(
            roots(&nb, &index, View::Postmortems, LinkOrder::Document),
            vec![
                Target::Bucket(Bucket::Year(2021)),
                Target::Bucket(Bucket::Year(2019)),
                Target::Bucket(Bucket::General),
            ]
        );
        assert_eq!(
            children(
                &nb,
                &index,
                View::Postmortems,
                Target::Bucket(Bucket::General)
            ),
            vec![Target::Postmortem(1), Target::Postmortem(3)]
        );
    }

    #[test]
    fn nested_links_are_found_both_ways_and_years_order_the_links_view() {
        let text = "# Post-mortems\n## 2019\n- [C](https://c)\n  - [C1](https://c1)\n\
                    ## 2020\n- [A](https://a)\n  - [A1](https://a1)\n    - [A11](https://a11)\n\
                    \x20 - [A2](https://a2)\n- [B](https://b)\n";
        let nb = Notebook::new(
            ".".into(),
            vec![parse_document("pm.md".into(), text.into(), false)],
        );
        let index = Index::new(&nb, TODAY);
        let n = &index.nesting;
        let children = |id| n.children(id).collect::<Vec<_>>();
        assert_eq!(
            (children(0), children(2), children(3), children(6)),
            (vec![1], vec![3, 5], vec![4], vec![])
        );
        assert_eq!(
            (0..7).map(|id| n.parent(id)).collect::<Vec<_>>(),
            vec![None, Some(0), None, Some(2), Some(3), Some(2), None]
        );
        assert!(n.has_children(3) && !n.has_children(4));
        assert_eq!(index.links_by_year(&nb), [2, 3, 4, 5, 6, 0, 1]);
        assert_eq!(
            index.buckets,
            vec![
                (Bucket::Year(2020), vec![2, 6]),
                (Bucket::Year(2019), vec![0])
            ]
        );
    }
}
