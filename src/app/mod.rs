//! The application: actions, state, and the update that applies one to the
//! other. No terminal and no I/O here; effects are carried out by the runtime.

pub mod action;
pub mod editing;
pub mod editor;
pub mod safety;
pub mod state;
pub mod tree;
pub mod update;

pub use action::Action;
pub use state::{App, Effect, Scope};
pub use tree::{Target, View};
