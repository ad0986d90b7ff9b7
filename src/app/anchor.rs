//! Keeping the user's place across re-reads: selections, open rows and the
//! editor's node are carried over by their byte offsets in the files, which
//! survive a re-parse where node and link ids do not.

use std::path::PathBuf;
use std::sync::Arc;

use super::state::App;
use super::tree::{Target, View};
use crate::notebook::{Bucket, Document, NodeId, Notebook};

/// Where a row points into a document: its path and a byte offset, which
/// survive a re-parse where node and link ids do not.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Anchor {
    /// A node by where it starts and, since a document, its first heading
    /// and its first item can all start at one byte, which of the nodes
    /// starting there it is (0 for the first).
    Node(PathBuf, u32, u32),
    Link(PathBuf, u32),
    Session(PathBuf, u32),
    Document(PathBuf),
    Postmortem(PathBuf),
    Action(PathBuf, u32),
    Other(Target),
}

fn anchor(nb: &Notebook, t: Target) -> Anchor {
    match t {
        Target::Node(d, n) => {
            let doc = &nb.documents[d as usize];
            let start = doc.node(n).span.start;
            let first = doc.nodes.partition_point(|x| x.span.start < start) as u32;
            Anchor::Node(doc.path.clone(), start, n.saturating_sub(first))
        }
        Target::Link(id) => match nb.link(id) {
            Some(l) => Anchor::Link(l.doc.path.clone(), l.link.offset),
            None => Anchor::Other(t),
        },
        Target::Session(d, i) => {
            let doc = &nb.documents[d as usize];
            Anchor::Session(
                doc.path.clone(),
                doc.node(doc.sessions[i as usize].node).span.start,
            )
        }
        Target::Document(d) => Anchor::Document(nb.documents[d as usize].path.clone()),
        Target::Postmortem(d) => Anchor::Postmortem(nb.documents[d as usize].path.clone()),
        Target::Action(d, n) => {
            let doc = &nb.documents[d as usize];
            Anchor::Action(doc.path.clone(), doc.node(n).span.start)
        }
        other => Anchor::Other(other),
    }
}

/// An anchor moved past a write that replaced `old` bytes at `at` with `new` bytes.
fn shifted(a: Anchor, write: Option<&(PathBuf, usize, usize, usize)>) -> Anchor {
    let Some((path, at, old, new)) = write else {
        return a;
    };
    let moved = |p: &PathBuf, off: u32| -> u32 {
        if p == path && off as usize >= at + old {
            (off as usize + new - old) as u32
        } else {
            off
        }
    };
    match a {
        Anchor::Node(p, o, k) => Anchor::Node(p.clone(), moved(&p, o), k),
        Anchor::Link(p, o) => Anchor::Link(p.clone(), moved(&p, o)),
        Anchor::Session(p, o) => Anchor::Session(p.clone(), moved(&p, o)),
        Anchor::Action(p, o) => Anchor::Action(p.clone(), moved(&p, o)),
        other => other,
    }
}

pub(super) fn node_at(doc: &Document, offset: u32) -> Option<NodeId> {
    let i = doc.nodes.partition_point(|n| n.span.start < offset);
    (doc.nodes.get(i)?.span.start == offset).then_some(i as NodeId)
}

/// The node nearest to where a node anchor pointed, when the node itself is
/// gone: the last node starting at or before that byte of its file.
fn nearest(nb: &Notebook, a: &Anchor) -> Option<(u32, NodeId)> {
    let Anchor::Node(p, off, _) = a else {
        return None;
    };
    let d = nb.document_index(p)?;
    let doc = &nb.documents[d];
    let i = doc.nodes.partition_point(|x| x.span.start <= *off);
    Some((d as u32, i.saturating_sub(1) as NodeId))
}

fn resolve(nb: &Notebook, a: &Anchor) -> Option<Target> {
    match a {
        Anchor::Node(p, off, k) => {
            let d = nb.document_index(p)?;
            let first = node_at(&nb.documents[d], *off)?;
            let n = first + k;
            let same_start = nb.documents[d]
                .nodes
                .get(n as usize)
                .is_some_and(|x| x.span.start == *off);
            same_start.then_some(Target::Node(d as u32, n))
        }
        Anchor::Link(p, off) => {
            let d = nb.document_index(p)?;
            let i = nb.documents[d]
                .links
                .iter()
                .position(|l| l.offset == *off)?;
            Some(Target::Link(nb.link_id(d, i)))
        }
        Anchor::Session(p, off) => {
            let d = nb.document_index(p)?;
            let doc = &nb.documents[d];
            let i = doc
                .sessions
                .iter()
                .position(|s| doc.node(s.node).span.start == *off)?;
            Some(Target::Session(d as u32, i as u32))
        }
        Anchor::Document(p) => nb.document_index(p).map(|d| Target::Document(d as u32)),
        Anchor::Postmortem(p) => nb.document_index(p).map(|d| Target::Postmortem(d as u32)),
        Anchor::Action(p, off) => {
            let d = nb.document_index(p)?;
            Some(Target::Action(d as u32, node_at(&nb.documents[d], *off)?))
        }
        Anchor::Other(t) => Some(*t),
    }
}

