//! opsbook: a terminal notebook and link browser over a folder of Markdown notes.
//!
//! Dependencies point one way, from the edge inwards:
//! - [`notebook`] is the pure model: parsing, links, sessions, edits as byte ranges.
//! - [`storage`] reads and writes it on disk (load, atomic writes, journal, watching).
//! - [`search`] matches queries against links and note text.
//! - [`app`] is the state and the update that applies inputs to it: no I/O, no clock.
//! - [`keymap`] and [`input`] turn terminal events into the app's inputs.
//! - [`ui`] draws the state; [`runtime`] carries out the app's effects;
//!   [`tui`] runs the terminal and the event loop; [`cli`] the headless commands.

pub mod app;
pub mod cli;
pub mod columns;
pub mod config;
pub mod escape;
pub mod health;
pub mod input;
pub mod keymap;
pub mod memory;
pub mod notebook;
pub mod pages;
pub mod runtime;
pub mod search;
pub mod storage;
pub mod sync;
pub mod synth;
pub mod tui;
pub mod ui;
