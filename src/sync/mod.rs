//! A team's notebook in git: commit opsbook's saved changes with messages
//! that say what changed, bring in the others' commits, push. When both
//! sides changed one note, the three versions merge line by line (sessions
//! added at the end of one calendar by two people keep both); only lines
//! changed on both sides are left for the user, and nothing from either
//! side is lost. Kept apart from the UI, as gitui keeps `asyncgit`.

pub mod git;
pub mod guard;
pub mod message;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use git::{Git, GitError};

use crate::notebook::is_note;
use crate::notebook::merge::{Merge, merge3};

/// Something for git to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GitRequest {
    /// Where the work tree stands.
    Status,
    /// Commit opsbook's saved changes.
    Commit,
    /// Commit, pull, push.
    Sync,
    /// Finish a sync with the notes as the user chose them.
    Resolve(Vec<(PathBuf, String)>),
}

/// What git did.
#[derive(Debug)]
pub enum GitAnswer {
    /// Where the work tree stands (`None`: not a work tree).
    Status(Option<Status>),
    /// A commit (its message), nothing to commit, or why it failed.
    Committed(Result<Option<String>, SyncError>),
    /// A sync (or a resolved one), or why it failed.
    Synced(Result<Report, SyncError>),
}

/// Where a work tree stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The branch checked out (`None`: HEAD is detached).
    pub branch: Option<String>,
    /// Commits not yet pushed.
    pub ahead: usize,
    /// Commits not yet pulled.
    pub behind: usize,
    /// Notes changed and not committed.
    pub uncommitted: usize,
    /// Whether the branch has an upstream to sync with.
    pub upstream: bool,
}

/// Why a sync stopped. Work goes on locally whatever the reason.
#[derive(Debug, Error)]
pub enum SyncError {
    /// The notebook is not in a git work tree.
    #[error("not a git work tree: nothing to sync")]
    NotARepo,
    /// HEAD is detached.
    #[error("HEAD is detached: check out a branch to sync")]
    Detached,
    /// A git command failed (offline, a hook, a refused push).
    #[error("{0}")]
    Git(#[from] GitError),
    /// A note changed outside notes conflicts, or the work tree refused to move.
    #[error("{0}")]
    Stuck(String),
}

/// A note both sides changed on the same lines: the three versions, merged
/// as far as they go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileConflict {
    /// The note, relative to the notebook.
    pub path: PathBuf,
    /// Mine, theirs and their common base, merged into pieces.
    pub merge: Merge,
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The message of the commit made of opsbook's changes, if any.
    pub committed: Option<String>,
    /// Commits brought in from the upstream.
    pub pulled: usize,
    /// Whether commits were pushed.
    pub pushed: bool,
    /// Notes changed on the same lines on both sides: the user chooses.
    pub conflicts: Vec<FileConflict>,
    /// Why there was nothing to pull or push (no upstream).
    pub local_only: bool,
    /// What was done about a sync that was stopped before this one.
    pub recovered: Option<String>,
}

