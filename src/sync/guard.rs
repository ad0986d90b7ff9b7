//! What a sync finds before it starts, and what it leaves while it runs.
//!
//! A sync marks the git folder (`opsbook-sync`) with who runs it and, while
//! it moves the branch, where from and where to. The next sync that finds a
//! mark whose program is gone knows that opsbook's own git was stopped: it
//! removes the locks that git left and finishes the move. A rebase, a merge
//! or a lock with no such mark is somebody else's: it is named, and nothing
//! is touched.

use std::fs;
use std::path::{Path, PathBuf};

use super::git::Git;
use crate::storage::process::Instance;

/// The mark's file name, in the git folder.
const MARK: &str = "opsbook-sync";

/// The mark of a running sync; removed when dropped.
pub struct Mark {
    path: PathBuf,
    me: Instance,
    /// The move under way, if one is: its lines of the mark (`moving FROM
    /// TO`, `branch REF`), written again if the sync ends before it does.
    moving: std::cell::RefCell<Option<String>>,
}

/// What a stopped sync left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Left {
    /// Lock files its git left, removed.
    pub locks: Vec<PathBuf>,
    /// The move it was making: from one commit to another.
    pub moving: Option<(String, String)>,
    /// The branch it was moving (`refs/heads/main`): a move is finished
    /// only on that branch, not on one checked out since.
    pub branch: Option<String>,
}

/// Why a sync does not start: a rebase, merge, cherry-pick or revert some
/// program left in progress (checked before a stopped sync is finished, so
/// that nothing of it is touched).
pub fn foreign_operation(git: &Git, dir: &Path) -> Option<String> {
    foreign_state(git, dir).filter(|why| !why.contains(" is held "))
}

/// Why a sync does not start: what another program is doing in the work tree.
pub fn foreign_state(git: &Git, dir: &Path) -> Option<String> {
    let gd = git.git_dir()?;
    let place = dir.display();
    if gd.join("rebase-merge").exists() || gd.join("rebase-apply").exists() {
        return Some(format!(
            "a rebase is in progress in {place}: finish it (git rebase --continue) or abort it (git rebase --abort)"
        ));
    }
    for (file, what) in [
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ] {
        if gd.join(file).exists() {
            return Some(format!(
                "{what} is in progress in {place}: finish or abort it"
            ));
        }
    }
    if let Some(lock) = git.locks().first() {
        return Some(format!(
            "{} is held (is another git running?): let it finish, or remove the file if none is",
            lock.display()
        ));
    }
    None
}

impl Mark {
    /// Marks the git folder for this sync; first takes over from a sync
    /// that was stopped (its program gone), saying what it left. `Err`
    /// when another sync is running.
    pub fn take(git: &Git) -> Result<(Mark, Option<Left>), String> {
        let gd = git
            .git_dir()
            .ok_or_else(|| "no git folder found".to_string())?;
        let path = gd.join(MARK);
        let me = Instance::this();
        let mut left = None;
        if let Ok(text) = fs::read_to_string(&path) {
            let mut lines = text.lines();
            let owner = lines.next().and_then(Instance::parse);
            if owner.is_some_and(|o| o.alive() && o != me) {
                return Err(format!(
                    "another opsbook is syncing {} (pid {})",
                    git.dir.display(),
                    owner.map_or(0, |o| o.pid)
                ));
            }
            let rest: Vec<&str> = lines.collect();
            let moving = rest.iter().find_map(|l| {
                let rest = l.strip_prefix("moving ")?;
                let (from, to) = rest.split_once(' ')?;
                Some((from.to_string(), to.to_string()))
            });
            let branch = rest
                .iter()
                .find_map(|l| l.strip_prefix("branch "))
                .map(str::to_string);
            // Its git is gone with it: the locks it held are left over. Only
            // those made while it ran (from the mark's last writing, a git
            // command at most later): a lock made since is another git's.
            let written = fs::metadata(&path).and_then(|m| m.modified()).ok();
            let made_by_it = |lock: &PathBuf| {
                let made = fs::metadata(lock).and_then(|m| m.modified()).ok();
                match (written, made) {
                    (Some(w), Some(m)) => m <= w + git.timeout,
                    _ => false,
                }
            };
            let locks: Vec<PathBuf> = git.locks().into_iter().filter(made_by_it).collect();
            for lock in &locks {
                let _ = fs::remove_file(lock);
            }
            left = Some(Left {
                locks,
                moving,
                branch,
            });
        }
        write_whole(&path, &format!("{}\n", me.label())).map_err(|e| e.to_string())?;
        Ok((
            Mark {
                path,
                me,
                moving: Default::default(),
            },
            left,
        ))
    }

    /// Notes in the mark that the branch is moving from `from` to `to`.
    pub fn moving(&self, from: &str, to: &str, branch: &str) {
        let lines = format!("moving {from} {to}\nbranch {branch}\n");
        let _ = write_whole(&self.path, &format!("{}\n{lines}", self.me.label()));
        *self.moving.borrow_mut() = Some(lines);
    }

    /// The move is done.
    pub fn moved(&self) {
        *self.moving.borrow_mut() = None;
        let _ = write_whole(&self.path, &format!("{}\n", self.me.label()));
    }
}

/// Writes the mark whole (a temporary file renamed over it): a reader never
/// sees it empty.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    crate::storage::atomic_write(path, text.as_bytes())
}

impl Drop for Mark {
    /// A sync that ends mid-move (a file changed meanwhile, an error) leaves
    /// the move for the next sync to finish, owned by nobody; else the mark
    /// goes.
    fn drop(&mut self) {
        match self.moving.borrow().as_ref() {
            Some(lines) => {
                let _ = write_whole(&self.path, &format!("0-0\n{lines}"));
            }
            None => {
                let _ = fs::remove_file(&self.path);
            }
        }
    }
}

/// A moment a test chooses for the sync to die as `kill -9` would (no
/// clean-up runs): `OPSBOOK_TEST_CRASH_AT=moving:2` after the second file
/// of a move is written, `before-ref` before the branch moves. Unset, as
/// everywhere but the fault tests, it does nothing.
pub fn crash_point(step: &str, n: usize) {
    if let Ok(at) = std::env::var("OPSBOOK_TEST_CRASH_AT")
        && (at == format!("{step}:{n}") || (n == 0 && at == step))
    {
        std::process::abort();
    }
}