impl App {
    /// Puts a re-read document in place, keeping selections and open rows.
    pub fn document_reloaded(&mut self, doc: Document) {
        if let Some(e) = self.editor_mut()
            && e.path == doc.path
            && e.read_again(&doc.source)
        {
            let path = e.path.display().to_string();
            self.warn(format!(
                "{path} changed on disk, not where you edit: your text goes on over it"
            ));
        }
        let notebook = self.notebook.with_document(doc);
        self.swap_notebook(notebook);
        if let Some((path, offset)) = self.reveal_link.take()
            && let Some(d) = self.notebook.document_index(&path)
            && let Some(i) = self.notebook.documents[d]
                .links
                .iter()
                .position(|l| l.offset as usize >= offset)
        {
            let id = self.notebook.link_id(d, i);
            match self.view {
                View::Postmortems | View::Links => self.reveal(self.view, Target::Link(id)),
                _ => {
                    let node = self.notebook.documents[d].links[i].node();
                    self.reveal(View::Notebook, Target::Node(d as u32, node));
                }
            }
        }
        self.follow_editor();
    }

    /// Selects the row of the node being edited once it exists in the tree
    /// (a new session shows up in the calendar after its first save).
    fn follow_editor(&mut self) {
        let Some(e) = self.editor() else {
            return;
        };
        let Some(d) = self.notebook.document_index(&e.path) else {
            return;
        };
        let doc = &self.notebook.documents[d];
        let Some(node) = node_at(doc, e.start as u32) else {
            return;
        };
        if let Some(&(sd, si)) = self.index.session_of_node.get(&(d as u32, node)) {
            if self.view == View::Sessions {
                self.reveal(View::Sessions, Target::Session(sd, si));
            }
            if let Some(e) = self.editor_mut() {
                e.target = Target::Session(sd, si);
            }
        }
    }

    /// The notebook read again at the user's request.
    pub fn notebook_reloaded(&mut self, notebook: Notebook, problems: usize) {
        self.swap_notebook(notebook);
        if problems > 0 {
            self.warn(format!(
                "reloaded; {problems} file(s) had problems (see `opsbook tree`)"
            ));
        } else {
            self.say("reloaded");
        }
    }

    /// Replaces the notebook, carrying every view's selection and open rows
    /// over by position in the files.
    pub fn swap_notebook(&mut self, notebook: Notebook) {
        let old = Arc::clone(&self.notebook);
        let shift = self.last_write.take();
        let anchor = |nb: &Notebook, t: Target| shifted(anchor(nb, t), shift.as_ref());
        let saved: Vec<(Option<Anchor>, Vec<Anchor>)> = self
            .panes
            .iter()
            .map(|p| {
                (
                    p.selected_target().map(|t| anchor(&old, t)),
                    p.expanded.iter().map(|&t| anchor(&old, t)).collect(),
                )
            })
            .collect();
        let editor_anchor = self.editor().map(|e| anchor(&old, e.target));
        let old_buckets: Vec<Bucket> = self.index.buckets.iter().map(|(b, _)| *b).collect();
        for p in &mut self.panes {
            p.expanded.clear();
        }
        self.replace_notebook(notebook);
        // A year the change brought (a link added to 2026) opens, as the
        // years do at start while they list few links.
        let listed: usize = self.index.bucket_counts.values().sum();
        let new_years: Vec<Target> = if listed <= super::state::OPEN_AT_START {
            self.index
                .buckets
                .iter()
                .filter(|(b, _)| !old_buckets.contains(b))
                .map(|(b, _)| Target::Bucket(*b))
                .collect()
        } else {
            Vec::new()
        };
        for (v, (selected, expanded)) in View::ALL.into_iter().zip(saved) {
            let pane = &mut self.panes[v.index()];
            pane.expanded = expanded
                .iter()
                .filter_map(|a| resolve(&self.notebook, a))
                .collect();
            if v == View::Postmortems {
                pane.expanded.extend(new_years.iter().copied());
            }
            // A view not shown yet is listed when it is.
            if !pane.built && v != self.view {
                continue;
            }
            self.rebuild(v);
            let Some(a) = selected else { continue };
            let pane = &mut self.panes[v.index()];
            let exact = resolve(&self.notebook, &a)
                .and_then(|t| pane.rows.iter().position(|r| r.target == t));
            // A node that is gone, or hidden: its nearest row in its file,
            // the node before it or the nearest open one of its ancestors.
            let near = || {
                let (d, mut n) = nearest(&self.notebook, &a)?;
                let doc = &self.notebook.documents[d as usize];
                loop {
                    let t = Target::Node(d, n);
                    if let Some(i) = pane.rows.iter().position(|r| r.target == t) {
                        return Some(i);
                    }
                    if n == 0 {
                        return pane
                            .rows
                            .iter()
                            .position(|r| r.target == Target::Document(d));
                    }
                    n = doc.node(n).parent();
                }
            };
            if let Some(i) = exact.or_else(near) {
                pane.selected = i;
            }
        }
        let editor_target = editor_anchor.and_then(|a| resolve(&self.notebook, &a));
        if let (Some(e), Some(t)) = (self.editor_mut(), editor_target) {
            e.target = t;
        }
        self.keep_in_view();
    }
}
