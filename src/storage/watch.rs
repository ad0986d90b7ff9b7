//! Watching the notebook folder for notes changed by other programs.

use std::path::{Path, PathBuf};

use notify::Watcher;

use crate::notebook::is_note;

/// A running watch; it stops when dropped.
pub struct FolderWatch {
    _watcher: notify::RecommendedWatcher,
}

/// Watches `root` recursively and calls `changed` with the notes that were
/// created, changed or removed. opsbook's own temporary files are left out.
/// `None` when the platform cannot watch the folder.
pub fn watch(root: &Path, changed: impl Fn(Vec<PathBuf>) + Send + 'static) -> Option<FolderWatch> {
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        if matches!(ev.kind, notify::EventKind::Access(_)) {
            return;
        }
        let notes: Vec<_> = ev
            .paths
            .into_iter()
            .filter(|p| {
                let own_temp = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".opsbook-"));
                is_note(p) && !own_temp
            })
            .collect();
        if !notes.is_empty() {
            changed(notes);
        }
    })
    .ok()?;
    watcher.watch(root, notify::RecursiveMode::Recursive).ok()?;
    Some(FolderWatch { _watcher: watcher })
}