impl Report {
    /// One line saying what happened.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.recovered {
            parts.push(r.clone());
        }
        if let Some(m) = &self.committed {
            parts.push(format!("committed \"{m}\""));
        }
        if self.pulled > 0 {
            parts.push(format!(
                "pulled {} commit{}",
                self.pulled,
                if self.pulled == 1 { "" } else { "s" }
            ));
        }
        if self.pushed {
            parts.push("pushed".to_string());
        }
        if !self.conflicts.is_empty() {
            let names: Vec<String> = self
                .conflicts
                .iter()
                .map(|c| c.path.display().to_string())
                .collect();
            parts.push(format!(
                "{} changed on the same lines on both sides: choose in opsbook (yours is committed, theirs is upstream)",
                names.join(", ")
            ));
        }
        if self.local_only {
            parts.push("no upstream branch: kept locally".to_string());
        }
        if parts.is_empty() {
            "up to date".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// The notebook folder's place in the work tree (`notes/`, or empty).
fn prefix(git: &Git) -> Result<String, GitError> {
    Ok(git.run(&["rev-parse", "--show-prefix"])?.trim().to_string())
}

/// Notes of the notebook folder changed in the work tree (relative to it).
fn changed_notes(git: &Git) -> Result<Vec<PathBuf>, GitError> {
    let prefix = prefix(git)?;
    let out = git.run(&[
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
    ])?;
    let mut paths = Vec::new();
    let mut entries = out.split('\0');
    while let Some(entry) = entries.next() {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = entry.split_at(3);
        if code.starts_with('R') || code.starts_with('C') {
            // A rename names its source next.
            entries.next();
        }
        let relative = path.strip_prefix(&prefix).unwrap_or(path);
        if is_note(Path::new(relative)) {
            paths.push(PathBuf::from(relative));
        }
    }
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// Where the work tree in `dir` stands; `None` outside a work tree.
pub fn status(dir: &Path) -> Result<Option<Status>, GitError> {
    let git = Git::new(dir);
    if !git.is_work_tree() {
        return Ok(None);
    }
    let head = git
        .run(&["symbolic-ref", "--quiet", "--short", "HEAD"])
        .ok();
    let branch = head.map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
    let upstream = git.rev("@{u}").is_some();
    let (ahead, behind) = if upstream {
        let counts = git.run(&["rev-list", "--left-right", "--count", "HEAD...@{u}"])?;
        let mut it = counts.split_whitespace().map(|n| n.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    } else {
        (0, 0)
    };
    Ok(Some(Status {
        branch,
        ahead,
        behind,
        uncommitted: changed_notes(&git)?.len(),
        upstream,
    }))
}

/// Commits the notes opsbook changed, with a message saying what changed.
/// `None` when nothing changed.
pub fn commit(dir: &Path) -> Result<Option<String>, SyncError> {
    let git = Git::new(dir);
    if !git.is_work_tree() {
        return Err(SyncError::NotARepo);
    }
    let paths = changed_notes(&git)?;
    if paths.is_empty() {
        return Ok(None);
    }
    let message = message::describe(&git, &paths);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut add = vec!["add", "--all", "--"];
    add.extend(names.iter().map(String::as_str));
    git.run(&add)?;
    let mut commit = vec!["commit", "--quiet", "-m", &message, "--"];
    commit.extend(names.iter().map(String::as_str));
    if let Err(e) = git.run(&commit) {
        // A hook refused: nothing stays staged half-way.
        let mut reset = vec!["reset", "--quiet", "--"];
        reset.extend(names.iter().map(String::as_str));
        let _ = git.run(&reset);
        return Err(e.into());
    }
    Ok(Some(message))
}

/// Commit, pull (merging three ways), push.
///
/// No rebase or merge ever runs in the work tree: the commit the branch
/// moves to is made in an index of its own, and the work tree then moves
/// to it file by file, each file replaced whole, the branch moved only at
/// the end. A sync stopped at any moment (a kill, a power cut) leaves every
/// note either as it was or as it would be, and the next sync finishes it.
pub fn sync(dir: &Path) -> Result<Report, SyncError> {
    let git = Git::new(dir);
    if !git.is_work_tree() {
        return Err(SyncError::NotARepo);
    }
    if let Some(state) = guard::foreign_operation(&git, dir) {
        return Err(SyncError::Stuck(state));
    }
    let (mark, left) = guard::Mark::take(&git).map_err(SyncError::Stuck)?;
    let mut report = Report::default();
    if let Some(left) = left {
        report.recovered = Some(recover(&git, &mark, &left)?);
    }
    if let Some(state) = guard::foreign_state(&git, dir) {
        return Err(SyncError::Stuck(state));
    }
    if git.run(&["symbolic-ref", "--quiet", "HEAD"]).is_err() {
        return Err(SyncError::Detached);
    }
    report.committed = commit(dir)?;
    if git.rev("@{u}").is_none() {
        report.local_only = true;
        return Ok(report);
    }
    git.run(&["fetch", "--quiet"])?;
    bring_in(&git, &mark, &mut report)?;
    if !report.conflicts.is_empty() {
        return Ok(report);
    }
    push(&git, &mark, &mut report)?;
    Ok(report)
}

/// Finishes what a stopped sync left: its locks are gone already; a move
/// it was making is made again (files already moved are left as they are).
fn recover(git: &Git, mark: &guard::Mark, left: &guard::Left) -> Result<String, SyncError> {
    let mut did: Vec<String> = left
        .locks
        .iter()
        .map(|l| format!("removed {}", l.display()))
        .collect();
    let branch = git
        .run(&["symbolic-ref", "--quiet", "HEAD"])
        .ok()
        .map(|b| b.trim().to_string());
    if let Some((from, to)) = &left.moving
        && (left.branch.is_none() || left.branch == branch)
    {
        match git.rev("HEAD") {
            Some(head) if &head == from => {
                move_to(git, mark, to)?;
                did.push(format!("finished moving to {}", short(to)));
            }
            Some(head) if &head == to => {
                refresh_index(git, from, to)?;
                did.push(format!("finished moving to {}", short(to)));
            }
            _ => {}
        }
    }
    Ok(if did.is_empty() {
        "a sync that was stopped left nothing to do".to_string()
    } else {
        format!("after a sync that was stopped: {}", did.join(", "))
    })
}

fn short(rev: &str) -> &str {
    &rev[..rev.len().min(8)]
}

fn count(git: &Git, range: &str) -> Result<usize, GitError> {
    Ok(git
        .run(&["rev-list", "--count", range])?
        .trim()
        .parse()
        .unwrap_or(0))
}

/// Brings the upstream's commits in: the branch moves to the upstream, or
/// to one commit on top of it holding this side's changes merged three ways.
fn bring_in(git: &Git, mark: &guard::Mark, report: &mut Report) -> Result<(), SyncError> {
    let behind = count(git, "HEAD..@{u}")?;
    if behind == 0 {
        return Ok(());
    }
    let ahead = count(git, "@{u}..HEAD")?;
    let upstream = git.rev("@{u}").ok_or(SyncError::Detached)?;
    if ahead == 0 {
        move_to(git, mark, &upstream)?;
        report.pulled = behind;
        return Ok(());
    }
    let head = git.rev("HEAD").ok_or(SyncError::Detached)?;
    let merged = merge_notes(git)?;
    if merged.conflicts.is_empty() {
        let target = merged_commit(git, &merged.files, &own_subjects(git)?)?;
        move_from_to(git, mark, Some(&head), &target)?;
        report.pulled = behind;
    } else {
        report.conflicts = merged.conflicts;
    }
    Ok(())
}

/// The subjects of this side's commits, oldest first: the message of the
/// one commit that carries them over.
fn own_subjects(git: &Git) -> Result<String, GitError> {
    Ok(git
        .run(&["log", "--reverse", "--format=%s", "@{u}..HEAD"])?
        .lines()
        .collect::<Vec<_>>()
        .join("; "))
}

/// Notes changed on both sides, merged.
struct Merged {
    /// Files whose merge is clean: (path relative to the top, bytes).
    files: Vec<(String, Vec<u8>)>,
    conflicts: Vec<FileConflict>,
}

fn changed_between(git: &Git, from: &str, to: &str) -> Result<Vec<String>, GitError> {
    let out = git.run_with(
        &["diff", "--name-only", "-z", "--no-renames", from, to],
        None,
        &[],
    )?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// Three versions of a file merged line by line, as bytes: notes that are
/// not UTF-8 (Latin-1, say) merge as well, every byte kept. Each byte is
/// read as the character of that code point, which is one-to-one and keeps
/// line ends, and written back the same way.
fn merge_bytes(base: &[u8], mine: &[u8], theirs: &[u8]) -> Merge {
    match (
        std::str::from_utf8(base),
        std::str::from_utf8(mine),
        std::str::from_utf8(theirs),
    ) {
        (Ok(b), Ok(m), Ok(t)) => merge3(b, m, t),
        _ => {
            let wide = |bytes: &[u8]| bytes.iter().map(|&b| char::from(b)).collect::<String>();
            merge3(&wide(base), &wide(mine), &wide(theirs))
        }
    }
}

/// The bytes of a clean merge's text: as they are when all three sides were
/// UTF-8, else one byte a character (see [`merge_bytes`]).
fn merged_bytes(text: String, utf8: bool) -> Vec<u8> {
    if utf8 {
        text.into_bytes()
    } else {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect()
    }
}

/// Merges, file by file, what this side changed since the common base with
/// the upstream's version.
fn merge_notes(git: &Git) -> Result<Merged, SyncError> {
    let base = git.run(&["merge-base", "HEAD", "@{u}"])?.trim().to_string();
    let mine = changed_between(git, &base, "HEAD")?;
    let theirs = changed_between(git, &base, "@{u}")?;
    let prefix = prefix(git)?;
    let mut out = Merged {
        files: Vec::new(),
        conflicts: Vec::new(),
    };
    for path in mine.iter().filter(|p| theirs.contains(p)) {
        // The same change on both sides (a cherry-pick, a deletion on both)
        // is no conflict: it comes with theirs.
        let blob = |rev: &str| git.rev(&format!("{rev}:{path}"));
        if blob("HEAD") == blob("@{u}") {
            continue;
        }
        if !is_note(Path::new(path)) || !path.starts_with(&prefix) {
            return Err(SyncError::Stuck(format!(
                "{path} changed on both sides and is not a note: merge it with git"
            )));
        }
        let at = |rev: &str| git.show_bytes(rev, path).unwrap_or_default();
        let (b, m, t) = (at(&base), at("HEAD"), at("@{u}"));
        let utf8 = [&b, &m, &t].iter().all(|x| std::str::from_utf8(x).is_ok());
        let merge = merge_bytes(&b, &m, &t);
        if merge.is_clean() {
            out.files
                .push((path.clone(), merged_bytes(merge.text(&[]), utf8)));
        } else if !utf8 {
            return Err(SyncError::Stuck(format!(
                "{path} is not UTF-8 and changed on the same lines on both sides: \
                 merge it with git (yours is committed, theirs is upstream)"
            )));
        } else {
            out.conflicts.push(FileConflict {
                path: PathBuf::from(path.strip_prefix(&prefix).unwrap_or(path)),
                merge,
            });
        }
    }
    // Files only this side changed go over as they are (a deletion as none).
    for path in mine.iter().filter(|p| !theirs.contains(p)) {
        let bytes = git.show_bytes("HEAD", path);
        out.files.push((path.clone(), bytes.unwrap_or_default()));
    }
    Ok(out)
}

/// One commit on top of the upstream with `files` (paths from the top of
/// the work tree) as merged, made in an index of its own: nothing in the
/// work tree or the user's index moves. The upstream itself when nothing
/// of ours is left.
fn merged_commit(
    git: &Git,
    files: &[(String, Vec<u8>)],
    message: &str,
) -> Result<String, SyncError> {
    let index = tempfile::NamedTempFile::new().map_err(|e| SyncError::Stuck(e.to_string()))?;
    let top = Git {
        dir: PathBuf::from(git.run(&["rev-parse", "--show-toplevel"])?.trim()),
        timeout: git.timeout,
    };
    let env = [("GIT_INDEX_FILE", index.path().as_os_str())];
    let run = |args: &[&str], input: Option<&[u8]>| -> Result<String, SyncError> {
        let out = top.run_with(args, input, &env)?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    };
    run(&["read-tree", "@{u}"], None)?;
    for (path, bytes) in files {
        if bytes.is_empty() && top.show_bytes("HEAD", path).is_none() {
            run(
                &["rm", "--cached", "--quiet", "--ignore-unmatch", "--", path],
                None,
            )?;
            continue;
        }
        let blob = run(&["hash-object", "-w", "--stdin"], Some(bytes))?;
        let mode = file_mode(&top, "HEAD", path).unwrap_or_else(|| "100644".to_string());
        run(
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("{mode},{blob},{path}"),
            ],
            None,
        )?;
    }
    let tree = run(&["write-tree"], None)?;
    let upstream = git.rev("@{u}").ok_or(SyncError::Detached)?;
    if git.rev("@{u}^{tree}").as_deref() == Some(tree.as_str()) {
        // Theirs kept everywhere: nothing of ours is left to commit.
        return Ok(upstream);
    }
    run(
        &["commit-tree", &tree, "-p", &upstream, "-m", message],
        None,
    )
}

/// The mode of `path` at `rev` (`100644`, `100755`, `120000`, `160000`).
fn file_mode(git: &Git, rev: &str, path: &str) -> Option<String> {
    let out = git.run(&["ls-tree", "--full-tree", rev, "--", path]).ok()?;
    out.split_whitespace().next().map(str::to_string)
}

/// Moves the branch and the work tree to `target`: each file that differs
/// is replaced whole (a temporary file renamed over it), after checking it
/// is still as the current commit has it; then the branch moves, then the
/// index. A file changed meanwhile (someone typing during the sync) stops
/// the move before the branch moves, and nothing is lost.
fn move_to(git: &Git, mark: &guard::Mark, target: &str) -> Result<(), SyncError> {
    move_from_to(git, mark, None, target)
}

/// [`move_to`], from `expected` (the commit the move was computed from;
/// a branch that moved meanwhile, someone's commit in a terminal, stops it
/// before anything is written).
fn move_from_to(
    git: &Git,
    mark: &guard::Mark,
    expected: Option<&str>,
    target: &str,
) -> Result<(), SyncError> {
    // Paths and modes are the repository's, from its top: a notebook in a
    // folder of the repository is moved as a whole one is.
    let top = Git {
        dir: PathBuf::from(git.run(&["rev-parse", "--show-toplevel"])?.trim()),
        timeout: git.timeout,
    };
    let git = &top;
    let head = git.rev("HEAD").ok_or(SyncError::Detached)?;
    if expected.is_some_and(|e| e != head) {
        return Err(SyncError::Stuck(
            "the branch moved while syncing (a commit made meanwhile?): nothing replaced, sync again".into(),
        ));
    }
    if head == target {
        return Ok(());
    }
    let changes = git.run_with(
        &["diff", "--name-status", "-z", "--no-renames", &head, target],
        None,
        &[],
    )?;
    let mut entries: Vec<(Vec<u8>, String)> = Vec::new();
    let mut fields = changes.split(|&b| b == 0).filter(|f| !f.is_empty());
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        entries.push((status.to_vec(), String::from_utf8_lossy(path).into_owned()));
    }
    // Deletions first: a rename that only changes case (`notes.md` to
    // `Notes.md` on a file system that ignores case), or a folder that
    // becomes a file, must not delete what was just written.
    entries.sort_by_key(|(status, _)| !status.starts_with(b"D"));
    let branch = git
        .run(&["symbolic-ref", "--quiet", "HEAD"])
        .map(|b| b.trim().to_string())
        .map_err(|_| SyncError::Detached)?;
    mark.moving(&head, target, &branch);
    let mut written = 0;
    for (status, path) in entries {
        let file = git.dir.join(&path);
        let regular =
            |rev: &str| file_mode(git, rev, &path).is_none_or(|m| m == "100644" || m == "100755");
        if !regular(&head) || !regular(target) || status.starts_with(b"T") {
            // A symlink or a submodule: git moves those itself.
            git.run(&["checkout", target, "--", &path])?;
            continue;
        }
        let old = git.show_bytes(&head, &path);
        let new = git.show_bytes(target, &path);
        // Read, decided and replaced under the lock every opsbook writer
        // takes: a jot or an editor's save cannot land in between.
        let _lock = crate::storage::write::FolderLock::take(&file);
        let now = std::fs::read(&file).ok();
        if now == new {
            continue;
        }
        // Changed here meanwhile (typed during the sync, or after a sync
        // that was stopped half-way): the change is kept, merged three ways
        // with what the move brings; only overlapping lines stop it.
        let new = if now != old {
            let (Some(now), Some(theirs)) = (&now, &new) else {
                return Err(SyncError::Stuck(format!(
                    "{path} changed while syncing: not replaced (sync again)"
                )));
            };
            let base = old.clone().unwrap_or_default();
            let merge = merge_bytes(&base, now, theirs);
            if !is_note(Path::new(&path)) || !merge.is_clean() {
                return Err(SyncError::Stuck(format!(
                    "{path} changed while syncing, on the lines the sync brings: not replaced (commit or undo that change, then sync)"
                )));
            }
            let utf8 = [&base, now, theirs]
                .iter()
                .all(|x| std::str::from_utf8(x).is_ok());
            let merged = merged_bytes(merge.text(&[]), utf8);
            if &merged == now {
                continue;
            }
            Some(merged)
        } else {
            new
        };
        match new {
            Some(bytes) => {
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| SyncError::Stuck(e.to_string()))?;
                }
                crate::storage::atomic_write(&file, &bytes)
                    .map_err(|e| SyncError::Stuck(format!("cannot write {path}: {e}")))?;
                written += 1;
                guard::crash_point("moving", written);
                #[cfg(unix)]
                {
                    // As git would check it out: a new file readable by all
                    // (not the temporary file's 0600), executable if marked so.
                    use std::os::unix::fs::PermissionsExt;
                    let exec = file_mode(git, target, &path).as_deref() == Some("100755");
                    if exec || old.is_none() {
                        let mode = if exec { 0o755 } else { 0o644 };
                        let _ =
                            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode));
                    }
                }
            }
            None => {
                std::fs::remove_file(&file)
                    .map_err(|e| SyncError::Stuck(format!("cannot remove {path}: {e}")))?;
                // A folder the deletion left empty goes too.
                if let Some(parent) = file.parent()
                    && parent != git.dir
                {
                    let _ = std::fs::remove_dir(parent);
                }
            }
        }
    }
    guard::crash_point("before-ref", 0);
    git.run(&["update-ref", "-m", "opsbook sync", "HEAD", target, &head])?;
    guard::crash_point("before-index", 0);
    refresh_index(git, &head, target)?;
    mark.moved();
    Ok(())
}

