//! A team's notebook in git: commit opsbook's saved changes with messages
//! that say what changed, bring in the others' commits, push. When both
//! sides changed one note, the three versions merge line by line (sessions
//! added at the end of one calendar by two people keep both); only lines
//! changed on both sides are left for the user, and nothing from either
//! side is lost. Kept apart from the UI, as gitui keeps `asyncgit`.

pub mod git;
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
}

impl Report {
    /// One line saying what happened.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
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

/// Commit, pull (rebasing, or merging three ways what rebase cannot), push.
pub fn sync(dir: &Path) -> Result<Report, SyncError> {
    let git = Git::new(dir);
    if !git.is_work_tree() {
        return Err(SyncError::NotARepo);
    }
    if git.run(&["symbolic-ref", "--quiet", "HEAD"]).is_err() {
        return Err(SyncError::Detached);
    }
    let mut report = Report {
        committed: commit(dir)?,
        ..Report::default()
    };
    if git.rev("@{u}").is_none() {
        report.local_only = true;
        return Ok(report);
    }
    git.run(&["fetch", "--quiet"])?;
    bring_in(&git, &mut report)?;
    if !report.conflicts.is_empty() {
        return Ok(report);
    }
    push(&git, &mut report)?;
    Ok(report)
}

fn count(git: &Git, range: &str) -> Result<usize, GitError> {
    Ok(git
        .run(&["rev-list", "--count", range])?
        .trim()
        .parse()
        .unwrap_or(0))
}

/// Brings the upstream's commits in.
fn bring_in(git: &Git, report: &mut Report) -> Result<(), SyncError> {
    let behind = count(git, "HEAD..@{u}")?;
    if behind == 0 {
        return Ok(());
    }
    let ahead = count(git, "@{u}..HEAD")?;
    if ahead == 0 {
        git.run(&["merge", "--ff-only", "--quiet", "@{u}"])?;
        report.pulled = behind;
        return Ok(());
    }
    if git.run(&["rebase", "--quiet", "@{u}"]).is_ok() {
        report.pulled = behind;
        return Ok(());
    }
    // The rebase stopped on a conflict: undone, the local commits kept.
    let _ = git.run(&["rebase", "--abort"]);
    let merged = merge_notes(git)?;
    if merged.conflicts.is_empty() {
        let message = git
            .run(&["log", "--reverse", "--format=%s", "@{u}..HEAD"])?
            .lines()
            .collect::<Vec<_>>()
            .join("; ");
        finish(git, &merged.files, &message)?;
        report.pulled = behind;
    } else {
        report.conflicts = merged.conflicts;
    }
    Ok(())
}

/// Notes changed on both sides, merged.
struct Merged {
    /// Notes whose merge is clean: (path relative to the top, text).
    files: Vec<(String, String)>,
    conflicts: Vec<FileConflict>,
}

fn changed_between(git: &Git, from: &str, to: &str) -> Result<Vec<String>, GitError> {
    Ok(git
        .run(&["diff", "--name-only", "--no-renames", from, to])?
        .lines()
        .map(str::to_string)
        .collect())
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
        if !is_note(Path::new(path)) {
            return Err(SyncError::Stuck(format!(
                "{path} changed on both sides and is not a note: merge it with git"
            )));
        }
        let at = |rev: &str| git.show(rev, path).unwrap_or_default();
        let merge = merge3(&at(&base), &at("HEAD"), &at("@{u}"));
        if merge.is_clean() {
            out.files.push((path.clone(), merge.text(&[])));
        } else {
            out.conflicts.push(FileConflict {
                path: PathBuf::from(path.strip_prefix(&prefix).unwrap_or(path)),
                merge,
            });
        }
    }
    // Notes only this side changed go over as they are.
    for path in mine.iter().filter(|p| !theirs.contains(p)) {
        match git.show("HEAD", path) {
            Some(text) => out.files.push((path.clone(), text)),
            None => out.files.push((path.clone(), String::new())),
        }
    }
    Ok(out)
}

/// One commit on top of the upstream with `files` (paths from the top of
/// the work tree) as merged, then the work tree moved to it; local changes
/// that would be overwritten make git refuse, and nothing is lost.
fn finish(git: &Git, files: &[(String, String)], message: &str) -> Result<(), SyncError> {
    let index = tempfile::NamedTempFile::new().map_err(|e| SyncError::Stuck(e.to_string()))?;
    let top = Git {
        dir: PathBuf::from(git.run(&["rev-parse", "--show-toplevel"])?.trim()),
        timeout: git.timeout,
    };
    let run = |args: &[&str], input: Option<&str>| with_index_in(&top, &index, args, input);
    run(&["read-tree", "@{u}"], None)?;
    for (path, text) in files {
        if text.is_empty() && top.show("HEAD", path).is_none() {
            run(
                &["rm", "--cached", "--quiet", "--ignore-unmatch", "--", path],
                None,
            )?;
            continue;
        }
        let blob = run(&["hash-object", "-w", "--stdin"], Some(text))?;
        run(
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("100644,{blob},{path}"),
            ],
            None,
        )?;
    }
    let tree = run(&["write-tree"], None)?;
    if git.rev("@{u}^{tree}").as_deref() == Some(tree.as_str()) {
        // Theirs kept everywhere: nothing of ours is left to commit.
        git.run(&["reset", "--keep", "--quiet", "@{u}"])?;
        return Ok(());
    }
    let commit = run(&["commit-tree", &tree, "-p", "@{u}", "-m", message], None)?;
    git.run(&["reset", "--keep", "--quiet", &commit])?;
    Ok(())
}

/// Runs git in `git.dir` with its own index file.
fn with_index_in(
    git: &Git,
    index: &tempfile::NamedTempFile,
    args: &[&str],
    input: Option<&str>,
) -> Result<String, SyncError> {
    use std::io::Write;
    let mut child = std::process::Command::new("git")
        .args(args)
        .current_dir(&git.dir)
        .env("GIT_INDEX_FILE", index.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| SyncError::Git(GitError::Start(e)))?;
    if let (Some(mut stdin), Some(text)) = (child.stdin.take(), input) {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| SyncError::Stuck(e.to_string()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| SyncError::Git(GitError::Start(e)))?;
    if !out.status.success() {
        return Err(SyncError::Git(GitError::Failed {
            command: args.first().copied().unwrap_or("").to_string(),
            why: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        }));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Pushes; a push refused because the upstream moved meanwhile brings the
/// new commits in and pushes once more.
fn push(git: &Git, report: &mut Report) -> Result<(), SyncError> {
    if count(git, "@{u}..HEAD")? == 0 {
        return Ok(());
    }
    if git.run(&["push", "--quiet"]).is_err() {
        git.run(&["fetch", "--quiet"])?;
        bring_in(git, report)?;
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
    let prefix = prefix(&git)?;
    let mut merged = merge_notes(&git)?;
    for (path, text) in chosen {
        let top = format!("{prefix}{}", path.display());
        merged.files.retain(|(p, _)| p != &top);
        merged.files.push((top, text.clone()));
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
    let message = git
        .run(&["log", "--reverse", "--format=%s", "@{u}..HEAD"])?
        .lines()
        .collect::<Vec<_>>()
        .join("; ");
    let behind = count(&git, "HEAD..@{u}")?;
    finish(&git, &merged.files, &message)?;
    let mut report = Report {
        pulled: behind,
        ..Report::default()
    };
    push(&git, &mut report)?;
    Ok(report)
}
