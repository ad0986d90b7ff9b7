//! Notes on disk: loading a folder, writing safely, the crash journal, and
//! watching for changes. Depends on the pure model in `notebook`; nothing in
//! `notebook` depends on it.

pub mod journal;
pub mod load;
pub mod process;
pub mod read;
pub mod watch;
pub mod write;

pub use load::{
    EXAMPLES, LoadError, Loaded, MAX_FILE_BYTES, Problem, create_from_examples,
    default_notebook_dir, load, reload_document,
};
pub use read::{ReadError, read_bounded};
pub use write::{
    SaveError, atomic_write, atomic_write_checked, write_computed, write_edit, write_new,
};