/// The index brought to the branch's new commit, for the files that moved
/// only: what the user staged elsewhere stays staged.
fn refresh_index(git: &Git, from: &str, to: &str) -> Result<(), SyncError> {
    let top = Git {
        dir: PathBuf::from(git.run(&["rev-parse", "--show-toplevel"])?.trim()),
        timeout: git.timeout,
    };
    let names = changed_between(&top, from, to)?;
    for chunk in names.chunks(100) {
        let mut reset = vec!["reset", "--quiet", to, "--"];
        reset.extend(chunk.iter().map(String::as_str));
        top.run(&reset)?;
    }
    Ok(())
}

/// Pushes; a push refused because the upstream moved meanwhile brings the
/// new commits in and pushes once more.
fn push(git: &Git, mark: &guard::Mark, report: &mut Report) -> Result<(), SyncError> {
    if count(git, "@{u}..HEAD")? == 0 {
        return Ok(());
    }
    if git.run(&["push", "--quiet"]).is_err() {
        git.run(&["fetch", "--quiet"])?;
        bring_in(git, mark, report)?;
        if !report.conflicts.is_empty() {
            return Ok(());
        }
        git.run(&["push", "--quiet"])?;
    }
    report.pushed = true;
    Ok(())
}

/// Carries out a request and says what happened.
pub fn answer(dir: &Path, request: GitRequest) -> GitAnswer {
    match request {
        GitRequest::Status => GitAnswer::Status(status(dir).ok().flatten()),
        GitRequest::Commit => GitAnswer::Committed(commit(dir)),
        GitRequest::Sync => GitAnswer::Synced(sync(dir)),
        GitRequest::Resolve(chosen) => GitAnswer::Synced(resolve(dir, &chosen)),
    }
}

