//! opsbook: a terminal notebook and link browser over a folder of Markdown notes.
//!
//! - [`notebook`] reads the folder into a tree (no terminal code).
//! - [`search`] matches queries against links and note text (no terminal code).

pub mod app;
pub mod cli;
pub mod effects;
pub mod keymap;
pub mod notebook;
pub mod search;
pub mod synth;
pub mod tui;
pub mod ui;
