//! The user's own `git`, run with a timeout: their SSH keys, credential
//! helpers, signing and hooks apply. Nothing of git is re-implemented here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thiserror::Error;

/// How long one git command may take before it is stopped.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Why a git command failed.
#[derive(Debug, Error)]
pub enum GitError {
    /// `git` is not installed or cannot start.
    #[error("cannot run git: {0}")]
    Start(std::io::Error),
    /// It ran past the timeout and was stopped.
    #[error("git {0} took longer than {1} s and was stopped")]
    Timeout(String, u64),
    /// It failed; the last line it printed says why.
    #[error("git {command} failed: {why}")]
    Failed {
        /// The subcommand.
        command: String,
        /// Its last line of output.
        why: String,
    },
}

/// Why git failed, as git says it: its `fatal:`, `error:` and `remote:`
/// lines (a hook's message comes as `remote:`), the first three, else its
/// last line that is not a hint; cut to 300 characters.
pub fn reason(stderr: &str, stdout: &str) -> String {
    let said: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .map(str::trim)
        .filter(|l| {
            ["fatal:", "error:", "remote:", "! ["]
                .iter()
                .any(|p| l.starts_with(p))
                && !l.trim_start_matches("remote:").trim().is_empty()
        })
        .take(3)
        .collect();
    let why = if said.is_empty() {
        stderr
            .lines()
            .chain(stdout.lines())
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with("hint:"))
            .unwrap_or("no output")
            .to_string()
    } else {
        said.join(" · ")
    };
    crate::notebook::item::cut_at_word(&crate::escape::visible(&why), 300)
}

/// Kills a child's whole process group (its hooks and helpers with it).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // The group's id is the child's pid (`process_group(0)`).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A work tree and the git that runs in it.
#[derive(Clone, Debug)]
pub struct Git {
    /// The folder git runs in (the notebook).
    pub dir: PathBuf,
    /// The timeout of each command.
    pub timeout: Duration,
}

impl Git {
    /// Git in `dir`, stopped after [`TIMEOUT`] (or `OPSBOOK_GIT_TIMEOUT_SECS`).
    pub fn new(dir: &Path) -> Git {
        let timeout = std::env::var("OPSBOOK_GIT_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(TIMEOUT, Duration::from_secs);
        Git {
            dir: dir.to_path_buf(),
            timeout,
        }
    }

    /// Runs `git args…` and gives its standard output as text.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        self.run_with(args, None, &[])
            .map(|out| String::from_utf8_lossy(&out).into_owned())
    }

    /// Runs `git args…` with `input` on its standard input and `env` set,
    /// and gives its standard output as bytes (a note need not be UTF-8).
    ///
    /// Git runs in a process group of its own: on timeout the whole group
    /// (hooks, ssh, credential helpers) is killed, the lock files this git
    /// made (and only those) are removed, and the index is left as it was.
    pub fn run_with(
        &self,
        args: &[&str],
        input: Option<&[u8]>,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Result<Vec<u8>, GitError> {
        let locks_before = self.locks();
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(&self.dir)
            // Never stop to ask for a password in a terminal we do not show.
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_EDITOR", "true")
            // Paths given are paths, never patterns (`notes/[ab].md`).
            .env("GIT_LITERAL_PATHSPECS", "1")
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let mut child = command.spawn().map_err(GitError::Start)?;
        if let (Some(mut stdin), Some(bytes)) = (child.stdin.take(), input) {
            let bytes = bytes.to_vec();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&bytes);
            });
        }
        // Both pipes are drained on threads so that a chatty git never blocks.
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                let _ = pipe.read_to_end(&mut out);
                out
            })
        };
        let out = child.stdout.take().map(|p| drain(Box::new(p)));
        let err = child.stderr.take().map(|p| drain(Box::new(p)));
        let start = Instant::now();
        let status = loop {
            match child.try_wait().map_err(GitError::Start)? {
                Some(status) => break status,
                None if start.elapsed() > self.timeout => {
                    kill_group(&mut child);
                    self.remove_new_locks(&locks_before);
                    return Err(GitError::Timeout(
                        args.first().copied().unwrap_or("").to_string(),
                        self.timeout.as_secs(),
                    ));
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        let stdout = out.and_then(|h| h.join().ok()).unwrap_or_default();
        let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
        if status.success() {
            return Ok(stdout);
        }
        Err(GitError::Failed {
            command: args.first().copied().unwrap_or("").to_string(),
            why: reason(
                &String::from_utf8_lossy(&stderr),
                &String::from_utf8_lossy(&stdout),
            ),
        })
    }

    /// The git folder (`.git`, or where a linked work tree's points).
    pub fn git_dir(&self) -> Option<PathBuf> {
        let out = Command::new("git")
            .args(["rev-parse", "--absolute-git-dir"])
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !dir.is_empty()).then(|| PathBuf::from(dir))
    }

    /// The lock files git keeps in its folder while it writes (`index.lock`,
    /// `next-index-*.lock`, `HEAD.lock`, a ref's `.lock`).
    pub fn locks(&self) -> Vec<PathBuf> {
        let Some(dir) = self.git_dir() else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .max_depth(4)
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(e.file_type().is_dir() && matches!(name.as_ref(), "objects" | "logs" | "hooks"))
            })
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".lock")
            })
            .map(|e| e.into_path())
            .collect();
        found.sort();
        found
    }

    /// Removes the lock files that were not there before: the ones a git
    /// stopped by opsbook left.
    fn remove_new_locks(&self, before: &[PathBuf]) {
        for lock in self.locks() {
            if !before.contains(&lock) {
                let _ = std::fs::remove_file(&lock);
            }
        }
    }

    /// Whether the folder is inside a git work tree.
    pub fn is_work_tree(&self) -> bool {
        self.run(&["rev-parse", "--is-inside-work-tree"])
            .is_ok_and(|o| o.trim() == "true")
    }

    /// The text of `path` (relative to the work tree's top) at `rev`, or
    /// `None` when it does not exist there.
    pub fn show(&self, rev: &str, path: &str) -> Option<String> {
        self.run(&["show", &format!("{rev}:{path}")]).ok()
    }

    /// The bytes of `path` at `rev`, as stored: `None` when it does not
    /// exist there.
    pub fn show_bytes(&self, rev: &str, path: &str) -> Option<Vec<u8>> {
        self.run_with(&["cat-file", "blob", &format!("{rev}:{path}")], None, &[])
            .ok()
    }

    /// The commit a name points to.
    pub fn rev(&self, name: &str) -> Option<String> {
        self.run(&["rev-parse", "--verify", "--quiet", name])
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}