/// Finishes a sync whose conflicts the user chose: the notes as chosen,
/// merged with everything else on top of the upstream, then pushed.
pub fn resolve(dir: &Path, chosen: &[(PathBuf, String)]) -> Result<Report, SyncError> {
    let git = Git::new(dir);
    let (mark, _) = guard::Mark::take(&git).map_err(SyncError::Stuck)?;
    let prefix = prefix(&git)?;
    let mut merged = merge_notes(&git)?;
    for (path, text) in chosen {
        let top = format!("{prefix}{}", path.display());
        merged.files.retain(|(p, _)| p != &top);
        merged.files.push((top, text.clone().into_bytes()));
    }
    let open: Vec<&FileConflict> = merged
        .conflicts
        .iter()
        .filter(|c| !chosen.iter().any(|(p, _)| p == &c.path))
        .collect();
    if !open.is_empty() {
        return Err(SyncError::Stuck(format!(
            "{} still to choose",
            open[0].path.display()
        )));
    }
    let behind = count(&git, "HEAD..@{u}")?;
    let target = merged_commit(&git, &merged.files, &own_subjects(&git)?)?;
    move_to(&git, &mark, &target)?;
    let mut report = Report {
        pulled: behind,
        ..Report::default()
    };
    push(&git, &mark, &mut report)?;
    Ok(report)
}
