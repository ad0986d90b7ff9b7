//! The application: actions, state, and the update that applies one to the
//! other. No terminal, no file system and no clock here: time comes in with
//! each input, and what needs the outside world leaves as an [`Effect`] for
//! the runtime to carry out.

pub mod action;
mod actions;
mod anchor;
pub mod conflict;
pub mod editor;
mod editor_actions;
pub mod effect;
pub mod git;
pub mod health;
pub mod layout;
pub mod overlay;
pub mod pages;
mod prompts;
mod recovery;
pub mod safety;
mod save;
mod search;
pub mod state;
pub mod tree;
pub mod update;

pub use action::{ACTIONS, Action, Input, Mode, Point, Spec};
pub use effect::{Effect, WriteRequest};
pub use overlay::{Main, MergeTarget, Overlay, Scope};
pub use recovery::diff_lines;
pub use save::AUTOSAVE_AFTER;
pub use state::App;
pub use tree::{Target, View};
