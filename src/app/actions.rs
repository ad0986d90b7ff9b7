//! The Actions view's one write: marking an action done, or open again.

use super::effect::{Effect, Written};
use super::state::App;
use crate::notebook::NodeId;

impl App {
    /// Marks the action at a note's list item done (or open again), writing
    /// only its checkbox's mark (`[ ]` ↔ `[x]`); a plain bullet gets `[x] `
    /// before its text.
    pub(super) fn toggle_action(&mut self, doc: u32, node: NodeId) -> Vec<Effect> {
        let Some(a) = self.index.action(&self.notebook, doc, node).cloned() else {
            return Vec::new();
        };
        let d = std::sync::Arc::clone(&self.notebook.documents[doc as usize]);
        let said = if a.done {
            format!("open again: {}", a.text)
        } else {
            format!("done: {}", a.text)
        };
        self.write_edit(&d, a.toggle(), Written::Action(said))
    }
}
